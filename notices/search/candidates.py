"""Stage 2, candidates: the notices whose gram bag holds every bag entry of the query, and one
pass over them that counts them, lists the first in display order and draws a fixed sample.

A superset of the true matches: nothing a substring search would find is missed here.
"""
from __future__ import annotations

import zlib
from dataclasses import dataclass

from django.db import connections
from django.db.models import QuerySet, Value

from .plan import Plan
from .query import Query
from .rank import RANK_LIMIT, relevance
from .sql import Matches, compiled_sql

FACET_SAMPLE = 1000  # past this many candidates, facets count a random sample of them, scaled


def candidates(notices: QuerySet, steps: Plan) -> QuerySet:
    return notices.filter(Matches("grams", steps.bag)) if steps.bag is not None else notices


@dataclass(frozen=True)
class Listing:
    count: int  # candidates
    first: list[int]  # the first of them in display order (without jieba ranking)
    sample: list[int]  # a fixed pseudo-random sample of them, FACET_SAMPLE at most

    @property
    def complete(self) -> bool:
        return len(self.first) == self.count


_ORDER_SQL = {
    "relevance": "score DESC, day DESC NULLS LAST, id DESC",
    "date": "day DESC NULLS LAST, id DESC",
    "oldest": "day ASC NULLS LAST, id ASC",
}


def read_candidates(pool: QuerySet, query: Query, sort: str, first: int, complete_up_to: int = RANK_LIMIT) -> Listing:
    """How many candidates, the first `first` in display order (all of them, up to
    `complete_up_to`), and a sample: one pass over them.

    Reading the candidate rows is the expensive part of a broad search, so it happens once;
    the sample (ordered by a hash of the id, seeded by the query) is the same for the same
    search, so estimates and facet counts do not jitter between pages.
    """
    score = relevance(query, words=False) if sort == "relevance" and not query.is_empty else None
    columns = pool.annotate(search_score=score if score is not None else Value(0.0))
    compiled = compiled_sql(columns.values_list("pk", "search_score", "publish_date").order_by())
    if compiled is None:
        return Listing(0, [], [])
    sql, params = compiled
    seed = zlib.crc32(str(query).encode())
    with connections[pool.db].cursor() as cursor:
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
