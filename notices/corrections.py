"""Hand corrections: every edit an archivist makes is recorded (who, when, old and new value)
and marks what it touched, so that a re-parse leaves it alone (merge.py states the rule).

- a notice field edited       -> Correction(change), field added to Notice.corrected_fields
- a problem's field edited    -> Correction(change), field added to Issue.corrected_fields
- a problem added, deleted or moved -> Correction(add/delete/move), Notice.tree_corrected
- a measure's field edited    -> Correction(change), field added to Measure.corrected_fields
- a measure added, deleted or moved -> Correction(add/delete/move), Issue.measures_corrected

The admin calls these; they write the rows and refresh the notice's derived columns once.
"""
from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any, Sequence

from django.db import transaction
from django.utils import timezone

from . import write
from .models import Correction, Issue, Measure, Notice
from .write import ISSUE_FIELDS, MEASURE_FIELDS, PARKED

NOTICE_FIELDS = tuple(write.NOTICE_METADATA)  # the metadata an archivist corrects


def tidy(obj, names: Sequence[str]) -> None:
    """Form values as the parser would have stored them: newlines as \\n, an empty optional field as None.

    Without this, saving an untouched form would "correct" None into "" and lock the field.
    """
    for name in names:
        value = getattr(obj, name)
        if isinstance(value, str):
            value = value.replace("\r\n", "\n")
            if value == "" and obj._meta.get_field(name).null:
                value = None
            setattr(obj, name, value)


def _plain(value: Any) -> Any:
    return value.isoformat() if isinstance(value, dt.date) else value


def _short(text: str | None, limit: int = 60) -> str:
    text = (text or "").replace("\n", " ")
    return text if len(text) <= limit else text[: limit - 1] + "…"


def issue_label(issue: Issue) -> str:
    return _short(" ".join(v for v in (issue.label, issue.title) if v), 200)


def measure_label(measure: Measure) -> str:
    return _short(" ".join(v for v in (measure.label, measure.text) if v), 200)


# --- the notice's metadata ----------------------------------------------------------------

def snapshot(obj, names: Sequence[str]) -> dict[str, Any]:
    return {name: getattr(obj, name) for name in names}


def record_notice_fields(notice: Notice, before: dict[str, Any], user) -> list[str]:
    """Record the metadata fields that differ from `before`, lock them; the notice is saved by the caller."""
    tidy(notice, NOTICE_FIELDS)
    changed = [name for name in NOTICE_FIELDS if name in before and before[name] != getattr(notice, name)]
    Correction.objects.bulk_create([
        Correction(notice=notice, user=user, target=Correction.Target.NOTICE, target_id=notice.pk,
                   target_label=_short(notice.display_title, 200), action=Correction.Action.CHANGE, field=name,
                   old_value=_plain(before[name]), new_value=_plain(getattr(notice, name)))
        for name in changed
    ])
    notice.corrected_fields = sorted({*notice.corrected_fields, *changed})
    if "agency_name" in changed:
        notice.agency = write.agency_of(notice)
    return changed


# --- the problem list ---------------------------------------------------------------------

@dataclass
class Row:
    """One problem or measure as the archivist left it: fields set on `obj` (saved or new), its place."""

    obj: Issue | Measure
    order: float
    parent: Issue | None = None  # problems only


