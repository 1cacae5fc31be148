"""The reading room's main pages at a desktop's 1366 px and a phone's 390 px: axe-core finds
nothing (WCAG 2 A/AA and best practice), nothing is clipped or cut off, and a screenshot of
each is saved in test-results/screenshots/ to look at."""
from __future__ import annotations

from importlib.resources import files

import pytest
from django.urls import reverse

from notices.models import Notice

from .conftest import PHONE
from .test_reading_room import transactional_db  # noqa: F401  (read-only access to the seeds)

pytestmark = pytest.mark.browser

WIDE = {"width": 1366, "height": 900}
SIZES = {"desktop": WIDE, "phone": PHONE}
AXE = files("axe_playwright_python").joinpath("axe.min.js").read_text(encoding="utf-8")
AXE_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "best-practice"]


def seed(prefix: str) -> Notice:
    return Notice.objects.get(source__filename__startswith=prefix)


def pages() -> dict[str, str]:
    with_headings = seed("000")
    return {
        "home": reverse("notices:home"),
        "search": reverse("notices:list") + "?q=低保",
        "problems": reverse("notices:problems") + "?q=低保",
        "search-topic": reverse("notices:list") + "?topic=elderly",  # the note pointing to the problem search
        "problems-topic": reverse("notices:problems") + "?topic=funeral",
        "search-words": reverse("notices:list") + "?q=台账&scope=measure&match=word",  # 按词匹配 checked
        "statistics": reverse("notices:statistics"),
        "agency": reverse("notices:agency", args=[with_headings.agency_id]),
        "notice": with_headings.get_absolute_url(),
        "agencies": reverse("notices:agency_list"),
        "about": reverse("notices:about"),
        "compare": reverse("notices:compare") + "?level=county&level=city&level=province",
        "compare-choose": reverse("notices:compare"),
    }


def axe_violations(page) -> list[str]:
    page.add_script_tag(content=AXE)
    result = page.evaluate(
        "tags => axe.run(document, {runOnly: {type: 'tag', values: tags}, resultTypes: ['violations']})", AXE_TAGS)
    return [f"{v['id']} ({v['impact']}): {[n['target'] for n in v['nodes']][:4]}" for v in result["violations"]]


@pytest.mark.parametrize("size", SIZES)
def test_the_main_pages_pass_axe_with_no_violation(page, live_server, shoot, size):
    page.set_viewport_size(SIZES[size])
    found = {}
    for name, path in pages().items():
        page.goto(live_server.url + path)
        shoot(page, f"reading-{name}-{size}")
        violations = axe_violations(page)
        if violations:
            found[name] = violations
    assert not found, found


def test_on_a_phone_the_topic_matrix_scrolls_with_its_row_labels_kept_and_a_hint(page, live_server):
    page.set_viewport_size(PHONE)
    page.goto(live_server.url + reverse("notices:statistics"))
    wrap = page.locator("#matrix-province-heading ~ .table-wrap")
    assert wrap.evaluate("el => el.scrollWidth > el.clientWidth")  # five provinces do not fit: it scrolls
    assert wrap.get_attribute("tabindex") == "0" and wrap.get_attribute("role") == "region"
    assert page.locator("#matrix-province-heading ~ .scroll-hint").is_visible()
    label = wrap.locator("tbody th").first
    before = label.bounding_box()["x"]
    wrap.evaluate("el => el.scrollLeft = el.scrollWidth")
    assert abs(label.bounding_box()["x"] - before) < 1  # the row label stays put while the cells scroll
    assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]


def test_on_a_phone_a_comparison_scrolls_sideways_inside_its_tables_only(page, live_server):
    page.set_viewport_size(PHONE)
    provinces = "&".join(f"province={p}" for p in Notice.objects.values_list("province", flat=True).distinct())
    page.goto(live_server.url + reverse("notices:compare") + "?" + provinces)
    assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]
    topics = page.locator("#compare-topics ~ .table-wrap")
    assert topics.evaluate("el => el.scrollWidth > el.clientWidth")  # five provinces do not fit: the table scrolls
    label = topics.locator("tbody th").first
    before = label.bounding_box()["x"]
    topics.evaluate("el => el.scrollLeft = el.scrollWidth")
    assert abs(label.bounding_box()["x"] - before) < 1  # the topic stays beside its numbers


def test_on_a_phone_no_topic_label_is_cut_off(page, live_server):
    page.set_viewport_size(PHONE)
    for path in (reverse("notices:statistics"), reverse("notices:home")):
        page.goto(live_server.url + path)
        cut = page.eval_on_selector_all(
            ".bar-label, .matrix tbody th", "els => els.filter(e => e.scrollWidth > e.clientWidth + 1).map(e => e.textContent)")
        assert cut == [], (path, cut)


def overlaps(a: list[float], b: list[float]) -> bool:
    return a[0] < b[2] - 0.5 and b[0] < a[2] - 0.5 and a[1] < b[3] - 0.5 and b[1] < a[3] - 0.5


def test_timeline_text_is_readable_and_nothing_is_clipped_or_overlapping(page, live_server):
    for size, viewport in SIZES.items():
        page.set_viewport_size(viewport)
        for path in (reverse("notices:home"), reverse("notices:statistics"),
                     reverse("notices:agency", args=[seed("000").agency_id])):
            page.goto(live_server.url + path)
            for chart in page.locator(".chart svg").all():
                drawn = chart.evaluate("""svg => {
                    const box = svg.getBoundingClientRect();
                    const rect = e => { const r = e.getBoundingClientRect(); return [r.left, r.top, r.right, r.bottom]; };
                    return {box: [box.left, box.top, box.right, box.bottom],
                            texts: [...svg.querySelectorAll('text')].map(t => ({text: t.textContent, rect: rect(t),
                                                                                  year: t.classList.contains('year')})),
                            columns: [...svg.querySelectorAll('rect.column')].map(rect)};
                }""")
                box = drawn["box"]
                for t in drawn["texts"]:
                    r = t["rect"]
                    assert r[3] - r[1] >= 11, (size, path, t)  # about 12 px high, never ~6 px
                    assert r[0] >= box[0] - 0.5 and r[1] >= box[1] - 0.5 and r[2] <= box[2] + 0.5 \
                        and r[3] <= box[3] + 0.5, (size, path, t, box)  # inside the drawing: not cut off
                years = [t["rect"] for t in drawn["texts"] if t["year"]]
                assert years, (size, path)
                for i, a in enumerate(years):
                    assert not any(overlaps(a, b) for b in years[i + 1:]), (size, path, a)
                    assert not any(overlaps(a, c) for c in drawn["columns"]), (size, path, a)
