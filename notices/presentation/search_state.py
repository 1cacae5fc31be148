"""The state of a list or search page, read from its query string, and how to describe it.

Everything a person chose is in the URL: the words, the scope (全文/问题/措施), the sort,
the page and the facet values. This module turns that state into removable chips, a
sentence that says what is shown, sort links and numbered pages.
"""
from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from django import forms
from django.core.exceptions import ValidationError
from django.db.models import QuerySet
from django.http import QueryDict

from ..facets import LABELS as FACET_VALUE_LABELS
from ..facets import UNKNOWN
from ..filters import NoticeFilter
from ..opendata.selection import Selection, forgiving, page_number
from ..search import PUNCTUATION_ONLY, Query
from . import links as P

SCOPE_LABELS = {"notice": "全文", "problem": "问题", "measure": "整改措施"}  # `scope`: where the words must occur
SORT_LABELS = {"relevance": "相关度", "date": "最新发布", "oldest": "最早发布"}
DATE_KEYS = {"published_after": "发布日期起", "published_before": "发布日期止"}
PER_PAGE = 20


@dataclass(frozen=True)
class Chip:
    name: str  # what is filtered: 省, 主题, 检索词 ...
    value: str  # the chosen value as shown
    remove_url: str


@dataclass(frozen=True)
class Link:
    label: str
    url: str
    current: bool = False
    value: str = ""


@dataclass(frozen=True)
class PageLink:
    number: int | None  # None: a gap (…)
    url: str = ""
    current: bool = False


