"""Web pages as real government sites build them: the article comes out, the chrome does not."""
from __future__ import annotations

from notices.parsing.decode import decode

ARTICLE = [
    "根据县委统一部署，2023年4月6日至5月30日，县委第二巡察组对县水利局党组开展了巡察。",
    "一、整改工作基本情况",
    "（一）提高政治站位，压实整改责任。局党组召开专题会议研究部署整改工作。",
    "二、反馈问题整改落实情况",
    "1.学习贯彻习近平新时代中国特色社会主义思想不深入。",
    "整改情况：一是制定理论学习计划。二是开展专题研讨3次。",
    "中共某某县水利局党组",
    "2024年3月1日",
]
TITLE = "中共某某县水利局党组关于县委第二巡察组巡察反馈意见整改进展情况的通报"
NAV = '<div class="nav"><a href="/">首页</a> <a href="/zwgk/">政务公开</a> <a href="/hdjl/">互动交流</a></div>'
FOOTER = ('<div class="footer"><p>主办单位：某某县人民政府办公室</p><p>网站标识码：4416220001 '
          '粤ICP备12345678号</p></div>')


def lines_of(page: str, encoding: str = "utf-8", name: str = "page.html", content_type=None):
    doc = decode(page.encode(encoding), name, content_type)
    return doc, doc.text.splitlines()


def test_a_bare_run_of_paragraphs_in_body_keeps_one_paragraph_per_line_and_its_headings():
    paragraphs = "".join(f"<p>\u3000\u3000{line}</p>\n" for line in ARTICLE)
    page = (f'<html><head><meta charset="utf-8"><title>{TITLE}-某某县人民政府</title></head><body>{NAV}'
            f'<div class="position">当前位置：首页 &gt; 通知公告</div><h2>{TITLE}</h2>'
            f'<p>发布时间：2024-03-01 来源：县水利局 【字体：大 中 小】</p>{paragraphs}'
            f'<p>相关文章</p><ul><li><a href="/a.html">某某县水利局2023年工作总结</a></li></ul>{FOOTER}</body></html>')
    doc, lines = lines_of(page)
    assert lines == [TITLE] + ARTICLE
    assert doc.page_metadata == {"publish_date": "2024-03-01", "source": "县水利局"}


def test_the_http_charset_wins_when_the_page_declares_none():
    page = f"<html><body><h1>{TITLE}</h1><div class='content'>" + "".join(f"<p>{l}</p>" for l in ARTICLE) + "</div></body></html>"
    doc, lines = lines_of(page, "gbk", content_type="text/html; charset=GBK")
    assert doc.encoding == "gb18030"
    assert lines[-len(ARTICLE):] == ARTICLE


def test_a_page_that_declares_gb2312_but_is_utf8_is_read_as_utf8_with_a_warning():
    page = ('<html><head><meta http-equiv="Content-Type" content="text/html; charset=gb2312"></head><body>'
            + "".join(f"<p>{l}</p>" for l in ARTICLE) + "</body></html>")
    doc, lines = lines_of(page, "utf-8")
    assert lines == ARTICLE
    assert doc.warnings and "gb18030" in doc.warnings[0]


def test_html_content_is_recognised_whatever_the_file_is_called():
    page = '<!DOCTYPE html><html><head><meta charset="utf-8"></head><body>' + "".join(
        f"<p>{l}</p>" for l in ARTICLE) + "</body></html>"
    doc, lines = lines_of(page, name="notice.txt")
    assert doc.format == "html" and lines == ARTICLE


def test_a_disclosure_list_with_values_under_their_labels_becomes_page_metadata():
    items = [("信息索引号", "113307020501239658/2023-46395"), ("文件名称", TITLE), ("发布机构", "县水利局"),
             ("成文日期", "2023-05-04"), ("公开方式", "主动公开")]
    block = "".join(f"<li><span>{k}:</span><p>{v}</p></li>" for k, v in items)
    page = (f'<html><head><meta charset="utf-8"><title>{TITLE}</title></head><body>{NAV}<ul class="xxgk">{block}</ul>'
            f'<div class="art"><div class="tit">{TITLE}</div><div class="info">日期:2023-05-04 08:46:31 来源:区文旅体局 '
            f'浏览量: 分享:</div><div class="zoom">' + "".join(f"<p>{l}</p>" for l in ARTICLE)
            + f"</div></div>{FOOTER}</body></html>")
    doc, lines = lines_of(page)
    assert lines == [TITLE] + ARTICLE
    assert doc.page_metadata == {
        "index_number": "113307020501239658/2023-46395", "title": TITLE, "publisher": "县水利局",
        "written_date": "2023-05-04", "publish_date": "2023-05-04 08:46:31", "source": "区文旅体局",
    }


def test_a_disclosure_table_inside_the_content_area_stays_out_of_the_text():
    table = ("<table><tr><td>索 引 号：</td><td>11441622MB2C12345X/2024-00031</td><td>发布机构：</td><td>县水利局</td></tr>"
             "<tr><td>发布日期：</td><td>2024-03-01</td><td>主题分类：</td><td>其他</td></tr></table>")
    page = ('<html><head><meta charset="utf-8"></head><body><div id="main">' + table
            + "".join(f"<p>{l}</p>" for l in ARTICLE) + "</div></body></html>")
    doc, lines = lines_of(page)
    assert lines == ARTICLE
    assert doc.page_metadata["index_number"] == "11441622MB2C12345X/2024-00031"
    assert doc.page_metadata["publish_date"] == "2024-03-01"


