"""Compare: two to six agencies, provinces, levels or years side by side.

What each side's notices say, in the same rows for every side: problems by topic (count and
share of the side's problems), the figures the notices state about themselves (problems and
measures claimed, systems made, money recovered, people held to account) beside what the
archive found in them, problems by status, and the time from inspection to feedback to
publication. The whole comparison is in the query string (?province=广东省&province=山东省),
so its URL can be shared; compare.csv gives the same rows.

Each row is one grouped query over all sides' notices at once (a CASE labels each notice
with its side), summing the counts each notice keeps (derive.Tally): the page costs the
same handful of queries over notices for two sides as for six, and reads no problem rows.
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field

from django.db.models import Case, Count, IntegerField, Q, QuerySet, Sum, Value, When
from django.http import QueryDict

from ..models import Level, Notice, Progress, Status
from ..topics import TOPIC_LABELS, TOPICS
from . import stats, timing
from .figures import money
from .overview import list_url, problems_url

MIN_SIDES, MAX_SIDES = 2, 6
# parameter -> (what a side is, the Notice field it filters)
DIMENSIONS = {"agency": ("单位", "agency_name"), "province": ("省份", "province"), "level": ("层级", "level"),
              "year": ("年份", "publish_date__year")}
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
        names = "、".join(DIMENSIONS[n][0] for n in given)
        raise CompareError(f"一次只能比较一种对象，这里同时选了{names}。请只保留其中一种。")
    (name, values), = given.items()
    what = DIMENSIONS[name][0]
    if not MIN_SIDES <= len(values) <= MAX_SIDES:
        raise CompareError(f"请选择 {MIN_SIDES} 至 {MAX_SIDES} 个{what}来比较，这里选了 {len(values)} 个。")
    if name == "level" and any(v not in LEVEL_LABELS for v in values):
        raise CompareError(f"层级只能是 {'、'.join(LEVEL_LABELS)} 之一，请改正后再试。")
    if name == "year" and any(not re.fullmatch(r"[0-9]{4}", v) for v in values):
        raise CompareError("年份请写四位数字，如 2025。")
    return name, values


def _side_label(name: str, value: str) -> str:
    return LEVEL_LABELS.get(value, value) if name == "level" else f"{value}年" if name == "year" else value


def _side_of(name: str, values: list[str]) -> Case:
    """Which side a notice belongs to (0, 1, ...)."""
    column = DIMENSIONS[name][1]
    whens = [When(Q(**{column: int(v) if name == "year" else v}), then=Value(i)) for i, v in enumerate(values)]
    return Case(*whens, default=None, output_field=IntegerField())


def _grouped(rows: QuerySet, side: Case, *keys: str, **aggregates) -> dict:
    """(side, *keys) -> aggregate values, for the rows of any side."""
    found = rows.annotate(side=side).filter(side__isnull=False).values("side", *keys).annotate(**aggregates).order_by()
    return {(r["side"], *(r[k] for k in keys)): r for r in found}


def _number(n: int | float | None, unit: str = "") -> str:
    if n is None:
        return "—"
    text = f"{n:,.0f}" if isinstance(n, float) else f"{n:,}"
    return f"{text} {unit}".rstrip()


def build_comparison(name: str, values: list[str]) -> Comparison:
    notices = Notice.objects.filter(**{f"{DIMENSIONS[name][1]}__in": [int(v) if name == "year" else v for v in values]})
    sides = [Side(v, _side_label(name, v), list_url(**{name: v})) for v in values]
    n = len(values)
    on_notice = _side_of(name, values)
    # Notices by progress, with their tallies summed: every side's totals and statuses in one query.
    by_progress = _grouped(notices, on_notice, "progress", n=Count("pk"), problems=Sum("problems_total"),
                           measures=Sum("measures_total"), done=Sum("problems_done"),
                           in_progress=Sum("problems_in_progress"))
    per_side = [{key: sum(r[key] for k, r in by_progress.items() if k[0] == i)
                 for key in ("n", "problems", "measures", "done", "in_progress")} for i in range(n)]
    by_status = {(i, Status.DONE): side["done"] for i, side in enumerate(per_side)}
    by_status.update({(i, Status.IN_PROGRESS): side["in_progress"] for i, side in enumerate(per_side)})
    by_status.update({(i, None): side["problems"] - side["done"] - side["in_progress"]
                      for i, side in enumerate(per_side)})
    side_problems = [side["problems"] for side in per_side]
    side_notices = [side["n"] for side in per_side]
    overview = Section("overview", "概况", [
        Row("通报", [_number(side_notices[i], "份") for i in range(n)], urls=[s.url for s in sides]),
        Row("问题", [_number(side_problems[i], "个") for i in range(n)],
            urls=[problems_url(**{name: v}) for v in values]),
        Row("整改措施", [_number(side["measures"], "条") for side in per_side]),
    ])
    return Comparison(name, DIMENSIONS[name][0], sides, [
        overview, _topics(notices, on_notice, name, values, side_problems), _stated(notices, on_notice, n),
        _statuses(by_status, by_progress, n), _timing(notices, on_notice, n),
    ])


def _topics(notices: QuerySet, side: Case, name: str, values: list[str], totals: list[int]) -> Section:
    rows = stats.topic_sums(notices, side=side)
    order = {t.slug: i for i, t in enumerate(TOPICS)}
    slugs = sorted({topic for _, topic in rows}, key=lambda s: (-sum(rows.get((i, s), 0)
                                                                     for i in range(len(values))), order.get(s, 99)))
    out = []
    for slug in slugs:
        cells = []
        for i in range(len(values)):
            count = rows.get((i, slug), 0)
            cells.append(f"{count}（{100 * count / totals[i]:.0f}%）" if count and totals[i] else "—")
        out.append(Row(TOPIC_LABELS.get(slug, slug), cells, url=problems_url(topic=slug),
                       urls=[problems_url(**{name: v, "topic": slug}) for v in values]))
    return Section("topics", "问题按主题", out, "括号中是该主题问题占这一方全部问题的比例；一个问题可属于几个主题。")


def _stated(notices: QuerySet, side: Case, n: int) -> Section:
    aggregates = {}
    for key, _, _ in STATED:  # the notice's columns derive.Stated fills from its figures
        aggregates[f"{key}_sum"], aggregates[f"{key}_n"] = Sum(f"stated_{key}"), Count(f"stated_{key}")
    rows = _grouped(notices, side, **aggregates, accountable=Sum("stated_accountable"),
                    accountable_n=Count("stated_accountable"))
    out = []
    for key, label, unit in STATED:
        cells = []
        for i in range(n):
            r = rows.get((i,), {})
            total, stating = r.get(f"{key}_sum"), r.get(f"{key}_n", 0)
            amount = " ".join(money(total)) if key == "money_recovered_yuan" and total else _number(total, unit)
            cells.append(f"{amount}（{stating} 份写明）" if stating else "未写明")
        out.append(Row(label, cells))
    out.append(Row("被问责、处理的人员", [
        f"{_number(rows.get((i,), {}).get('accountable'), '人')}（{rows.get((i,), {}).get('accountable_n', 0)} 份写明）"
        if rows.get((i,), {}).get("accountable_n") else "未写明" for i in range(n)]))
    return Section("stated", "通报自述的数字", out,
                   "这些数字是通报自己写明的（如“制定整改措施91条”），与本库整理出的问题、措施数可对照；"
                   "括号中是写明该数字的通报份数。")


def _statuses(by_status: dict, by_progress: dict, n: int) -> Section:
    rows = [Row(f"问题：{label}", [_number(by_status.get((i, status), 0), "个") for i in range(n)])
            for status, label in [*Status.choices, (None, "未注明")]]
    rows += [Row(f"通报：{label}", [_number(by_progress.get((i, p), {}).get("n", 0), "份") for i in range(n)])
             for p, label in Progress.choices]
    return Section("status", "整改状态", rows, "问题的状态取自通报原文（“已完成”“正在推进”等）；未写明的单列。")


def _timing(notices: QuerySet, side: Case, n: int) -> Section:
    per_side = timing.summaries_by(notices, side)
    rows = []
    for k, (key, label, _, _) in enumerate(timing.SPANS):
        cells = []
        for i in range(n):
            span = per_side[i][k] if i in per_side else None
            cells.append(f"{span.median_text}（{span.dated} 份有日期）" if span and span.dated else "日期不全")
        rows.append(Row(f"{label}（中位数）", cells))
    return Section("timing", "从巡察到公布用时", rows,
                   "按通报写明的巡察结束、反馈和发布日期计算；缺少其中任一日期的通报不计入，括号中是计入的份数。")


def csv_rows(comparison: Comparison) -> list[list[str]]:
    """The comparison as a table: a heading row, then (section, row, one cell per side)."""
    rows = [["部分", "项目", *[s.label for s in comparison.sides]]]
    for section in comparison.sections:
        rows += [[section.title, row.label, *row.cells] for row in section.rows]
    return rows
