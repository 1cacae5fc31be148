"""The problems and measures a selection shows: rows for the problem/measure endpoints and the problem CSV.

`scope` says which rows a search keeps:

- scope=notice: every problem (measure) of the matching notices;
- scope=problem: the problems whose heading holds all the words and, when topics are chosen,
  that are about one of them (measures: theirs);
- scope=measure: the measures whose text holds all the words (problems: those with such a measure).

Within a unit, `problem:` terms count as words for problems and `measure:` terms for measures.
"""
from __future__ import annotations

import heapq
import math
import zlib
from contextlib import nullcontext
from dataclasses import dataclass, replace
from typing import Callable

from django.core.exceptions import EmptyResultSet
from django.db import connections
from django.db.models import Count, Exists, F, OuterRef, Q, QuerySet, Subquery
from django.http import QueryDict

from ..models import Issue, Measure, Notice
from ..search import (
    EXACT_LIMIT, SAMPLE_SIZE, SPARSE_SHARE, Query, among, ids_of, index_scans, matching, problems_holding, substring_part, unit_condition, units_holding_words, unverified,
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


def facet_rows(selection: Selection) -> Callable[[QuerySet, QueryDict], QuerySet | None] | None:
    """What the facets of `selection` count (facets.Problems): in the problem scope its problems
    among the notices given, under the filters given (None when that is every problem of them:
    no words, no topic); elsewhere notices (None)."""
    if selection.scope != "problem":
        return None

    def rows(notices: QuerySet, params: QueryDict) -> QuerySet | None:
        if selection.query.is_empty and not params.getlist("topic"):
            return None
        chosen = replace(selection, params=params, notices=notices)
        if selection.query.is_empty or selection.whole_words:
            return problems(chosen).order_by()
        # The notices given are the search's candidates or fewer (SearchOutcome.restrict): their
        # gram bags are not tested again (1,000 sampled notices' bags read: 30 ms of a broad word's facets).
        _, check = unverified(notices, selection.query, selection.scope)
        return problems(chosen, notices.filter(check)).order_by()

    return rows


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


# One rule for every count a search gives, the web search's (search.EXACT_LIMIT): exact when the
# rows of at most EXACT_LIMIT candidate notices settle it, read whole; past that, estimated from
# the rows of a fixed pseudo-random sample of EXACT_LIMIT of them, and marked as an estimate. (It
# was: exact up to 1,000 rows, so a word of middling density, 一岗双责 among measures, read
# 1,000 to 2,000 notices' measures for a count.) In the problem scope, when fewer than
# SPARSE_SHARE of the first SAMPLE_SIZE sampled candidates hold a matching problem (the web
# search's share and sample), the problems' own index first keeps the candidates with a problem
# that may hold the words, as the web search does, and their rows are read whole when no more
# than EXACT_LIMIT remain.
FIRST_NOTICES = 100  # notices read for the first rows; then as many as the density seen asks, at most twice as many
EXACT_UNITS = 1000  # the word mode (match=word) only: rows counted one by one before it estimates


@dataclass
class Candidates:
    """The notices that may hold a selection's rows, in display order (found by the GIN index),
    and what they must satisfy but for the rows' own test."""

    notices: list[int]
    check: Q
    rows: list[tuple] | None = None  # every row of them, in display order, once read whole
    narrowed: bool = False  # the problems' index kept only those with a problem that may hold the words
    density: float = 0.0  # rows per candidate in the count's sample (0: not sampled)
    empty: frozenset[int] = frozenset()  # sampled candidates found without rows: the walk skips them


def count(rows_of: Callable[..., QuerySet], selection: Selection) -> tuple[int, bool]:
    """How many rows (problems or measures: `rows_of`) `selection` has, and whether that is an estimate.

    The rule is the one above. The sample depends on the search and filters only, so the number
    stays the same from page to page; it is kept for each state of the archive: the next page,
    or the same page asked again, costs no count.
    """
    with _searching(selection):
        if selection.whole_words:
            return _kept(rows_of, selection, lambda: _count_words(rows_of, selection))[:2]
        return _kept(rows_of, selection, lambda: _tally(rows_of, selection, _candidates(selection)))[:2]


def page(rows_of: Callable[..., QuerySet], selection: Selection, offset: int, size: int) -> tuple[int, bool, list[int]]:
    """The count (as count() gives it) and the ids of the rows offset .. offset + size, in display order.

    An estimate is at least the rows found up to this page; when finding them read every
    candidate, the count is exact."""
    if selection.whole_words:  # rows are tested one by one in Python anyway: the whole query
        with _searching(selection):
            total, estimated, _ = _kept(rows_of, selection, lambda: _count_words(rows_of, selection))
            return total, estimated, ids_of(rows_of(selection))[offset:offset + size]
    with _searching(selection):
        found = _candidates(selection)
        total, estimated, sparse = _kept(rows_of, selection, lambda: _tally(rows_of, selection, found))
        if sparse and not found.narrowed:  # the count was kept: narrow as it did
            _narrow(selection, found)
        rows, complete = (found.rows, True) if found.rows is not None else _walk(rows_of, selection, found, offset + size)
    if complete:
        total, estimated = len(rows), False
    elif estimated:
        total = max(total, min(len(rows), offset + size))
    return total, estimated, [row[-1] for row in rows[offset:offset + size]]


def _kept(rows_of, selection: Selection, counted: Callable[[], tuple[int, bool, bool]]) -> tuple[int, bool, bool]:
    """counted(), kept for this state of the archive."""
    try:
        notices = str(selection.notices.query)  # the filters, and any narrower base the caller gave
    except EmptyResultSet:
        notices = "nothing"
    key = f"unit-tally|{rows_of.__name__}|{selection.scope}|{selection.whole_words}|{selection.query}|{notices}"
    return tuple(while_archive_unchanged(key, counted))


def _searching(selection: Selection):
    """The search's planner settings (search.index_scans), when there are words to look up."""
    return nullcontext() if selection.query.is_empty else index_scans(selection.notices.db)


def _candidates(selection: Selection) -> Candidates:
    """Listed once, in display order. Left to itself, the planner (which cannot tell how many
    notices the gram bag passes) either sorts every matching row (measures?q=殡葬: 9,263, 1.1 s)
    or walks every notice testing rows until the page is full."""
    pool, check = unverified(selection.notices, selection.query, selection.scope)
    return Candidates(ids_of(pool.order_by(*_notice_order(selection.sort))), check)


def _tally(rows_of, selection: Selection, found: Candidates) -> tuple[int, bool, bool]:
    """(count, estimated, narrowed by the problems' index) by the rule above; the rows of
    `found` are kept in it when they were read whole."""
    if len(found.notices) <= EXACT_LIMIT:
        found.rows = _read(rows_of, selection, found, found.notices)
        return len(found.rows), False, False
    seed = zlib.crc32(f"{selection.query}|{selection.scope}|{selection.notices.query}".encode())
    # (= sorted(...)[:EXACT_LIMIT], ties in candidate order: a fifth of the time of sorting 20,000)
    sample = heapq.nsmallest(EXACT_LIMIT, found.notices, key=lambda pk: zlib.crc32(pk.to_bytes(8, "little"), seed))

    def rows_per_notice(notices: list[int]) -> dict[int, int]:
        rows = rows_of(selection, _some(found, notices)).order_by()
        return dict(rows.values_list("notice_id").annotate(n=Count("pk")))

    candidates, sparse = len(found.notices), False
    probe = sample[:SAMPLE_SIZE] if selection.scope == "problem" else sample
    per_notice = rows_per_notice(probe)
    # The share of candidates holding rows, on as many as the web search samples for it: when
    # it is small, the rest of the sample is not needed for an exact count over the few left.
    if selection.scope == "problem" and len(per_notice) < SPARSE_SHARE * len(probe):
        sparse = True
        _narrow(selection, found)
        if len(found.notices) <= EXACT_LIMIT:
            found.rows = _read(rows_of, selection, found, found.notices)
            return len(found.rows), False, True
    if len(probe) < len(sample):
        per_notice.update(rows_per_notice(sample[len(probe):]))
    in_sample = sum(per_notice.values())
    found.density = in_sample / len(sample)
    found.empty = frozenset(sample).difference(per_notice)
    return round(in_sample * candidates / len(sample)), True, sparse


def _narrow(selection: Selection, found: Candidates) -> None:
    """Keep the candidates with a problem that may hold the words (the problems' own index finds
    them), rather than test every problem of the others."""
    holding = problems_holding(_unit_query(selection.query, "problem"))
    if holding is not None:
        kept = set(holding.order_by().values_list("notice_id", flat=True))
        found.notices = [pk for pk in found.notices if pk in kept]
    found.narrowed = True


def _read(rows_of, selection: Selection, found: Candidates, notices: list[int]) -> list[tuple]:
    """(notice, place in the notice..., id) of every row of `notices` (some of `found`, in display
    order), in display order."""
    batch = _some(found, notices)
    rank = {pk: i for i, pk in enumerate(notices)}  # (not of every candidate: 20,000 for a page of 20)
    return sorted(_in_document_order(rows_of(selection, batch).order_by(), rows_of),
                  key=lambda row: (rank[row[0]], *row[1:]))


def _some(found: Candidates, notices: list[int]) -> QuerySet:
    """Notices of `found` whose rows are to be read. By id alone: the listing kept live notices
    only (search.candidates), so their rows' statement does not test deleted_at, which made the
    planner read the whole index of live notices to find a few hundred of them (10 ms of the
    count's 50 at load 7)."""
    batch = Notice.all_objects.filter(among(notices))
    return batch.filter(found.check) if found.check else batch


def _walk(rows_of, selection: Selection, found: Candidates, wanted: int) -> tuple[list[tuple], bool]:
    """At least the first `wanted` rows of the candidates (all of them, if fewer), in display order,
    read a growing batch of notices at a time; and whether every candidate was read (all of them then)."""
    notices = found.notices
    rows: list[tuple] = []
    # A dense word's page is in its first few notices (problems?q=整改: 20 rows in 3 notices, not 100).
    start, size = 0, min(FIRST_NOTICES, math.ceil(1.25 * wanted / found.density)) if found.density else FIRST_NOTICES
    if found.empty and not found.density:  # the sample held no row: the rest hold few, all to be read
        size = len(notices)  # in one statement (measures?q=人民法院: none in 1,537 candidates; it was 4)
    while start < len(notices) and len(rows) < wanted:
        unknown = [pk for pk in notices[start:start + size] if pk not in found.empty]
        rows.extend(_read(rows_of, selection, found, unknown) if unknown else [])
        start += size
        ahead = (wanted - len(rows)) * start / len(rows) if rows else len(notices)  # notices still to read
        # Enough notices for the rows still wanted at the density seen so far, a fifth more
        # in case it drops; at most twice as many as the last time.
        size = min(2 * size, max(FIRST_NOTICES, int(1.2 * ahead)))
    return rows, start >= len(notices)


def _count_words(rows_of, selection: Selection) -> tuple[int, bool, bool]:
    """The word mode's count: exact up to EXACT_UNITS, else from the rows of a sample of the
    selection's notices (its rows are tested one by one in Python, however they are found)."""
    exact = rows_of(selection).order_by()[:EXACT_UNITS + 1].count()
    if exact <= EXACT_UNITS:
        return exact, False, False
    notices = selection.notices.order_by()
    seed = zlib.crc32(f"{selection.query}|{selection.scope}|{selection.notices.query}".encode())
    ids_sql, params = notices.values("pk").query.sql_with_params()
    with connections[notices.db].cursor() as cursor:  # one scan: how many notices, and the sample
        cursor.execute(
            f"WITH s (id) AS MATERIALIZED ({ids_sql}) SELECT (SELECT count(*) FROM s), "
            f"ARRAY(SELECT id FROM s ORDER BY hashint8extended(id, %s) LIMIT %s)",
            [*params, seed, EXACT_LIMIT],
        )
        total, sample = cursor.fetchone()
    in_sample = rows_of(replace(selection, notices=notices.filter(pk__in=sample))).order_by().count()
    if len(sample) == total:
        return in_sample, False, False
    return max(exact, round(in_sample * total / len(sample))), True, False


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
