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
from contextlib import nullcontext
from dataclasses import dataclass, replace
from typing import Callable

from django.core.exceptions import EmptyResultSet
from django.db import connections
from django.db.models import Exists, F, OuterRef, Q, QuerySet, Subquery
from django.http import QueryDict

from ..models import Issue, Measure, Notice
from ..search import (
    Query, among, ids_of, index_scans, matching, problems_holding, substring_part, unit_condition, units_holding_words, unverified,
)
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


def _notices(selection: Selection) -> QuerySet:
    """The notices whose rows the selection shows, for rows that test the words themselves: in the
    substring mode, without the notices' own test that a unit holds them (see search.matching)."""
    if selection.whole_words:
        return selection.matching()
    return matching(selection.notices, selection.query, selection.scope, units=False)


def problems(selection: Selection, notices: QuerySet | None = None) -> QuerySet:
    """The problems (Issue.objects.problems(): no category headings) the selection shows (among
    `notices`, given: some of those that may hold them)."""
    matching = _notices(selection) if notices is None else notices
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


def measures(selection: Selection, notices: QuerySet | None = None) -> QuerySet:
    matching = _notices(selection) if notices is None else notices
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
# Past this many notices still to read for the rows wanted, a problem search asks the index of
# problems' character pairs which notices can hold them (the words are rare among problems).
SPARSE_AFTER = 1000
FIRST_NOTICES = 100  # notices read for the first rows; then as many as the density seen asks, at most twice as many


@dataclass(frozen=True)
class Walk:
    """The first rows of a selection, found notice by notice in display order."""

    ids: list[int]  # the rows' ids, in display order
    notices: list[int]  # the candidates: every notice that may hold rows, in display order
    check: Q  # what a candidate must satisfy to hold rows (but for the rows' own test)
    complete: bool  # every one of them was read: `ids` are all the rows


def count(rows_of: Callable[..., QuerySet], selection: Selection) -> tuple[int, bool]:
    """How many rows (problems or measures: `rows_of`) `selection` has, and whether that is an estimate.

    Exact up to EXACT_UNITS. Past it, the rows of a fixed pseudo-random sample of the
    notices that may hold them are counted and scaled to all of them; the sample depends on
    the search and filters only, so the number stays the same from page to page. Kept for
    each state of the archive: the next page, or the same page asked again, costs no count.
    """
    return _counted(rows_of, selection, None)


def page(rows_of: Callable[..., QuerySet], selection: Selection, offset: int, size: int) -> tuple[int, bool, list[int]]:
    """The count (as count() gives it) and the ids of the rows offset .. offset + size, in display order."""
    walked: list[Walk] = []
    total, estimated = _counted(rows_of, selection, walked, offset + size)
    if not walked:  # the count was kept: only the rows are read
        with _searching(selection):
            walked.append(_walk(rows_of, selection, offset + size))
    return total, estimated, walked[0].ids[offset:offset + size]


def _counted(rows_of, selection: Selection, walked: list[Walk] | None, wanted: int = 0) -> tuple[int, bool]:
    try:
        notices = str(selection.notices.query)  # the filters, and any narrower base the caller gave
    except EmptyResultSet:
        notices = "nothing"
    key = f"unit-count|{rows_of.__name__}|{selection.scope}|{selection.whole_words}|{selection.query}|{notices}"

    def counted() -> tuple[int, bool]:
        # As the search does: else the planner tests the gram bag of every notice (a scan) where
        # the sample's ids name 400 (problems?q=整改 at 20,000 notices: 0.62 s in that scan).
        with _searching(selection):
            if selection.whole_words:
                return _count_words(rows_of, selection)
            found = _walk(rows_of, selection, max(wanted, EXACT_UNITS + 1))
            if walked is not None:
                walked.append(found)  # the page's rows come with it
            return _count(rows_of, selection, found)

    return while_archive_unchanged(key, counted)


def _searching(selection: Selection):
    """The search's planner settings (search.index_scans), when there are words to look up."""
    return nullcontext() if selection.query.is_empty else index_scans(selection.notices.db)


