#!/usr/bin/env python3
"""Fetch + parse time per notice, from the capture tests' local web site on 127.0.0.1.

    .venv/bin/python tools/capture_timing.py [--rounds 20]

For each notice address of the site (a UTF-8 and a GBK government page, a lead-in page
with a .docx attachment and one with a .pdf, a redirect chain, a news-site repost) it
runs what `ingest URL` runs before storing: fetch the page (robots.txt read once), fetch
the attachment when the page leads to one, parse the notice. No pause between requests
(the archive's politeness delay would dominate otherwise). Prints the median and the
slowest round per address, in milliseconds; no database is touched.
"""
from __future__ import annotations

import argparse
import os
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "archive.settings.dev")

import django  # noqa: E402

django.setup()

from notices.capture.attachments import find_notice  # noqa: E402
from notices.capture.fetch import Fetcher, FetchPolicy  # noqa: E402
from tests.capture.site import LocalSite  # noqa: E402

PATHS = ("/utf8/notice.html", "/gbk/notice.html", "/docx/notice.html", "/pdf/notice.html", "/old/notice",
         "/repost/000.html")


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--rounds", type=int, default=20)
    args = ap.parse_args()
    with LocalSite() as site, Fetcher(FetchPolicy.from_settings(delay=0)) as fetcher:
        find_notice(site.url(PATHS[0]), fetcher)  # robots.txt, connection, parser tables: not counted
        all_times = []
        for path in PATHS:
            times = []
            for _ in range(args.rounds):
                started = time.perf_counter()
                found = find_notice(site.url(path), fetcher)
                parsed = found.parse()
                times.append((time.perf_counter() - started) * 1000)
            all_times.extend(times)
            print(f"{path:24} median {statistics.median(times):7.1f} ms  slowest {max(times):7.1f} ms"
                  f"  ({len(parsed.issues)} top-level issues, {found.notice_bytes()[1]})")
        print(f"{'all notices':24} median {statistics.median(all_times):7.1f} ms over {len(all_times)} fetches")


if __name__ == "__main__":
    main()
