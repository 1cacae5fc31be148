"""A column's list page read by general rules: which links lead to notices, their dates, and the list's
other pages in the three forms CMSs write them."""
from __future__ import annotations

from datetime import date

import pytest

from notices.harvest.listing import is_notice_title, read_list_page

LIST = "http://site.example/col/xxzg/index.html"


def page(items: str, tail: str = "", charset: str = "utf-8") -> bytes:
    return (f'<html><head><meta charset="{charset}"><title>巡察整改</title></head><body>'
            f'<div class="nav"><a href="/">首页</a> &gt; <a href="/col/xxzg/">巡察整改</a></div>'
            f'<ul class="list">{items}</ul>{tail}</body></html>').encode(charset, errors="xmlcharrefreplace")


@pytest.mark.parametrize("title", [
    "中共东营市民政局党组关于市委第六巡察组反馈意见集中整改进展情况的通报",
    "省民政厅党组关于巡视整改进展情况的通报（2024年1月9日）",
    "中共惠东县民政局党组关于县委巡察集中整改进展情况的通报.pdf",
    "附件：关于巡察整改情况的报告.docx",
    "县委巡察办关于二届县委第三轮巡察整改情况的公示",
    "关于巡察整改进展情况",
    "中共某某市民政局党组关于市委第六巡察组反馈意见集中整改进…",
])
def test_titles_of_rectification_notices_are_picked(title):
    assert is_notice_title(title)


@pytest.mark.parametrize("title", [
    "市委第一巡察组进驻市民政局开展常规巡察",
    "我局召开巡察整改工作推进会",
    "关于开展全市民政领域专项整治的通知",
    "市民政局2024年政府信息公开工作年度报告",
    "巡察整改",
    "下一页",
])
def test_news_about_inspections_and_other_notices_are_not(title):
    assert not is_notice_title(title)


def test_links_are_resolved_dated_and_the_cut_short_text_yields_to_the_title_attribute():
    listed = read_list_page(page(
        '<li><a href="./202405/t20240506_1.html" title="中共东营市民政局党组关于市委第六巡察组反馈意见集中整改进展情况的通报">'
        '中共东营市民政局党组关于市委第六巡察组反馈意见...</a><span>2024-05-06</span></li>'
        '<li><a href="../../news/t1.html">市委第一巡察组进驻市民政局</a><span>[2024年4月1日]</span></li>'
        '<li><a href="javascript:void(0)">打印</a></li>'), LIST)
    notice, news = listed.links[-2:]
    assert notice.url == "http://site.example/col/xxzg/202405/t20240506_1.html"
    assert notice.is_notice and notice.date == date(2024, 5, 6) and notice.text.endswith("的通报")
    assert news.url == "http://site.example/news/t1.html" and not news.is_notice and news.date == date(2024, 4, 1)
    assert [link.url for link in listed.notice_links] == [notice.url]


def test_a_next_page_link_is_followed():
    listed = read_list_page(page("<li><a href='a.html'>x</a></li>",
                                 '<div class="page"><a href="list?page=1">上一页</a> <a href="list?page=3">下一页</a></div>'),
                            "http://site.example/list?page=2")
    assert listed.more_pages == ("http://site.example/list?page=1", "http://site.example/list?page=3")
    assert "http://site.example/list?page=3" not in [link.url for link in listed.links]


def test_numbered_pages_index_n_html_are_pages_of_the_same_list_in_page_order():
    listed = read_list_page(page("<li><a href='t1.html'>x</a></li>",
                                 '<a href="index_2.html">3</a><a href="index_1.html">2</a><a href="index.html">1</a>'
                                 '<a href="index_2.html">尾页</a>'), LIST)
    assert listed.more_pages == ("http://site.example/col/xxzg/index_1.html", "http://site.example/col/xxzg/index_2.html")


def test_pages_a_createpagehtml_call_writes_are_found_without_any_link():
    script = '<script type="text/javascript">createPageHTML(3, 0, "index", "html");</script>'
    listed = read_list_page(page("<li><a href='t1.html'>x</a></li>", script), LIST)
    assert listed.more_pages == ("http://site.example/col/xxzg/index_1.html", "http://site.example/col/xxzg/index_2.html")
    # the variant with an element id first and the item count last
    variant = "<script>createPageHTML('page_div',4, 1,'fun_list','shtml',58);</script>"
    listed = read_list_page(page("", variant), "http://site.example/col/fun_list_1.shtml")
    assert listed.more_pages == tuple(f"http://site.example/col/{n}" for n in (
        "fun_list.shtml", "fun_list_2.shtml", "fun_list_3.shtml"))


def test_a_gbk_list_page_is_read_by_its_declared_charset():
    data = page('<li><a href="t.html">中共惠东县民政局党组关于县委巡察集中整改进展情况的通报</a> 2023.11.02</li>', charset="gbk")
    listed = read_list_page(data, LIST, "text/html")
    assert listed.notice_links[0].text.startswith("中共惠东县") and listed.notice_links[0].date == date(2023, 11, 2)


def test_a_page_that_is_not_html_yields_nothing():
    assert read_list_page(b"", LIST).links == ()
    assert read_list_page(b"%PDF-1.7 binary", LIST).more_pages == ()
