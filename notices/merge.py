"""A new parse of a stored notice meets the archivists' hand corrections.

The rule (also in README.md, "Corrections and re-parsing"):

1. Metadata, field by field: a field an archivist corrected keeps the hand value; every
   other field takes the new parse's value. Text, figures and warnings always follow the parse.
2. Problems are found again in the new parse by the parser's own words: each stored problem
   remembers the title the parser gave it (`Issue.parser_words()`). The two sequences are
   aligned in document order, identical titles first, then close ones (similarity >= 0.6)
   between them; a problem added by hand has no parser words and matches nothing.
3. A matched problem takes the new parse's category, label, title and status, except the
   fields an archivist corrected.
4. The problem list follows the new parse (problems appear, disappear, move and re-nest as
   the parser now reads them) unless an archivist shaped it (added, deleted or moved a
   problem: `Notice.tree_corrected`) or a problem that carries hand work has no match in the
   new parse. Then the list stays as the archivist left it, only matched problems are
   updated, and the report counts what the new parse has that the list lacks.
5. Each problem's measures: the same rule, per problem, keyed by the parser's text
   (`Measure.parser_words()`, `Issue.measures_corrected`).

Nothing corrected by hand is ever overwritten or deleted by a re-parse.
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field
from difflib import SequenceMatcher
from typing import Sequence

from django.utils import timezone

from . import write
from .models import Issue, Measure, Notice
from .parsing import ParsedIssue, ParsedMeasure, ParsedNotice
from .write import ISSUE_FIELDS, MEASURE_FIELDS, PARKED, Node, flatten

SIMILAR = 0.6
_SPACE = re.compile(r"\s+")
# The columns a merge may write on a stored row (its content, then its place); only rows
# where one of them changed are written.
ISSUE_CONTENT = (*ISSUE_FIELDS, "parsed_title", "fold_text", "topics")
ISSUE_WRITTEN = ("position", "depth", "parent", *ISSUE_CONTENT)
MEASURE_CONTENT = (*MEASURE_FIELDS, "parsed_text", "fold_text")
MEASURE_WRITTEN = ("position", *MEASURE_CONTENT)


@dataclass
class MergeReport:
    """What a re-parse changed, and what it left alone because an archivist had corrected it."""

    fields_changed: list[str] = field(default_factory=list)  # notice fields the parse changed
    fields_kept: list[str] = field(default_factory=list)  # corrected fields where the parse differs
    issues_updated: int = 0
    issues_added: int = 0
    issues_removed: int = 0
    measures_updated: int = 0
    measures_added: int = 0
    measures_removed: int = 0
    tree_changes_kept: int = 0  # corrected problem/measure fields where the parse differs
    issue_list_kept: bool = False  # the problem list was shaped by hand and kept
    issues_not_placed: int = 0  # new-parse problems the kept list lacks
    measures_not_placed: int = 0

    @property
    def changed(self) -> bool:
        return bool(
            self.fields_changed or self.issues_updated or self.issues_added or self.issues_removed
            or self.measures_updated or self.measures_added or self.measures_removed
        )

    def describe(self) -> str:
        """One line for the commands' report: what changed, then what was kept."""
        parts = []
        if self.fields_changed:
            parts.append("changed " + ", ".join(self.fields_changed))
        parts.extend(_counts(("problems", self.issues_updated, self.issues_added, self.issues_removed),
                             ("measures", self.measures_updated, self.measures_added, self.measures_removed)))
        return "; ".join(parts + self.notes()) or "nothing changed"

    def notes(self) -> list[str]:
        """What the re-parse left alone because of hand corrections."""
        notes = []
        kept = len(self.fields_kept) + self.tree_changes_kept
        if kept:
            notes.append(f"kept {kept} hand corrections")
        if self.issue_list_kept:
            notes.append("kept the hand-shaped problem list")
        if self.issues_not_placed or self.measures_not_placed:
            notes.append(f"not added: {self.issues_not_placed} problems, {self.measures_not_placed} measures "
                         "the new parse has (review them in the admin)")
        return notes


def _counts(*rows: tuple[str, int, int, int]) -> list[str]:
    out = []
    for name, updated, added, removed in rows:
        bits = [f"{n} {what}" for n, what in ((updated, "updated"), (added, "added"), (removed, "removed")) if n]
        if bits:
            out.append(f"{name}: " + ", ".join(bits))
    return out


# --- alignment ----------------------------------------------------------------------------

def _key(text: str | None) -> str | None:
    return _SPACE.sub("", text) if text else None


