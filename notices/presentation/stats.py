"""Counts over the archive (or over any filtered set of notices): by year, province, level and topic.

Problems are what `Issue.objects.problems()` says they are (category headings are not
problems); a problem with two topics counts once under each. Every count is a sum of the
notices' tallies (derive.Tally, kept current by write.py), never a count over problem rows:
20,000 notice rows instead of 275,000 problems and 855,000 measures. Notices without a
publication date are counted under the year None, which every chart shows as 日期不详. Every
function takes the notices to count over, so the statistics page, the home page and an
agency's page all use the same numbers the facets use.

A page reads its numbers from one Summary of its notices: three passes (counts.py: sums by
year, province and level; topic tallies by year and province; days to publish), each made
only when a number needs it, however many charts the page draws from them. Over the whole
archive (home, statistics without a filter) the passes read the sums the write side keeps
per year, province and level (counts.GroupTally: some 550 rows at 20,000 notices); over a
filtered set, the notices' own rows.
"""
from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from functools import cached_property
from typing import NamedTuple

from django.db.models import Count, QuerySet
from django.http import QueryDict

from .. import counts
from ..counts import DayTally, GroupTally, topic_sums
from ..filters import NoticeFilter
from ..models import Level, Notice, Status
from ..topics import TOPIC_LABELS, TOPICS

GROUPED = {"year", "province", "level"}  # the filters (facets) whose values a notice's group (counts.GroupTally) has
LEVEL_LABELS = dict(Level.choices)
LEVEL_ORDER = [value for value, _ in Level.choices]


@dataclass(frozen=True)
class Totals:
    notices: int
    problems: int
    measures: int
    agencies: int
    provinces: int


class Group(NamedTuple):
    """The notices of one year, province and level, and their tallies summed."""

    year: int | None
    province: str | None
    level: str | None
    notices: int
    problems: int
    measures: int
    done: int
    in_progress: int


GROUP_SUMS = ("notices", "problems", "measures", "problems_done", "problems_in_progress")  # a Group's counts


class Summary:
    """The counts over a set of notices that the pages draw, each pass made once and only if used.

    `counted`: where the counts come from, if not the notices' own rows: the archive's
    GroupTally rows when the notices are all the live ones (see archive()).
    """

    def __init__(self, notices: QuerySet, matrices: bool = False, counted: QuerySet | None = None,
                 dated: QuerySet | None = None):
        self.notices = notices.order_by()
        self.counted = self.notices if counted is None else counted.order_by()
        self.dated = self.counted if dated is None else dated.order_by()  # where the days pass reads
        self.keys = counts.group_keys(self.counted)
        self.matrices = matrices  # the page draws topics by year and province: its topic totals come from them

    @classmethod
    def archive(cls, matrices: bool = False) -> Summary:
        """Every live notice, counted from the sums the write side keeps (counts.GroupTally)."""
        return cls(Notice.objects.all(), matrices, counted=GroupTally.objects.all(),
                   dated=DayTally.objects.filter(dimension="archive"))

    @classmethod
    def of_filtered(cls, notices: QuerySet, params: QueryDict, matrices: bool = False) -> Summary:
        """The notices a page's filters (`params`) chose: counted from the sums the write side keeps
        when only the facets that make a group (year, province, level) filter them, else from their rows."""
        used = {name for name in params if name in NoticeFilter.base_filters}
        if not used:
            return cls.archive(matrices)
        if not used <= GROUPED:
            return cls(notices, matrices)
        # Such filters choose whole groups, so one notice of a group says whether the filters choose it.
        first = dict(GroupTally.objects.values_list("notice_ids__0", "pk"))
        chosen = GroupTally.objects.filter(pk__in=[first[pk] for pk in notices.filter(pk__in=list(first))
                                                   .values_list("pk", flat=True)])
        dated = None
        if len(used) == 1:  # the days of those years, provinces or levels (DayTally), the same as their groups'
            dimension, = used
            values = {getattr(group, dimension) for group in chosen.only(dimension)}
            dated = DayTally.objects.filter(dimension=dimension, value__in=[str(v) for v in values if v is not None])
            if None in values:
                dated = dated | DayTally.objects.filter(dimension=dimension, value=None)
        return cls(notices, matrices, counted=chosen, dated=dated)

    @cached_property
    def groups(self) -> list[Group]:
        return [Group(*key, s["notices"], s["problems"], s["measures"], s["problems_done"], s["problems_in_progress"])
                for key, s in counts.sums(self.counted, GROUP_SUMS, **self.keys).items()]

    @cached_property
    def topics(self) -> dict[tuple[int | None, str | None, str], int]:
        """(year, province, topic slug) -> problems."""
        return counts.topic_sums(self.counted, year=self.keys["year"], province=self.keys["province"])

    @cached_property
    def days(self) -> dict[tuple[str, int], int]:
        """(span key, days) -> notices: the time to publish (timing.py)."""
        return counts.day_counts(self.dated)

    @cached_property
    def agencies(self) -> int:
        # Count("agency") rather than the pk: read from the index of live notices' agencies alone.
        return self.notices.aggregate(n=Count("agency", distinct=True))["n"]

    def count(self, key: str, value: str = "notices") -> dict:
        """`key` (year, province or level) -> the sum of `value` over its groups."""
        out: dict = defaultdict(int)
        for group in self.groups:
            out[getattr(group, key)] += getattr(group, value)
        return out


