"""A notice's page (outline beside the original text), its original file and its JSON."""
from __future__ import annotations

import io

from django.db.models.expressions import RawSQL
from django.http import FileResponse, Http404, JsonResponse
from django.shortcuts import get_object_or_404
from django.views.generic import DetailView

from ..models import Capture, Notice, NoticeCopy
from ..notice_json import notice_to_json
from ..opendata.selection import positive_int
from ..presentation.notice_page import build_notice_page


_ANY = 'EXISTS (SELECT 1 FROM "{}" WHERE notice_id = "{}".id)'


class NoticeDetailView(DetailView):
    template_name = "notices/notice_detail.html"
    context_object_name = "notice"

    def get_queryset(self):
        # Whether the notice has captures or copies to show (provenance_of): two index probes in this
        # query. Written out, as Exists() subqueries took longer to compile than the page's query.
        return (Notice.objects.without_bytes().without_search_columns().select_related("source", "agency")
                .annotate(captured=RawSQL(_ANY.format(Capture._meta.db_table, Notice._meta.db_table), ()),
                          copied=RawSQL(_ANY.format(NoticeCopy._meta.db_table, Notice._meta.db_table), ())))

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        part = positive_int(self.request.GET.get("part"))
        context["page"] = build_notice_page(self.object, self.request.GET.get("q", ""), part,
                                            whole_words=self.request.GET.get("match") == "word")
        return context


def download_original(request, pk: int):
    notice = get_object_or_404(Notice.objects.select_related("source"), pk=pk)
    source = notice.source
    # Always an attachment: a stored web page must never run in the archive's origin.
    response = FileResponse(
        io.BytesIO(bytes(source.data)), as_attachment=True, filename=source.filename,
        content_type=source.content_type or "application/octet-stream",
    )
    response["X-Content-Type-Options"] = "nosniff"
    return response


def download_warc(request, pk: int, capture: int):
    """A capture's HTTP exchanges as the WARC file it was kept as (for web archivists' replay tools)."""
    kept = get_object_or_404(Capture.objects.select_related("warc"), pk=capture, notice__in=Notice.objects.all())
    if kept.notice_id != pk:
        raise Http404
    response = FileResponse(io.BytesIO(bytes(kept.warc.data)), as_attachment=True, filename=kept.warc.filename,
                            content_type=kept.warc.content_type)
    response["X-Content-Type-Options"] = "nosniff"
    return response


def notice_json(request, pk: int):
    notice = get_object_or_404(Notice.objects.without_bytes().select_related("source"), pk=pk)
    response = JsonResponse(notice_to_json(notice, with_ids=True), json_dumps_params={"ensure_ascii": False, "indent": 1})
    response["Content-Disposition"] = f'inline; filename="notice-{notice.pk}.json"'
    return response