def align(old: Sequence[str | None], new: Sequence[str]) -> dict[int, int]:
    """Old index -> new index, order-preserving: identical keys first, then similar ones in the gaps.

    A None key (a row added by hand) never matches.
    """
    old_keys = [_key(k) if k is not None else ("hand", i) for i, k in enumerate(old)]
    new_keys = [_key(k) for k in new]
    pairs: dict[int, int] = {}
    matcher = SequenceMatcher(None, old_keys, new_keys, autojunk=False)
    for tag, i1, i2, j1, j2 in matcher.get_opcodes():
        if tag == "equal":
            pairs.update(zip(range(i1, i2), range(j1, j2)))
        elif tag == "replace":
            start = j1
            for i in range(i1, i2):
                if not isinstance(old_keys[i], str):
                    continue
                best, best_ratio = None, SIMILAR
                for j in range(start, j2):
                    candidate = SequenceMatcher(None, old_keys[i], new_keys[j], autojunk=False)
                    if candidate.quick_ratio() >= best_ratio and candidate.ratio() >= best_ratio:
                        best, best_ratio = j, candidate.ratio()
                if best is not None:
                    pairs[i] = best
                    start = best + 1
    return pairs


# --- the merge ----------------------------------------------------------------------------

def merge_parse(notice: Notice, parsed: ParsedNotice) -> MergeReport:
    """Apply `parsed` to a stored notice by the rule above. Call inside a transaction, the notice locked."""
    report = MergeReport()
    meta = parsed.metadata
    locked = notice.corrected_fields
    agencies = write.resolve_agencies([meta]) if meta.agency and "agency_name" not in locked else {}
    applied = write.apply_parse(notice, parsed, agencies, locked)
    report.fields_changed, report.fields_kept = applied.changed, applied.kept
    # Only what changed: an unchanged re-parse must not move updated_at (the open data's Last-Modified).
    notice.save(update_fields=[*report.fields_changed, "agency", "parser_version"])

    issues = list(Issue.objects.filter(notice=notice).order_by("position"))
    measures: dict[int, list[Measure]] = {issue.pk: [] for issue in issues}
    for measure in Measure.objects.filter(notice=notice).order_by("issue_id", "position"):
        measures[measure.issue_id].append(measure)
    loaded = _Loaded(issues, [m for rows in measures.values() for m in rows])
    nodes = flatten(parsed.issues)
    pairs = align([i.parser_words() for i in issues], [n.parsed.title for n in nodes])
    measure_pairs = {
        i: align([m.parser_words() for m in measures[issues[i].pk]], [m.text for m in nodes[j].parsed.measures])
        for i, j in pairs.items()
    }

    def hand_work(i: int) -> bool:
        issue = issues[i]
        return bool(issue.corrected_fields or issue.measures_corrected or issue.parser_words() is None
                    or any(m.corrected_fields for m in measures[issue.pk]))

    follow = not notice.tree_corrected and all(i in pairs for i in range(len(issues)) if hand_work(i))
    report.issue_list_kept = not follow and bool(issues)
    updated = [issues[i] for i, j in pairs.items() if _update_fields(issues[i], nodes[j].parsed, ISSUE_FIELDS, report)]
    report.issues_updated = len(updated)
    write.fill_tree(updated, [])
    for i, j in pairs.items():
        issues[i].remember_parser_words(nodes[j].parsed.title)
    if follow:
        _follow_issue_list(notice, issues, measures, pairs, nodes, report, loaded)
    else:
        report.issues_not_placed = len(nodes) - len(pairs)
        loaded.save_changed(Issue, issues, ISSUE_CONTENT)
    for i, j in pairs.items():
        _merge_measures(issues[i], measures[issues[i].pk], nodes[j].parsed.measures, measure_pairs[i], report, loaded)
    write.refresh_notice(notice)
    write.recount([notice.pk])
    if report.changed:
        notice.updated_at = timezone.now()
        notice.save(update_fields=["updated_at"])
    return report


class _Loaded:
    """The values of the columns a merge may write, as the stored rows were read: only rows
    that differ from them are written back (Django's bulk_update costs about a millisecond a
    row, and an unchanged re-parse changes no row)."""

    def __init__(self, issues: list[Issue], measures: list[Measure]) -> None:
        self.values = {(Issue, row.pk): self._read(row, ISSUE_WRITTEN) for row in issues}
        self.values.update({(Measure, row.pk): self._read(row, MEASURE_WRITTEN) for row in measures})

    @staticmethod
    def _read(row: Issue | Measure, fields: Sequence[str]) -> dict:
        return {name: getattr(row, row._meta.get_field(name).attname) for name in fields}

    def park(self, model, rows: list) -> None:
        """Move `rows` out of the way of the positions they are given next (they are written
        back whole then)."""
        for row in rows:
            row.position += PARKED
            self.values.pop((model, row.pk), None)
        model.objects.bulk_update(rows, ["position"])

    def save_changed(self, model, rows: list, fields: Sequence[str]) -> None:
        changed = [row for row in rows if self._differs(model, row, fields)]
        if changed:
            model.objects.bulk_update(changed, fields)

    def _differs(self, model, row, fields: Sequence[str]) -> bool:
        before = self.values.get((model, row.pk))
        return before is None or self._read(row, fields) != {name: before[name] for name in fields}


