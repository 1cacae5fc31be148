"""Where a notice came from: each capture of a web address (with the notice's earlier versions),
and the other copies of it that reached the archive as files.

Registered with the app by notices/models.py, which imports this module.
"""
from __future__ import annotations

from datetime import timezone

from django.db import models
from django.db.models import Q


class Capture(models.Model):
    """One fetch of a web address that gave a notice: what was asked, what came back, when.

    The page's bytes (and the attachment's, when the page linked to one) are SourceFiles
    like any file's; so is `warc`, every HTTP exchange of the capture, bytes as received.
    """

    class Role(models.TextChoices):
        MAIN = "main", "通报来源"  # the notice's text came from here
        COPY = "copy", "其他来源"  # the same notice, also published here

    notice = models.ForeignKey("notices.Notice", on_delete=models.CASCADE, related_name="captures")
    role = models.CharField("角色", max_length=4, choices=Role.choices, default=Role.MAIN)
    url = models.URLField("来源网址", max_length=2000)
    final_url = models.URLField("跳转后网址", max_length=2000)
    status = models.PositiveSmallIntegerField("HTTP 状态")
    retrieved_at = models.DateTimeField("抓取时间")
    page = models.ForeignKey("notices.SourceFile", on_delete=models.PROTECT, related_name="page_captures")
    attachment_url = models.URLField("附件网址", max_length=2000, null=True, blank=True)
    attachment = models.ForeignKey(
        "notices.SourceFile", on_delete=models.PROTECT, null=True, blank=True, related_name="attachment_captures"
    )
    # Kept as originals are kept (a SourceFile: hashed, exported with the others).
    warc = models.ForeignKey("notices.SourceFile", on_delete=models.PROTECT, related_name="+", verbose_name="WARC")
    similarity = models.FloatField("与通报正文的相似度", null=True, blank=True)
    # The notice as this capture gave it, kept when a later capture of the address replaced it.
    snapshot = models.JSONField("被新版本取代时的通报", null=True, blank=True, editable=False)

    class Meta:
        verbose_name = verbose_name_plural = "网页抓取记录"
        ordering = ["-retrieved_at", "-id"]
        indexes = [models.Index(fields=["url"]), models.Index(fields=["final_url"])]
        constraints = [
            models.CheckConstraint(condition=Q(role__in=["main", "copy"]), name="capture_role_valid"),
            models.CheckConstraint(
                condition=Q(attachment__isnull=True) | Q(attachment_url__isnull=False), name="capture_attachment_has_url"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.url} @ {self.retrieved_at:%Y-%m-%d %H:%M}"

    def source_json(self) -> dict:
        return source_object(self.url, self.final_url, self.retrieved_at, self.attachment_url)


class NoticeCopy(models.Model):
    """A file given by hand whose text is the same as, or nearly, a stored notice's (copies.py):
    kept byte for byte, as another source of that notice rather than a second notice."""

    notice = models.ForeignKey("notices.Notice", on_delete=models.CASCADE, related_name="copies")
    source = models.OneToOneField("notices.SourceFile", on_delete=models.PROTECT, related_name="copy_of")
    similarity = models.FloatField("与通报正文的相似度")
    added_at = models.DateTimeField("加入时间", auto_now_add=True)

    class Meta:
        verbose_name = verbose_name_plural = "通报的其他副本"
        ordering = ["added_at", "id"]

    def __str__(self) -> str:
        return f"{self.source.filename} → #{self.notice_id}"


def source_object(url: str, final_url: str, retrieved_at, attachment_url: str | None) -> dict:
    """The notice JSON's "source" object: where and when the notice was captured (null for files)."""
    return {
        "url": url,
        "final_url": final_url,
        "retrieved_at": retrieved_at.astimezone(timezone.utc).isoformat().replace("+00:00", "Z"),
        "attachment_url": attachment_url,
    }
