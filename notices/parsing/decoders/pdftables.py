"""Ruled tables in a PDF: read cell by cell, row band by row band, not across the page.

pdfminer builds text lines across a table row, so a two-column table of problems and
measures reads as the two cells' first lines, then their second lines, interleaved. The
table's rules (thin rectangles or lines, as Word and Chromium draw borders) say which
cell each character sits in; each cell becomes its own paragraph rows.
"""
from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass

RULE_THICKNESS = 2.0  # points: a border, not a shaded box
RULE_MIN_LENGTH = 5.0


@dataclass(frozen=True)
class Rules:
    vertical: tuple[tuple[float, float, float], ...]  # (x, y_bottom, y_top)
    horizontal: tuple[tuple[float, float, float], ...]  # (y, x_left, x_right)

    def __bool__(self) -> bool:
        return len(self.vertical) >= 2 and len(self.horizontal) >= 2

    def cell_of(self, x: float, y: float) -> tuple[float, float] | None:
        """(top rule y, left rule x) of the cell holding the point, None outside every cell."""
        lefts = [vx for vx, y0, y1 in self.vertical if vx <= x and y0 <= y <= y1]
        rights = [vx for vx, y0, y1 in self.vertical if vx > x and y0 <= y <= y1]
        tops = [hy for hy, x0, x1 in self.horizontal if hy >= y and x0 <= x <= x1]
        bottoms = [hy for hy, x0, x1 in self.horizontal if hy < y and x0 <= x <= x1]
        if not (lefts and rights and tops and bottoms):
            return None
        return round(min(tops), 1), round(max(lefts), 1)


def page_rules(layout) -> Rules:
    from pdfminer.layout import LTLine, LTRect

    vertical, horizontal = [], []
    for item in layout:
        if not isinstance(item, (LTRect, LTLine)):
            continue
        width, height = item.x1 - item.x0, item.y1 - item.y0
        if width <= RULE_THICKNESS and height >= RULE_MIN_LENGTH:
            vertical.append(((item.x0 + item.x1) / 2, item.y0, item.y1))
        elif height <= RULE_THICKNESS and width >= RULE_MIN_LENGTH:
            horizontal.append(((item.y0 + item.y1) / 2, item.x0, item.x1))
        elif isinstance(item, LTRect) and width > RULE_MIN_LENGTH and height > RULE_MIN_LENGTH and not item.fill:
            # A stroked rectangle around a cell: its four sides are rules.
            vertical += [(item.x0, item.y0, item.y1), (item.x1, item.y0, item.y1)]
            horizontal += [(item.y0, item.x0, item.x1), (item.y1, item.x0, item.x1)]
    return Rules(tuple(vertical), tuple(horizontal))


def split_by_cells(chars, rules: Rules):
    """(characters outside any cell, {cell: its characters}) for one text line's characters."""
    free, cells = [], defaultdict(list)
    for ch in chars:
        cell = rules.cell_of((ch.x0 + ch.x1) / 2, (ch.y0 + ch.y1) / 2) if rules else None
        if cell is None:
            free.append(ch)
        else:
            cells[cell].append(ch)
    return free, cells


def cell_lines(chars) -> list[list]:
    """A cell's characters as lines, top to bottom, each left to right."""
    lines: list[list] = []
    for ch in sorted(chars, key=lambda c: (-round(c.y1), c.x0)):
        if lines and abs(lines[-1][0].y1 - ch.y1) < ch.size * 0.5:
            lines[-1].append(ch)
        else:
            lines.append([ch])
    return [sorted(line, key=lambda c: c.x0) for line in lines]