def save_issue_list(notice: Notice, user, rows: list[Row], deleted: list[Issue]) -> None:
    """Save the notice's whole problem list as edited: fields, additions, deletions, order and nesting."""
    with transaction.atomic():
        stored = {i.pk: i for i in Issue.objects.select_for_update().filter(notice=notice)}
        before_order = [pk for pk in sorted(stored, key=lambda pk: stored[pk].position)]
        corrections: list[Correction] = []
        shaped = False
        for issue in deleted:
            old = stored[issue.pk]
            corrections.append(_deletion(notice, user, Correction.Target.ISSUE, old, issue_label(old),
                                         {**snapshot(old, ISSUE_FIELDS), "measures": list(
                                             old.measures.order_by("position").values_list("text", flat=True))}))
            shaped = True
        Issue.objects.filter(pk__in=[i.pk for i in deleted]).delete()

        for index, row in enumerate(rows):
            issue = row.obj
            issue.parent = row.parent
            tidy(issue, ISSUE_FIELDS)
            if issue.pk is None:
                issue.notice, issue.parsed_title, issue.position = notice, None, PARKED * 2 + index
                write.fill_tree([issue], [])
                issue.save()
                corrections.append(_addition(notice, user, Correction.Target.ISSUE, issue, issue_label(issue),
                                             snapshot(issue, ISSUE_FIELDS)))
                shaped = True
            else:
                old = stored[issue.pk]
                changed = [name for name in ISSUE_FIELDS if getattr(old, name) != getattr(issue, name)]
                corrections.extend(_changes(notice, user, Correction.Target.ISSUE, issue, issue_label(old), old, changed))
                issue.corrected_fields = sorted({*old.corrected_fields, *changed})
                issue.remember_parser_words(old.parser_words())

        order = _preorder(rows)
        moved = _moved(survivors=[pk for pk in before_order if pk in {r.obj.pk for r in rows}],
                       after=[row.obj.pk for row in order if row.obj.pk in stored])
        for position, row in enumerate(order):
            old = stored.get(row.obj.pk)
            if old is None:
                continue
            if old.parent_id != (row.parent.pk if row.parent else None) or old.pk in moved:
                corrections.append(Correction(
                    notice=notice, user=user, target=Correction.Target.ISSUE, target_id=old.pk,
                    target_label=issue_label(old), action=Correction.Action.MOVE, field="position",
                    old_value={"position": old.position + 1, "parent": _parent_label(old.parent)},
                    new_value={"position": position + 1, "parent": _parent_label(row.parent)},
                ))
                shaped = True
        _renumber_issues(order)
        Correction.objects.bulk_create(corrections)
        if shaped and not notice.tree_corrected:
            notice.tree_corrected = True
            Notice.all_objects.filter(pk=notice.pk).update(tree_corrected=True)
        write.refresh_notice(notice)
        write.recount([notice.pk])
        if corrections:
            touch(notice)


def _moved(survivors: list[int], after: list[int]) -> set[int]:
    """The rows that moved: those outside the longest runs kept in the same order."""
    from difflib import SequenceMatcher

    matcher = SequenceMatcher(None, survivors, after, autojunk=False)
    kept = {pk for block in matcher.get_matching_blocks() for pk in survivors[block.a:block.a + block.size]}
    return set(after) - kept


def _parent_label(parent: Issue | None) -> str | None:
    return issue_label(parent) if parent is not None else None


def _preorder(rows: list[Row]) -> list[Row]:
    """Rows in document order: each parent before its children, siblings by the order given."""
    children: dict[int | None, list[Row]] = {}
    for index, row in enumerate(rows):
        key = row.parent.pk if row.parent is not None else None
        children.setdefault(key, []).append(row)
    known = {row.obj.pk for row in rows}
    for key in list(children):
        if key is not None and key not in known:  # a parent that is gone: hang the rows at the top
            children.setdefault(None, []).extend(children.pop(key))
    out: list[Row] = []

    def walk(key: int | None, depth: int) -> None:
        for row in sorted(children.get(key, []), key=lambda r: r.order):
            row.obj.depth = depth
            out.append(row)
            if row.obj.pk is not None:
                walk(row.obj.pk, depth + 1)

    walk(None, 0)
    return out


def _renumber_issues(order: list[Row]) -> None:
    issues = [row.obj for row in order]
    for issue in issues:
        issue.position += PARKED * 3
    write.fill_tree(issues, [])
    # Fields first, at parked positions; then the final positions (unique per notice).
    Issue.objects.bulk_update(issues, ["position", "depth", "parent", *ISSUE_FIELDS, "corrected_fields",
                                       "parsed_title", "fold_text", "topics"])
    for position, issue in enumerate(issues):
        issue.position = position
    Issue.objects.bulk_update(issues, ["position"])


# --- one problem's measures ---------------------------------------------------------------

def save_issue(issue: Issue, user) -> list[str]:
    """Save a problem's own fields as edited on its page; record and lock what changed."""
    with transaction.atomic():
        old = Issue.objects.select_for_update().get(pk=issue.pk)
        tidy(issue, ISSUE_FIELDS)
        changed = [name for name in ISSUE_FIELDS if getattr(old, name) != getattr(issue, name)]
        Correction.objects.bulk_create(
            _changes(issue.notice, user, Correction.Target.ISSUE, issue, issue_label(old), old, changed)
        )
        issue.corrected_fields = sorted({*old.corrected_fields, *changed})
        issue.remember_parser_words(old.parser_words())
        write.fill_tree([issue], [])
        issue.save()
        write.refresh_notice(issue.notice)  # the notice's search columns cover its tree
        write.recount([issue.notice_id])
        if changed:
            touch(issue.notice)
    return changed


