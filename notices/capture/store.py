"""Capture one address into the archive: fetch, then store through the one write path (ingest.py).

capture(url, fetcher) is the entry point every door uses (the ingest command, the admin,
background jobs): it returns a CaptureResult and never raises for a bad address or a
bad site. Per address:

1. Fetch the page (fetch.py), and the attachment holding the notice if the page is only
   a lead-in to it (attachments.py).
2. The same address captured before with the same bytes: unchanged, nothing written.
3. The same address captured before with other bytes: a new version of its notice,
   re-parsed from the new bytes the way a re-parse keeps hand corrections (merge.py);
   the older capture stays, with a snapshot of the notice as it was (versions.py).
4. A notice whose text is (nearly) a stored notice's (copies.py) makes this capture another
   source of that notice, with the similarity. So do bytes the archive already holds (or
   the capture becomes the first provenance of a notice that came as a file).
5. Otherwise the notice's bytes go through ingest.ingest_bytes: a new notice.

Each capture is one transaction: a failure leaves nothing of it behind.
"""
from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

from django.db import transaction
from django.db.models import Q

from ..copies import nearest_notice
from ..ingest import ingest_bytes, sha256_of
from ..models import Capture, Notice, SourceFile
from ..parsing import ParseError
from .attachments import Found, find_notice
from .fetch import Fetched, FetchError, Fetcher
from .versions import new_version
from .warc import WARC_CONTENT_TYPE, warc_of

CaptureOutcome = Literal["new", "updated", "unchanged", "linked", "failed"]


@dataclass(frozen=True)
class CaptureResult:
    outcome: CaptureOutcome
    url: str
    notice_id: int | None = None
    message: str = ""
    reason: str = ""  # a failed fetch's code (fetch.FetchError.reason), "parse" or "" otherwise


def capture(url: str, fetcher: Fetcher) -> CaptureResult:
    """Fetch `url` and store what it holds; see the module's docstring for the rule."""
    try:
        found = find_notice(url, fetcher)
    except FetchError as exc:
        return CaptureResult("failed", url, message=str(exc), reason=exc.reason)
    return store_found(found)


def store_found(found: Found, *, link_copies: bool = True) -> CaptureResult:
    """Store a fetched capture (steps 2-4). With `link_copies` off, a near copy of a stored
    notice is stored as a notice of its own (the admin's 仍作为新通报保存)."""
    url = found.page.url
    previous = previous_capture(url, found.page.final_url)
    if previous is not None and same_bytes(previous, found):
        return CaptureResult("unchanged", url, previous.notice_id, f"与 {_when(previous)} 抓取的内容相同，未写入。")
    with transaction.atomic():
        if previous is not None and previous.role == Capture.Role.MAIN:
            result = new_version(previous, found, lambda notice: _record(notice, found, Capture.Role.MAIN))
            if result.outcome == "failed":
                return CaptureResult("failed", url, result.notice_id, result.message, "parse")
            return CaptureResult("updated", url, result.notice_id, _with_note(result.message, found))
        data, filename, content_type = found.notice_bytes()
        parsed = None
        if not Notice.all_objects.filter(source__sha256=sha256_of(data)).exists():
            try:
                parsed = found.parse()
            except ParseError as exc:
                return CaptureResult("failed", url, None, found.failure_note() or str(exc), "parse")
            match = nearest_notice(parsed) if link_copies else None
            if match is not None:
                _record(Notice.objects.get(pk=match.notice_id), found, Capture.Role.COPY, match.similarity)
                return CaptureResult("linked", url, match.notice_id, _with_note(
                    f"与已有通报 #{match.notice_id} 相似度 {match.percent}%，记为它的其他来源。", found))
        stored = ingest_bytes(data, filename, content_type, parsed=parsed)
        if stored.outcome == "failed":
            transaction.set_rollback(True)
            return CaptureResult("failed", url, stored.notice_id, found.failure_note() or stored.message, "parse")
        notice = Notice.all_objects.get(pk=stored.notice_id)
        if stored.outcome == "new" or not notice.captures.filter(role=Capture.Role.MAIN).exists():
            _record(notice, found, Capture.Role.MAIN)
            message = stored.message if stored.outcome == "new" else f"为已有通报 #{notice.pk} 记下来源网址。"
            return CaptureResult("new" if stored.outcome == "new" else "linked", url, notice.pk,
                                 _with_note(message, found))
        _record(notice, found, Capture.Role.COPY, similarity=1.0)
        return CaptureResult("linked", url, notice.pk,
                             _with_note(f"与已有通报 #{notice.pk} 内容相同，记为它的其他来源。", found))


def _with_note(message: str, found: Found) -> str:
    return " ".join(filter(None, [message, found.note()]))


def previous_capture(url: str, final_url: str) -> Capture | None:
    return (Capture.objects.filter(Q(url=url) | Q(final_url=final_url))
            .select_related("page", "attachment").order_by("-retrieved_at", "-id").first())


def same_bytes(previous: Capture, found: Found) -> bool:
    if previous.page.sha256 != sha256_of(found.page.body):
        return False
    if found.attachment is None:
        return previous.attachment is None
    return previous.attachment is not None and previous.attachment.sha256 == sha256_of(found.attachment.body)


def _when(capture: Capture) -> str:
    from django.utils import timezone

    return timezone.localtime(capture.retrieved_at).strftime("%Y-%m-%d %H:%M")


def _record(notice: Notice, found: Found, role: str, similarity: float | None = None) -> Capture:
    """The Capture row of `found` for `notice`, with both files kept and the exchanges as WARC."""
    page = _file_for(found.page)
    attachment = _file_for(found.attachment) if found.attachment is not None else None
    return Capture.objects.create(
        notice=notice, role=role, url=found.page.url, final_url=found.page.final_url,
        status=found.page.answer.status, retrieved_at=found.page.retrieved_at,
        page=page, attachment_url=found.attachment.final_url if found.attachment else None, attachment=attachment,
        warc=_warc_file(found), similarity=similarity,
    )


def _warc_file(found: Found) -> SourceFile:
    data = warc_of([f for f in (found.page, found.attachment) if f is not None])
    stamp = found.page.retrieved_at.strftime("%Y%m%dT%H%M%SZ")
    return SourceFile.objects.create(sha256=sha256_of(data), filename=f"capture-{stamp}.warc.gz",
                                     content_type=WARC_CONTENT_TYPE, size=len(data), data=data)


def _file_for(fetched: Fetched) -> SourceFile:
    """The SourceFile holding `fetched`'s body, stored if the archive does not hold those bytes yet."""
    digest = sha256_of(fetched.body)
    source, _ = SourceFile.objects.get_or_create(sha256=digest, defaults=dict(
        filename=fetched.filename[:255], content_type=fetched.answer.header("content-type")[:100],
        size=len(fetched.body), data=fetched.body,
    ))
    return source
