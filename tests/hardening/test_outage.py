"""The database killed in the middle of an ingest run and of serving pages, on a server of the
test's own (an embedded PostgreSQL in a temporary folder), so the suite's server is untouched.

What must hold: every file a run reported `new` survives the crash (its batch's commit
waited for the disk before the lines were printed); the run ends with its summary and what
to run next, no traceback; and the web app serves again by itself once the database is back.
"""
from __future__ import annotations

import os
import re
import signal
import subprocess
import sys
import urllib.error
import urllib.request
from pathlib import Path

import psutil
import pytest

from ..conftest import SEED_FILES
from .test_faults import _wait_until
from .test_deployment import _free_port

ROOT = Path(__file__).resolve().parents[2]
pytestmark = pytest.mark.skipif(bool(os.environ.get("DATABASE_URL")),
                                reason="kills an embedded server of its own; DATABASE_URL points elsewhere")


@pytest.fixture(scope="module")
def own_archive(tmp_path_factory):
    """An empty, migrated archive on an embedded server in a folder of its own; stopped afterwards."""
    pgdata = tmp_path_factory.mktemp("outage") / "pgdata"
    env = {k: v for k, v in os.environ.items() if k != "DATABASE_URL"}
    env.update(ARCHIVE_PGDATA=str(pgdata), ARCHIVE_DB_NAME="archive", DJANGO_SETTINGS_MODULE="archive.settings.test")
    migrated = subprocess.run([sys.executable, "manage.py", "migrate", "--noinput"], cwd=ROOT, env=env,
                              stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
    assert migrated.returncode == 0, migrated.stderr[-3000:]
    yield pgdata, env
    subprocess.run([sys.executable, "dev.py", "stop"], cwd=ROOT, env=env, stdout=subprocess.DEVNULL,
                   stderr=subprocess.DEVNULL)


def _kill_the_server(pgdata: Path) -> None:
    """SIGKILL the postmaster and every backend: a crash, not a shutdown."""
    postmaster = psutil.Process(int((pgdata / "postmaster.pid").read_text().split("\n", 1)[0]))
    processes = [postmaster, *postmaster.children(recursive=True)]
    for process in processes:
        process.send_signal(signal.SIGKILL)
    psutil.wait_procs(processes, timeout=30)


def _stored_filenames(env) -> set[str]:
    code = "from notices.models import SourceFile; print('\\n'.join(SourceFile.objects.values_list('filename', flat=True)))"
    proc = subprocess.run([sys.executable, "manage.py", "shell", "--no-imports", "-c", code], cwd=ROOT, env=env,
                         check=True, capture_output=True, text=True)
    out = proc.stdout
    return set(out.split())


def _get(url: str) -> tuple[int, str]:
    try:
        with urllib.request.urlopen(url, timeout=60) as response:
            return response.status, response.read().decode()
    except urllib.error.HTTPError as error:
        return error.code, error.read().decode()


def test_a_crash_mid_run_keeps_every_file_reported_new_and_ends_with_a_summary(own_archive, tmp_path):
    pgdata, env = own_archive
    for i in range(150):
        (tmp_path / f"n{i:03}.txt").write_bytes(SEED_FILES[i % 5].read_bytes() + b"\n" * (i + 3))
    # The files are the samples again: store each as a notice of its own, link none as a copy.
    env = dict(env, ARCHIVE_NEAR_DUPLICATE_THRESHOLD="1.01")
    run = subprocess.Popen([sys.executable, "manage.py", "ingest", "--workers", "1", str(tmp_path)],
                           cwd=ROOT, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
    reported_new, lines = set(), []
    for line in run.stderr:
        lines.append(line)
        if m := re.match(r"\[\d+/\d+\] new: .*/(n\d+\.txt)", line):
            reported_new.add(m.group(1))
            if len(reported_new) == 50:
                _kill_the_server(pgdata)
                break
    lines += run.stderr.readlines()
    code = run.wait(timeout=120)
    output = "".join(lines)
    assert len(reported_new) == 50, output
    assert code != 0 and "Traceback" not in output, output
    assert "Summary: 50 new" in output and "The database stopped answering" in output, output
    assert "run the same command again" in output, output

    stored = _stored_filenames(env)  # the next connection starts the server again
    assert reported_new <= stored, (len(stored), sorted(reported_new - stored)[:5])


def test_the_web_app_recovers_by_itself_when_the_database_comes_back(own_archive):
    pgdata, env = own_archive
    port = _free_port()
    server = subprocess.Popen(
        [sys.executable, "-m", "gunicorn", "-c", "gunicorn.conf.py", "archive.wsgi:application"],
        cwd=ROOT, env=dict(env, GUNICORN_BIND=f"127.0.0.1:{port}", WEB_CONCURRENCY="1"),
        stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
    )
    base = f"http://127.0.0.1:{port}"
    try:
        assert _wait_until(lambda: _get_or_none(base + "/notices/") == 200), "the server never answered"
        _kill_the_server(pgdata)
        status, body = _get(base + "/notices/?q=%E6%95%B4%E6%94%B9")
        assert status in (200, 503), (status, body[:500])
        if status == 503:
            assert "数据库暂时无法连接" in body
        assert _wait_until(lambda: _get_or_none(base + "/notices/?q=%E6%95%B4%E6%94%B9") == 200)
    finally:
        server.terminate()
        server.wait(timeout=30)


def test_the_web_app_keeps_its_connections_to_the_embedded_server(own_archive):
    """Without DATABASE_URL too, a request does not open a connection of its own (a new server
    process each time): the sessions the database counts grow by the threads, not the requests."""
    pgdata, env = own_archive
    port = _free_port()
    server = subprocess.Popen(
        [sys.executable, "-m", "gunicorn", "-c", "gunicorn.conf.py", "archive.wsgi:application"],
        cwd=ROOT, env=dict(env, GUNICORN_BIND=f"127.0.0.1:{port}", WEB_CONCURRENCY="1", GUNICORN_THREADS="2"),
        stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
    )
    base = f"http://127.0.0.1:{port}"
    try:
        assert _wait_until(lambda: _get_or_none(base + "/notices/") == 200), "the server never answered"
        before = _sessions(env)
        for _ in range(20):
            assert _get(base + "/notices/?q=%E4%BD%8E%E4%BF%9D")[0] == 200
        opened = _sessions(env) - before - 1  # (the count's own session)
        assert opened < 10, f"{opened} connections for 20 requests"
    finally:
        server.terminate()
        server.wait(timeout=30)


def _sessions(env) -> int:
    """Sessions PostgreSQL has counted on the archive's database since its statistics began."""
    code = ("from django.db import connection; c = connection.cursor(); "
            "c.execute('SELECT sessions FROM pg_stat_database WHERE datname = current_database()'); print(c.fetchone()[0])")
    proc = subprocess.run([sys.executable, "manage.py", "shell", "--no-imports", "-c", code], cwd=ROOT, env=env,
                          check=True, capture_output=True, text=True)
    return int(proc.stdout.split()[-1])


def _get_or_none(url: str) -> int | None:
    try:
        return _get(url)[0]
    except OSError:  # refused, reset or timed out
        return None


def test_a_database_that_cannot_be_reached_gives_a_503_in_chinese(tmp_path):
    port = _free_port()
    with socket_nobody_listens() as dead:
        env = dict(os.environ, DATABASE_URL=f"postgres://archive@127.0.0.1:{dead}/archive",
                   DJANGO_SETTINGS_MODULE="archive.settings.test", GUNICORN_BIND=f"127.0.0.1:{port}",
                   WEB_CONCURRENCY="1")
        server = subprocess.Popen(
            [sys.executable, "-m", "gunicorn", "-c", "gunicorn.conf.py", "archive.wsgi:application"],
            cwd=ROOT, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
        )
        base = f"http://127.0.0.1:{port}"
        try:
            assert _wait_until(lambda: _get_or_none(base + "/notices/") is not None)
            status, body = _get(base + "/notices/?q=%E4%BD%8E%E4%BF%9D")
            assert status == 503 and "数据库暂时无法连接" in body and "<html" in body
            status, body = _get(base + "/api/v1/notices")
            assert status == 503 and "数据库暂时无法连接" in body
        finally:
            server.terminate()
            server.wait(timeout=30)


class socket_nobody_listens:
    """A port bound but not listening: connections to it are refused at once."""

    def __enter__(self) -> int:
        import socket

        self.sock = socket.socket()
        self.sock.bind(("127.0.0.1", 0))
        return self.sock.getsockname()[1]

    def __exit__(self, *exc) -> None:
        self.sock.close()
