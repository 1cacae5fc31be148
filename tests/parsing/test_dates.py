"""Dates as printed: stray spaces, implicit years, lost 年/月, vague dates."""
from __future__ import annotations

import datetime as dt

from notices.parsing.dates import complete_range, find_dates, find_ranges, parse_date_text, read_day_token


def test_a_plain_date_and_one_with_stray_spaces_read_the_same():
    assert read_day_token("2025年3月21") == (2025, 3, 21)
    assert read_day_token("2024 年 8 月 20 ") == (2024, 8, 20)


def test_dates_that_lost_their_year_and_month_characters_are_read_when_unambiguous():
    assert read_day_token("20241120") == (2024, 11, 20)
    assert read_day_token("2025120") == (2025, 1, 20)
    assert read_day_token("2024717") == (2024, 7, 17)
    assert read_day_token("319") == (None, 3, 19)
    assert read_day_token("830") == (None, 8, 30)
    assert read_day_token("202411月20") == (2024, 11, 20)


def test_a_date_whose_digits_read_two_ways_is_not_guessed():
    assert read_day_token("111") is None  # 1月11日 or 11月1日
    assert read_day_token("2024111") is None


def test_a_lone_day_is_a_day():
    assert read_day_token("30") == (None, None, 30)


def test_a_range_gives_its_end_the_start_year_and_month():
    text = "2025年3月21日至6月28日,市委巡察组进驻;2024年4月1日至10日;2024年12月26日至1月26日"
    mentions = find_dates(text)
    ends = [complete_range(a, b)[1] for a, b in find_ranges(text, mentions)]
    assert [e.to_date() for e in ends] == [dt.date(2025, 6, 28), dt.date(2024, 4, 10), dt.date(2025, 1, 26)]


def test_a_range_of_months_is_vague_and_gives_no_dates():
    text = "2024年9月至12月,八届省委第六轮巡视第六巡视组对省民政厅党组进行了巡视"
    mentions = find_dates(text)
    (first, second), = find_ranges(text, mentions)
    assert complete_range(first, second) is None


def test_vague_parts_of_a_month_are_not_dates():
    assert [m.vague for m in find_dates("7月上旬、3月份、12月底、9月")] == [True, True, True, True]


def test_byline_and_signature_dates_parse():
    assert parse_date_text("2024-10-25 15:39") == dt.date(2024, 10, 25)
    assert parse_date_text("2024年05月20日") == dt.date(2024, 5, 20)
    assert parse_date_text("2024 年 8 月 20 日") == dt.date(2024, 8, 20)
    assert parse_date_text("浏览次数:12") is None
