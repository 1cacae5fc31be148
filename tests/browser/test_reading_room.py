"""A reader's paths through the reading room, in a real browser: search, facets, a notice, its outline,
its original file, the find box, a phone screen, the keyboard."""
from __future__ import annotations

import re
from urllib.parse import parse_qs, urlsplit

import pytest
from playwright.sync_api import expect

from notices.models import Issue, Notice

from .conftest import PHONE

pytestmark = pytest.mark.browser


@pytest.fixture
def transactional_db(django_db_setup, django_db_blocker):
    """What live_server asks for here, without the flush that ends a transactional test.

    pytest-django's transactional_db empties every table after the test, which would take the
    seeds ingested once per session away from the tests that run later. These tests only read,
    so they get plain committed access to the seeded database instead (this module only: a
    browser test that writes keeps pytest-django's own fixture and its flush).
    """
    django_db_blocker.unblock()
    yield
    django_db_blocker.restore()


def seed(prefix: str) -> Notice:
    return Notice.objects.select_related("source").get(source__filename__startswith=prefix)


def in_viewport(page, selector: str) -> bool:
    """Whether the element is (or, once smooth scrolling ends, comes) into view."""
    page.wait_for_function(
        """(sel) => { const el = document.querySelector(sel); if (!el) return false;
                      const r = el.getBoundingClientRect(); return r.bottom > 0 && r.top < window.innerHeight; }""",
        arg=selector, timeout=5_000,
    )
    return True


def query_of(page) -> dict[str, list[str]]:
    return parse_qs(urlsplit(page.url).query)


def test_search_from_home_then_toggle_a_facet_and_remove_it(page, live_server, shoot):
    page.goto(live_server.url + "/")
    shoot(page, "home-desktop")
    page.get_by_label("检索通报、问题或单位").fill("低保")
    page.keyboard.press("Enter")
    page.wait_for_url(re.compile(r"/notices/\?"))
    assert query_of(page)["q"] == ["低保"]
    assert page.locator(".results > li").count() > 0
    assert page.locator(".results mark").first.inner_text() == "低保"
    shoot(page, "search-desktop")

    province = page.locator("#facet-province + ul .facet-value").first
    name = province.locator(".facet-label").inner_text()
    count = int(province.locator(".facet-count").inner_text().split()[0])
    province.click()
    page.wait_for_url(re.compile("province="))
    assert query_of(page)["province"] == [name]
    assert page.locator(".results > li").count() == count
    chip = page.locator(".chip", has_text=name)
    assert chip.count() == 1
    chip.click()
    page.wait_for_url(lambda url: "province=" not in url)
    assert "province" not in query_of(page) and query_of(page)["q"] == ["低保"]


def test_open_a_notice_and_jump_through_its_outline(page, live_server, shoot):
    notice = seed("004")
    page.goto(live_server.url + "/notices/?q=" + "低保")
    page.locator(f'.result-title a[href^="/notices/{notice.pk}/"]').click()
    page.wait_for_url(re.compile(rf"/notices/{notice.pk}/\?q="))
    assert page.locator(".original mark").count() > 0
    shoot(page, "notice-desktop")

    entry = page.locator('.toc a[href="#problem-12"]')
    entry.click()
    assert page.url.endswith("#problem-12")
    assert in_viewport(page, "#problem-12")
    page.locator("#problem-12 .problem-tools a", has_text="原文位置").click()
    target = page.url.split("#")[1]
    assert target.startswith("line-") and in_viewport(page, f"#{target}")
    # Every problem of the notice is in the table of contents.
    assert page.locator('.toc a[href^="#problem-"]').count() == notice.issues.count()


def test_download_the_original_file_byte_for_byte(page, live_server):
    notice = seed("000")
    page.goto(live_server.url + notice.get_absolute_url())
    with page.expect_download() as info:
        page.get_by_role("link", name="下载原文件").click()
    download = info.value
    assert download.suggested_filename == notice.source.filename
    with open(download.path(), "rb") as downloaded:
        assert downloaded.read() == bytes(notice.source.data)


def test_the_find_box_marks_and_steps_through_matches(page, live_server, shoot):
    notice = seed("002")
    page.goto(live_server.url + notice.get_absolute_url())
    box = page.get_by_label("在本通报中查找")
    box.fill("养老")
    page.wait_for_function("document.querySelectorAll('mark.find-hit').length > 0")
    hits = page.locator("mark.find-hit").count()
    counter = page.locator("[data-find-count]")
    expect(counter).to_have_text(f"本页共 {hits} 处")
    box.press("Enter")
    expect(counter).to_have_text(f"第 1 / {hits} 处")
    assert in_viewport(page, "mark.find-current")
    page.get_by_role("button", name="下一处").click()
    expect(counter).to_have_text(f"第 2 / {hits} 处")
    shoot(page, "notice-find-desktop")
    box.press("Escape")
    expect(page.locator("mark.find-hit")).to_have_count(0)
    expect(counter).to_have_text("")


