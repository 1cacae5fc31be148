#!/usr/bin/env python3
"""Many readers at once against gunicorn with production settings, side by side with another commit.

    .venv/bin/pip install -e '.[bench]'
    .venv/bin/python tools/loadtest.py [--database archive_bench] [--users 50] [--seconds 60]
                                       [--warmup 0] [--baseline DIR] [--workers N] [--threads N] [--rounds 1]
                                       [--embedded]

Serves the archive in --database (on the embedded server, e.g. the one `manage.py
bench_search --notices 20000` builds) with gunicorn on 127.0.0.1 only, as deployed: this
checkout with its gunicorn.conf.py, a checkout without one (an older commit) as its
Dockerfile did (three sync processes). Then locust (tools/loadmix.py) sends --users readers
without pauses for --seconds, and the run prints requests per second, p50/p95/p99 and
errors per kind of page and overall, and the web processes' memory (RSS) afterwards. Notice
pages are drawn from every notice of the archive, so most are first views. Each run starts
with an empty page cache; --warmup S sends the same readers for S seconds first, uncounted,
so the figures are those of a site that has been serving (its frequent searches kept) rather
than of its first minute. With
--baseline DIR (`git worktree add DIR <commit>`) the same mix runs against DIR's code on
the same database, in turn with this checkout, and the ratios are printed: the machine is
shared and the load generator runs on it too, so only ratios in one run mean much.
The site reaches the database as a deployment's DATABASE_URL does; --embedded serves it
through the embedded-server settings instead (DATABASE_URL unset), as `gunicorn` started in
a checkout without one would.
Bounded: at most --warmup + --seconds per round and side, loopback only.
"""
from __future__ import annotations

import argparse
import csv
import io
import os
import secrets
import shutil
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
MIX = ROOT / "tools" / "loadmix.py"


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def server_env(database: str, static_root: Path, embedded: bool = False) -> dict[str, str]:
    pgdata = os.environ.get("ARCHIVE_PGDATA", str(ROOT / "var" / "pgdata"))
    env = {k: v for k, v in os.environ.items() if k not in ("DJANGO_SETTINGS_MODULE", "DATABASE_URL")}
    if embedded:
        env.update({"ARCHIVE_PGDATA": pgdata, "ARCHIVE_DB_NAME": database})
    else:  # over the embedded server's socket, as a deployment's DATABASE_URL
        env["DATABASE_URL"] = f"postgres://postgres@{pgdata.replace('/', '%2F')}/{database}"
    env.update({
        "DJANGO_SETTINGS_MODULE": "archive.settings.prod",
        "SECRET_KEY": secrets.token_urlsafe(50),
        "ALLOWED_HOSTS": "127.0.0.1",
        # Plain HTTP on loopback, as behind a TLS proxy that has already answered the browser.
        "SECURE_COOKIES": "false",
        "SECURE_SSL_REDIRECT": "false",
        "SECURE_HSTS_SECONDS": "0",
        "STATIC_ROOT": str(static_root),
        "LOG_LEVEL": "ERROR",
    })
    return env


