"""A captured notice shows where and when it came from: its page, JSON, API, CSV and the bulk dump."""
from __future__ import annotations

import csv
import io

import pytest

from notices.capture.store import capture
from notices.capture.warc import responses_in
from notices.models import Capture, Notice

pytestmark = pytest.mark.usefixtures("empty_archive")


@pytest.fixture
def captured(fresh_site, fetcher):
    result = capture(fresh_site.url("/utf8/notice.html"), fetcher)
    assert result.outcome == "new", result
    return Notice.objects.get(pk=result.notice_id)


def test_the_notice_page_gives_the_address_the_capture_time_and_the_warc(client, captured, fresh_site):
    page = client.get(captured.get_absolute_url()).content.decode()
    kept = captured.captures.get()

    assert "来源网址" in page and f'href="{fresh_site.url("/utf8/notice.html")}"' in page
    assert "抓取时间" in page and "下载 WARC" in page
    assert f"原载 {fresh_site.url('/utf8/notice.html')}" in page  # in the citation

    warc = client.get(f"/notices/{captured.pk}/captures/{kept.pk}.warc.gz")
    assert warc.status_code == 200 and warc["Content-Disposition"].startswith("attachment")
    body = b"".join(warc.streaming_content)
    assert responses_in(body) == [(fresh_site.url("/utf8/notice.html"), 200, fresh_site.pages["/utf8/notice.html"].body)]
    assert client.get(f"/notices/{captured.pk + 1}/captures/{kept.pk}.warc.gz").status_code == 404


def test_a_file_notices_page_shows_no_provenance(client, db, tmp_path):
    from notices.ingest import ingest_bytes

    from .site import SAMPLES

    notice = Notice.objects.get(pk=ingest_bytes(SAMPLES[1].read_bytes(), "x.txt").notice_id)
    page = client.get(notice.get_absolute_url()).content.decode()
    assert "来源网址" not in page and "WARC" not in page


def test_versions_and_other_sources_are_listed_with_what_changed(client, captured, fresh_site, fetcher):
    page = fresh_site.pages["/utf8/notice.html"]
    first_measure = captured.measures.order_by("issue__position", "position").first().text
    page.body = page.body.replace(first_measure[:12].encode(), "（本条已于复查时改写）".encode(), 1)
    assert capture(fresh_site.url("/utf8/notice.html"), fetcher).outcome == "updated"
    assert capture(fresh_site.url("/repost/000.html"), fetcher).outcome == "linked"

    html = client.get(captured.get_absolute_url()).content.decode()

    assert "版本" in html and "（当前版本）" in html
    assert "本条已于复查时改写" in html and 'class="removed"' in html and 'class="added"' in html
    assert "其他来源" in html and fresh_site.url("/repost/000.html") in html and "相似度" in html


def test_json_api_and_csv_carry_the_source(client, captured, fresh_site):
    kept = captured.captures.get()
    expected = {"url": fresh_site.url("/utf8/notice.html"), "final_url": fresh_site.url("/utf8/notice.html"),
                "attachment_url": None}

    as_json = client.get(f"/notices/{captured.pk}.json").json()
    assert {k: as_json["source"][k] for k in expected} == expected
    assert as_json["source"]["retrieved_at"] == kept.source_json()["retrieved_at"]
    api = client.get(f"/api/v1/notices/{captured.pk}").json()
    assert api["source"] == as_json["source"] and api["original"]["sha256"] == captured.source.sha256

    body = b"".join(client.get("/export/notices.csv").streaming_content).decode("utf-8-sig")
    (row,) = list(csv.DictReader(io.StringIO(body)))
    assert row["source_url"] == expected["url"] and row["retrieved_at"].startswith(str(kept.retrieved_at.year))


def test_the_bulk_dump_keeps_captures_and_their_warc(captured, tmp_path):
    from notices.export_import import export_archive, import_archive

    kept = captured.captures.get()
    export_archive(tmp_path / "dump")
    warc = bytes(kept.warc.data)
    assert (tmp_path / "dump" / "originals" / kept.warc.sha256).read_bytes() == warc
    lines = (tmp_path / "dump" / "capture.jsonl").read_text(encoding="utf-8").splitlines()
    assert len(lines) == 1 and kept.url in lines[0]

    from notices.export_import import tables

    for model in reversed([Capture, *tables()]):  # an empty archive to import into (this test's transaction)
        model._base_manager.all().delete()
    import_archive(tmp_path / "dump")
    again = Capture.objects.get()
    assert (again.url, again.retrieved_at, bytes(again.warc.data)) == (kept.url, kept.retrieved_at, warc)
