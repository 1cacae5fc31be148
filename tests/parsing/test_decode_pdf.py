"""PDF rows become paragraphs: wrapped rows join, headings and indented rows start anew,
running headers and page numbers go; radicals fold back to ideographs."""
from __future__ import annotations

from notices.parsing.chars import fold_compatibility, radical_table
from notices.parsing.decoders.pdf import Page
from notices.parsing.decoders.pdfrows import Row, drop_running_lines, join_rows

SIZE, LEFT, RIGHT, HEIGHT = 12.0, 30.0, 570.0, 792.0


def row(text: str, y: float, indent: bool = False, full: bool = True, page: int = 0, size: float = SIZE) -> Row:
    x0 = LEFT + (2 * size if indent else 0)
    x1 = RIGHT if full else x0 + len(text) * size
    return Row(text=text, x0=x0, x1=x1, top=y + size, bottom=y, size=size, page=page, page_height=HEIGHT)


def indented_body(*rows: Row) -> list[Row]:
    """Enough rows of an indented layout for the margins to be learnt."""
    filler = [row("坚持问题导向，逐项制定整改措施，明确责任单位和完成时限，实行销号管理，确保", 700 - 20 * i, indent=i % 3 == 0,
                  full=i % 3 != 2) for i in range(12)]
    return filler + list(rows)


def test_a_row_that_ends_mid_sentence_flows_into_the_next():
    paragraphs = join_rows(indented_body(row("（一）统一思想认识，提高政治站位。反馈会议当天，局党组召开扩大", 400, indent=True),
                                         row("会议，研究部署巡察整改工作。", 380, full=False)))
    assert paragraphs[-1] == "（一）统一思想认识，提高政治站位。反馈会议当天，局党组召开扩大会议，研究部署巡察整改工作。"


def test_a_full_row_ending_a_sentence_still_flows_on_when_paragraphs_are_indented():
    paragraphs = join_rows(indented_body(row("召开专题民主生活会，开展批评与自我批评。", 400, indent=True),
                                         row("截至目前，已完成整改19个。", 380, full=False)))
    assert paragraphs[-1] == "召开专题民主生活会，开展批评与自我批评。截至目前，已完成整改19个。"


def test_a_short_row_ends_its_paragraph_and_an_indented_row_starts_one():
    paragraphs = join_rows(indented_body(row("一、整改工作基本情况", 400, indent=True, full=False),
                                         row("局党组把巡察整改作为重大政治任务来抓。", 380, indent=True, full=False)))
    assert paragraphs[-2:] == ["一、整改工作基本情况", "局党组把巡察整改作为重大政治任务来抓。"]


def test_without_indents_a_heading_marker_or_a_finished_sentence_ends_the_row_paragraph():
    rows = [row("按照市委统一部署，市委第六巡察组对市民政局党组开展了巡察，并于8月26日反馈了", 700),
            row("巡察情况。按照巡察工作有关要求，现将巡察整改进展情况予以公布。", 680),
            row("（一）统一思想认识，提高政治站位，成立了巡察整改落实工作领导小组，明确责任领", 660),
            row("导和完成时限。", 640, full=False)]
    assert join_rows(rows) == [
        "按照市委统一部署，市委第六巡察组对市民政局党组开展了巡察，并于8月26日反馈了巡察情况。按照巡察工作有关要求，现将巡察整改进展情况予以公布。",
        "（一）统一思想认识，提高政治站位，成立了巡察整改落实工作领导小组，明确责任领导和完成时限。",
    ]


def test_a_paragraph_continues_across_a_page_break():
    paragraphs = join_rows(indented_body(row("（3）拟定《东营市“十五五”老龄事业发展和养老服务体系规划》初稿，研究谋划项目40", 60,
                                             indent=True, page=0),
                                         row("个。", 740, full=False, page=1)))
    assert paragraphs[-1].endswith("研究谋划项目40个。")


def test_a_title_wrapped_in_its_large_type_is_joined():
    big = SIZE * 1.4
    paragraphs = join_rows([
        row("中共东营市民政局党组关于市委第六巡察组反馈意见集中整改进展情况的通", 750, size=big),
        Row("报", 297, 314, 735 + big, 735, big, 0, HEIGHT)] + indented_body())
    assert paragraphs[0] == "中共东营市民政局党组关于市委第六巡察组反馈意见集中整改进展情况的通报"


def test_running_headers_and_page_numbers_are_dropped():
    pages = []
    for number in range(3):
        rows = [Row("11/23/26, 9:23 AM 关于巡察整改进展情况的通报_某某县人民政府", 24, 520, 784, 776, 8, number, HEIGHT),
                row(f"第{number + 1}页的正文，巡察整改工作有序推进。", 600, indent=True, full=False, page=number),
                Row(f"file:///tmp/notice.html {number + 1}/3", 24, 588, 31, 23, 8, number, HEIGHT),
                Row(f"- {number + 1} -", 290, 310, 50, 42, 8, number, HEIGHT)]
        pages.append(Page(number, 612, HEIGHT, rows))
    kept = [r.text for r in drop_running_lines(pages)]
    assert kept == [f"第{n}页的正文，巡察整改工作有序推进。" for n in (1, 2, 3)]


def test_a_single_page_loses_its_page_number_and_print_url_but_not_its_text():
    rows = [row("欢迎广大干部群众对巡察整改落实情况进行监督。", 600, indent=True, full=False),
            Row("https://www.example.gov.cn/art/2024/3/1/art_1.html", 24, 300, 31, 23, 8, 0, HEIGHT),
            Row("1", 300, 306, 50, 42, 8, 0, HEIGHT)]
    assert [r.text for r in drop_running_lines([Page(0, 612, HEIGHT, rows)])] == [rows[0].text]


def test_radicals_supplement_characters_fold_to_the_ideographs_nfkc_leaves_alone():
    assert fold_compatibility("⼈⺠群众 增⻓ 意⻅ ⻔户 ⻢上") == "人民群众 增长 意见 门户 马上"
    assert fold_compatibility("⼾籍") == "户籍"  # Unicode says 戶; a simplified text means 户
    assert fold_compatibility("⼾籍與經濟") == "戶籍與經濟"


def test_the_radical_table_comes_from_unicodes_data_file_and_covers_both_blocks():
    table = radical_table()
    assert len(table) > 300
    assert table[0x2EA0] == "民" and table[0x2ED3] == "长" and table[0x2F00] == "一"
    assert all(0x2E80 <= code <= 0x2FDF for code in table)
