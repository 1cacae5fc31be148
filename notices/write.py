"""The write side: a parse becomes rows, and every row's derived columns are kept current here.

Every path that writes a notice, a problem or a measure (ingest, its batch COPY, re-parse,
the admin's corrections, import) calls these explicitly; the models recompute nothing
behind the caller's back. What the derived columns hold is derive.py's; this module reads
rows, hands derive.py frozen values and sets what it returns.

- apply_parse: a parse's metadata, text and agency onto a notice (the one copy of a parse).
- flatten / Tree: a parse's problem tree in document order, as rows ready for COPY.
- fill_tree / refresh_notice: the derived columns of problems and measures, then of their notice.
- resolve_agencies: the Agency row of each inspected unit, created when new.
- recount / recount_all: the archive's sums per year, province and level (counts.GroupTally, DayTally).

Creating a Django Issue or Measure costs more than the rest of ingest's work on that row
(about 10 µs each, for some 60 rows per notice), so ingest builds light rows (IssueRow,
MeasureRow) and writes them with one COPY per table. The COPY column lists are checked
against the models on every write (bulk.copy_rows), so a new field cannot be left out silently.
"""
from __future__ import annotations

from dataclasses import dataclass, field, fields
from typing import Any, Iterable, Mapping, NamedTuple, Sequence

from django.db import DEFAULT_DB_ALIAS, connections
from django.db.models import Q

from . import counts, derive
from .bulk import array_literal, copy_rows, next_ids
from .counts import DayTally, GroupTally
from .models import Agency, Issue, Measure, Notice
from .parsing import ParsedIssue, ParsedMeasure, ParsedNotice
from .parsing.types import METADATA_FIELDS, Metadata

# The notice column that holds each metadata field: the parser's `agency` is the name as
# read (agency_name); the Agency row it resolves to is Notice.agency.
NOTICE_METADATA = {("agency_name" if name == "agency" else name): name for name in METADATA_FIELDS}
# What a parse says of a problem and of a measure: what an archivist corrects, a re-parse updates.
ISSUE_FIELDS = tuple(f.name for f in fields(ParsedIssue) if f.name not in ("measures", "children"))
MEASURE_FIELDS = tuple(f.name for f in fields(ParsedMeasure))
PARKED = 1_000_000  # tree positions are unique: rows wait past this while a tree is renumbered
# Columns each model derives from its others (export leaves them out; import rebuilds them).
DERIVED_COLUMNS = {Notice: derive.NOTICE_DERIVED, Issue: derive.PROBLEM_DERIVED, Measure: derive.MEASURE_DERIVED}


# --- a parse onto a notice ------------------------------------------------------------------

@dataclass
class Applied:
    changed: list[str] = field(default_factory=list)  # columns the parse changed
    kept: list[str] = field(default_factory=list)  # hand-corrected columns where the parse differs


def apply_parse(notice: Notice, parsed: ParsedNotice, agencies: Mapping[str, Agency],
                locked: Iterable[str] = ()) -> Applied:
    """Copy a parse onto `notice` (unsaved), except the `locked` (hand-corrected) metadata columns.

    `agencies` maps the parse's agency name to its row (resolve_agencies); the notice's
    derived columns are the caller's to refresh, once its tree is in place.
    """
    meta, locked, applied = parsed.metadata, set(locked), Applied()
    values: dict[str, Any] = {column: getattr(meta, name) for column, name in NOTICE_METADATA.items()}
    values.update(text=parsed.text, format=parsed.format, encoding=parsed.encoding,
                  figures=parsed.figures.to_json(), warnings=list(parsed.warnings),
                  ocr=parsed.ocr.to_json() if parsed.ocr else None)
    for column, value in values.items():
        if getattr(notice, column) == value:
            continue
        if column in locked:
            applied.kept.append(column)
            continue
        setattr(notice, column, value)
        applied.changed.append(column)
    if "agency_name" not in locked:
        notice.agency = agencies[meta.agency] if meta.agency else None
    notice.parser_version = parsed.parser_version
    return applied


def resolve_agencies(metas: Iterable[Metadata]) -> dict[str, Agency]:
    """The Agency row of each metadata's agency, created when new; a region it lacks is filled in."""
    by_name = {m.agency: m for m in metas if m.agency}
    found = {a.name: a for a in Agency.objects.filter(name__in=by_name)}
    missing = [m for name, m in by_name.items() if name not in found]
    if missing:
        Agency.objects.bulk_create(
            [Agency(name=m.agency, province=m.province, city=m.city, county=m.county, level=m.level) for m in missing],
            ignore_conflicts=True,  # another process may create the same agency meanwhile
        )
        found.update({a.name: a for a in Agency.objects.filter(name__in=[m.agency for m in missing])})
    changed = []
    for name, agency in found.items():
        fields = [f for f in ("province", "city", "county", "level")
                  if getattr(agency, f) is None and getattr(by_name[name], f) is not None]
        for f in fields:
            setattr(agency, f, getattr(by_name[name], f))
        if fields:
            changed.append(agency)
    if changed:
        Agency.objects.bulk_update(changed, ["province", "city", "county", "level"])
    return found


