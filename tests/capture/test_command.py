"""manage.py ingest with web addresses: beside paths, from a list file, and as a dry run."""
from __future__ import annotations

import json
from io import StringIO

import pytest
from django.core.management import call_command

from notices.models import Capture
from notices.models import Notice

from .site import SAMPLES, gold


def run(*args):
    out, err = StringIO(), StringIO()
    try:
        call_command("ingest", *args, stdout=out, stderr=err)
        code = 0
    except SystemExit as exc:
        code = exc.code
    return code, out.getvalue(), err.getvalue()


@pytest.mark.usefixtures("empty_archive")
def test_addresses_and_files_are_ingested_in_one_run_and_failures_are_listed(fresh_site, tmp_path):
    listed = tmp_path / "urls.txt"
    listed.write_text(f"# 待抓取\n{fresh_site.url('/gbk/notice.html')}\n\n{fresh_site.url('/missing.html')}\n",
                      encoding="utf-8")

    code, _, err = run(str(SAMPLES[3]), fresh_site.url("/utf8/notice.html"), "--urls", str(listed))

    assert code == 1  # one address failed
    assert "Summary: 3 new, 1 failed" in err
    assert f"failed: {fresh_site.url('/missing.html')}: " in err and "404" in err
    assert Notice.objects.count() == 3 and Capture.objects.count() == 2
    captured = Notice.objects.get(captures__url=fresh_site.url("/utf8/notice.html"))
    assert captured.agency_name == gold(0)["agency"]

    code, _, err = run(fresh_site.url("/utf8/notice.html"), fresh_site.url("/gbk/notice.html"))
    assert code == 0 and "Summary: 2 unchanged, 0 failed" in err


def test_a_dry_run_prints_the_parse_and_its_source_and_stores_nothing(fresh_site, db):
    before = Notice.all_objects.count(), Capture.objects.count()

    code, out, _ = run("--dry-run", "--json", fresh_site.url("/old/notice"), fresh_site.url("/private/notice.html"))

    assert code == 1
    parsed, refused = [json.loads(line) for line in out.splitlines()]
    assert parsed["agency"] == gold(4)["agency"] and parsed["issues"]
    assert parsed["source"]["url"] == fresh_site.url("/old/notice")
    assert parsed["source"]["final_url"] == fresh_site.url("/news/2024/notice-004.html")
    assert parsed["source"]["attachment_url"] is None and parsed["source"]["retrieved_at"].endswith("Z")
    assert refused["url"] == fresh_site.url("/private/notice.html") and "robots.txt 不允许" in refused["error"]
    assert (Notice.all_objects.count(), Capture.objects.count()) == before


def test_a_dry_run_of_a_file_says_it_has_no_web_source(db):
    code, out, _ = run("--dry-run", "--json", str(SAMPLES[0]))
    assert code == 0 and json.loads(out)["source"] is None
