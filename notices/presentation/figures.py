"""The numbers a notice states about itself (反馈问题25个, 制定整改措施91条 ...), worded for reading."""
from __future__ import annotations

from dataclasses import dataclass
from typing import Any

# figures key -> (what it counts, unit)
COUNTS = (
    ("problems_reported", "反馈问题", "个"),
    ("problems_done", "已完成整改的问题", "个"),
    ("problems_in_progress", "正在推进的问题", "个"),
    ("measures_planned", "制定整改措施", "条"),
    ("measures_done", "已完成的整改措施", "条"),
    ("regulations_made", "建立完善制度", "项"),
)


@dataclass(frozen=True)
class Figure:
    label: str
    value: str
    unit: str


def money(yuan: float) -> tuple[str, str]:
    """An amount in yuan as printed in Chinese reports: 2.51 万元 rather than 25131.0 元."""
    if yuan >= 100_000_000:
        return f"{yuan / 100_000_000:.2f}".rstrip("0").rstrip("."), "亿元"
    if yuan >= 10_000:
        return f"{yuan / 10_000:.2f}".rstrip("0").rstrip("."), "万元"
    return f"{yuan:,.2f}".rstrip("0").rstrip("."), "元"


def stated_figures(figures: dict[str, Any] | None) -> list[Figure]:
    figures = figures or {}
    out = [Figure(label, str(figures[key]), unit) for key, label, unit in COUNTS if figures.get(key) is not None]
    if figures.get("money_recovered_yuan"):
        value, unit = money(float(figures["money_recovered_yuan"]))
        out.append(Figure("追缴或挽回资金", value, unit))
    return out


def accountability(figures: dict[str, Any] | None) -> list[Figure]:
    """Who was held to account, by kind of sanction as the notice prints it, most people first."""
    kinds = (figures or {}).get("accountability") or {}
    rows = sorted(((str(k), int(v)) for k, v in kinds.items() if isinstance(v, (int, float))), key=lambda kv: -kv[1])
    return [Figure(kind, str(count), "人") for kind, count in rows]
