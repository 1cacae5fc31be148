"""Metadata as web pages print it: datelines, bylines, sources, zones, mass organisations, teams.

Each test writes a notice head in the shape real pages print, with names, places and dates of
its own (tests/data/web_notices holds the longer cases and their gold).
"""
from __future__ import annotations

import datetime as dt

import pytest

from .support import parse

OPENING = "根据县委统一部署，2023年4月10日至6月9日，县委第三巡察组对县民政局党组开展了常规巡察，并于2023年7月20日反馈了巡察意见。"


@pytest.mark.parametrize(
    ("head", "date"),
    [
        ("2024-05-06 11:20", dt.date(2024, 5, 6)),  # a bare date and time under the title
        ("2023-12-01 17:45:09来源：滁州市民政局", dt.date(2023, 12, 1)),  # glued to the source
        ("2022年08月19日10:05 来源：某某新闻网", dt.date(2022, 8, 19)),
        ("2024-02-27 16:00 滁州市纪委监委网站", dt.date(2024, 2, 27)),  # date first, source unlabelled
        ("来源：滁州日报 2021-10-13", dt.date(2021, 10, 13)),  # source first, date after it
        ("更新时间：2020-07-08", dt.date(2020, 7, 8)),
        ("来源时间为：2022-03-15 08:00:00", dt.date(2022, 3, 15)),
        ("发表时间：2021/9/2 作者：办公室", dt.date(2021, 9, 2)),
        ("2024年1月15日 星期一", dt.date(2024, 1, 15)),
    ],
)
def test_a_pages_date_line_in_any_of_its_shapes_is_the_publication_date(head, date):
    notice = parse(f"中共定远县民政局党组关于县委巡察整改情况的通报\n{head}\n{OPENING}\n一、关于社会救助不精准的问题\n整改情况：开展核查。")
    assert notice.metadata.publish_date == date
    assert notice.metadata.inspection_start == dt.date(2023, 4, 10)  # the opening is still read


def test_a_disclosure_table_flattened_to_lines_gives_its_date_and_publisher():
    notice = parse(
        "索引号\n000000/2022-00031\n发布机构\n合肥市包河区民政局\n2022-11-30\n主动公开\n"
        "关于区委第二巡察组反馈意见整改情况的通报\n根据区委统一部署，区委第二巡察组对区民政局党组开展了巡察。"
    )
    meta = notice.metadata
    assert (meta.publish_date, meta.province, meta.county, meta.level) == (dt.date(2022, 11, 30), "安徽省", "包河区", "county")
    assert meta.agency == "合肥市包河区民政局"
    assert "主动公开" not in notice.text


def test_a_sites_clock_is_not_a_publication_date():
    notice = parse(f"今天是2018年6月12日 星期二\n中共定远县民政局党组关于县委巡察整改情况的通报\n{OPENING}")
    assert notice.metadata.publish_date is None
    assert "今天是" not in notice.text
    dated = parse(f"今天是：2018年6月12日 星期二 天气：晴\n中共定远县民政局党组关于县委巡察整改情况的通报\n发布日期：2018-05-30\n{OPENING}")
    assert dated.metadata.publish_date == dt.date(2018, 5, 30)


def test_a_date_in_the_body_is_no_dateline():
    notice = parse(f"中共定远县民政局党组关于县委巡察整改情况的通报\n{OPENING}\n2023年8月1日 召开专题会议，研究整改。\n"
                   "一、关于社会救助不精准的问题\n整改情况：开展核查。")
    assert notice.metadata.publish_date is None


def test_the_province_comes_from_the_pages_source_when_the_title_names_no_place():
    notice = parse("中共市审计局党组关于市委巡察整改情况的通报\n来源：九江市审计局 发布时间：2023-03-01\n"
                   "根据市委统一部署，市委第二巡察组对市审计局党组开展了巡察。")
    meta = notice.metadata
    assert (meta.province, meta.city, meta.level, meta.agency) == ("江西省", "九江市", "city", "九江市审计局")
    site = parse("中共市审计局党组关于市委巡察整改情况的通报\n来源：某某新闻网\n根据市委统一部署，市委第二巡察组对市审计局党组开展了巡察。")
    assert site.metadata.province is None  # a news site is nobody's region


