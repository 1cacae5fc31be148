"""The search engine shared by the web pages, the API and `manage.py search`.

How a search runs (see tokenize.py for the bag and the fold):

1. Candidates: notices whose gram bag (GIN-indexed) holds every bag entry of the query's
   terms, within the filtered queryset the caller passes in. A superset of the true
   matches: nothing a substring search would find is missed here.
2. Verification: a substring test (strpos) on the folded text of the notice, or of its
   problems or measures, confirms each candidate. Exact, but it reads the text, so:
   Problems and measures are checked the same way, inside candidate notices only: they
   need no index of their own (the notice's bag covers its whole tree).
3. Small candidate sets (the usual case) are verified whole: exact total, exact facets.
   Large ones are verified lazily in display order until the page is full; the total is
   estimated from a verified random sample and marked as an estimate, and facets count
   a fixed random sample of the candidates (FACET_SAMPLE), scaled.
4. Ranking by cheap signals only: a match in the title or agency first, then (for at
   most RANK_LIMIT candidates) jieba word matches in the title and problem headings
   (ts_rank over a small vector), then date.
5. The page's notices get their matching problems and measures, with snippets.
"""
from __future__ import annotations

import random
from contextlib import contextmanager
from dataclasses import dataclass, field
from typing import Callable, Iterator

from django.db import connection, transaction
from django.db.models import (
    BooleanField, Exists, F, FloatField, Func, IntegerField, OuterRef, Q, QuerySet, Value,
)
from django.db.models.functions import Cast, Coalesce, StrIndex
from django.db.models.lookups import Exact, GreaterThan

from .. import tokenize
from ..models import Issue, Measure, Notice
from .query import Query, Term

LEVELS = ("notice", "problem", "measure")
SORTS = ("relevance", "date", "oldest")
EXACT_LIMIT = 400  # candidates verified in one go; past this, totals are estimated
RANK_LIMIT = 2000  # candidates ranked by jieba words too; past this, by title/agency hits and date
SAMPLE_SIZE = 150
FACET_SAMPLE = 2000  # past this many candidates, facets count a random sample of them, scaled
CHUNK = 60
MAX_CHUNK = 2000
HITS_PER_NOTICE = 5


class TsQuery(Func):
    """A tsquery literal built by tokenize.py (never re-parsed by to_tsquery)."""

    template = "%(expressions)s::tsquery"
    output_field = BooleanField()  # only ever used inside Matches/Rank


class Matches(Func):
    template = "%(expressions)s"
    arg_joiner = " @@ "
    output_field = BooleanField()

    def __init__(self, column: str, literal: str):
        super().__init__(F(column), TsQuery(Value(literal)))


def _contains(column: str, folded: str) -> GreaterThan:
    return GreaterThan(StrIndex(column, Value(folded)), 0)


def _absent(column: str, folded: str) -> Exact:
    return Exact(StrIndex(column, Value(folded)), 0)


@contextmanager
def index_scans() -> Iterator[None]:
    """Run the enclosed queries with sequential scans of big tables discouraged.

    The gram bag is a large TOASTed value: testing it row by row (a sequential scan)
    reads every notice's bag, while the GIN index answers without reading any (bag
    queries never need a recheck). PostgreSQL's planner does not know that difference
    and picks the sequential scan for common words; this puts it right, for one
    transaction only.
    """
    nested = connection.in_atomic_block
    with transaction.atomic():
        with connection.cursor() as cursor:
            # work_mem: facet hashing over thousands of agencies
            cursor.execute("SET LOCAL enable_seqscan = off; SET LOCAL work_mem = '32MB'")
        yield
        if nested:  # SET LOCAL lasts until the outer transaction ends: end it here
            with connection.cursor() as cursor:
                cursor.execute("RESET enable_seqscan; RESET work_mem")


# --- compiling a query to ORM conditions ------------------------------------------------

