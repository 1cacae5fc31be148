"""Server time of the open-data API's first page, and of the problem search, for the load mix's words.

    .venv/bin/python tools/bench_api.py [--database-name archive_bench] [--repeat 3]
        [--endpoints notices problems measures web] [--answers FILE] [--against FILE]

Runs against the synthetic archive tools/bench_search.py builds. For every word of the load
mix (tools/loadmix.py WORDS) it asks for `/api/v1/{notices,problems,measures}?q=WORD` and the
reading room's `/problems/?q=WORD` through Django's test client (the whole view; no network),
with the cache cleared before each request; it prints the first time and the median of the
repeats. The budget is 100 ms a page. `--answers FILE` writes what each URL answered (the
API's count, whether estimated, and the ids of its rows; the page's HTML digest), and
`--against FILE` compares this checkout's answers with such a file, so that a change to how
pages are found can be shown to change no answer. Numbers belong in notes, never in tests.
"""
from __future__ import annotations

import argparse
import hashlib
import json
import os
import statistics
import time
from pathlib import Path
from urllib.parse import urlencode

from benchsetup import django_on, load_mix

ENDPOINTS = ("notices", "problems", "measures", "web")


def url_of(endpoint: str, word: str) -> str:
    query = urlencode({"q": word})
    return f"/problems/?{query}" if endpoint == "web" else f"/api/v1/{endpoint}?{query}"


def answer_of(endpoint: str, response) -> dict:
    """What a URL answered, to compare between checkouts (not its timing)."""
    if endpoint == "web":
        return {"status": response.status_code, "sha256": hashlib.sha256(response.content).hexdigest()}
    body = response.json()
    ids = [row.get("id") for row in body.get("results", [])]
    return {"status": response.status_code, "count": body.get("count"),
            "estimated": body.get("count_is_estimate"), "ids": ids}


def _difference(before: dict | None, now: dict) -> str:
    """How an answer differs from the one recorded ('' when it does not). Two estimates of a count
    may differ (they are estimates): then only their ratio is shown."""
    if before is None or before == now:
        return ""
    if before.keys() != now.keys() or any(before[k] != now[k] for k in before if k not in ("count", "estimated")):
        return "  DIFFERS"
    if before["estimated"] and now["estimated"]:
        return "" if before["count"] == now["count"] else f"  (estimate {now['count'] / before['count']:.3f}x before)"
    return "  DIFFERS"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--database-name", default="archive_bench")
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--endpoints", nargs="*", choices=ENDPOINTS, default=list(ENDPOINTS))
    parser.add_argument("--words", nargs="*", help="the words to search (the load mix's unless given)")
    parser.add_argument("--answers", type=Path, help="write each URL's answer (count, estimate, ids) here")
    parser.add_argument("--against", type=Path, help="compare each URL's answer with this --answers file")
    args = parser.parse_args()

    django_on(args.database_name)
    from django.core.cache import cache
    from django.test import Client

    from notices.models import Notice

    client = Client()
    words = args.words or load_mix("WORDS")
    expected = json.loads(args.against.read_text()) if args.against else {}
    answers, firsts, differing = {}, {e: [] for e in args.endpoints}, []
    print(f"{Notice.objects.count()} notices in {args.database_name!r}; load {os.getloadavg()[0]:.1f}")
    for endpoint in args.endpoints:
        for word in words:
            url = url_of(endpoint, word)
            times = []
            for _ in range(1 + args.repeat):
                cache.clear()  # no cached page or count: every request does the work
                began = time.perf_counter()
                response = client.get(url)
                times.append((time.perf_counter() - began) * 1000)
            answers[url] = answer_of(endpoint, response)
            firsts[endpoint].append(times[0])
            mark = _difference(expected.get(url), answers[url])
            if "DIFFERS" in mark:
                differing.append(url)
            count = answers[url].get("count", "")
            about = "~" if answers[url].get("estimated") else ""
            shown = url.split("?")[0] + "?q=" + word
            print(f"{shown:32} {response.status_code} {about}{count!s:>8}  first {times[0]:7.1f} ms"
                  f"  median {statistics.median(times[1:] or times):7.1f} ms{mark}", flush=True)
    for endpoint, times in firsts.items():
        if times:
            worst = max(range(len(times)), key=times.__getitem__)
            print(f"{endpoint:9} first pages: median {statistics.median(times):.1f} ms, "
                  f"max {times[worst]:.1f} ms ({words[worst]}); {sum(t > 100 for t in times)} over 100 ms")
    print(f"load {os.getloadavg()[0]:.1f}")
    if args.answers:
        args.answers.write_text(json.dumps(answers, ensure_ascii=False, indent=1))
    if args.against:
        missing = [u for u in answers if u not in expected]
        same = [u for u in answers if expected.get(u) == answers[u]]
        print(f"answers: {len(same)} the same, {len(answers) - len(same) - len(differing) - len(missing)} the same "
              f"but for an estimate, {len(differing)} differ, {len(missing)} not in {args.against}")
        if differing:
            raise SystemExit(1)


if __name__ == "__main__":
    main()
