"""Whole words (按词匹配): which substring matches hold the search words as jieba words.

Matching is by substring, so 台账 also finds 平台账号. A term occurs as a word where jieba's
search mode begins a word at its first character and ends one at its last
(tokenize.has_word). By default every substring match stays and, among a small result
(EXACT_LIMIT notices), those holding every word whole come first; the word mode
(`whole_words`) keeps only them, exclusions included (-台账 then drops notices with the word
台账, not those with 平台账号). PostgreSQL cannot segment, so this runs in Python on the texts
of notices the substring test passed.
"""
from __future__ import annotations

from dataclasses import replace

from django.db.models import Q, QuerySet, Value
from django.db.models.functions import Greatest, StrIndex, Substr

from ..models import Issue, Measure, Notice
from ..tokenize import WORD_WINDOW, has_word, is_word_at
from .query import Query, Term
from .sql import among, contains

UNIT_MODELS = {"problem": Issue, "measure": Measure}


def substring_part(query: Query, whole_words: bool) -> Query:
    """What the substring test checks: the query, or in the word mode its positive terms only
    (a notice holding 平台账号 but not the word 台账 is not excluded by -台账 there)."""
    return replace(query, excluded=()) if whole_words else query


def passing(ids: list[int], query: Query, scope: str) -> list[int]:
    """The notices of `ids` (in their order) that match `query` with every term as a whole word."""
    if not ids:
        return []
    texts = _NoticeTexts(ids, query)
    units = {kind: _unit_texts(ids, query, kind, scope) for kind in UNIT_MODELS}
    return [pk for pk in ids if pk in texts.heads and _notice_passes(
        query, scope, pk, texts, {k: u.get(pk, []) for k, u in units.items()})]


class _NoticeTexts:
    """Notices' folded titles and agencies, and of their long texts only what the test reads.

    Fetching 400 whole texts (19 KB each) cost more than the rest of a search: so for each
    term, the window around its first occurrence comes first (tokenize.is_word_at needs no
    more to judge that occurrence), and a text is read whole only where that occurrence is
    not a word.
    """

    def __init__(self, ids: list[int], query: Query):
        terms = list(dict.fromkeys(t.folded for t in [*query.positive_terms, *query.excluded]))
        windows = {}
        for index, term in enumerate(terms):
            at = StrIndex("fold_text", Value(term))
            windows[f"w{index}_at"] = at
            windows[f"w{index}"] = Substr("fold_text", Greatest(at - WORD_WINDOW, 1), len(term) + 2 * WORD_WINDOW)
        rows = Notice.objects.filter(among(ids)).annotate(**windows).values_list(
            "pk", "fold_title", "fold_agency", *windows)
        self.heads: dict[int, tuple[str, str]] = {}
        self.first: dict[tuple[int, str], tuple[int, str]] = {}  # (notice, term) -> (position from 1, window)
        for pk, title, agency, *found in rows:
            self.heads[pk] = (title, agency)
            for index, term in enumerate(terms):
                self.first[pk, term] = (found[2 * index], found[2 * index + 1])
        self.whole: dict[int, str] = {}

    def holds(self, pk: int, term: str) -> bool:
        """Whether the notice's text holds `term` as a whole word."""
        at, window = self.first[pk, term]
        if not at:
            return False
        start = min(at - 1, WORD_WINDOW)  # where the first occurrence sits in its window
        if is_word_at(window, start, start + len(term)):
            return True
        if pk not in self.whole:
            self.whole[pk] = Notice.objects.values_list("fold_text", flat=True).get(pk=pk)
        return has_word(self.whole[pk], term)


def whole_words_first(ids: list[int], query: Query, scope: str) -> list[int]:
    """`ids` (substring matches of `query`) with the notices holding every word whole first, each
    part in its order.

    A match holds no excluded term where the term excludes it, so as no whole word either: only
    a problem or measure scope's own exclusions (which the matching unit alone must lack) are
    read, not the others' windows of every text (养老 -机构: 201 matches, each text read twice)."""
    unit_own = tuple(t for t in query.excluded if scope in UNIT_MODELS and t.field is None)
    whole = set(passing(ids, replace(query, excluded=unit_own), scope))
    return [pk for pk in ids if pk in whole] + [pk for pk in ids if pk not in whole]


def units_holding_words(rows: QuerySet, query: Query) -> QuerySet:
    """Of problem or measure `rows` holding the unfielded terms as substrings, those holding them
    (and no excluded one) as whole words."""
    kept = [pk for pk, folded in rows.order_by().values_list("pk", "fold_text") if unit_passes(folded, query)]
    return rows.filter(among(kept))


def unit_passes(folded: str, query: Query) -> bool:
    """A problem's or measure's folded text holds the unfielded clauses as words, and no excluded word."""
    clauses = [c for c in query.clauses if all(t.field is None for t in c)]
    excluded = [t for t in query.excluded if t.field is None]
    return (all(any(has_word(folded, t.folded) for t in clause) for clause in clauses)
            and not any(has_word(folded, t.folded) for t in excluded))


def _unit_texts(ids: list[int], query: Query, kind: str, scope: str) -> dict[int, list[str]]:
    """The folded texts of the notices' problems (or measures) that hold a term the check reads there."""
    terms = [t for t in [*query.positive_terms, *query.excluded]
             if t.field == kind or (t.field is None and scope == kind)]
    if not terms:
        return {}
    holding = Q()
    for term in terms:
        holding |= Q(contains("fold_text", term.folded))
    found: dict[int, list[str]] = {}
    rows = UNIT_MODELS[kind].objects.filter(notice_id__in=ids).filter(holding).values_list("notice_id", "fold_text")
    for notice_id, folded in rows:
        found.setdefault(notice_id, []).append(folded)
    return found


def _notice_passes(query: Query, scope: str, pk: int, texts: _NoticeTexts, units: dict[str, list[str]]) -> bool:
    title, agency = texts.heads[pk]

    def holds(term: Term) -> bool:
        if term.field == "title":
            return has_word(title, term.folded)
        if term.field == "agency":
            return has_word(agency, term.folded)
        if term.field in UNIT_MODELS:
            return any(has_word(u, term.folded) for u in units[term.field])
        return has_word(title, term.folded) or has_word(agency, term.folded) or texts.holds(pk, term.folded)

    unit_scope = scope in UNIT_MODELS
    for clause in query.clauses:
        if unit_scope and all(t.field is None for t in clause):
            continue  # within one unit, below
        if not any(holds(t) for t in clause):
            return False
    if any(holds(t) for t in query.excluded if not (unit_scope and t.field is None)):
        return False
    within_units = any(t.field is None for t in [*query.positive_terms, *query.excluded])
    return not (unit_scope and within_units) or any(unit_passes(u, query) for u in units[scope])
