"""Word .docx: paragraphs and tables in document order, after a zip-bomb check."""
from __future__ import annotations

import io
import zipfile

from docx.oxml.ns import qn

from ..types import DecodedDocument, ParseError, TextTooLong
from .tables import ledger_lines

# A notice's document.xml is a few MB at most; these bound what python-docx may inflate.
MAX_UNCOMPRESSED = 100 * 1024 * 1024
MAX_ENTRY_RATIO = 200  # XML compresses 5-20x; a bomb compresses 1000x
MAX_ENTRIES = 2000


def check_zip(data: bytes, name: str) -> None:
    """Refuse damaged archives and zip bombs before anything is extracted."""
    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
    except (zipfile.BadZipFile, ValueError) as exc:
        raise ParseError(f"{name} 是损坏或不完整的 Word 文件。请重新下载或保存后再试。") from exc
    infos = archive.infolist()
    if len(infos) > MAX_ENTRIES:
        raise ParseError(f"{name} 含有 {len(infos)} 个部件，远多于 Word 文档应有的数量，无法作为通报读取。"
                         "请在 Word 中重新另存为 .docx 后再试。")
    total = 0
    for info in infos:
        total += info.file_size
        ratio = info.file_size / max(info.compress_size, 1)
        if total > MAX_UNCOMPRESSED or (info.file_size > 1024 * 1024 and ratio > MAX_ENTRY_RATIO):
            raise ParseError(f"{name} 解压后的数据远超 Word 文档应有的大小（疑似压缩炸弹），没有打开。"
                             "请在 Word 中重新另存为 .docx 后再试。")
    if "word/document.xml" not in archive.namelist():
        raise ParseError(f"{name} 是 zip 文件，但不是 Word 文档。请把通报另存为 .docx 后再试。")
    bad = archive.testzip()
    if bad is not None:
        raise ParseError(f"{name} 已损坏（其中的 {bad} 无法读取）。请重新下载或保存后再试。")


def decode_docx(data: bytes, name: str, max_chars: int) -> DecodedDocument:
    check_zip(data, name)
    check_text_length(data, name, max_chars)
    from docx import Document

    try:
        document = Document(io.BytesIO(data))
        lines = list(_body_lines(document))
    except ParseError:
        raise
    except Exception as exc:  # python-docx raises many kinds on malformed XML
        raise ParseError(f"{name} 是损坏的 Word 文档（{type(exc).__name__}）。请用 Word 打开，"
                         "重新另存为 .docx 后再试。") from exc
    if not any(line.strip() for line in lines):
        raise ParseError(f"{name} 是没有文字的 Word 文档。如果其中的通报是扫描图片，需要先做文字识别（OCR），"
                         "本库不做识别；请提供带文字的版本。")
    return DecodedDocument(text="\n".join(lines) + "\n", format="docx", encoding=None)


def check_text_length(data: bytes, name: str, max_chars: int) -> None:
    """Refuse a document whose text runs past `max_chars`, reading its XML as a stream and
    stopping at the cap: python-docx builds the whole tree first, a gigabyte for a 12 MB file
    holding 32 million characters, before a single line could be counted."""
    from lxml import etree

    text_tag, paragraph_tag = qn("w:t"), qn("w:p")
    count = 0
    with zipfile.ZipFile(io.BytesIO(data)) as archive, archive.open("word/document.xml") as xml:
        try:
            for _, element in etree.iterparse(xml, events=("end",), resolve_entities=False, no_network=True,
                                              huge_tree=False):
                if element.tag == text_tag and element.text:
                    count += len(element.text)
                    if count > max_chars:
                        raise TextTooLong(name, max_chars)
                if element.tag == paragraph_tag:  # counted: drop it and what came before it
                    element.clear(keep_tail=True)
                    while element.getprevious() is not None:
                        del element.getparent()[0]
        except etree.XMLSyntaxError:
            return  # damaged: python-docx says so, in its own words, below


def _body_lines(document):
    """Each paragraph on its line, with the label Word's numbering gives it; a table row by
    row, each cell's paragraphs on their lines; content controls (w:sdt) opened."""
    from .docxnumbering import Numbering

    numbering = Numbering(document)
    yield from _blocks(document.element.body, document, numbering)


def _blocks(container, parent, numbering):
    from docx.table import Table
    from docx.text.paragraph import Paragraph

    for child in container.iterchildren():
        if child.tag == qn("w:p"):
            paragraph = Paragraph(child, parent)
            text = paragraph.text.strip()
            label = numbering.label(paragraph)
            if text or label:
                yield (label + text).strip()
        elif child.tag == qn("w:tbl"):
            yield from _table_lines(Table(child, parent), numbering)
        elif child.tag == qn("w:sdt"):
            content = child.find(qn("w:sdtContent"))
            if content is not None:
                yield from _blocks(content, parent, numbering)


def _table_lines(table, numbering):
    """A problem table as a ledger (tables.py); any other table cell by cell, row by row."""
    seen = set()
    grid = []
    for row in table.rows:
        cells = []
        for cell in row.cells:
            # A merged cell appears once per grid column and row it spans: read it once.
            # Keep the elements themselves: ids of lxml proxies are recycled once freed.
            if cell._tc in seen:
                cells.append([])
                continue
            seen.add(cell._tc)
            cells.append(list(_blocks(cell._tc, cell, numbering)))
        grid.append(cells)
    ledger = ledger_lines(grid)
    yield from ledger if ledger is not None else (line for row in grid for cell in row for line in cell)
