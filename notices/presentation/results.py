"""Search results shaped for the page: each notice with its matching problems and measures.

A row links to the notice with the search words (?q=) so they are marked there too, and
each problem or measure links straight to its anchor in the notice's outline.
"""
from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from urllib.parse import urlencode

from django.db.models import F, QuerySet
from django.urls import reverse
from django.utils.safestring import SafeString

from ..models import Issue, Level, Measure, Notice, Progress
from ..search import NoticeHit, SearchOutcome, WholeWords, spans
from ..topics import TOPIC_LABELS
from . import links as P
from . import stats
from .notice_page import region_of
from .outline import STATUS_CSS, STATUS_LABELS, measure_anchor, problem_anchor
from .search_state import SearchState
from .text import excerpt, marked, marked_snippets

LEVEL_LABELS = dict(Level.choices)
PROGRESS_LABELS = dict(Progress.choices)
MEASURES_PER_PROBLEM = 4
BROWSE_PER_PAGE = 30


@dataclass
class UnitRow:
    """A matching problem, or a matching measure (with the problem it answers)."""

    html: SafeString
    url: str
    label: str | None = None
    status_label: str = ""
    status_css: str = ""
    problem_html: SafeString | None = None  # for a measure: its problem
    problem_url: str = ""
    # For a problem: its measures that match (shown), the others (folded away), and how many more.
    measures: list["UnitRow"] = field(default_factory=list)
    other_measures: list["UnitRow"] = field(default_factory=list)
    more_measures: int = 0


@dataclass
class NoticeRow:
    notice: Notice
    url: str
    title: SafeString
    agency_url: str | None
    region: str
    level_label: str
    progress_label: str
    topics: list[tuple[str, str]]  # (label, url adding the topic filter)
    problem_count: int = 0
    measure_count: int = 0
    problems: list[UnitRow] = field(default_factory=list)
    measures: list[UnitRow] = field(default_factory=list)
    more_problems: int = 0
    more_measures: int = 0
    text_snippets: list[SafeString] = field(default_factory=list)


@dataclass
class Browse:
    """Problems without search words (the problem page's topic browsing), paged by problem."""

    rows: list[NoticeRow]
    total: int
    num_pages: int
    estimated: bool = False

    def restrict(self, qs: QuerySet, searched: bool = False, units: bool = False):
        return qs, 1.0, False


class RowLinks:
    """A page's links to notices and to topics, each built once: a page of twenty notices links
    to them some 130 times (from every problem and measure), and to the same few topics again
    and again (reversing a URL or encoding a query each time was a tenth of the page's Python)."""

    def __init__(self, state: SearchState):
        self.state = state
        # The search words, marked on the notice's page too (whole words only in the word mode).
        self.query = "?" + urlencode({"q": state.q, **({"match": "word"} if state.whole_words else {})}) if state.q else ""
        self.notices: dict[int, str] = {}
        self.topics: dict[str, str] = {}

    def notice(self, notice: Notice, anchor: str = "") -> str:
        url = self.notices.get(notice.pk)
        if url is None:
            url = self.notices[notice.pk] = reverse("notices:detail", args=[notice.pk]) + self.query
        return url + (f"#{anchor}" if anchor else "")

    def topic(self, slug: str) -> str:
        """The page with the topic's filter added."""
        url = self.topics.get(slug)
        if url is None:
            url = self.topics[slug] = P.adding_value(self.state.params, "topic", slug)
        return url


def _row(notice: Notice, links: RowLinks, terms: list[str]) -> NoticeRow:
    # The counts are the notice's tally (derive.Tally, kept by the write side), not rows counted.
    return NoticeRow(
        notice=notice, url=links.notice(notice), title=marked(notice.display_title, terms),
        agency_url=reverse("notices:agency", args=[notice.agency_id]) if notice.agency_id else None,
        region=region_of(notice), level_label=LEVEL_LABELS.get(notice.level, ""),
        progress_label=PROGRESS_LABELS.get(notice.progress, "") if notice.progress != Progress.UNSTATED else "",
        topics=[(TOPIC_LABELS.get(slug, slug), links.topic(slug)) for slug in notice.topics],
        problem_count=notice.problems_total, measure_count=notice.measures_total,
    )


def _problem_row(issue: Issue, notice: Notice, links: RowLinks, terms: list[str]) -> UnitRow:
    return UnitRow(
        html=marked(issue.title, terms), url=links.notice(notice, problem_anchor(issue.position)),
        label=issue.label, status_label=STATUS_LABELS.get(issue.status, "") if issue.status else "",
        status_css=STATUS_CSS.get(issue.status, "") if issue.status else "",
    )