def test_a_county_named_once_in_the_opening_gives_a_county_departments_region():
    notice = parse("县委组织部关于县委第一巡察组反馈意见整改情况的通报\n"
                   "根据县委统一部署，县委第一巡察组对泾川县委组织部开展了常规巡察。县委组织部高度重视。")
    meta = notice.metadata
    assert (meta.province, meta.county, meta.level) == ("甘肃省", "泾川县", "county")


def test_a_cited_document_of_the_notices_own_body_gives_region_and_level():
    notice = parse("关于巡察整改进展情况的通报\n根据区委统一部署，区委第四巡察组对镇党委开展了巡察。按照《中共宁海县长街镇委员会"
                   "关于印发巡察整改方案的通知》要求，逐项整改。")
    meta = notice.metadata
    assert (meta.province, meta.level) == ("浙江省", "township")
    region_only = parse("关于巡察整改进展情况的通报\n按照《中共宁海县委巡察工作领导小组关于做好巡察整改的通知》要求，"
                        "县委第四巡察组对局党组开展了巡察。")
    assert region_only.metadata.province == "浙江省"
    assert region_only.metadata.agency is None  # a region's committee says where, not who


def test_a_province_inspected_as_a_whole_is_the_agency():
    notice = parse("关于十九届中央第三轮巡视整改进展情况的通报\n根据中央统一部署，中央第五巡视组对贵州省进行了常规巡视。")
    meta = notice.metadata
    assert (meta.agency, meta.province, meta.level) == ("贵州省", "贵州省", "province")


@pytest.mark.parametrize(
    ("issuer", "province", "level"),
    [
        ("中共合肥经济技术开发区工作委员会", "安徽省", "county"),
        ("中共襄阳高新区工委", "湖北省", "county"),
        ("中共上海市民政局党组", "上海市", "province"),
        ("中共北京市卫生健康委员会委员会", "北京市", "province"),
        ("中共新沂市司法局党组", "江苏省", "county"),  # a county-level city
        ("中共安康市司法局党组", "陕西省", "city"),
    ],
)
def test_levels_of_zones_municipalities_and_county_level_cities(issuer, province, level):
    notice = parse(f"{issuer}关于巡察整改情况的通报\n根据市委统一部署，市委第一巡察组对{issuer[2:]}开展了巡察。")
    assert (notice.metadata.province, notice.metadata.level) == (province, level)


@pytest.mark.parametrize(
    ("issuer", "province"),
    [
        ("灵宝市工商联", "河南省"), ("绵竹市妇联", "四川省"), ("南充市科协", "四川省"),
        ("共青团商洛市委员会", "陕西省"), ("政协泸州市江阳区委员会机关党组", "四川省"),
    ],
)
def test_mass_organisations_and_cppcc_bodies_are_issuers(issuer, province):
    notice = parse(f"{issuer}关于市委巡察整改情况的通报\n根据市委统一部署，市委第二巡察组开展了巡察。")
    assert notice.metadata.issuer == issuer
    assert notice.metadata.province == province


def test_a_column_prefix_is_no_part_of_the_title():
    notice = parse("【巡视巡察】中共巩义市教育局党组关于市委巡察整改情况的通报\n根据市委统一部署，市委第一巡察组开展了巡察。")
    assert notice.metadata.title == "中共巩义市教育局党组关于市委巡察整改情况的通报"
    assert notice.metadata.issuer == "中共巩义市教育局党组"


@pytest.mark.parametrize(
    "team",
    ["十四届嵊州市委第二轮巡察一组", "市委第三提级交叉巡察组", "泾川县委第二巡察组", "区委第一联动巡察组"],
)
def test_an_inspection_team_keeps_its_session_place_ordinal_and_kind_words(team):
    notice = parse(f"关于巡察整改情况的通报\n根据统一部署，2022年3月1日至4月30日，{team}对局党组开展了巡察。")
    assert notice.metadata.inspector == team


def test_a_word_before_the_organ_that_is_no_place_stays_out_of_the_team():
    notice = parse("关于巡察整改情况的通报\n根据统一部署，按照要求市委第三巡察组对局党组开展了巡察。")
    assert notice.metadata.inspector == "市委第三巡察组"


