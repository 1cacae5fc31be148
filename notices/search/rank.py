"""Stage 4, rank: display order by cheap signals only (a match in the title or agency, then
jieba word matches in the title and problem headings, then date).

Only unfielded terms rank. A fielded term (title:, agency:, problem:, measure:) says where its
word must be, and every match holds it there: it filters, and scoring it would order the
matches by whether their other parts happen to repeat it (agency:卫生健康委员会 by whether
problem headings name the commission), which is not what the reader asked. A query of fielded
terms only is therefore listed newest first, as sorted by date."""
from __future__ import annotations

from django.db import connection, connections
from django.db.models import F, FloatField, Model, QuerySet
from django.db.models.expressions import RawSQL

from .. import tokenize
from ..models import Notice, RankingRow
from .query import Query, Term
from .sql import among, id_array_literal, ids_of

RANK_LIMIT = 2000  # candidates ranked by jieba words too; past this, by title/agency hits and date


def ranking_terms(query: Query) -> list[Term]:
    """The terms relevance scores: the positive unfielded ones (see the module's doc)."""
    return [term for term in query.positive_terms if term.field is None]


def ranks_every(query: Query, sort: str, count: int) -> bool:
    """Whether a search puts a complete list of `count` matches in order by jieba words too
    (ranked_ids): by relevance, more than one and at most RANK_LIMIT, with a word that ranks. Such
    a list is read in any order first: its cheap order would be thrown away."""
    return sort == "relevance" and 1 < count <= RANK_LIMIT and bool(ranking_terms(query))


def relevance(query: Query, words: bool = True, table: type[Model] = Notice) -> RawSQL | None:
    """Title/agency hits first, then (with `words`) jieba word matches in the head and problem headings.

    Written as SQL, for `table` under its own name (the outer query of its queryset: the notices,
    or their ranking rows, which have the same column names): built as ORM expressions, composing
    and compiling the score cost 1-2.5 ms of Python a search, about what PostgreSQL takes to rank
    100 matches. The SQL is the same the ORM wrote (the same sums in the same order, the same
    literals), so the same scores."""
    name = f'"{table._meta.db_table}"'
    parts, params = [], []
    for term in ranking_terms(query):
        like = "%" + connection.ops.prep_for_like_query(term.folded) + "%"
        parts += [f"({name}.\"fold_title\"::text LIKE %s)::integer * 2", f"({name}.\"fold_agency\"::text LIKE %s)::integer"]
        params += [like, like]
    for term in ranking_terms(query) if words else ():
        tokens = tokenize.words_query(term.text)
        if tokens:  # ts_rank of the word vector, the phrase's tokens in order
            parts.append(f"COALESCE(ts_rank({name}.\"words\", %s::tsquery), 0.0)")
            params.append(tokens)
    if not parts:
        return None
    total = parts[0]
    for part in parts[1:]:  # summed left to right, as the ORM nested them: floats add in that order
        total = f"({total} + {part})"
    return RawSQL(f"{total}::double precision", params, output_field=FloatField())


# Up to this many notices whose title or agency may hold a ranking word, only their rows are scored.
HEAD_HOLDERS = 2000
_NOTICES = f'"{Notice._meta.db_table}"'


def heading_literal(query: Query) -> str | None:
    """The bag literal of a folded title or agency that may hold any word relevance scores (the
    indexes notice_title_grams and notice_agency_grams answer it); None when no word scores or
    one has no character pair to look up."""
    literals = [tokenize.bag_query(t.folded) for t in ranking_terms(query)]
    if not literals or None in literals:
        return None
    return " | ".join(f"({lit})" for lit in literals)


