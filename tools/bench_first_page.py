"""The search's first page (results, facet counts, highlighted snippets) timed per query, for
any checkout: pair two commits on the same archive in one run.

    .venv/bin/python tools/bench_first_page.py [--code DIR] [--database-name archive_bench]
                                               [--repeat 3] [--only QUERY...]

Times what tools/bench_search.py times as "ours" (its queries, its first page), but with the
search code of --code DIR (a `git worktree add DIR <commit>`, default: this checkout), on an
archive that bench_search built. Run it twice, once per checkout, back to back (or paired
by a tool that alternates them) and compare: only ratios taken in one run mean much on a
shared machine. Numbers belong in notes, never in tests.
"""
from __future__ import annotations

import argparse
import inspect
import os
import statistics
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
    args = parser.parse_args()
    sys.path.insert(0, str(args.code.resolve()))
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

    queries = args.only or _bench_queries()
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
    every.sort()
    print(f"summary: p50={every[len(every) // 2]:.1f}ms p95={every[min(len(every) - 1, round(.95 * (len(every) - 1)))]:.1f}ms")


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