def agency_of(notice: Notice) -> Agency | None:
    """The Agency row of the name a notice holds (after a hand correction of agency_name)."""
    if not notice.agency_name:
        return None
    meta = Metadata(agency=notice.agency_name, province=notice.province, city=notice.city, county=notice.county,
                    level=notice.level)
    return resolve_agencies([meta])[notice.agency_name]


# --- the tree -------------------------------------------------------------------------------

class Node(NamedTuple):
    """A parsed problem in document (pre-order) order, with its parent's index in the flat list."""

    parsed: ParsedIssue
    parent: int | None
    depth: int


def flatten(issues: Iterable[ParsedIssue]) -> list[Node]:
    nodes: list[Node] = []

    def walk(items: Iterable[ParsedIssue], parent: int | None, depth: int) -> None:
        for item in items:
            nodes.append(Node(item, parent, depth))
            walk(item.children, len(nodes) - 1, depth + 1)

    walk(issues, None, 0)
    return nodes


@dataclass(slots=True)
class IssueRow:
    parent: int | None  # the index of its parent among the tree's problems
    position: int  # document order within the notice (pre-order)
    depth: int
    category: str | None
    label: str | None
    title: str
    status: str | None
    fold_text: str = ""
    topics: list[str] = field(default_factory=list)


@dataclass(slots=True)
class MeasureRow:
    issue: int  # the index of its problem among the tree's problems
    position: int  # order within the problem
    label: str | None
    text: str
    fold_text: str = ""


# The values of a problem or measure row, in the order insert_trees gives them.
ISSUE_COLUMNS = ("id", "notice_id", "parent_id", "position", "depth", "category", "label", "title", "status",
                 "parsed_title", "corrected_fields", "measures_corrected", "topics", "fold_text")
MEASURE_COLUMNS = ("id", "issue_id", "notice_id", "position", "label", "text", "parsed_text", "corrected_fields",
                   "fold_text")


@dataclass
class Tree:
    """A parse's problems in document (pre-order) order and their measures, derived columns filled."""

    issues: list[IssueRow]
    measures: list[MeasureRow]

    @classmethod
    def of(cls, parsed: Iterable[ParsedIssue]) -> Tree:
        tree = cls([], [])
        for index, node in enumerate(flatten(parsed)):
            item = node.parsed
            tree.issues.append(IssueRow(node.parent, index, node.depth, item.category, item.label, item.title,
                                        item.status))
            tree.measures.extend(MeasureRow(index, i, m.label, m.text) for i, m in enumerate(item.measures))
        fill_tree(tree.issues, tree.measures)
        return tree

    def problems(self) -> tuple[derive.StoredProblem, ...]:
        parents = {r.parent for r in self.issues}
        with_measures = {r.issue for r in self.measures}
        return tuple(
            derive.StoredProblem(r.fold_text, r.topics, r.status,
                                 not derive.is_category_heading(index in parents, index in with_measures))
            for index, r in enumerate(self.issues)
        )


def insert_trees(trees: Iterable[tuple[int, Tree]]) -> None:
    """Insert the trees of stored notices, given as (notice id, tree): one COPY per table for all."""
    trees = list(trees)
    connection = connections[DEFAULT_DB_ALIAS]
    issue_ids = iter(next_ids(connection, Issue, sum(len(tree.issues) for _, tree in trees)))
    measure_ids = iter(next_ids(connection, Measure, sum(len(tree.measures) for _, tree in trees)))
    issues, measures = [], []
    for notice_id, tree in trees:
        ids = [next(issue_ids) for _ in tree.issues]
        issues += [
            (pk, notice_id, None if r.parent is None else ids[r.parent], r.position, r.depth, r.category, r.label,
             r.title, r.status, "", "{}", False, array_literal(r.topics), r.fold_text)
            for pk, r in zip(ids, tree.issues)
        ]
        measures += [
            (next(measure_ids), ids[r.issue], notice_id, r.position, r.label, r.text, "", "{}", r.fold_text)
            for r in tree.measures
        ]
    copy_rows(Issue, ISSUE_COLUMNS, issues)
    copy_rows(Measure, MEASURE_COLUMNS, measures)


# --- derived columns ------------------------------------------------------------------------

def fill_tree(problems: Sequence[Issue | IssueRow], measures: Sequence[Measure | MeasureRow]) -> None:
    """Set the derived columns of problems and measures (unsaved), all their text folded at once."""
    columns = derive.tree_columns([derive.ProblemText(p.title, p.category) for p in problems],
                                  [m.text for m in measures])
    for row, derived in zip(problems, columns.problems):
        row.fold_text, row.topics = derived
    for row, folded in zip(measures, columns.measures):
        row.fold_text = folded


