"""An upload waiting for its uploader: a file added in the admin (or by address) and parsed, kept
until its uploader has looked at the parse and saved or discarded it (uploads.py).

Registered with the app by notices/models.py, which imports this module.
"""
from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils import timezone


class PendingUploadQuerySet(models.QuerySet):
    def live(self):
        return self.filter(expires_at__gt=timezone.now())

    def expired(self):
        return self.filter(expires_at__lte=timezone.now())


class PendingUpload(models.Model):
    """A file uploaded in the admin and parsed, waiting for its uploader to look at the parse and save or discard it."""

    owner = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+", verbose_name="上传者")
    filename = models.CharField("文件名", max_length=255)
    content_type = models.CharField(max_length=100, blank=True, default="")
    size = models.PositiveBigIntegerField("大小")
    sha256 = models.CharField(max_length=64)
    data = models.BinaryField()
    preview = models.JSONField("解析结果", default=dict)  # ParsedNotice.to_json()
    parser_version = models.CharField(max_length=20)
    # Added by address (按网址添加): the address, and the capture's exchanges as WARC, stored on save.
    source_url = models.URLField("来源网址", max_length=2000, blank=True, default="")
    warc = models.BinaryField(null=True, blank=True, editable=False)
    created_at = models.DateTimeField("上传时间", auto_now_add=True)
    expires_at = models.DateTimeField("保留至", db_index=True)

    objects = PendingUploadQuerySet.as_manager()

    class Meta:
        verbose_name = verbose_name_plural = "待确认的上传"
        ordering = ["created_at", "id"]
        constraints = [
            models.UniqueConstraint(fields=["owner", "sha256"], name="pending_upload_once_per_owner"),
        ]

    def __str__(self) -> str:
        return self.filename
