"""An OcrPage -> the rows of pdfrows.py, so a scan is joined into paragraphs, and loses its
running headers and page numbers, by the very rules that read a text PDF.

1. Tilt: the median slope of the long lines' boxes; every box is turned back by it.
2. Rows: lines whose middles lie at the same height are one row, left to right; rows go
   top to bottom (the engine's own order puts a line from lower down among others).
3. Units: pixels become points (72 per inch) with y upwards, as pdfminer gives them, and a
   row's size is its box height, snapped to the body's where it is within SAME_SIZE of it
   (box heights wobble a few pixels; a title's larger type stays larger).
"""
from __future__ import annotations

import math
import statistics

from ..decoders.pdfrows import Row
from . import OcrPage

# A line this many times wider than high has a slope worth measuring.
LONG_LINE = 8
SAME_SIZE = 0.22


def page_tilt(page: OcrPage) -> float:
    """The page's tilt in radians, as the long lines' top edges slope (image y grows downwards)."""
    slopes = []
    for line in page.lines:
        (x0, y0), (x1, y1) = line.box[0], line.box[1]
        height = math.dist(line.box[0], line.box[3])
        if x1 - x0 > LONG_LINE * max(height, 1):
            slopes.append(math.atan2(y1 - y0, x1 - x0))
    return statistics.median(slopes) if slopes else 0.0


def ocr_rows(page: OcrPage, page_height_points: float | None = None) -> list[Row]:
    """The page's rows top to bottom, in points with y upwards (see the module docstring)."""
    if not page.lines:
        return []
    tilt = page_tilt(page)
    cos, sin = math.cos(-tilt), math.sin(-tilt)
    cx, cy = page.width / 2, page.height / 2
    scale = 72.0 / page.dpi
    height = page_height_points or page.height * scale
    boxes = []
    for line in page.lines:
        points = [(cx + (x - cx) * cos - (y - cy) * sin, cy + (x - cx) * sin + (y - cy) * cos) for x, y in line.box]
        xs, ys = [p[0] for p in points], [p[1] for p in points]
        boxes.append((min(ys), max(ys), min(xs), max(xs), line.text))
    boxes.sort()
    body = statistics.median(bottom - top for top, bottom, *_ in boxes)
    grouped: list[list] = []
    for box in boxes:
        middle = (box[0] + box[1]) / 2
        last = grouped[-1] if grouped else None
        if last and abs(middle - (last[0][0] + last[0][1]) / 2) < body * 0.5:
            last.append(box)
        else:
            grouped.append([box])
    rows = []
    for group in grouped:
        group.sort(key=lambda box: box[2])
        top, bottom = min(b[0] for b in group), max(b[1] for b in group)
        size = max(b[1] - b[0] for b in group)
        if abs(size - body) < body * SAME_SIZE:
            size = body
        rows.append(Row(text=" ".join(b[4] for b in group), x0=group[0][2] * scale, x1=group[-1][3] * scale,
                        top=height - top * scale, bottom=height - bottom * scale, size=size * scale,
                        page=0, page_height=height))
    return rows
