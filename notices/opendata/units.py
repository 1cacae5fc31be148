"""The problems and measures a selection shows: rows for the problem/measure endpoints and the problem CSV.

`scope` says which rows a search keeps:

- scope=notice: every problem (measure) of the matching notices;
- scope=problem: the problems whose heading holds all the words and, when topics are chosen,
  that are about one of them (measures: theirs);
- scope=measure: the measures whose text holds all the words (problems: those with such a measure).

Within a unit, `problem:` terms count as words for problems and `measure:` terms for measures.
"""
from __future__ import annotations

import zlib
from dataclasses import replace
from typing import Callable

from django.core.exceptions import EmptyResultSet
from django.db import connections
from django.db.models import Exists, F, OuterRef, Q, QuerySet
from django.http import QueryDict

from ..models import Issue, Measure
from ..search import Query, index_scans, substring_part, unit_condition, units_holding_words
from .caching import while_archive_unchanged
from .selection import Selection


def _unit_query(query: Query, field: str) -> Query:
    """`query` with terms fielded `field` made plain, so that they hold within the unit itself."""
    def plain(term):
        return replace(term, field=None) if term.field == field else term

    return replace(
        query,
        clauses=tuple(tuple(plain(t) for t in clause) for clause in query.clauses),
        excluded=tuple(plain(t) for t in query.excluded),
    )


def _condition(selection: Selection, scope: str) -> Q | None:
    if selection.query.is_empty or scope == "notice":
        return None
    return unit_condition(_unit_query(substring_part(selection.query, selection.whole_words), scope))


def _whole(rows: QuerySet, selection: Selection, scope: str) -> QuerySet:
    """In the word mode, of the problems or measures (`rows`, of `scope`), those holding the words whole."""
    if not selection.whole_words or selection.query.is_empty:
        return rows
    return units_holding_words(rows, _unit_query(selection.query, scope))


def _problem_condition(selection: Selection) -> Q | None:
    """What a problem must satisfy in the problem scope: the words, and a chosen topic as its own."""
    condition = _condition(selection, "problem")
    topics = selection.params.getlist("topic")
    if topics:
        condition = (condition or Q()) & Q(topics__overlap=topics)
    return condition


def problems(selection: Selection) -> QuerySet:
    """The problems (Issue.objects.problems(): no category headings) the selection shows."""
    matching = selection.matching()
    rows = Issue.objects.problems().filter(notice__in=matching)
    if selection.scope == "problem":
        condition = _problem_condition(selection)
        rows = _whole(rows.filter(condition), selection, "problem") if condition is not None else rows
    elif selection.scope == "measure":
        condition = _condition(selection, "measure")
        if condition is not None:
            answering = _whole(Measure.objects.filter(notice__in=matching).filter(condition), selection, "measure")
            rows = rows.filter(Exists(answering.filter(issue=OuterRef("pk"))))
    return _in_notice_order(rows, selection.sort, "notice", ["position"])


def facet_rows(selection: Selection) -> Callable[[QuerySet, QueryDict], QuerySet] | None:
    """What the facets of `selection` count (facets.Problems): in the problem scope its problems
    among the notices given, under the filters given; elsewhere notices (None)."""
    if selection.scope != "problem":
        return None
    return lambda notices, params: problems(replace(selection, params=params, notices=notices)).order_by()


def measures(selection: Selection) -> QuerySet:
    matching = selection.matching()
    rows = Measure.objects.filter(notice__in=matching)
    if selection.scope == "measure":
        condition = _condition(selection, "measure")
        rows = _whole(rows.filter(condition), selection, "measure") if condition is not None else rows
    elif selection.scope == "problem":
        condition = _problem_condition(selection)
        if condition is not None:
            rows = rows.filter(issue__in=_whole(Issue.objects.filter(notice__in=matching).filter(condition),
                                                selection, "problem"))
    return _in_notice_order(rows, selection.sort, "notice", ["issue__position", "position"])


# Counted one by one up to this many rows; past it, estimated, as the web search estimates past
# EXACT_LIMIT candidate notices: a broad word (整改: 105,346 measures at 20,000 notices) took
# 0.6 s a page to count exactly.
EXACT_UNITS = 1000
UNIT_SAMPLE = 400  # notices whose rows are counted for an estimate


def count(rows_of: Callable[[Selection], QuerySet], selection: Selection) -> tuple[int, bool]:
    """How many rows (problems or measures: `rows_of`) `selection` has, and whether that is an estimate.

    Exact up to EXACT_UNITS. Past it, the rows of a fixed pseudo-random sample of the
    selection's notices are counted and scaled to all its notices; the sample depends on
    the search and filters only, so the number stays the same from page to page. Kept for
    each state of the archive: the next page, or the same page asked again, costs no count.
    """
    try:
        notices = str(selection.notices.query)  # the filters, and any narrower base the caller gave
    except EmptyResultSet:
        notices = "nothing"
    key = f"unit-count|{rows_of.__name__}|{selection.scope}|{selection.whole_words}|{selection.query}|{notices}"

    def counted() -> tuple[int, bool]:
        # As the search does: else the planner tests the gram bag of every notice (a scan) where
        # the sample's ids name 400 (problems?q=整改 at 20,000 notices: 0.62 s in that scan).
        with index_scans(selection.notices.db):
            return _count(rows_of, selection)

    return while_archive_unchanged(key, counted)


def _count(rows_of: Callable[[Selection], QuerySet], selection: Selection) -> tuple[int, bool]:
    exact = rows_of(selection).order_by()[:EXACT_UNITS + 1].count()  # stops at the limit
    if exact <= EXACT_UNITS:
        return exact, False
    notices = selection.notices.order_by()
    seed = zlib.crc32(f"{selection.query}|{selection.scope}|{selection.notices.query}".encode())
    ids_sql, params = notices.values("pk").query.sql_with_params()
    with connections[notices.db].cursor() as cursor:  # one scan: how many notices, and the sample
        cursor.execute(
            f"WITH s (id) AS MATERIALIZED ({ids_sql}) SELECT (SELECT count(*) FROM s), "
            f"ARRAY(SELECT id FROM s ORDER BY hashint8extended(id, %s) LIMIT %s)",
            [*params, seed, UNIT_SAMPLE],
        )
        total, sample = cursor.fetchone()
    # The sample's own selection: the search verified on its notices only, not on all of them.
    in_sample = rows_of(replace(selection, notices=notices.filter(pk__in=sample))).order_by().count()
    if len(sample) == total:
        return in_sample, False
    return max(exact, round(in_sample * total / len(sample))), True


def _in_notice_order(rows: QuerySet, sort: str, notice: str, within: list[str]) -> QuerySet:
    """Newest notices first (oldest first for sort=oldest), then document order within each."""
    date = F(f"{notice}__publish_date")
    if sort == "oldest":
        return rows.order_by(date.asc(nulls_last=True), f"{notice}_id", *within)
    return rows.order_by(date.desc(nulls_last=True), F(f"{notice}_id").desc(), *within)
