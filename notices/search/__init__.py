"""The search engine shared by the web pages, open data and `manage.py search`.

Callers import only the names below. Inside, a search runs in five stages, one module each
(engine.py runs them in order and says how): plan.py → candidates.py → verify.py → rank.py
→ hits.py; sql.py holds the ORM pieces they share, query.py the query language and
highlighting.py the highlighted snippets shown with results.
"""
from .engine import EXACT_LIMIT, SCOPES, SORTS, SPARSE_SHARE, SearchOutcome, in_display_order, search
from .highlighting import WholeWords, highlight, snippets, spans
from .hits import NoticeHit, UnitHit, attach_hits
from .query import EMPTY_FIELD, MAX_QUERY_CHARS, PUNCTUATION_ONLY, Query, Term, parse_query
from .rank import ordered
from .sql import among, ids_of, index_scans
from .verify import SAMPLE_SIZE, candidate_count, matching, problems_holding, unit_condition, unverified
from .words import substring_part, units_holding_words

__all__ = [
    "EMPTY_FIELD", "EXACT_LIMIT", "MAX_QUERY_CHARS", "PUNCTUATION_ONLY", "SAMPLE_SIZE", "SCOPES", "SORTS", "SPARSE_SHARE", "NoticeHit", "Query", "SearchOutcome", "Term",
    "UnitHit", "WholeWords", "among", "attach_hits", "candidate_count",
    "highlight", "ids_of", "in_display_order", "index_scans", "matching", "ordered", "parse_query", "problems_holding", "search", "snippets", "spans",
    "substring_part", "unit_condition", "units_holding_words", "unverified",
]
