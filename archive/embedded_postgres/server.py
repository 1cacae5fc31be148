"""Start (or find) the embedded PostgreSQL server and make sure a database exists."""
from __future__ import annotations

import logging
import threading
import warnings
from pathlib import Path

logger = logging.getLogger(__name__)
_lock = threading.Lock()
_running: dict[Path, str] = {}


def ensure_server(pgdata: Path) -> str:
    """Return the socket directory of a running server for `pgdata`, starting it if needed."""
    pgdata = pgdata.expanduser().resolve()
    with _lock:
        if pgdata in _running:
            return _running[pgdata]
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")  # platformdirs warns when XDG_RUNTIME_DIR is unset
            import pgserver

        pgdata.parent.mkdir(parents=True, exist_ok=True)
        try:
            # cleanup_mode=None: the server outlives this process; the next one reuses it.
            server = pgserver.get_server(pgdata, cleanup_mode=None)
        except Exception as exc:  # pgserver raises assorted errors; the log says more
            raise RuntimeError(
                f"The embedded PostgreSQL in {pgdata} did not start ({exc}). Its log is {pgdata / 'log'}; "
                "if the folder is from another PostgreSQL version, move it away, or set DATABASE_URL."
            ) from exc
        socket_dir = str(server.get_postmaster_info().socket_dir)
        _running[pgdata] = socket_dir
        return socket_dir


def stop_server(pgdata: Path) -> bool:
    """Stop the embedded server if it runs; True if it was running."""
    import subprocess

    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        from pgserver._commands import pg_ctl
        from pgserver.utils import PostmasterInfo

    pgdata = pgdata.expanduser().resolve()
    info = PostmasterInfo.read_from_pgdata(pgdata) if (pgdata / "PG_VERSION").exists() else None
    _running.pop(pgdata, None)
    if info is None or not info.is_running():
        return False
    user = info.process.username() if info.process else None
    try:
        pg_ctl(["-w", "-m", "fast", "stop"], pgdata=pgdata, user=user if user != "root" else None)
    except subprocess.CalledProcessError:
        info.process.terminate()
    return True


def ensure_database(socket_dir: str, name: str, user: str = "postgres") -> None:
    import psycopg
    from psycopg import sql

    with psycopg.connect(host=socket_dir, dbname="postgres", user=user, autocommit=True) as conn:
        exists = conn.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name]).fetchone()
        if not exists:
            conn.execute(sql.SQL("CREATE DATABASE {} ENCODING 'UTF8' TEMPLATE template0").format(sql.Identifier(name)))
