"""Query parameters shared by the API, the CSV downloads and the feeds, checked in one place.

A selection is what a list view shows: the list view's filters (NoticeFilter), a search
`q` in the query language, the search `scope` (notice, problem or measure: where all the
words must occur together), a `sort`, and for paged answers `page` and `per_page`.
`level` stays the list view's filter (the agency's administrative level), which is why the
search scope is called `scope`; `level=problem` (notice, measure) is read as the scope too.

Bad values raise BadParameters with a complete sentence per parameter, never a silent default.
One rule for values: a malformed one (a level, kind, progress or topic not on its list, a year
that is not four digits, a date that is not a date) is a 400 naming the parameter; a
well-formed one that matches nothing (province=火星省, year=1900) is an empty 200; a page
past the last one is a 404 that says how many pages there are (api.py).
"""
from __future__ import annotations

import re
from dataclasses import dataclass

from django.db.models import QuerySet
from django.http import QueryDict

from ..filters import UNKNOWN, NoticeFilter
from ..models import InspectionKind, Level, Notice, Progress
from ..search import EMPTY_FIELD, MAX_QUERY_CHARS, SCOPES, SORTS, Query, parse_query
from ..topics import TOPICS

DEFAULT_PER_PAGE = 20
MAX_PER_PAGE = 100
# Deep pages cost a scan each; past this many rows the CSV export is the way to get everything.
MAX_OFFSET = 10_000

SELECTION_PARAMS = frozenset({"q", "scope", "sort", *NoticeFilter.base_filters})
# Facets whose values come from a fixed list; "none" (UNKNOWN) asks for notices that do not state it.
CLOSED_FACETS = {
    "level": tuple(Level.values), "kind": tuple(InspectionKind.values), "progress": tuple(Progress.values),
    "topic": tuple(t.slug for t in TOPICS),
}
YEAR = re.compile(r"^[0-9]{4}$")
PAGE_PARAMS = frozenset({"page", "per_page"})


class BadParameters(Exception):
    """One or more query parameters are wrong; `errors` maps each to what to do instead."""

    def __init__(self, errors: dict[str, str]):
        super().__init__("；".join(f"{k}: {v}" for k, v in errors.items()))
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
        errors[name] = f"参数 {name} 只能给一次，这里给了 {len(values)} 次。请只保留一个。"
        return None
    return values[0] if values else None


def check_known(params: QueryDict, allowed: frozenset[str]) -> None:
    """Refuse parameters nobody reads, so that a typo (`provice=`) is not silently ignored."""
    unknown = sorted(set(params) - allowed - {"format"})
    if unknown:
        names = "、".join(unknown)
        known = "、".join(sorted(allowed))
        raise BadParameters({unknown[0]: f"没有参数 {names}。这里可用的参数是：{known}。请检查拼写。"})


def selection(
    params: QueryDict, *, default_scope: str = "notice", base: QuerySet | None = None,
    default_sort: str = "relevance",
) -> Selection:
    params = _scope_from_level(params)
    errors: dict[str, str] = {}
    raw = _single(params, "q", errors) or ""
    if len(raw) > MAX_QUERY_CHARS:
        errors["q"] = f"检索词 q 有 {len(raw)} 个字符，请缩短到 {MAX_QUERY_CHARS} 个以内。"
    scope = _single(params, "scope", errors) or default_scope
    if scope not in SCOPES:
        errors["scope"] = f"参数 scope 的值 {scope!r} 无效：应为 {'、'.join(SCOPES)} 之一。"
    sort = _single(params, "sort", errors) or default_sort
    if sort not in SORTS:
        errors["sort"] = f"参数 sort 的值 {sort!r} 无效：应为 {'、'.join(SORTS)} 之一。"
    errors.update(malformed_values(params))
    base = Notice.objects.without_bytes() if base is None else base
    filterset = NoticeFilter(params, queryset=base)
    if not filterset.is_valid():
        for name, messages in filterset.errors.items():
            errors.setdefault(name, f"参数 {name} 的值无效（{''.join(messages)}）。日期请写成 2025-06-30 这样。")
    query = parse_query(raw)
    empty_fields = [field for kind, field in query.ignored if kind == EMPTY_FIELD]
    if empty_fields and "q" not in errors:
        errors["q"] = " ".join(EMPTY_FIELD_MESSAGE.format(field=field) for field in empty_fields)
    if errors:
        raise BadParameters(errors)
    return Selection(params=params, query=query, scope=scope, sort=sort, notices=filterset.qs)


# A field with nothing after it is a mistake, not a word to find: an error, not a silent guess.
# (A `q` of only punctuation stays a search with no text condition, as hostile input should.)
EMPTY_FIELD_MESSAGE = "检索词 q 中的“{field}:”后面没有要查找的词；请把词紧接在冒号后面，例如 {field}:民政局。"


def malformed_values(params: QueryDict) -> dict[str, str]:
    """Facet values that cannot be right whatever the archive holds: parameter -> what to write instead."""
    errors = {}
    for name, allowed in CLOSED_FACETS.items():
        bad = [v for v in params.getlist(name) if v not in allowed and v != UNKNOWN]
        if bad:
            errors[name] = (f"参数 {name} 的值 {bad[0]!r} 无效：应为 {'、'.join(allowed)} 之一，"
                            f"或 {UNKNOWN}（未注明）。")
    bad_years = [v for v in params.getlist("year") if v != UNKNOWN and not YEAR.match(v)]
    if bad_years:
        errors["year"] = f"参数 year 的值 {bad_years[0]!r} 无效：请写四位数的年份（如 2025），或 {UNKNOWN}（未注明）。"
    return errors


def _scope_from_level(params: QueryDict) -> QueryDict:
    """The reading room's old links say `level=problem` for the search scope; no administrative level
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
        errors["per_page"] = f"参数 per_page 最大为 {max_size}。请分页读取，或下载 CSV。"
    if errors:
        raise BadParameters(errors)
    return Page(number, size)


def check_depth(wanted: Page, count: int) -> None:
    """Refuse a page beyond the first MAX_OFFSET results that does hold results (a page past the
    last one is not refused here: the answer says it does not exist)."""
    if wanted.offset >= MAX_OFFSET and wanted.offset < count:
        raise BadParameters({"page": (
            f"分页只能读到前 {MAX_OFFSET} 条结果（共 {count} 条）。请加筛选条件缩小范围，或下载 CSV 取得全部结果。"
        )})


def _positive_int(params: QueryDict, name: str, default: int, errors: dict[str, str]) -> int:
    raw = _single(params, name, errors)
    if raw is None or raw == "":
        return default
    if not (raw.isascii() and raw.isdigit() and len(raw) <= 9) or int(raw) < 1:
        errors[name] = f"参数 {name} 应为从 1 起的整数，不能是 {raw!r}。"
        return default
    return int(raw)