def _update_fields(row: Issue | Measure, parsed: ParsedIssue | ParsedMeasure, names: Sequence[str], report: MergeReport) -> bool:
    """Copy the uncorrected fields from the parse onto `row` (unsaved); whether any changed."""
    changed = False
    for name in names:
        value = getattr(parsed, name)
        if getattr(row, name) == value:
            continue
        if name in row.corrected_fields:
            report.tree_changes_kept += 1
            continue
        setattr(row, name, value)
        changed = True
    return changed


def _follow_issue_list(notice, issues, measures, pairs, nodes, report, loaded: _Loaded) -> None:
    """Make the stored problem list the new parse's: matched rows move, new rows come, unmatched go."""
    # Unless every stored row stays where it is, every one waits at a parked position, so
    # that the final ones never collide.
    if len(pairs) < len(issues) or any(issues[i].position != j for i, j in pairs.items()):
        loaded.park(Issue, issues)
    row_for_node = {j: issues[i] for i, j in pairs.items()}
    # New rows level by level, so that every parent has its id before its children are written.
    created: list[tuple[Issue, Node]] = []
    for depth in sorted({node.depth for node in nodes}):
        batch = []
        for j, node in enumerate(nodes):
            if node.depth != depth or j in row_for_node:
                continue
            item = node.parsed
            row = Issue(notice=notice, category=item.category, label=item.label, title=item.title,
                        status=item.status, parsed_title="", position=PARKED * 2 + j, depth=depth,
                        parent=row_for_node[node.parent] if node.parent is not None else None)
            row_for_node[j] = row
            batch.append(row)
            created.append((row, node))
        write.fill_tree(batch, [])
        Issue.objects.bulk_create(batch)
    report.issues_added = len(created)
    for row, node in created:
        _create_measures(row, notice, node.parsed.measures, report)
    for j, node in enumerate(nodes):
        row = row_for_node[j]
        row.position, row.depth = j, node.depth
        row.parent = row_for_node[node.parent] if node.parent is not None else None
    loaded.save_changed(Issue, list(row_for_node.values()), ISSUE_WRITTEN)
    # Only now: a gone parent's matched children have been re-hung, so the cascade takes nothing kept.
    gone = [issue for i, issue in enumerate(issues) if i not in pairs]
    report.issues_removed = len(gone)
    report.measures_removed += sum(len(measures[issue.pk]) for issue in gone)
    Issue.objects.filter(pk__in=[issue.pk for issue in gone]).delete()


def _create_measures(issue: Issue, notice: Notice, parsed: Sequence[ParsedMeasure], report: MergeReport) -> None:
    rows = [Measure(issue=issue, notice=notice, position=k, label=m.label, text=m.text, parsed_text="")
            for k, m in enumerate(parsed)]
    write.fill_tree([], rows)
    Measure.objects.bulk_create(rows)
    report.measures_added += len(parsed)


def _merge_measures(issue: Issue, stored: list[Measure], parsed: Sequence[ParsedMeasure],
                    pairs: dict[int, int], report: MergeReport, loaded: _Loaded) -> None:
    """One problem's measures, by the same rule as the problem list."""
    updated = [stored[k] for k, j in pairs.items() if _update_fields(stored[k], parsed[j], MEASURE_FIELDS, report)]
    report.measures_updated += len(updated)
    write.fill_tree([], updated)
    for k, j in pairs.items():
        stored[k].remember_parser_words(parsed[j].text)
    follow = not issue.measures_corrected and all(
        k in pairs for k, m in enumerate(stored) if m.corrected_fields or m.parser_words() is None
    )
    if not follow:
        report.measures_not_placed += len(parsed) - len(pairs)
        loaded.save_changed(Measure, stored, MEASURE_CONTENT)
        return
    gone = [m.pk for k, m in enumerate(stored) if k not in pairs]
    report.measures_removed += len(gone)
    Measure.objects.filter(pk__in=gone).delete()
    kept = [m for k, m in enumerate(stored) if k in pairs]
    # As for problems: rows wait at parked positions unless every kept one stays where it is.
    if any(stored[k].position != j for k, j in pairs.items()):
        loaded.park(Measure, kept)
    by_new = {j: stored[k] for k, j in pairs.items()}
    fresh = []
    for j, item in enumerate(parsed):
        if j in by_new:
            by_new[j].position = j
        else:
            fresh.append(Measure(issue=issue, notice_id=issue.notice_id, position=j, label=item.label,
                                 text=item.text, parsed_text=""))
    loaded.save_changed(Measure, kept, MEASURE_WRITTEN)
    write.fill_tree([], fresh)
    Measure.objects.bulk_create(fresh)
    report.measures_added += len(fresh)
