"""PDF with a text layer: the rows of each page, running headers and page numbers dropped,
wrapped lines re-joined into paragraphs (pdfrows.py), radicals folded.

pdfminer.six lays out each page (characters -> lines with coordinates); the geometry says
where a paragraph ends better than the text does. Limits keep hostile files from hanging
the parser: MAX_PAGES, and a time budget checked between pages.
"""
from __future__ import annotations

import io
import logging
import re
import statistics
import time
from collections import defaultdict

from ..chars import fold_radicals, radical_table
from ..types import DecodedDocument, ParseError
from . import pagetext
from .pdfrows import Row, drop_running_lines, join_cell_rows, join_rows
from .pdftables import cell_lines, page_rules, split_by_cells
from .tables import read_ledger

MAX_PAGES = 300
TIME_BUDGET_SECONDS = 60.0
# Fewer characters than this on every page together: there is no usable text layer.
MIN_TEXT_CHARS = 20
# A page with fewer characters than this over a picture is a scan.
MIN_PAGE_CHARS = 10
CID = re.compile(r"\(cid:\d+\)")
UNREADABLE_CHARS = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f\ue000-\uf8ff\ufffd\U000f0000-\U0010ffff]")
CJK = re.compile(r"[\u3400-\u9fff]")
SYMBOLS = re.compile(r"[^\w\s，。、；：？！“”‘’（）《》〔〕【】,.;:?!()\-]")

# pdfminer logs a warning per glyph for fonts it half understands (Chromium's Type 3 fonts).
logging.getLogger("pdfminer").setLevel(logging.ERROR)


def decode_pdf(data: bytes, name: str) -> DecodedDocument:
    pages, unreadable = _read_pages(data, name)
    note = None
    if unreadable:
        note = _ocr_pages(data, name, pages, unreadable)
    if sum(len(row.text.strip()) for page in pages for row in page.rows) < MIN_TEXT_CHARS:
        raise ParseError(
            f"{name} 没有可读的文字：它没有文字层，文字识别(OCR)也没有在页面图像中读出文字；"
            "请确认文件是通报本身且扫描清晰，或改用网页、.docx 或带文字层的 PDF。"
        )
    rows = drop_running_lines(pages)
    paragraphs = join_rows(rows)
    meta, paragraphs = _lift_byline(paragraphs)
    text = fold_radicals("\n".join(paragraphs))
    warnings = (ocr_warning(note),) if note else ()
    return DecodedDocument(text=text + "\n", format="pdf", encoding=None, page_metadata=meta,
                           warnings=warnings, ocr=note)


def ocr_warning(note) -> str:
    pages = "、".join(map(str, note.pages))
    return (f"第 {pages} 页没有可读的文字层，正文由文字识别（OCR）从页面图像读出，其中 {len(note.doubtful)} 行识别把握较低；"
            "请对照原始文件核对。")


def _ocr_pages(data: bytes, name: str, pages: list[Page], numbers: list[int]):
    """Read the listed pages by OCR from their images, in place of their text layer."""
    import hashlib

    import pypdfium2

    from .. import ocr
    from ..ocr.layout import ocr_rows

    budget = ocr.PageBudget(name, len(numbers))
    digest = hashlib.sha256(data).hexdigest()
    dpi = ocr.settings().dpi
    document = pypdfium2.PdfDocument(data)
    read = []
    try:
        for number in numbers:
            budget.check()
            image = document[number].render(scale=dpi / 72, grayscale=True).to_pil().convert("RGB")
            page = ocr.read_page(image, digest, f"{number}@{dpi}", dpi)
            budget.page_done()
            read.append((number, page))
            pages[number].rows = ocr_rows(page, pages[number].height)
    finally:
        document.close()
    return ocr.note_of(read)


class Page:
    def __init__(self, number: int, width: float, height: float, rows: list[Row]):
        self.number, self.width, self.height, self.rows = number, width, height, rows


