"""Charts drawn on the server: SVG geometry and bar widths computed here, so templates only print numbers.

No script and no outside library draws them; each chart also comes with its numbers as a
table for screen readers and for copying.
"""
from __future__ import annotations

import math
from dataclasses import dataclass


@dataclass(frozen=True)
class Bar:
    label: str
    value: int
    url: str
    share: float  # 0..100, of the largest value: the width of a horizontal bar


@dataclass(frozen=True)
class Column:
    label: str
    value: int
    url: str
    x: float
    y: float
    width: float
    height: float
    center: float


@dataclass(frozen=True)
class Tick:
    value: int
    y: float


@dataclass(frozen=True)
class ColumnChart:
    columns: list[Column]
    ticks: list[Tick]
    width: int
    height: int
    plot_top: int
    plot_bottom: int
    plot_left: int
    plot_right: int
    caption: str

    @property
    def summary(self) -> str:
        """One sentence for screen readers: the chart's caption and its values."""
        values = "，".join(f"{c.label}{c.value}" for c in self.columns)
        return f"{self.caption}：{values}。"


def nice_ceiling(value: int) -> int:
    """The next round number at or above value (1, 2, 5 × 10^k), for an axis."""
    if value <= 0:
        return 1
    power = 10 ** math.floor(math.log10(value))
    for step in (1, 2, 5, 10):
        if value <= step * power:
            return step * power
    return 10 * power


def axis_steps(ceiling: int) -> int:
    """How many equal steps divide a round ceiling into round ticks: 50 -> 5 (by 10), 20 -> 4 (by 5)."""
    if ceiling <= 5:
        return max(1, ceiling)
    leading = int(str(ceiling)[0])
    return 4 if leading == 2 else 5


def bars(rows: list[tuple[str, int, str]]) -> list[Bar]:
    """Horizontal bars: (label, value, url) -> widths relative to the largest value."""
    top = max((value for _, value, _ in rows), default=0) or 1
    return [Bar(label, value, url, round(100 * value / top, 1)) for label, value, url in rows]


def columns(rows: list[tuple[str, int, str]], caption: str, width: int = 640, height: int = 220) -> ColumnChart:
    """Vertical columns (a timeline): one per row, with a round-numbered axis."""
    left, right, top, bottom = 40, width - 8, 16, height - 28
    ceiling = nice_ceiling(max((v for _, v, _ in rows), default=0))
    slot = (right - left) / max(1, len(rows))
    bar_width = max(4.0, min(56.0, slot * 0.64))
    out = []
    for i, (label, value, url) in enumerate(rows):
        h = (bottom - top) * value / ceiling
        x = left + slot * i + (slot - bar_width) / 2
        out.append(Column(label, value, url, round(x, 1), round(bottom - h, 1), round(bar_width, 1), round(h, 1),
                          round(x + bar_width / 2, 1)))
    steps = axis_steps(ceiling)
    ticks = [Tick(ceiling * k // steps, round(bottom - (bottom - top) * k / steps, 1)) for k in range(steps + 1)]
    return ColumnChart(out, ticks, width, height, top, bottom, left, right, caption)


def heat_level(value: int, top: int, levels: int = 5) -> int:
    """0 for nothing, else 1..levels by share of the largest cell: the shade of a heat-map cell."""
    if value <= 0 or top <= 0:
        return 0
    return max(1, math.ceil(levels * value / top))
