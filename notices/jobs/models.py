"""What the 任务 page shows: one Job row per piece of background work, beside procrastinate's own queue row.

procrastinate's table says which worker holds which job; this one says what the work is, who
asked for it, how far it got (n of m, the current item, the outcomes so far), and how it ended.
"""
from __future__ import annotations

from django.conf import settings
from django.db import models


class JobState(models.TextChoices):
    QUEUED = "queued", "排队中"
    RUNNING = "running", "进行中"
    DONE = "done", "已完成"
    FAILED = "failed", "失败"
    CANCELLED = "cancelled", "已取消"


class Job(models.Model):
    kind = models.CharField("类型", max_length=40)  # a key of notices.jobs.registry.KINDS
    title = models.CharField("任务", max_length=300)
    params = models.JSONField(default=dict)  # what the kind's function is given; JSON so a worker anywhere can read it
    state = models.CharField("状态", max_length=10, choices=JobState.choices, default=JobState.QUEUED, db_index=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                                   related_name="+", verbose_name="发起人")
    queue_job_id = models.BigIntegerField(null=True, blank=True)  # procrastinate_jobs.id of the latest attempt
    total = models.PositiveIntegerField("总数", null=True, blank=True)
    done = models.PositiveIntegerField("已处理", default=0)
    current = models.CharField("当前", max_length=500, blank=True, default="")
    counts = models.JSONField("结果", default=dict)  # outcome -> how many items ended so
    notes = models.JSONField(default=list)  # [[item, outcome, reason], ...] of items not routine, the first MAX_NOTES
    result = models.JSONField(default=dict)  # what the kind returned: links and figures for the page
    error = models.TextField("失败原因", blank=True, default="")
    attempts = models.PositiveSmallIntegerField("尝试次数", default=0)
    worker = models.CharField("执行者", max_length=200, blank=True, default="")
    created_at = models.DateTimeField("创建时间", auto_now_add=True)
    started_at = models.DateTimeField("开始时间", null=True, blank=True)
    finished_at = models.DateTimeField("结束时间", null=True, blank=True)

    MAX_NOTES = 200

    class Meta:
        verbose_name = verbose_name_plural = "任务"
        ordering = ["-created_at", "-id"]
        permissions = [("run_job", "可以重试或取消任务")]

    def __str__(self) -> str:
        return f"#{self.pk} {self.title}"

    @property
    def is_active(self) -> bool:
        return self.state in (JobState.QUEUED, JobState.RUNNING)


class JobFile(models.Model):
    """A file handed to a job (an admin upload of many files, `ingest --queue`): the bytes travel through
    the database, so a worker on another machine reads them; they go once the job has stored them."""

    job = models.ForeignKey(Job, on_delete=models.CASCADE, related_name="files")
    position = models.PositiveIntegerField()
    filename = models.CharField(max_length=255)
    content_type = models.CharField(max_length=100, blank=True, default="")
    data = models.BinaryField()

    class Meta:
        ordering = ["job", "position"]
        constraints = [models.UniqueConstraint(fields=["job", "position"], name="job_file_position_once")]
