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


PHONE_WIDTH = 340  # px: about how wide a chart is drawn on a 390 px phone
PHONE_TEXT = 12  # px: its axis and value text there
UNDATED = "日期不详"  # the timeline's last column: the notices (or their problems) with no publication date


@dataclass(frozen=True)
class Column:
    label: str  # a year, or UNDATED
    value: int
    url: str
    x: float
    y: float
    width: float
    height: float
    center: float
    unit: str = ""
    show_label: bool = True  # under the axis; crowded timelines print every second or third year

    @property
    def undated(self) -> bool:
        return self.label == UNDATED

    @property
    def spoken(self) -> str:
        """The column as a screen reader or tooltip says it: 2024年：2 份 (year and count kept apart)."""
        name = self.label if self.undated else f"{self.label}年"
        return f"{name}：{self.value} {self.unit}".rstrip()


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
    unit: str = ""

    @property
    def total(self) -> int:
        return sum(c.value for c in self.columns)

    @property
    def undated(self) -> int:
        return sum(c.value for c in self.columns if c.undated)

    @property
    def summary(self) -> str:
        """One sentence for screen readers: the chart's caption and its values."""
        values = "；".join(c.spoken for c in self.columns)
        return f"{self.caption}，共 {self.total} {self.unit}。{values}。"


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


def columns(rows: list[tuple[str, int, str]], caption: str, unit: str = "", height: int = 220) -> ColumnChart:
    """Vertical columns (a timeline): one per row, with a round-numbered axis.

    The drawing is as wide as its columns need (at most 640), so that a chart of three
    years scaled into a narrow box keeps its text as large as one of fifteen.
    """
    width = max(300, min(640, 48 + 72 * len(rows)))
    left, right, top, bottom = 40, width - 8, 30, height - 32
    ceiling = nice_ceiling(max((v for _, v, _ in rows), default=0))
    slot = (right - left) / max(1, len(rows))
    bar_width = max(4.0, min(56.0, slot * 0.64))
    # On a phone the text is drawn PHONE_TEXT px high whatever the width (see archive.css), which in
    # the drawing's own units is PHONE_TEXT * width / PHONE_WIDTH; a year takes about 2.6 of those.
    label_width = 2.6 * PHONE_TEXT * width / PHONE_WIDTH
    every = max(1, math.ceil(label_width / slot))
    out = []
    for i, (label, value, url) in enumerate(rows):
        h = (bottom - top) * value / ceiling
        x = left + slot * i + (slot - bar_width) / 2
        out.append(Column(label, value, url, round(x, 1), round(bottom - h, 1), round(bar_width, 1), round(h, 1),
                          round(x + bar_width / 2, 1), unit, i % every == 0 or label == UNDATED))
    steps = axis_steps(ceiling)
    ticks = [Tick(ceiling * k // steps, round(bottom - (bottom - top) * k / steps, 1)) for k in range(steps + 1)]
    return ColumnChart(out, ticks, width, height, top, bottom, left, right, caption, unit)


def heat_level(value: int, top: int, levels: int = 5) -> int:
    """0 for nothing, else 1..levels by share of the largest cell: the shade of a heat-map cell."""
    if value <= 0 or top <= 0:
        return 0
    return max(1, math.ceil(levels * value / top))
