"""Compare: two to six agencies, provinces, levels or years side by side.

What each side's notices say, in the same rows for every side: problems by topic (count and
share of the side's problems), the figures the notices state about themselves (problems and
measures claimed, systems made, money recovered, people held to account) beside what the
archive found in them, problems by status, and the time from inspection to feedback to
publication. The whole comparison is in the query string (?province=广东省&province=山东省),
so its URL can be shared; compare.csv gives the same rows.

Each section is one grouped query over all sides at once (a CASE labels each row with its
side), made by counts.py's passes: over the sums the write side keeps per year, province and
level (counts.GroupTally) when the sides are provinces, levels or years, over the agencies'
own notices when they are agencies. The page costs the same four queries for two sides as
for six, and reads no problem rows.
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field

from django.db.models import Case, IntegerField, Q, QuerySet, Value, When
from django.http import QueryDict

from .. import counts
from ..counts import DayTally, GroupTally
from ..models import Level, Notice, Progress, Status
from ..topics import TOPIC_LABELS, TOPICS
from . import timing
from .figures import money
from .overview import list_url, problems_url

MIN_SIDES, MAX_SIDES = 2, 6
DIMENSIONS = {"agency": "单位", "province": "省份", "level": "层级", "year": "年份"}  # parameter -> what a side is
LEVEL_LABELS = dict(Level.choices)
# figures key -> (label, unit), as presentation/figures.py words them
STATED = (("problems_reported", "通报所说的问题数", "个"), ("measures_planned", "通报所说的整改措施数", "条"),
          ("regulations_made", "建立完善制度", "项"), ("money_recovered_yuan", "追缴或挽回资金", "元"))


class CompareError(ValueError):
    """What is wrong with the chosen sides, as a sentence that says what to do."""


@dataclass(frozen=True)
class Side:
    value: str
    label: str
    url: str  # the side's notices in the list


@dataclass
class Row:
    label: str
    cells: list[str]  # one per side, ready to print
    url: str = ""
    urls: list[str] = field(default_factory=list)  # per side, where a cell links to its notices or problems

    @property
    def linked_cells(self) -> list[tuple[str, str]]:
        """(text, link or "") per side: nothing to link where there is nothing to see."""
        urls = self.urls or [""] * len(self.cells)
        return [(text, url if text not in ("—", "未写明") else "") for text, url in zip(self.cells, urls)]


@dataclass
class Section:
    key: str
    title: str
    rows: list[Row]
    note: str = ""


@dataclass
class Comparison:
    dimension: str
    dimension_label: str
    sides: list[Side]
    sections: list[Section]

    @property
    def title(self) -> str:
        return " 与 ".join(s.label for s in self.sides)


def chosen_sides(params: QueryDict) -> tuple[str, list[str]] | None:
    """(dimension, values) from the query string; None when nothing is chosen; CompareError when it is wrong."""
    given = {name: list(dict.fromkeys(v.strip() for v in params.getlist(name) if v.strip())) for name in DIMENSIONS}
    given = {name: values for name, values in given.items() if values}
    if not given:
        return None
    if len(given) > 1:
        names = "、".join(DIMENSIONS[n] for n in given)
        raise CompareError(f"一次只能比较一种对象，这里同时选了{names}。请只保留其中一种。")
    (name, values), = given.items()
    what = DIMENSIONS[name]
    if not MIN_SIDES <= len(values) <= MAX_SIDES:
        raise CompareError(f"请选择 {MIN_SIDES} 至 {MAX_SIDES} 个{what}来比较，这里选了 {len(values)} 个。")
    if name == "level" and any(v not in LEVEL_LABELS for v in values):
        raise CompareError(f"层级只能是 {'、'.join(LEVEL_LABELS)} 之一，请改正后再试。")
    if name == "year" and any(not re.fullmatch(r"[0-9]{4}", v) for v in values):
        raise CompareError("年份请写四位数字，如 2025。")
    return name, values


def _side_label(name: str, value: str) -> str:
    return LEVEL_LABELS.get(value, value) if name == "level" else f"{value}年" if name == "year" else value


def _counted(name: str, values: list[str]) -> QuerySet:
    """The rows a comparison sums: where the sides are provinces, levels or years, the sums the
    write side keeps per year, province and level (counts.GroupTally); agencies' own notices."""
    if name == "agency":
        return Notice.objects.filter(agency_name__in=values)
    return GroupTally.objects.filter(**{f"{name}__in": [int(v) if name == "year" else v for v in values]})


def _side_of(name: str, values: list[str]) -> Case:
    """Which side a row of _counted() belongs to (0, 1, ...)."""
    column = "agency_name" if name == "agency" else name
    whens = [When(Q(**{column: int(v) if name == "year" else v}), then=Value(i)) for i, v in enumerate(values)]
    return Case(*whens, default=None, output_field=IntegerField())


def _dated(name: str, values: list[str], rows: QuerySet, side: Case) -> tuple[QuerySet, Case]:
    """Where the days pass reads, and its side: one DayTally row a side but for agencies."""
    if name == "agency":
        return rows, side
    whens = [When(Q(value=v), then=Value(i)) for i, v in enumerate(values)]
    return (DayTally.objects.filter(dimension=name, value__in=values),
            Case(*whens, default=None, output_field=IntegerField()))


