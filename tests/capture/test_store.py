"""Capturing addresses into the archive: notices, trees and provenance stored; failures change nothing."""
from __future__ import annotations

import pytest

from notices.models import Capture
from notices.capture.store import capture
from notices.capture.warc import responses_in
from notices.models import Notice, SourceFile

from .site import gold

pytestmark = pytest.mark.usefixtures("empty_archive")


def counts():
    return Notice.all_objects.count(), SourceFile.objects.count(), Capture.objects.count()


@pytest.mark.parametrize("path, sample", [("/utf8/notice.html", 0), ("/gbk/notice.html", 1)])
def test_a_government_page_becomes_a_notice_with_its_provenance(fresh_site, fetcher, path, sample):
    result = capture(fresh_site.url(path), fetcher)

    assert result.outcome == "new", result
    notice = Notice.objects.get(pk=result.notice_id)
    assert (notice.title, notice.agency_name) == (gold(sample)["title"], gold(sample)["agency"])
    assert notice.issues.exists() and notice.measures.exists()
    assert notice.format == "html"
    assert bytes(notice.source.data) == fresh_site.pages[path].body  # the page exactly as served
    (kept,) = notice.captures.all()
    assert (kept.role, kept.url, kept.final_url, kept.status) == ("main", fresh_site.url(path), fresh_site.url(path), 200)
    assert kept.page_id == notice.source_id and kept.attachment is None
    assert kept.source_json()["retrieved_at"].endswith("Z")
    # The WARC replays what came back, byte for byte.
    assert responses_in(bytes(kept.warc.data)) == [(fresh_site.url(path), 200, fresh_site.pages[path].body)]


def test_the_user_agent_names_the_archive_and_its_contact(fresh_site, settings):
    from notices.capture.fetch import Fetcher

    settings.ARCHIVE_CAPTURE_CONTACT = "mailto:archivist@example.org"
    with Fetcher() as fetcher:
        capture(fresh_site.url("/utf8/notice.html"), fetcher)
    assert set(fresh_site.user_agents) == {"RectificationNoticeArchive/1.0 (+mailto:archivist@example.org)"}


def test_capturing_the_same_address_again_writes_nothing(fresh_site, fetcher):
    first = capture(fresh_site.url("/utf8/notice.html"), fetcher)
    before = counts()

    again = capture(fresh_site.url("/utf8/notice.html"), fetcher)

    assert again.outcome == "unchanged" and again.notice_id == first.notice_id
    assert counts() == before


def test_a_redirect_chain_is_followed_and_every_hop_recorded(fresh_site, fetcher):
    result = capture(fresh_site.url("/old/notice"), fetcher)

    assert result.outcome == "new", result
    kept = Capture.objects.get(notice_id=result.notice_id)
    assert kept.url == fresh_site.url("/old/notice")
    assert kept.final_url == fresh_site.url("/news/2024/notice-004.html")
    hops = [(url, status) for url, status, _ in responses_in(bytes(kept.warc.data))]
    assert hops == [(fresh_site.url("/old/notice"), 302), (fresh_site.url("/moved/"), 301),
                    (fresh_site.url("/news/2024/notice-004.html"), 200)]
    # Asked again by its final address, it is the same capture.
    assert capture(kept.final_url, fetcher).outcome == "unchanged"


def test_a_503_is_retried_and_then_captured(fresh_site, fetcher):
    result = capture(fresh_site.url("/flaky.html"), fetcher)

    assert result.outcome == "new", result
    assert fresh_site.hits["/flaky.html"] == 2


@pytest.mark.parametrize("path, reason, words", [
    ("/missing.html", "not_found", "404"),
    ("/private/notice.html", "robots", "robots.txt 不允许"),
    ("/huge.html", "too_large", "文件过大"),
    ("/huge-unsized.html", "too_large", "文件过大"),
    ("/loop", "redirects", "跳转次数过多"),
    ("ftp://example.org/notice.html", "bad_url", "不是有效的网址"),
])
def test_a_failed_fetch_says_why_and_stores_nothing(fresh_site, fetcher, settings, path, reason, words):
    settings.ARCHIVE_MAX_UPLOAD_BYTES = 100_000
    from notices.capture.fetch import Fetcher

    with Fetcher() as small:
        result = capture(fresh_site.url(path) if path.startswith("/") else path, small)

    assert (result.outcome, result.reason) == ("failed", reason), result
    assert words in result.message and result.message.endswith("。")
    assert counts() == (0, 0, 0)
    if path == "/private/notice.html":
        assert fresh_site.hits[path] == 0  # never asked for


