"""Stage 2, candidates: the notices whose gram bag holds every bag entry of the query, and a
listing of them: how many, the first in display order and a fixed sample. Up to BROAD_FROM
candidates, in one pass over them all; past it, from their count in the index, a sample read
from a range of a fixed pseudo-random key, and the few candidates that sample says can come first.

A superset of the true matches: nothing a substring search would find is missed here.
"""
from __future__ import annotations

import math
import zlib
from dataclasses import dataclass, replace

from django.db import connections
from django.db.models import BooleanField, F, Func, Q, QuerySet
from django.db.models.lookups import IsNull
from django.db.models.sql.where import AND

from ..models import SAMPLE_KEY, Notice, RankingRow, UnitGrams
from .plan import Plan
from .query import Query
from .rank import RANK_LIMIT, cheap_score, heading_literal, ranking_terms, ranks_every, relevance
from .sql import Matches, Rows

FACET_SAMPLE = 1000  # past this many candidates, facets count a random sample of them, scaled


def candidates(notices: QuerySet, steps: Plan, opaque: bool = False) -> QuerySet:
    """The notices whose bag (or, for title: and agency: terms alone, whose column) holds the
    query's pairs: a superset of its matches. `opaque`: see sql.OpaqueTsQuery."""
    if steps.bag is None and not steps.fielded:
        return notices
    notices = live_by_id(notices)
    for clause in steps.fielded:
        either = Q()
        for column, literal in clause:
            either |= Q(Matches(UnitGrams(column), literal, opaque))
        notices = notices.filter(either)
    return notices.filter(Matches("grams", steps.bag, opaque)) if steps.bag is not None else notices


def _split(steps: Plan) -> list[tuple[str, bool]]:
    """The bag literals of the candidates the index confirms and of the rest (plan.Plan.confirmed given)."""
    return [(f"({steps.bag}) & ({steps.confirmed})", True), (f"({steps.bag}) & !({steps.confirmed})", False)]


def unconfirmed(steps: Plan, opaque: bool = False) -> Matches:
    """The condition on a notice's bag that it is a candidate of `steps` the index does not confirm
    (plan.Plan.confirmed given)."""
    return Matches("grams", _split(steps)[1][0], opaque)


def _part_conditions(table: str, steps: Plan, opaque: bool = False) -> list[tuple[str, list, bool]]:
    """The candidates as SQL conditions on the notice table named `table` (sql.Rows) that the GIN
    indexes answer alone, each with its parameters and whether its notices surely match: those
    the index confirms (plan.Plan.confirmed) apart from the rest. `opaque`: see sql.OpaqueTsQuery."""
    tsquery = "(SELECT %s::tsquery)" if opaque else "%s::tsquery"
    if steps.bag is not None and steps.confirmed is not None:  # (never so for a query looked up by column)
        return [(f'{table}."grams" @@ {tsquery}', [literal], sure) for literal, sure in _split(steps)]
    conditions, params = [], []
    for clause in steps.fielded:
        conditions.append(" OR ".join(_unit_grams(table, column, tsquery) for column, _ in clause))
        params += [literal for _, literal in clause]
    if steps.bag is not None:
        conditions.append(f'{table}."grams" @@ {tsquery}')
        params.append(steps.bag)
    return [(" AND ".join(f"({c})" for c in conditions) or "true", params, steps.exact)]


def _unit_grams(table: str, column: str, tsquery: str) -> str:
    """A short column's character pairs (models.UnitGrams, indexed) holding a tsquery."""
    return f'{UnitGrams.function}({table}."{column}") @@ {tsquery}'


def _without_live_test(notices: QuerySet) -> tuple[QuerySet, bool]:
    """`notices` without the live manager's test of deleted_at, and whether it had one."""
    where = notices.query.where
    if notices.model is not Notice or where.connector != AND or where.negated:
        return notices, False
    if not any(_is_live_test(child) for child in where.children):
        return notices, False
    every = notices.all()  # a copy of the query and its conditions
    every.query.where.children = [child for child in every.query.where.children if not _is_live_test(child)]
    return every, True


def _live_rows(notices: QuerySet) -> tuple[Rows, bool]:
    """`notices` as sql.Rows without the live manager's test, and whether it had one (_union's `live`)."""
    every, live = _without_live_test(notices)
    return Rows.of(every), live


