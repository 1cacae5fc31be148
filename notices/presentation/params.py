"""The page state lives in the query string: clean it once, and build every link from it.

Only known parameters survive (so permalinks stay canonical), each value is cut to a sane
length and repeated values are capped, so no query string can make a page fail (NULs and
other control characters never get this far: archive/middleware.py removes them).
"""
from __future__ import annotations

from django.http import QueryDict

from ..filters import NoticeFilter

TEXT_KEYS = ("q", "scope", "sort", "page", "published_after", "published_before")
FACET_KEYS = tuple(NoticeFilter.FACETS)
KNOWN_KEYS = frozenset(TEXT_KEYS + FACET_KEYS)
MAX_CHARS = {"q": 500}
DEFAULT_MAX_CHARS = 200
MAX_VALUES = 20


def clean_params(raw: QueryDict, keys: frozenset[str] = KNOWN_KEYS) -> QueryDict:
    """A copy of `raw` with only `keys`, no empty or duplicate values, bounded sizes."""
    out = QueryDict(mutable=True)
    for key in raw:
        if key not in keys:
            continue
        limit = MAX_CHARS.get(key, DEFAULT_MAX_CHARS)
        values: list[str] = []
        for value in raw.getlist(key):
            value = value.strip()[:limit]
            if value and value not in values:
                values.append(value)
        if key in TEXT_KEYS:
            values = values[:1]
        if values:
            out.setlist(key, values[:MAX_VALUES])
    return out


def query_string(params: QueryDict) -> str:
    encoded = params.urlencode()
    return f"?{encoded}" if encoded else "?"


def with_value(params: QueryDict, key: str, value: str | None) -> str:
    """The link to this page with `key` set to `value` (or removed), back on the first page."""
    changed = params.copy()
    changed.pop("page", None)
    if value is None:
        changed.pop(key, None)
    else:
        changed.setlist(key, [value])
    return query_string(changed)


def without_value(params: QueryDict, key: str, value: str | None = None) -> str:
    """The link to this page with one value of `key` (or all of them) removed."""
    changed = params.copy()
    changed.pop("page", None)
    if value is None:
        changed.pop(key, None)
    else:
        changed.setlist(key, [v for v in changed.getlist(key) if v != value])
    return query_string(changed)


def adding_value(params: QueryDict, key: str, value: str) -> str:
    """The link with `value` added to facet `key` (kept when already there)."""
    changed = params.copy()
    changed.pop("page", None)
    values = changed.getlist(key)
    changed.setlist(key, values if value in values else values + [value])
    return query_string(changed)


def page_link(params: QueryDict, page: int) -> str:
    changed = params.copy()
    if page <= 1:
        changed.pop("page", None)
    else:
        changed.setlist("page", [str(page)])
    return query_string(changed)


def positive_int(value: str | None, default: int = 1, ceiling: int = 10_000) -> int:
    """A page number from the query string: anything odd becomes `default`."""
    if value and value.isascii() and value.isdigit():
        return max(1, min(int(value), ceiling))
    return default
