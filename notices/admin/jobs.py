"""The 任务 page: background jobs with their progress, who started them, timings, errors; retry and cancel."""
from __future__ import annotations

from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied
from django.http import HttpResponseRedirect
from django.shortcuts import get_object_or_404
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils import timezone
from django.utils.html import format_html

from ..jobs import queue, registry
from ..jobs.models import Job, JobState

RUN_PERMISSION = "notices.run_job"
STATE_COLOURS = {JobState.QUEUED: "#6b7280", JobState.RUNNING: "#1d4ed8", JobState.DONE: "#166534",
                 JobState.FAILED: "#b91c1c", JobState.CANCELLED: "#92400e"}
# Outcome words on the page.
OUTCOME_WORDS = {"new": "新增", "updated": "更新", "unchanged": "未变", "failed": "失败", "staged": "待确认",
                 "duplicate": "已在档案中", "in_recycle_bin": "在回收站中", "too_large": "过大", "parsed": "已解析",
                 "skipped": "以前已采集", "linked": "同一通报的另一来源",
                 "refused": "robots.txt 不允许"}


def duration_words(job: Job) -> str:
    if job.started_at is None:
        return "—"
    seconds = ((job.finished_at or timezone.now()) - job.started_at).total_seconds()
    return f"{seconds:.1f} 秒" if seconds < 60 else f"{int(seconds // 60)} 分 {int(seconds % 60)} 秒"


@admin.register(Job)
class JobAdmin(admin.ModelAdmin):
    list_display = ("id", "title", "state_badge", "progress", "current", "created_by", "created_at", "started_at",
                    "took", "short_error")
    list_display_links = ("id", "title")
    list_filter = ("state", "kind")
    actions = ("retry_selected", "cancel_selected")
    change_list_template = "admin/notices/job/change_list.html"

    def has_add_permission(self, request):
        return False  # jobs come from uploads, commands and harvest sources

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False

    def get_actions(self, request):
        return super().get_actions(request) if request.user.has_perm(RUN_PERMISSION) else {}

    @admin.display(description="状态", ordering="state")
    def state_badge(self, job: Job):
        return format_html('<b style="color:{}">{}</b>', STATE_COLOURS[job.state], job.get_state_display())

    @admin.display(description="进度")
    def progress(self, job: Job):
        if job.total is None:
            return "—"
        share = 100 * job.done // job.total if job.total else 100
        return format_html('<progress max="{}" value="{}" title="{}%"></progress> {} / {}',
                           job.total or 1, job.done, share, job.done, job.total)

    @admin.display(description="用时")
    def took(self, job: Job):
        return duration_words(job)

    @admin.display(description="失败原因")
    def short_error(self, job: Job):
        return (job.error[:80] + "…") if len(job.error) > 80 else (job.error or "—")

    def changelist_view(self, request, extra_context=None):
        active = Job.objects.filter(state__in=[JobState.QUEUED, JobState.RUNNING]).exists()
        return super().changelist_view(request, {**(extra_context or {}), "refresh": active})

    @admin.action(description="重试所选任务")
    def retry_selected(self, request, queryset):
        for job in queryset:
            self._act(request, queue.retry, job, "已重新排队")

    @admin.action(description="取消所选任务")
    def cancel_selected(self, request, queryset):
        for job in queryset:
            self._act(request, queue.cancel, job, "已请求取消")

    def _act(self, request, action, job: Job, done_words: str) -> None:
        try:
            action(job)
        except queue.NotNow as exc:
            self.message_user(request, str(exc), messages.WARNING)
        else:
            self.message_user(request, f"任务 #{job.pk}「{job.title}」{done_words}。", messages.SUCCESS)

    def change_view(self, request, object_id, form_url="", extra_context=None):
        job = get_object_or_404(Job.objects.select_related("created_by"), pk=object_id)
        if not self.has_view_permission(request, job):
            raise PermissionDenied
        if request.method == "POST":
            if not request.user.has_perm(RUN_PERMISSION):
                raise PermissionDenied
            if "_retry" in request.POST:
                self._act(request, queue.retry, job, "已重新排队")
            elif "_cancel" in request.POST:
                self._act(request, queue.cancel, job, "已请求取消")
            return HttpResponseRedirect(reverse("admin:notices_job_change", args=[job.pk]))
        try:
            kind_label = registry.get(job.kind).label
        except LookupError:
            kind_label = job.kind
        context = {
            **self.admin_site.each_context(request),
            "opts": self.model._meta,
            "title": f"任务 #{job.pk}：{job.title}",
            "job": job,
            "kind_label": kind_label,
            "state_badge": self.state_badge(job),
            "progress": self.progress(job),
            "took": duration_words(job),
            "counts": [(OUTCOME_WORDS.get(k, k), v) for k, v in job.counts.items()],
            "notes": [(item, OUTCOME_WORDS.get(outcome, outcome), reason) for item, outcome, reason in job.notes],
            "links": job_links(job),
            "can_run": request.user.has_perm(RUN_PERMISSION),
            "refresh": job.is_active,
        }
        return TemplateResponse(request, "admin/notices/job/detail.html", context)


def job_links(job: Job) -> list[tuple[str, str]]:
    """Where the job's work can be seen: the uploads waiting for review, the notices it stored."""
    links = []
    if job.kind == "upload" and job.state == JobState.DONE and job.counts.get("staged"):
        links.append(("查看待确认的上传", reverse("admin:notices_pendingupload_changelist")))
    notices = job.result.get("notices") or []
    if notices:
        ids = ",".join(str(pk) for pk in notices[:500])
        links.append((f"查看 {len(notices)} 条通报", reverse("admin:notices_notice_changelist") + f"?id__in={ids}"))
    return links
