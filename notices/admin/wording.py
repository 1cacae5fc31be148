"""What the admin says, in Chinese: field names, a re-parse's changes, an upload's outcome."""
from __future__ import annotations

from django.utils.html import format_html

from ..merge import MergeReport
from ..models import Level, Notice, Status

EXTRA_LABELS = {
    "agency": "被巡察单位", "text": "正文", "format": "格式", "encoding": "编码",
    "figures": "通报所列数字", "warnings": "解析提示",
}
PREVIEW_FIELDS = (
    "title", "issuer", "agency", "inspection_kind", "inspection_form", "inspection_round", "inspector",
    "inspection_start", "inspection_end", "feedback_date", "publish_date", "province", "city", "county", "level",
)
LEVEL_LABELS = dict(Level.choices)
STATUS_LABELS = dict(Status.choices)


TREE_LABELS = {
    "category": "类别", "label": "序号", "title": "标题", "status": "状态", "text": "内容",
    "position": "位置", "parent": "上级问题", "measures": "整改措施顺序", "issue": "所属问题",
}


def field_label(name: str) -> str:
    if name in EXTRA_LABELS:
        return EXTRA_LABELS[name]
    try:
        return str(Notice._meta.get_field(name).verbose_name)
    except Exception:
        return name


def describe_changes(report: MergeReport | None) -> str:
    """A re-parse's changes, then what it left alone, as one Chinese sentence."""
    if report is None:
        return ""
    parts = []
    if report.fields_changed:
        parts.append("更新了" + "、".join(field_label(f) for f in report.fields_changed))
    for what, updated, added, removed in (
        ("问题", report.issues_updated, report.issues_added, report.issues_removed),
        ("整改措施", report.measures_updated, report.measures_added, report.measures_removed),
    ):
        bits = [f"{verb} {n} 条" for verb, n in (("更新", updated), ("新增", added), ("删除", removed)) if n]
        if bits:
            parts.append(what + "：" + "、".join(bits))
    if not parts:
        parts.append("没有变化")
    kept = len(report.fields_kept) + report.tree_changes_kept
    if kept:
        parts.append(f"保留了 {kept} 处与新解析结果不同的人工校对")
    if report.issue_list_kept:
        parts.append("问题结构经人工调整，保持不变")
    if report.issues_not_placed or report.measures_not_placed:
        parts.append(f"新解析结果另有 {report.issues_not_placed} 条问题、{report.measures_not_placed} 条整改措施"
                     "因结构经人工调整而未加入，请核对")
    return "；".join(parts)


def reparse_message(notice: Notice, result) -> str:
    title = notice.display_title
    if result.outcome == "failed":
        return format_html("「{}」重新解析失败，未作改动：{}", title, result.message)
    return format_html("已重新解析「{}」：{}。", title, describe_changes(result.changes))


def count_tree(nodes: list[dict]) -> tuple[int, int]:
    """(problems without sub-problems, measures) in a notice-JSON issue tree."""
    problems = measures = 0
    for node in nodes:
        sub_problems, sub_measures = count_tree(node.get("children", []))
        problems += sub_problems if node.get("children") else 1
        measures += len(node.get("measures", [])) + sub_measures
    return problems, measures


def preview_rows(preview: dict) -> list[tuple[str, str | None]]:
    """The parse's metadata as (label, value shown) rows; None where the parser found nothing."""
    rows = []
    for name in PREVIEW_FIELDS:
        value = preview.get(name)
        if name == "level" and value:
            value = LEVEL_LABELS.get(value, value)
        rows.append((field_label(name), value))
    return rows


def correction_field(correction) -> str:
    if not correction.field:
        return "—"
    if correction.target == "notice":
        return field_label(correction.field)
    return TREE_LABELS.get(correction.field, correction.field)


def value_text(value) -> str:
    """A recorded old or new value as a person reads it."""
    if value is None or value == "":
        return "—"
    if isinstance(value, dict):
        shown = [f"{TREE_LABELS.get(k, field_label(k))}：{value_text(v)}" for k, v in value.items()
                 if v not in (None, "", [])]
        return "；".join(shown) or "—"
    if isinstance(value, list):
        return " / ".join(value_text(v) for v in value) or "—"
    if value in STATUS_LABELS:
        return STATUS_LABELS[value]
    if value in LEVEL_LABELS:
        return LEVEL_LABELS[value]
    return str(value)
