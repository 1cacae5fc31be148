"""Counts over the archive (or over any filtered set of notices): by year, province, level and topic.

Problems are what `Issue.objects.problems()` says they are (category headings are not
problems); a problem with two topics counts once under each. Notices without a publication
date are counted under the year None, which every chart shows as 日期不详. Every function takes the notices to count over, so the statistics page,
the home page and an agency's page all use the same numbers the facets use.
"""
from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass

from django.db.models import Count, F, Func, QuerySet
from django.db.models.functions import ExtractYear

from ..models import Agency, Issue, Level, Measure, Status
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


def _issues(notices: QuerySet) -> QuerySet:
    return Issue.objects.problems().filter(notice__in=notices.values("pk"))


def totals(notices: QuerySet) -> Totals:
    provinces = notices.exclude(province__isnull=True).values("province").distinct().count()
    return Totals(
        notices=notices.count(), problems=_issues(notices).count(),
        measures=Measure.objects.filter(notice__in=notices.values("pk")).count(),
        agencies=Agency.objects.filter(notices__in=notices.values("pk")).distinct().count(),
        provinces=provinces,
    )


def problems_per_notice(notices: QuerySet) -> dict[int, int]:
    """notice id -> its number of problems (notices without any are left out)."""
    return dict(_issues(notices).values_list("notice_id").annotate(n=Count("pk")).order_by())


def notices_by_year(notices: QuerySet) -> list[tuple[int | None, int]]:
    rows = (notices.annotate(y=ExtractYear("publish_date")).values("y").annotate(n=Count("pk")).order_by("y"))
    return [(row["y"], row["n"]) for row in rows]


def problems_by_year(notices: QuerySet) -> dict[int | None, int]:
    rows = _issues(notices).annotate(y=ExtractYear("notice__publish_date")).values("y").annotate(n=Count("pk")).order_by()
    return {row["y"]: row["n"] for row in rows}


def year_span(years: list[int | None]) -> list[int | None]:
    """Every year from the first to the last, so that empty years show as gaps in a timeline; then None if undated."""
    known = [y for y in years if y is not None]
    span: list[int | None] = list(range(min(known), max(known) + 1)) if known else []
    return span + [None] if None in years else span


def notices_by(notices: QuerySet, column: str) -> list[tuple[str | None, int]]:
    rows = notices.values(column).annotate(n=Count("pk")).order_by("-n", column)
    return [(row[column], row["n"]) for row in rows]


def notices_by_level(notices: QuerySet) -> list[tuple[str | None, str, int]]:
    counts = dict(notices_by(notices, "level"))
    ordered = [(level, LEVEL_LABELS[level], counts[level]) for level in LEVEL_ORDER if level in counts]
    if None in counts:
        ordered.append((None, "不详", counts[None]))
    return ordered


def problems_by_topic(notices: QuerySet) -> list[tuple[str, str, int]]:
    rows = (_issues(notices).annotate(topic=Func(F("topics"), function="unnest")).values("topic")
            .annotate(n=Count("pk")).order_by())
    counts = {row["topic"]: row["n"] for row in rows}
    order = {t.slug: i for i, t in enumerate(TOPICS)}
    found = [(slug, TOPIC_LABELS.get(slug, slug), n) for slug, n in counts.items()]
    return sorted(found, key=lambda row: (-row[2], order.get(row[0], 99)))


def topic_matrix(notices: QuerySet, by: str) -> dict[str, dict[object, int]]:
    """topic slug -> {year or province -> problems}; `by` is "year" or "province"."""
    column = ExtractYear("notice__publish_date") if by == "year" else F("notice__province")
    rows = (_issues(notices).annotate(topic=Func(F("topics"), function="unnest"), key=column)
            .values("topic", "key").annotate(n=Count("pk")).order_by())
    matrix: dict[str, dict[object, int]] = defaultdict(dict)
    for row in rows:
        matrix[row["topic"]][row["key"]] = row["n"]
    return matrix


def problems_by_status(notices: QuerySet) -> list[tuple[str, int]]:
    rows = _issues(notices).values("status").annotate(n=Count("pk")).order_by()
    labels = dict(Status.choices)
    counts = {row["status"]: row["n"] for row in rows}
    return [(labels.get(s, "未注明") if s else "未注明", counts[s]) for s in (*Status.values, None) if s in counts]