def live_by_id(notices: QuerySet) -> QuerySet:
    """`notices` with the live manager's test of each row (deleted_at IS NULL) swapped for a test of
    its id against the few notices in the recycle bin (index notice_in_recycle_bin): the same rows.

    Candidates are read by the thousand, and deleted_at is the notice row's 36th column, the
    id its first: reaching the one costs PostgreSQL more than the rest of a candidate's row
    (整改 at 20,000 notices: 16.3 ms of CPU to list the candidates' ids, 6.3 ms with this).
    """
    every, live = _without_live_test(notices)
    return every.filter(_OutOfRecycleBin(F("pk"))) if live else notices


_IN_RECYCLE_BIN = f'SELECT id FROM "{Notice._meta.db_table}" WHERE deleted_at IS NOT NULL'  # (index notice_in_recycle_bin)


class _OutOfRecycleBin(Func):
    """A notice id not among those in the recycle bin: a fixed subquery, which the ORM need not
    build and compile anew for every queryset of candidates."""

    template = f"%(expressions)s NOT IN ({_IN_RECYCLE_BIN})"
    output_field = BooleanField()


def _is_live_test(condition) -> bool:
    column = getattr(condition, "lhs", None)
    return (isinstance(condition, IsNull) and condition.rhs is True and getattr(column, "alias", None) == Notice._meta.db_table
            and getattr(column, "target", None) == Notice._meta.get_field("deleted_at"))


@dataclass(frozen=True)
class Listing:
    count: int  # candidates
    first: list[int]  # the first of them in display order (without jieba ranking but when `ranked`)
    sample: list[int]  # a fixed pseudo-random sample of them, FACET_SAMPLE at most
    unsure_count: int = 0  # candidates the index did not confirm: their text decides
    # Those of them among `first` and `sample`, or all of them when there are no more than
    # `unsure_up_to` (every other candidate is a match then).
    unsure: frozenset[int] = frozenset()
    ranked: bool = False  # `first` is every candidate, ranked with jieba words (rank.ranked_ids)
    failed: frozenset[int] | None = None  # those of `unsure` whose text fails the check, when tested

    @property
    def complete(self) -> bool:
        return len(self.first) == self.count

    @property
    def unsure_known(self) -> bool:
        return len(self.unsure) == self.unsure_count

    def confirmed(self, ids: list[int]) -> set[int]:
        """The ids of `ids` the index confirmed (only those read with this listing are known)."""
        known = set(self.first) | set(self.sample)
        return {pk for pk in ids if pk not in self.unsure and (pk in known or self.unsure_known)}


_ORDER_SQL = {
    "relevance": "score DESC, day DESC NULLS LAST, id DESC",
    "date": "day DESC NULLS LAST, id DESC",
    "oldest": "day ASC NULLS LAST, id ASC",
}


def read_candidates(notices: QuerySet, steps: Plan, query: Query, sort: str, first: int,
                    complete_up_to: int = RANK_LIMIT, unsure_up_to: int = 0, check: Q | None = None) -> Listing:
    """How many candidates of `steps` among `notices`, the first `first` in display order (all of
    them, up to `complete_up_to`), a sample, and which of those the index did not confirm (all
    such candidates, up to `unsure_up_to`).

    Up to BROAD_FROM candidates, one pass over them all (_one_pass); past it, only a sample and
    the few that can come first are read (_broad): the same count, the same first ones.

    `check` given (the condition a match meets), the one pass also tests the candidates the index
    did not confirm, when at most `unsure_up_to` (Listing.failed), and a complete list that
    rank.ranks_every ranks by words comes so ranked (ranked_listing).
    """
    if steps.bag is not None or steps.fielded:
        count = count_candidates(notices, steps)
        if count > max(BROAD_FROM, complete_up_to):
            broad = _broad(notices, steps, count, query, sort, first, unsure_up_to)
            if broad is not None:
                return broad
        elif check is not None and count <= complete_up_to and ranks_every(query, sort, count):
            ranked = ranked_listing(notices, steps, query, unsure_up_to, check)
            if ranked is not None:
                return ranked
    return _one_pass(notices, steps, query, sort, first, complete_up_to, unsure_up_to, check)


