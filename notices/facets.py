"""Facet counts that follow the current search and filters, ready to render.

Each facet counts over the current search with every *other* facet's filter applied, so
that choosing 广东省 still shows how many notices the other provinces have (values of one
facet are alternatives). Each value arrives as {value, label, count, selected, toggle_url}.
What is counted is notices, or, given `problems`, the problems the search shows among them
(the problem search: by their notice's province, year... and by their own topics). Every
problem of the notices (the problem search without words or topics) is counted from the
notices' tallies (derive.Tally: problems, and problems by their own topic), not from 275,000
problem rows.
"""
from __future__ import annotations

import functools
from dataclasses import dataclass
from typing import Callable
from urllib.parse import quote_plus

from django.core.exceptions import EmptyResultSet
from django.db import connections
from django.db.models import F, QuerySet
from django.db.models.functions import ExtractYear
from django.http import QueryDict

from . import counts
from .models import InspectionKind, Level, Progress
from .search import index_scans
from .topics import TOPIC_LABELS

# Facet name -> the column its values come from (topic is special: an array).
COLUMNS = {
    "level": "level", "province": "province", "city": "city", "year": "year",
    "kind": "inspection_kind", "progress": "progress", "agency": "agency_name",
}
LABELS = {
    "level": dict(Level.choices), "kind": dict(InspectionKind.choices),
    "progress": dict(Progress.choices), "topic": TOPIC_LABELS,
}
LIMITS = {"agency": 15, "city": 20, "province": 40}
GROUP_LIMIT = 200  # values fetched per facet; more than any page shows
UNKNOWN = "none"


@dataclass(frozen=True)
class FacetValue:
    value: str
    label: str
    count: int
    selected: bool
    toggle_url: str


@dataclass(frozen=True)
class Facet:
    name: str
    label: str
    values: list[FacetValue]
    approximate: bool = False


# restrict(queryset, searched, units) -> (queryset restricted to the search, scale for counts, approximate?);
# `searched`: the queryset selects the very notices the search ran over; `units`: what is counted
# is problems the caller finds in them itself (so it verifies the search there).
Restrict = Callable[[QuerySet, bool, bool], "tuple[QuerySet, float, bool]"]
# problems(notices, params) -> the problems counted among `notices` under the filters `params`;
# None when that is every problem of them (their tallies count them).
Problems = Callable[[QuerySet, QueryDict], "QuerySet | None"]


def toggle_url(params: QueryDict, name: str, value: str) -> str:
    """The current URL's query with `value` of facet `name` switched on or off, back on page 1."""
    params = params.copy()
    values = params.getlist(name)
    params.setlist(name, [v for v in values if v != value] if value in values else values + [value])
    params.pop("page", None)
    return "?" + params.urlencode()


def _toggle_urls(params: QueryDict, name: str) -> Callable[[str], str]:
    """toggle_url(params, name, ·), the current query encoded once: a facet has up to 200 values."""
    if name in params:  # its values are rewritten in place
        return lambda value: toggle_url(params, name, value)
    rest = params.copy()
    rest.pop("page", None)
    head = rest.urlencode()
    head = f"?{head}&" if head else "?"
    head += _quoted(name) + "="
    return lambda value: head + _quoted(value)


@functools.lru_cache(maxsize=4096)
def _quoted(value: str) -> str:
    """`value` as urlencode writes it: facet values (provinces, years, agencies) recur on every page."""
    return quote_plus(value)


def _rows(qs: QuerySet, scalar: list[str], problems: Problems | None,
          params: QueryDict, topics: bool) -> tuple[QuerySet, list[str], bool]:
    """What is counted, one row each: a notice (its columns), or a problem (its notice's columns,
    named by facet, and its own topics); the names of the scalar facets' columns; and whether
    each row is a notice standing for all its problems (its tally: problems_total, problem_topics)."""
    rows = problems(qs, params) if problems is not None else None
    if rows is None:
        columns = [COLUMNS[n] for n in scalar]
        tallied = ("problems_total", *(("problem_topics",) if topics else ())) if problems is not None else ("topics",)
        return qs.annotate(year=ExtractYear("publish_date")).values(*columns, *tallied), columns, problems is not None
    of_notice = {n: ExtractYear("notice__publish_date") if n == "year" else F(f"notice__{COLUMNS[n]}") for n in scalar}
    return rows.annotate(**of_notice).values(*scalar, "topics"), scalar, False


