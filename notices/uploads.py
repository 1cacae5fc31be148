"""Uploads in the admin: a file is parsed and kept as a PendingUpload (its bytes and the parse)
until its uploader has looked at the parse and saved or discarded it; saving goes through
ingest.ingest_bytes, the one write path. Bad files are refused with a sentence and leave nothing.

1. The size limit is enforced while the request is read (LimitedUploadHandler), so a file
   over ARCHIVE_MAX_UPLOAD_BYTES is never held in memory or on disk.
2. stage(): a file already in the archive (or its recycle bin) is named, not staged; one the
   parser cannot read gives the parser's reason; anything else becomes a PendingUpload.
3. save(): re-parses through ingest_bytes; when the parser changed since the preview, the
   preview is refreshed instead, so that nothing is stored unseen.
"""
from __future__ import annotations

import logging
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import timedelta
from typing import Literal

from django.conf import settings
from django.core.files.uploadhandler import FileUploadHandler, SkipFile
from django.utils import timezone

from .copies import nearest_notice
from .ingest import IngestResult, ingest_bytes, link_copy, parse, sha256_of
from .models import Notice, PendingUpload
from .parsing import PARSER_VERSION, OcrStop, ParseError, set_ocr_progress

log = logging.getLogger(__name__)

# How long a parsed upload waits for its uploader before it is discarded.
PENDING_LIFETIME = timedelta(days=7)

StageOutcome = Literal["staged", "duplicate", "in_recycle_bin", "failed", "too_large"]


def max_upload_bytes() -> int:
    return settings.ARCHIVE_MAX_UPLOAD_BYTES


def size_in_words(size: int) -> str:
    return f"{size / 1048576:.1f} MB" if size >= 1048576 else f"{max(1, round(size / 1024))} KB"


class LimitedUploadHandler(FileUploadHandler):
    """First in the chain: drops a file the moment it passes the size limit and remembers its name."""

    def __init__(self, request=None):
        super().__init__(request)
        self.refused: list[str] = []
        self.limit = max_upload_bytes()

    def receive_data_chunk(self, raw_data, start):
        if start + len(raw_data) > self.limit:
            self.refused.append(self.file_name)
            raise SkipFile()
        return raw_data

    def file_complete(self, file_size):
        return None


@dataclass(frozen=True)
class Staged:
    outcome: StageOutcome
    filename: str
    pending: PendingUpload | None = None
    notice: Notice | None = None
    message: str = ""


def too_large_message(filename: str, size: int | None = None) -> str:
    size_text = f"（{size_in_words(size)}）" if size else ""
    return (f"「{filename}」{size_text}超过了上传上限 {size_in_words(max_upload_bytes())}，未保存。"
            "请确认这是通报本身；如确需收录，请拆分后再上传。")


class LongScan(OcrStop):
    """A file with more pages to OCR than a request reads (ARCHIVE_OCR_INLINE_PAGES): a worker must read it."""

    def __init__(self, filename: str, pages: int):
        super().__init__(filename, pages)
        self.filename, self.pages = filename, pages


@contextmanager
def ocr_in_request():
    """Within the block, a file with more pages to OCR than ARCHIVE_OCR_INLINE_PAGES raises LongScan before
    its first page is read, so that the request hands it to a job instead of outliving its timeout."""
    limit = settings.ARCHIVE_OCR_INLINE_PAGES

    def check(done: int, total: int, name: str) -> None:
        if done == 0 and total > limit:
            raise LongScan(name, total)

    previous = set_ocr_progress(check)
    try:
        yield
    finally:
        set_ocr_progress(previous)


def stage(user, uploaded) -> Staged:
    """Parse one uploaded file and keep it for review, or say why not. Reads the file only if small enough."""
    name = uploaded.name
    if uploaded.size > max_upload_bytes():
        return Staged("too_large", name, message=too_large_message(name, uploaded.size))
    return stage_bytes(user, name, uploaded.content_type or "", uploaded.read())


def stage_bytes(user, name: str, content_type: str, data: bytes) -> Staged:
    """stage() for bytes already read (an upload of many files, staged by a job)."""
    content_type = content_type[:100]
    digest = sha256_of(data)
    existing = Notice.all_objects.filter(source__sha256=digest).select_related("source").defer("source__data").first()
    if existing is not None:
        outcome = "in_recycle_bin" if existing.is_deleted else "duplicate"
        return Staged(outcome, name, notice=existing)
    try:
        parsed = parse(data, name, content_type)
    except ParseError as exc:
        return Staged("failed", name, message=str(exc))
    except Exception:  # a parser bug must not take the admin down; the file is simply not stored
        log.exception("the parser crashed on an upload: %s", name)
        return Staged("failed", name, message="the parser stopped with an internal error on this file; "
                                              "please send the file to the developers.")
    pending, _ = PendingUpload.objects.update_or_create(
        owner=user, sha256=digest,
        defaults={
            "filename": name[:255], "content_type": content_type, "size": len(data), "data": data,
            "preview": preview_of(parsed, name), "parser_version": parsed.parser_version,
            "expires_at": timezone.now() + PENDING_LIFETIME,
        },
    )
    return Staged("staged", name, pending=pending)


