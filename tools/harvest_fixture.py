"""Harvest the test suite's fixture site (tests/harvest/site.py) and report its figures: list pages,
notices, time, and requests per second to the one host, with one worker or two.

    python tools/harvest_fixture.py [--delay 0.5] [--workers 1|2]

It serves the site on 127.0.0.1 and harvests its three columns into a database of its own
(archive_harvest_fixture on the embedded server, emptied first), through the real queue: the
columns are queued as jobs and `manage.py worker --until-idle` processes drain them. Nothing
reaches the internet.
"""
from __future__ import annotations

import argparse
import os
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
DATABASE = "archive_harvest_fixture"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--delay", type=float, default=0.5, help="seconds between two requests to the host (0.5)")
    parser.add_argument("--workers", type=int, default=1, help="worker processes draining the queue (1)")
    args = parser.parse_args()
    if os.environ.get("DATABASE_URL"):
        sys.exit("This tool uses the embedded PostgreSQL; unset DATABASE_URL.")
    env = dict(os.environ, ARCHIVE_DB_NAME=DATABASE, ARCHIVE_CAPTURE_DELAY=str(args.delay),
               DJANGO_SETTINGS_MODULE="archive.settings.dev")
    os.environ.update(env)
    import django

    django.setup()
    from django.core.management import call_command
    from django.db import connection

    call_command("flush", "--noinput", verbosity=0) if _migrated(connection) else None
    call_command("migrate", "--noinput", verbosity=0)
    with connection.cursor() as cursor:
        cursor.execute("DELETE FROM procrastinate_jobs; DELETE FROM procrastinate_periodic_defers")

    from notices.jobs.queue import enqueue
    from notices.models import Notice
    from tests.harvest.site import serve

    site, server = serve()
    jobs = [enqueue("harvest", f"采集 {url}", {"urls": [url], "max_pages": 20}) for url in site.list_urls]
    started = time.monotonic()
    workers = [subprocess.Popen([sys.executable, "manage.py", "worker", "--until-idle", "--poll", "0.2",
                                 "--name", f"w{i}"], cwd=ROOT, env=env) for i in range(args.workers)]
    for worker in workers:
        worker.wait()
    took = time.monotonic() - started
    server.shutdown()
    for job in jobs:
        job.refresh_from_db()
    pages = sum(job.result.get("pages", 0) for job in jobs)
    captured = sum(job.result.get("new", 0) + job.result.get("linked", 0) for job in jobs)
    span = max(h.end for h in site.hits) - min(h.start for h in site.hits)
    print(f"load average {os.getloadavg()[0]:.1f} on {os.cpu_count()} cores; delay {args.delay} s; "
          f"{args.workers} worker(s)")
    print(f"list pages read: {pages}; notices captured: {captured} ({Notice.all_objects.count()} notices, "
          f"the repost as a second source); jobs: {', '.join(j.get_state_display() for j in jobs)}")
    print(f"requests to the host: {len(site.hits)} in {span:.1f} s = {len(site.hits) / span:.2f} per second "
          f"(at most {site.most_in_flight()} at a time; the shortest gap {min(site.gaps()):.2f} s)")
    print(f"wall time from queueing to the last worker stopping: {took:.1f} s")


def _migrated(connection) -> bool:
    return "notices_notice" in connection.introspection.table_names()


if __name__ == "__main__":
    main()