def refresh_notice(notice: Notice, tree: Tree | None = None, *, save: bool = True) -> None:
    """Recompute a notice's derived columns from its metadata, text and tree, and save them.

    `tree` is the tree in hand when the caller holds it (as ingest does before inserting
    it); otherwise the stored problems and measures are read. With save=False the columns
    are only set, for the caller's own write of the row.
    """
    if tree is not None:
        problems, measures = tree.problems(), tuple(r.fold_text for r in tree.measures)
    elif notice.pk:
        issues = list(notice.issues.values_list("pk", "parent_id", "fold_text", "topics", "status"))
        measure_rows = list(notice.measures.values_list("issue_id", "fold_text"))
        parents = {parent for _, parent, *_ in issues}
        with_measures = {issue for issue, _ in measure_rows}
        problems = tuple(
            derive.StoredProblem(*row, not derive.is_category_heading(pk in parents, pk in with_measures))
            for pk, _, *row in issues
        )
        measures = tuple(text for _, text in measure_rows)
    else:
        problems, measures = (), ()
    columns = derive.notice_columns(derive.NoticeText(
        notice.title, notice.text, notice.agency_name, notice.issuer, notice.inspector, problems, measures,
        notice.figures or {},
    ))
    for name in derive.NOTICE_DERIVED:
        setattr(notice, name, getattr(columns, name))
    if save:
        notice.save(update_fields=list(derive.NOTICE_DERIVED))


# --- the archive's sums per year, province and level (counts.GroupTally, DayTally) ------------

def recount(notice_ids: Iterable[int]) -> None:
    """Bring the sums of these notices' groups up to date, after any write of them: new, edited,
    moved to another year, province or level, binned, restored or deleted. In the write's transaction.

    The groups that counted them before (GroupTally.notice_ids) and those they belong to now
    are counted again from their notices, however the notices changed; the DayTally rows of
    their years, provinces, levels and of the archive move by what those groups' days changed.
    """
    ids = list(notice_ids)
    if not ids:
        return
    _one_writer_of_the_sums()
    counted_in = GroupTally.objects.filter(notice_ids__overlap=ids).values_list("year", "province", "level")
    groups = list({*counted_in, *counts.groups_of(Notice.objects.filter(pk__in=ids))})
    counted = GroupTally.objects.filter(counts.in_groups(groups))
    before = [((r.year, r.province, r.level), r.days) for r in counted.only("year", "province", "level", "days")]
    counted.delete()
    rows = GroupTally.objects.bulk_create(counts.group_rows(Notice.objects.filter(counts.in_groups(groups, "notices"))))
    _shift_days(before, [((r.year, r.province, r.level), r.days) for r in rows])


RECOUNT_LOCK = (22, 1)  # an advisory lock key of two integers: a space apart from the single-key locks elsewhere


def _one_writer_of_the_sums() -> None:
    """Until this transaction ends, no other writes the sums: another waits here, then counts what
    this one committed. One lock for all groups (writes are few and short), so two transactions
    that recount several times (a batch written file by file) never wait on each other in a circle."""
    with connections[DEFAULT_DB_ALIAS].cursor() as cursor:
        cursor.execute("SELECT pg_advisory_xact_lock(%s, %s)", list(RECOUNT_LOCK))


def recount_all() -> None:
    """Count every group again (after reindex or import, which rewrite every notice's columns)."""
    _one_writer_of_the_sums()
    GroupTally.objects.all().delete()
    GroupTally.objects.bulk_create(counts.group_rows(Notice.objects.all()))
    DayTally.objects.all().delete()
    DayTally.objects.bulk_create(counts.day_rows(Notice.objects.all()))


def _shift_days(before: list[tuple[tuple, dict]], after: list[tuple[tuple, dict]]) -> None:
    """Move the DayTally rows of the recounted groups by what the groups' days changed."""
    change: dict[tuple, dict[tuple[str, str], int]] = {}
    for sign, groups in ((-1, before), (1, after)):
        for group, days in groups:
            for margin in counts.margins_of(group):
                shift = change.setdefault(margin, {})
                for span, counted in days.items():
                    for n_days, n in counted.items():
                        shift[span, n_days] = shift.get((span, n_days), 0) + sign * n
    change = {margin: {k: n for k, n in shift.items() if n} for margin, shift in change.items()}
    change = {margin: shift for margin, shift in change.items() if shift}
    if not change:
        return
    DayTally.objects.bulk_create([DayTally(dimension=d, value=v) for d, v in change], ignore_conflicts=True)
    chosen = Q(pk__in=[])
    for dimension, value in change:
        chosen |= Q(dimension=dimension, value=value)
    rows = list(DayTally.objects.select_for_update().filter(chosen).order_by("dimension", "value"))
    for row in rows:
        for (span, n_days), n in change[row.dimension, row.value].items():
            counted = row.days.setdefault(span, {})
            counted[n_days] = counted.get(n_days, 0) + n
            if not counted[n_days]:
                del counted[n_days]
        row.days = {span: counted for span, counted in row.days.items() if counted}
    DayTally.objects.bulk_update([r for r in rows if r.days], ["days"])
    DayTally.objects.filter(pk__in=[r.pk for r in rows if not r.days]).delete()
