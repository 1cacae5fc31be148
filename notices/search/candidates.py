"""Stage 2, candidates: the notices whose gram bag holds every bag entry of the query, and one
pass over them that counts them, lists the first in display order and draws a fixed sample.

A superset of the true matches: nothing a substring search would find is missed here.
"""
from __future__ import annotations

import zlib
from dataclasses import dataclass

from django.db import connections
from django.db.models import Case, Q, QuerySet, Value, When
from django.db.models.lookups import IsNull
from django.db.models.sql.where import AND

from ..models import Notice, UnitGrams
from .plan import Plan
from .query import Query
from .rank import RANK_LIMIT, head_holders, relevance
from .sql import Matches, among, compiled_sql

FACET_SAMPLE = 1000  # past this many candidates, facets count a random sample of them, scaled


def candidates(notices: QuerySet, steps: Plan) -> QuerySet:
    """The notices whose bag (or, for title: and agency: terms alone, whose column) holds the
    query's pairs: a superset of its matches."""
    if steps.bag is None and not steps.fielded:
        return notices
    notices = live_by_id(notices)
    for clause in steps.fielded:
        either = Q()
        for column, literal in clause:
            either |= Q(Matches(UnitGrams(column), literal))
        notices = notices.filter(either)
    return notices.filter(Matches("grams", steps.bag)) if steps.bag is not None else notices


def candidate_parts(notices: QuerySet, steps: Plan) -> list[tuple[QuerySet, bool]]:
    """The candidates as querysets the GIN index answers alone, each with whether its notices
    surely match: those the index confirms (plan.Plan.confirmed) apart from the rest."""
    if steps.bag is None or steps.confirmed is None:  # (always so for a query looked up by column)
        return [(candidates(notices, steps), steps.exact)]
    notices = live_by_id(notices)
    return [(notices.filter(Matches("grams", f"({steps.bag}) & ({steps.confirmed})")), True),
            (notices.filter(Matches("grams", f"({steps.bag}) & !({steps.confirmed})")), False)]


def live_by_id(notices: QuerySet) -> QuerySet:
    """`notices` with the live manager's test of each row (deleted_at IS NULL) swapped for a test of
    its id against the few notices in the recycle bin (index notice_in_recycle_bin): the same rows.

    Candidates are read by the thousand, and deleted_at is the notice row's 36th column, the
    id its first: reaching the one costs PostgreSQL more than the rest of a candidate's row
    (整改 at 20,000 notices: 16.3 ms of CPU to list the candidates' ids, 6.3 ms with this).
    """
    where = notices.query.where
    if notices.model is not Notice or where.connector != AND or where.negated:
        return notices
    if not any(_is_live_test(child) for child in where.children):
        return notices
    swapped = notices.all()  # a copy of the query and its conditions
    swapped.query.where.children = [child for child in swapped.query.where.children if not _is_live_test(child)]
    return swapped.exclude(pk__in=Notice.all_objects.filter(deleted_at__isnull=False).values("pk"))


def _is_live_test(condition) -> bool:
    column = getattr(condition, "lhs", None)
    return (isinstance(condition, IsNull) and condition.rhs is True and getattr(column, "alias", None) == Notice._meta.db_table
            and getattr(column, "target", None) == Notice._meta.get_field("deleted_at"))


@dataclass(frozen=True)
class Listing:
    count: int  # candidates
    first: list[int]  # the first of them in display order (without jieba ranking)
    sample: list[int]  # a fixed pseudo-random sample of them, FACET_SAMPLE at most
    unsure_count: int = 0  # candidates the index did not confirm: their text decides
    # Those of them among `first` and `sample`, or all of them when there are no more than
    # `unsure_up_to` (every other candidate is a match then).
    unsure: frozenset[int] = frozenset()

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


def read_candidates(parts: list[tuple[QuerySet, bool]], query: Query, sort: str, first: int,
                    complete_up_to: int = RANK_LIMIT, unsure_up_to: int = 0) -> Listing:
    """How many candidates, the first `first` in display order (all of them, up to
    `complete_up_to`), a sample, and which of those the index did not confirm (all such
    candidates, up to `unsure_up_to`): one pass over them.

    Reading the candidate rows is the expensive part of a broad search, so it happens once;
    the sample (ordered by a hash of the id, seeded by the query) is the same for the same
    search, so estimates and facet counts do not jitter between pages.
    """
    score = relevance(query, words=False) if sort == "relevance" and not query.is_empty else None
    if score is not None and parts:
        holders = head_holders(query, parts[0][0].db)
        if holders is not None:  # the rest score 0: their titles and agencies are not read at all
            score = Case(When(among(holders), then=score), default=Value(0.0)) if holders else None
    selects, params = [], []
    for pool, sure in parts:
        columns = pool.annotate(search_score=score if score is not None else Value(0.0), sure=Value(sure))
        compiled = compiled_sql(columns.values_list("pk", "search_score", "publish_date", "sure").order_by())
        if compiled is not None:
            selects.append(compiled[0])
            params += compiled[1]
    if not selects:
        return Listing(0, [], [])
    seed = zlib.crc32(str(query).encode())
    # Ids as read, negated where the index did not confirm the candidate: one array each.
    signed = "CASE WHEN sure THEN id ELSE -id END"
    with connections[parts[0][0].db].cursor() as cursor:
        cursor.execute(
            f"WITH c (id, score, day, sure) AS MATERIALIZED ({' UNION ALL '.join(selects)}), "
            f"n AS (SELECT count(*) AS n, count(*) FILTER (WHERE NOT sure) AS u FROM c) "
            f"SELECT (SELECT n FROM n), (SELECT u FROM n), "
            f"ARRAY(SELECT {signed} FROM c ORDER BY {_ORDER_SQL[sort]} "
            f"LIMIT CASE WHEN (SELECT n FROM n) <= %s THEN %s ELSE %s END), "
            f"ARRAY(SELECT {signed} FROM c ORDER BY hashint8extended(id, %s) LIMIT %s), "
            f"ARRAY(SELECT id FROM c WHERE NOT sure AND (SELECT u FROM n) <= %s)",
            [*params, complete_up_to, complete_up_to, first, seed, FACET_SAMPLE, unsure_up_to],
        )
        count, unsure_count, ids, sample, unsure = cursor.fetchone()
    unsure = {-pk for pk in ids + sample if pk < 0}.union(unsure)
    return Listing(count, [abs(pk) for pk in ids], [abs(pk) for pk in sample], unsure_count, frozenset(unsure))
