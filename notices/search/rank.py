"""Stage 4, rank: display order by cheap signals only (a match in the title or agency, then
jieba word matches in the title and problem headings, then date)."""
from __future__ import annotations

from django.db.models import Case, Exists, F, FloatField, Func, IntegerField, Q, QuerySet, Value, When
from django.db.models.functions import Cast, Coalesce
from django.db.models.lookups import LessThan

from .. import tokenize
from ..models import Notice
from .query import Query
from .sql import Matches, TsQuery, contains

RANK_LIMIT = 2000  # candidates ranked by jieba words too; past this, by title/agency hits and date
# A word vector this small (an empty one, say) is read whatever it holds: see _word_ranks.
SMALL_VECTOR_BYTES = 64
# Fewer notices than this are ranked by reading every vector: asking the index costs as much.
WORD_INDEX_FROM = 500


def relevance(query: Query, words: bool = True, ranked: int | None = None):
    """Title/agency hits first, then (with `words`) jieba word matches in the head and problem headings.

    `ranked`: how many notices are ranked, when known; the word vectors are then read only where
    they can rank above the rest (_word_ranks)."""
    parts, phrases = [], []
    for term in query.positive_terms:
        if term.field in ("problem", "measure"):
            continue
        parts.append(Cast(contains("fold_title", term.folded), IntegerField()) * Value(2))
        parts.append(Cast(contains("fold_agency", term.folded), IntegerField()))
        tokens = tokenize.words_query(term.text) if words else None
        if tokens:
            phrases.append((tokens, tokenize.query_tokens(term.text)))
    parts += _word_ranks(phrases, ranked)
    if not parts:
        return None
    total = parts[0]
    for part in parts[1:]:
        total = total + part
    return Cast(total, FloatField())


def _ts_rank(vector, tokens: str):
    return Coalesce(Func(vector, TsQuery(Value(tokens)), function="ts_rank", output_field=FloatField()), Value(0.0))


def _word_ranks(phrases: list[tuple[str, list[str]]], ranked: int | None) -> list:
    """ts_rank of each notice's word vector for each phrase (its tsquery literal and its tokens).

    Reading the vectors is most of what ranking costs (“两个维护”: 1,248 matches, about 15 of
    20 ms; 6 ms without), and a phrase found in the text is often in no heading (none of those
    1,248). ts_rank
    gives every non-empty vector that holds fewer than one of a phrase's words (or, for a phrase
    of several words, fewer than two) the same rank: 0, or 1e-20. So when the vectors that hold
    enough of them (found by their index) are fewer than half of `ranked` notices, only those,
    and NULL or small ones (an empty vector ranks 0), are read; every other notice gets the rank
    of a stand-in vector holding none of the words: the same ranks, the same order. Whether
    they are that few is asked in the same statement, once (about 1 ms when they are not:
    人民法院, whose 1,537 matches all hold it).
    """
    ranks = [_ts_rank(F("words"), tokens) for tokens, _ in phrases]
    if not phrases or ranked is None or ranked < WORD_INDEX_FROM:
        return ranks
    holding = " | ".join(f"({tokenize.holding_query(words)})" for _, words in phrases)
    readers = Notice.all_objects.filter(Matches("words", holding)).order_by().values("pk")
    many = Exists(readers[ranked // 2 - 1:ranked // 2])  # computed once; when true, the rest is not
    read = (Q(many) | Q(pk__in=readers) | Q(words__isnull=True)
            | Q(LessThan(Func(F("words"), function="pg_column_size"), SMALL_VECTOR_BYTES)))
    stand_in = Func(Value(tokenize.NO_WORD), template="%(expressions)s::tsvector")
    return [Case(When(read, then=rank), default=_ts_rank(stand_in, tokens), output_field=FloatField())
            for rank, (tokens, _) in zip(ranks, phrases)]


def ordered(qs: QuerySet, query: Query, sort: str, *, words: bool = True, ranked: int | None = None) -> QuerySet:
    """`qs` in display order; `words=False` leaves out the jieba ranking (it reads every word vector).
    `ranked`: how many notices `qs` selects, when known (see relevance)."""
    date_order = [F("publish_date").desc(nulls_last=True), F("id").desc()]
    if sort == "oldest":
        return qs.order_by(F("publish_date").asc(nulls_last=True), "id")
    score = None if sort == "date" or query.is_empty else relevance(query, words, ranked)
    if score is None:
        return qs.order_by(*date_order)
    return qs.annotate(search_score=score).order_by(F("search_score").desc(), *date_order)
