"""The production web server as configured (gunicorn.conf.py), serving the test database over real HTTP."""
from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.parse
import urllib.request
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
pytest.importorskip("gunicorn")


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def _database_env() -> dict[str, str]:
    """Point the server at the test database the session created."""
    from django.db import connection

    name = connection.settings_dict["NAME"]
    url = os.environ.get("DATABASE_URL")
    if url:
        parts = urllib.parse.urlsplit(url)
        return {"DATABASE_URL": urllib.parse.urlunsplit(parts._replace(path="/" + name))}
    return {"ARCHIVE_DB_NAME": name}


@pytest.fixture
def gunicorn(django_db_setup):
    port = _free_port()
    env = dict(os.environ, DJANGO_SETTINGS_MODULE="archive.settings.test", GUNICORN_BIND=f"127.0.0.1:{port}",
               WEB_CONCURRENCY="1", **_database_env())
    server = subprocess.Popen(
        [sys.executable, "-m", "gunicorn", "-c", "gunicorn.conf.py", "archive.wsgi:application"],
        cwd=ROOT, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE,
    )
    base = f"http://127.0.0.1:{port}"
    try:
        for _ in range(600):  # up to a minute on a busy machine, polling every 0.1 s
            try:
                urllib.request.urlopen(base + "/about/", timeout=5).read()
                break
            except (urllib.error.URLError, ConnectionError):
                assert server.poll() is None, server.stderr.read().decode()
                time.sleep(0.1)
        yield base
    finally:
        server.terminate()
        server.wait(timeout=30)


def test_the_longest_query_the_search_box_allows_fits_the_request_line(gunicorn):
    from notices.search.query import MAX_QUERY_CHARS

    query = urllib.parse.urlencode({"q": "低" * MAX_QUERY_CHARS, "province": "广东省", "year": "2024"})
    with urllib.request.urlopen(f"{gunicorn}/notices/?{query}", timeout=60) as response:
        assert response.status == 200
        assert "低低低" in response.read().decode()


def test_the_server_runs_threads_so_one_slow_request_does_not_hold_a_whole_process():
    from gunicorn.config import Config

    config = Config()
    namespace = {}
    exec(compile((ROOT / "gunicorn.conf.py").read_text(), "gunicorn.conf.py", "exec"), namespace)
    for name in ("workers", "threads", "worker_class", "limit_request_line"):
        config.set(name, namespace[name])
    assert config.worker_class_str == "gthread" and config.threads * config.workers >= 8