@dataclass
class SearchState:
    """A page's selection (read by opendata/selection.forgiving, as every listing is read) and its page."""

    selection: Selection
    page: int
    default_scope: str = "notice"
    errors: list[str] = field(default_factory=list)  # what the page says it left out

    @classmethod
    def read(cls, raw: QueryDict, default_scope: str = "notice", base: QuerySet | None = None) -> "SearchState":
        chosen = forgiving(raw, default_scope=default_scope, base=base)
        errors = [f"无法识别{label}“{chosen.params[key]}”，已忽略；请按 2024-01-31 的格式填写。"
                  for key, label in DATE_KEYS.items() if key in chosen.set_aside]
        errors += [ignored_in_words(kind, detail) for kind, detail in chosen.query.ignored]
        return cls(chosen, page_number(chosen.params), default_scope, errors)

    @property
    def params(self) -> QueryDict:
        return self.selection.params

    @property
    def q(self) -> str:
        return self.selection.q

    @property
    def query(self) -> Query:
        return self.selection.query

    @property
    def scope(self) -> str:  # what the search covers (notice, problem, measure); `level` is the administrative level
        return self.selection.scope

    @property
    def sort(self) -> str:
        return self.selection.sort

    # --- what is active ---------------------------------------------------------------

    def facet_values(self) -> list[tuple[str, str]]:
        """(facet, value) pairs chosen, in the facets' display order."""
        return [(name, value) for name in NoticeFilter.FACETS for value in self.params.getlist(name)]

    def dates(self) -> dict[str, dt.date]:
        return {key: d for key in DATE_KEYS if (d := _date(self.params.get(key))) is not None}

    @property
    def has_filters(self) -> bool:
        return bool(self.facet_values() or self.dates())

    @property
    def whole_words(self) -> bool:
        """按词匹配: only matches holding every search word as a whole word."""
        return self.selection.whole_words

    def chips(self) -> list[Chip]:
        chips = []
        if not self.query.is_empty:
            chips.append(Chip("检索词", self.q, P.without_value(self.params, "q")))
        if self.whole_words:
            chips.append(Chip("匹配", "按词匹配", P.without_value(self.params, "match")))
        if self.scope != self.default_scope:
            chips.append(Chip("范围", SCOPE_LABELS[self.scope], P.without_value(self.params, "scope")))
        for name, value in self.facet_values():
            chips.append(Chip(NoticeFilter.FACETS[name], value_label(name, value),
                              P.without_value(self.params, name, value)))
        for key, day in self.dates().items():
            chips.append(Chip(DATE_KEYS[key], _chinese_date(day), P.without_value(self.params, key)))
        return chips

    # --- the sentence -----------------------------------------------------------------

    def sentence(self, total: int, estimated: bool) -> str:
        """What the page shows, in words: 共 3 份通报：省为山东省，全文含“低保”，按相关度排列。"""
        count = f"{'约 ' if estimated else ''}{total} 份通报"
        parts = []
        by_facet: dict[str, list[str]] = {}
        for name, value in self.facet_values():
            by_facet.setdefault(name, []).append(value_label(name, value))
        for name, labels in by_facet.items():
            parts.append(f"{NoticeFilter.FACETS[name]}为{'或'.join(labels)}")
        dates = self.dates()
        if dates:
            start, end = dates.get("published_after"), dates.get("published_before")
            if start and end:
                parts.append(f"发布于{_chinese_date(start)}至{_chinese_date(end)}")
            elif start:
                parts.append(f"发布于{_chinese_date(start)}以后")
            else:
                parts.append(f"发布于{_chinese_date(end)}以前")
        if not self.query.is_empty:
            parts.append(f"{SCOPE_LABELS[self.scope]}含“{self.q}”" + ("（按词匹配）" if self.whole_words else ""))
        order = {"relevance": "按相关度排列", "date": "按发布日期从新到旧排列", "oldest": "按发布日期从旧到新排列"}[self.sort]
        head = f"共 {count}" + (f"：{'，'.join(parts)}" if parts else "")
        return f"{head}，{order}。"

    # --- links ------------------------------------------------------------------------

    def sort_links(self) -> list[Link]:
        sorts = ["date", "oldest"] if self.query.is_empty else ["relevance", "date", "oldest"]
        return [Link(SORT_LABELS[s], P.with_value(self.params, "sort", s), s == self.sort) for s in sorts]

    def scope_links(self) -> list[Link]:
        return [Link(label, P.with_value(self.params, "scope", scope), scope == self.scope, scope)
                for scope, label in SCOPE_LABELS.items()]

    def hidden_filters(self) -> list[tuple[str, str]]:
        """The state a new search keeps (facets, dates, sort), as hidden form fields."""
        keep = [(k, v) for k, v in self.facet_values()]
        keep += [(k, self.params[k]) for k in DATE_KEYS if k in self.params]
        if "sort" in self.params and self.params["sort"] != "relevance":
            keep.append(("sort", self.params["sort"]))
        return keep

    def hidden_except(self, *keys: str) -> list[tuple[str, str]]:
        """Every chosen value but `keys` (and the page), for a form that sets those keys."""
        return [(k, v) for k in self.params for v in self.params.getlist(k) if k not in keys and k != "page"]

    @property
    def hidden_for_dates(self) -> list[tuple[str, str]]:
        return self.hidden_except(*DATE_KEYS)

    def date_value(self, key: str) -> str:
        day = self.dates().get(key)
        return day.isoformat() if day else ""

    @property
    def published_after(self) -> str:
        return self.date_value("published_after")

    @property
    def published_before(self) -> str:
        return self.date_value("published_before")

    def pages(self, num_pages: int, around: int = 2) -> list[PageLink]:
        """Numbered pages: the first, the last and a window around the current one, with gaps."""
        if num_pages <= 1:
            return []
        wanted = {1, num_pages, *range(self.page - around, self.page + around + 1)}
        links: list[PageLink] = []
        previous = 0
        for number in sorted(n for n in wanted if 1 <= n <= num_pages):
            if number - previous > 1:
                links.append(PageLink(None))
            links.append(PageLink(number, P.page_link(self.params, number), number == self.page))
            previous = number
        return links

    def page_url(self, number: int) -> str:
        return P.page_link(self.params, number)


def value_label(name: str, value: str) -> str:
    if value == UNKNOWN:
        return "不详"
    if name == "year":
        return f"{value}年"
    return FACET_VALUE_LABELS.get(name, {}).get(value, value)


def _date(value: str | None) -> dt.date | None:
    """The date as the filter reads it (the same form field), or None."""
    if not value:
        return None
    try:
        return forms.DateField().clean(value)
    except ValidationError:
        return None


def _chinese_date(day: dt.date) -> str:
    return f"{day.year}年{day.month}月{day.day}日"


def ignored_in_words(kind: str, detail: str) -> str:
    """What the search left out of a query, as the page says it (Query.ignored)."""
    if kind == PUNCTUATION_ONLY:
        return "检索词只有标点，已忽略：下面列出的是不加检索词的结果。请输入要查找的文字。"
    return f"“{detail}:”后面没有要查找的词，已忽略；请把词紧接在冒号后面，例如 {detail}:民政局。"
