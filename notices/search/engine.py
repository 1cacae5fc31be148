"""The search engine shared by the web pages, the API and `manage.py search`.

How a search runs (see tokenize.py for the bag and the fold):

1. Candidates: notices whose gram bag (GIN-indexed) holds every bag entry of the query's
   terms, within the filtered queryset the caller passes in. A superset of the true
   matches: nothing a substring search would find is missed here. For a notice-level
   term of one or two characters the bag entry is the term itself, so the bag decides it
   exactly, exclusions included (plan(), bag_decides()): such searches need no step 2.
2. Verification: a substring test (strpos) on the folded text of the notice, or of its
   problems or measures, confirms each candidate. Exact, but it reads the text, so:
   Problems and measures are checked the same way, inside candidate notices only: they
   need no index of their own (the notice's bag covers its whole tree).
3. One pass over the candidates (_listing) counts them, lists the first in display order
   and draws a fixed pseudo-random sample. Small candidate sets (the usual case) are
   verified whole: exact total, exact facets. Large ones are verified in display order
   until the page is full; the total is estimated from the verified sample and marked as
   an estimate, and facets count the sample (FACET_SAMPLE), scaled.
4. Ranking by cheap signals only: a match in the title or agency first, then (for at
   most RANK_LIMIT candidates) jieba word matches in the title and problem headings
   (ts_rank over a small vector), then date.
5. The page's notices get their matching problems and measures, with snippets.
"""
from __future__ import annotations

import array
import zlib
from contextlib import contextmanager
from dataclasses import dataclass, field
from typing import Callable, Iterator

from django.core.exceptions import EmptyResultSet
from django.db import connection, transaction
from django.db.models import (
    BigIntegerField, BooleanField, Count, Exists, F, FloatField, Func, IntegerField, Lookup, OuterRef, Q, QuerySet,
    Value, Window,
)
from django.db.models.functions import Cast, Coalesce, RowNumber, StrIndex
from django.db.models.lookups import Contains, Exact, GreaterThan

from .. import tokenize
from ..models import Issue, Measure, Notice
from .query import Query, Term

LEVELS = ("notice", "problem", "measure")
SORTS = ("relevance", "date", "oldest")
EXACT_LIMIT = 400  # candidates verified in one go; past this, totals are estimated
RANK_LIMIT = 2000  # candidates ranked by jieba words too; past this, by title/agency hits and date
SAMPLE_SIZE = 150
FACET_SAMPLE = 1000  # past this many candidates, facets count a random sample of them, scaled
CHUNK = 60
MAX_CHUNK = 2000
HITS_PER_NOTICE = 5
# Columns of problems and measures that results never show.
ISSUE_UNSHOWN, MEASURE_UNSHOWN = ("fold_text", "parsed_title"), ("fold_text", "parsed_text")


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


@BigIntegerField.register_lookup  # primary keys (BigAutoField) and ids
class AnyOf(Lookup):
    """`id = ANY(array)`: a long list of ids as one parameter (IN takes one per id, and Django
    and psycopg spend milliseconds on thousands of them)."""

    lookup_name = "any_of"
    prepare_rhs = False

    def as_sql(self, compiler, connection):
        lhs, lhs_params = self.process_lhs(compiler, connection)
        return f"{lhs} = ANY(%s::bigint[])", [*lhs_params, list(self.rhs)]


class IdArray(array.array):
    """Ids as one value: the ORM walks a list item by item, looking for expressions in it."""

    def __new__(cls, ids):
        return super().__new__(cls, "q", ids)


def among(ids) -> Q:
    """The rows whose primary key is one of `ids`."""
    return Q(pk__any_of=IdArray(ids))


def _contains(column: str, folded: str):
    if column == "fold_text":  # long text: strpos's skip-table search beats LIKE
        return GreaterThan(StrIndex(column, Value(folded)), 0)
    return Contains(F(column), folded)  # short columns: LIKE costs a fraction of strpos's setup


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
            cursor.execute("; ".join(f"SET LOCAL {name} = {value}" for name, value in SEARCH_SETTINGS.items()))
        yield
        if nested:  # SET LOCAL lasts until the outer transaction ends: end it here
            with connection.cursor() as cursor:
                cursor.execute("; ".join(f"RESET {name}" for name in SEARCH_SETTINGS))


SEARCH_SETTINGS = {
    "enable_seqscan": "off",
    "work_mem": "'32MB'",  # facet hashing over thousands of agencies
    "jit": "off",  # compiling costs more than these short queries take
    # Reading 20,000 candidate rows takes a third less time with a second process; the
    # planner's default costs only allow that for far longer queries. Small scans stay serial
    # (min_parallel_table_scan_size).
    "parallel_setup_cost": "0",
    "parallel_tuple_cost": "0",
}


# --- compiling a query to ORM conditions ------------------------------------------------

def bag_decides(term: Term, level: str) -> bool:
    """Whether the gram bag alone decides a notice-level term, with no substring check.

    The bag entry of a one- or two-character run is that run itself (or, for one character,
    any entry starting with it): a notice whose bag holds it contains the term.
    """
    if level != "notice" or term.field is not None:
        return False  # problems and measures are matched one by one; fields are not in the bag alone
    return len(term.folded) <= 2 and tokenize.runs(term.folded) == [term.folded]


