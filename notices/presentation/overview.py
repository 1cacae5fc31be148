"""The pages that look at many notices at once: home's glance, statistics, an agency's record."""
from __future__ import annotations

from dataclasses import dataclass, field
from functools import lru_cache
from urllib.parse import urlencode

from django.db.models import Count, F, IntegerField, OuterRef, QuerySet, Subquery
from django.db.models.functions import Coalesce
from django.http import QueryDict
from django.urls import get_script_prefix, reverse

from ..facets import UNKNOWN
from ..models import Agency, Notice
from . import charts, stats, timing
from .charts import Bar, ColumnChart
from .notice_page import region_of
from .search_state import Chip, SearchState

NEWEST = 8
NEWEST_FIRST = (F("publish_date").desc(nulls_last=True), "-id")  # undated notices last
MATRIX_TOPICS = 14
MATRIX_PROVINCES = 12


@lru_cache(maxsize=32)
def _path(route: str, prefix: str) -> str:
    return reverse(route)


def _url(route: str, scope: QueryDict | None, facets: dict[str, str]) -> str:
    """`scope`'s parameters with each of `facets` set to its one value (in its place if `scope` has it).

    Encoded as QueryDict.urlencode does, without copying `scope` for each of the hundreds of
    cells statistics' matrices link; each path is looked up once per script prefix.
    """
    pairs = [(key, v) for key, values in (scope.lists() if scope is not None else ())
             for v in ([facets[key]] if key in facets else values)]
    pairs += [(key, value) for key, value in facets.items() if scope is None or key not in scope]
    encoded = urlencode(pairs)
    return _path(route, get_script_prefix()) + ("?" + encoded if encoded else "")


def list_url(scope: QueryDict | None = None, **facets: str) -> str:
    """The notice list with these facet values (on top of `scope`, another page's filters)."""
    return _url("notices:list", scope, facets)


def problems_url(scope: QueryDict | None = None, **facets: str) -> str:
    return _url("notices:problems", scope, facets)


def _year_rows(by_year: dict[int | None, int], url) -> list[tuple[str, int, str]]:
    """Every year of the span, then the undated ones: each row (label, count, link)."""
    return [(charts.UNDATED if y is None else str(y), by_year.get(y, 0), url(year=UNKNOWN if y is None else str(y)))
            for y in stats.year_span(list(by_year))]


def _year_columns(summary: stats.Summary, caption: str, scope: QueryDict | None = None) -> ColumnChart | None:
    rows = _year_rows(dict(stats.notices_by_year(summary)), lambda **f: list_url(scope, **f))
    return charts.columns(rows, caption, "份") if rows else None


@dataclass
class Home:
    totals: stats.Totals
    newest: list[Notice]
    levels: list[Bar]
    provinces: list[Bar]
    years: ColumnChart | None
    topics: list[Bar]
    examples: list[tuple[str, str]]


EXAMPLES = ("低保", "殡葬", "养老服务", "“第一议题”", "单位:民政局", "问题:资金")


def build_home() -> Home:
    summary = stats.Summary.archive()
    levels = [(label, n, list_url(level=level or UNKNOWN)) for level, label, n in stats.notices_by_level(summary)]
    provinces = [(p or "不详", n, list_url(province=p or UNKNOWN)) for p, n in stats.notices_by(summary, "province")][:12]
    topics = [(label, n, problems_url(topic=slug)) for slug, label, n in stats.problems_by_topic(summary)][:12]
    newest = list(Notice.objects.without_bytes().without_search_columns().defer("text")
                  .order_by(*NEWEST_FIRST)[:NEWEST])
    return Home(
        totals=stats.totals(summary), newest=newest, levels=charts.bars(levels), provinces=charts.bars(provinces),
        years=_year_columns(summary, "各年发布的通报数"), topics=charts.bars(topics),
        examples=[(q, list_url(q=q)) for q in EXAMPLES],
    )


@dataclass
class Matrix:
    """A heat map as a table: rows are topics, columns years or provinces."""

    caption: str
    columns: list[str]
    rows: list[tuple[str, str, list[tuple[int, int, str]]]]  # (topic label, row url, [(value, level, url)])


def _matrix(summary: stats.Summary, by: str, keys: list, caption: str, topics: list[tuple[str, str, int]],
            scope: QueryDict) -> Matrix:
    data = stats.topic_matrix(summary, by)
    top = max((n for row in data.values() for n in row.values()), default=0)
    rows = []
    for slug, label, _total in topics[:MATRIX_TOPICS]:
        cells = []
        for key in keys:
            value = data.get(slug, {}).get(key, 0)
            facet = {"year" if by == "year" else "province": str(key) if key is not None else UNKNOWN}
            cells.append((value, charts.heat_level(value, top), problems_url(scope, topic=slug, **facet)))
        rows.append((label, problems_url(scope, topic=slug), cells))
    labels = [charts.UNDATED if k is None else f"{k}年" if by == "year" else str(k) for k in keys]
    return Matrix(caption, labels, rows)


