"""Server time of the reading room's summary pages at archive scale: compare, statistics, home, an agency, a notice,
the problem search (its facets count problems).

    .venv/bin/python tools/bench_pages.py [--database-name archive_bench] [--repeat 5] [--vs-problems-filter]

Runs against the synthetic archive tools/bench_search.py builds (build it first with
`tools/bench_search.py --notices 20000`). Each page is requested through Django's test
client (the whole view, template and queries; no network), once cold and then `--repeat`
times; it prints the first and the median time per page. The page budget is 100 ms for the
first page a reader sees. Numbers belong in notes, never in tests.
"""
from __future__ import annotations

import argparse
import os
import statistics
import time

from benchsetup import django_on


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--database-name", default="archive_bench")
    parser.add_argument("--repeat", type=int, default=5)
    parser.add_argument("--only", nargs="*", help="the pages to time (their names' first words), all unless given")
    args = parser.parse_args()

    django_on(args.database_name)
    from django.core.cache import cache
    from django.db.models import Count
    from django.test import Client

    from notices.models import Agency, Notice

    client = Client()
    provinces = list(Notice.objects.exclude(province=None).values_list("province").annotate(n=Count("pk"))
                     .order_by("-n").values_list("province", flat=True)[:6])
    agencies = list(Notice.objects.exclude(agency_name=None).values_list("agency_name").annotate(n=Count("pk"))
                    .order_by("-n").values_list("agency_name", flat=True)[:4])
    busiest = Agency.objects.get(name=agencies[0])
    notice = Notice.objects.filter(agency=busiest).first()
    pages = {
        "compare 6 provinces": "/compare/?" + "&".join(f"province={p}" for p in provinces),
        "compare 2 provinces": "/compare/?" + "&".join(f"province={p}" for p in provinces[:2]),
        "compare 4 agencies": "/compare/?" + "&".join(f"agency={a}" for a in agencies),
        "compare 3 levels": "/compare/?level=county&level=city&level=province",
        "compare chooser": "/compare/",
        "compare csv 6 provinces": "/compare/compare.csv?" + "&".join(f"province={p}" for p in provinces),
        "statistics": "/statistics/",
        "statistics county": "/statistics/?level=county",  # a filtered set: counted from its notices
        "home": "/",
        "agency (busiest)": f"/agencies/{busiest.pk}/",
        "notice": f"/notices/{notice.pk}/",
        "problems browse": "/problems/",
        "problems 低保": "/problems/?q=低保",
        "problems 整改 (broad)": "/problems/?q=整改",
        "problems topic funeral": "/problems/?topic=funeral",
        "problems api facets 低保": "/api/v1/facets?scope=problem&q=低保",
    }
    print(f"{Notice.objects.count()} notices in {args.database_name!r}; load {os.getloadavg()[0]:.1f}")
    for name, url in pages.items():
        if args.only and name.split()[0] not in args.only:
            continue
        if client.get(url).status_code == 404:  # an older checkout without this page
            print(f"{name:28} absent")
            continue
        times = []
        for _ in range(1 + args.repeat):
            cache.clear()  # no cached summary: every request does the work
            began = time.perf_counter()
            response = client.get(url)
            if hasattr(response, "streaming_content"):
                b"".join(response.streaming_content)
            times.append(1000 * (time.perf_counter() - began))
            assert response.status_code == 200, (url, response.status_code)
        print(f"{name:28} first {times[0]:7.1f} ms   median {statistics.median(times[1:]):7.1f} ms")


if __name__ == "__main__":
    main()
