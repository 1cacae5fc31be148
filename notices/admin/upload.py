"""Upload -> preview -> save / save and correct / discard. The bytes wait in PendingUpload
(owned by the uploader, kept PENDING_LIFETIME) until a person has seen the parse."""
from __future__ import annotations

import io

from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpResponse, HttpResponseRedirect
from django.shortcuts import get_object_or_404
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils.html import format_html
from django.views.decorators.csrf import csrf_exempt, csrf_protect

from .. import uploads
from ..parsing import ParseError, page_image
from ..models import Notice, PendingUpload
from .wording import count_tree, preview_rows

ACCEPT = ".txt,.text,.html,.htm,.shtml,.xhtml,.docx,.pdf,.jpg,.jpeg,.png,.tif,.tiff,.webp,.bmp"
UPLOAD_PERMISSION = "notices.upload_notice"


def _notice_link(notice: Notice) -> str:
    return format_html('<a href="{}">{}</a>', reverse("admin:notices_notice_change", args=[notice.pk]),
                       notice.display_title)


def upload_view(model_admin):
    """The upload page. CSRF is checked only after the size-limiting handler is in place."""

    @csrf_exempt
    def view(request):
        if not request.user.has_perm(UPLOAD_PERMISSION):
            raise PermissionDenied
        handler = uploads.LimitedUploadHandler(request)
        if request.method == "POST":
            request.upload_handlers.insert(0, handler)
        return _upload(request, model_admin, handler)

    return view


@csrf_protect
def _upload(request, model_admin, handler):
    uploads.purge_expired()
    if request.method == "POST":
        files = request.FILES.getlist("files")
        for name in handler.refused:
            messages.error(request, uploads.too_large_message(name))
        if not files and not handler.refused:
            messages.error(request, "请先选择要上传的文件。")
        if len(files) > 1:
            return _queue_upload(request, files)
        try:
            with uploads.ocr_in_request():
                staged = [uploads.stage(request.user, f) for f in files]
        except uploads.LongScan as scan:
            return _queue_upload(request, files, scan)
        for item in staged:
            _say(request, item)
        return _after_staging(request, [item.pending for item in staged if item.pending is not None])
    context = {
        **model_admin.admin_site.each_context(request),
        "opts": Notice._meta,
        "title": "上传通报",
        "accept": ACCEPT,
        "limit": uploads.size_in_words(uploads.max_upload_bytes()),
        "lifetime_days": uploads.PENDING_LIFETIME.days,
        "pending_count": PendingUpload.objects.live().filter(owner=request.user).count(),
    }
    return TemplateResponse(request, "admin/notices/notice/upload.html", context)


def _queue_upload(request, files, scan: uploads.LongScan | None = None):
    """Many files, or a scan with more pages to OCR than a request reads, are parsed by a worker:
    the page returns at once and shows the job."""
    from ..jobs.queue import QueuedFile, enqueue

    for f in files:
        f.seek(0)  # a long scan was read once already, up to its first page to OCR
    job = enqueue("upload", f"解析上传的 {len(files)} 个文件" if scan is None else f"文字识别：{scan.filename}",
                  {"owner": request.user.pk}, user=request.user,
                  files=[QueuedFile(f.name, f.read(), f.content_type or "") for f in files])
    if scan is not None:
        messages.info(request, f"「{scan.filename}」有 {scan.pages} 页需要文字识别（OCR），已转到后台逐页识别"
                               f"（任务 #{job.pk}），可在本页看到进度。完成后它会出现在「待确认的上传」中，请查看后保存。")
    else:
        messages.info(request, f"已收到 {len(files)} 个文件，正在后台逐个解析（任务 #{job.pk}）。"
                               "解析完成后，它们会出现在「待确认的上传」中，请逐个查看后保存。")
    return HttpResponseRedirect(reverse("admin:notices_job_change", args=[job.pk]))


# Addresses fetched in one request: each waits its turn at its site (ARCHIVE_CAPTURE_DELAY).
MAX_ADDRESSES = 20