def _bag_condition(terms_by_clause: list[list[Term]], column: str = "grams") -> Q | None:
    """AND over clauses of OR over terms of the bag match: the candidate filter."""
    result = None
    for clause in terms_by_clause:
        literals = [tokenize.bag_query(t.folded) for t in clause]
        literals = [lit for lit in literals if lit]
        if not literals:
            continue
        literal = " | ".join(f"({lit})" for lit in literals) if len(literals) > 1 else literals[0]
        condition = Q(Matches(column, literal))
        result = condition if result is None else result & condition
    return result


def _notice_term(term: Term, level: str) -> Q:
    """A term as a condition on the notice row (fielded terms, or unfielded at notice level)."""
    f = term.folded
    if term.field == "title":
        return Q(_contains("fold_title", f))
    if term.field == "agency":
        return Q(_contains("fold_agency", f))
    if term.field in ("problem", "measure") or level != "notice":
        model = Issue if (term.field or level) == "problem" else Measure
        return Q(Exists(model.objects.filter(notice=OuterRef("pk")).filter(_contains("fold_text", f))))
    return Q(_contains("fold_text", f)) | Q(_contains("fold_title", f)) | Q(_contains("fold_agency", f))


def unit_condition(query: Query) -> Q | None:
    """For problem/measure levels: all unfielded clauses must hold within one unit."""
    clauses = [c for c in query.clauses if all(t.field is None for t in c)]
    excluded = [t for t in query.excluded if t.field is None]
    if not clauses and not excluded:
        return None
    condition = Q()
    for clause in clauses:
        either = Q()
        for term in clause:
            either |= Q(_contains("fold_text", term.folded))
        condition &= either
    for term in excluded:
        condition &= Q(_absent("fold_text", term.folded))
    return condition


def verification(query: Query, level: str) -> Q:
    """The exact condition a matching notice satisfies."""
    condition = Q()
    unit_level = level in ("problem", "measure")
    for clause in query.clauses:
        if unit_level and all(t.field is None for t in clause):
            continue  # checked together inside one unit below
        either = Q()
        for term in clause:
            either |= _notice_term(term, level)
        condition &= either
    for term in query.excluded:
        if unit_level and term.field is None:
            continue
        condition &= ~_notice_term(term, level)
    if unit_level:
        units = unit_condition(query)
        if units is not None:
            model = Issue if level == "problem" else Measure
            condition &= Q(Exists(model.objects.filter(notice=OuterRef("pk")).filter(units)))
    return condition


def candidates(notices: QuerySet, query: Query) -> QuerySet:
    bag = _bag_condition([list(c) for c in query.clauses])
    return notices.filter(bag) if bag is not None else notices


def matching(notices: QuerySet, query: Query, level: str = "notice") -> QuerySet:
    """Exactly the notices that match (for exports and exact counts): candidates, verified."""
    if query.is_empty:
        return notices
    return candidates(notices, query).filter(verification(query, level))


# --- ranking ----------------------------------------------------------------------------

def _score(query: Query, words: bool = True):
    """Title/agency hits first, then (with `words`) jieba word matches in the head and problem headings."""
    parts = []
    for term in query.positive_terms:
        if term.field in ("problem", "measure"):
            continue
        parts.append(Cast(_contains("fold_title", term.folded), IntegerField()) * Value(2.0))
        parts.append(Cast(_contains("fold_agency", term.folded), IntegerField()) * Value(1.0))
        tokens = tokenize.words_query(term.text) if words else None
        if tokens:
            rank = Func(F("words"), TsQuery(Value(tokens)), function="ts_rank", output_field=FloatField())
            parts.append(Coalesce(rank, Value(0.0)))
    if not parts:
        return None
    total = parts[0]
    for part in parts[1:]:
        total = total + part
    return Cast(total, FloatField())


def ordered(qs: QuerySet, query: Query, sort: str, *, words: bool = True) -> QuerySet:
    """`qs` in display order; `words=False` leaves out the jieba ranking (it reads every word vector)."""
    date_order = [F("publish_date").desc(nulls_last=True), F("id").desc()]
    if sort == "oldest":
        return qs.order_by(F("publish_date").asc(nulls_last=True), "id")
    score = None if sort == "date" or query.is_empty else _score(query, words)
    if score is None:
        return qs.order_by(*date_order)
    return qs.annotate(search_score=score).order_by(F("search_score").desc(), *date_order)