@dataclass(frozen=True)
class Plan:
    """A query split into the GIN-indexed bag condition and the rest, checked on the text."""

    bag: str | None  # tsquery literal every match satisfies; None: no positive term to look up
    residue: Query  # clauses and exclusions the bag does not decide

    @property
    def exact(self) -> bool:
        return self.residue.is_empty


def plan(query: Query, level: str) -> Plan:
    clauses, literals = [], []
    for clause in query.clauses:
        terms = [(t, tokenize.bag_query(t.folded)) for t in clause]
        either = [f"({lit})" for _, lit in terms if lit]
        if either:
            literals.append(" | ".join(either))
        if not (either and all(lit and bag_decides(t, level) for t, lit in terms)):
            clauses.append(clause)
    excluded = []
    for term in query.excluded:
        literal = tokenize.bag_query(term.folded)
        if literals and literal and bag_decides(term, level):
            literals.append(f"!({literal})")  # GIN answers a & !b from the index alone
        else:
            excluded.append(term)
    bag = " & ".join(f"({lit})" for lit in literals) if literals else None
    return Plan(bag, Query(tuple(clauses), tuple(excluded), query.raw))


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


def candidates(notices: QuerySet, steps: Plan) -> QuerySet:
    return notices.filter(Matches("grams", steps.bag)) if steps.bag is not None else notices


def matching(notices: QuerySet, query: Query, level: str = "notice") -> QuerySet:
    """Exactly the notices that match (for exports and exact counts): candidates, verified."""
    if query.is_empty:
        return notices
    steps = plan(query, level)
    return candidates(notices, steps).filter(verification(steps.residue, level))


# --- ranking ----------------------------------------------------------------------------

def _score(query: Query, words: bool = True):
    """Title/agency hits first, then (with `words`) jieba word matches in the head and problem headings."""
    parts = []
    for term in query.positive_terms:
        if term.field in ("problem", "measure"):
            continue
        parts.append(Cast(_contains("fold_title", term.folded), IntegerField()) * Value(2))
        parts.append(Cast(_contains("fold_agency", term.folded), IntegerField()))
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
        if _scope_sql(qs) == self.scope_sql:  # the very set this search ran over
            if self.exact_ids is not None:
                return qs.filter(among(self.exact_ids)), 1.0, False
            return qs.filter(among(self.facet_ids)), self.facet_scale, True
        steps = plan(self.query, self.level)
        pool = candidates(qs, steps)
        if steps.exact:
            return pool, 1.0, False
        if pool.count() <= EXACT_LIMIT:
            return pool.filter(verification(steps.residue, self.level)), 1.0, False
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
    wanted = offset + per_page
    steps = plan(query, level)
    check = verification(steps.residue, level)
    pool = candidates(base, steps)
    listing = _listing(pool, query, sort, 4 * wanted)
    ids = listing.first
    exact_ids = facet_ids = None
    ratio, facet_scale, estimated = 1.0, 1.0, False
    if listing.complete and sort == "relevance" and 1 < len(ids) <= RANK_LIMIT:
        ids = _ids(ordered(Notice.objects.filter(among(ids)), query, sort))  # with jieba words too
    if steps.exact or (listing.complete and len(ids) <= EXACT_LIMIT):
        matched = ids
        if not steps.exact:
            passed = set(_ids(Notice.objects.filter(among(ids)).filter(check)))
            matched = [pk for pk in ids if pk in passed]
        total = listing.count if steps.exact else len(matched)
        page_ids = matched[offset:wanted]
        if total <= EXACT_LIMIT:
            exact_ids = matched
        else:  # an exact total, but facets of so many notices are counted on a sample
            facet_ids, facet_scale = listing.sample, total / len(listing.sample)
    else:
        ratio = _sampled_ratio(listing.sample[:SAMPLE_SIZE], check)
        found = _verify_in_order(ids, check, wanted, ratio)
        if len(found) < wanted and not listing.complete:  # rare: matches too sparse among the first ids
            rest = _ids(ordered(pool, query, sort, words=False))[len(ids):]
            found += _verify_in_order(rest, check, wanted - len(found), ratio)
        page_ids = found[offset:wanted]
        # Facet counts of a large search are estimates anyway (the ratio is sampled): count
        # the sample of candidates and scale, instead of every candidate.
        facet_ids, facet_scale = listing.sample, ratio * listing.count / len(listing.sample)
        total, estimated = max(round(listing.count * ratio), offset + len(page_ids)), True
    by_id = {n.pk: n for n in base.filter(among(page_ids)).select_related("agency")}
    page_notices = [by_id[pk] for pk in page_ids if pk in by_id]
    hits = attach_hits(page_notices, query, level) if with_hits else [NoticeHit(n) for n in page_notices]
    return SearchOutcome(query, level, sort, page, per_page, hits, total, estimated, ratio,
                         _scope_sql(base), exact_ids, facet_ids, facet_scale)


