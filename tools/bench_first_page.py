"""The search's first page (results, facet counts, highlighted snippets) timed per query, for
any checkout, or two checkouts paired query by query on the same archive in one run.

    .venv/bin/python tools/bench_first_page.py [--code DIR] [--vs DIR] [--equal-work]
                                               [--database-name archive_bench] [--repeat 3] [--only QUERY...]

Times what tools/bench_search.py times as "ours" (its queries, its first page), but with the
search code of --code DIR (a `git worktree add DIR <commit>`, default: this checkout), on an
archive that bench_search built. With --vs DIR, one process per checkout answers the same
queries in turn (A B, then B A, ...), so both see the same machine, and the table gives each
query's median for both and their ratio; each side's totals (and, with --equal-work, every
match's id) must agree, or the line says so. --equal-work times bench_search's equal work
instead of the page: every match's id and the first 20 (tools/search_peers.ours). Only ratios
taken in one run mean much on a shared machine; the CPU each side used per query (its process and
its database backend, read from /proc when the database runs on this machine) is what other
people's work on the machine distorts least. Numbers belong in notes, never in tests.
"""
from __future__ import annotations

import argparse
import hashlib
import inspect
import json
import os
import statistics
import subprocess
import sys
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--code", type=Path, default=HERE.parent, help="the checkout whose search is timed")
    parser.add_argument("--database-name", default="archive_bench")
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--only", nargs="*", help="these queries instead of bench_search's")
    parser.add_argument("--vs", type=Path, help="a second checkout, timed in turn with --code on each query")
    parser.add_argument("--equal-work", action="store_true", help="time every match's id and the first 20")
    parser.add_argument("--serve", action="store_true", help=argparse.SUPPRESS)  # one side of --vs
    args = parser.parse_args()
    queries = args.only or _bench_queries()
    if args.vs:
        return _paired(args, queries)
    reply = sys.stdout
    if args.serve:  # answers go to the pair's reader alone, whatever else prints
        reply = os.fdopen(os.dup(1), "w")
        os.dup2(2, 1)
    sys.path.insert(0, str(args.code.resolve()))
    sys.path.insert(1, str(HERE))  # search_peers, for --equal-work: the engine's public stages composed
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "archive.settings.dev")
    import django
    from django.conf import settings

    django.setup()
    settings.DATABASES["default"]["NAME"] = args.database_name
    from django.db import connections
    from django.http import QueryDict

    connections["default"].settings_dict["NAME"] = args.database_name
    from notices.facets import facets
    from notices.filters import NoticeFilter
    from notices.models import Notice
    from notices.search import parse_query, search
    try:
        from notices.search import highlight, snippets
    except ImportError:  # older commits
        from notices.search.snippets import highlight, snippets

    # Older commits called the search's scope "level".
    scope = "scope" if "scope" in inspect.signature(search).parameters else "level"

    def first_page(query):
        outcome = search(Notice.objects.all(), query, per_page=20, **{scope: "notice"})
        facets(NoticeFilter, QueryDict(), Notice.objects.all(), outcome.restrict)
        terms = query.highlight_terms()
        for hit in outcome.hits:
            highlight(hit.notice.display_title, terms)
            for unit in hit.issues:
                highlight(unit.unit.title, terms)
            for unit in hit.measures:
                snippets(unit.unit.text, terms, limit=1)
            if not hit.issues and not hit.measures:
                snippets(hit.notice.text, terms, limit=2)
        return outcome

    def equal_work(query):
        import search_peers

        return search_peers.ours(query)

    if args.serve:  # timed runs on request, for _paired: one line of JSON per query
        from django.db import connection

        import search_peers

        backend_cpu = search_peers.backend_cpu(connection)
        for line in sys.stdin:
            query = parse_query(json.loads(line))
            began, cpu = time.perf_counter(), time.process_time() + backend_cpu()
            result = equal_work(query) if args.equal_work else first_page(query)
            ms = (time.perf_counter() - began) * 1000
            cpu_ms = (time.process_time() + backend_cpu() - cpu) * 1000
            if args.equal_work:
                every_id, first = result
                answer = f"{len(every_id)} " + hashlib.sha1(repr((sorted(every_id), first)).encode()).hexdigest()[:8]
            else:
                answer = f"~{result.total}" if result.estimated else str(result.total)
            print(json.dumps([ms, answer, cpu_ms]), file=reply, flush=True)
        return
    every = []
    print(f"{args.code.resolve()} on {Notice.objects.count()} notices in {args.database_name!r}; "
          f"load {os.getloadavg()[0]:.1f}")
    for raw in queries:
        query = parse_query(raw)
        first_page(query)  # warm
        times = []
        for _ in range(args.repeat):
            began = time.perf_counter()
            first_page(query)
            times.append((time.perf_counter() - began) * 1000)
        every += times
        print(f"{raw:<22}{statistics.median(times):9.1f} ms")
    print(f"summary: p50={_pct(every, .5):.1f}ms p95={_pct(every, .95):.1f}ms")


