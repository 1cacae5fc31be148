"""The embedded PostgreSQL starts with the archive's settings (archive/embedded_postgres/server.py)."""
from __future__ import annotations

import shutil
import tempfile
from pathlib import Path

import psycopg

from archive.embedded_postgres.server import ensure_server, stop_server


def shared_buffers(socket_dir: str) -> str:
    with psycopg.connect(host=socket_dir, dbname="postgres", user="postgres") as conn:
        return conn.execute("SHOW shared_buffers").fetchone()[0]


def test_a_new_server_and_a_restarted_one_run_with_the_settings_given():
    var = Path(__file__).resolve().parents[1] / "var"
    var.mkdir(exist_ok=True)
    folder = Path(tempfile.mkdtemp(prefix="settings-", dir=var))
    folder.chmod(0o755)  # pgserver runs PostgreSQL as its own user under root
    pgdata = folder / "pgdata"
    try:
        socket_dir = ensure_server(pgdata, {"shared_buffers": "160MB"})  # made, then restarted with it
        assert shared_buffers(socket_dir) == "160MB"
        assert ensure_server(pgdata, {"shared_buffers": "200MB"}) == socket_dir  # running: kept as it is
        assert shared_buffers(socket_dir) == "160MB"
        stop_server(pgdata)
        socket_dir = ensure_server(pgdata, {"shared_buffers": "200MB"})  # started again: the new value
        assert shared_buffers(socket_dir) == "200MB"
    finally:
        stop_server(pgdata)
        shutil.rmtree(folder, ignore_errors=True)
