"""Word files: automatic numbering rendered into the text, content controls opened, merged cells read once."""
from __future__ import annotations

import io

from docx import Document
from docx.oxml import parse_xml
from docx.oxml.ns import nsdecls, qn

from notices.parsing.decode import decode
from notices.parsing.decoders.docxnumbering import chinese_number, format_number

NUMBERING = (
    f'<w:abstractNum {nsdecls("w")} w:abstractNumId="90">'
    '<w:lvl w:ilvl="0"><w:start w:val="1"/><w:numFmt w:val="chineseCounting"/><w:lvlText w:val="%1、"/></w:lvl>'
    '<w:lvl w:ilvl="1"><w:start w:val="1"/><w:numFmt w:val="chineseCounting"/><w:lvlText w:val="（%2）"/></w:lvl>'
    '<w:lvl w:ilvl="2"><w:start w:val="1"/><w:numFmt w:val="decimal"/><w:lvlText w:val="%3."/></w:lvl>'
    "</w:abstractNum>"
)


def numbered(paragraph, level: int) -> None:
    ppr = paragraph._p.get_or_add_pPr()
    ppr.append(parse_xml(f'<w:numPr {nsdecls("w")}><w:ilvl w:val="{level}"/><w:numId w:val="90"/></w:numPr>'))


def docx_bytes(build) -> bytes:
    document = Document()
    numbering = document.part.numbering_part.element
    numbering.insert(0, parse_xml(NUMBERING))
    numbering.append(parse_xml(f'<w:num {nsdecls("w")} w:numId="90"><w:abstractNumId w:val="90"/></w:num>'))
    build(document)
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()


def test_headings_numbered_by_word_get_their_markers_in_the_text():
    def build(document):
        for level, text in [(0, "整改工作基本情况"), (1, "提高政治站位"), (1, "压实整改责任"), (0, "反馈问题整改情况"),
                            (1, "关于理论学习不深入的问题"), (2, "制定学习计划。"), (2, "开展专题研讨。")]:
            numbered(document.add_paragraph(text), level)

    lines = decode(docx_bytes(build), "通报.docx").text.splitlines()
    assert lines == ["一、整改工作基本情况", "（一）提高政治站位", "（二）压实整改责任", "二、反馈问题整改情况",
                     "（一）关于理论学习不深入的问题", "1.制定学习计划。", "2.开展专题研讨。"]


def test_text_inside_a_content_control_is_read():
    def build(document):
        document.add_paragraph("根据区委统一部署，现将巡察整改进展情况予以公布。")
        sdt = parse_xml(f'<w:sdt {nsdecls("w")}><w:sdtContent><w:p><w:r><w:t>一、整改工作基本情况</w:t></w:r></w:p>'
                        "</w:sdtContent></w:sdt>")
        document.element.body.insert(1, sdt)

    lines = decode(docx_bytes(build), "通报.docx").text.splitlines()
    assert lines == ["根据区委统一部署，现将巡察整改进展情况予以公布。", "一、整改工作基本情况"]


def test_a_merged_table_cell_is_read_once():
    def build(document):
        table = document.add_table(rows=2, cols=2)
        merged = table.cell(0, 0).merge(table.cell(1, 0))
        merged.text = "1.档案管理不规范。"
        table.cell(0, 1).text = "整改情况：一是完善档案制度。"
        table.cell(1, 1).text = "二是开展档案整理。"

    lines = decode(docx_bytes(build), "通报.docx").text.splitlines()
    assert lines == ["1.档案管理不规范。", "整改情况：一是完善档案制度。", "二是开展档案整理。"]


def test_numbers_are_written_the_way_word_writes_them():
    assert [chinese_number(n) for n in (1, 10, 11, 20, 23)] == ["一", "十", "十一", "二十", "二十三"]
    assert format_number(3, "decimalEnclosedCircle") == "③"
    assert format_number(4, "upperRoman") == "IV"
    assert format_number(2, "bullet") == ""