def _failing(parts: list[tuple[str, list, bool]], check: Q | None, unsure_up_to: int) -> tuple[str, list]:
    """A value of a statement that lists candidates `parts` (_part_conditions) and those of them the
    index did not confirm as its CTE u (id): those that fail `check`, when there are at most
    `unsure_up_to` (NULL when not tested)."""
    if check is None or all(sure for *_, sure in parts):
        return "NULL::bigint[]" if check is None else "'{}'::bigint[]", []
    rows = Rows.of(Notice.all_objects.filter(check))
    passing, params = rows.select(f'{rows.table}."id"', f'{rows.table}."id" = ANY(ARRAY(SELECT id FROM u))')
    return (f"CASE WHEN (SELECT count(*) FROM u) <= %s THEN ARRAY(SELECT id FROM u WHERE id NOT IN ({passing})) END",
            [unsure_up_to, *params])


def _union(rows: Rows, live: bool, parts: list[tuple[str, list, bool]], columns, column_params=(),
           narrow: tuple[str, list] = ("true", [])) -> tuple[str, list]:
    """One SELECT of `columns(table, sure)` (taking `column_params`) from each of `parts`, among
    `rows` (the recycle bin left out when `live`, as live_by_id does) that also meet `narrow`,
    UNION ALL: the SQL and its parameters."""
    out_of_bin = f'{rows.table}."id" NOT IN ({_IN_RECYCLE_BIN})' if live else "true"
    selects = [rows.select(columns(rows.table, sure), f"{out_of_bin} AND ({condition}) AND ({narrow[0]})",
                           [*params, *narrow[1]], column_params) for condition, params, sure in parts]
    return " UNION ALL ".join(f"({sql})" for sql, _ in selects), [p for _, params in selects for p in params]


def ranked_listing(notices: QuerySet, steps: Plan, query: Query, unsure_up_to: int, check: Q) -> Listing | None:
    """read_candidates of every candidate, ranked by words (rank.ranked_ids): for a list that
    rank.ranks_every ranks so. Every candidate the index did not confirm is told, and those of
    them that fail `check` when at most `unsure_up_to`, in one statement (人民法院: three before).
    None when a candidate has no ranking row (a copy restored without its triggers): the list
    is read the usual way then."""
    rows, live = _live_rows(notices)
    if rows.empty:
        return Listing(0, [], [], ranked=True, failed=frozenset())
    parts = _part_conditions(rows.table, steps)
    candidates_sql, params = _union(rows, live, parts, lambda table, sure: f'{table}."id", {sure}')
    score = relevance(query, table=RankingRow)
    failing, failing_params = _failing(parts, check, unsure_up_to)
    with connections[notices.db].cursor() as cursor:
        cursor.execute(
            f"WITH c (id, sure) AS MATERIALIZED ({candidates_sql}), "
            f"u (id) AS MATERIALIZED (SELECT id FROM c WHERE NOT sure) "
            f"SELECT (SELECT count(*) FROM c), "
            f"ARRAY(SELECT id FROM (SELECT notice_id AS id, {score.sql} AS score, publish_date AS day "
            f"FROM {RankingRow._meta.db_table} WHERE notice_id = ANY(ARRAY(SELECT id FROM c))) r "
            f"ORDER BY {_ORDER_SQL['relevance']}), "
            f"ARRAY(SELECT id FROM c ORDER BY hashint8extended(id, %s) LIMIT %s), ARRAY(SELECT id FROM u), {failing}",
            [*params, *score.params, _seed(query), FACET_SAMPLE, *failing_params],
        )
        count, ids, sample, unsure, failed = cursor.fetchone()
    if len(ids) < count:
        return None
    return Listing(count, ids, sample, len(unsure), frozenset(unsure), ranked=True,
                   failed=None if failed is None else frozenset(failed))


def _seed(query: Query) -> int:
    """The seed of a search's sample: the same sample for the same search, so that estimates and
    facet counts do not jitter between pages."""
    return zlib.crc32(str(query).encode())


