"""A captured notice's page in a real browser: where and when it came from, its WARC, its versions, its other sources."""
from __future__ import annotations

import pytest

from tests.capture.site import LocalSite, Page, news_repost

from ..conftest import SEED_FILES
from .conftest import SCREENSHOTS

pytestmark = pytest.mark.browser


@pytest.fixture(scope="module", autouse=True)
def seeds_put_back(django_db_blocker):
    """live_server's test empties every table when it ends: put back the seeds the other tests expect."""
    yield
    from notices.ingest import ingest_bytes

    with django_db_blocker.unblock():
        for path in SEED_FILES:
            ingest_bytes(path.read_bytes(), path.name, "text/plain")


def test_a_captured_notice_shows_its_source_versions_and_other_sources(page, live_server):
    from notices.capture.fetch import Fetcher
    from notices.capture.store import capture
    from notices.models import Notice

    Notice.all_objects.all().delete()
    with LocalSite() as site, Fetcher() as fetcher:
        first = capture(site.url("/gbk/notice.html"), fetcher)
        changed = site.pages["/gbk/notice.html"]
        measure = Notice.objects.get(pk=first.notice_id).measures.order_by("issue__position", "position").first()
        changed.body = changed.body.replace(measure.text[:10].encode("gbk"), "已于复查时改写".encode("gbk"), 1)
        assert capture(site.url("/gbk/notice.html"), fetcher).outcome == "updated"
        site.pages["/repost/001.html"] = Page(news_repost(1))
        assert capture(site.url("/repost/001.html"), fetcher).outcome == "linked"
        notice = Notice.objects.get(pk=first.notice_id)
        warc = bytes(notice.captures.filter(role="main").order_by("-retrieved_at").first().warc.data)

    page.goto(live_server.url + notice.get_absolute_url())
    panel = page.locator("#provenance")
    assert panel.locator("a.source-url").first.get_attribute("href") == site.url("/gbk/notice.html")
    assert "抓取时间" in panel.inner_text() and "（当前版本）" in panel.inner_text()
    assert site.url("/repost/001.html") in panel.inner_text() and "相似度" in panel.inner_text()
    panel.locator("details summary").first.click()
    assert panel.locator(".version-diff li.added").first.is_visible()
    with page.expect_download() as download:
        panel.locator("text=下载 WARC 文件").click()
    assert open(download.value.path(), "rb").read() == warc
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    panel.screenshot(path=str(SCREENSHOTS / "capture-provenance.png"))
    page.locator(".metadata-panel").screenshot(path=str(SCREENSHOTS / "capture-metadata.png"))