def _paired(args, queries: list[str]) -> None:
    """Both checkouts on each query in turn; per query the median of each and their ratio."""
    def side(code: Path) -> subprocess.Popen:
        command = [sys.executable, __file__, "--serve", "--code", str(code.resolve()),
                   "--database-name", args.database_name, *(["--equal-work"] if args.equal_work else [])]
        return subprocess.Popen(command, stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True)

    sides = [side(args.code), side(args.vs)]

    cpu = [0.0, 0.0]  # CPU seconds of each side: its process and its database backend

    def run(index: int, raw: str) -> tuple[float, str]:
        process = sides[index]
        process.stdin.write(json.dumps(raw) + "\n")
        process.stdin.flush()
        ms, answer, cpu_ms = json.loads(process.stdout.readline())
        cpu[index] += cpu_ms
        return ms, answer

    work = "equal work (every match's id, the first 20)" if args.equal_work else "first page"
    print(f"{work}: A = {args.code.resolve()}, B = {args.vs.resolve()}, {args.database_name!r}, "
          f"load {os.getloadavg()[0]:.1f}")
    print(f"{'query':<22}{'A answer':>16}{'A ms':>9}{'B ms':>9}{'A/B':>7}")
    times: list[list[float]] = [[], []]
    for raw in queries:
        answers = [run(index, raw)[1] for index in (0, 1)]  # warm
        mine: list[list[float]] = [[], []]
        for round_ in range(args.repeat):
            for index in ((0, 1) if round_ % 2 == 0 else (1, 0)):
                ms, answer = run(index, raw)
                mine[index].append(ms)
        a, b = statistics.median(mine[0]), statistics.median(mine[1])
        times[0] += mine[0]
        times[1] += mine[1]
        same = "" if answers[0] == answers[1] else f"  differs: B {answers[1]}"
        print(f"{raw:<22}{answers[0]:>16}{a:9.1f}{b:9.1f}{a / b:7.2f}{same}", flush=True)
    for process in sides:
        process.stdin.close()
        process.wait()
    a50, a95, b50, b95 = _pct(times[0], .5), _pct(times[0], .95), _pct(times[1], .5), _pct(times[1], .95)
    print(f"summary: A p50={a50:.1f}ms p95={a95:.1f}ms, B p50={b50:.1f}ms p95={b95:.1f}ms, "
          f"A/B {a50 / b50:.2f} at p50, {a95 / b95:.2f} at p95; load {os.getloadavg()[0]:.1f}")
    runs = len(times[0]) + len(queries)  # the warm-up runs count here too
    print(f"CPU per query (the process and its database backend, not parallel workers; what a busy "
          f"machine distorts least): A {cpu[0] / runs:.1f} ms, B {cpu[1] / runs:.1f} ms, A/B {cpu[0] / cpu[1]:.2f}")


def _pct(values: list[float], q: float) -> float:
    values = sorted(values)
    return values[min(len(values) - 1, round(q * (len(values) - 1)))]


def _bench_queries() -> list[str]:
    """bench_search's queries, read from its source: importing it would load this checkout's app."""
    import ast

    tree = ast.parse((HERE / "bench_search.py").read_text(encoding="utf-8"))
    for node in tree.body:
        if isinstance(node, ast.Assign) and getattr(node.targets[0], "id", "") == "QUERIES":
            return ast.literal_eval(node.value)
    raise SystemExit("bench_search.py has no QUERIES list")


if __name__ == "__main__":
    main()
