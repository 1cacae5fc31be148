"""A stored notice in the notice JSON format (docs/notice-json.md), rebuilt from its rows in document order."""
from __future__ import annotations

import datetime as dt
from collections import defaultdict
from typing import Any

from .models import Capture, Issue, Measure, Notice
from .write import NOTICE_METADATA


def _plain(value: Any) -> Any:
    return value.isoformat() if isinstance(value, dt.date) else value


def issue_tree(notice: Notice) -> list[dict[str, Any]]:
    """The notice's issues as nested dicts, each with its measures, in document order."""
    issues = list(Issue.objects.filter(notice=notice).order_by("position"))
    measures: dict[int, list[Measure]] = defaultdict(list)
    for measure in Measure.objects.filter(notice=notice).order_by("issue_id", "position"):
        measures[measure.issue_id].append(measure)
    nodes: dict[int, dict[str, Any]] = {}
    roots: list[dict[str, Any]] = []
    for issue in issues:
        node = {
            "id": issue.pk,
            "category": issue.category,
            "label": issue.label,
            "title": issue.title,
            "status": issue.status,
            "measures": [{"id": m.pk, "label": m.label, "text": m.text} for m in measures[issue.pk]],
            "children": [],
        }
        nodes[issue.pk] = node
        (nodes[issue.parent_id]["children"] if issue.parent_id else roots).append(node)
    return roots


def notice_to_json(notice: Notice, *, with_ids: bool = False) -> dict[str, Any]:
    out: dict[str, Any] = {"file": notice.source.filename, "source": source_of(notice)}
    for column, name in NOTICE_METADATA.items():
        out[name] = _plain(getattr(notice, column))
    tree = issue_tree(notice)
    if not with_ids:
        _strip_ids(tree)
    out["issues"] = tree
    out["figures"] = notice.figures
    out["warnings"] = notice.warnings
    out["format"] = notice.format
    out["encoding"] = notice.encoding
    out["parser_version"] = notice.parser_version
    if with_ids:
        out["id"] = notice.pk
        out["sha256"] = notice.source.sha256
    return out


def source_of(notice: Notice) -> dict[str, Any] | None:
    """Where and when the notice was captured from the web (its newest capture as the notice's
    source); None for a notice that came as a file."""
    capture = notice.captures.filter(role=Capture.Role.MAIN).order_by("-retrieved_at", "-id").first()
    return capture.source_json() if capture is not None else None


def _strip_ids(nodes: list[dict[str, Any]]) -> None:
    for node in nodes:
        node.pop("id", None)
        for measure in node["measures"]:
            measure.pop("id", None)
        _strip_ids(node["children"])
