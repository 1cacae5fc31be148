"""The one write path: a file's bytes become a stored Notice with its issue tree.

Every caller (the ingest and reparse commands, the admin upload) goes through here.
Atomic per file: a failure leaves nothing of that file behind. Idempotent: the same
bytes again change nothing unless a re-parse is asked for. A re-parse keeps every hand
correction (merge.py states the rule) and reports what it changed.
"""
from __future__ import annotations

import hashlib
from dataclasses import dataclass
from typing import Iterable, Literal

from django.db import IntegrityError, transaction

from .merge import MergeReport, merge_parse
from .models import Agency, Issue, Measure, Notice, SourceFile
from .notice_json import notice_to_json
from .parsing import ParsedIssue, ParsedNotice, ParseError, parse_notice

Outcome = Literal["new", "updated", "unchanged", "failed"]

METADATA_COLUMNS = (
    "title", "issuer", "inspection_kind", "inspection_form", "inspection_round", "inspector",
    "inspection_start", "inspection_end", "feedback_date", "publish_date",
    "province", "city", "county", "level",
)


@dataclass(frozen=True)
class IngestResult:
    outcome: Outcome
    filename: str
    notice_id: int | None = None
    message: str = ""
    changes: MergeReport | None = None  # a re-parse's changes, and the corrections it kept


