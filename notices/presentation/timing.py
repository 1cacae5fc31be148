"""Time to publish: days from the end of the inspection to its feedback, and from feedback to publication.

Three spans, each defined only where a notice states both of its dates; a notice missing
either date (or stating them out of order) is counted apart as 日期不全, never guessed.
Per notice on its page, per agency (medians), and as a distribution on the statistics page.
Medians and distributions are computed from how many notices took each number of days
(counts.day_counts), so the archive's sums per group can hold them.
"""
from __future__ import annotations

from dataclasses import dataclass
from math import ceil, floor

from django.db.models import Expression, QuerySet

from .. import counts
from ..models import Notice
from . import charts

SPANS = counts.SPANS  # (key, label, from field, to field)
# Bins of the distribution: (label, lowest day, highest day or None).
BINS = (("30 天以内", 0, 30), ("31–60 天", 31, 60), ("61–90 天", 61, 90), ("91–180 天", 91, 180),
        ("181–365 天", 181, 365), ("一年以上", 366, None))


def median(notices_by_days: dict[int, int]) -> float | None:
    """The median number of days, interpolated as PostgreSQL's percentile_cont(0.5) does; None if none."""
    n = sum(notices_by_days.values())
    if not n:
        return None
    position = 0.5 * (n - 1)

    def nth(index: int) -> int:
        seen = 0
        for days in sorted(notices_by_days):
            seen += notices_by_days[days]
            if seen > index:
                return days
        raise IndexError(index)

    low, high = nth(floor(position)), nth(ceil(position))
    return low + (position - floor(position)) * (high - low)


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


def _by_span(days: dict[tuple, int]) -> dict[str, dict[int, int]]:
    """counts.day_counts without keys -> span key -> {days: notices}."""
    out: dict[str, dict[int, int]] = {key: {} for key, *_ in SPANS}
    for (span, n_days), n in days.items():
        out[span][n_days] = n
    return out


def summaries_of(days: dict[tuple, int], total: int) -> list[SpanSummary]:
    """The median of each span and how many notices have it, from counts.day_counts (no keys) of `total` notices."""
    spans = _by_span(days)
    return [SpanSummary(key, label, median(spans[key]), sum(spans[key].values()), total - sum(spans[key].values()))
            for key, label, _, _ in SPANS]


def _total(rows: QuerySet, **keys) -> dict[tuple, int]:
    return {key: summed["notices"] for key, summed in counts.sums(rows, **keys).items()}


def summaries(rows: QuerySet) -> list[SpanSummary]:
    """summaries_of() the notices (or GroupTally rows) given."""
    return summaries_of(counts.day_counts(rows), _total(rows).get((), 0))


def summaries_by(rows: QuerySet, group: Expression) -> dict[object, list[SpanSummary]]:
    """summaries() for each value of `group` among the rows (compare's sides)."""
    days: dict[object, dict[tuple, int]] = {}
    for (value, *span_days), n in counts.day_counts(rows, group=group).items():
        days.setdefault(value, {})[tuple(span_days)] = n
    return {value: summaries_of(days.get(value, {}), total) for (value,), total in _total(rows, group=group).items()}


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


def distributions_of(days: dict[tuple, int], total: int) -> list[Distribution]:
    """How many notices fall in each bin of each span, and how many lack its dates (counts.day_counts, no keys)."""
    out = []
    for key, label, _, _ in SPANS:
        by_days = _by_span(days)[key]
        bins = [(name, sum(n for d, n in by_days.items() if low <= d and (high is None or d <= high)))
                for name, low, high in BINS]
        out.append(Distribution(key, label, bins, total - sum(n for _, n in bins)))
    return out


def distributions(rows: QuerySet) -> list[Distribution]:
    """distributions_of() the notices (or GroupTally rows) given."""
    return distributions_of(counts.day_counts(rows), _total(rows).get((), 0))
