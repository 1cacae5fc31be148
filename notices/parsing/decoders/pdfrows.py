"""Rows of PDF text -> paragraphs: running headers and page numbers out, wrapped lines joined.

A row ends its paragraph when the geometry or the text says so:
- the next row is indented, or starts with a heading marker (一、 (一) 1. (1) ①) after a
  finished sentence or in a layout without indents (一是 …二是 run on inside paragraphs);
- the row stops clearly short of the right margin (more than MARGIN_SLACK characters);
- in a layout without first-line indents, the row ends a sentence (。！？；：).
Otherwise the text flowed on, within the page or across a page break. Rows in the title's
larger type join each other: a long title wraps like any paragraph.
"""
from __future__ import annotations

import re
import statistics
from collections import Counter
from dataclasses import dataclass, replace

import unicodedata

from ..chars import radical_table

# How far short of the right margin a wrapped row may stop (kinsoku shifts a character or two).
MARGIN_SLACK = 2.5
# Rows starting this many characters right of the left margin are indented (text-indent: 2em).
INDENT_MIN = 0.8
HEADER_ZONE = 0.09  # top and bottom share of the page where running lines live
HEADING_START = re.compile(
    r"^\s*(?:[一二三四五六七八九十百]+[、.．]|[(（][一二三四五六七八九十百\d]+[)）]|\d+[、.．](?!\d)|"
    r"[①-⑳]|第[一二三四五六七八九十\d]+[条章节部分])"
)
SENTENCE_END = re.compile(r"[。！？；：!?;:]\s*$|[。！？][”’」』)）]\s*$")
# 1/6   - 1 -   第 1 页 共 6 页   Page 1 of 6   11/23/26, 9:23 AM   file:///...   https://...
PAGE_FURNITURE = re.compile(
    r"^\s*(?:[-—–]?\s*\d{1,4}\s*[-—–]?|\d{1,4}\s*/\s*\d{1,4}|第\s*\d+\s*页(?:\s*[,，/]?\s*共\s*\d+\s*页)?|"
    r"共\s*\d+\s*页\s*第\s*\d+\s*页|page\s*\d+(?:\s*of\s*\d+)?|"
    r"\d{1,2}/\d{1,2}/\d{2,4},?\s*\d{1,2}:\d{2}(?:\s*[AP]M)?|(?:file|https?)://\S*)\s*$",
    re.I,
)


@dataclass(frozen=True)
class Row:
    text: str
    x0: float
    x1: float
    top: float
    bottom: float
    size: float
    page: int
    page_height: float
    cell: bool = False  # a table cell's paragraph: joins nothing, nothing joins it

    def extended(self, text: str, x0: float, x1: float) -> "Row":
        """This row with another line at the same height added in left-to-right order."""
        parts = [(self.x0, self.text), (x0, text.strip())]
        parts.sort()
        return replace(self, text=" ".join(t for _, t in parts), x0=min(self.x0, x0), x1=max(self.x1, x1))

    @property
    def plain(self) -> str:
        """The text to match markers on: radicals and full width folded (the script does not matter)."""
        return unicodedata.normalize("NFKC", self.text.translate(radical_table()))


def _furniture_key(row: Row) -> str:
    """What a running line keeps from page to page: digits and punctuation aside (OCR
    reads a header's "_" or "," on one page and not on the next)."""
    return re.sub(r"\d+", "#", re.sub(r"[\W_]+", "", row.plain))


def _in_margin_zone(row: Row) -> bool:
    return row.top > row.page_height * (1 - HEADER_ZONE) or row.bottom < row.page_height * HEADER_ZONE


def _is_furniture_piece(text: str) -> bool:
    """A row made only of page numbers, print dates and URLs: "file:///x.html 1/6"."""
    pieces = text.split()
    return bool(pieces) and all(PAGE_FURNITURE.match(piece) for piece in _merge_time_pieces(pieces))


def _merge_time_pieces(pieces: list[str]) -> list[str]:
    """Glue "11/23/26," "9:23" "AM" and "第" "1" "页" back into one piece each."""
    text = " ".join(pieces)
    text = re.sub(r"(\d{1,2}/\d{1,2}/\d{2,4},?)\s+(\d{1,2}:\d{2})(\s+[AP]M)?", lambda m: "".join(
        g.strip() for g in m.groups() if g), text, flags=re.I)
    text = re.sub(r"第\s*(\d+)\s*页\s*[,，/]?\s*共\s*(\d+)\s*页", r"第\1页共\2页", text)
    text = re.sub(r"([-—–])\s*(\d+)\s*([-—–])", r"\1\2\3", text)
    return text.split()


