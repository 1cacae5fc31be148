"""Compare: two to six agencies, provinces, levels or years side by side, its CSV, and the links to it."""
from __future__ import annotations

import csv
import io
import re
from html import unescape
from urllib.parse import parse_qs, urlsplit

import pytest
from django.urls import reverse

from notices.models import Issue, Measure, Notice
from notices.presentation.compare import build_comparison

from .opendata.support import world  # noqa: F401  (the fixture)

pytestmark = pytest.mark.django_db

COMPARE = reverse("notices:compare")


def text_of(html: str) -> str:
    return unescape(re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", html)))


def section(comparison, key):
    return next(s for s in comparison.sections if s.key == key)


def test_each_side_counts_its_own_notices_problems_and_measures():
    levels = ["county", "city", "province"]
    comparison = build_comparison("level", levels)
    overview = {row.label: row.cells for row in section(comparison, "overview").rows}
    for i, level in enumerate(levels):
        notices = Notice.objects.filter(level=level)
        assert overview["通报"][i] == f"{notices.count()} 份"
        assert overview["问题"][i] == f"{Issue.objects.problems().filter(notice__in=notices).count()} 个"
        assert overview["整改措施"][i] == f"{Measure.objects.filter(notice__in=notices).count()} 条"


def test_topics_give_each_sides_count_and_share_of_its_problems():
    comparison = build_comparison("level", ["county", "province"])
    rows = {row.label: row for row in section(comparison, "topics").rows}
    county = Issue.objects.problems().filter(notice__level="county")
    elderly = county.filter(topics__contains=["elderly"]).count()
    assert rows["养老服务"].cells[0] == f"{elderly}（{100 * elderly / county.count():.0f}%）"
    assert "level=county" in rows["养老服务"].urls[0] and "topic=elderly" in rows["养老服务"].urls[0]


def test_the_figures_notices_state_are_summed_with_how_many_state_them():
    stating = Notice.objects.filter(figures__measures_planned__isnull=False).exclude(figures__measures_planned=None)
    notice = stating.first()
    comparison = build_comparison("agency", [notice.agency_name, Notice.objects.exclude(pk=notice.pk).first().agency_name])
    rows = {row.label: row.cells for row in section(comparison, "stated").rows}
    assert rows["通报所说的整改措施数"][0] == f"{notice.figures['measures_planned']} 条（1 份写明）"


def test_time_to_publish_counts_undated_notices_apart():
    undated = Notice.objects.get(source__filename__startswith="003")
    comparison = build_comparison("agency", [undated.agency_name, Notice.objects.exclude(pk=undated.pk)
                                             .exclude(feedback_date=None).exclude(publish_date=None).first().agency_name])
    rows = {row.label: row.cells for row in section(comparison, "timing").rows}
    assert rows["反馈到公布（中位数）"][0] == "日期不全"
    assert re.fullmatch(r"\d+ 天（1 份有日期）", rows["反馈到公布（中位数）"][1])


def test_the_page_is_a_shareable_url_with_a_csv_of_the_same_rows(client):
    url = COMPARE + "?province=广东省&province=山东省"
    html = client.get(url).content.decode()
    assert "比较：广东省 与 山东省" in text_of(html)
    csv_href = unescape(re.search(r'href="([^"]*compare\.csv[^"]*)"', html).group(1))
    assert parse_qs(urlsplit(csv_href).query) == {"province": ["广东省", "山东省"]}
    response = client.get(csv_href)
    assert response["Content-Type"].startswith("text/csv")
    rows = list(csv.reader(io.StringIO(b"".join(response.streaming_content).decode("utf-8-sig"))))
    assert rows[0] == ["部分", "项目", "广东省", "山东省"]
    assert ["概况", "通报", "1 份", "1 份"] in rows
    assert any(r[0] == "从巡察到公布用时" for r in rows)


@pytest.mark.parametrize("query, says", [
    ("province=广东省", "请选择 2 至 6 个省份"),
    ("year=2024&year=2025&year=2026&year=2023&year=2022&year=2021&year=2020", "这里选了 7 个"),
    ("province=广东省&level=city", "一次只能比较一种对象"),
    ("level=city&level=galaxy", "层级只能是"),
    ("year=2024&year=abc", "年份请写四位数字"),
])
def test_a_wrong_choice_is_explained_in_chinese_with_the_chooser(client, query, says):
    response = client.get(COMPARE + "?" + query)
    assert response.status_code == 400
    html = response.content.decode()
    assert says in text_of(html) and 'class="compare-form"' in html


def test_the_chooser_offers_what_the_archive_holds(client):
    html = client.get(COMPARE).content.decode()
    assert 'name="province" value="广东省"' in html and 'name="level" value="county"' in html


def test_compare_is_reachable_from_facets_agency_pages_and_the_menu(client):
    html = client.get(reverse("notices:list") + "?province=广东省&province=山东省").content.decode()
    link = unescape(re.search(r'class="facet-compare"><a href="([^"]+)"', html).group(1))
    assert parse_qs(urlsplit(link).query) == {"province": ["广东省", "山东省"]}
    assert client.get(link).status_code == 200
    one = client.get(reverse("notices:list") + "?province=广东省").content.decode()
    assert "facet-compare" not in one
    assert f'href="{COMPARE}"' in html  # the menu


def test_an_agency_with_peers_links_to_a_comparison_with_them(client, world):
    luhe = world.luhe.agency  # 陆河县民政局: a county bureau in 广东省, as the seed 惠东县民政局
    peer = Notice.objects.get(source__filename__startswith="002").agency
    assert (peer.province, peer.level) == (luhe.province, luhe.level)
    html = client.get(reverse("notices:agency", args=[luhe.pk])).content.decode()
    link = unescape(re.search(r'href="([^"]+)">与同地区同层级单位比较', html).group(1))
    assert parse_qs(urlsplit(link).query)["agency"][:2] == [luhe.name, peer.name]
    compared = text_of(client.get(link).content.decode())
    assert f"比较：{luhe.name} 与 {peer.name}" in compared
