"""Query parameters shared by the API, the CSV downloads and the feeds, checked in one place.

A selection is what a list view shows: the list view's filters (NoticeFilter), a search
`q` in the query language, the search `scope` (notice, problem or measure: where all the
words must occur together), a `sort`, and for paged answers `page` and `per_page`.
`level` stays the list view's filter (the agency's administrative level), which is why the
search level is called `scope` here; `level=problem` (notice, measure) is read as the scope too.

Bad values raise BadParameters with a complete sentence per parameter, never a silent default.
"""
from __future__ import annotations

from dataclasses import dataclass

from django.db.models import QuerySet
from django.http import QueryDict

from ..filters import NoticeFilter
from ..models import Notice
from ..search import LEVELS, MAX_QUERY_CHARS, SORTS, Query, parse_query

SCOPES = LEVELS
DEFAULT_PER_PAGE = 20
MAX_PER_PAGE = 100
# Deep pages cost a scan each; past this many rows the CSV export is the way to get everything.
MAX_OFFSET = 10_000

SELECTION_PARAMS = frozenset({"q", "scope", "sort", *NoticeFilter.base_filters})
PAGE_PARAMS = frozenset({"page", "per_page"})


class BadParameters(Exception):
    """One or more query parameters are wrong; `errors` maps each to what to do instead."""

    def __init__(self, errors: dict[str, str]):
        super().__init__("; ".join(f"{k}: {v}" for k, v in errors.items()))
        self.errors = errors

    @property
    def message(self) -> str:
        return " ".join(self.errors.values())


@dataclass(frozen=True)
class Selection:
    params: QueryDict  # the filters as given (for facets and toggle links)
    query: Query
    scope: str
    sort: str
    notices: QuerySet  # the filtered notices, before the search

    def matching(self) -> QuerySet:
        """Exactly the notices this selection shows, unordered."""
        from ..search import matching

        return matching(self.notices, self.query, self.scope)


@dataclass(frozen=True)
class Page:
    number: int
    size: int

    @property
    def offset(self) -> int:
        return (self.number - 1) * self.size


def _single(params: QueryDict, name: str, errors: dict[str, str]) -> str | None:
    values = params.getlist(name)
    if len(values) > 1:
        errors[name] = f"Give `{name}` once, not {len(values)} times."
        return None
    return values[0] if values else None


def check_known(params: QueryDict, allowed: frozenset[str]) -> None:
    """Refuse parameters nobody reads, so that a typo (`provice=`) is not silently ignored."""
    unknown = sorted(set(params) - allowed - {"format"})
    if unknown:
        names = ", ".join(f"`{n}`" for n in unknown)
        known = ", ".join(sorted(allowed))
        raise BadParameters({unknown[0]: f"Unknown parameter {names}; the parameters here are: {known}."})


def selection(
    params: QueryDict, *, default_scope: str = "notice", base: QuerySet | None = None,
    default_sort: str = "relevance",
) -> Selection:
    params = _scope_from_level(params)
    errors: dict[str, str] = {}
    raw = _single(params, "q", errors) or ""
    if len(raw) > MAX_QUERY_CHARS:
        errors["q"] = f"The search `q` is {len(raw)} characters long; shorten it to at most {MAX_QUERY_CHARS}."
    scope = _single(params, "scope", errors) or default_scope
    if scope not in SCOPES:
        errors["scope"] = f"`scope` must be one of {', '.join(SCOPES)}, not {scope!r}."
    sort = _single(params, "sort", errors) or default_sort
    if sort not in SORTS:
        errors["sort"] = f"`sort` must be one of {', '.join(SORTS)}, not {sort!r}."
    base = Notice.objects.without_bytes() if base is None else base
    filterset = NoticeFilter(params, queryset=base)
    if not filterset.is_valid():
        for name, messages in filterset.errors.items():
            errors[name] = f"`{name}`: {' '.join(messages)} Use dates like 2025-06-30."
    if errors:
        raise BadParameters(errors)
    return Selection(params=params, query=parse_query(raw), scope=scope, sort=sort, notices=filterset.qs)


def _scope_from_level(params: QueryDict) -> QueryDict:
    """The reading room's links say `level=problem` for the search level; no administrative level
    is called notice, problem or measure, so such a value is read as `scope` (unless one is given)."""
    levels = params.getlist("level")
    scopes = [v for v in levels if v in SCOPES]
    if not scopes:
        return params
    params = params.copy()
    params.setlist("level", [v for v in levels if v not in SCOPES])
    if not params.getlist("level"):
        del params["level"]
    if "scope" not in params:
        params["scope"] = scopes[0]
    return params


def page(params: QueryDict, *, default_size: int = DEFAULT_PER_PAGE, max_size: int = MAX_PER_PAGE) -> Page:
    errors: dict[str, str] = {}
    number = _positive_int(params, "page", 1, errors)
    size = _positive_int(params, "per_page", default_size, errors)
    if "per_page" not in errors and size > max_size:
        errors["per_page"] = f"`per_page` can be at most {max_size}; page through the results, or download the CSV export."
    if not errors and (number - 1) * size >= MAX_OFFSET:
        errors["page"] = (
            f"Pages reach only the first {MAX_OFFSET} results; narrow the search with filters, "
            "or download everything as CSV."
        )
    if errors:
        raise BadParameters(errors)
    return Page(number, size)


def _positive_int(params: QueryDict, name: str, default: int, errors: dict[str, str]) -> int:
    raw = _single(params, name, errors)
    if raw is None or raw == "":
        return default
    if not (raw.isascii() and raw.isdigit() and len(raw) <= 9) or int(raw) < 1:
        errors[name] = f"`{name}` must be a whole number from 1 up, not {raw!r}."
        return default
    return int(raw)
