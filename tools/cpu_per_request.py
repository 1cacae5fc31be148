"""CPU per request of the load mix (tools/loadmix.py), replayed in one process: the web process's
CPU and its PostgreSQL backend's, per kind of page, with the page cache as deployed (files, empty
at the start). Robust on a busy machine where req/s are not: CPU time, not wall time, is summed.

    .venv/bin/python tools/cpu_per_request.py DATABASE_NAME [REQUESTS] [WARMUP]

Run it against the synthetic archive (`tools/bench_search.py --notices 20000` builds one) with
ARCHIVE_PGDATA pointing at its server. The draws are seeded, so two checkouts replay the same mix.
WARMUP requests of the same mix go first, not counted: the figures are then those of a site
that has been serving (as tools/loadtest.py --warmup), not of its first minute.
(The backend's parallel workers are separate processes: their CPU is not counted.)
"""
from __future__ import annotations

import collections
import os
import random
import sys
import tempfile
import time
from pathlib import Path
from urllib.parse import urlencode

from benchsetup import django_on, load_mix

KINDS = {"notice": 30, "search": 20, "facet": 12, "home": 10, "problems": 10, "api": 5, "units": 5, "csv": 3}


def draw(rng: random.Random, mix: dict[str, list], ids: list[int]) -> tuple[str, str]:
    """(kind, URL) of one request, in loadmix.py's proportions."""
    kind = rng.choices(list(KINDS), list(KINDS.values()))[0]
    word = {"q": rng.choice(mix["WORDS"])}
    urls = {
        "notice": lambda: f"/notices/{rng.choice(ids)}/",
        "search": lambda: "/notices/?" + urlencode(word),
        "facet": lambda: "/notices/?" + urlencode({**word, **rng.choice(mix["TOGGLES"])}),
        "home": lambda: "/",
        "problems": lambda: "/problems/?" + urlencode(word),
        "api": lambda: "/api/v1/notices?" + urlencode(word),
        "units": lambda: f"/api/v1/{rng.choice(['problems', 'measures'])}?" + urlencode(word),
        "csv": lambda: "/export/problems.csv?" + urlencode({"q": rng.choice(mix["NARROW"])}),
    }
    return kind, urls[kind]()


def fetch(client, url: str) -> None:
    response = client.get(url)
    if response.streaming:
        b"".join(response.streaming_content)
    assert response.status_code == 200, (url, response.status_code)


def main() -> None:
    os.environ["ARCHIVE_CACHE_DIR"] = tempfile.mkdtemp(prefix="replay-cache-")  # empty at the start
    django_on(sys.argv[1])
    from django.conf import settings
    from django.db import connection
    from django.test import Client

    from notices.models import Notice

    settings.DEBUG = False
    requests = int(sys.argv[2]) if len(sys.argv) > 2 else 600
    warmup = int(sys.argv[3]) if len(sys.argv) > 3 else 0
    ids = list(Notice.objects.order_by("pk").values_list("pk", flat=True))  # every notice, as tools/loadtest.py
    client = Client(HTTP_ACCEPT_ENCODING="gzip")
    client.get("/about/")
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_backend_pid()")
        backend = cursor.fetchone()[0]

    def backend_cpu() -> float:
        fields = Path(f"/proc/{backend}/stat").read_text().split()
        return (int(fields[13]) + int(fields[14])) / os.sysconf("SC_CLK_TCK")

    rng, mix = random.Random(7), {name: load_mix(name) for name in ("WORDS", "NARROW", "TOGGLES")}
    web, database, wall = (collections.defaultdict(float) for _ in range(3))
    count: collections.Counter = collections.Counter()
    for _ in range(warmup):
        fetch(client, draw(rng, mix, ids)[1])
    for _ in range(requests):
        kind, url = draw(rng, mix, ids)
        cpu, pg, began = time.process_time(), backend_cpu(), time.perf_counter()
        fetch(client, url)
        web[kind] += time.process_time() - cpu
        database[kind] += backend_cpu() - pg
        wall[kind] += time.perf_counter() - began
        count[kind] += 1
    print(f"{'kind':10}{'n':>5}{'web ms':>8}{'db ms':>8}{'wall ms':>9}")
    for kind in [*count, "all"]:
        n = count[kind] if kind != "all" else sum(count.values())
        pick = (lambda d: d[kind]) if kind != "all" else (lambda d: sum(d.values()))
        print(f"{kind:10}{n:>5}{1000 * pick(web) / n:>8.1f}{1000 * pick(database) / n:>8.1f}{1000 * pick(wall) / n:>9.1f}")
    print(f"load {os.getloadavg()[0]:.1f}")


if __name__ == "__main__":
    main()