@dataclass
class Statistics:
    totals: stats.Totals
    chips: list[Chip]
    sentence: str
    timeline: ColumnChart | None
    problems_timeline: ColumnChart | None
    topics: list[Bar]
    levels: list[Bar]
    provinces: list[Bar]
    statuses: list[Bar]
    by_year: Matrix | None
    by_province: Matrix | None
    publishing: list[timing.Distribution] = field(default_factory=list)


def build_statistics(state: SearchState, notices: QuerySet) -> Statistics:
    """The statistics of `notices`, the page's filtered notices (state.selection.notices)."""
    scope = state.params.copy()
    for key in ("page", "q", "sort", "scope"):
        scope.pop(key, None)
    summary = stats.Summary.of_filtered(notices, state.params, matrices=True)
    totals = stats.totals(summary)
    topics = stats.problems_by_topic(summary)
    problem_years = stats.problems_by_year(summary)
    years = stats.year_span(list(problem_years))
    problem_rows = _year_rows(problem_years, lambda **f: problems_url(scope, **f))
    by_province = stats.notices_by(summary, "province")
    provinces = [p for p, _ in by_province if p][:MATRIX_PROVINCES]
    return Statistics(
        totals=totals, chips=state.chips(), sentence=state.sentence(totals.notices, False),
        timeline=_year_columns(summary, "各年发布的通报数", scope),
        problems_timeline=charts.columns(problem_rows, "各年通报所列问题数", "个") if problem_rows else None,
        topics=charts.bars([(label, n, problems_url(scope, topic=slug)) for slug, label, n in topics]),
        levels=charts.bars([(label, n, list_url(scope, level=level or UNKNOWN))
                            for level, label, n in stats.notices_by_level(summary)]),
        provinces=charts.bars([(p or "不详", n, list_url(scope, province=p or UNKNOWN)) for p, n in by_province]),
        statuses=charts.bars([(label, n, "") for label, n in stats.problems_by_status(summary)]),
        by_year=_matrix(summary, "year", years, "各主题问题数 × 年份", topics, scope) if years and topics else None,
        by_province=_matrix(summary, "province", provinces, "各主题问题数 × 省份", topics, scope)
        if provinces and topics else None,
        publishing=timing.distributions_of(summary.days, totals.notices),
    )


def public_notice_count() -> Coalesce:
    """An agency's notices that the public sees (the default manager's rule), as an annotation."""
    counted = (Notice.objects.filter(agency=OuterRef("pk")).order_by().values("agency")
               .annotate(n=Count("pk")).values("n"))
    return Coalesce(Subquery(counted, output_field=IntegerField()), 0)


@dataclass
class AgencyRecord:
    agency: Agency
    region: str
    level_label: str
    notices: list[tuple[Notice, int]]  # newest first, with its number of problems
    totals: stats.Totals
    timeline: ColumnChart | None
    topics: list[Bar]
    search_url: str
    problems_url: str
    peers: list[tuple[Agency, int]] = field(default_factory=list)  # same level and province
    spans: list[timing.SpanSummary] = field(default_factory=list)  # time to publish, medians
    compare_url: str | None = None  # this agency beside up to five peers (presentation/compare.py)


def build_agency_record(agency: Agency) -> AgencyRecord:
    notices = Notice.objects.filter(agency=agency)
    listed = list(notices.without_bytes().without_search_columns().defer("text").order_by(*NEWEST_FIRST))
    summary = stats.Summary(notices)
    totals = stats.totals(summary)
    topics = stats.problems_by_topic(summary)
    peers = []
    if agency.level or agency.province:
        peers = list(
            Agency.objects.filter(level=agency.level, province=agency.province).exclude(pk=agency.pk)
            .annotate(n=public_notice_count()).filter(n__gt=0).order_by("-n", "name")[:12]
        )
    return AgencyRecord(
        agency=agency, region=region_of(agency), level_label=stats.LEVEL_LABELS.get(agency.level, ""),
        notices=[(n, n.problems_total) for n in listed], totals=totals,
        timeline=_year_columns(summary, f"{agency.name}各年发布的通报数", QueryDict(urlencode({"agency": agency.name}))),
        topics=charts.bars([(label, n, problems_url(agency=agency.name, topic=slug)) for slug, label, n in topics]),
        search_url=list_url(agency=agency.name), problems_url=problems_url(agency=agency.name),
        peers=[(p, p.n) for p in peers], spans=timing.summaries_of(summary.days, totals.notices),
        compare_url=reverse("notices:compare") + "?" + urlencode([("agency", a.name) for a in [agency, *peers[:5]]])
        if peers else None,
    )
