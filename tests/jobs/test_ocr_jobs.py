"""A scan with many pages to OCR, read by a real worker (`manage.py worker`): the admin upload hands it
to a job instead of reading it in the request, the 任务 page follows it page by page, and a cancel
stops it between two pages."""
from __future__ import annotations

import json
import sys
import time

import pytest
from django.urls import reverse

from notices.jobs import queue
from notices.jobs.models import Job, JobState
from notices.models import PendingUpload

from ..admin_helpers import make_user, page_messages, upload
from ..conftest import ROOT
from .support import finish, start_worker


def scan_of(pages: int) -> bytes:
    """An image-only PDF of the tops of seed 000's first pages (title or first paragraphs: a few
    lines each, so that a page is read in about a second and the test stays cheap)."""
    sys.path.insert(0, str(ROOT / "tools"))
    from scans import image_pdf, scan_pages

    pdf = (ROOT / "tests" / "data" / "variants" / "000.pdf").read_bytes()
    images = [image.crop((0, int(image.height * 0.05), image.width, int(image.height * 0.25)))
              for image in scan_pages(pdf, dpi=150, pages=list(range(pages)))]
    return image_pdf(images, 150)


def pages_read(cache) -> int:
    """Pages the worker OCR'd, as its cache (one JSON file per scanned file) records them."""
    return sum(len(json.loads(path.read_text(encoding="utf-8"))["pages"]) for path in cache.rglob("*.json"))


def watch(job: Job, worker) -> list[str]:
    """Every distinct `current` the job's row shows while the worker runs, in order."""
    seen: list[str] = []
    while worker.poll() is None:
        current = Job.objects.values_list("current", flat=True).get(pk=job.pk)
        if current and (not seen or seen[-1] != current):
            seen.append(current)
        time.sleep(0.05)
    return seen


def test_an_uploaded_scan_of_three_pages_is_read_by_a_worker_page_by_page(committed, client, archivist, tmp_path):
    response = upload(client, ("扫描件.pdf", scan_of(3), "application/pdf"))
    job = Job.objects.get(kind="upload")
    assert response.redirect_chain[-1][0] == reverse("admin:notices_job_change", args=[job.pk])
    assert any("「扫描件.pdf」有 3 页需要文字识别" in m and f"任务 #{job.pk}" in m for m in page_messages(response))
    assert not PendingUpload.objects.exists()  # nothing was read in the request

    worker = start_worker("ocr", env={"ARCHIVE_OCR_CACHE": str(tmp_path)})
    seen = watch(job, worker)
    output = finish(worker)
    assert [c for c in seen if "文字识别" in c] == [f"扫描件.pdf：文字识别第 {n}/3 页" for n in (1, 2, 3)], output
    job.refresh_from_db()
    assert job.state == JobState.DONE and job.counts == {"staged": 1}
    pending = PendingUpload.objects.get(owner=archivist)
    assert pending.filename == "扫描件.pdf" and pending.preview["ocr"]["pages"] == [1, 2, 3]
    assert pages_read(tmp_path) == 3


@pytest.mark.django_db
def test_a_scan_of_one_page_is_still_read_in_the_request(client, archivist):
    upload(client, ("一页.pdf", scan_of(1), "application/pdf"))
    assert not Job.objects.exists()
    assert PendingUpload.objects.get(owner=archivist).preview["ocr"]["pages"] == [1]


def test_a_cancel_stops_the_ocr_between_two_pages(committed, tmp_path):
    owner = make_user("uploader", group=None)  # the groups went with the previous test's rows
    job = queue.enqueue("upload", "文字识别：长扫描件.pdf", {"owner": owner.pk}, user=owner,
                        files=[queue.QueuedFile("长扫描件.pdf", scan_of(5), "application/pdf")])
    worker = start_worker("ocr", env={"ARCHIVE_OCR_CACHE": str(tmp_path)})
    try:
        deadline = time.monotonic() + 300  # a bound on waiting, not a claim about speed
        while Job.objects.values_list("current", flat=True).get(pk=job.pk) != "长扫描件.pdf：文字识别第 2/5 页":
            assert worker.poll() is None and time.monotonic() < deadline, "the worker never reached page 2"
            time.sleep(0.05)
        queue.cancel(job)
    finally:
        output = finish(worker)
    job.refresh_from_db()
    assert job.state == JobState.CANCELLED, output
    assert not PendingUpload.objects.exists()
    # page 2 was being read when the cancel came; the worker looks for it twice a second, so at most one more
    assert 2 <= pages_read(tmp_path) <= 3

