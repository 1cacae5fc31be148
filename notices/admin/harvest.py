"""采集来源: the columns the archive watches; 立即采集 queues a harvest, the schedule queues the next ones."""
from __future__ import annotations

from django.contrib import admin, messages
from django.urls import reverse
from django.utils.html import format_html

from ..harvest.models import HarvestSource
from ..harvest.tasks import queue_source


@admin.register(HarvestSource)
class HarvestSourceAdmin(admin.ModelAdmin):
    list_display = ("__str__", "list_link", "schedule", "enabled", "last_run_at", "found", "new", "failed", "job_link")
    list_filter = ("enabled", "schedule")
    search_fields = ("name", "list_url")
    fields = ("name", "list_url", "max_pages", "since", "schedule", "enabled")
    actions = ("harvest_now",)

    @admin.display(description="列表页")
    def list_link(self, source: HarvestSource):
        return format_html('<a href="{}" rel="noopener noreferrer" target="_blank">{}</a>', source.list_url,
                           source.list_url if len(source.list_url) <= 40 else source.list_url[:39] + "…")

    @admin.display(description="最近一次任务")
    def job_link(self, source: HarvestSource):
        job = source.last_job
        if job is None:
            return "—"
        return format_html('<a href="{}">#{} {}</a>', reverse("admin:notices_job_change", args=[job.pk]), job.pk,
                           job.get_state_display())

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("last_job")

    @admin.action(description="立即采集所选来源")
    def harvest_now(self, request, queryset):
        for source in queryset.select_related("last_job"):
            if source.last_job and source.last_job.is_active:
                self.message_user(request, f"「{source}」正在采集（任务 #{source.last_job.pk}），无需重复。", messages.WARNING)
                continue
            job = queue_source(source, user=request.user)
            self.message_user(request, format_html(
                "已开始采集「{}」：<a href=\"{}\">任务 #{}</a>。", source, reverse("admin:notices_job_change", args=[job.pk]),
                job.pk), messages.SUCCESS)

    def response_add(self, request, obj, post_url_continue=None):
        """A column just added is harvested at once, so the archivist sees it work."""
        job = queue_source(obj, user=request.user)
        self.message_user(request, format_html(
            "已添加「{}」并开始第一次采集：<a href=\"{}\">任务 #{}</a>。", obj,
            reverse("admin:notices_job_change", args=[job.pk]), job.pk), messages.SUCCESS)
        return super().response_add(request, obj, post_url_continue)