def _read_pages(data: bytes, name: str) -> list[Page]:
    from pdfminer.converter import PDFPageAggregator
    from pdfminer.layout import LAParams
    from pdfminer.pdfdocument import PDFDocument, PDFEncryptionError, PDFPasswordIncorrect
    from pdfminer.pdfinterp import PDFPageInterpreter, PDFResourceManager
    from pdfminer.pdfpage import PDFPage
    from pdfminer.pdfparser import PDFParser

    damaged = f"{name} 是损坏或不完整的 PDF。请重新下载或导出后再试。"
    try:
        document = PDFDocument(PDFParser(io.BytesIO(data)), password="")
    except (PDFPasswordIncorrect, PDFEncryptionError) as exc:
        raise ParseError(f"{name} 是加了密码的 PDF。请用密码打开，另存一份不加密的副本（或打印为 PDF）后再试。") from exc
    except Exception as exc:  # pdfminer raises PSEOF, PDFSyntaxError, KeyError ... on junk
        raise ParseError(damaged) from exc
    resources = PDFResourceManager(caching=True)
    device = PDFPageAggregator(resources, laparams=LAParams(char_margin=4.0, line_margin=0.4))
    interpreter = PDFPageInterpreter(resources, device)
    started = time.monotonic()
    pages: list[Page] = []
    unreadable: list[int] = []
    ledger = Ledger()
    try:
        for number, page in enumerate(PDFPage.create_pages(document)):
            if number >= MAX_PAGES:
                raise ParseError(f"{name} 超过 {MAX_PAGES} 页，远多于一份通报。请只提供通报所在的页面后再试。")
            if time.monotonic() - started > TIME_BUDGET_SECONDS:
                raise ParseError(f"{name} 读取时间过长（超过 {TIME_BUDGET_SECONDS:.0f} 秒），可能已损坏。"
                                 "请重新导出，或改用 .docx 或文本。")
            interpreter.process_page(page)
            layout = device.get_result()
            pages.append(Page(number, layout.width, layout.height, _rows(layout, ledger)))
            if needs_ocr(pages[-1].rows, layout):
                unreadable.append(number)
    except ParseError:
        raise
    except Exception as exc:
        raise ParseError(damaged) from exc
    if not pages:
        raise ParseError(damaged)
    return pages, unreadable


def needs_ocr(rows: list[Row], layout) -> bool:
    """Whether a page's text layer is missing or unreadable, so that OCR must read its image:
    almost no text over a picture (a scan), or a fifth or more of its characters without a
    character (pdfminer's "(cid:N)" for a glyph its font cannot map back), private-use,
    control or replacement characters, or a page of symbols without one Chinese character
    (a font whose codes are not Unicode)."""
    text = "".join("".join(row.text.split()) for row in rows)
    glyphs = len(CID.findall(text))
    rest = CID.sub("", text)
    if len(rest) + glyphs < MIN_PAGE_CHARS:
        return _has_picture(layout)
    bad = glyphs + len(UNREADABLE_CHARS.findall(rest))
    if bad >= (len(rest) + glyphs) * 0.2:
        return True
    return len(rest) >= 30 and not CJK.search(rest) and len(SYMBOLS.findall(rest)) > len(rest) * 0.3


def _has_picture(layout) -> bool:
    from pdfminer.layout import LTFigure, LTImage

    return any(isinstance(item, (LTFigure, LTImage)) for item in layout)


def _rows(layout, ledger: Ledger) -> list[Row]:
    """Text lines of a page, top to bottom: lines at the same height merged into one row,
    the cells of ruled tables each read as rows of their own."""
    from pdfminer.layout import LTChar, LTTextContainer, LTTextLineHorizontal

    rules = page_rules(layout)
    pieces = []  # (text, x0, x1, top, bottom, size)
    cells: dict[tuple[float, float], list] = defaultdict(list)
    for box in layout:
        if not isinstance(box, LTTextContainer):
            continue
        for line in box:
            if not isinstance(line, LTTextLineHorizontal) or not line.get_text().strip():
                continue
            chars = [ch for ch in line if isinstance(ch, LTChar)]
            free, in_cells = split_by_cells(chars, rules)
            for cell, cell_chars in in_cells.items():
                cells[cell] += cell_chars
            if in_cells:
                piece = _piece(free) if free else None
            else:
                piece = _piece(chars, line.get_text().strip("\n"), line)
            if piece:
                pieces.append(piece)
    pieces.sort(key=lambda p: (-p[3], p[1]))
    rows: list[Row] = []
    for text, x0, x1, top, bottom, size in pieces:
        last = rows[-1] if rows else None
        if last and abs(last.bottom - bottom) < size * 0.5 and abs(last.top - top) < size * 0.5:
            rows[-1] = last.extended(text, x0, x1)
        else:
            rows.append(Row(text=text.strip(), x0=x0, x1=x1, top=top, bottom=bottom, size=size, page=0,
                            page_height=layout.height))
    return _with_cells(rows, cells, layout.height, ledger)