def _number(n: int | float | None, unit: str = "") -> str:
    if n is None:
        return "—"
    text = f"{n:,.0f}" if isinstance(n, float) else f"{n:,}"
    return f"{text} {unit}".rstrip()


def build_comparison(name: str, values: list[str]) -> Comparison:
    rows, side = _counted(name, values), _side_of(name, values)
    sides = [Side(v, _side_label(name, v), list_url(**{name: v})) for v in values]
    n = len(values)
    # Every side's counts and sums in one query (a side without notices counts nothing).
    summed = counts.sums(rows, side=side)
    nothing = {key: None if key.endswith("_sum") else 0 for key in counts.SUMMED}
    per_side = [summed.get((i,), nothing) for i in range(n)]
    side_problems = [s["problems"] for s in per_side]
    overview = Section("overview", "概况", [
        Row("通报", [_number(s["notices"], "份") for s in per_side], urls=[s.url for s in sides]),
        Row("问题", [_number(p, "个") for p in side_problems], urls=[problems_url(**{name: v}) for v in values]),
        Row("整改措施", [_number(s["measures"], "条") for s in per_side]),
    ])
    return Comparison(name, DIMENSIONS[name], sides, [
        overview, _topics(rows, side, name, values, side_problems), _stated(per_side), _statuses(per_side),
        _timing(*_dated(name, values, rows, side), per_side),
    ])


def _topics(rows: QuerySet, side: Case, name: str, values: list[str], totals: list[int]) -> Section:
    found = counts.topic_sums(rows, side=side)
    order = {t.slug: i for i, t in enumerate(TOPICS)}
    slugs = sorted({topic for _, topic in found}, key=lambda s: (-sum(found.get((i, s), 0)
                                                                      for i in range(len(values))), order.get(s, 99)))
    out = []
    for slug in slugs:
        cells = []
        for i in range(len(values)):
            count = found.get((i, slug), 0)
            cells.append(f"{count}（{100 * count / totals[i]:.0f}%）" if count and totals[i] else "—")
        out.append(Row(TOPIC_LABELS.get(slug, slug), cells, url=problems_url(topic=slug),
                       urls=[problems_url(**{name: v, "topic": slug}) for v in values]))
    return Section("topics", "问题按主题", out, "括号中是该主题问题占这一方全部问题的比例；一个问题可属于几个主题。")


def _stated(per_side: list[dict]) -> Section:
    out = []
    for key, label, unit in [*STATED, ("accountable", "被问责、处理的人员", "人")]:
        cells = []
        for side in per_side:  # the sums of the notices' columns derive.Stated fills from their figures
            total, stating = side[f"stated_{key}_sum"], side[f"stated_{key}_n"]
            amount = " ".join(money(total)) if key == "money_recovered_yuan" and total else _number(total, unit)
            cells.append(f"{amount}（{stating} 份写明）" if stating else "未写明")
        out.append(Row(label, cells))
    return Section("stated", "通报自述的数字", out,
                   "这些数字是通报自己写明的（如“制定整改措施91条”），与本库整理出的问题、措施数可对照；"
                   "括号中是写明该数字的通报份数。")


def _statuses(per_side: list[dict]) -> Section:
    problems = {Status.DONE: "problems_done", Status.IN_PROGRESS: "problems_in_progress"}
    rows = [Row(f"问题：{label}", [_number(s[problems[status]], "个") for s in per_side]) for status, label in Status.choices]
    rows.append(Row("问题：未注明", [_number(s["problems"] - s["problems_done"] - s["problems_in_progress"], "个")
                                  for s in per_side]))
    rows += [Row(f"通报：{label}", [_number(s[f"progress_{p}"], "份") for s in per_side]) for p, label in Progress.choices]
    return Section("status", "整改状态", rows, "问题的状态取自通报原文（“已完成”“正在推进”等）；未写明的单列。")


def _timing(rows: QuerySet, side: Case, per_side: list[dict]) -> Section:
    days: dict[int, dict[tuple, int]] = {}
    for (i, *span_days), count in counts.day_counts(rows, side=side).items():
        days.setdefault(i, {})[tuple(span_days)] = count
    spans = [timing.summaries_of(days.get(i, {}), s["notices"]) for i, s in enumerate(per_side)]
    out = []
    for k, (key, label, _, _) in enumerate(timing.SPANS):
        cells = [f"{s[k].median_text}（{s[k].dated} 份有日期）" if s[k].dated else "日期不全" for s in spans]
        out.append(Row(f"{label}（中位数）", cells))
    return Section("timing", "从巡察到公布用时", out,
                   "按通报写明的巡察结束、反馈和发布日期计算；缺少其中任一日期的通报不计入，括号中是计入的份数。")


def csv_rows(comparison: Comparison) -> list[list[str]]:
    """The comparison as a table: a heading row, then (section, row, one cell per side)."""
    rows = [["部分", "项目", *[s.label for s in comparison.sides]]]
    for section in comparison.sections:
        rows += [[section.title, row.label, *row.cells] for row in section.rows]
    return rows
