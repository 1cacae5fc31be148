"""A photographed notice through the archive: uploaded, previewed beside its page image,
saved through the one write path, shown as OCR text with its doubtful lines marked."""
from __future__ import annotations

import io

import pytest
from django.urls import reverse
from PIL import Image

from notices import ingest
from notices.models import Notice, PendingUpload
from notices.parsing import ocr

from .admin_helpers import page_messages, upload
from .parsing.support import notice_photo

pytestmark = pytest.mark.django_db


@pytest.fixture(scope="module")
def photo():
    return notice_photo()


def test_an_uploaded_photo_is_previewed_page_image_beside_its_text_and_saved(client, archivist, photo):
    upload(client, ("IMG_2041.jpg", photo, "image/jpeg"))
    pending = PendingUpload.objects.get(owner=archivist)
    page = client.get(reverse("admin:notices_pendingupload_change", args=[pending.pk])).content.decode()
    assert "扫描页面与文字识别（OCR）结果" in page and "第 1 页" in page
    assert "按照市委统一部署" in page
    image_url = reverse("admin:notices_pendingupload_page", args=[pending.pk, 1])
    assert image_url in page
    response = client.get(image_url)
    assert response.status_code == 200 and response["Content-Type"] == "image/png"
    shown = Image.open(io.BytesIO(response.content))
    assert shown.width > shown.height  # the photo stored sideways is shown upright, as its EXIF says
    assert client.get(reverse("admin:notices_pendingupload_page", args=[pending.pk, 2])).status_code == 404

    response = client.post(reverse("admin:notices_pendingupload_change", args=[pending.pk]), {"_save": "1"}, follow=True)
    assert any("已保存「IMG_2041.jpg」" in m for m in page_messages(response))
    notice = Notice.objects.get(source__sha256=ingest.sha256_of(photo))
    assert notice.format == "image" and notice.ocr["pages"] == [1] and bytes(notice.source.data) == photo


def test_the_notice_page_says_its_text_is_ocr_and_marks_doubtful_lines(client, photo):
    previous = ocr.configure(low_confidence=1.01)  # every line counts as doubtful
    try:
        result = ingest.ingest_bytes(photo, "IMG_2041.jpg", "image/jpeg", force=True)
    finally:
        ocr.configure(previous)
    notice = Notice.objects.get(pk=result.notice_id)
    assert notice.ocr["doubtful"] and all(line["confidence"] < 1.01 for line in notice.ocr["lines"])
    page = client.get(notice.get_absolute_url()).content.decode()
    assert "正文由文字识别（OCR）从图像中读出" in page
    assert 'class="ocr-doubtful"' in page
