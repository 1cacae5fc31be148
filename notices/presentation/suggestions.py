"""What to try when a search finds nothing: each suggestion is a link that is known to find something.

Tried in order, each counted against the archive before it is offered, as the search counts
(exact, or past search.EXACT_LIMIT unconfirmed candidates an estimate shown as 约: an exact
count of a broad word read every candidate's text, 0.6 s for 民政局 at 20,000 notices):
1. drop one filter (a chip), or all of them;
2. search the whole text instead of only problems or measures;
3. split a long run of characters into words (低保动态管理 -> 低保 动态管理);
4. a close spelling among agency names and topic words (did you mean);
5. drop the exclusions.
"""
from __future__ import annotations

import difflib
import functools
from dataclasses import dataclass

from django.db.models import QuerySet
from django.http import QueryDict

from .. import tokenize
from ..models import Agency
from ..opendata.selection import forgiving, tidy
from ..search import search
from ..topics import TOPICS
from . import links as P
from .search_state import SearchState

MAX_SUGGESTIONS = 6


@dataclass(frozen=True)
class Suggestion:
    text: str
    url: str
    count: int  # notices it finds
    estimated: bool = False


@functools.lru_cache(maxsize=1)
def _topic_words() -> tuple[str, ...]:
    words = {part for t in TOPICS for part in t.label.split("/")} | {k for t in TOPICS for k in t.keywords}
    return tuple(sorted(words))


def _did_you_mean(term: str) -> str | None:
    vocabulary = list(_topic_words()) + list(Agency.objects.values_list("name", flat=True)[:5000])
    folded = dict(zip(tokenize.fold_many(vocabulary), vocabulary))  # in one pass: 5,000 folds one by one took 15 ms
    close = difflib.get_close_matches(tokenize.fold(term), list(folded), n=1, cutoff=0.6)
    return folded[close[0]] if close and folded[close[0]] != term else None


def _rewrites(state: SearchState) -> list[tuple[str, str]]:
    """(text, new q) alternatives for the words themselves."""
    out = []
    terms = [t for clause in state.query.clauses for t in clause if t.field is None]
    for term in terms:
        words = [w for w in tokenize.query_tokens(term.text) if w.strip()]
        if len(term.text) >= 4 and len(words) > 1:
            out.append((f"拆成词语：{' '.join(words)}", state.q.replace(term.text, " ".join(words), 1)))
        better = _did_you_mean(term.text)
        if better:
            out.append((f"您是不是要找：{better}", state.q.replace(term.text, better, 1)))
    if state.query.excluded:
        kept = " ".join(str(t) if " " not in t.text else f'"{t.text}"' for t in state.query.positive_terms)
        if kept:
            out.append(("不排除任何词语", kept))
    return out


def suggestions(state: SearchState, base: QuerySet) -> list[Suggestion]:
    """Links that find something, for a search that found nothing."""
    if state.query.is_empty and not state.has_filters:
        return []
    candidates: list[tuple[str, QueryDict]] = []  # (text, the query string that would find something)
    for chip in state.chips():
        if chip.name in ("检索词", "范围"):
            continue
        candidates.append((f"去掉“{chip.name}：{chip.value}”", _params_of(chip.remove_url)))
    if state.has_filters and not state.query.is_empty:
        only_q = tidy(_params_of(P.with_value(state.params, "q", state.q)), frozenset({"q", "scope"}))
        candidates.append(("在全部通报中检索", only_q))
    if state.scope != "notice" and not state.query.is_empty:
        candidates.append(("在全文中检索", _params_of(P.with_value(state.params, "scope", "notice"))))
    for text, new_q in _rewrites(state):
        candidates.append((text, _params_of(P.with_value(state.params, "q", new_q))))

    out: list[Suggestion] = []
    seen: set[str] = set()
    for text, params in candidates:
        url = P.query_string(params)
        if url in seen:
            continue
        seen.add(url)
        chosen = forgiving(params, default_scope=state.default_scope, base=base)
        found = search(chosen.notices, chosen.query, scope=chosen.scope, sort="date", per_page=1, with_hits=False,
                       whole_words=chosen.whole_words)
        if found.total:
            out.append(Suggestion(text, url, found.total, found.estimated))
        if len(out) >= MAX_SUGGESTIONS:
            break
    return out


def _params_of(query_string: str) -> QueryDict:
    return QueryDict(query_string.lstrip("?"), mutable=True)
