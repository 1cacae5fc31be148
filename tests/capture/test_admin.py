"""按网址添加 in the admin: an address goes through the same preview -> save as an upload; near copies ask."""
from __future__ import annotations

import pytest
from django.urls import reverse

from notices.models import Capture, Notice, NoticeCopy, PendingUpload
from tests.admin_helpers import page_messages, upload

from .site import SAMPLES

pytestmark = pytest.mark.django_db


def add_by_address(client, *urls: str):
    return client.post(reverse("admin:notices_notice_capture"), {"urls": "\n".join(urls)}, follow=True)


@pytest.mark.usefixtures("empty_archive")
def test_an_address_is_fetched_previewed_and_saved_with_its_provenance(client, archivist, fresh_site):
    response = add_by_address(client, fresh_site.url("/docx/notice.html"))

    pending = PendingUpload.objects.get(owner=archivist)
    page = response.content.decode()
    assert "核对解析结果" in page and fresh_site.url("/docx/notice.html") in page and "通报取自附件" in page
    assert Notice.all_objects.count() == 0 and Capture.objects.count() == 0  # nothing stored before saving

    response = client.post(reverse("admin:notices_pendingupload_change", args=[pending.pk]), {"_save": "1"}, follow=True)

    assert any("已保存" in m for m in page_messages(response))
    kept = Capture.objects.get()
    assert kept.url == fresh_site.url("/docx/notice.html")
    assert kept.attachment_url == fresh_site.url("/files/2024/tongbao.docx")
    assert bytes(kept.notice.source.data) == fresh_site.pages["/files/2024/tongbao.docx"].body
    assert bytes(kept.page.data) == fresh_site.pages["/docx/notice.html"].body
    assert fresh_site.hits["/docx/notice.html"] == 1  # saved from what was fetched, not fetched again
    assert not PendingUpload.objects.exists()


@pytest.mark.usefixtures("empty_archive")
@pytest.mark.parametrize("path, words", [
    ("/missing.html", "404"),
    ("/private/notice.html", "robots.txt 不允许"),
    ("/huge.html", "文件过大"),
])
def test_fetch_errors_are_shown_plainly_and_nothing_is_staged(client, archivist, fresh_site, settings, path, words):
    settings.ARCHIVE_MAX_UPLOAD_BYTES = 100_000
    response = add_by_address(client, fresh_site.url(path))

    (message,) = page_messages(response)
    assert "未能添加" in message and words in message
    assert not PendingUpload.objects.exists() and Capture.objects.count() == 0


def test_a_slow_site_is_reported_as_a_timeout(client, archivist, fresh_site, settings):
    settings.ARCHIVE_CAPTURE_TIMEOUT = 0.3
    settings.ARCHIVE_CAPTURE_RETRIES = 0
    (message,) = page_messages(add_by_address(client, fresh_site.url("/slow.html")))
    assert "时间超时" in message


def test_a_near_copy_upload_names_the_notice_and_the_archivist_links_it(client, archivist):
    seed = Notice.objects.get(source__filename=SAMPLES[0].name)
    data = SAMPLES[0].read_bytes().replace("。".encode(), "。\n".encode(), 3)
    response = upload(client, ("转载.txt", data, "text/plain"))

    page = response.content.decode()
    assert f"与已有通报 #{seed.pk} 相似度" in page and "记为通报" in page and "仍作为新通报保存" in page
    pending = PendingUpload.objects.get(owner=archivist)

    response = client.post(reverse("admin:notices_pendingupload_change", args=[pending.pk]), {"_link": "1"}, follow=True)

    assert any("记为已有通报" in m for m in page_messages(response))
    assert NoticeCopy.objects.get().notice == seed and not Notice.objects.filter(source__filename="转载.txt").exists()


def test_a_near_copy_can_be_kept_apart(client, archivist):
    data = SAMPLES[1].read_bytes() + b"\n\n"
    upload(client, ("另存.txt", data, "text/plain"))
    pending = PendingUpload.objects.get(owner=archivist)
    client.post(reverse("admin:notices_pendingupload_change", args=[pending.pk]), {"_save": "1"})
    assert Notice.objects.filter(source__filename="另存.txt").exists() and not NoticeCopy.objects.exists()
