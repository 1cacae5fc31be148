"""The inspection: kind, form, round, team as printed, on-site period and feedback date."""
from __future__ import annotations

import datetime as dt

import pytest

from notices.parsing.inspection import find_team, read_inspection
from notices.parsing.normalize import fold_for_matching

from .support import parse


def _text(printed: str) -> tuple[str, str]:
    return printed, fold_for_matching(printed)


@pytest.mark.parametrize(
    ("sentence", "team"),
    [
        ("2025年3月21日至6月28日,市委第六巡察组对市民政局党组开展了巡察", "市委第六巡察组"),
        ("2021年5月8日至7月5日,中央第三巡视组对教育部党组开展了常规巡视", "中央第三巡视组"),
        ("区委第四联动巡察组对区人民法院党组开展了巡察", "区委第四联动巡察组"),
        ("七届市委第十二轮巡察一组对我院党组开展了巡察", "七届市委第十二轮巡察一组"),
        ("2024年9月至12月,八届省委第六轮巡视第六巡视组对省民政厅党组进行了巡视", "八届省委第六轮巡视第六巡视组"),
        ("校党委巡察办专项巡察组对我院党委开展专项巡察", "校党委巡察办专项巡察组"),
        ("旗委专项巡察组对我局医保基金管理领域开展专项巡察", "旗委专项巡察组"),
        ("市委巡察二组对晋江市融媒体中心党委开展了巡察", "市委巡察二组"),
        ("中央第五巡視組對文化和旅遊部黨組進行了巡視", "中央第五巡視組"),
    ],
)
def test_the_team_is_read_as_printed(sentence, team):
    assert find_team([_text(sentence)]).printed == team


def test_a_round_without_a_team_number_names_no_team():
    opening = _text("2024年9月27日至12月20日,市委第六轮巡察组对古镇镇下辖7个村开展巡察。2025年1月14日,市委巡察组反馈了意见。")
    body = [_text("传达学习市委对村巡察第二组巡察古二等7个村党组织情况反馈会议精神")]
    inspection = read_inspection(opening, None, body, None)
    assert inspection.inspector == "市委对村巡察第二组"
    assert inspection.form == "对村巡察"


def test_the_round_is_read_from_the_title():
    title = _text("中共湖北省高级人民法院党组关于十二届省委第八轮巡视整改进展情况的通报")
    inspection = read_inspection(_text("省委第五巡视组对省法院党组开展了巡视。"), title, [], None)
    assert (inspection.kind, inspection.round) == ("巡视", "十二届省委第八轮")


def test_implicit_years_come_from_the_dates_around_them():
    opening = _text("按照市委统一部署,2025年3月21日至6月28日,市委第六巡察组对市民政局党组开展了巡察,并于8月26日反馈了巡察情况。")
    inspection = read_inspection(opening, None, [], None)
    assert (inspection.start, inspection.end, inspection.feedback) == (
        dt.date(2025, 3, 21), dt.date(2025, 6, 28), dt.date(2025, 8, 26),
    )


def test_a_feedback_date_after_new_year_moves_to_the_next_year():
    opening = _text("区委第二巡察组于2023年11月20日至2024年1月19日对区发改局党组开展了常规巡察,并于3月12日反馈了巡察意见。")
    assert read_inspection(opening, None, [], None).feedback == dt.date(2024, 3, 12)


def test_lost_year_and_month_characters_are_resolved_in_context():
    opening = _text("根据区委统一部署,20241120日至2025120日,区委第六巡察组对我中心开展了常规巡察。319日,巡察组向我中心反馈了巡察意见。")
    inspection = read_inspection(opening, None, [], None)
    assert (inspection.start, inspection.end, inspection.feedback) == (
        dt.date(2024, 11, 20), dt.date(2025, 1, 20), dt.date(2025, 3, 19),
    )


def test_a_start_without_a_year_takes_it_from_the_publish_date():
    opening = _text("3月4日至4月26日,县委第一巡察组对县民政局党组开展了巡察。")
    inspection = read_inspection(opening, None, [], dt.date(2024, 12, 30))
    assert (inspection.start, inspection.end) == (dt.date(2024, 3, 4), dt.date(2024, 4, 26))


def test_vague_dates_stay_null():
    opening = _text("2024年9月至12月,省委第二巡视组对省民政厅党组开展了巡视。2025年2月上旬,省委巡视组反馈了巡视意见。")
    inspection = read_inspection(opening, None, [], None)
    assert (inspection.start, inspection.end, inspection.feedback) == (None, None, None)


def test_traditional_feedback_wording_is_understood():
    opening = _text("2018年2月22日至5月24日,中央第五巡視組對文化和旅遊部黨組進行了巡視。2018年7月16日,中央巡視組向部黨組回饋了巡視意見。")
    inspection = read_inspection(opening, None, [], None)
    assert (inspection.kind, inspection.feedback) == ("巡视", dt.date(2018, 7, 16))


def test_an_unnumbered_team_names_no_inspector_but_its_organ_gives_the_level():
    notice = parse("中共国家林业和草原局党组关于巡视整改进展情况的通报\n根据中央统一部署，中央巡视组对国家林业和草原局党组开展了常规巡视。"
                   "先后赴云南省、四川省调研。")
    meta = notice.metadata
    assert (meta.inspector, meta.level, meta.province) == (None, "central", None)
