"""Home, the notice list / search results (one view), problem search, statistics and the about page."""
from __future__ import annotations

from django.http import QueryDict
from django.views.generic import TemplateView

from ..opendata.caching import while_archive_unchanged
from ..models import Notice
from ..presentation.overview import build_home, build_statistics
from ..presentation.results import browse_problems
from ..presentation.search_page import build_search_page
from ..presentation.search_state import PER_PAGE, SearchState
from ..search import search


class HomeView(TemplateView):
    template_name = "notices/home.html"

    def get_context_data(self, **kwargs):
        state = SearchState.read(QueryDict())
        home = while_archive_unchanged("home", build_home)
        return {**super().get_context_data(**kwargs), "home": home, "state": state}


class SearchView(TemplateView):
    """The notice list and search results: the whole state is in the query string."""

    template_name = "notices/search.html"
    default_scope = "notice"
    heading = "整改通报"

    def get_context_data(self, **kwargs):
        base = Notice.objects.without_bytes()
        state = SearchState.read(self.request.GET, self.default_scope, base)
        notices = state.selection.notices
        if state.scope == "problem" and state.query.is_empty:
            outcome = browse_problems(notices, state)
        else:
            outcome = search(notices, state.query, scope=state.scope, sort=state.sort,
                             page=state.page, per_page=PER_PAGE, whole_words=state.whole_words)
        page = build_search_page(state, base, outcome, notices)
        return {**super().get_context_data(**kwargs), "page": page, "heading": self.heading}


class ProblemSearchView(SearchView):
    """Problems across all notices: the same view, searching (or browsing) problems by default."""

    default_scope = "problem"
    heading = "问题检索"


class StatisticsView(TemplateView):
    template_name = "notices/statistics.html"

    def get_context_data(self, **kwargs):
        state = SearchState.read(self.request.GET, base=Notice.objects.all())
        notices = state.selection.notices
        statistics = while_archive_unchanged("statistics?" + state.params.urlencode(),
                                             lambda: build_statistics(state, notices))
        return {**super().get_context_data(**kwargs), "stats": statistics}


class AboutView(TemplateView):
    template_name = "notices/about.html"
