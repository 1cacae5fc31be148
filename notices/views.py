"""Pages: the notice list, a notice's outline beside its text, its original file and its JSON."""
from __future__ import annotations

import io

from django.http import FileResponse, JsonResponse
from django.shortcuts import get_object_or_404
from django.views.generic import DetailView, ListView

from .models import Notice
from .notice_json import issue_tree, notice_to_json


class NoticeListView(ListView):
    template_name = "notices/notice_list.html"
    paginate_by = 20

    def get_queryset(self):
        return Notice.objects.without_bytes().select_related("source").order_by("-publish_date", "-id")


class NoticeDetailView(DetailView):
    template_name = "notices/notice_detail.html"

    def get_queryset(self):
        return Notice.objects.without_bytes().select_related("source", "agency")

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["tree"] = issue_tree(self.object)
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


def notice_json(request, pk: int):
    notice = get_object_or_404(Notice.objects.without_bytes().select_related("source"), pk=pk)
    response = JsonResponse(notice_to_json(notice, with_ids=True), json_dumps_params={"ensure_ascii": False, "indent": 1})
    response["Content-Disposition"] = f'inline; filename="notice-{notice.pk}.json"'
    return response
