"""A harvest source (采集来源): a column's list page the archive watches, on a schedule or by hand."""
from __future__ import annotations

from datetime import timedelta

from django.db import models
from django.utils import timezone


class Schedule(models.TextChoices):
    NEVER = "", "仅手动"
    HOURLY = "hourly", "每小时"
    DAILY = "daily", "每天"
    WEEKLY = "weekly", "每周"


INTERVALS = {Schedule.HOURLY: timedelta(hours=1), Schedule.DAILY: timedelta(days=1), Schedule.WEEKLY: timedelta(days=7)}


class HarvestSource(models.Model):
    name = models.CharField("名称", max_length=200, blank=True, default="")
    list_url = models.URLField("列表页网址", max_length=2000, unique=True,
                               help_text="栏目（如“巡察整改”“通知公告”）第一页的网址；翻页由程序自动识别。")
    max_pages = models.PositiveSmallIntegerField("最多读取列表页数", default=20)
    since = models.DateField("只采集此日期以后的", null=True, blank=True,
                             help_text="列表中日期早于此日的条目不采集；留空则不限。")
    schedule = models.CharField("定时采集", max_length=10, choices=Schedule.choices, default=Schedule.DAILY, blank=True)
    enabled = models.BooleanField("启用", default=True)
    created_at = models.DateTimeField("添加时间", auto_now_add=True)
    last_job = models.ForeignKey("notices.Job", null=True, blank=True, on_delete=models.SET_NULL, related_name="+",
                                 verbose_name="最近一次任务")
    last_run_at = models.DateTimeField("最近采集", null=True, blank=True)
    found = models.PositiveIntegerField("找到的通报", default=0)  # notice links on the list pages, last run
    new = models.PositiveIntegerField("新采集", default=0)
    failed = models.PositiveIntegerField("失败", default=0)

    class Meta:
        verbose_name = verbose_name_plural = "采集来源"
        ordering = ["name", "list_url"]

    def __str__(self) -> str:
        return self.name or self.list_url

    def is_due(self, now=None) -> bool:
        interval = INTERVALS.get(self.schedule)
        if not self.enabled or interval is None:
            return False
        return self.last_run_at is None or self.last_run_at + interval <= (now or timezone.now())
