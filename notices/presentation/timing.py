"""Time to publish: days from the end of the inspection to its feedback, and from feedback to publication.

Three spans, each defined only where a notice states both of its dates; a notice missing
either date (or stating them out of order) is counted apart as 日期不全, never guessed.
Per notice on its page, per agency (medians), and as a distribution on the statistics page.
"""
from __future__ import annotations

from dataclasses import dataclass

from django.db.models import Aggregate, Count, Expression, F, FloatField, Func, IntegerField, Q, QuerySet

from ..models import Notice
from . import charts

# (key, label, from field, to field)
SPANS = (
    ("to_feedback", "巡察结束到反馈", "inspection_end", "feedback_date"),
    ("to_publish", "反馈到公布", "feedback_date", "publish_date"),
    ("overall", "巡察结束到公布", "inspection_end", "publish_date"),
)
# Bins of the distribution: (label, lowest day, highest day or None).
BINS = (("30 天以内", 0, 30), ("31–60 天", 31, 60), ("61–90 天", 61, 90), ("91–180 天", 91, 180),
        ("181–365 天", 181, 365), ("一年以上", 366, None))


def days_between(start: str, end: str) -> Func:
    """end − start in whole days (PostgreSQL subtracts dates to an integer)."""
    return Func(F(end), F(start), template="(%(expressions)s)", arg_joiner=" - ", output_field=IntegerField())


def stated(start: str, end: str) -> Q:
    """Both dates stated, in order: the span is defined."""
    return Q(**{f"{start}__isnull": False, f"{end}__isnull": False, f"{end}__gte": F(start)})


class Median(Aggregate):
    function = "percentile_cont"
    template = "%(function)s(0.5) WITHIN GROUP (ORDER BY %(expressions)s)"
    output_field = FloatField()


@dataclass(frozen=True)
class Span:
    key: str
    label: str
    days: int | None  # None: a date is missing (or the dates are out of order)


def notice_spans(notice: Notice) -> list[Span]:
    out = []
    for key, label, start, end in SPANS:
        a, b = getattr(notice, start), getattr(notice, end)
        out.append(Span(key, label, (b - a).days if a and b and b >= a else None))
    return out


@dataclass(frozen=True)
class SpanSummary:
    key: str
    label: str
    median: float | None
    dated: int  # notices with both dates
    undated: int  # notices counted apart

    @property
    def median_text(self) -> str:
        return "—" if self.median is None else f"{self.median:.0f} 天"


def _span_aggregates() -> dict:
    aggregates = {"total": Count("pk")}
    for key, _, start, end in SPANS:
        aggregates[f"{key}_median"] = Median(days_between(start, end), filter=stated(start, end))
        aggregates[f"{key}_dated"] = Count("pk", filter=stated(start, end))
    return aggregates


def _summaries(row: dict) -> list[SpanSummary]:
    return [SpanSummary(key, label, row[f"{key}_median"], row[f"{key}_dated"], row["total"] - row[f"{key}_dated"])
            for key, label, _, _ in SPANS]


def summaries(notices: QuerySet) -> list[SpanSummary]:
    """The median of each span over `notices`, and how many have it: one query."""
    return _summaries(notices.order_by().aggregate(**_span_aggregates()))


def summaries_by(notices: QuerySet, group: Expression) -> dict[object, list[SpanSummary]]:
    """summaries() for each value of `group` among `notices` (compare's sides): one query for all."""
    rows = notices.order_by().annotate(group=group).values("group").annotate(**_span_aggregates())
    return {row["group"]: _summaries(row) for row in rows}


@dataclass(frozen=True)
class Distribution:
    key: str
    label: str
    bins: list[tuple[str, int]]
    undated: int

    @property
    def dated(self) -> int:
        return sum(n for _, n in self.bins)

    @property
    def bars(self) -> list[charts.Bar]:
        return charts.bars([(label, n, "") for label, n in self.bins])


def distributions(notices: QuerySet) -> list[Distribution]:
    """How many notices fall in each bin of each span, and how many lack its dates: one query."""
    aggregates = {"total": Count("pk")}
    for key, _, start, end in SPANS:
        days = days_between(start, end)
        for i, (_, low, high) in enumerate(BINS):
            bounds = {"gte": low} if high is None else {"range": (low, high)}
            aggregates[f"{key}_{i}"] = Count("pk", filter=stated(start, end) & Q(
                **{f"{key}_days__{op}": value for op, value in bounds.items()}))
        notices = notices.alias(**{f"{key}_days": days})
    row = notices.order_by().aggregate(**aggregates)
    out = []
    for key, label, _, _ in SPANS:
        bins = [(name, row[f"{key}_{i}"]) for i, (name, _, _) in enumerate(BINS)]
        out.append(Distribution(key, label, bins, row["total"] - sum(n for _, n in bins)))
    return out