def capture_view(model_admin):
    """按网址添加: each address fetched and staged like an upload, for the same preview -> save."""

    @csrf_protect
    def view(request):
        if not request.user.has_perm(UPLOAD_PERMISSION):
            raise PermissionDenied
        if request.method != "POST":
            return HttpResponseRedirect(reverse("admin:notices_notice_upload"))
        from ..capture.fetch import Fetcher

        lines = [line.strip() for line in request.POST.get("urls", "").splitlines() if line.strip()]
        if not lines:
            messages.error(request, "请先填写要添加的网址，每行一个。")
        if len(lines) > MAX_ADDRESSES:
            messages.warning(request, f"一次最多添加 {MAX_ADDRESSES} 个网址；后面的 {len(lines) - MAX_ADDRESSES} 个没有抓取，请再提交一次。")
        with Fetcher() as fetcher:
            staged = [uploads.stage_address(request.user, url, fetcher) for url in lines[:MAX_ADDRESSES]]
        for item in staged:
            _say(request, item, failed="「{}」未能添加，没有保存。原因：{}")
        return _after_staging(request, [item.pending for item in staged if item.pending is not None], "个网址")

    return view


def _after_staging(request, ready, counted: str = "个文件"):
    if len(ready) == 1:
        return HttpResponseRedirect(reverse("admin:notices_pendingupload_change", args=[ready[0].pk]))
    if ready:
        messages.info(request, f"已解析 {len(ready)} {counted}，请逐个查看解析结果后保存。")
        return HttpResponseRedirect(reverse("admin:notices_pendingupload_changelist"))
    return HttpResponseRedirect(reverse("admin:notices_notice_upload"))


def _say(request, item: uploads.Staged, failed: str = "「{}」无法解析，未保存。原因：{}") -> None:
    if item.outcome == "duplicate":
        messages.warning(request, format_html("「{}」已在档案中：{}。没有重复保存。", item.filename, _notice_link(item.notice)))
    elif item.outcome == "in_recycle_bin":
        messages.warning(request, format_html("「{}」对应的通报在回收站中：{}。请打开它并点「从回收站恢复」，无需重新上传。",
                                              item.filename, _notice_link(item.notice)))
    elif item.outcome == "failed":
        messages.error(request, format_html(failed, item.filename, item.message))
    elif item.outcome == "too_large":
        messages.error(request, item.message)


@admin.register(PendingUpload)
class PendingUploadAdmin(admin.ModelAdmin):
    """Your uploads waiting for review; a row's page is the preview with save / discard."""

    list_display = ("filename", "parsed_title", "parsed_agency", "parsed_date", "counts", "warnings", "created_at",
                    "expires_at")
    list_display_links = ("filename", "parsed_title")
    actions = ("save_selected", "discard_selected")
    change_list_template = "admin/notices/pendingupload/change_list.html"

    def get_queryset(self, request):
        return PendingUpload.objects.live().filter(owner=request.user).defer("data")

    def has_module_permission(self, request):
        return request.user.has_perm(UPLOAD_PERMISSION)

    def has_view_permission(self, request, obj=None):
        return request.user.has_perm(UPLOAD_PERMISSION)

    def has_change_permission(self, request, obj=None):
        return request.user.has_perm(UPLOAD_PERMISSION)

    def has_delete_permission(self, request, obj=None):
        return request.user.has_perm(UPLOAD_PERMISSION)

    def has_add_permission(self, request):
        return False  # uploads come through the upload page

    def get_actions(self, request):
        actions = super().get_actions(request)
        actions.pop("delete_selected", None)
        return actions

    @admin.display(description="标题（解析所得）")
    def parsed_title(self, pending: PendingUpload):
        return pending.preview.get("title") or "（未识别）"

    @admin.display(description="被巡察单位")
    def parsed_agency(self, pending: PendingUpload):
        return pending.preview.get("agency") or "—"

    @admin.display(description="发布日期")
    def parsed_date(self, pending: PendingUpload):
        return pending.preview.get("publish_date") or "—"

    @admin.display(description="问题 / 措施")
    def counts(self, pending: PendingUpload):
        problems, measures = count_tree(pending.preview.get("issues", []))
        return f"{problems} / {measures}"

    @admin.display(description="解析提示")
    def warnings(self, pending: PendingUpload):
        count = len(pending.preview.get("warnings", []))
        return format_html('<span style="color:#b45309">⚠ {}</span>', count) if count else "—"

    def changelist_view(self, request, extra_context=None):
        uploads.purge_expired()
        return super().changelist_view(request, extra_context)

    @admin.action(description="保存所选上传")
    def save_selected(self, request, queryset):
        for pending in queryset:
            _report_save(request, uploads.save(pending))

    @admin.action(description="放弃所选上传（不保存）")
    def discard_selected(self, request, queryset):
        names = list(queryset.values_list("filename", flat=True))
        queryset.delete()
        self.message_user(request, f"已放弃 {len(names)} 个上传：{'、'.join(names)}。", messages.INFO)

    def change_view(self, request, object_id, form_url="", extra_context=None):
        pending = get_object_or_404(self.get_queryset(request).defer(None), pk=object_id)
        if request.method == "POST":
            return self._decide(request, pending)
        preview = pending.preview
        problems, measures = count_tree(preview.get("issues", []))
        context = {
            **self.admin_site.each_context(request),
            "opts": self.model._meta,
            "title": f"核对解析结果：{pending.filename}",
            "pending": pending,
            "preview": preview,
            "rows": preview_rows(preview),
            "problems": problems,
            "measures": measures,
            "text_head": "\n".join(preview_text(pending).splitlines()[:60]),
            "similar": _similar(preview),
            "scanned_pages": scanned_pages(preview.get("ocr")),
        }
        return TemplateResponse(request, "admin/notices/pendingupload/preview.html", context)

    def get_urls(self):
        return [
            path("<int:pk>/page/<int:page>.png", self.admin_site.admin_view(self.page_image_view),
                 name="notices_pendingupload_page"),
            *super().get_urls(),
        ]

    def page_image_view(self, request, pk: int, page: int):
        """A page of the uploaded file as an image, to compare with what OCR read from it."""
        pending = get_object_or_404(self.get_queryset(request).defer(None), pk=pk)
        try:
            image = page_image(bytes(pending.data), page)
        except ParseError as exc:
            raise Http404(str(exc)) from exc
        buffer = io.BytesIO()
        image.convert("L").save(buffer, "PNG", optimize=True)
        response = HttpResponse(buffer.getvalue(), content_type="image/png")
        response["Cache-Control"] = "private, max-age=3600"
        return response

    def _decide(self, request, pending: PendingUpload):
        if "_discard" in request.POST:
            pending.delete()
            messages.info(request, format_html("已放弃「{}」，没有保存。", pending.filename))
            return self._next(request)
        saved = uploads.save(pending, link="_link" in request.POST)
        notice = _report_save(request, saved)
        if saved.outcome == "reviewed_again" or saved.outcome == "failed":
            return HttpResponseRedirect(reverse("admin:notices_pendingupload_change", args=[pending.pk]))
        if "_saveandcorrect" in request.POST and notice is not None:
            return HttpResponseRedirect(reverse("admin:notices_notice_change", args=[notice.pk]))
        return self._next(request)

    def _next(self, request):
        """The next upload waiting for review, or the upload page when none is left."""
        following = self.get_queryset(request).first()
        if following is not None:
            return HttpResponseRedirect(reverse("admin:notices_pendingupload_change", args=[following.pk]))
        return HttpResponseRedirect(reverse("admin:notices_notice_upload"))


