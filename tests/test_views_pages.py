"""The reading room's pages against a real PostgreSQL holding the five seed notices."""
from __future__ import annotations

import gzip
import json
import re
from html import unescape
from urllib.parse import urlencode

import pytest
from django.test import Client, RequestFactory
from django.urls import reverse
from django.views.defaults import server_error

from notices import tokenize
from notices.models import Agency, Issue, Measure, Notice

pytestmark = pytest.mark.django_db

HREF = re.compile(r'href="([^"]*)"')
IDS = re.compile(r'\sid="([^"]+)"')


def seed(prefix: str) -> Notice:
    return Notice.objects.get(source__filename__startswith=prefix)


def get(client: Client, url: str, status: int = 200) -> str:
    response = client.get(url)
    assert response.status_code == status, (url, response.status_code)
    return response.content.decode()


def links(html: str) -> list[str]:
    return [unescape(h) for h in HREF.findall(html)]


def text_of(html: str) -> str:
    return unescape(re.sub(r"<[^>]+>", "", html))


PAGES = [
    ("notices:home", {}, "巡视巡察整改通报库"),
    ("notices:list", {}, "整改通报"),
    ("notices:list", {"q": "低保"}, "低保"),
    ("notices:list", {"q": "社会救助", "scope": "measure"}, "措施"),
    ("notices:list", {"province": "山东省", "sort": "oldest"}, "山东省"),
    ("notices:problems", {}, "按主题浏览问题"),
    ("notices:problems", {"q": "低保"}, "问题检索"),
    ("notices:problems", {"topic": "elderly"}, "养老服务"),
    ("notices:agency_list", {}, "单位一览"),
    ("notices:agency_list", {"name": "民政"}, "民政"),
    ("notices:statistics", {}, "问题按主题"),
    ("notices:statistics", {"level": "county"}, "县级"),
    ("notices:about", {}, "检索语法"),
]


@pytest.mark.parametrize("name, params, expected", PAGES)
def test_every_page_renders_in_chinese(client, name, params, expected):
    html = get(client, reverse(name) + ("?" + urlencode(params) if params else ""))
    assert '<html lang="zh-Hans">' in html
    assert expected in text_of(html)
    assert '<main id="main"' in html and 'class="skip-link"' in html


def test_every_seed_notice_and_agency_page_renders(client):
    for notice in Notice.objects.all():
        html = get(client, notice.get_absolute_url())
        assert text_of(html).count(notice.display_title) >= 1
    for agency in Agency.objects.all():
        assert agency.name in text_of(get(client, reverse("notices:agency", args=[agency.pk])))


def test_no_page_asks_for_anything_outside_the_archive(client):
    for url in ["/", "/notices/?q=低保", seed("004").get_absolute_url(), "/statistics/", "/problems/"]:
        html = get(client, url)
        for attribute in re.findall(r'(?:src|href)="([^"]+)"', html):
            assert not re.match(r"(https?:)?//", attribute), (url, attribute)


def test_home_lists_the_newest_notices_and_counts_the_archive(client):
    html = get(client, "/")
    for notice in Notice.objects.all():
        assert notice.get_absolute_url() in links(html)
    text = text_of(html)
    assert f"{Notice.objects.count()} 份通报" in text
    assert f"{Issue.objects.problems().count()} 个问题" in text
    # The undated seed (003) comes last, not first.
    order = [href for href in links(html) if re.fullmatch(r"/notices/\d+/", href)]
    assert order[-1] == seed("003").get_absolute_url()


def test_every_problem_of_every_seed_is_two_clicks_from_home(client):
    """Home -> the notice -> its table of contents: every problem has an entry that jumps to it."""
    home = get(client, "/")
    for notice in Notice.objects.all():
        assert notice.get_absolute_url() in links(home)
        page = get(client, notice.get_absolute_url())
        anchors = set(IDS.findall(page))
        toc = page[page.index('class="toc"'):page.index('class="outline"')]
        targets = {href[1:] for href in links(toc) if href.startswith("#problem-")}
        assert len(targets) == notice.issues.count() > 0, notice
        assert targets <= anchors


def test_any_problem_is_one_search_away(client):
    """Searching problems for a run of its heading finds it, linked to its anchor in its notice."""
    for issue in Issue.objects.select_related("notice"):
        run = max(re.split(r'["“”「」『』\s]', issue.title), key=len)
        html = get(client, reverse("notices:problems") + "?" + urlencode({"q": f'"{run}"'}))
        anchor = f"{issue.notice.get_absolute_url()}?{urlencode({'q': chr(34) + run + chr(34)})}#problem-{issue.position + 1}"
        assert anchor in links(html), issue.title


