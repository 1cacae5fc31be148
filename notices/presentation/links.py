"""Links from a page's state: the same query string with one value set, removed or added, or another page.

The state itself is read in one place for the pages and open data alike (opendata/selection.py).
"""
from __future__ import annotations

from django.http import QueryDict


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