def drop_running_lines(pages) -> list[Row]:
    """All rows in reading order, minus running headers/footers and page numbers.

    A running line sits in the top or bottom margin zone and comes back, digits aside, on
    at least half the pages; page numbers, print dates and URLs there go even on one page.
    A table's cells are never running lines: a table that runs over pages starts each one
    in the zone, and its rows repeat words ("责任单位:办公室").
    """
    keys = Counter()
    for page in pages:
        keys.update({_furniture_key(row) for row in page.rows if _in_margin_zone(row) and not row.cell})
    repeated = {key for key, count in keys.items() if len(pages) > 1 and count >= max(2, len(pages) / 2)}
    kept = []
    for page in pages:
        for row in page.rows:
            if (_in_margin_zone(row) and not row.cell
                    and (_furniture_key(row) in repeated or _is_furniture_piece(row.plain))):
                continue
            kept.append(replace(row, page=page.number))
    return kept


def _layout(rows: list[Row]) -> tuple[float, float, float, bool]:
    """(left margin, right margin, body character size, whether paragraphs are indented)."""
    free = [row for row in rows if not row.cell] or rows
    size = statistics.median(row.size for row in free)
    body = [row for row in free if abs(row.size - size) < size * 0.15] or free
    # The leftmost edge that several rows share: in a notice of short indented paragraphs
    # the indented edge is the commoner one, but the wrapped rows mark the margin.
    edges = Counter(round(row.x0) for row in body)
    common = [x for x, n in edges.items() if n >= max(2, len(body) * 0.05)] or [edges.most_common(1)[0][0]]
    left = min(common)
    right = sorted(row.x1 for row in body)[int(len(body) * 0.9) if len(body) > 1 else 0]
    indented = sum(1 for row in body if INDENT_MIN * size < row.x0 - left < 5 * size)
    return left, right, size, indented >= max(1, len(body) * 0.03)


def join_rows(rows: list[Row]) -> list[str]:
    if not rows:
        return []
    left, right, size, uses_indent = _layout(rows)
    paragraphs: list[list[str]] = [[rows[0].text]]
    for prev, row in zip(rows, rows[1:]):
        if _continues(prev, row, left, right, size, uses_indent):
            paragraphs[-1].append(row.text)
        else:
            paragraphs.append([row.text])
    return [_glue(parts) for parts in paragraphs]


def join_cell_rows(rows: list[Row]) -> list[str]:
    """A table cell's rows: one paragraph unless a row stops short after a finished sentence."""
    if not rows:
        return []
    right = max(row.x1 for row in rows)
    paragraphs: list[list[str]] = [[rows[0].text]]
    for prev, row in zip(rows, rows[1:]):
        ended = prev.x1 < right - MARGIN_SLACK * prev.size and SENTENCE_END.search(prev.plain)
        if ended:
            paragraphs.append([row.text])
        else:
            paragraphs[-1].append(row.text)
    return [_glue(parts) for parts in paragraphs]


def _continues(prev: Row, row: Row, left: float, right: float, size: float, uses_indent: bool) -> bool:
    if prev.cell or row.cell:
        return False
    larger = size * 1.15
    if prev.size > larger and row.size > larger and abs(prev.size - row.size) < 0.5:
        return not SENTENCE_END.search(prev.plain)  # a title wrapped in its large type
    if abs(prev.size - row.size) > size * 0.15:
        return False
    # Inline enumerations ("……；(2)……") wrap onto a row's start as well; with indents
    # the geometry knows better, without them a marker after a finished sentence decides.
    if HEADING_START.match(row.plain) and (not uses_indent or SENTENCE_END.search(prev.plain)):
        return False
    if row.x0 - left > INDENT_MIN * size:
        return False
    if prev.x1 < right - MARGIN_SLACK * size and not _pushed_down(prev, row, right, size):
        return False
    if not uses_indent and SENTENCE_END.search(prev.plain):
        return False
    return True


LATIN_WORD = re.compile(r"^[\x21-\x7e]+")


def _pushed_down(prev: Row, row: Row, right: float, size: float) -> bool:
    """A Latin word too wide for the rest of the row moves whole to the next row
    ("电子邮箱" / "ptlcmz@126.com。"): the row stopped short without ending."""
    word = LATIN_WORD.match(row.plain)
    if not word or SENTENCE_END.search(prev.plain):
        return False
    return len(word.group()) * size * 0.5 > right - prev.x1 - size


def _glue(parts: list[str]) -> str:
    """Join wrapped rows without a space: CJK text has none, and a number or an e-mail
    address broken over two rows must come back whole."""
    return "".join(part.strip() for part in parts)