def test_the_find_box_works_across_width_and_space_differences(page, live_server):
    page.goto(live_server.url + seed("004").get_absolute_url())
    page.get_by_label("在本通报中查找").fill("２０２４ 年")  # full-width digits, a space
    page.wait_for_function("document.querySelectorAll('mark.find-hit').length > 0")
    assert "2024年" in page.locator("mark.find-hit").first.inner_text() + page.locator("mark.find-hit").nth(1).inner_text()


def test_a_phone_screen_shows_results_first_and_never_scrolls_sideways(page, live_server, shoot):
    page.set_viewport_size(PHONE)
    notice = seed("000")
    for name, path in [
        ("home-phone", "/"), ("search-phone", "/notices/?q=低保"), ("notice-phone", notice.get_absolute_url()),
        ("problems-phone", "/problems/?q=低保"), ("statistics-phone", "/statistics/"),
        ("agency-phone", f"/agencies/{notice.agency_id}/"),
    ]:
        page.goto(live_server.url + path)
        width = page.evaluate("document.documentElement.scrollWidth")
        assert width <= PHONE["width"], (path, width)
        shoot(page, name)
    page.goto(live_server.url + "/notices/?q=低保")
    results = page.locator(".browse-results").bounding_box()
    facets = page.locator(".facets").bounding_box()
    assert facets["y"] > results["y"]
    page.get_by_role("link", name=re.compile("^筛选")).click()
    assert in_viewport(page, "#facets")
    page.goto(live_server.url + notice.get_absolute_url())
    assert page.locator(".toc details").get_attribute("open") is None  # closed on a phone
    page.locator(".toc summary").click()
    page.locator('.toc a[href="#problem-2"]').click()
    assert in_viewport(page, "#problem-2")


def test_the_keyboard_reaches_the_content_first_and_focus_is_visible(page, live_server):
    page.goto(live_server.url + "/notices/?q=低保")
    page.keyboard.press("Tab")
    assert page.evaluate("document.activeElement.className") == "skip-link"
    assert page.evaluate("getComputedStyle(document.activeElement).top") != "-64px"
    page.keyboard.press("Enter")
    page.keyboard.press("Tab")
    focused = page.evaluate("document.activeElement.closest('main') !== null")
    assert focused
    style = page.evaluate("(() => { const s = getComputedStyle(document.activeElement); return [s.outlineStyle, s.boxShadow]; })()")
    assert style != ["none", "none"]  # an outline, or the search box's focus ring
    page.keyboard.press("Tab")
    page.keyboard.press("Tab")
    assert page.evaluate("getComputedStyle(document.activeElement).outlineStyle") != "none"


def test_pages_load_nothing_from_outside_the_archive(page, live_server, shoot):
    notice = seed("001")
    for path in ["/", "/notices/?q=殡葬", notice.get_absolute_url(), "/problems/", "/statistics/",
                 f"/agencies/{notice.agency_id}/", "/agencies/", "/about/"]:
        page.goto(live_server.url + path)
    for name, path in [("problems-desktop", "/problems/?q=低保"), ("statistics-desktop", "/statistics/"),
                       ("agency-desktop", f"/agencies/{notice.agency_id}/"), ("agencies-desktop", "/agencies/")]:
        page.goto(live_server.url + path)
        shoot(page, name)
    outside = [url for url in page.requested if not url.startswith(live_server.url)]
    assert not outside
    assert any(url.endswith(".css") for url in page.requested)


def test_missing_pages_and_empty_searches_explain_what_to_do(page, live_server, shoot):
    response = page.goto(live_server.url + "/notices/999999/")
    assert response.status == 404
    assert "找不到这个页面" in page.inner_text("main")
    shoot(page, "not-found-desktop")
    page.goto(live_server.url + "/notices/?q=低保动态管理不到位&province=江苏省")
    assert "没有找到相符的通报" in page.inner_text("main")
    suggestion = page.locator(".suggestions a").first
    suggestion.click()
    page.wait_for_load_state()
    assert page.locator(".results > li").count() > 0
    shoot(page, "suggestion-followed-desktop")


def test_problem_search_links_each_problem_to_its_place(page, live_server):
    issue = Issue.objects.filter(title__contains="低保").select_related("notice").first()
    page.goto(live_server.url + "/problems/?q=低保")
    link = page.locator(f'.hit-problem a[href*="/notices/{issue.notice_id}/"][href$="#problem-{issue.position + 1}"]')
    link.click()
    assert in_viewport(page, f"#problem-{issue.position + 1}")
    assert page.locator(f"#problem-{issue.position + 1} mark").count() > 0


def test_arriving_from_a_search_the_find_box_steps_through_the_marked_words(page, live_server):
    notice = seed("004")
    page.goto(live_server.url + notice.get_absolute_url() + "?q=" + "低保")
    marks = page.locator("[data-find-scope] mark").count()
    counter = page.locator("[data-find-count]")
    assert marks > 0
    expect(counter).to_have_text(f"本页共 {marks} 处")
    page.get_by_label("在本通报中查找").press("Enter")
    expect(counter).to_have_text(f"第 1 / {marks} 处")
    assert in_viewport(page, "mark.find-current")
    page.get_by_role("button", name="上一处").click()
    expect(counter).to_have_text(f"第 {marks} / {marks} 处")
