"""The one reader of a listing's query string: the list and search pages, the API, the CSV downloads
and the Atom feeds all read their parameters here, and only here.

A selection is what a listing shows: the list's filters (NoticeFilter: the facets and the two
dates), a search `q` in the query language, the search `scope` (notice, problem or measure:
where all the words must occur together), `match` (substring, the default, or word: 按词匹配,
only matches holding every term as a whole jieba word), a `sort`, and for paged answers `page`
(and, in the API, `per_page`). `level` stays the filter of the agency's administrative level, which is why
the search scope is called `scope`; `level=problem` (notice, measure), as old reading-room links
say, is read as the scope. A selection becomes a search through `Selection.matching()` and
`Selection.notices` (the filtered notices, before the search).

One rule for values: a malformed one (a scope, sort, level, kind, progress or topic not on its
list, a year that is not four digits, a date that is not a date, a field in `q` with nothing
after it, a `q` over MAX_QUERY_CHARS) is a mistake; a well-formed one that matches nothing
(province=火星省, year=1900) is simply an empty listing.

The two doors differ only in what they do with a mistake, because they answer different readers:
- Open data (`selection()`, `page()`) refuses it: BadParameters, a 400 whose complete Chinese
  sentence names the parameter (errors.py). A program that sends `sort=newest` must learn of
  it, not receive a differently ordered list it takes for the answer. The API also refuses names
  it does not know (`check_known`), so that a typo (`provice=`) is not silently ignored; the CSV
  downloads leave other names alone (`header=zh` is theirs) and the feeds drop paging and sort.
- The pages (`forgiving()`, `page_number()`) always show a page, since a person following an old
  or hand-edited link can do nothing with a 400: unknown names are dropped and values trimmed
  and bounded (`tidy`, so permalinks stay canonical); a bad scope or sort falls back to the
  default, and `sort=relevance` without words to date order; an unreadable date and an empty
  field in `q` are left out, and `Selection.set_aside` names them so the page can say so; a
  closed facet's malformed value is kept and matches nothing, its chip there to remove; an odd
  page number becomes the first page.
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field, replace

from django.db.models import QuerySet
from django.http import QueryDict

from ..filters import UNKNOWN, NoticeFilter, filter_for
from ..models import InspectionKind, Level, Notice, Progress
from ..search import EMPTY_FIELD, MAX_QUERY_CHARS, SCOPES, SORTS, Query, matching, parse_query
from ..topics import TOPICS

# --- the names -----------------------------------------------------------------------------------

FACET_PARAMS = tuple(NoticeFilter.FACETS)  # in the pages' display order
DATE_PARAMS = ("published_after", "published_before")
SEARCH_PARAMS = ("q", "scope", "sort", "match")
MATCHES = ("substring", "word")
SELECTION_PARAMS = frozenset({*SEARCH_PARAMS, *NoticeFilter.base_filters})
PAGE_PARAMS = frozenset({"page", "per_page"})
SINGLE_VALUED = frozenset({*SEARCH_PARAMS, *DATE_PARAMS, *PAGE_PARAMS})
# Facets whose values come from a fixed list; "none" (UNKNOWN) asks for notices that do not state it.
CLOSED_FACETS = {
    "level": tuple(Level.values), "kind": tuple(InspectionKind.values), "progress": tuple(Progress.values),
    "topic": tuple(t.slug for t in TOPICS),
}
YEAR = re.compile(r"^[0-9]{4}$")

DEFAULT_PER_PAGE = 20
MAX_PER_PAGE = 100
# Deep pages cost a scan each; past this many rows the CSV export is the way to get everything.
MAX_OFFSET = 10_000
# The pages' bounds on what a query string may carry (tidy).
MAX_CHARS = {"q": MAX_QUERY_CHARS}
DEFAULT_MAX_CHARS = 200
MAX_VALUES = 20
MAX_PAGE_NUMBER = 10_000


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
    params: QueryDict  # the parameters as read (for facets, chips and links)
    query: Query
    scope: str
    sort: str
    notices: QuerySet  # the filtered notices, before the search
    set_aside: frozenset[str] = field(default=frozenset())  # the pages only: parameters read as absent
    whole_words: bool = False  # match=word (按词匹配): only matches holding every term as a whole word

    @property
    def q(self) -> str:
        return self.params.get("q", "")

    def matching(self) -> QuerySet:
        """Exactly the notices this selection shows, unordered."""
        return matching(self.notices, self.query, self.scope, self.whole_words)


@dataclass(frozen=True)
class Page:
    number: int
    size: int

    @property
    def offset(self) -> int:
        return (self.number - 1) * self.size


# --- reading -------------------------------------------------------------------------------------

def selection(
    params: QueryDict, *, default_scope: str = "notice", base: QuerySet | None = None,
    default_sort: str = "relevance",
) -> Selection:
    """Open data's reading: the selection `params` ask for, or BadParameters naming every mistake."""
    chosen, errors = _read(params, default_scope, default_sort, base)
    if errors:
        raise BadParameters(errors)
    return chosen