def totals(summary: Summary) -> Totals:
    groups = summary.groups
    return Totals(notices=sum(g.notices for g in groups), problems=sum(g.problems for g in groups),
                  measures=sum(g.measures for g in groups), agencies=summary.agencies,
                  provinces=len({g.province for g in groups if g.province is not None}))


def notices_by_year(summary: Summary) -> list[tuple[int | None, int]]:
    """Oldest first, undated last."""
    found = summary.count("year")
    return [(year, found[year]) for year in sorted(found, key=lambda y: (y is None, y or 0))]


def problems_by_year(summary: Summary) -> dict[int | None, int]:
    return {year: n for year, n in summary.count("year", "problems").items() if n}


def year_span(years: list[int | None]) -> list[int | None]:
    """Every year from the first to the last, so that empty years show as gaps in a timeline; then None if undated."""
    known = [y for y in years if y is not None]
    span: list[int | None] = list(range(min(known), max(known) + 1)) if known else []
    return span + [None] if None in years else span


def notices_by(summary: Summary, key: str) -> list[tuple[str | None, int]]:
    """Notices per province or level, most first (then by name, unknown last)."""
    found = summary.count(key)
    return sorted(found.items(), key=lambda row: (-row[1], row[0] is None, row[0] or ""))


def notices_by_level(summary: Summary) -> list[tuple[str | None, str, int]]:
    found = summary.count("level")
    ordered = [(level, LEVEL_LABELS[level], found[level]) for level in LEVEL_ORDER if found.get(level)]
    if found.get(None):
        ordered.append((None, "不详", found[None]))
    return ordered


def problems_by_topic(summary: Summary) -> list[tuple[str, str, int]]:
    by_topic: dict[str, int] = defaultdict(int)
    if summary.matrices:
        for (_, _, topic), n in summary.topics.items():
            by_topic[topic] += n
    else:  # a smaller grouping
        by_topic.update({topic: n for (topic,), n in topic_sums(summary.counted).items()})
    order = {t.slug: i for i, t in enumerate(TOPICS)}
    found = [(slug, TOPIC_LABELS.get(slug, slug), n) for slug, n in by_topic.items()]
    return sorted(found, key=lambda row: (-row[2], order.get(row[0], 99)))


def topic_matrix(summary: Summary, by: str) -> dict[str, dict[object, int]]:
    """topic slug -> {year or province -> problems}; `by` is "year" or "province"."""
    matrix: dict[str, dict[object, int]] = defaultdict(lambda: defaultdict(int))
    for (year, province, topic), n in summary.topics.items():
        matrix[topic][year if by == "year" else province] += n
    return {topic: dict(row) for topic, row in matrix.items()}


def problems_by_status(summary: Summary) -> list[tuple[str, int]]:
    groups = summary.groups
    found = {Status.DONE: sum(g.done for g in groups), Status.IN_PROGRESS: sum(g.in_progress for g in groups)}
    found[None] = sum(g.problems for g in groups) - sum(found.values())
    labels = dict(Status.choices)
    return [(labels.get(s, "未注明") if s else "未注明", found[s]) for s in (*Status.values, None) if found[s]]
