"""One number everywhere: what a problem is, undated notices in every chart, chart titles a
screen reader can say, the admin list, open-data links, DEBUG=0 without collectstatic."""
from __future__ import annotations

import os
import re
import subprocess
import sys
from html import unescape
from pathlib import Path

import pytest
from django.urls import reverse

from notices import write
from notices.ingest import _summary as describe_parse
from notices.models import Issue, Measure, Notice
from notices.parsing import parse_notice

pytestmark = pytest.mark.django_db

ROOT = Path(__file__).resolve().parent.parent
GOLD_PROBLEMS = {"000": 16, "001": 18, "002": 10, "003": 13, "004": 39}  # the gold parses' leaves


def seed(prefix: str) -> Notice:
    return Notice.objects.get(source__filename__startswith=prefix)


def text_of(html: str) -> str:
    return unescape(re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", html)))


def page(client, url: str) -> str:
    response = client.get(url)
    assert response.status_code == 200, url
    return response.content.decode()


def test_a_problem_is_a_leaf_as_the_gold_counts_it():
    for prefix, expected in GOLD_PROBLEMS.items():
        assert Issue.objects.problems().filter(notice=seed(prefix)).count() == expected, prefix
    # Seed 000 has headings over sub-problems: they are categories, not problems.
    assert Issue.objects.filter(notice=seed("000")).count() > GOLD_PROBLEMS["000"]


def test_a_heading_that_lists_its_own_measures_beside_its_sub_problems_is_a_problem():
    notice = seed("000")
    heading = Issue.objects.filter(notice=notice, children__isnull=False).first()
    assert heading is not None and not heading.measures.exists()
    measure = Measure(issue=heading, notice=notice, position=0, text="建立工作台账。")
    write.fill_tree([], [measure])
    measure.save()
    try:
        assert Issue.objects.problems().filter(notice=notice).count() == GOLD_PROBLEMS["000"] + 1
    finally:
        measure.delete()


def test_every_page_states_the_same_number_of_problems(client):
    total = sum(GOLD_PROBLEMS.values())
    notice = seed("000")
    assert f"{total}</strong> 个问题" in page(client, reverse("notices:home"))
    stats = text_of(page(client, reverse("notices:statistics")))
    assert f"{total} 个问题" in stats
    detail = text_of(page(client, notice.get_absolute_url()))
    assert "问题 16 个" in detail and "16 个问题" in detail and "24" not in re.findall(r"问题 (\d+) 个", detail)
    listing = text_of(page(client, reverse("notices:list") + "?q=" + "民政"))
    assert "问题 16 个" in listing
    agency = text_of(page(client, reverse("notices:agency", args=[notice.agency_id])))
    assert "问题 16 个" in agency


def test_the_ingest_line_counts_problems_as_the_pages_do():
    path = next((ROOT / "samples").glob("000_*"))
    assert describe_parse(parse_notice(path.read_bytes(), path.name)).startswith("16 issues")


def test_the_admin_list_counts_problems_as_the_pages_do(admin_client):
    html = page(admin_client, reverse("admin:notices_notice_changelist"))
    cells = re.findall(r'<td class="field-problem_count">(\d+)</td>', html)
    assert sorted(map(int, cells)) == sorted(GOLD_PROBLEMS.values())


def test_undated_notices_and_their_problems_have_a_column_in_every_timeline(client):
    undated = seed("003")
    assert undated.publish_date is None
    html = page(client, reverse("notices:statistics"))
    titles = [unescape(t) for t in re.findall(r"<title id=\"[^\"]+\">([^<]+)</title>", html)]
    notices_title = next(t for t in titles if t.startswith("各年发布的通报数"))
    problems_title = next(t for t in titles if t.startswith("各年通报所列问题数"))
    assert "共 5 份" in notices_title and "日期不详：1 份" in notices_title
    assert f"共 {sum(GOLD_PROBLEMS.values())} 个" in problems_title
    assert f"日期不详：{GOLD_PROBLEMS['003']} 个" in problems_title
    assert "year=none" in html  # the undated column links to the undated notices
    assert "日期不详" in text_of(page(client, reverse("notices:home")))
    matrix = html[html.index('id="matrix-year-heading"'):]
    assert "日期不详" in text_of(matrix.split("</table>")[0])


def test_chart_titles_keep_each_year_apart_from_its_count(client):
    html = page(client, reverse("notices:home"))
    title = unescape(re.search(r'<title id="home-years-title">([^<]+)</title>', html).group(1))
    assert re.search(r"20\d\d年：\d+ 份", title), title
    assert not re.search(r"20\d\d\d", title), title


def test_the_admin_list_puts_undated_notices_last_newest_or_oldest_first(admin_client):
    url = reverse("admin:notices_notice_changelist")
    for order in ("", "?o=-5", "?o=5"):  # the default (newest first), then by the date column both ways
        html = page(admin_client, url + order)
        rows = re.findall(r'<td class="field-publish_date[^"]*">([^<]*)</td>', html)
        assert len(rows) == 5 and rows[-1] == "-", (order, rows)


def test_the_admin_list_keeps_a_province_on_one_line(admin_client):
    html = page(admin_client, reverse("admin:notices_notice_changelist"))
    assert re.search(r"\.field-province[^{]*\{[^}]*white-space: nowrap", html)


def test_every_page_links_the_open_data_and_the_about_page_explains_it(client):
    footer = page(client, reverse("notices:home")).split('<footer class="site-footer">')[1]
    for name in ("api:root", "api:docs", "opendata:notices-csv", "opendata:problems-csv", "opendata:feed"):
        assert f'href="{reverse(name)}' in footer, name
    about = page(client, reverse("notices:about"))
    for name in ("api:root", "api:docs", "opendata:notices-csv", "opendata:feed"):
        assert f'href="{reverse(name)}' in about, name
    assert "不算问题" in text_of(about)  # what a problem is, said once


def test_dev_settings_serve_pages_with_debug_off_without_collectstatic(tmp_path):
    env = dict(os.environ, DJANGO_SETTINGS_MODULE="archive.settings.dev", DEBUG="0",
               STATIC_ROOT=str(tmp_path / "never-collected"))
    script = ("import django; django.setup(); from django.template.loader import render_to_string; "
              "print(render_to_string('404.html'))")
    done = subprocess.run([sys.executable, "-c", script], cwd=ROOT, env=env, capture_output=True, text=True)
    assert done.returncode == 0, done.stderr[-2000:]
    assert "/static/css/archive.css" in done.stdout


def test_dev_py_says_up_takes_an_address():
    done = subprocess.run([sys.executable, str(ROOT / "dev.py")], capture_output=True, text=True)
    assert "up [ADDRESS]" in done.stderr
    assert "dev.py up 0.0.0.0:8000" in (ROOT / "README.md").read_text() and "STATIC_ROOT" in (ROOT / "README.md").read_text()


def test_the_problem_search_counts_problems_with_or_without_words(client):
    browsing = text_of(page(client, reverse("notices:problems")))
    assert f"共 {sum(GOLD_PROBLEMS.values())} 个问题" in browsing
    searching = text_of(page(client, reverse("notices:problems") + "?q=低保"))
    found = re.search(r"共 (\d+) 个问题（出自 (\d+) 份通报）", searching)
    assert found, searching[:400]
    expected = [i for i in Issue.objects.problems() if "低保" in i.fold_text]
    assert int(found.group(1)) == len(expected)
    assert int(found.group(2)) == len({i.notice_id for i in expected})
