"""The agencies in the archive, and one agency's notices over time and problems by topic."""
from __future__ import annotations

from django.db.models import OuterRef, Subquery
from django.shortcuts import get_object_or_404
from django.views.generic import ListView, TemplateView

from ..models import Agency, Notice
from ..presentation.overview import build_agency_record, public_notice_count


class AgencyListView(ListView):
    template_name = "notices/agency_list.html"
    context_object_name = "agencies"
    paginate_by = 100

    def get_queryset(self):
        latest = (Notice.objects.filter(agency=OuterRef("pk"), publish_date__isnull=False)
                  .order_by("-publish_date").values("publish_date")[:1])
        agencies = (Agency.objects.annotate(notice_count=public_notice_count(), latest=Subquery(latest))
                    .filter(notice_count__gt=0).order_by("province", "city", "county", "name"))
        name = self.request.GET.get("name", "").strip()[:100]
        return agencies.filter(name__icontains=name) if name else agencies

    def paginate_queryset(self, queryset, page_size):
        """Any odd page number shows a real page (the first or the last), never an error."""
        paginator = self.get_paginator(queryset, page_size)
        page = paginator.get_page(self.request.GET.get("page"))
        return paginator, page, page.object_list, page.has_other_pages()

    def get_context_data(self, **kwargs):
        name = self.request.GET.get("name", "").strip()[:100]
        return {**super().get_context_data(**kwargs), "name": name}


class AgencyDetailView(TemplateView):
    template_name = "notices/agency_detail.html"

    def get_context_data(self, **kwargs):
        agency = get_object_or_404(Agency, pk=kwargs["pk"])
        return {**super().get_context_data(**kwargs), "record": build_agency_record(agency)}
