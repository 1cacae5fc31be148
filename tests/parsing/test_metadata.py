"""Stage 4: title, issuer, agency, dates, region and level from a whole notice."""
from __future__ import annotations

import datetime as dt

from .support import parse


def test_issuer_and_agency_come_from_the_title():
    notice = parse(
        "中共无锡市公安局委员会关于巡察整改情况的通报\n根据市委统一部署,2021年3月15日至5月15日,市委第一巡察组对市公安局党委进行了巡察。"
    )
    meta = notice.metadata
    assert (meta.issuer, meta.agency) == ("中共无锡市公安局委员会", "无锡市公安局")
    assert (meta.province, meta.city, meta.county, meta.level) == ("江苏省", "无锡市", None, "city")


def test_a_notice_without_a_title_takes_issuer_region_and_date_from_its_signature():
    notice = parse(
        "根据区委巡察工作统一部署,现将巡察整改进展情况予以公布。\n一、巡察反馈问题的整改情况\n1.关于理论学习不深入的问题\n"
        "整改情况:一是集中学习。\n中共莆田市荔城区民政局党组\n2025年7月31日"
    )
    meta = notice.metadata
    assert meta.title is None
    assert (meta.issuer, meta.agency) == ("中共莆田市荔城区民政局党组", "莆田市荔城区民政局")
    assert (meta.province, meta.city, meta.county, meta.level) == ("福建省", "莆田市", "荔城区", "county")
    assert meta.publish_date == dt.date(2025, 7, 31)


def test_a_province_qualified_unit_takes_its_province_from_the_body():
    notice = parse(
        "省民政厅党组关于巡视整改进展情况的通报\n根据省委统一部署,省委第二巡视组对省民政厅党组开展了巡视。\n"
        "（一）关于“贯彻落实不到位”问题的整改情况\n整改情况:一是部署浙江省民政事业高质量发展。二是印发《浙江省养老服务条例实施办法》。"
    )
    meta = notice.metadata
    assert (meta.issuer, meta.agency, meta.province, meta.city, meta.level) == (
        "省民政厅党组", "浙江省民政厅", "浙江省", None, "province",
    )


def test_the_unit_in_the_opening_sentence_gives_the_region_when_there_is_no_title():
    notice = parse("根据省委统一部署,2021年10月20日至12月20日,省委第七巡视组对西安科技大学党委开展了常规巡视。")
    meta = notice.metadata
    assert (meta.agency, meta.province, meta.city, meta.level) == ("西安科技大学", "陕西省", None, "province")


def test_a_street_or_township_name_gives_no_province():
    notice = parse(
        "张范街道社区卫生服务中心关于十一届区委第九轮巡察整改进展情况的通报\n"
        "根据区委统一部署,区委第六巡察组对我中心(原张范镇中心卫生院)开展了常规巡察。"
    )
    meta = notice.metadata
    assert (meta.province, meta.city, meta.county) == (None, None, None)
    assert meta.level == "township"
    assert meta.inspection_round == "十一届区委第九轮"


def test_a_ministry_inspected_by_a_central_team_is_central_with_no_region():
    notice = parse(
        "中共教育部党组关于十九届中央第七轮巡视整改进展情况的通报\n"
        "根据中央统一部署,2021年5月8日至7月5日,中央第三巡视组对教育部党组开展了常规巡视。2021年9月2日,中央巡视组向教育部党组反馈了巡视意见。"
    )
    meta = notice.metadata
    assert (meta.agency, meta.level, meta.province) == ("教育部", "central", None)
    assert (meta.inspection_kind, meta.inspector, meta.inspection_round) == ("巡视", "中央第三巡视组", "十九届中央第七轮")
    assert meta.feedback_date == dt.date(2021, 9, 2)


def test_a_township_under_a_city_without_counties_is_a_township():
    notice = parse("中共中山市古镇镇委员会关于十五届市委第六轮巡察整改进展情况的通报\n根据市委统一部署,现将巡察整改进展情况予以公布。")
    meta = notice.metadata
    assert (meta.agency, meta.province, meta.city, meta.county, meta.level) == ("中山市古镇镇", "广东省", "中山市", None, "township")


def test_the_signature_date_wins_over_the_pages_publish_date():
    notice = parse("发布日期: 2024-10-25\n根据省委统一部署,现将整改情况予以公布。\n中共某某局党组\n2024年10月20日")
    assert notice.metadata.publish_date == dt.date(2024, 10, 20)


def test_the_pages_publish_date_stands_in_when_there_is_no_signature():
    notice = parse("中共某某局党组关于巡视整改进展情况的通报\n发布时间:2026-01-08  访问次数:424\n根据省委统一部署,现将整改情况予以公布。")
    assert notice.metadata.publish_date == dt.date(2026, 1, 8)


def test_a_title_without_an_issuer_gives_a_null_issuer():
    notice = parse("学院“三重一大”决策制度落实情况的通报\n2024年10月28日至11月10日,校党委巡察办专项巡察组对我院党委开展专项巡察。")
    meta = notice.metadata
    assert (meta.title, meta.issuer, meta.province) == ("学院“三重一大”决策制度落实情况的通报", None, None)
    assert (meta.inspector, meta.inspection_form) == ("校党委巡察办专项巡察组", "专项巡察")


