"""Readers' searches on a streaming replica: an embedded PostgreSQL started as a streaming standby of another.

The standby is made as a deployer would make one (pg_basebackup -R from the pgserver
binaries, then started in recovery); the primary streams its changes to it. A notice
ingested on the primary must then be found by a reader's search, which runs on the
standby, while the person who just wrote reads from the primary.
"""
from __future__ import annotations

import os
import pwd
import shutil
import subprocess
import tempfile
import time
from pathlib import Path

import pytest
from django.db import connections
from django.test.utils import CaptureQueriesContext

from archive import replicas

from .conftest import SAMPLES

PHRASE = "星火驿站"  # in no sample: only the notice this test ingests has it


@pytest.fixture
def transactional_db(django_db_setup, django_db_blocker):
    """Committed access (a replica sees only what is committed), without the flush that ends pytest-django's
    transactional tests: these tests write to a primary of their own, thrown away afterwards."""
    django_db_blocker.unblock()
    yield
    django_db_blocker.restore()


def _pg(binary: str, *args: str, user: str | None) -> None:
    import pgserver

    command = [str(Path(pgserver.__file__).parent / "pginstall" / "bin" / binary), *args]
    done = subprocess.run(command, user=user, timeout=120, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    assert done.returncode == 0, f"{binary} failed: {done.stderr.decode(errors='replace')}"


@pytest.fixture(scope="module")
def standby(django_db_setup, django_db_blocker):
    """A primary of its own as "default" (a fresh embedded server, migrated) and its streaming standby as "replica1".

    Not a standby of the test server: pg_basebackup copies a whole cluster, and a developer's
    server also holds the benchmark archives (gigabytes).
    """
    from django.core.management import call_command

    from archive.embedded_postgres.server import ensure_database, ensure_server, stop_server

    default = connections["default"]
    saved = dict(default.settings_dict)
    var = Path(saved.get("PGDATA") or Path(__file__).resolve().parents[1] / "var" / "pgdata").resolve().parent
    var.mkdir(parents=True, exist_ok=True)
    folder = Path(tempfile.mkdtemp(prefix="replication-", dir=var))
    folder.chmod(0o755)
    primary = folder / "primary"
    socket_dir = ensure_server(primary)
    ensure_database(socket_dir, "replicated", "postgres")
    owner = pwd.getpwuid(primary.stat().st_uid).pw_name
    user = owner if os.geteuid() == 0 and owner != "root" else None  # pgserver runs PostgreSQL as its own user under root
    data, sockets = folder / "standby", folder / "standby-socket"  # not in data: the copy brings the primary's lock
    for path in (data, sockets):
        path.mkdir(mode=0o700)
        if user:
            shutil.chown(path, user)
    default.close()
    default.settings_dict.update(PGDATA=str(primary), HOST=socket_dir, NAME="replicated", USER="postgres", PASSWORD="")
    try:
        with django_db_blocker.unblock():
            call_command("migrate", verbosity=0)
        _pg("pg_basebackup", "-h", socket_dir, "-U", "postgres", "-D", str(data), "-R", "-X", "stream", "-c", "fast",
            user=user)
        try:
            _pg("pg_ctl", "-D", str(data), "-w", "-l", str(data / "log"), "-o", "-h ''", "-o", f"-k {sockets}",
                "start", user=user)
        except AssertionError as failed:
            raise AssertionError(f"{failed}\n{(data / 'log').read_text(errors='replace')[-2000:]}") from None
        connections.settings["replica1"] = {**default.settings_dict, "ENGINE": "django.db.backends.postgresql",
                                            "HOST": str(sockets)}
        yield "replica1"
    finally:
        if "replica1" in connections.settings:
            connections["replica1"].close()
            del connections["replica1"]
            del connections.settings["replica1"]
            _pg("pg_ctl", "-D", str(data), "-m", "immediate", "stop", user=user)
        default.close()
        default.settings_dict.clear()
        default.settings_dict.update(saved)
        stop_server(primary)
        shutil.rmtree(folder, ignore_errors=True)


def wait_for_replay(alias: str, seconds: float = 60) -> None:
    """Until the standby has replayed everything the primary has written so far (bounded)."""
    with connections["default"].cursor() as cursor:
        cursor.execute("SELECT pg_current_wal_lsn()")
        target = cursor.fetchone()[0]
    deadline = time.monotonic() + seconds
    with connections[alias].cursor() as cursor:
        while time.monotonic() < deadline:
            cursor.execute("SELECT pg_last_wal_replay_lsn() >= %s::pg_lsn", [target])
            if cursor.fetchone()[0]:
                return
            time.sleep(0.1)
    raise AssertionError(f"the standby did not catch up within {seconds:.0f} s")


@pytest.fixture
def new_notice(transactional_db, standby):
    """A notice ingested (and committed) on the primary."""
    from notices.ingest import ingest_bytes
    from notices.models import Notice

    data = (SAMPLES / "001_3d259237efffa0a3.txt").read_bytes().replace("整改".encode(), f"{PHRASE}整改".encode(), 1)
    result = ingest_bytes(data, "replica-test.txt", "text/plain")
    assert result.outcome in ("new", "unchanged"), result
    return Notice.objects.get(source__filename="replica-test.txt")


def test_a_notice_ingested_on_the_primary_is_found_by_a_search_on_the_replica(
        transactional_db, standby, new_notice, client, settings):
    settings.DATABASE_REPLICAS = [standby]
    wait_for_replay(standby)
    with CaptureQueriesContext(connections[standby]) as on_replica, \
            CaptureQueriesContext(connections["default"]) as on_primary:
        page = client.get("/notices/", {"q": PHRASE})
    assert page.status_code == 200 and f"/notices/{new_notice.pk}/" in page.content.decode()
    assert any("grams" in q["sql"] for q in on_replica.captured_queries)  # the search itself ran there
    assert not on_primary.captured_queries
    with connections[standby].cursor() as cursor:
        cursor.execute("SELECT pg_is_in_recovery()")
        assert cursor.fetchone()[0]  # a standby indeed


def test_who_has_just_written_reads_from_the_primary(transactional_db, standby, new_notice, client, settings):
    settings.DATABASE_REPLICAS = [standby]
    client.post("/admin/login/", {"username": "nobody", "password": "wrong"})  # any write sets the window
    assert client.cookies[replicas.COOKIE].value
    with CaptureQueriesContext(connections[standby]) as on_replica:
        page = client.get("/notices/", {"q": PHRASE})
    assert f"/notices/{new_notice.pk}/" in page.content.decode()
    assert not on_replica.captured_queries