def test_a_date_with_its_weekday_above_the_title_is_the_sites_clock():
    notice = parse(f"2019年3月5日 星期二 农历正月廿九\n中共定远县民政局党组关于县委巡察整改情况的通报\n{OPENING}")
    assert notice.metadata.publish_date is None
    below = parse(f"中共定远县民政局党组关于县委巡察整改情况的通报\n2019年3月5日 星期二\n{OPENING}")
    assert below.metadata.publish_date == dt.date(2019, 3, 5)


def test_a_bracketed_byline_is_read():
    notice = parse(f"中共定远县民政局党组关于县委巡察整改情况的通报\n【发布时间：2022-03-04】【来源：县民政局】\n{OPENING}")
    assert notice.metadata.publish_date == dt.date(2022, 3, 4)


def test_a_source_printed_with_the_party_prefix_gives_its_region():
    notice = parse("县委统战部关于县委巡察整改情况的通报\n发布时间：2022-05-10 来源：中共岳西县委统战部\n"
                   "根据县委统一部署，县委第二巡察组对部机关开展了巡察。")
    assert (notice.metadata.province, notice.metadata.county) == ("安徽省", "岳西县")


@pytest.mark.parametrize(
    ("title", "issuer"),
    [("霍邱县妇联巡察整改情况的通报", "霍邱县妇联"), ("六安市委党校关于市委巡察整改情况的通报", "六安市委党校")],
)
def test_issuers_without_关于_or_ending_in_a_school(title, issuer):
    notice = parse(f"{title}\n根据市委统一部署，市委第二巡察组开展了巡察。")
    assert notice.metadata.issuer == issuer
    assert notice.metadata.province == "安徽省"


def test_a_column_name_before_a_bar_is_no_part_of_the_title():
    notice = parse("整改公开｜中共怀远县审计局党组关于县委巡察整改情况的通报\n稿源：怀远县审计局 发布日期：2021年6月2日\n"
                   "根据县委统一部署，县委第一巡察组对县审计局党组开展了巡察。")
    meta = notice.metadata
    assert (meta.title, meta.issuer) == ("中共怀远县审计局党组关于县委巡察整改情况的通报", "中共怀远县审计局党组")
    assert meta.publish_date == dt.date(2021, 6, 2)


def test_a_市_bureau_in_a_county_level_city_named_only_in_the_body_is_county_level():
    notice = parse("中共市民政局党组关于市委巡察整改情况的通报\n根据市委统一部署，市委第一巡察组对市民政局党组开展了巡察。\n"
                   "一、关于养老服务推进缓慢的问题\n整改情况：在新沂市新建养老中心2个，新沂市各镇全覆盖。")
    meta = notice.metadata
    assert (meta.agency, meta.county, meta.level) == ("新沂市民政局", "新沂市", "county")


@pytest.mark.parametrize(
    "head",
    [
        "中共定远县民政局党组关于县委巡察整改情况的通报\n2022-03-04 10:05:33 | 来源：定远县民政局",
        "中共定远县民政局党组关于县委巡察整改情况的通报\n作者：县民政局 2022-03-04",
        "中共定远县民政局党组关于县委巡察整改情况的通报 2022-03-04 10:05",
    ],
)
def test_dates_after_a_bar_an_author_or_the_title_are_the_publication_date(head):
    notice = parse(f"{head}\n{OPENING}")
    assert notice.metadata.publish_date == dt.date(2022, 3, 4)
    assert notice.metadata.title == "中共定远县民政局党组关于县委巡察整改情况的通报"


def test_a_saved_web_page_gets_its_date_and_province_from_an_unlabelled_dateline():
    from notices.parsing import parse_notice

    page = (
        '<html><head><meta charset="utf-8"></head><body><div class="article">'
        "<h1>中共市民政局党组关于市委巡察整改情况的通报</h1><p>2024-05-06 11:20 来源：亳州市民政局</p>"
        "<p>根据市委统一部署，市委第三巡察组对市民政局党组开展了常规巡察。</p></div></body></html>"
    )
    meta = parse_notice(page.encode("utf-8"), "notice.html").metadata
    assert (meta.publish_date, meta.province, meta.city, meta.level) == (dt.date(2024, 5, 6), "安徽省", "亳州市", "city")
