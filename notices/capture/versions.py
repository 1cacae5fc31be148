"""Versions of a notice: the same address captured again with other bytes.

The newer capture's file becomes the notice's, re-parsed through the write path
(ingest.ingest_new_version, which keeps hand corrections); the older capture keeps its
file and WARC, and a snapshot of the notice as it was, so the notice page can list the
versions and show what changed in the problems and measures between them.
"""
from __future__ import annotations

import difflib
from dataclasses import dataclass
from datetime import datetime
from typing import Callable

from ..ingest import IngestResult, ingest_new_version
from ..models import Notice
from ..notice_json import notice_to_json
from ..models import Capture


def new_version(previous: Capture, found, record: Callable[[Notice], Capture]) -> IngestResult:
    """Store `found` (attachments.Found) as the newest version of `previous`'s notice."""
    notice = Notice.all_objects.select_for_update().select_related("source").get(pk=previous.notice_id)
    before = notice_to_json(notice)
    data, filename, content_type = found.notice_bytes()
    result = ingest_new_version(notice, data, filename, content_type)
    if result.outcome == "failed":
        return result
    Capture.objects.filter(pk=previous.pk).update(snapshot=before)
    record(notice)
    what = result.message if result.outcome == "updated" else "问题与措施没有变化"
    return IngestResult("updated", result.filename, notice.pk, f"网页已更新，存为新版本（{what}）。", result.changes)


@dataclass(frozen=True)
class Version:
    capture: Capture
    retrieved_at: datetime
    current: bool
    changes: tuple[tuple[str, str], ...]  # ("+" or "-", a problem or measure line) against the version before


def versions_of(notice: Notice) -> list[Version]:
    """The notice's versions from its own address, newest first, each with what changed since the one before."""
    captures = list(notice.captures.filter(role=Capture.Role.MAIN).order_by("retrieved_at", "id"))
    if len(captures) < 2:
        return []
    trees = [c.snapshot for c in captures[:-1]] + [notice_to_json(notice)]
    versions = []
    for i, capture in enumerate(captures):
        changes = tree_changes(trees[i - 1], trees[i]) if i else ()
        versions.append(Version(capture, capture.retrieved_at, i == len(captures) - 1, changes))
    return versions[::-1]


def tree_changes(old: dict | None, new: dict) -> tuple[tuple[str, str], ...]:
    """The problem and measure lines one version has and the other lacks, in document order."""
    before, after = _lines(old or {}), _lines(new)
    out = []
    for tag, i1, i2, j1, j2 in difflib.SequenceMatcher(a=before, b=after, autojunk=False).get_opcodes():
        if tag in ("delete", "replace"):
            out.extend(("-", line) for line in before[i1:i2])
        if tag in ("insert", "replace"):
            out.extend(("+", line) for line in after[j1:j2])
    return tuple(out)


def _lines(doc: dict) -> list[str]:
    lines: list[str] = []

    def walk(issues, depth):
        for issue in issues:
            lines.append("　" * depth + "问题：" + " ".join(filter(None, [issue.get("label"), issue.get("title")])))
            lines.extend("　" * (depth + 1) + "措施：" + (m.get("text") or "") for m in issue.get("measures", []))
            walk(issue.get("children", []), depth + 1)

    walk(doc.get("issues", []), 0)
    return lines