def head_holders(query: Query, using: str) -> list[int] | None:
    """The notices whose folded title or agency may hold a word relevance scores (a superset,
    from the indexes of their character pairs), or None when there are more than HEAD_HOLDERS (整改 is in
    nearly every title) or a word has no bag entry.

    Scoring a candidate reads its title and agency, the 27th and 28th columns of its row:
    decoding every column before them costs PostgreSQL twice what reading the id and the date
    does, for every candidate of a broad word (低保: 16,389), where usually none scores. Every
    other notice scores 0 without `words`.
    """
    either = heading_literal(query)
    if either is None:
        return None
    # Written as SQL (the expressions of the indexes notice_title_grams and notice_agency_grams):
    # built with the ORM, it cost half a millisecond of Python a search. A LIMIT on the query
    # itself would tempt the planner off the indexes.
    with connections[using].cursor() as cursor:
        cursor.execute(f"WITH h (id) AS MATERIALIZED (SELECT id FROM {_NOTICES} WHERE unit_grams(fold_title) @@ %s::tsquery"
                       f" OR unit_grams(fold_agency) @@ %s::tsquery) SELECT ARRAY(SELECT id FROM h LIMIT %s)",
                       [either, either, HEAD_HOLDERS + 1])
        ids = cursor.fetchone()[0]  # (one value: 2,001 rows cost 1 ms more in Python)
    return ids if len(ids) <= HEAD_HOLDERS else None


def cheap_score(query: Query, using: str, table: type[Model] = Notice) -> RawSQL | None:
    """relevance without words, scoring only the notices whose title or agency may hold a word
    (head_holders): every other one scores 0 without either being read. None when none can score.
    Written as SQL, as relevance is, for candidates.py to write into its statements."""
    score = relevance(query, words=False, table=table)
    if score is None:
        return None
    holders = head_holders(query, using)
    if holders is None:  # too many to list: every notice scored
        return score
    if not holders:
        return None
    pk = f'"{table._meta.db_table}"."{table._meta.pk.column}"'
    return RawSQL(f"CASE WHEN {pk} = ANY(%s::bigint[]) THEN {score.sql} ELSE 0.0 END",
                  [id_array_literal(holders), *score.params], output_field=FloatField())


def ordered(qs: QuerySet, query: Query, sort: str, *, words: bool = True) -> QuerySet:
    """`qs` (notices, or their ranking rows) in display order; `words=False` leaves out the jieba
    ranking (it reads every word vector).

    Without `words`, only the notices whose title or agency may hold a word are scored, looked up
    here (head_holders; a statement, when there are words): the same order, without reading
    every notice's title and agency (第一议题: 10,655 matches, none with it in a heading)."""
    date_order = [F("publish_date").desc(nulls_last=True), F("pk").desc()]
    if sort == "oldest":
        return qs.order_by(F("publish_date").asc(nulls_last=True), "pk")
    if sort == "date" or query.is_empty:
        score = None
    else:
        score = relevance(query, table=qs.model) if words else cheap_score(query, qs.db, qs.model)
    if score is None:
        return qs.order_by(*date_order)
    return qs.annotate(search_score=score).order_by(F("search_score").desc(), *date_order)


def ranked_ids(ids: list[int], query: Query) -> list[int]:
    """`ids` (at most RANK_LIMIT live notices) in relevance order with jieba words, as
    ordered(Notice.objects.filter(among(ids)), query, "relevance") lists them, read from their
    ranking rows (ranking_rows.py) instead of the notices' wide rows and the vectors' TOAST.

    Every vector is read: in a narrow row that costs little (人民法院's 1,537 matches, every one
    holding it: 2.7 ms, against 31 from the notice table), and less than first asking an index
    which vectors hold the words (3.8 ms; 2.8 against 3.2 for “两个维护”'s 1,248, none holding it)."""
    listed = ids_of(ordered(RankingRow.objects.filter(among(ids)), query, "relevance"))
    if len(listed) == len(ids):
        return listed
    # A notice without its row (a copy restored without its triggers, say) is still listed.
    return ids_of(ordered(Notice.objects.filter(among(ids)), query, "relevance"))
