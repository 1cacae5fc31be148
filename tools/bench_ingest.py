#!/usr/bin/env python3
"""Speed of the bulk write path (tokenize + store + index), one process, side by side with a baseline.

    .venv/bin/python tools/bench_ingest.py [--prefill 2000] [--notices 300] [--rounds 3] [--baseline DIR]

Fills a scratch database on the embedded server with --prefill synthetic notices
(tools/synthetic.py; parsing excluded), untimed, since index upkeep grows with the
archive; then each round stores --notices more through ingest.store_new_files in
batches, as the ingest command does, and prints MB of text per second, with the CPU
time per notice of this process and of its PostgreSQL backend (the machine's two cores
are shared by both when ingest runs in parallel). With --baseline DIR (another checkout,
e.g. made with `git worktree add /tmp/base <commit>`), the two checkouts run alternately,
each into its own database migrated by its own code, and the ratio of the medians is
printed: the machine is shared and noisy, so only the ratio means much.
"""
from __future__ import annotations

import argparse
import contextlib
import hashlib
import os
import re
import statistics
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def worker(code: Path, prefill: int, notices: int, round_: int) -> None:
    """Run inside a subprocess: one timed round with the archive code found in `code`."""
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

    from notices import ingest
    from notices.models import Notice
    from synthetic import generate  # this folder's, whichever checkout is timed

    batch = getattr(ingest, "BATCH_SIZE", 50)  # a baseline checkout may predate these names
    loading = getattr(ingest, "bulk_loading", contextlib.nullcontext)
    first = prefill + round_ * notices
    files = [ingest.NewFile(data, name, "text/plain", parsed)
             for name, data, parsed in generate(first + notices, code / "samples")]

    def store(chunk) -> None:
        with loading():
            for start in range(0, len(chunk), batch):
                ingest.store_new_files(chunk[start:start + batch])

    call_command("migrate", verbosity=0)
    if round_ == 0:
        with connection.cursor() as cursor:
            cursor.execute("TRUNCATE notices_measure, notices_issue, notices_notice, notices_sourcefile, "
                           "notices_agency RESTART IDENTITY CASCADE")
        store(files[:prefill])
        with connection.cursor() as cursor:
            cursor.execute("VACUUM ANALYZE")
    assert Notice.objects.count() == first, "rounds must run in order"
    timed = files[first:]
    size = sum(len(f.data) for f in timed)
    warm = Notice(text=timed[0].parsed.text)  # load the tokenizers untimed
    if hasattr(warm, "refresh_derived"):  # a baseline from before notices/write.py
        warm.refresh_derived(save=False)
    else:
        from notices import write

        write.refresh_notice(warm, save=False)
    server, began, cpu = _backend_cpu(connection), time.perf_counter(), time.process_time()
    store(timed)
    elapsed, cpu, server = time.perf_counter() - began, time.process_time() - cpu, _backend_cpu(connection) - server
    print(f"MB/s {size / 1e6 / elapsed:.3f} client-ms {cpu / notices * 1000:.2f} server-ms {server / notices * 1000:.2f}")


def _backend_cpu(connection) -> float:
    """CPU seconds used so far by this connection's server process (Linux)."""
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_backend_pid()")
        pid = cursor.fetchone()[0]
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def run(code: Path, prefill: int, notices: int, round_: int) -> dict[str, float]:
    out = subprocess.run([sys.executable, __file__, "--worker", str(code), "--prefill", str(prefill),
                          "--notices", str(notices), "--round", str(round_)],
                         check=True, capture_output=True, text=True).stdout
    return {key: float(value) for key, value in re.findall(r"(\S+) ([\d.]+)", out.splitlines()[-1])}


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--prefill", type=int, default=2000)
    parser.add_argument("--notices", type=int, default=300)
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--baseline", type=Path, help="another checkout to compare with")
    parser.add_argument("--worker", type=Path, help=argparse.SUPPRESS)
    parser.add_argument("--round", type=int, default=0, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.worker:
        worker(args.worker.resolve(), args.prefill, args.notices, args.round)
        return 0
    checkouts = {"this": ROOT} | ({"baseline": args.baseline.resolve()} if args.baseline else {})
    results: dict[str, list[dict[str, float]]] = {label: [] for label in checkouts}
    for round_ in range(args.rounds):
        for label, code in checkouts.items():
            results[label].append(run(code, args.prefill, args.notices, round_))
            print(f"round {round_ + 1} {label}: " + " ".join(f"{k} {v:.2f}" for k, v in results[label][-1].items()),
                  flush=True)
    medians = {label: {key: statistics.median(r[key] for r in rows) for key in rows[0]}
               for label, rows in results.items()}
    for label, m in medians.items():
        print(f"{label}: {m['MB/s']:.2f} MB/s; CPU per notice {m['client-ms']:.1f} ms here + "
              f"{m['server-ms']:.1f} ms in PostgreSQL")
    if args.baseline:
        print(f"ratio {medians['this']['MB/s'] / medians['baseline']['MB/s']:.2f}x in MB/s; total CPU per notice "
              f"{sum(medians['baseline'][k] for k in ('client-ms', 'server-ms')) / sum(medians['this'][k] for k in ('client-ms', 'server-ms')):.2f}x less")
    return 0


if __name__ == "__main__":
    sys.exit(main())