def _walk(rows_of, selection: Selection, wanted: int) -> Walk:
    """The first `wanted` rows of the selection (all of them, if fewer), in display order.

    The notices that may hold rows are listed in display order once (the GIN index finds
    them); then their rows are read, a growing batch of notices at a time, until there are
    enough. Left to itself, the planner (which cannot tell how many notices the gram bag
    passes) either sorts every matching row (measures?q=殡葬: 9,263, 1.1 s) or walks every
    notice testing rows until the page is full.
    """
    if selection.whole_words:  # rows are tested one by one in Python anyway: the whole query
        return Walk(ids_of(rows_of(selection)), [], Q(), True)
    pool, check = unverified(selection.notices, selection.query, selection.scope)
    notices = ids_of(pool.order_by(*_notice_order(selection.sort)))
    rank = {pk: i for i, pk in enumerate(notices)}
    holding = problems_holding(_unit_query(selection.query, "problem")) if selection.scope == "problem" else None
    rows: list[tuple] = []
    start, size = 0, FIRST_NOTICES
    while start < len(notices) and len(rows) < wanted:
        batch = Notice.objects.filter(among(notices[start:start + size])).filter(check)
        found = _in_document_order(rows_of(selection, batch).order_by(), rows_of)
        rows.extend(sorted(found, key=lambda row: (rank[row[0]], *row[1:])))
        start += size
        per_notice = len(rows) / start
        ahead = (wanted - len(rows)) / per_notice if rows else len(notices)  # notices still to read
        if holding is not None and ahead > SPARSE_AFTER:
            # Few of the problems of these notices hold the words: keep only the notices of
            # those that may (the index finds them), rather than test every problem of the rest.
            kept = set(holding.order_by().values_list("notice_id", flat=True))
            notices[start:] = [pk for pk in notices[start:] if pk in kept]
            holding = None
        # Enough notices for the rows still wanted at the density seen so far, a fifth more
        # in case it drops; at most twice as many as the last time.
        size = min(2 * size, max(FIRST_NOTICES, int(1.2 * ahead)))
    return Walk([row[-1] for row in rows[:wanted]], notices, check, start >= len(notices))


def _count(rows_of, selection: Selection, found: Walk) -> tuple[int, bool]:
    if found.complete and len(found.ids) <= EXACT_UNITS:
        return len(found.ids), False
    seed = zlib.crc32(f"{selection.query}|{selection.scope}|{selection.notices.query}".encode())
    sample = sorted(found.notices, key=lambda pk: zlib.crc32(pk.to_bytes(8, "little"), seed))[:UNIT_SAMPLE]
    in_sample = rows_of(selection, Notice.objects.filter(among(sample)).filter(found.check)).order_by().count()
    if len(sample) == len(found.notices):
        return in_sample, False
    return max(EXACT_UNITS + 1, round(in_sample * len(found.notices) / len(sample))), True


def _count_words(rows_of, selection: Selection) -> tuple[int, bool]:
    """The word mode's count: exact up to EXACT_UNITS, else from the rows of a sample of the
    selection's notices (its rows are tested one by one in Python, however they are found)."""
    exact = rows_of(selection).order_by()[:EXACT_UNITS + 1].count()
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
    in_sample = rows_of(replace(selection, notices=notices.filter(pk__in=sample))).order_by().count()
    if len(sample) == total:
        return in_sample, False
    return max(exact, round(in_sample * total / len(sample))), True


def _in_document_order(rows: QuerySet, rows_of) -> QuerySet:
    """(notice, place in the notice..., id) of each row: what orders them within a notice. A
    measure's problem is looked up row by row: joined, the planner (which takes the substring
    test to pass a third of all measures) hashes every problem of the archive first (0.4 s)."""
    if rows_of is measures:
        problem = Issue.objects.filter(pk=OuterRef("issue_id")).values("position")
        return rows.annotate(problem_position=Subquery(problem)).values_list(
            "notice_id", "problem_position", "position", "pk")
    return rows.values_list("notice_id", "position", "pk")


def _notice_order(sort: str) -> tuple:
    if sort == "oldest":
        return F("publish_date").asc(nulls_last=True), "id"
    return F("publish_date").desc(nulls_last=True), F("id").desc()


def _in_notice_order(rows: QuerySet, sort: str, notice: str, within: list[str]) -> QuerySet:
    """Newest notices first (oldest first for sort=oldest), then document order within each."""
    date = F(f"{notice}__publish_date")
    if sort == "oldest":
        return rows.order_by(date.asc(nulls_last=True), f"{notice}_id", *within)
    return rows.order_by(date.desc(nulls_last=True), F(f"{notice}_id").desc(), *within)