class Server:
    """gunicorn serving `code` (a checkout) on a free loopback port."""

    def __init__(self, code: Path, database: str, workers: int | None, threads: int | None, scratch: Path,
                 embedded: bool = False):
        self.code, self.port = code, free_port()
        static = scratch / f"static-{abs(hash(str(code)))}"
        self.env = server_env(database, static, embedded)
        self.env["PYTHONPATH"] = str(code)
        # Every run starts with an empty page cache (a shared file cache would otherwise carry
        # one run's pages into the next).
        self.env["ARCHIVE_CACHE_DIR"] = tempfile.mkdtemp(prefix="cache-", dir=scratch)
        if not static.exists():
            subprocess.run([sys.executable, "manage.py", "collectstatic", "--noinput", "-v0"],
                           cwd=code, env=self.env, check=True)
        command = [sys.executable, "-m", "gunicorn", "archive.wsgi:application", "--access-logfile", "/dev/null"]
        if (code / "gunicorn.conf.py").exists():
            self.env["GUNICORN_BIND"] = f"127.0.0.1:{self.port}"
            if workers:
                self.env["WEB_CONCURRENCY"] = str(workers)
            if threads:
                self.env["GUNICORN_THREADS"] = str(threads)
            command += ["-c", "gunicorn.conf.py", "--bind", f"127.0.0.1:{self.port}"]
        else:  # as that commit's Dockerfile ran it
            command += ["--bind", f"127.0.0.1:{self.port}", "--workers", str(workers or 3), "--timeout", "60"]
            if threads:
                command += ["--threads", str(threads)]
        self.log = open(scratch / f"gunicorn-{self.port}.log", "wb")
        self.process = subprocess.Popen(command, cwd=code, env=self.env, stdout=self.log, stderr=subprocess.STDOUT)
        self.url = f"http://127.0.0.1:{self.port}"
        self.wait_ready()

    def wait_ready(self, seconds: float = 120) -> None:
        deadline = time.monotonic() + seconds
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise SystemExit(f"gunicorn for {self.code} exited:\n{self._log_tail()}")
            try:
                with urllib.request.urlopen(self.url + "/about/", timeout=30) as response:
                    if response.status == 200:
                        return
            except OSError:
                time.sleep(0.5)
        raise SystemExit(f"gunicorn for {self.code} did not answer within {seconds:.0f} s:\n{self._log_tail()}")

    def _log_tail(self, lines: int = 20) -> str:
        self.log.flush()
        return "\n".join(Path(self.log.name).read_text(errors="replace").splitlines()[-lines:])

    def rss_mb(self) -> float:
        """Resident memory of the master and its workers, in MB."""
        pids = [self.process.pid]
        children = Path(f"/proc/{self.process.pid}/task/{self.process.pid}/children")
        if children.exists():
            pids += [int(p) for p in children.read_text().split()]
        total = 0
        for pid in pids:
            for line in Path(f"/proc/{pid}/status").read_text().splitlines():
                if line.startswith("VmRSS:"):
                    total += int(line.split()[1])
        return total / 1024

    def stop(self) -> None:
        self.process.terminate()
        try:
            self.process.wait(30)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait()
        self.log.close()


def notice_ids(url: str, path: Path) -> None:
    """Every public notice's id of the archive served at `url` (its notices CSV), into `path`.

    Readers arrive at notice pages from everywhere (search engines, links, feeds), so the
    mix draws from all of them: most notice pages are a first view, as on a real site."""
    with urllib.request.urlopen(f"{url}/export/notices.csv", timeout=600) as r:
        ids = [int(row["id"]) for row in csv.DictReader(io.TextIOWrapper(r, encoding="utf-8-sig"))]
    path.write_text(" ".join(map(str, ids)))


def run_locust(url: str, users: int, seconds: int, prefix: Path, warmup: int = 0) -> dict[str, dict[str, float]]:
    ids = prefix.with_suffix(".ids")
    notice_ids(url, ids)
    if warmup:  # the same readers first, not counted: the figures are then of a site that has been serving
        _locust(url, users, warmup, prefix.with_name(prefix.name + "-warmup"), ids)
    _locust(url, users, seconds, prefix, ids)
    rows = {}
    with open(f"{prefix}_stats.csv", encoding="utf-8") as handle:
        for row in csv.DictReader(handle):
            rows[row["Name"]] = {
                "requests": int(row["Request Count"]), "errors": int(row["Failure Count"]),
                "rps": float(row["Requests/s"]), "p50": _ms(row["50%"]), "p95": _ms(row["95%"]),
                "p99": _ms(row["99%"]),
            }
    return rows


