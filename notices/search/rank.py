"""Stage 4, rank: display order by cheap signals only (a match in the title or agency, then
jieba word matches in the title and problem headings, then date)."""
from __future__ import annotations

from django.db.models import F, FloatField, Func, IntegerField, QuerySet, Value
from django.db.models.functions import Cast, Coalesce

from .. import tokenize
from .query import Query
from .sql import TsQuery, contains

RANK_LIMIT = 2000  # candidates ranked by jieba words too; past this, by title/agency hits and date


def relevance(query: Query, words: bool = True):
    """Title/agency hits first, then (with `words`) jieba word matches in the head and problem headings."""
    parts = []
    for term in query.positive_terms:
        if term.field in ("problem", "measure"):
            continue
        parts.append(Cast(contains("fold_title", term.folded), IntegerField()) * Value(2))
        parts.append(Cast(contains("fold_agency", term.folded), IntegerField()))
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
    score = None if sort == "date" or query.is_empty else relevance(query, words)
    if score is None:
        return qs.order_by(*date_order)
    return qs.annotate(search_score=score).order_by(F("search_score").desc(), *date_order)
