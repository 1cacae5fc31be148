"""Shared fixtures: a real PostgreSQL test database with the sample notices ingested once per session."""
from __future__ import annotations

from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
SAMPLES = ROOT / "samples"
SEED_FILES = sorted(SAMPLES.glob("*.txt"))


@pytest.fixture(scope="session")
def django_db_setup(django_db_setup, django_db_blocker):
    """The test database, migrated, with the five seed notices stored through the real ingest path."""
    from notices.ingest import ingest_bytes

    with django_db_blocker.unblock():
        for path in SEED_FILES:
            result = ingest_bytes(path.read_bytes(), path.name, "text/plain")
            assert result.outcome in ("new", "unchanged"), result
    yield
    # A live server thread may still hold a session; the test database cannot be dropped under it.
    from django.db import connection

    with django_db_blocker.unblock(), connection.cursor() as cursor:
        cursor.execute("SELECT pg_terminate_backend(pid) FROM pg_stat_activity "
                       "WHERE datname = current_database() AND pid <> pg_backend_pid()")


def make_archivist_group() -> None:
    """The 档案员 group with every permission the migrations give it."""
    import importlib

    from django.apps import apps

    importlib.import_module("notices.migrations.0002_corrections_uploads_recycle_bin").create_archivist_group(apps, None)
    importlib.import_module("notices.migrations.0010_jobs").let_archivists_run_jobs(apps, None)
    importlib.import_module("notices.migrations.0014_harvest_sources").let_archivists_keep_sources(apps, None)


def put_back_shared_data() -> None:
    """After a transactional test emptied every table: the archivists' group and the seed notices again."""
    from notices.ingest import ingest_bytes

    make_archivist_group()
    for path in SEED_FILES:
        ingest_bytes(path.read_bytes(), path.name, "text/plain")


@pytest.fixture
def archivist(client):
    """A member of the archivists' group, logged in to the test client."""
    from .admin_helpers import make_user

    user = make_user("archivist")
    client.force_login(user)
    return user


@pytest.fixture(autouse=True)
def _fresh_cache():
    """Each test starts with an empty cache: kept pages and summaries never leak from one test's archive to the next."""
    from django.core.cache import cache

    cache.clear()
    yield


@pytest.fixture(scope="session", autouse=True)
def ocr_cache(tmp_path_factory):
    """OCR text cached for this session only: a scan the tests make is read once, and no
    test reads text another run left behind."""
    from notices.parsing import ocr

    previous = ocr.configure(cache_dir=str(tmp_path_factory.mktemp("ocr-cache")))
    yield
    ocr.configure(previous)
