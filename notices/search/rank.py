"""Stage 4, rank: display order by cheap signals only (a match in the title or agency, then
jieba word matches in the title and problem headings, then date).

Only unfielded terms rank. A fielded term (title:, agency:, problem:, measure:) says where its
word must be, and every match holds it there: it filters, and scoring it would order the
matches by whether their other parts happen to repeat it (agency:卫生健康委员会 by whether
problem headings name the commission), which is not what the reader asked. A query of fielded
terms only is therefore listed newest first, as sorted by date."""
from __future__ import annotations

from django.db import connection, connections
from django.db.models import Case, F, FloatField, Q, QuerySet, Value, When
from django.db.models.expressions import RawSQL

from .. import tokenize
from ..models import Notice, UnitGrams
from .query import Query, Term
from .sql import Matches, among, compiled_sql

RANK_LIMIT = 2000  # candidates ranked by jieba words too; past this, by title/agency hits and date
# A word vector this small (an empty one, say) is read whatever it holds: see _word_ranks.
SMALL_VECTOR_BYTES = 64
# Fewer notices than this are ranked by reading every vector: asking the index costs as much.
WORD_INDEX_FROM = 500


def ranking_terms(query: Query) -> list[Term]:
    """The terms relevance scores: the positive unfielded ones (see the module's doc)."""
    return [term for term in query.positive_terms if term.field is None]


def relevance(query: Query, words: bool = True, ranked: int | None = None) -> RawSQL | None:
    """Title/agency hits first, then (with `words`) jieba word matches in the head and problem headings.

    `ranked`: how many notices are ranked, when known; the word vectors are then read only where
    they can rank above the rest (_word_ranks).

    Written as SQL, for the notice table under its own name (the outer query of a Notice
    queryset): built as ORM expressions, composing and compiling the score cost 1-2.5 ms of
    Python a search, about what PostgreSQL takes to rank 100 matches. The SQL is the same the
    ORM wrote (the same sums in the same order, the same literals), so the same scores."""
    parts, params, phrases = [], [], []
    for term in ranking_terms(query):
        like = "%" + connection.ops.prep_for_like_query(term.folded) + "%"
        parts += [f"({_TABLE}.\"fold_title\"::text LIKE %s)::integer * 2", f"({_TABLE}.\"fold_agency\"::text LIKE %s)::integer"]
        params += [like, like]
        tokens = tokenize.words_query(term.text) if words else None
        if tokens:
            phrases.append((tokens, tokenize.query_tokens(term.text)))
    for sql, ps in _word_ranks(phrases, ranked):
        parts.append(sql)
        params += ps
    if not parts:
        return None
    total = parts[0]
    for part in parts[1:]:  # summed left to right, as the ORM nested them: floats add in that order
        total = f"({total} + {part})"
    return RawSQL(f"{total}::double precision", params, output_field=FloatField())


_TABLE = f'"{Notice._meta.db_table}"'


# Up to this many notices whose title or agency may hold a ranking word, only their rows are scored.
HEAD_HOLDERS = 2000


def head_holders(query: Query, using: str) -> list[int] | None:
    """The notices whose folded title or agency may hold a word relevance scores (a superset,
    from the indexes of their character pairs), or None when there are more than HEAD_HOLDERS (整改 is in
    nearly every title) or a word has no bag entry.

    Scoring a candidate reads its title and agency, the 27th and 28th columns of its row:
    decoding every column before them costs PostgreSQL twice what reading the id and the date
    does, for every candidate of a broad word (低保: 16,389), where usually none scores. Every
    other notice scores 0 without `words`.
    """
    literals = [tokenize.bag_query(t.folded) for t in ranking_terms(query)]
    if not literals or None in literals:
        return None
    either = " | ".join(f"({lit})" for lit in literals)
    holding = Notice.all_objects.using(using).filter(
        Q(Matches(UnitGrams("fold_title"), either)) | Q(Matches(UnitGrams("fold_agency"), either)))
    compiled = compiled_sql(holding.values_list("pk").order_by())
    if compiled is None:
        return None
    with connections[using].cursor() as cursor:  # (a LIMIT on the query itself would tempt the planner off the index)
        cursor.execute(f"WITH h (id) AS MATERIALIZED ({compiled[0]}) SELECT ARRAY(SELECT id FROM h LIMIT %s)",
                       [*compiled[1], HEAD_HOLDERS + 1])
        ids = cursor.fetchone()[0]  # (one value: 2,001 rows cost 1 ms more in Python)
    return ids if len(ids) <= HEAD_HOLDERS else None


def _ts_rank(vector: str) -> str:
    return f"COALESCE(ts_rank({vector}, %s::tsquery), 0.0)"


def _word_ranks(phrases: list[tuple[str, list[str]]], ranked: int | None) -> list[tuple[str, list]]:
    """ts_rank of each notice's word vector for each phrase (its tsquery literal and its tokens),
    as SQL and its parameters.

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
    vector = f'{_TABLE}."words"'
    if not phrases or ranked is None or ranked < WORD_INDEX_FROM:
        return [(_ts_rank(vector), [tokens]) for tokens, _ in phrases]
    holding = " | ".join(f"({tokenize.holding_query(words)})" for _, words in phrases)
    # The EXISTS is computed once (an InitPlan); when it is true, the hashed list is never built.
    read = (f"(EXISTS(SELECT 1 FROM {_TABLE} w WHERE w.\"words\" @@ %s::tsquery LIMIT 1 OFFSET {ranked // 2 - 1})"
            f" OR {_TABLE}.\"id\" IN (SELECT w.\"id\" FROM {_TABLE} w WHERE w.\"words\" @@ %s::tsquery)"
            f" OR {vector} IS NULL OR pg_column_size({vector}) < {SMALL_VECTOR_BYTES})")
    return [(f"CASE WHEN {read} THEN {_ts_rank(vector)} ELSE {_ts_rank('%s::tsvector')} END",
             [holding, holding, tokens, tokenize.NO_WORD, tokens]) for tokens, _ in phrases]


def ordered(qs: QuerySet, query: Query, sort: str, *, words: bool = True, ranked: int | None = None) -> QuerySet:
    """`qs` in display order; `words=False` leaves out the jieba ranking (it reads every word vector).
    `ranked`: how many notices `qs` selects, when known (see relevance).

    Without `words`, only the notices whose title or agency may hold a word are scored, looked up
    here (head_holders; a statement, when there are words): the same order, without reading
    every notice's title and agency (第一议题: 10,655 matches, none with it in a heading)."""
    date_order = [F("publish_date").desc(nulls_last=True), F("id").desc()]
    if sort == "oldest":
        return qs.order_by(F("publish_date").asc(nulls_last=True), "id")
    score = None if sort == "date" or query.is_empty else relevance(query, words, ranked)
    if score is not None and not words:  # only the notices whose title or agency may hold a word
        holders = head_holders(query, qs.db)
        if holders is not None:
            score = Case(When(among(holders), then=score), default=Value(0.0)) if holders else None
    if score is None:
        return qs.order_by(*date_order)
    return qs.annotate(search_score=score).order_by(F("search_score").desc(), *date_order)
