"""Search: the query language (query.py), the engine (engine.py), snippets (snippets.py)."""
from .engine import LEVELS, SORTS, SearchOutcome, matching, search
from .query import Query, Term, parse_query

__all__ = ["LEVELS", "SORTS", "Query", "SearchOutcome", "Term", "matching", "parse_query", "search"]
