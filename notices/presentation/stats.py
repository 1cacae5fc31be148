"""Counts over the archive (or over any filtered set of notices): by year, province, level and topic.

Problems are what `Issue.objects.problems()` says they are (category headings are not
problems); a problem with two topics counts once under each. Every count is a sum of the
notices' tallies (derive.Tally, kept current by write.py), never a count over problem rows:
20,000 notice rows instead of 275,000 problems and 855,000 measures. Notices without a
publication date are counted under the year None, which every chart shows as 日期不详. Every
function takes the notices to count over, so the statistics page, the home page and an
agency's page all use the same numbers the facets use.

A page reads its numbers from one Summary of its notices: two passes over their rows (the
notices grouped by year, province and level; their topic tallies by year and province), each
made only when a number needs it, however many charts the page draws from them.
"""
from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from functools import cached_property
from typing import NamedTuple

from django.core.exceptions import EmptyResultSet
from django.db import connections
from django.db.models import Count, F, QuerySet, Sum
from django.db.models.functions import ExtractYear

from ..models import Level, Status
from ..topics import TOPIC_LABELS, TOPICS

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


class Summary:
    """The counts over a set of notices that the pages draw, each pass made once and only if used."""

    def __init__(self, notices: QuerySet, matrices: bool = False):
        self.notices = notices.order_by()
        self.matrices = matrices  # the page draws topics by year and province: its topic totals come from them

    @cached_property
    def groups(self) -> list[Group]:
        rows = (self.notices.annotate(year=ExtractYear("publish_date")).values_list("year", "province", "level")
                .annotate(Count("pk"), Sum("problems_total"), Sum("measures_total"), Sum("problems_done"),
                          Sum("problems_in_progress")))
        return [Group(*row) for row in rows]

    @cached_property
    def topics(self) -> dict[tuple[int | None, str | None, str], int]:
        """(year, province, topic slug) -> problems."""
        found = topic_sums(self.notices, year=ExtractYear("publish_date"), province=F("province"))
        # Raw SQL gives EXTRACT's numeric as a Decimal: the years every other count uses are ints.
        return {(None if year is None else int(year), province, topic): n for (year, province, topic), n in found.items()}

    @cached_property
    def agencies(self) -> int:
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


def topic_sums(notices: QuerySet, **keys) -> dict[tuple, int]:
    """(*values of `keys`, topic slug) -> problems, from the notices' tallies: one pass over the notices.

    Each notice's problem_topics is expanded in SQL (jsonb_each_text), which Django's ORM
    cannot join: the notices' own query is wrapped, so any filter on them holds.
    """
    names = [f"key{i}" for i in range(len(keys))]
    inner = (notices.order_by().annotate(**dict(zip(names, keys.values()))).values(*names, "problem_topics"))
    try:
        sql, params = inner.query.get_compiler(inner.db).as_sql()
    except EmptyResultSet:  # a filter no notice can match (an empty list of ids)
        return {}
    grouped = "".join(f"n.{name}, " for name in names)
    query = (f"SELECT {grouped}t.key, sum(t.value::int) FROM ({sql}) n, jsonb_each_text(n.problem_topics) t "
             f"GROUP BY {grouped}t.key")
    with connections[inner.db].cursor() as cursor:
        cursor.execute(query, params)
        return {tuple(row[:-1]): row[-1] for row in cursor.fetchall()}


def notices_by_year(summary: Summary) -> list[tuple[int | None, int]]:
    """Oldest first, undated last."""
    counts = summary.count("year")
    return [(year, counts[year]) for year in sorted(counts, key=lambda y: (y is None, y or 0))]


def problems_by_year(summary: Summary) -> dict[int | None, int]:
    return {year: n for year, n in summary.count("year", "problems").items() if n}


def year_span(years: list[int | None]) -> list[int | None]:
    """Every year from the first to the last, so that empty years show as gaps in a timeline; then None if undated."""
    known = [y for y in years if y is not None]
    span: list[int | None] = list(range(min(known), max(known) + 1)) if known else []
    return span + [None] if None in years else span


def notices_by(summary: Summary, key: str) -> list[tuple[str | None, int]]:
    """Notices per province or level, most first (then by name, unknown last)."""
    counts = summary.count(key)
    return sorted(counts.items(), key=lambda row: (-row[1], row[0] is None, row[0] or ""))


def notices_by_level(summary: Summary) -> list[tuple[str | None, str, int]]:
    counts = summary.count("level")
    ordered = [(level, LEVEL_LABELS[level], counts[level]) for level in LEVEL_ORDER if counts.get(level)]
    if counts.get(None):
        ordered.append((None, "不详", counts[None]))
    return ordered


def problems_by_topic(summary: Summary) -> list[tuple[str, str, int]]:
    counts: dict[str, int] = defaultdict(int)
    if summary.matrices:
        for (_, _, topic), n in summary.topics.items():
            counts[topic] += n
    else:  # a smaller grouping
        counts.update({topic: n for (topic,), n in topic_sums(summary.notices).items()})
    order = {t.slug: i for i, t in enumerate(TOPICS)}
    found = [(slug, TOPIC_LABELS.get(slug, slug), n) for slug, n in counts.items()]
    return sorted(found, key=lambda row: (-row[2], order.get(row[0], 99)))


def topic_matrix(summary: Summary, by: str) -> dict[str, dict[object, int]]:
    """topic slug -> {year or province -> problems}; `by` is "year" or "province"."""
    matrix: dict[str, dict[object, int]] = defaultdict(lambda: defaultdict(int))
    for (year, province, topic), n in summary.topics.items():
        matrix[topic][year if by == "year" else province] += n
    return {topic: dict(row) for topic, row in matrix.items()}


def problems_by_status(summary: Summary) -> list[tuple[str, int]]:
    groups = summary.groups
    counts = {Status.DONE: sum(g.done for g in groups), Status.IN_PROGRESS: sum(g.in_progress for g in groups)}
    counts[None] = sum(g.problems for g in groups) - sum(counts.values())
    labels = dict(Status.choices)
    return [(labels.get(s, "未注明") if s else "未注明", counts[s]) for s in (*Status.values, None) if counts[s]]
