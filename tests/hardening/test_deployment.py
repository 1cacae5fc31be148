"""Deployment: the production web server as configured (gunicorn.conf.py), serving the test
database over real HTTP, and the production settings' own check."""
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
def gunicorn(db):
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
            except OSError:  # refused, reset or timed out while it starts
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


def test_the_production_settings_pass_the_deploy_check_with_https_on_by_default():
    import secrets

    env = dict(os.environ, DJANGO_SETTINGS_MODULE="archive.settings.prod", SECRET_KEY=secrets.token_urlsafe(50),
               DATABASE_URL="postgres://archive@127.0.0.1:1/archive", ALLOWED_HOSTS="archive.example.org")
    # As a deployment has them: none of these set (the browser tests set the last one for Playwright).
    for name in ("SECURE_SSL_REDIRECT", "SECURE_HSTS_SECONDS", "SECURE_COOKIES", "DJANGO_ALLOW_ASYNC_UNSAFE"):
        env.pop(name, None)
    check = subprocess.run([sys.executable, "manage.py", "check", "--deploy", "--fail-level", "WARNING"],
                           cwd=ROOT, env=env, capture_output=True, text=True)
    assert check.returncode == 0, check.stdout + check.stderr


def test_a_page_one_web_process_rendered_is_served_by_the_others(gunicorn, client):
    """The page cache is shared by every process (a file cache): the server answers with the page
    this test's process rendered. Seen through a title changed in this test's transaction only, so
    the server's own rendering would show the stored one."""
    from django.db import connection

    from notices.models import Notice

    notice = Notice.objects.order_by("pk").first()
    with connection.cursor() as cursor:  # no save(): the archive's fingerprint stays as it was
        cursor.execute("UPDATE notices_notice SET title = %s WHERE id = %s", ["此标题只在测试进程里可见", notice.pk])
    assert "此标题只在测试进程里可见" in client.get(f"/notices/{notice.pk}/").content.decode()

    with urllib.request.urlopen(f"{gunicorn}/notices/{notice.pk}/", timeout=60) as response:
        assert "此标题只在测试进程里可见" in response.read().decode()