def _similar(preview: dict) -> dict | None:
    """The stored notice the preview found this one a near copy of, still live, with a link."""
    similar = preview.get("similar")
    notice = Notice.objects.filter(pk=similar["notice_id"]).first() if similar else None
    return {"notice": notice, "link": _notice_link(notice), "percent": similar["percent"]} if notice else None


def scanned_pages(ocr: dict | None) -> list[dict]:
    """[{number, lines: [{text, confidence, doubtful}]}] for each page OCR read."""
    if not ocr:
        return []
    pages = {number: [] for number in ocr.get("pages", [])}
    for line in ocr.get("lines", []):
        pages.setdefault(line["page"], []).append(
            {**line, "doubtful": line["confidence"] < ocr.get("low_confidence", 0)})
    return [{"number": number, "lines": lines} for number, lines in sorted(pages.items())]


def preview_text(pending: PendingUpload) -> str:
    text = pending.preview.get("text")
    return text if isinstance(text, str) else ""


def _report_save(request, saved: uploads.Saved) -> Notice | None:
    name = saved.pending.filename
    if saved.outcome == "reviewed_again":
        messages.warning(request, format_html("解析程序在你预览之后更新了。「{}」的解析结果已刷新，请再看一遍后保存。", name))
        return None
    if saved.outcome == "failed":
        messages.error(request, format_html("「{}」未保存：{}", name, saved.message))
        return None
    notice = Notice.all_objects.get(pk=saved.result.notice_id)
    if saved.outcome == "linked":
        messages.success(request, format_html("已将「{}」记为已有通报 {} 的其他来源。", name, _notice_link(notice)))
    elif saved.outcome == "duplicate":
        messages.warning(request, format_html("「{}」已在档案中：{}。没有重复保存。", name, _notice_link(notice)))
    else:
        messages.success(request, format_html("已保存「{}」：{}。", name, _notice_link(notice)))
    return notice
