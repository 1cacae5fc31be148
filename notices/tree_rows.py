"""A parse's problems and measures as plain rows for COPY: the write path of ingest.

Creating a Django Issue or Measure costs more than the rest of ingest's work on that row
(about 10 µs each, for some 60 rows per notice), so ingest builds these light rows
instead and writes them with one COPY per table. The column lists below are checked
against the models on every write (bulk.copy_rows), so a new model field cannot be left
out silently.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from typing import Iterable

from django.db import DEFAULT_DB_ALIAS, connections

from .bulk import array_literal, copy_rows, next_ids
from .models import Issue, Measure, MeasureDerived, ProblemDerived, fill_tree_derived
from .parsing import ParsedIssue


@dataclass(slots=True)
class IssueRow(ProblemDerived):
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
class MeasureRow(MeasureDerived):
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

        def walk(items: Iterable[ParsedIssue], parent: int | None, depth: int) -> None:
            for item in items:
                index = len(tree.issues)
                tree.issues.append(IssueRow(parent, index, depth, item.category, item.label, item.title, item.status))
                tree.measures.extend(MeasureRow(index, i, m.label, m.text) for i, m in enumerate(item.measures))
                walk(item.children, index, depth + 1)

        walk(parsed, None, 0)
        fill_tree_derived([*tree.issues, *tree.measures])
        return tree

    def derived(self) -> tuple[list[tuple[str, list[str], str | None]], list[str]]:
        """What Notice.refresh_derived reads of a tree (see there)."""
        return [(r.fold_text, r.topics, r.status) for r in self.issues], [r.fold_text for r in self.measures]


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