def test_a_response_slower_than_the_timeout_is_retried_a_bounded_number_of_times(fresh_site):
    from notices.capture.fetch import Fetcher, FetchPolicy

    with Fetcher(FetchPolicy.from_settings(timeout=0.3, retries=1, backoff=0.01)) as impatient:
        result = capture(fresh_site.url("/slow.html"), impatient)

    assert (result.outcome, result.reason) == ("failed", "timeout"), result
    assert "时间超时" in result.message
    assert fresh_site.hits["/slow.html"] == 2
    assert counts() == (0, 0, 0)


@pytest.mark.parametrize("path, attachment, sample, fmt", [
    ("/docx/notice.html", "/files/2024/tongbao.docx", 2, "docx"),
    ("/pdf/notice.html", "/files/2024/tongbao.pdf", 3, "pdf"),
])
def test_a_lead_in_page_gives_the_notice_in_its_attachment_and_both_are_kept(fresh_site, fetcher, path, attachment,
                                                                             sample, fmt):
    result = capture(fresh_site.url(path), fetcher)

    assert result.outcome == "new", result
    assert "附件" in result.message
    notice = Notice.objects.get(pk=result.notice_id)
    assert notice.format == fmt and notice.agency_name == gold(sample)["agency"]
    assert notice.issues.count() >= 3
    assert bytes(notice.source.data) == fresh_site.pages[attachment].body
    kept = notice.captures.get()
    assert kept.attachment_id == notice.source_id and kept.attachment_url == fresh_site.url(attachment)
    assert bytes(kept.page.data) == fresh_site.pages[path].body
    assert [url for url, _, _ in responses_in(bytes(kept.warc.data))] == [fresh_site.url(path), fresh_site.url(attachment)]
    assert kept.source_json()["attachment_url"] == fresh_site.url(attachment)


def test_an_attachment_the_archive_cannot_read_is_kept_and_named(fresh_site, fetcher):
    result = capture(fresh_site.url("/wps/notice.html"), fetcher)

    # The lead-in page alone is no notice: nothing is stored, and the report says what to do.
    assert (result.outcome, result.reason) == ("failed", "parse")
    assert fresh_site.url("/files/2024/tongbao.wps") in result.message and "另存为 .docx" in result.message
    assert counts() == (0, 0, 0)


def test_a_changed_page_becomes_a_new_version_and_keeps_the_old_one(fresh_site, fetcher):
    from notices.capture.versions import versions_of

    first = capture(fresh_site.url("/utf8/notice.html"), fetcher)
    page = fresh_site.pages["/utf8/notice.html"]
    old_body = page.body
    page.body = page.body.replace("整改".encode(), "整治".encode(), 1).replace(b"</p>", "（已更新）</p>".encode(), 3)

    second = capture(fresh_site.url("/utf8/notice.html"), fetcher)

    assert second.outcome == "updated" and second.notice_id == first.notice_id, second
    notice = Notice.objects.get(pk=first.notice_id)
    assert bytes(notice.source.data) == page.body
    older, newer = notice.captures.order_by("retrieved_at", "id")
    assert bytes(older.page.data) == old_body and older.snapshot["issues"]
    versions = versions_of(notice)
    assert [v.current for v in versions] == [True, False]
    assert Notice.all_objects.count() == 1
    assert capture(fresh_site.url("/utf8/notice.html"), fetcher).outcome == "unchanged"


def test_the_same_notice_reposted_in_other_chrome_becomes_a_second_source_of_one_notice(fresh_site, fetcher):
    original = capture(fresh_site.url("/utf8/notice.html"), fetcher)

    repost = capture(fresh_site.url("/repost/000.html"), fetcher)

    assert repost.outcome == "linked" and repost.notice_id == original.notice_id, repost
    assert "相似度" in repost.message
    assert Notice.all_objects.count() == 1
    other = Capture.objects.get(role="copy")
    assert other.notice_id == original.notice_id and 0.7 <= other.similarity <= 1
    assert bytes(other.page.data) == fresh_site.pages["/repost/000.html"].body
    # Its own address is remembered: captured again, nothing is written.
    assert capture(fresh_site.url("/repost/000.html"), fetcher).outcome == "unchanged"


def test_a_new_version_keeps_the_archivists_corrections(fresh_site, fetcher, archivist):
    from notices import corrections

    first = capture(fresh_site.url("/gbk/notice.html"), fetcher)
    notice = Notice.objects.get(pk=first.notice_id)
    before = corrections.snapshot(notice, corrections.NOTICE_FIELDS)
    notice.title = "人工更正的标题"
    corrections.record_notice_fields(notice, before, archivist)
    notice.save()
    page = fresh_site.pages["/gbk/notice.html"]
    page.body = page.body.replace("</p>".encode("gbk"), "（复查）</p>".encode("gbk"), 2)

    assert capture(fresh_site.url("/gbk/notice.html"), fetcher).outcome == "updated"

    notice.refresh_from_db()
    assert notice.title == "人工更正的标题" and bytes(notice.source.data) == page.body