@dataclass(frozen=True)
class Listing:
    count: int  # candidates
    first: list[int]  # the first of them in display order (without jieba ranking)
    sample: list[int]  # a fixed pseudo-random sample of them, FACET_SAMPLE at most

    @property
    def complete(self) -> bool:
        return len(self.first) == self.count


# Display orders over the listing's columns (id, score, day), as ordered() gives them.
_ORDER_SQL = {
    "relevance": "score DESC, day DESC NULLS LAST, id DESC",
    "date": "day DESC NULLS LAST, id DESC",
    "oldest": "day ASC NULLS LAST, id ASC",
}


def _listing(pool: QuerySet, query: Query, sort: str, first: int, complete_up_to: int = RANK_LIMIT) -> Listing:
    """How many candidates, the first `first` in display order (all of them, up to
    `complete_up_to`), and a sample: one pass over them.

    Reading the candidate rows is the expensive part of a broad search, so it happens once;
    the sample (ordered by a hash of the id, seeded by the query) is the same for the same
    search, so estimates and facet counts do not jitter between pages.
    """
    score = _score(query, words=False) if sort == "relevance" and not query.is_empty else None
    columns = pool.annotate(search_score=score if score is not None else Value(0.0))
    compiled = _sql(columns.values_list("pk", "search_score", "publish_date").order_by())
    if compiled is None:
        return Listing(0, [], [])
    sql, params = compiled
    seed = zlib.crc32(str(query).encode())
    with connection.cursor() as cursor:
        cursor.execute(
            f"WITH c (id, score, day) AS MATERIALIZED ({sql}), n AS (SELECT count(*) AS n FROM c) "
            f"SELECT (SELECT n FROM n), "
            f"ARRAY(SELECT id FROM c ORDER BY {_ORDER_SQL[sort]} "
            f"LIMIT CASE WHEN (SELECT n FROM n) <= %s THEN %s ELSE %s END), "
            f"ARRAY(SELECT id FROM c ORDER BY hashint8extended(id, %s) LIMIT %s)",
            [*params, complete_up_to, complete_up_to, first, seed, FACET_SAMPLE],
        )
        count, ids, sample = cursor.fetchone()
    return Listing(count, ids, sample)


def _sql(qs: QuerySet) -> tuple[str, tuple] | None:
    """The SQL of `qs` and its parameters, or None when Django knows it selects nothing."""
    try:
        return qs.query.sql_with_params()
    except EmptyResultSet:
        return None


def _ids(qs: QuerySet) -> list[int]:
    """The primary keys of `qs` in its order, without a Python object per row (there may be 20,000)."""
    compiled = _sql(qs.values_list("pk", flat=True))
    if compiled is None:
        return []
    with connection.cursor() as cursor:
        cursor.execute(*compiled)
        return [row[0] for row in cursor.fetchall()]


def _verify_in_order(ids: list[int], check: Q, wanted: int, ratio: float) -> list[int]:
    """The first `wanted` candidates that pass `check`, in order.

    The first chunk is sized by the sampled pass `ratio` to hold them all; later chunks
    double, in case the sample was optimistic.
    """
    found: list[int] = []
    start, size = 0, min(MAX_CHUNK, max(CHUNK, int(wanted * 1.25 / max(ratio, 1 / SAMPLE_SIZE))))
    while start < len(ids) and len(found) < wanted:
        chunk = ids[start:start + size]
        ok = set(_ids(Notice.objects.filter(among(chunk)).filter(check)))
        found.extend(pk for pk in chunk if pk in ok)
        start += size
        size = min(size * 2, MAX_CHUNK)
    return found


def _sampled_ratio(sample: list[int], check: Q) -> float:
    ok = Notice.objects.filter(among(sample)).filter(check).count()
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
        rows = Issue.objects.filter(notice_id__in=ids).filter(issue_filter).defer(*ISSUE_UNSHOWN)
        _collect(rows, ["position"], hits, lambda h: h.issues, "more_issues", lambda i: UnitHit(i))
    if measure_filter is not None:
        rows = (Measure.objects.filter(notice_id__in=ids).filter(measure_filter).select_related("issue")
                .defer(*MEASURE_UNSHOWN, *(f"issue__{f}" for f in ISSUE_UNSHOWN)))
        _collect(rows, ["issue__position", "position"], hits, lambda h: h.measures, "more_measures",
                 lambda m: UnitHit(m, m.issue))
    return [hits[n.pk] for n in page_notices]


def _collect(rows: QuerySet, order: list[str], hits: dict[int, NoticeHit], bucket: Callable, more: str,
             wrap: Callable) -> None:
    """The first HITS_PER_NOTICE rows of each notice, in `order`, and how many more there are."""
    rows = rows.annotate(
        hit_rank=Window(RowNumber(), partition_by=[F("notice_id")], order_by=[F(o).asc() for o in order]),
        hit_total=Window(Count("pk"), partition_by=[F("notice_id")]),
    ).filter(hit_rank__lte=HITS_PER_NOTICE).order_by("notice_id", *order)
    for row in rows:
        hit = hits[row.notice_id]
        bucket(hit).append(wrap(row))
        setattr(hit, more, row.hit_total - len(bucket(hit)))
