"""What parse_notice refuses, and how it says so."""
from __future__ import annotations

import pytest

from notices.parsing import ParseError, parse_notice


def test_a_text_that_is_no_rectification_notice_is_refused_with_a_reason():
    with pytest.raises(ParseError, match="这不像整改通报"):
        parse_notice("今天天气很好，我们去公园散步。\n明天再见。".encode(), "notes.txt")


def test_a_notice_without_a_problem_list_still_parses_with_a_warning():
    text = "关于巡察整改进展情况的通报\n根据县委统一部署，现将巡察整改进展情况予以公布。"
    parsed = parse_notice(text.encode(), "short.txt")
    assert not parsed.issues
    assert any("没有找到问题清单" in w for w in parsed.warnings)


def test_a_page_that_kept_only_the_title_and_its_byline_is_refused_for_that_reason():
    page = "中共某某县民政局党组关于巡察整改进展情况的通报\n\n发布时间:2024-10-30 来源:某某县民政局\n"
    with pytest.raises(ParseError, match=r"文件只有标题（中共某某县民政局党组关于巡察整改进展情况的通报）"):
        parse_notice(page.encode(), "page.txt")