def _one_pass(notices: QuerySet, steps: Plan, query: Query, sort: str, first: int,
              complete_up_to: int, unsure_up_to: int, check: Q | None = None) -> Listing:
    """read_candidates by reading every candidate once."""
    score = cheap_score(query, notices.db) if sort == "relevance" and not query.is_empty else None
    score_sql, score_params = (score.sql, score.params) if score is not None else ("0.0", ())
    rows, live = _live_rows(notices)
    if rows.empty:
        return Listing(0, [], [], failed=frozenset())
    parts = _part_conditions(rows.table, steps)
    candidates_sql, params = _union(rows, live, parts, lambda table, sure: (
        f'{table}."id", {score_sql}, {table}."publish_date", {sure}'), score_params)
    failing, failing_params = _failing(parts, check, unsure_up_to)
    # Ids as read, negated where the index did not confirm the candidate: one array each.
    signed = "CASE WHEN sure THEN id ELSE -id END"
    with connections[notices.db].cursor() as cursor:
        cursor.execute(
            f"WITH c (id, score, day, sure) AS MATERIALIZED ({candidates_sql}), "
            f"n AS (SELECT count(*) AS n, count(*) FILTER (WHERE NOT sure) AS u FROM c), "
            f"u (id) AS MATERIALIZED (SELECT id FROM c WHERE NOT sure) "
            f"SELECT (SELECT n FROM n), (SELECT u FROM n), "
            f"ARRAY(SELECT {signed} FROM c ORDER BY {_ORDER_SQL[sort]} "
            f"LIMIT CASE WHEN (SELECT n FROM n) <= %s THEN %s ELSE %s END), "
            f"ARRAY(SELECT {signed} FROM c ORDER BY hashint8extended(id, %s) LIMIT %s), "
            f"ARRAY(SELECT id FROM u WHERE (SELECT u FROM n) <= %s), {failing}",
            [*params, complete_up_to, complete_up_to, first, _seed(query), FACET_SAMPLE, unsure_up_to, *failing_params],
        )
        count, unsure_count, ids, sample, unsure, failed = cursor.fetchone()
    unsure = {-pk for pk in ids + sample if pk < 0}.union(unsure)
    return Listing(count, [abs(pk) for pk in ids], [abs(pk) for pk in sample], unsure_count, frozenset(unsure),
                   failed=None if failed is None else frozenset(failed))


# Past this many candidates, a listing reads a sample and the few that can come first (_broad).
BROAD_FROM = 10000
_KEYS = 2 ** 32  # hashint8's values: -2**31 .. 2**31 - 1


def count_candidates(notices: QuerySet, steps: Plan, unsure: bool = False) -> int:
    """How many candidates (`unsure`: of those the index does not confirm), from the GIN index alone.

    A count that reads no column of the row is answered from the index's bitmap, without
    visiting the rows of pages the visibility map marks all-visible (整改 at 100,000 notices:
    a few ms; PostgreSQL releases since May 2025 visit each page, still reading no column). So the notices in the recycle bin are counted apart and taken off, rather than
    left out by their id, which every row would be read for."""
    rows, live = _live_rows(notices)
    if rows.empty:
        return 0
    parts = _part_conditions(rows.table, steps if unsure else replace(steps, confirmed=None), opaque=True)
    condition, params, _ = parts[-1]  # (all the candidates are one part when none is confirmed)
    selects = [rows.select("1", condition, params)]
    if live:
        selects.append(rows.select("1", f'({condition}) AND {rows.table}."deleted_at" IS NOT NULL', params))
    with connections[notices.db].cursor() as cursor:
        cursor.execute("SELECT " + " - ".join(f"(SELECT count(*) FROM ({sql}) c)" for sql, _ in selects),
                       [p for _, params in selects for p in params])
        return cursor.fetchone()[0]


def _holders(table: str, query: Query, above: int) -> tuple[str, list] | None:
    """A condition (SQL on the notice table named `table`, and its parameters) every notice whose
    relevance score (rank.relevance, words=False) is at least `above` meets, from the indexes of
    the folded title's and agency's character pairs; None when no notice can score so much.
    Each of n ranking words adds 2 for the title, 1 for the agency: above n, some title holds
    one; above 2n, some agency too."""
    terms = ranking_terms(query)
    if above <= 0:
        return "true", []
    if above > 3 * len(terms):
        return None
    either = heading_literal(query)
    title, agency = (_unit_grams(table, column, "%s::tsquery") for column in ("fold_title", "fold_agency"))
    if above <= 2 * len(terms) and above > len(terms):
        return title, [either]
    return f"({title} {'OR' if above <= len(terms) else 'AND'} {agency})", [either, either]


def _order_key(sort: str):
    """A row (id, score, day, sure)'s place in display order, as _ORDER_SQL sorts."""
    def key(row):
        pk, score, day, _ = row
        if sort == "oldest":
            return (day is None, day.toordinal() if day else 0, pk)
        return (-score if sort == "relevance" else 0, day is None, -day.toordinal() if day else 0, -pk)
    return key


