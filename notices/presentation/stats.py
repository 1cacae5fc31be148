"""Counts over the archive (or over any filtered set of notices): by year, province, level and topic.

Problems are what `Issue.objects.problems()` says they are (category headings are not
problems); a problem with two topics counts once under each. Every count is a sum of the
notices' tallies (derive.Tally, kept current by write.py), never a count over problem rows:
20,000 notice rows instead of 275,000 problems and 855,000 measures. Notices without a
publication date are counted under the year None, which every chart shows as 日期不详. Every
function takes the notices to count over, so the statistics page, the home page and an
agency's page all use the same numbers the facets use.
"""
from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass

from django.core.exceptions import EmptyResultSet
from django.db import connections
from django.db.models import Count, F, QuerySet, Sum
from django.db.models.functions import Coalesce, ExtractYear

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


def totals(notices: QuerySet) -> Totals:
    row = notices.order_by().aggregate(
        notices=Count("pk"), problems=Coalesce(Sum("problems_total"), 0), measures=Coalesce(Sum("measures_total"), 0),
        agencies=Count("agency", distinct=True), provinces=Count("province", distinct=True),
    )
    return Totals(**row)


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


def notices_by_year(notices: QuerySet) -> list[tuple[int | None, int]]:
    rows = (notices.annotate(y=ExtractYear("publish_date")).values("y").annotate(n=Count("pk")).order_by("y"))
    return [(row["y"], row["n"]) for row in rows]


def problems_by_year(notices: QuerySet) -> dict[int | None, int]:
    rows = notices.annotate(y=ExtractYear("publish_date")).values("y").annotate(n=Sum("problems_total")).order_by()
    return {row["y"]: row["n"] for row in rows if row["n"]}


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
    counts = {topic: n for (topic,), n in topic_sums(notices).items()}
    order = {t.slug: i for i, t in enumerate(TOPICS)}
    found = [(slug, TOPIC_LABELS.get(slug, slug), n) for slug, n in counts.items()]
    return sorted(found, key=lambda row: (-row[2], order.get(row[0], 99)))


def topic_matrix(notices: QuerySet, by: str) -> dict[str, dict[object, int]]:
    """topic slug -> {year or province -> problems}; `by` is "year" or "province"."""
    column = ExtractYear("publish_date") if by == "year" else F("province")
    matrix: dict[str, dict[object, int]] = defaultdict(dict)
    for (key, topic), n in topic_sums(notices, key=column).items():
        matrix[topic][key] = n
    return matrix


def problems_by_status(notices: QuerySet) -> list[tuple[str, int]]:
    row = notices.order_by().aggregate(all=Sum("problems_total"), done=Sum("problems_done"),
                                       in_progress=Sum("problems_in_progress"))
    counts = {Status.DONE: row["done"] or 0, Status.IN_PROGRESS: row["in_progress"] or 0}
    counts[None] = (row["all"] or 0) - sum(counts.values())
    labels = dict(Status.choices)
    return [(labels.get(s, "未注明") if s else "未注明", counts[s]) for s in (*Status.values, None) if counts[s]]