def test_seed_000_shows_its_metadata(client):
    text = text_of(get(client, seed("000").get_absolute_url()))
    for fact in ("东营市民政局", "山东省东营市", "市级", "巡察", "市委第六巡察组", "2026年1月9日", "2025年3月21日"):
        assert fact in text, fact


def test_seed_004_outline_has_its_39_problems_with_their_status(client):
    notice = seed("004")
    html = get(client, notice.get_absolute_url())
    assert html.count('class="problem depth-') == 39 == notice.issues.count()
    done = notice.issues.filter(status="done").count()
    progressing = notice.issues.filter(status="in_progress").count()
    assert done + progressing == 39
    outline = html[html.index('class="outline"'):html.index('class="original"')]
    assert outline.count('class="badge done"') == done
    assert outline.count('class="badge in-progress"') == progressing
    assert f"已完成 {done}" in text_of(html) and f"推进中 {progressing}" in text_of(html)


def test_every_measure_has_an_anchor_and_categories_are_numbered(client):
    notice = seed("000")
    html = get(client, notice.get_absolute_url())
    anchors = IDS.findall(html)
    assert len(anchors) == len(set(anchors)), "anchors are unique"
    assert len([a for a in anchors if a.startswith("measure-")]) == Measure.objects.filter(notice=notice).count()
    categories = {i.category for i in notice.issues.all() if i.category}
    assert len([a for a in anchors if a.startswith("category-")]) == len(categories)
    assert "一、" in text_of(html)


def test_the_original_text_is_shown_paragraph_by_paragraph_beside_the_outline(client):
    notice = seed("002")
    html = get(client, notice.get_absolute_url())
    lines = [line for line in notice.text.splitlines() if line.strip()]
    assert f'id="line-{len(lines)}"' in html
    original = text_of(html[html.index('class="original"'):html.index('class="related"')])
    assert tokenize.fold(lines[5]) in tokenize.fold(original)
    # Each problem links to where it starts in the text, and back.
    assert re.search(r'href="#line-\d+">原文位置', html)
    assert 'class="para-link" href="#problem-' in html


def test_arriving_from_a_search_marks_the_words_on_the_notice_page(client):
    notice = seed("004")
    html = get(client, notice.get_absolute_url() + "?q=" + "养老")
    assert "<mark>养老</mark>" in html
    assert "返回检索结果" in html
    assert get(client, notice.get_absolute_url()).count("<mark>") == 0


def test_the_original_file_downloads_byte_for_byte(client):
    notice = Notice.objects.select_related("source").get(pk=seed("001").pk)
    response = client.get(reverse("notices:original", args=[notice.pk]))
    assert response.status_code == 200
    assert b"".join(response.streaming_content) == bytes(notice.source.data)
    assert "attachment" in response["Content-Disposition"]
    assert notice.get_absolute_url() in get(client, notice.get_absolute_url())
    assert reverse("notices:original", args=[notice.pk]) in get(client, notice.get_absolute_url())


def test_the_notice_json_downloads_with_its_problems(client):
    notice = seed("004")
    html = get(client, notice.get_absolute_url())
    assert reverse("notices:json", args=[notice.pk]) in links(html)
    data = json.loads(client.get(reverse("notices:json", args=[notice.pk])).content)
    assert data["id"] == notice.pk and len(data["issues"]) == notice.issues.filter(parent=None).count()


def test_a_notice_page_links_to_similar_problems_in_other_notices(client):
    notice = seed("004")
    html = get(client, notice.get_absolute_url())
    related = html[html.index('id="similar-heading"'):]
    others = [h for h in links(related) if re.match(r"/notices/\d+/#problem-\d+$", h)]
    assert others and all(not h.startswith(notice.get_absolute_url()) for h in others)
    for href in others:
        path, anchor = href.split("#")
        assert f'id="{anchor}"' in get(client, path)


def test_the_agency_page_shows_its_notices_over_time_and_problems_by_topic(client):
    notice = seed("000")
    agency = notice.agency
    html = get(client, reverse("notices:agency", args=[agency.pk]))
    assert notice.get_absolute_url() in links(html)
    assert "<svg" in html and "问题按主题" in html
    topic_links = [h for h in links(html) if h.startswith("/problems/?") and "topic=" in h]
    assert topic_links and all("agency=" in h for h in topic_links)
    assert reverse("notices:agency", args=[agency.pk]) in links(get(client, notice.get_absolute_url()))


def test_the_agency_list_finds_agencies_by_name(client):
    html = get(client, reverse("notices:agency_list") + "?name=东营")
    assert "东营市民政局" in html and "惠东县民政局" not in html
    assert "没有名称含" in get(client, reverse("notices:agency_list") + "?name=不存在的单位")