def outcome_sentence(item: Staged) -> str:
    """What became of a staged file, in a sentence (the admin's messages say the same with links)."""
    if item.outcome == "duplicate":
        return f"「{item.filename}」已在档案中（通报 #{item.notice.pk}），没有重复保存。"
    if item.outcome == "in_recycle_bin":
        return f"「{item.filename}」对应的通报 #{item.notice.pk} 在回收站中，请在通报页点「从回收站恢复」，无需重新上传。"
    if item.outcome == "failed":
        return f"「{item.filename}」无法解析，未保存。原因：{item.message}"
    return item.message


def preview_of(parsed, filename: str) -> dict:
    """What the archivist reviews: the notice JSON of the parse, the text it was read from, and
    the stored notice it is a near copy of, if any (copies.py)."""
    match = nearest_notice(parsed)
    similar = {"notice_id": match.notice_id, "percent": match.percent} if match else None
    return {**parsed.to_json(file=filename), "text": parsed.text, "similar": similar}


def stage_address(user, url: str, fetcher) -> Staged:
    """Fetch one address and keep its notice for review like an upload, or say why not."""
    from .capture.attachments import find_notice
    from .capture.fetch import FetchError
    from .capture.store import previous_capture, same_bytes
    from .capture.warc import warc_of

    try:
        found = find_notice(url, fetcher)
    except FetchError as exc:
        return Staged("failed", url, message=str(exc))
    previous = previous_capture(url, found.page.final_url)
    if previous is not None and same_bytes(previous, found):
        return Staged("duplicate", url, notice=previous.notice)
    data, filename, content_type = found.notice_bytes()
    try:
        parsed = found.parse()
    except ParseError as exc:
        return Staged("failed", url, message=found.failure_note() or str(exc))
    pending, _ = PendingUpload.objects.update_or_create(
        owner=user, sha256=sha256_of(data),
        defaults={
            "filename": filename[:255], "content_type": content_type[:100], "size": len(data), "data": data,
            "preview": {**preview_of(parsed, filename), "note": found.note()},
            "parser_version": parsed.parser_version, "expires_at": timezone.now() + PENDING_LIFETIME,
            "source_url": url, "warc": warc_of([f for f in (found.page, found.attachment) if f is not None]),
        },
    )
    return Staged("staged", url, pending=pending)


SaveOutcome = Literal["saved", "duplicate", "linked", "reviewed_again", "failed"]


@dataclass(frozen=True)
class Saved:
    outcome: SaveOutcome
    pending: PendingUpload
    result: IngestResult | None = None
    message: str = ""


def save(pending: PendingUpload, *, link: bool = False) -> Saved:
    """Store a reviewed upload through the one write path; the pending row goes once the notice is stored.

    With `link`, an upload the preview found to be a near copy of a stored notice is kept as
    another source of it (if it still is one); without, it becomes a notice of its own."""
    data = bytes(pending.data)
    if pending.parser_version != PARSER_VERSION:
        try:
            parsed = parse(data, pending.filename, pending.content_type)
        except ParseError as exc:
            return Saved("failed", pending, message=str(exc))
        pending.preview = preview_of(parsed, pending.filename)
        pending.parser_version = parsed.parser_version
        pending.save(update_fields=["preview", "parser_version"])
        return Saved("reviewed_again", pending)
    if pending.warc is not None:
        result = _store_capture(pending, link)
    else:
        match = nearest_notice(parse(data, pending.filename, pending.content_type)) if link else None
        if match is not None:
            result = link_copy(match, data, pending.filename, pending.content_type)
        else:
            result = ingest_bytes(data, pending.filename, pending.content_type)
    if result.outcome == "failed":
        return Saved("failed", pending, result, result.message)
    pending.delete()
    outcome = {"new": "saved", "updated": "saved", "linked": "linked"}.get(result.outcome, "duplicate")
    return Saved(outcome, pending, result)


def _store_capture(pending: PendingUpload, link: bool) -> IngestResult:
    """A staged capture, stored from its WARC as the capture path stores a fresh one."""
    from .capture.attachments import Found
    from .capture.store import store_found
    from .capture.warc import fetched_in

    page, *attachment = fetched_in(bytes(pending.warc), max_upload_bytes())
    readable = bool(attachment) and sha256_of(attachment[0].body) == pending.sha256
    found = Found(page, attachment[0] if attachment else None, attachment_readable=readable)
    stored = store_found(found, link_copies=link)
    return IngestResult(stored.outcome, pending.filename, stored.notice_id, stored.message)


def purge_expired() -> int:
    return PendingUpload.objects.expired().delete()[0]