def forgiving(params: QueryDict, *, default_scope: str = "notice", base: QuerySet | None = None) -> Selection:
    """The pages' reading: the same selection with every mistake set aside (see the module's docstring)."""
    chosen, errors = _read(tidy(params), default_scope, None, base)
    sort = chosen.sort
    if "sort" in errors or (sort == "relevance" and chosen.query.is_empty):
        sort = "date" if chosen.query.is_empty else "relevance"
    scope = default_scope if "scope" in errors else chosen.scope
    set_aside = frozenset(errors) & {*DATE_PARAMS, "scope", "sort"}  # q's left-out parts: query.ignored
    return replace(chosen, scope=scope, sort=sort, set_aside=set_aside)


def _read(params: QueryDict, default_scope: str, default_sort: str | None,
          base: QuerySet | None) -> tuple[Selection, dict[str, str]]:
    """The selection, and each mistake as parameter -> a sentence saying what to write instead.
    `default_sort` None: by relevance when there are words, else by date."""
    params = _scope_from_level(params)
    errors: dict[str, str] = {}
    raw = _single(params, "q", errors) or ""
    if len(raw) > MAX_QUERY_CHARS:
        errors["q"] = f"检索词 q 有 {len(raw)} 个字符，请缩短到 {MAX_QUERY_CHARS} 个以内。"
    query = parse_query(raw)
    scope = _single(params, "scope", errors) or default_scope
    if scope not in SCOPES:
        errors["scope"] = f"参数 scope 的值 {scope!r} 无效：应为 {'、'.join(SCOPES)} 之一。"
    default_sort = default_sort or ("date" if query.is_empty else "relevance")
    sort = _single(params, "sort", errors) or default_sort
    if sort not in SORTS:
        errors["sort"] = f"参数 sort 的值 {sort!r} 无效：应为 {'、'.join(SORTS)} 之一。"
    match = _single(params, "match", errors) or MATCHES[0]
    if match not in MATCHES:
        errors["match"] = (f"参数 match 的值 {match!r} 无效：应为 substring（按字串，默认）"
                           f"或 word（按词匹配：只要整词出现的结果）。")
    errors.update(malformed_values(params))
    base = Notice.objects.without_bytes() if base is None else base
    filterset = filter_for(scope if scope in SCOPES else default_scope)(params, queryset=base)
    if not filterset.is_valid():  # an invalid date: the filter leaves it out
        for name, messages in filterset.errors.items():
            errors.setdefault(name, f"参数 {name} 的值无效（{''.join(messages)}）。日期请写成 2025-06-30 这样。")
    empty_fields = [name for kind, name in query.ignored if kind == EMPTY_FIELD]
    if empty_fields and "q" not in errors:
        errors["q"] = " ".join(EMPTY_FIELD_MESSAGE.format(field=name) for name in empty_fields)
    return Selection(params=params, query=query, scope=scope, sort=sort, notices=filterset.qs,
                     whole_words=match == "word"), errors


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


def tidy(raw: QueryDict, names: frozenset[str] = SELECTION_PARAMS | {"page"}) -> QueryDict:
    """The pages' query string: only `names`, no empty or repeated values, bounded sizes, one value
    for a single-valued name (the first), so that no query string can make a page fail (NULs and
    other control characters never get this far: archive/middleware.py removes them)."""
    out = QueryDict(mutable=True)
    for key in raw:
        if key not in names:
            continue
        limit = MAX_CHARS.get(key, DEFAULT_MAX_CHARS)
        values: list[str] = []
        for value in raw.getlist(key):
            value = value.strip()[:limit]
            if value and value not in values:
                values.append(value)
        if key in SINGLE_VALUED:
            values = values[:1]
        if values:
            out.setlist(key, values[:MAX_VALUES])
    return out


def page_number(params: QueryDict) -> int:
    """The pages' page number: anything odd is the first page."""
    return positive_int(params.get("page"))


def positive_int(value: str | None, default: int = 1, ceiling: int = MAX_PAGE_NUMBER) -> int:
    """A number from a query string for a person's page: anything odd becomes `default`."""
    if value and value.isascii() and value.isdigit():
        return max(1, min(int(value), ceiling))
    return default
