"""Server time of the open-data API's first page, and of the problem search, for the load mix's words.

    .venv/bin/python tools/bench_api.py [--database-name archive_bench] [--repeat 3]
        [--endpoints notices problems measures web] [--answers FILE] [--against FILE] [--vs DIR]

Runs against the synthetic archive tools/bench_search.py builds. For every word of the load
mix (tools/loadmix.py WORDS) it asks for `/api/v1/{notices,problems,measures}?q=WORD` and the
reading room's `/problems/?q=WORD` through Django's test client (the whole view; no network),
with the cache cleared before each request; it prints the first time and the median of the
repeats. The budget is 100 ms a page. `--answers FILE` writes what each URL answered (the
API's count, whether estimated, and the ids of its rows; the page's HTML digest), and
`--against FILE` compares this checkout's answers with such a file, so that a change to how
pages are found can be shown to change no answer (it names the exact counts that became
estimates apart, with their ratio to the exact count). `--vs DIR` (a `git worktree add DIR
<commit>`) asks the same URLs of that checkout too, in turn with this one (A B, then B A ...),
and gives both times, their ratio and how B's answers differ, from one run on one machine.
Numbers belong in notes, never in tests.
"""
from __future__ import annotations

import argparse
import hashlib
import json
import os
import statistics
import subprocess
import sys
import time
from pathlib import Path
from urllib.parse import urlencode

from benchsetup import HERE, django_on, load_mix

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
    if now["estimated"] and before["count"]:  # an exact count that the rule now estimates
        return f"  (now an estimate, {now['count'] / before['count']:.3f}x the exact count)"
    return "  DIFFERS"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--database-name", default="archive_bench")
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--endpoints", nargs="*", choices=ENDPOINTS, default=list(ENDPOINTS))
    parser.add_argument("--words", nargs="*", help="the words to search (the load mix's unless given)")
    parser.add_argument("--answers", type=Path, help="write each URL's answer (count, estimate, ids) here")
    parser.add_argument("--against", type=Path, help="compare each URL's answer with this --answers file")
    parser.add_argument("--code", type=Path, default=HERE.parent, help="the checkout whose pages are timed")
    parser.add_argument("--vs", type=Path, help="a second checkout, timed in turn with --code on each URL")
    parser.add_argument("--serve", action="store_true", help=argparse.SUPPRESS)  # one side of --vs
    args = parser.parse_args()
    if args.serve:
        return _serve(args)
    words = args.words or load_mix("WORDS")
    sides = [_side(args.code, args.database_name)]
    if args.vs:
        sides.append(_side(args.vs, args.database_name))
        print(f"A = {args.code.resolve()}, B = {args.vs.resolve()}, in turn on each URL")
    expected = json.loads(args.against.read_text()) if args.against else {}
    answers, firsts, medians, differing = {}, [{e: [] for e in args.endpoints} for _ in sides], [[] for _ in sides], []
    print(f"{args.database_name!r}; load {os.getloadavg()[0]:.1f}")
    for fetch in sides:  # the process's first request loads the code and the templates: not timed
        fetch(args.endpoints[0], url_of(args.endpoints[0], words[0]))
    baseline: dict[str, dict] = {}
    for endpoint in args.endpoints:
        for number, word in enumerate(words):
            url = url_of(endpoint, word)
            times: list[list[float]] = [[] for _ in sides]
            answered: list[dict] = [{} for _ in sides]
            for round_ in range(1 + args.repeat):  # each side first in turn, the first request included
                for index in (range(len(sides)) if (number + round_) % 2 == 0 else reversed(range(len(sides)))):
                    ms, answered[index] = sides[index](endpoint, url)
                    times[index].append(ms)
            answers[url] = answered[0]
            if args.vs:
                baseline[url] = answered[1]
            mark = _difference(answered[1] if args.vs else expected.get(url), answered[0])
            if "DIFFERS" in mark:
                differing.append(url)
            count = answered[0].get("count", "")
            about = "~" if answered[0].get("estimated") else ""
            shown = url.split("?")[0] + "?q=" + word
            timing = []
            for index, side_times in enumerate(times):
                firsts[index][endpoint].append(side_times[0])
                medians[index].append(statistics.median(side_times[1:] or side_times))
                timing.append(f"first {side_times[0]:7.1f} ms  median {medians[index][-1]:7.1f} ms")
            ratio = f"  A/B {medians[0][-1] / medians[1][-1]:5.2f}" if args.vs else ""
            print(f"{shown:32} {answered[0]['status']} {about}{count!s:>8}  {' | B '.join(timing)}{ratio}{mark}",
                  flush=True)
    for index, side_firsts in enumerate(firsts):
        name = "AB"[index] + " " if args.vs else ""
        for endpoint, times in side_firsts.items():
            if times:
                worst = max(range(len(times)), key=times.__getitem__)
                print(f"{name}{endpoint:9} first pages: median {statistics.median(times):.1f} ms, "
                      f"max {times[worst]:.1f} ms ({words[worst]}); {sum(t > 100 for t in times)} over 100 ms")
    if args.vs:
        ratios = [a / b for a, b in zip(*medians)]
        print(f"A/B of each URL's median: median {statistics.median(ratios):.2f}, "
              f"from {min(ratios):.2f} to {max(ratios):.2f}")
    print(f"load {os.getloadavg()[0]:.1f}")
    if args.answers:
        args.answers.write_text(json.dumps(answers, ensure_ascii=False, indent=1))
    if args.against or args.vs:
        against = str(args.vs) if args.vs else str(args.against)
        expected = baseline if args.vs else expected
        marks = {u: _difference(expected.get(u), answers[u]) for u in answers}
        missing = [u for u in answers if u not in expected]
        same = [u for u in answers if not marks[u] and u not in missing]
        estimated = [u for u in answers if "now an estimate" in marks[u]]
        print(f"answers: {len(same)} the same, "
              f"{len(answers) - len(same) - len(differing) - len(missing) - len(estimated)} the same but for an estimate, "
              f"{len(estimated)} the same but for an exact count now estimated, {len(differing)} differ, "
              f"{len(missing)} not in {against}")
        if differing:
            raise SystemExit(1)