def sha256_of(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def ingest_bytes(data: bytes, filename: str, content_type: str = "", *, force: bool = False) -> IngestResult:
    """Store one file's notice; with `force`, re-parse a file the archive already holds."""
    digest = sha256_of(data)
    existing = Notice.all_objects.filter(source__sha256=digest).first()
    if existing is not None and existing.is_deleted:
        return IngestResult("failed", filename, existing.pk, DELETED_MESSAGE.format(pk=existing.pk))
    if existing is not None and not force:
        return IngestResult("unchanged", filename, existing.pk, "already in the archive")
    try:
        parsed = parse_notice(data, filename, content_type or None)
    except ParseError as exc:
        return IngestResult("failed", filename, existing.pk if existing else None, str(exc))
    if existing is not None:
        return _apply_reparse(existing, parsed, filename)
    try:
        with transaction.atomic():
            source = SourceFile.objects.create(
                sha256=digest, filename=filename[:255], content_type=content_type[:100], size=len(data), data=data
            )
            notice = Notice(source=source)
            write_parse(notice, parsed)
    except IntegrityError:
        # Someone stored the same bytes a moment ago (two uploads racing): theirs stands.
        existing = Notice.all_objects.filter(source__sha256=digest).first()
        if existing is None:
            raise
        return IngestResult("unchanged", filename, existing.pk, "already in the archive")
    return IngestResult("new", filename, notice.pk, _summary(parsed))


CONFLICT_MESSAGE = (
    "the new parse contradicts a hand correction ({detail}); nothing was changed. "
    "Check the corrected fields in the admin, then re-parse again."
)
DELETED_MESSAGE = (
    "this file's notice (#{pk}) is in the admin's recycle bin; restore it there instead of ingesting it again."
)


def reparse(notice: Notice) -> IngestResult:
    """Parse a stored notice again from its original bytes."""
    source = notice.source
    try:
        parsed = parse_notice(bytes(source.data), source.filename, source.content_type or None)
    except ParseError as exc:
        return IngestResult("failed", source.filename, notice.pk, str(exc))
    return _apply_reparse(notice, parsed, source.filename)


def _apply_reparse(notice: Notice, parsed: ParsedNotice, filename: str) -> IngestResult:
    """Merge a new parse into a stored notice, keeping hand corrections (see merge.py)."""
    try:
        with transaction.atomic():
            notice = Notice.all_objects.select_for_update().select_related("source").get(pk=notice.pk)
            before = notice_to_json(notice)
            changes = merge_parse(notice, parsed, METADATA_COLUMNS, _agency_for)
            after = notice_to_json(notice)
    except IntegrityError as exc:
        # e.g. a hand-corrected start date after the end date the new parse reads: the correction wins.
        return IngestResult("failed", filename, notice.pk, CONFLICT_MESSAGE.format(detail=str(exc).splitlines()[0]))
    if _comparable(before) == _comparable(after):
        message = "; ".join(["re-parsed; nothing changed", *changes.notes()])
        return IngestResult("unchanged", filename, notice.pk, message, changes)
    return IngestResult("updated", filename, notice.pk, changes.describe(), changes)


def _comparable(doc: dict) -> dict:
    return {k: v for k, v in doc.items() if k not in {"parser_version", "id", "url"}}


def write_parse(notice: Notice, parsed: ParsedNotice) -> None:
    """Copy a parse onto `notice` (saved) and replace its issue tree. Call inside a transaction."""
    meta = parsed.metadata
    for column in METADATA_COLUMNS:
        setattr(notice, column, getattr(meta, column))
    notice.agency_name = meta.agency
    notice.agency = _agency_for(meta) if meta.agency else None
    notice.text = parsed.text
    notice.format = parsed.format
    notice.encoding = parsed.encoding
    notice.figures = parsed.figures.to_json()
    notice.warnings = list(parsed.warnings)
    notice.parser_version = parsed.parser_version
    notice.save(refresh_search=False)  # refreshed below, once the new tree is in
    notice.issues.all().delete()
    store_tree(notice, parsed.issues)
    notice.refresh_derived()


def _agency_for(meta) -> Agency:
    agency, _ = Agency.objects.get_or_create(
        name=meta.agency,
        defaults={"province": meta.province, "city": meta.city, "county": meta.county, "level": meta.level},
    )
    changed = [
        name for name in ("province", "city", "county", "level")
        if getattr(agency, name) is None and getattr(meta, name) is not None
    ]
    for name in changed:
        setattr(agency, name, getattr(meta, name))
    if changed:
        agency.save(update_fields=changed)
    return agency


def store_tree(notice: Notice, issues: Iterable[ParsedIssue]) -> None:
    """Insert the issue tree level by level (parents first), then every measure in one go."""
    position = 0
    # (parsed issue, parent row or None, depth), in document (pre-order) order.
    ordered: list[tuple[ParsedIssue, int | None, int]] = []

    def walk(items: Iterable[ParsedIssue], parent_index: int | None, depth: int) -> None:
        for item in items:
            ordered.append((item, parent_index, depth))
            walk(item.children, len(ordered) - 1, depth + 1)

    walk(issues, None, 0)
    rows: list[Issue] = []
    for item, _parent, depth in ordered:
        rows.append(Issue(
            notice=notice, position=position, depth=depth, category=item.category,
            label=item.label, title=item.title, status=item.status, parsed_title=item.title,
        ))
        position += 1
    for depth in sorted({d for _, _, d in ordered}):
        batch = []
        for row, (_item, parent_index, d) in zip(rows, ordered):
            if d == depth:
                row.parent = rows[parent_index] if parent_index is not None else None
                batch.append(row)
        Issue.objects.bulk_create(batch)
    measures = [
        Measure(issue=row, notice=notice, position=i, label=m.label, text=m.text, parsed_text=m.text)
        for row, (item, _p, _d) in zip(rows, ordered)
        for i, m in enumerate(item.measures)
    ]
    Measure.objects.bulk_create(measures)


def _summary(parsed: ParsedNotice) -> str:
    leaves = _count_leaves(parsed.issues)
    measures = _count_measures(parsed.issues)
    return f"{leaves} issues, {measures} measures"


def _count_leaves(issues: Iterable[ParsedIssue]) -> int:
    return sum(_count_leaves(i.children) if i.children else 1 for i in issues)


def _count_measures(issues: Iterable[ParsedIssue]) -> int:
    return sum(len(i.measures) + _count_measures(i.children) for i in issues)