def _piece(chars, text: str | None = None, line=None):
    """(text, ink start, x1, top, bottom, median size) of a run of characters, None if blank."""
    inked = [ch for ch in chars if ch.get_text().strip()]
    if not inked:
        return None
    size = statistics.median(ch.size for ch in inked)
    if text is None:
        text = "".join(ch.get_text() for ch in sorted(chars, key=lambda c: c.x0))
    # Where the ink starts: paragraphs indented with leading (nb)spaces show here.
    x1 = line.x1 if line is not None else max(ch.x1 for ch in inked)
    top = line.y1 if line is not None else max(ch.y1 for ch in inked)
    bottom = line.y0 if line is not None else min(ch.y0 for ch in inked)
    return text, inked[0].x0, x1, top, bottom, size


def _with_cells(rows: list[Row], cells, page_height: float, ledger: Ledger) -> list[Row]:
    """Insert each cell's paragraphs where its row band starts, left column first; a table
    of problems (tables.py) as its ledger lines instead, each where its row band starts."""
    if not cells:
        return rows
    keyed = [((-row.top, row.x0, 0), row) for row in rows]
    paragraphs: dict[tuple[float, float], tuple[list[str], Row]] = {}
    for (top, left), chars in cells.items():
        cell_rows = [Row(text=text, x0=x0, x1=x1, top=t, bottom=b, size=size, page=0, page_height=page_height)
                     for text, x0, x1, t, b, size in filter(None, map(_piece, cell_lines(chars)))]
        if cell_rows:
            paragraphs[(top, left)] = (join_cell_rows(cell_rows), cell_rows[0])
    placed = ledger.read(paragraphs)
    if placed is None:  # cell by cell
        placed = [((top, left), text) for (top, left), (texts, _) in paragraphs.items() for text in texts]
    for i, ((top, left), text) in enumerate(placed):
        first = paragraphs[(top, left)][1]
        keyed.append(((-top, left, i + 1), Row(text=text, x0=left, x1=first.x1, top=top, bottom=first.bottom,
                                               size=first.size, page=0, page_height=page_height, cell=True)))
    keyed.sort(key=lambda item: item[0])
    return [row for _, row in keyed]


class Ledger:
    """The ruled tables of a PDF's pages read as ledgers (tables.py): a ledger that runs onto
    the next page goes on there under the header its first page printed."""

    def __init__(self) -> None:
        self.header: list[list[str]] | None = None

    def read(self, paragraphs: dict[tuple[float, float], tuple[list[str], Row]]):
        """[((top, left) of the cell its row band starts with, line)] of a ledger, or None."""
        tops = sorted({top for top, _ in paragraphs}, reverse=True)
        lefts = sorted({left for _, left in paragraphs})
        grid = [[paragraphs[(top, left)][0] if (top, left) in paragraphs else [] for left in lefts] for top in tops]
        read = read_ledger(grid)
        if read is None and self.header is not None and len(self.header) == len(lefts):
            read = read_ledger(grid, self.header)
        self.header = read[1] if read is not None else None
        if read is None:
            return None
        first_cell = {top: min(left for t, left in paragraphs if t == top) for top in tops}
        return [((tops[index], first_cell[tops[index]]), line) for index, line in read[0]]


def _lift_byline(paragraphs: list[str]) -> tuple[dict[str, str], list[str]]:
    """A page printed to PDF keeps its byline under the title: read it, drop it."""
    meta: dict[str, str] = {}
    kept = []
    for i, line in enumerate(paragraphs):
        fields = pagetext.read_fields(line.translate(radical_table()))
        if i < 6 and fields and (len(fields) > 1 or fields[0][0] not in pagetext.WEAK_LABELS):
            pagetext.collect(fields, meta)
            continue
        kept.append(line)
    return meta, kept