def _rows(cursor, rows: Rows, live: bool, parts: list[tuple[str, list, bool]], score: tuple[str, list],
          narrow: tuple[str, list] = ("true", []), least: float | None = None, suffix: str = "", extra=()):
    """(id, score, day, sure) of each part's candidates among `rows` that meet `narrow` (and whose
    `score`, SQL and its parameters, is at least `least`, given), in one statement."""
    (score_sql, score_params), (narrow_sql, narrow_params) = score, narrow
    if least is not None:
        narrow_sql, narrow_params = f"({narrow_sql}) AND {score_sql} >= %s", [*narrow_params, *score_params, least]
    sql, params = _union(rows, live, parts, lambda table, sure: (
        f'{table}."id", {score_sql}, {table}."publish_date", {sure}, {_key(table)}'), score_params,
        (narrow_sql, narrow_params))
    cursor.execute(sql + suffix, [*params, *extra])
    return [row[:4] for row in cursor.fetchall()]


def _key(table: str) -> str:
    """The sample's key (models.SAMPLE_KEY, index notice_sample_key) of the notice table named `table`."""
    return f'{SAMPLE_KEY.extra["function"]}({table}."id")'  # (a Func given its function by name)


def _broad(notices: QuerySet, steps: Plan, count: int, query: Query, sort: str, first: int,
           unsure_up_to: int) -> Listing | None:
    """read_candidates for a broad word, from about FACET_SAMPLE + a few hundred rows; None when the
    sample cannot bound the first ones (a date missing: read every candidate then).

    The sample is the candidates of lowest key (index notice_sample_key): a uniform one, read from
    a key range that the GIN index's bitmap is intersected with. The first in display order are
    found from it: its k-th in display order (k about twice the share of the first `first` it
    should hold, plus 5) ranks below every candidate of a score above its own, which a few
    titles or agencies hold (_holders), and every one of its score dated no earlier; those are
    read, and the first `first` of them are the listing's first if at least that many rank no
    lower than the k-th (the others may have been missed).

    Each statement costs a scan of the GIN index (8-10 ms for a word in 100,000 notices): when
    the candidates the index did not confirm are few, they are listed first, and the rest read
    the candidates as one part."""
    if sort == "relevance" and ranking_terms(query) and heading_literal(query) is None:
        return None  # (a word without pairs: no index says which titles may hold it)
    score = relevance(query, words=False) if sort == "relevance" and not query.is_empty else None
    score = (score.sql, score.params) if score is not None else ("0.0", [])
    order = _order_key(sort)
    bound = -2 ** 31 + math.ceil(_KEYS * min(1.0, 1.25 * FACET_SAMPLE / count))
    notice_rows, live = _live_rows(notices)
    table = notice_rows.table
    parts = _part_conditions(table, steps, opaque=True)
    unsure_count = count_candidates(notices, steps, unsure=True) if len(parts) > 1 else 0 if parts[0][2] else count
    with connections[notices.db].cursor() as cursor:
        unsure = None
        if unsure_count <= unsure_up_to:
            unsure = [row[0] for row in _rows(cursor, notice_rows, live, [part for part in parts if not part[2]],
                                              ("0.0", []))] if unsure_count else []
            whole, params, _ = _part_conditions(table, replace(steps, confirmed=None), opaque=True)[0]
            parts = [(whole, params, True)]  # (those in `unsure` excepted)
        sample = _rows(cursor, notice_rows, live, parts, score, (f"{_key(table)} < %s", [bound]),
                       suffix=" ORDER BY 5 LIMIT %s", extra=[FACET_SAMPLE])
        ranked = sorted(sample, key=order)
        k = math.ceil(2 * first * len(sample) / count) + 5
        if len(ranked) < k or ranked[k - 1][2] is None:
            return None
        _, top, day, _ = ranked[k - 1]
        dated = (f'{table}."publish_date" {"<=" if sort == "oldest" else ">="} %s', [day])
        # (The score itself is tested on the rows read; only the holders' indexes find rows.)
        rows = _rows(cursor, notice_rows, live, parts, score, dated, top if sort == "relevance" else None)
        above = _holders(table, query, math.floor(top) + 1) if sort == "relevance" else None
        if above is not None:
            rows += _rows(cursor, notice_rows, live, parts, score, above, math.floor(top) + 1)
    rows = sorted(set(rows), key=order)
    if sum(1 for row in rows if order(row) <= order(ranked[k - 1])) < first:
        return None
    rows = rows[:first]
    unsure = set(unsure) if unsure is not None else {row[0] for row in rows + sample if not row[3]}
    return Listing(count, [row[0] for row in rows], [row[0] for row in sample], unsure_count, frozenset(unsure))
