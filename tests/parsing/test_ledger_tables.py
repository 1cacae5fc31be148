"""Rectification ledgers printed as tables (序号 | 问题 | 整改措施 | 责任单位 | 整改进展), in web pages and Word files."""
from __future__ import annotations

import io

from docx import Document

from notices.parsing import parse_notice
from notices.parsing.decode import decode
from notices.parsing.decoders.tables import ledger_lines

from ..conftest import ROOT

LEDGERS = ROOT / "tests" / "data" / "ledgers"

OPENING = "根据县委统一部署，2023年9月4日至10月27日，县委第三巡察组对县民政局党组开展了巡察。现将整改进展情况予以公布。"
CLOSING = ["欢迎广大干部群众对巡察整改落实情况进行监督。", "中共某某县民政局党组", "2024年5月10日"]
TITLE = "中共某某县民政局党组关于县委巡察整改进展情况的通报"
# The ledger: a problem over two rows (merged), one measure a row.
ROWS = [
    ["序号", "存在问题", "整改措施", "责任单位", "整改进展"],
    ["1", "低保动态管理不到位", "开展低保专项清理。", "社会救助股", "已完成"],
    ["", "", "建立低保动态管理台账。", "", ""],
    ["2", "殡葬改革推进缓慢", "制定殡葬改革实施方案。", "社会事务股", "持续推进"],
]
EXPECTED = [
    ("1", "低保动态管理不到位", "done", ["开展低保专项清理。", "建立低保动态管理台账。"]),
    ("2", "殡葬改革推进缓慢", "in_progress", ["制定殡葬改革实施方案。"]),
]


def problems(parsed):
    return [(i.label, i.title, i.status, [m.text for m in i.measures]) for i in parsed.issues]


def ledger_page(table: str) -> bytes:
    paragraphs = "".join(f"<p>{p}</p>" for p in CLOSING)
    return (f'<html><head><meta charset="utf-8"><title>{TITLE}</title></head><body>'
            f'<div class="nav">首页 &gt; 政务公开</div><h1>{TITLE}</h1><div class="content">'
            f"<p>{OPENING}</p><p>一、巡察反馈问题整改落实情况</p>{table}{paragraphs}</div></body></html>").encode()


def test_a_ledger_in_a_web_page_gives_one_problem_a_row_with_its_measures_and_status():
    cells = lambda row: "".join(f"<td>{c}</td>" for c in row)  # noqa: E731
    table = (f"<table><thead><tr>{''.join(f'<th>{c}</th>' for c in ROWS[0])}</tr></thead><tbody>"
             f'<tr><td rowspan="2">1</td><td rowspan="2">低保动态管理不到位</td><td>开展低保专项清理。</td>'
             f'<td rowspan="2">社会救助股</td><td rowspan="2">已完成</td></tr>'
             f"<tr><td>建立低保动态管理台账。</td></tr><tr>{cells(ROWS[3])}</tr></tbody></table>")
    parsed = parse_notice(ledger_page(table), "ledger.html")
    assert problems(parsed) == EXPECTED
    assert "责任单位:社会救助股" in parsed.text  # the other columns stay in the text, named


def test_a_ledger_in_a_word_table_with_a_merged_problem_cell_reads_the_same():
    document = Document()
    document.add_paragraph(TITLE)
    document.add_paragraph(OPENING)
    document.add_paragraph("一、巡察反馈问题整改落实情况")
    table = document.add_table(rows=len(ROWS), cols=len(ROWS[0]))
    for r, row in enumerate(ROWS):
        for c, value in enumerate(row):
            table.cell(r, c).text = value
    for column in (0, 1, 3, 4):
        table.cell(1, column).merge(table.cell(2, column))
    for paragraph in CLOSING:
        document.add_paragraph(paragraph)
    buffer = io.BytesIO()
    document.save(buffer)
    assert problems(parse_notice(buffer.getvalue(), "ledger.docx")) == EXPECTED


def test_a_ledger_printed_to_pdf_over_three_pages_keeps_every_row_under_its_header():
    parsed = parse_notice((LEDGERS / "ledger.pdf").read_bytes(), "ledger.pdf")
    assert [i.label for i in parsed.issues] == [str(n) for n in range(1, 41)]
    assert [i.status for i in parsed.issues] == ["done" if n % 3 else "in_progress" for n in range(1, 41)]
    assert [m.text for m in parsed.issues[0].measures] == ["开展专项清理,清退不符合条件对象。", "建立动态管理台账,按月复核。"]
    assert all(len(i.measures) == 1 for i in parsed.issues[1:])
    # The rows a page starts with stay; the running header and footer go.
    assert parsed.text.count("责任单位:") == 40 and "file:" not in parsed.text and "1/3" not in parsed.text
    assert parsed.issues == parse_notice((LEDGERS / "ledger.html").read_bytes(), "ledger.html").issues


def test_a_table_without_a_column_of_problems_is_still_read_cell_by_cell():
    table = "<table><tr><td>时间</td><td>事项</td></tr><tr><td>3月</td><td>召开专题会议。</td></tr></table>"
    lines = decode(ledger_page(table), "page.html").text.splitlines()
    assert lines[lines.index("一、巡察反馈问题整改落实情况") + 1:][:4] == ["时间", "事项", "3月", "召开专题会议。"]


def test_a_caption_row_above_the_header_is_kept_and_numbers_come_from_the_number_column():
    rows = [[["巡察反馈问题整改落实情况表"], [], []],
            [["编号"], ["巡察反馈问题"], ["整改措施"]],
            [["3"], ["（三）财务管理不规范"], ["清理往来款项。", "完善报销制度。"]]]
    assert ledger_lines(rows) == ["巡察反馈问题整改落实情况表", "问题3：财务管理不规范",
                                  "整改措施：清理往来款项。", "完善报销制度。"]
    assert ledger_lines([[["序号"], ["整改措施"]], [["1"], ["建立制度。"]]]) is None


def test_a_summary_table_of_problem_counts_or_kinds_is_no_ledger():
    counts = [[["反馈问题数"], ["已完成"]], [["12"], ["10"]]]
    kinds = [[["问题"], ["已完成"]], [["作风"], ["3"]], [["财务"], ["2"]]]
    assert ledger_lines(counts) is None and ledger_lines(kinds) is None


def test_a_page_laid_out_in_a_table_is_no_ledger():
    rows = [[["巡察发现的问题已全部整改，其余正在推进"], ["发布日期：2024-05-10"]],
            [["低保动态管理不到位的问题已整改。"], ["殡葬改革推进缓慢的问题正在推进。"]]]
    assert ledger_lines(rows) is None