# --- running a search -------------------------------------------------------------------

@dataclass
class UnitHit:
    unit: Issue | Measure
    issue: Issue | None = None  # for a measure: the problem it answers


@dataclass
class NoticeHit:
    notice: Notice
    issues: list[UnitHit] = field(default_factory=list)
    measures: list[UnitHit] = field(default_factory=list)
    more_issues: int = 0
    more_measures: int = 0


@dataclass
class SearchOutcome:
    query: Query
    level: str
    sort: str
    page: int
    per_page: int
    hits: list[NoticeHit]
    total: int  # notices matching (an estimate when `estimated`)
    estimated: bool
    ratio: float = 1.0  # verified share of candidates (sampled when estimated)
    # What the search found over the queryset it was given, so facets over the same one reuse it.
    scope_sql: str = ""
    exact_ids: list[int] | None = None  # every match, when counted exactly
    facet_ids: list[int] | None = None  # otherwise the candidates facets count (at most FACET_SAMPLE)
    facet_scale: float = 1.0  # matches per counted candidate

    @property
    def num_pages(self) -> int:
        return max(1, -(-self.total // self.per_page))

    def restrict(self, qs: QuerySet) -> tuple[QuerySet, float, bool]:
        """`qs` narrowed to this search, for facet counts: exact when cheap, else candidates scaled."""
        if self.query.is_empty:
            return qs, 1.0, False
        pool = candidates(qs, self.query)
        if _scope_sql(qs) == self.scope_sql:  # the very set this search ran over
            if self.exact_ids is not None:
                return qs.filter(pk__in=self.exact_ids), 1.0, False
            return qs.filter(pk__in=self.facet_ids), self.facet_scale, True
        if pool.count() <= EXACT_LIMIT:
            return pool.filter(verification(self.query, self.level)), 1.0, False
        return pool, self.ratio, True


def _scope_sql(qs: QuerySet) -> str:
    sql, params = qs.values("pk").query.sql_with_params()
    return f"{sql} {params!r}"


def search(
    notices: QuerySet, query: Query, *, level: str = "notice", sort: str = "relevance",
    page: int = 1, per_page: int = 20, with_hits: bool = True,
) -> SearchOutcome:
    level = level if level in LEVELS else "notice"
    sort = sort if sort in SORTS else "relevance"
    page = max(1, page)
    base = notices.without_search_columns() if hasattr(notices, "without_search_columns") else notices
    offset = (page - 1) * per_page
    if query.is_empty:
        qs = ordered(base, query, sort)
        total = qs.count()
        page_notices = list(qs[offset:offset + per_page])
        return SearchOutcome(query, level, sort, page, per_page, [NoticeHit(n) for n in page_notices], total, False)

    with index_scans():
        return _search(base, query, level, sort, page, per_page, with_hits)


def _search(base, query, level, sort, page, per_page, with_hits) -> SearchOutcome:
    offset = (page - 1) * per_page
    pool = candidates(base, query)
    candidate_ids = list(ordered(pool, query, sort, words=False).values_list("pk", flat=True))
    if sort == "relevance" and 1 < len(candidate_ids) <= RANK_LIMIT:
        candidate_ids = list(ordered(Notice.objects.filter(pk__in=candidate_ids), query, sort)
                             .values_list("pk", flat=True))
    check = verification(query, level)
    exact_ids = facet_ids = None
    facet_scale = 1.0
    if len(candidate_ids) <= EXACT_LIMIT:
        exact = set(Notice.objects.filter(pk__in=candidate_ids).filter(check).values_list("pk", flat=True))
        exact_ids = [pk for pk in candidate_ids if pk in exact]
        page_ids, total, estimated, ratio = exact_ids[offset:offset + per_page], len(exact_ids), False, 1.0
    else:
        ratio = _sampled_ratio(candidate_ids, check)
        page_ids = _verify_in_order(candidate_ids, check, offset + per_page, ratio)[offset:offset + per_page]
        # Facet counts of a large search are estimates anyway (the ratio is sampled): count a
        # fixed random sample of the candidates (the same for the same search, so counts
        # do not jitter between pages) and scale, instead of every candidate.
        facet_ids = random.Random(str(query)).sample(candidate_ids, min(FACET_SAMPLE, len(candidate_ids)))
        facet_scale = ratio * len(candidate_ids) / len(facet_ids)
        total, estimated = max(round(len(candidate_ids) * ratio), offset + len(page_ids)), True
    by_id = {n.pk: n for n in base.filter(pk__in=page_ids).select_related("agency")}
    page_notices = [by_id[pk] for pk in page_ids if pk in by_id]
    hits = attach_hits(page_notices, query, level) if with_hits else [NoticeHit(n) for n in page_notices]
    return SearchOutcome(query, level, sort, page, per_page, hits, total, estimated, ratio,
                         _scope_sql(base), exact_ids, facet_ids, facet_scale)


def _verify_in_order(ids: list[int], check: Q, wanted: int, ratio: float) -> list[int]:
    """The first `wanted` candidates that pass `check`, in order.

    The first chunk is sized by the sampled pass `ratio` to hold them all; later chunks
    double, in case the sample was optimistic.
    """
    found: list[int] = []
    start, size = 0, min(MAX_CHUNK, max(CHUNK, int(wanted * 1.25 / max(ratio, 1 / SAMPLE_SIZE))))
    while start < len(ids) and len(found) < wanted:
        chunk = ids[start:start + size]
        ok = set(Notice.objects.filter(pk__in=chunk).filter(check).values_list("pk", flat=True))
        found.extend(pk for pk in chunk if pk in ok)
        start += size
        size = min(size * 2, MAX_CHUNK)
    return found


def _sampled_ratio(ids: list[int], check: Q) -> float:
    sample = random.Random(len(ids)).sample(ids, min(SAMPLE_SIZE, len(ids)))
    ok = Notice.objects.filter(pk__in=sample).filter(check).count()
    return ok / len(sample) if sample else 0.0


def attach_hits(page_notices: list[Notice], query: Query, level: str) -> list[NoticeHit]:
    """The matching problems and measures of each notice on the page, in document order."""
    hits = {n.pk: NoticeHit(n) for n in page_notices}
    if not hits:
        return []
    ids = list(hits)
    unfielded = [t for t in query.positive_terms if t.field is None]
    issue_terms = unfielded + [t for t in query.positive_terms if t.field == "problem"]
    measure_terms = unfielded + [t for t in query.positive_terms if t.field == "measure"]

    def any_of(terms: list[Term]) -> Q | None:
        if not terms:
            return None
        condition = Q()
        for term in terms:
            condition |= Q(_contains("fold_text", term.folded))
        return condition

    if level == "problem":
        issue_filter, measure_filter = unit_condition(query), None
    elif level == "measure":
        issue_filter, measure_filter = None, unit_condition(query)
    else:
        issue_filter, measure_filter = any_of(issue_terms), any_of(measure_terms)
    if level == "problem" and issue_filter is None:
        issue_filter = any_of(issue_terms)
    if level == "measure" and measure_filter is None:
        measure_filter = any_of(measure_terms)

    if issue_filter is not None:
        _collect(Issue.objects.filter(notice_id__in=ids).filter(issue_filter).order_by("notice_id", "position"),
                 hits, lambda h: h.issues, "more_issues", lambda i: UnitHit(i))
    if measure_filter is not None:
        rows = Measure.objects.filter(notice_id__in=ids).filter(measure_filter).select_related("issue")
        _collect(rows.order_by("notice_id", "issue__position", "position"),
                 hits, lambda h: h.measures, "more_measures", lambda m: UnitHit(m, m.issue))
    return [hits[n.pk] for n in page_notices]


def _collect(rows: QuerySet, hits: dict[int, NoticeHit], bucket: Callable, more: str, wrap: Callable) -> None:
    for row in rows:
        hit = hits[row.notice_id]
        if len(bucket(hit)) < HITS_PER_NOTICE:
            bucket(hit).append(wrap(row))
        else:
            setattr(hit, more, getattr(hit, more) + 1)