def save_measure_list(issue: Issue, user, rows: list[Row], deleted: list[Measure]) -> None:
    """Save a problem's measures as edited: fields, additions, deletions and order."""
    notice = issue.notice
    with transaction.atomic():
        stored = {m.pk: m for m in Measure.objects.select_for_update().filter(issue=issue)}
        corrections: list[Correction] = []
        shaped = False
        for measure in deleted:
            old = stored[measure.pk]
            corrections.append(_deletion(notice, user, Correction.Target.MEASURE, old, measure_label(old),
                                         {**snapshot(old, MEASURE_FIELDS), "issue": issue_label(issue)}))
            shaped = True
        Measure.objects.filter(pk__in=[m.pk for m in deleted]).delete()
        order = sorted(rows, key=lambda r: r.order)
        survivors = [pk for pk in sorted(stored, key=lambda pk: stored[pk].position) if pk not in {m.pk for m in deleted}]
        for position, row in enumerate(order):
            measure = row.obj
            tidy(measure, MEASURE_FIELDS)
            if measure.pk is None:
                measure.issue, measure.notice, measure.parsed_text = issue, notice, None
                measure.position = PARKED * 2 + position
                write.fill_tree([], [measure])
                measure.save()
                corrections.append(_addition(notice, user, Correction.Target.MEASURE, measure, measure_label(measure),
                                             {**snapshot(measure, MEASURE_FIELDS), "issue": issue_label(issue)}))
                shaped = True
                continue
            old = stored[measure.pk]
            changed = [name for name in MEASURE_FIELDS if getattr(old, name) != getattr(measure, name)]
            corrections.extend(_changes(notice, user, Correction.Target.MEASURE, measure, measure_label(old), old, changed))
            measure.corrected_fields = sorted({*old.corrected_fields, *changed})
            measure.remember_parser_words(old.parser_words())
        after = [row.obj.pk for row in order if row.obj.pk in stored]
        if after != survivors:
            corrections.append(Correction(
                notice=notice, user=user, target=Correction.Target.ISSUE, target_id=issue.pk,
                target_label=issue_label(issue), action=Correction.Action.MOVE, field="measures",
                old_value=[measure_label(stored[pk]) for pk in survivors],
                new_value=[measure_label(stored[pk]) for pk in after],
            ))
            shaped = True
        measures = [row.obj for row in order]
        for measure in measures:
            measure.position += PARKED * 3
        write.fill_tree([], measures)
        Measure.objects.bulk_update(measures, ["position", *MEASURE_FIELDS, "corrected_fields", "parsed_text",
                                               "fold_text"])
        for position, measure in enumerate(measures):
            measure.position = position
        Measure.objects.bulk_update(measures, ["position"])
        Correction.objects.bulk_create(corrections)
        if shaped and not issue.measures_corrected:
            issue.measures_corrected = True
            Issue.objects.filter(pk=issue.pk).update(measures_corrected=True)
        write.refresh_notice(notice)
        write.recount([notice.pk])
        if corrections:
            touch(notice)


def touch(notice: Notice) -> None:
    """A change to the tree is a change to the notice: updated_at is the open data's Last-Modified."""
    Notice.all_objects.filter(pk=notice.pk).update(updated_at=timezone.now())


# --- Correction rows ----------------------------------------------------------------------

def _changes(notice, user, target, obj, label, old, names) -> list[Correction]:
    return [
        Correction(notice=notice, user=user, target=target, target_id=obj.pk, target_label=label,
                   action=Correction.Action.CHANGE, field=name,
                   old_value=_plain(getattr(old, name)), new_value=_plain(getattr(obj, name)))
        for name in names
    ]


def _addition(notice, user, target, obj, label, values) -> Correction:
    return Correction(notice=notice, user=user, target=target, target_id=obj.pk, target_label=label,
                      action=Correction.Action.ADD, new_value={k: _plain(v) for k, v in values.items()})


def _deletion(notice, user, target, obj, label, values) -> Correction:
    return Correction(notice=notice, user=user, target=target, target_id=obj.pk, target_label=label,
                      action=Correction.Action.DELETE, old_value={k: _plain(v) for k, v in values.items()})


# --- the recycle bin ----------------------------------------------------------------------

def move_to_recycle_bin(notices, user) -> int:
    """Soft-delete: the public pages stop showing the notices; everything stays, restorable."""
    now = timezone.now()
    with transaction.atomic():
        moved = Notice.all_objects.filter(pk__in=[n.pk for n in notices], deleted_at__isnull=True).update(
            deleted_at=now, deleted_by=user, updated_at=now,
        )
        write.recount(n.pk for n in notices)
    return moved


def restore(notices) -> int:
    with transaction.atomic():
        restored = Notice.all_objects.filter(pk__in=[n.pk for n in notices], deleted_at__isnull=False).update(
            deleted_at=None, deleted_by=None, updated_at=timezone.now(),
        )
        write.recount(n.pk for n in notices)
    return restored