def _counts(qs: QuerySet, names: list[str], problems: Problems | None = None,
            params: QueryDict | None = None, archive: bool = False) -> dict[str, list[tuple[object, int]]]:
    """Counts for several facets in one statement: one scan of the matching notices (or problems).

    Scalar facets are GROUPING SETS over the scan (at most GROUP_LIMIT values each, the
    commonest); topics, an array, are counted in the same statement by unnesting it. Problems
    by topic over the whole archive (`archive`: `qs` is every live notice) are the sums the
    write side keeps (counts.GroupTally): unnesting 20,000 notices' tallies took 100-300 ms.
    """
    if not names:
        return {}
    scalar = [n for n in names if n in COLUMNS]
    inner, columns, tallied = _rows(qs, scalar, problems, params or QueryDict(), "topic" in names)
    if tallied and archive and "topic" in names:
        summed = counts.topic_sums(counts.GroupTally.objects.all())
        kept = {"topic": [(slug, n) for (slug,), n in summed.items() if slug in TOPIC_LABELS]}
        return {**_counts(qs, [n for n in names if n != "topic"], problems, params), **kept}
    count = 'sum("problems_total")' if tallied else "count(*)"
    inner = inner.order_by()
    try:
        sql, params = inner.query.sql_with_params()
    except EmptyResultSet:  # a filter that can match nothing (year=abc): nothing to count
        return {n: [] for n in names}
    # Every row: the topic (NULL on scalar rows), the GROUPING flags, the grouped values, the count.
    parts = []
    k = len(columns)
    if columns:
        flags = ", ".join(f'GROUPING("{c}")' for c in columns)
        select = ", ".join(f'"{c}"::text' for c in columns)
        sets = ", ".join(f'("{c}")' for c in columns)
        every = ", ".join(f'"{c}"' for c in columns)
        parts.append(
            f"SELECT * FROM (SELECT NULL::text, {flags}, {select}, {count}, row_number() OVER "
            f"(PARTITION BY GROUPING({every}) ORDER BY {count} DESC) AS r FROM m "
            f"GROUP BY GROUPING SETS ({sets})) AS g WHERE r <= {GROUP_LIMIT}"
        )
    if "topic" in names:
        pad = "".join([", 1"] * k + [", NULL::text"] * k)
        if tallied:
            parts.append(f"SELECT t.key{pad}, sum(t.value::int), 0::bigint FROM m, "
                         f"jsonb_each_text(m.problem_topics) AS t GROUP BY t.key")
        else:
            # unnest in the select list: a lateral function scan per row costs twice as much
            parts.append(f"SELECT topic::text{pad}, count(*), 0::bigint FROM (SELECT unnest(topics) AS topic FROM m) AS t "
                         f"GROUP BY topic")
    with connections[qs.db].cursor() as cursor:
        cursor.execute(f"WITH m AS MATERIALIZED ({sql}) " + " UNION ALL ".join(parts), params)
        rows = cursor.fetchall()
    out: dict[str, list[tuple[object, int]]] = {n: [] for n in names}
    for topic, *row in rows:
        grouping, values, count = row[:k], row[k:2 * k], row[2 * k]
        if topic is not None:
            if topic in TOPIC_LABELS:
                out["topic"].append((topic, count))
            continue
        for i, name in enumerate(scalar):
            if grouping[i] == 0:  # this row groups by column i
                raw = values[i]
                out[name].append((int(raw) if name == "year" and raw is not None else raw, count))
    return out


def _values(name: str, counts: list[tuple[object, int]], params: QueryDict, scale: float) -> list[FacetValue]:
    selected = set(params.getlist(name))
    labels = LABELS.get(name, {})
    values = []  # (value, label, count)
    for raw, count in counts:
        value = UNKNOWN if raw is None else str(raw)
        if name == "topic" and raw is None:
            continue
        label = "不详" if raw is None else labels.get(value, value)
        shown = round(count * scale)
        if shown == 0 and value not in selected:
            continue
        values.append((value, label, shown))
    if name == "year":
        values.sort(key=lambda v: (v[0] == UNKNOWN, v[0]), reverse=True)
    else:
        values.sort(key=lambda v: (-v[2], v[1]))
    limit = LIMITS.get(name)
    if limit:
        values = values[:limit] + [v for v in values[limit:] if v[0] in selected]
    # Links only for the values shown: building a URL costs more than counting a value.
    toggled = _toggle_urls(params, name)
    return [FacetValue(value, label, count, value in selected, toggled(value)) for value, label, count in values]


def facets(
    filter_class, params: QueryDict, base: QuerySet, restrict: Restrict, names: list[str] | None = None,
    problems: Problems | None = None,
) -> list[Facet]:
    """Every facet of `filter_class` (or `names`), counted over the search and the other facets' filters.

    `params` and `base` are what the search ran over (filter_class(params, queryset=base).qs);
    `base` is every live notice (the pages and the API pass Notice.objects.without_bytes()).
    With `problems`, the counts are of the problems it gives among the matching notices.
    """
    names = names or list(filter_class.FACETS)
    active = [n for n in names if params.getlist(n)]
    result: dict[str, Facet] = {}
    units = problems is not None

    def over(chosen: QueryDict, searched: bool) -> tuple[QuerySet, float, bool, bool]:
        """The notices counted under the filters `chosen`, the scale, approximate, and whether they are all of them."""
        chosen_any = any(chosen.getlist(n) for n in filter_class.base_filters)
        # (a filter set deep-copies its filters: no use building one that has nothing to filter by)
        filtered = filter_class(chosen, queryset=base).qs if chosen_any else base.all()
        qs, scale, approximate = restrict(filtered, searched, units)
        unfiltered = qs is filtered and not chosen_any
        return qs, scale, approximate, unfiltered

    with index_scans(base.db):
        everything, scale, approximate, archive = over(params, True)
        inactive = [n for n in names if n not in active]
        for name, found in _counts(everything, inactive, problems, params, archive).items():
            result[name] = Facet(name, filter_class.FACETS[name], _values(name, found, params, scale), approximate)
        for name in active:
            others = params.copy()
            others.pop(name, None)
            qs, own_scale, own_approx, archive = over(others, False)
            found = _counts(qs, [name], problems, others, archive)[name]
            result[name] = Facet(name, filter_class.FACETS[name], _values(name, found, params, own_scale), own_approx)
    return [result[n] for n in names if n in result]