def test_an_article_table_is_read_cell_by_cell_and_numeric_entities_are_decoded():
    rows = "".join(f"<tr><td>{ARTICLE[4]}</td><td>{ARTICLE[5]}</td></tr>" for _ in range(1))
    page = ('<html><head><meta charset="gb2312"></head><body><div class="content">'
            + "".join(f"<p>{l}</p>" for l in ARTICLE[:4]) + f"<table>{rows}</table>"
            + "<p>联系人：张&#26107;</p>" + "".join(f"<p>{l}</p>" for l in ARTICLE[6:]) + "</div></body></html>")
    doc, lines = lines_of(page, "gb2312")
    assert lines == ARTICLE[:6] + ["联系人：张旻"] + ARTICLE[6:]


def test_paragraphs_split_by_br_in_one_cell_keep_their_lines_and_source_wraps_vanish():
    body = "<br/>\n".join("&nbsp;&nbsp;" + line.replace("巡察", "巡\n察", 1) for line in ARTICLE)
    page = f'<html><head><meta charset="utf-8"></head><body><table><tr><td class="content">{body}</td></tr></table></body></html>'
    _, lines = lines_of(page)
    assert lines == ARTICLE


def test_a_utf16_page_with_a_bom_is_read():
    page = "<html><body>" + "".join(f"<p>{l}</p>" for l in ARTICLE) + "</body></html>"
    doc = decode(b"\xff\xfe" + page.encode("utf-16-le"), "page.htm")
    assert doc.text.splitlines() == ARTICLE


def test_a_zfxxgk_list_with_spaced_out_labels_is_read_and_left_out_of_the_text():
    # as on www.xuecheng.gov.cn (excerpt 022): 索 引 号, 文  号, 标  题 spaced to align
    items = [("索 引 号", "370403/2025-02427"), ("主题分类", "其他信息"), ("发布机构", "区卫健局"),
             ("成文时间", "2025年09月29日"), ("文  号", ""), ("发文时间", "2025年09月29日"), ("标  题", TITLE),
             ("效力状态", "有效")]
    block = "".join(f"<li>{k}:{v}</li>" for k, v in items)
    page = (f'<html><head><meta charset="utf-8"><title>{TITLE}</title></head><body>{NAV}<ul class="gknr">{block}</ul>'
            f'<div class="detail"><h1>{TITLE}</h1><div class="trs_editor_view">'
            + "".join(f"<p>{l}</p>" for l in ARTICLE) + f"</div></div>{FOOTER}</body></html>")
    doc, lines = lines_of(page)
    assert lines == [TITLE] + ARTICLE
    assert doc.page_metadata == {"index_number": "370403/2025-02427", "publisher": "区卫健局",
                                 "written_date": "2025年09月29日", "publish_date": "2025年09月29日", "title": TITLE}


def test_a_university_page_with_author_and_date_byline_and_a_repeated_title():
    # as on cise.glut.edu.cn (excerpt 004): title twice, "作者:学院 日期:2024年05月20日", 点击 counter
    page = (f'<html><head><meta charset="utf-8"><title>{TITLE}-计算机科学与工程学院</title></head><body>'
            f'<div class="header">学院首页 学院概况 党建工作</div><div class="main"><div class="left">'
            f'<h2>党建工作</h2><ul><li><a href="/1">党建动态</a></li><li><a href="/2">巡察整改</a></li></ul></div>'
            f'<div class="right"><div class="pos">当前位置: <a href="/">首页</a> &gt;&gt; 党建工作</div>'
            f'<form name="_newscontent_fromname"><h1>{TITLE}</h1>'
            f'<div class="info">作者:学院&nbsp;&nbsp;&nbsp;&nbsp;日期:2024年05月20日&nbsp;&nbsp;点击:<span>[336]</span>次</div>'
            f'<div class="v_news_content">' + "".join(f'<p class="vsbcontent_start">{l}</p>' for l in ARTICLE)
            + '</div><div class="next">上一条：<a href="/3">关于开展主题党日活动的通知</a></div></form></div></div>'
            f'<div class="foot">版权所有 © 桂林理工大学 桂ICP备05000999号</div></body></html>')
    doc, lines = lines_of(page)
    assert lines == [TITLE] + ARTICLE
    assert doc.page_metadata["publish_date"] == "2024年05月20日"


def test_a_byline_with_visit_counter_and_font_size_tool_goes_to_page_metadata():
    # as on yanjin.gov.cn (excerpt 031) and www.hbfy.gov.cn (excerpt 019)
    page = (f'<html><head><meta charset="utf-8"></head><body>{NAV}<div class="article"><h3>{TITLE}</h3>'
            '<p class="meta">来源:延津县农业农村局 发布时间:2025-02-26 16:48:14 浏览量:4454 字号:'
            '<a>大</a><a>中</a><a>小</a></p><div class="content">' + "".join(f"<p>{l}</p>" for l in ARTICLE)
            + f"</div></div>{FOOTER}</body></html>")
    doc, lines = lines_of(page)
    assert lines == [TITLE] + ARTICLE
    assert doc.page_metadata == {"source": "延津县农业农村局", "publish_date": "2025-02-26 16:48:14"}
