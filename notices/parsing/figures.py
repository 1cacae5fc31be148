"""The figures a notice states about itself: problems, measures, rules made, people held to account, money."""
from __future__ import annotations

from .patterns import figures as P
from .types import Figures

_UNITS = {"元": 1, "万元": 10_000, "亿元": 100_000_000}


def _first_count(patterns, text: str) -> int | None:
    """The earliest count any of the patterns finds: the overview states totals before details."""
    best: tuple[int, int] | None = None
    for pattern in patterns:
        match = pattern.search(text)
        if match and (best is None or match.start() < best[0]):
            best = (match.start(), int(match.group(1)))
    return best[1] if best else None


def _accountability(overview: str, text: str) -> dict[str, int]:
    """People per kind: the first summary count (overview first), else the sum of single cases."""
    summary: dict[str, int] = {}
    for source in (overview, text):
        for match in P.ACCOUNTABILITY_SUMMARY.finditer(source):
            summary.setdefault(P.ACCOUNTABILITY_KINDS[match.group(1)], int(match.group(2)))
    cases: dict[str, int] = {}
    for match in P.ACCOUNTABILITY_CASE.finditer(text):
        kind = P.ACCOUNTABILITY_KINDS[match.group(2)]
        cases[kind] = cases.get(kind, 0) + int(match.group(1))
    return {**cases, **summary}


def _money(text: str) -> float | None:
    """Yuan recovered: a stated total if there is one, else the sum of the amounts named."""
    totals, amounts = [], []
    for match in P.MONEY_RECOVERED.finditer(text):
        value = float(match.group(1).replace(",", "")) * _UNITS[match.group(2)]
        is_total = P.MONEY_TOTAL.search(text, max(0, match.start() - 6), match.start())
        (totals if is_total else amounts).append(value)
    if totals:
        return round(max(totals), 2)
    return round(sum(amounts), 2) if amounts else None


def read_figures(overview: str, folded_text: str) -> Figures:
    """Totals from the overview (opening, organisation, handling sections), whose counts are the
    notice's own; a count inside one problem's steps ("查找出的19个问题已全部整改完毕") is not."""
    totals = _money(overview)
    return Figures(
        problems_reported=_first_count(P.PROBLEMS_REPORTED, overview),
        problems_done=_first_count(P.PROBLEMS_DONE, overview),
        problems_in_progress=_first_count(P.PROBLEMS_IN_PROGRESS, overview),
        measures_planned=_first_count(P.MEASURES_PLANNED, overview),
        measures_done=_first_count(P.MEASURES_DONE, overview),
        regulations_made=_first_count(P.REGULATIONS_MADE, overview),
        accountability=_accountability(overview, folded_text),
        money_recovered_yuan=totals if totals is not None else _money(folded_text),
    )