def test_statistics_count_problems_by_topic_as_stored(client):
    html = get(client, reverse("notices:statistics"))
    counts: dict[str, int] = {}
    for issue in Issue.objects.problems():
        for slug in issue.topics:
            counts[slug] = counts.get(slug, 0) + 1
    for slug, count in counts.items():
        assert re.search(rf'topic={slug}"[^>]*>.*?<span class="bar-value">{count}<', html, re.S), slug
    assert html.count("<svg") >= 2 and 'class="matrix"' in html


def test_home_and_statistics_are_remembered_only_while_the_archive_is_unchanged(client):
    from django.contrib.auth.models import User

    from notices import corrections

    archivist = User.objects.create_user("archivist", is_staff=True)
    get(client, reverse("notices:statistics"))
    issue = Issue.objects.filter(notice=seed("000")).order_by("position").last()
    issue.title = "殡葬服务收费不规范"  # a change of topics
    corrections.save_issue(issue, archivist)
    test_statistics_count_problems_by_topic_as_stored(client)  # the counts as stored now
    total = Notice.objects.count()
    assert f"{total} 份通报" in text_of(get(client, "/"))
    corrections.move_to_recycle_bin([seed("002")], archivist)
    assert f"{total - 1} 份通报" in text_of(get(client, "/"))


@pytest.mark.parametrize("url", ["/", "/notices/?q=低保", "/problems/?q=台账", "/notices/{pk}/", "/agencies/",
                                 "/statistics/", "/about/"])
def test_a_reader_who_has_the_current_page_gets_a_304(client, url):
    url = url.format(pk=seed("000").pk)
    first = client.get(url)
    assert first.status_code == 200 and first["ETag"] and "no-cache" in first["Cache-Control"]
    again = client.get(url, HTTP_IF_NONE_MATCH=first["ETag"])
    assert again.status_code == 304 and not again.content
    assert client.get(url).content == first.content  # from the cache, the same page
    zipped = client.get(url, HTTP_ACCEPT_ENCODING="gzip, deflate, br")
    assert zipped["Content-Encoding"] == "gzip" and "Accept-Encoding" in zipped["Vary"]
    assert gzip.decompress(zipped.content) == first.content


def test_a_kept_page_changes_as_soon_as_its_notice_does(client):
    notice = seed("001")
    url = f"/notices/{notice.pk}/"
    before = client.get(url)
    assert "第九巡察组" not in text_of(before.content.decode())
    notice.inspector = "第九巡察组"
    notice.save()
    after = client.get(url, HTTP_IF_NONE_MATCH=before["ETag"])
    assert after.status_code == 200 and after["ETag"] != before["ETag"]
    assert "第九巡察组" in text_of(after.content.decode())


def test_an_unknown_notice_gives_a_chinese_404(client):
    for url in ["/notices/999999/", "/agencies/999999/", "/no/such/page/", "/notices/999999/original"]:
        html = get(client, url, status=404)
        assert "找不到这个页面" in html


def test_the_500_page_is_chinese_and_needs_no_request_context():
    response = server_error(RequestFactory().get("/"))
    assert response.status_code == 500
    assert "服务器出错了" in response.content.decode()


def test_a_notice_with_no_metadata_and_no_problems_still_reads_well(client):
    from notices.models import SourceFile

    source = SourceFile.objects.create(sha256="0" * 64, filename="bare.txt", size=12, data=b"bare notice")
    notice = Notice.objects.create(source=source, text="一份没有结构的通报。\n第二段。", format="text", parser_version="test")
    text = text_of(get(client, notice.get_absolute_url()))
    assert "巡视巡察整改进展情况的通报" in text  # the derived title
    assert "还没有整理出问题清单" in text and "第二段" in text
    listed = text_of(get(client, reverse("notices:list")))
    assert "发布日期不详" in listed
    assert get(client, reverse("notices:list") + "?year=none").count(notice.get_absolute_url()) >= 1
    assert get(client, reverse("notices:statistics")) and get(client, "/")


def test_arriving_from_a_search_offers_a_jump_to_the_first_match(client):
    notice = seed("004")
    html = get(client, notice.get_absolute_url() + "?q=" + "低保")
    anchor = re.search(r'href="#([^"]+)">跳到第一处', html).group(1)
    section = html[html.index(f'id="{anchor}"'):]
    assert "<mark>低保</mark>" in section[:section.index("</li>")]
    assert "跳到第一处" not in get(client, notice.get_absolute_url() + "?q=" + "zzzz")
