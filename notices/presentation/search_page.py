"""The list / search page as one value: results, facets, chips, sentence, sorting, pages, suggestions."""
from __future__ import annotations

from dataclasses import dataclass, field, replace
from urllib.parse import urlencode

from django.db.models import QuerySet
from django.urls import reverse

from ..facets import UNKNOWN, Facet, FacetValue, facets
from ..filters import filter_for
from ..opendata import units
from ..search import SearchOutcome
from . import charts, stats
from . import links as P
from .charts import Bar
from .compare import DIMENSIONS as COMPARABLE
from .compare import MAX_SIDES, MIN_SIDES
from .results import Browse, NoticeRow, search_rows
from .search_state import Chip, Link, PageLink, SearchState
from .suggestions import Suggestion, suggestions

SHOWN_VALUES = 8
# Facets in the order a reader narrows an archive: where, who, when, what.
FACET_ORDER = ("province", "city", "level", "year", "topic", "agency", "kind", "progress")


@dataclass(frozen=True)
class FacetView:
    name: str
    label: str
    shown: list[FacetValue]
    more: list[FacetValue]
    approximate: bool
    clear_url: str | None  # this facet's choices all removed; None when nothing is chosen
    compare_url: str | None = None  # two to six values of a comparable facet chosen: them side by side


@dataclass
class SearchPage:
    state: SearchState
    rows: list[NoticeRow]
    total: int
    estimated: bool
    num_pages: int
    unit: str  # 份通报 or 个问题
    facets: list[FacetView]
    chips: list[Chip]
    sentence: str
    sort_links: list[Link]
    scope_links: list[Link]
    pages: list[PageLink]
    prev_url: str | None
    next_url: str | None
    browsing: bool
    suggestions: list[Suggestion] = field(default_factory=list)
    topic_choices: list[Bar] = field(default_factory=list)  # browsing problems with no topic chosen

    @property
    def export_query(self) -> str:
        """The selection for the CSV and Atom links: everything but the page."""
        params = self.state.params.copy()
        params.pop("page", None)
        return params.urlencode()

    @property
    def facet_note(self) -> str:
        """What the facet counts count: the problem search counts problems, as its total does."""
        return "数字为问题数" if self.state.scope == "problem" else "数字为通报数"

    @property
    def problem_topic_url(self) -> str | None:
        """With a topic chosen on the notice list: the problem search of the same choice, which finds
        every problem about it (a notice's topics are those several of its problems are about)."""
        if self.state.scope == "problem" or not self.state.params.getlist("topic"):
            return None
        params = self.state.params.copy()
        for key in ("scope", "sort", "page"):
            params.pop(key, None)
        return reverse("notices:problems") + "?" + params.urlencode()

    @property
    def statistics_url(self) -> str | None:
        """The statistics of the notices these filters choose (the words are not part of it)."""
        if not self.state.has_filters:
            return None
        scope = self.state.params.copy()
        for key in ("q", "scope", "sort", "page"):
            scope.pop(key, None)
        return reverse("notices:statistics") + "?" + scope.urlencode()

    @property
    def past_the_end(self) -> bool:
        return self.total > 0 and not self.rows and self.state.page > self.num_pages

    @property
    def last_page_url(self) -> str:
        return self.state.page_url(self.num_pages)


def facet_views(found: list[Facet], state: SearchState) -> list[FacetView]:
    by_name = {f.name: f for f in found}
    out = []
    for name in FACET_ORDER:
        facet = by_name.get(name)
        if facet is None or not facet.values:
            continue
        shown = facet.values[:SHOWN_VALUES]
        more = facet.values[SHOWN_VALUES:]
        shown += [v for v in more if v.selected]
        more = [v for v in more if not v.selected]
        chosen = any(v.selected for v in facet.values)
        clear = P.without_value(state.params, name) if chosen else None
        out.append(FacetView(name, facet.label, shown, more, facet.approximate, clear,
                             compare_url(name, state.params.getlist(name))))
    return out


def compare_url(name: str, values: list[str]) -> str | None:
    """The comparison of the chosen values of facet `name`, when there are two to six of a comparable facet."""
    values = [v for v in dict.fromkeys(values) if v != UNKNOWN]
    if name not in COMPARABLE or not MIN_SIDES <= len(values) <= MAX_SIDES:
        return None
    return reverse("notices:compare") + "?" + urlencode([(name, v) for v in values])


def build_search_page(state: SearchState, base: QuerySet, outcome: SearchOutcome | Browse,
                      notices: QuerySet | None = None) -> SearchPage:
    """`base`: every public notice (for facet counts); `notices`: those the filters chose."""
    notices = base if notices is None else notices
    browsing = isinstance(outcome, Browse)
    rows = outcome.rows if browsing else search_rows(outcome, state)
    total, estimated, num_pages = outcome.total, outcome.estimated, outcome.num_pages
    unit = "个问题" if browsing else "份通报"
    sentence = state.sentence(total, estimated)
    if browsing:
        sentence = sentence.replace("份通报", "个问题", 1)
    elif state.scope == "problem" and not estimated and total:
        # The problem search counts problems, as browsing it does: 共 3 个问题（出自 2 份通报）;
        # by open data's rule (units.count), exact here, where the notices are few enough to be.
        found, rough = units.count(units.problems, selection_of(notices, state))
        if not rough:
            sentence = sentence.replace(f"共 {total} 份通报", f"共 {found} 个问题（出自 {total} 份通报）", 1)
    has_prev, has_next = state.page > 1, state.page < num_pages
    return SearchPage(
        state=state, rows=rows, total=total, estimated=estimated, num_pages=num_pages, unit=unit,
        facets=facet_views(facets(filter_for(state.scope), state.params, base, outcome.restrict,
                                  problems=units.facet_rows(selection_of(notices, state))), state),
        chips=state.chips(), sentence=sentence, sort_links=state.sort_links(), scope_links=state.scope_links(),
        pages=state.pages(num_pages), prev_url=state.page_url(state.page - 1) if has_prev else None,
        next_url=state.page_url(state.page + 1) if has_next else None, browsing=browsing,
        suggestions=suggestions(state, base) if total == 0 else [],
        topic_choices=_topic_choices(state, notices) if browsing and not state.params.getlist("topic") else [],
    )


def selection_of(notices: QuerySet, state: SearchState):
    """The page's selection among `notices` (in the problem scope: every search word within one
    problem, about a chosen topic), as open data reads one."""
    return replace(state.selection, notices=notices)


def _topic_choices(state: SearchState, notices: QuerySet) -> list[Bar]:
    """Problems by topic within the chosen notices, each a link that chooses the topic."""
    return charts.bars([(label, n, P.adding_value(state.params, "topic", slug))
                        for slug, label, n in stats.problems_by_topic(stats.Summary.of_filtered(notices, state.params))])