def _locust(url: str, users: int, seconds: int, prefix: Path, ids: Path) -> None:
    with open(f"{prefix}.log", "wb") as log:  # locust's own report and warnings
        subprocess.run(
            [sys.executable, "-m", "locust", "-f", str(MIX), "--headless", "--only-summary", "-u", str(users),
             "-r", str(users), "-t", f"{seconds}s", "--host", url, "--csv", str(prefix), "--stop-timeout", "10",
             "--loglevel", "WARNING"],
            check=False, timeout=seconds + 300, stdout=log, stderr=subprocess.STDOUT,
            env={**os.environ, "LOADMIX_NOTICE_IDS": str(ids)},
        )


def _ms(value: str) -> float:
    return float(value) if value not in ("", "N/A") else float("nan")


def print_table(title: str, rows: dict[str, dict[str, float]], rss: float) -> None:
    print(f"\n{title}  (web processes' RSS after the run: {rss:.0f} MB)")
    print(f"{'page':<34}{'requests':>9}{'errors':>8}{'req/s':>8}{'p50 ms':>8}{'p95 ms':>8}{'p99 ms':>8}")
    for name, r in sorted(rows.items(), key=lambda item: (item[0] == "Aggregated", item[0])):
        print(f"{name:<34}{r['requests']:>9}{r['errors']:>8}{r['rps']:>8.1f}{r['p50']:>8.0f}{r['p95']:>8.0f}{r['p99']:>8.0f}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--database", default="archive_bench")
    parser.add_argument("--users", type=int, default=50)
    parser.add_argument("--seconds", type=int, default=60)
    parser.add_argument("--warmup", type=int, default=0, help="seconds of the same mix first, not counted")
    parser.add_argument("--rounds", type=int, default=1)
    parser.add_argument("--baseline", type=Path, help="another checkout to run the same mix against")
    parser.add_argument("--workers", type=int, help="gunicorn processes (default: the checkout's own setting)")
    parser.add_argument("--threads", type=int, help="threads per process (default: the checkout's own setting)")
    parser.add_argument("--embedded", action="store_true", help="serve through the embedded-server settings, not DATABASE_URL")
    args = parser.parse_args()
    if not 0 < args.seconds <= 600 or not 0 <= args.warmup <= 600 or not 0 < args.users <= 500:
        parser.error("Keep the load bounded: at most 600 seconds and 500 users.")
    print(f"load before: {os.getloadavg()[0]:.1f} {os.getloadavg()[1]:.1f} {os.getloadavg()[2]:.1f} "
          f"on {os.cpu_count()} cores")
    sides = [("this checkout", ROOT)] + ([("baseline", args.baseline.resolve())] if args.baseline else [])
    scratch = Path(tempfile.mkdtemp(prefix="loadtest-"))
    results: dict[str, list[dict]] = {name: [] for name, _ in sides}
    try:
        for round_ in range(args.rounds):
            for name, code in (sides if round_ % 2 == 0 else sides[::-1]):
                server = Server(code, args.database, args.workers, args.threads, scratch, args.embedded)
                try:
                    rows = run_locust(server.url, args.users, args.seconds, scratch / f"{name}-{round_}".replace(" ", "_"),
                                      args.warmup)
                    rss = server.rss_mb()
                finally:
                    server.stop()
                print_table(f"{name} ({code}), round {round_ + 1}", rows, rss)
                results[name].append(rows["Aggregated"])
    finally:
        shutil.rmtree(scratch, ignore_errors=True)
    print(f"\nload after: {os.getloadavg()[0]:.1f} {os.getloadavg()[1]:.1f} {os.getloadavg()[2]:.1f}")
    if args.baseline:
        ours, base = results["this checkout"], results["baseline"]
        rps = sum(r["rps"] for r in ours) / sum(r["rps"] for r in base)
        p95 = sum(r["p95"] for r in base) / max(1.0, sum(r["p95"] for r in ours))
        print(f"\nside by side over {args.rounds} round(s): throughput {rps:.1f}x the baseline's, "
              f"p95 {p95:.1f}x lower; errors {sum(r['errors'] for r in ours)} vs {sum(r['errors'] for r in base)}")


if __name__ == "__main__":
    main()