def _attach_measures(rows: list[UnitRow], issues: list[Issue], notices: dict[int, Notice], links: RowLinks, terms) -> None:
    """Under each problem, its measures: those holding the search words shown, the rest folded away."""
    by_issue: dict[int, list[Measure]] = defaultdict(list)
    for measure in Measure.objects.filter(issue_id__in=[i.pk for i in issues]).defer("fold_text").order_by("position"):
        by_issue[measure.issue_id].append(measure)
    for row, issue in zip(rows, issues):
        found = by_issue[issue.pk]
        notice = notices[issue.notice_id]

        def unit(m: Measure) -> UnitRow:
            return UnitRow(html=excerpt(m.text, terms), label=m.label,
                           url=links.notice(notice, measure_anchor(issue.position, m.position)))

        matching = [m for m in found if terms and spans(m.text, terms)][:MEASURES_PER_PROBLEM]
        others = [m for m in found if m not in matching][:MEASURES_PER_PROBLEM]
        row.measures, row.other_measures = [unit(m) for m in matching], [unit(m) for m in others]
        row.more_measures = len(found) - len(matching) - len(others)


def search_rows(outcome: SearchOutcome, state: SearchState) -> list[NoticeRow]:
    terms = state.query.highlight_terms()
    if state.whole_words:  # mark 台账 in 建立台账, not in 平台账号
        terms = WholeWords(terms)
    links = RowLinks(state)
    rows = [_hit_row(hit, links, terms) for hit in outcome.hits]
    if state.scope == "problem":  # every listed problem's measures, in one query for the page
        listed = [(problem, unit.unit) for row, hit in zip(rows, outcome.hits)
                  for problem, unit in zip(row.problems, hit.issues)]
        if listed:
            _attach_measures([problem for problem, _ in listed], [issue for _, issue in listed],
                             {hit.notice.pk: hit.notice for hit in outcome.hits}, links, terms)
    return rows


def _hit_row(hit: NoticeHit, links: RowLinks, terms: list[str]) -> NoticeRow:
    notice = hit.notice
    row = _row(notice, links, terms)
    issues = [unit.unit for unit in hit.issues]
    row.problems = [_problem_row(issue, notice, links, terms) for issue in issues]
    for unit in hit.measures:
        measure, issue = unit.unit, unit.issue
        row.measures.append(UnitRow(
            html=excerpt(measure.text, terms), label=measure.label,
            url=links.notice(notice, measure_anchor(issue.position, measure.position)),
            problem_html=marked(issue.title, terms),
            problem_url=links.notice(notice, problem_anchor(issue.position)),
        ))
    row.more_problems, row.more_measures = hit.more_issues, hit.more_measures
    if terms and not row.problems and not row.measures:
        row.text_snippets = marked_snippets(notice.text, terms, limit=2)
    return row


def browse_problems(notices: QuerySet, state: SearchState, per_page: int = BROWSE_PER_PAGE) -> Browse:
    """Every problem of the filtered notices (only the chosen topics' problems when a topic is chosen).

    Without a topic the total is the notices' tallies summed (stats.Summary: the archive's sums
    when no filter or only year, province and level choose them), not a count of 275,000 problem rows."""
    # Live notices twice over: the joined notice row that orders them then matches the index of
    # live notices newest first (notice_live_newest), instead of a scan and sort of every notice.
    issues = Issue.objects.problems().filter(notice__in=notices.values("pk"), notice__deleted_at=None).defer("fold_text")
    topics = state.params.getlist("topic")
    if topics:
        issues = issues.filter(topics__overlap=topics)
        total = issues.count()
    else:
        total = sum(group.problems for group in stats.Summary.of_filtered(notices, state.params).groups)
    if state.sort == "oldest":
        order = (F("notice__publish_date").asc(nulls_last=True), "notice_id")
    else:
        order = (F("notice__publish_date").desc(nulls_last=True), "-notice_id")
    issues = issues.order_by(*order, "position")
    num_pages = max(1, -(-total // per_page))
    offset = (state.page - 1) * per_page
    page_issues = list(issues[offset:offset + per_page]) if state.page <= num_pages else []
    notice_ids = list(dict.fromkeys(i.notice_id for i in page_issues))
    notices_by_id = {n.pk: n for n in Notice.objects.without_bytes().without_search_columns().defer("text")
                     .filter(pk__in=notice_ids)}
    rows: dict[int, NoticeRow] = {}
    problems = []
    links = RowLinks(state)
    for issue in page_issues:
        notice = notices_by_id[issue.notice_id]
        if notice.pk not in rows:
            rows[notice.pk] = _row(notice, links, [])
        problems.append(_problem_row(issue, notice, links, []))
        rows[notice.pk].problems.append(problems[-1])
    if page_issues:
        _attach_measures(problems, page_issues, notices_by_id, links, [])
    return Browse(list(rows.values()), total, num_pages)