def _side(code: Path, database_name: str):
    """fetch(endpoint, url) -> (ms, answer) with the pages of checkout `code`: in this process
    when it is this checkout, else in a process of its own (this script with --serve)."""
    if code.resolve() == HERE.parent.resolve():
        return _fetcher(code, database_name)
    command = [sys.executable, __file__, "--serve", "--code", str(code.resolve()), "--database-name", database_name]
    process = subprocess.Popen(command, stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True)

    def fetch(endpoint: str, url: str) -> tuple[float, dict]:
        process.stdin.write(json.dumps([endpoint, url]) + "\n")
        process.stdin.flush()
        ms, answer = json.loads(process.stdout.readline())
        return ms, answer

    return fetch


def _fetcher(code: Path, database_name: str):
    sys.path.insert(0, str(code.resolve()))
    django_on(database_name)
    from django.core.cache import cache
    from django.test import Client

    client = Client()

    def fetch(endpoint: str, url: str) -> tuple[float, dict]:
        cache.clear()  # no cached page or count: every request does the work
        began = time.perf_counter()
        response = client.get(url)
        return (time.perf_counter() - began) * 1000, answer_of(endpoint, response)

    return fetch


def _serve(args) -> None:
    """One side of --vs: a URL per line in, its time and answer out (what else prints goes to stderr)."""
    reply = os.fdopen(os.dup(1), "w")
    os.dup2(2, 1)
    fetch = _fetcher(args.code, args.database_name)
    for line in sys.stdin:
        print(json.dumps(fetch(*json.loads(line))), file=reply, flush=True)


if __name__ == "__main__":
    main()