def test_a_traditional_notice_gives_the_same_metadata_printed_in_traditional():
    notice = parse(
        "中共某某縣民政局黨組關於縣委巡察整改進展情況的通報\n"
        "根據縣委統一部署,2024年3月4日至4月26日,縣委第一巡察組對縣民政局黨組開展了巡察,6月5日,縣委第一巡察組向縣民政局黨組回饋了巡察意見。\n"
        "中共某某縣民政局黨組\n2024年12月30日"
    )
    meta = notice.metadata
    assert (meta.issuer, meta.inspector, meta.inspection_kind) == ("中共某某縣民政局黨組", "縣委第一巡察組", "巡察")
    assert (meta.inspection_start, meta.inspection_end, meta.feedback_date, meta.publish_date) == (
        dt.date(2024, 3, 4), dt.date(2024, 4, 26), dt.date(2024, 6, 5), dt.date(2024, 12, 30),
    )


def test_a_company_notice_with_a_chinese_numeral_date_and_an_attachment_line():
    notice = parse(
        "中共某某集团有限公司党委关于巡察整改情况的通报\n"
        "根据集团党委统一部署,集团党委第一巡察组自2024年3月4日起至4月26日对某某分公司党委开展了巡察,反馈会于2024年6月5日召开。\n"
        "二、巡察反馈问题整改情况\n（一）党的建设方面\n反馈问题1:理论学习不深入。\n【整改情况】一是制定学习计划。二是开展专题研讨3次。\n"
        "反馈问题2:组织生活不规范。\n【整改情况】规范“三会一课”。\n附件:1.巡察整改落实情况台账\n"
        "中共某某集团有限公司党委\n二〇二四年十二月三十日"
    )
    meta = notice.metadata
    assert meta.inspector == "集团党委第一巡察组"
    assert (meta.inspection_start, meta.inspection_end, meta.feedback_date, meta.publish_date) == (
        dt.date(2024, 3, 4), dt.date(2024, 4, 26), dt.date(2024, 6, 5), dt.date(2024, 12, 30),
    )
    assert [(i.category, i.label, i.title) for i in notice.issues] == [
        ("党的建设方面", "1", "理论学习不深入"), ("党的建设方面", "2", "组织生活不规范"),
    ]
    assert [m.text for m in notice.issues[1].measures] == ["规范“三会一课”。"]
    assert notice.warnings == ()


def test_a_web_capture_with_a_navigation_menu_above_the_title_keeps_title_and_opening():
    notice = parse(
        "首页\n机构概况\n政务公开\n新闻中心\n互动交流\n专题专栏\n当前位置：首页 > 政务公开 > 通知公告\n"
        "中共某某市交通运输局党组关于市委巡察整改进展情况的通报\n来源：市交通运输局 发布时间：2024-09-03 10:20\n"
        "根据市委统一部署,2024年3月11日至5月10日,市委第二巡察组对市交通运输局党组开展了常规巡察。"
        "6月20日,市委巡察组向市交通运输局党组反馈了巡察意见。\n"
        "一、整改工作总体情况\n局党组高度重视,坚持问题导向。\n二、反馈问题整改落实情况\n"
        "（一）关于“落实全面从严治党主体责任不到位”问题\n整改情况：一是制定责任清单。二是召开专题会议3次。"
    )
    meta = notice.metadata
    assert meta.title == "中共某某市交通运输局党组关于市委巡察整改进展情况的通报"
    assert (meta.inspection_start, meta.feedback_date, meta.publish_date) == (
        dt.date(2024, 3, 11), dt.date(2024, 6, 20), dt.date(2024, 9, 3),
    )
    assert [i.title for i in notice.issues] == ["关于“落实全面从严治党主体责任不到位”问题"]


def test_a_letterhead_above_a_title_that_starts_with_guanyu_is_the_issuer():
    notice = parse(
        "中共某某县委员会\n关于县委第三巡察组反馈意见整改情况的通报\n（2024年1月9日）\n"
        "根据县委统一部署,2023年9月4日至10月27日,县委第三巡察组对县委办公室开展了巡察。\n"
    )
    meta = notice.metadata
    assert (meta.title, meta.issuer) == ("关于县委第三巡察组反馈意见整改情况的通报", "中共某某县委员会")
    assert meta.publish_date == dt.date(2024, 1, 9)


def test_an_issuer_at_the_start_of_a_title_without_guanyu_is_read():
    notice = parse("某某县人民医院党委巡察整改情况的通报\n根据县委统一部署,县委第一巡察组对县人民医院党委开展了巡察。")
    assert (notice.metadata.issuer, notice.metadata.agency) == ("某某县人民医院党委", "某某县人民医院")


def test_a_title_that_starts_with_guanyu_names_no_issuer_even_if_it_mentions_a_party_committee():
    notice = parse("关于落实市委第一巡察组对某某党委反馈意见整改情况的通报\n根据市委统一部署,现将整改情况予以公布。")
    assert notice.metadata.issuer is None


def test_a_centrally_inspected_unit_keeps_the_province_its_name_states():
    notice = parse("中共中山大学委员会关于十九届中央第九轮巡视整改进展情况的通报\n根据中央统一部署,中央第十巡视组对中山大学党委开展了巡视。")
    meta = notice.metadata
    assert (meta.agency, meta.province, meta.city, meta.level) == ("中山大学", "广东省", None, "central")
