#!/usr/bin/env python3
"""Speed of the bulk write path (tokenize + store + index), one process, side by side with a baseline.

    .venv/bin/python tools/bench_ingest.py [--notices 300] [--rounds 3] [--baseline DIR]

Stores the same synthetic notices (notices/synthetic.py; parsing excluded) through
ingest.store_new_files in batches of 50, into a scratch database on the embedded server,
and prints MB of text per second. With --baseline DIR (another checkout, e.g. made with
`git worktree add /tmp/base <commit>`), the two checkouts run alternately, each into its
own database migrated by its own code, and the ratio of the medians is printed: the
machine is shared and noisy, so only the ratio means much.
"""
from __future__ import annotations

import argparse
import hashlib
import os
import re
import statistics
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
BATCH = 50


def worker(code: Path, notices: int) -> None:
    """Run inside a subprocess: one timed ingest with the archive code found in `code`."""
    sys.path.insert(0, str(code))
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "archive.settings.dev")
    os.environ.setdefault("ARCHIVE_PGDATA", str(ROOT / "var" / "pgdata"))  # one server for both checkouts
    import django
    from django.conf import settings

    name = "archive_ingest_bench_" + hashlib.sha256(str(code).encode()).hexdigest()[:8]
    settings.DATABASES["default"]["NAME"] = name
    django.setup()
    from django.core.management import call_command
    from django.db import connection

    from notices.ingest import NewFile, store_new_files
    from notices.synthetic import generate

    call_command("migrate", verbosity=0)
    with connection.cursor() as cursor:
        cursor.execute("TRUNCATE notices_measure, notices_issue, notices_notice, notices_sourcefile, "
                       "notices_agency RESTART IDENTITY CASCADE")
    files = [NewFile(data, name, "text/plain", parsed) for name, data, parsed in generate(notices, code / "samples")]
    size = sum(len(f.data) for f in files)
    began = time.perf_counter()
    for start in range(0, len(files), BATCH):
        store_new_files(files[start:start + BATCH])
    print(f"MB/s {size / 1e6 / (time.perf_counter() - began):.3f}")


def run(code: Path, notices: int) -> float:
    out = subprocess.run([sys.executable, __file__, "--worker", str(code), "--notices", str(notices)],
                         check=True, capture_output=True, text=True).stdout
    return float(re.search(r"MB/s (\S+)", out).group(1))


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--notices", type=int, default=300)
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--baseline", type=Path, help="another checkout to compare with")
    parser.add_argument("--worker", type=Path, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.worker:
        worker(args.worker.resolve(), args.notices)
        return 0
    checkouts = {"this": ROOT} | ({"baseline": args.baseline.resolve()} if args.baseline else {})
    speeds: dict[str, list[float]] = {label: [] for label in checkouts}
    for round_ in range(args.rounds):
        for label, code in checkouts.items():
            speeds[label].append(run(code, args.notices))
            print(f"round {round_ + 1} {label}: {speeds[label][-1]:.2f} MB/s", flush=True)
    medians = {label: statistics.median(values) for label, values in speeds.items()}
    print(" ".join(f"{label} {m:.2f} MB/s" for label, m in medians.items()), end="")
    print(f"; ratio {medians['this'] / medians['baseline']:.2f}x" if args.baseline else "")
    return 0


if __name__ == "__main__":
    sys.exit(main())
