"""Start (or find) the embedded PostgreSQL server and make sure a database exists."""
from __future__ import annotations

import logging
import subprocess
import threading
import warnings
from pathlib import Path

logger = logging.getLogger(__name__)
_lock = threading.Lock()
_running: dict[Path, str] = {}


def ensure_server(pgdata: Path, options: dict[str, str] | None = None) -> str:
    """Return the socket directory of a running server for `pgdata`, starting it if needed.

    `options` (postgresql.conf settings) apply whenever this starts the server; a server
    already running keeps its own until it is started again.
    """
    pgdata = pgdata.expanduser().resolve()
    with _lock:
        if pgdata in _running and _postmaster_alive(pgdata):
            return _running[pgdata]
        _running.pop(pgdata, None)  # it died (or was stopped) since: start it again
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")  # platformdirs warns when XDG_RUNTIME_DIR is unset
            import pgserver

        pgdata.parent.mkdir(parents=True, exist_ok=True)
        _remove_stale_pid_file(pgdata)
        # pgserver keeps a handle per folder and would hand back the dead server's: forget it.
        from pgserver.postgres_server import PostgresServer

        PostgresServer._instances.pop(pgdata, None)
        fresh = not (pgdata / "PG_VERSION").exists()
        if options and not fresh and not _postmaster_alive(pgdata):
            _configure(pgdata, options)  # read by the start below
        try:
            try:
                # cleanup_mode=None: the server outlives this process; the next one reuses it.
                server = pgserver.get_server(pgdata, cleanup_mode=None)
            except subprocess.TimeoutExpired:
                # pgserver gives pg_ctl 10 s, but the server goes on starting: crash recovery on
                # a busy machine can take longer. Wait for it, then take the running server.
                if not _wait_until_ready(pgdata):
                    raise
                PostgresServer._instances.pop(pgdata, None)
                server = pgserver.get_server(pgdata, cleanup_mode=None)
        except Exception as exc:  # pgserver raises assorted errors; the log says more
            raise RuntimeError(
                f"The embedded PostgreSQL in {pgdata} did not start ({exc}). Its log is {pgdata / 'log'}; "
                "if the folder is from another PostgreSQL version, move it away, or set DATABASE_URL."
            ) from exc
        if options and fresh and _configure(pgdata, options):
            _pg_ctl(pgdata, ["-w", "-m", "fast", "restart"])  # pgserver made and started it with the defaults
        socket_dir = str(server.get_postmaster_info().socket_dir)
        _running[pgdata] = socket_dir
        return socket_dir


SETTINGS_FILE = "archive.conf"  # included from postgresql.conf


def _configure(pgdata: Path, options: dict[str, str]) -> bool:
    """Write `options` where postgresql.conf includes them; True if they changed."""
    conf = pgdata / "postgresql.conf"
    include = f"include_if_exists = '{SETTINGS_FILE}'"
    text = conf.read_text()
    if include not in text:
        conf.write_text(text.rstrip("\n") + f"\n# The archive's settings (ensure_server writes them):\n{include}\n")
    body = "".join(f"{name} = '{value}'\n" for name, value in sorted(options.items()))
    target = pgdata / SETTINGS_FILE
    if target.exists() and target.read_text() == body:
        return False
    target.write_text(body)
    return True


def _pg_ctl(pgdata: Path, args: list[str]) -> None:
    """pg_ctl as the user the server runs as (pgserver runs it as another user under root)."""
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        from pgserver._commands import pg_ctl
        from pgserver.utils import PostmasterInfo

    info = PostmasterInfo.read_from_pgdata(pgdata)
    user = info.process.username() if info is not None and info.process else None
    pg_ctl(args, pgdata=pgdata, user=user if user != "root" else None)


def _wait_until_ready(pgdata: Path, seconds: int = 120) -> bool:
    """Poll postmaster.pid until its status line says ready (PostgreSQL writes it there)."""
    import time

    for _ in range(seconds * 4):
        try:
            if "ready" in (pgdata / "postmaster.pid").read_text() and _postmaster_alive(pgdata):
                return True
        except OSError:
            pass
        time.sleep(0.25)
    return False


def _postmaster_alive(pgdata: Path) -> bool:
    """Whether the server that wrote postmaster.pid still runs: a new connection after an
    outage then finds it started again, with no restart of the process that connects."""
    import psutil

    try:
        pid = int((pgdata / "postmaster.pid").read_text().split("\n", 1)[0])
        return psutil.Process(pid).is_running() and psutil.Process(pid).status() != psutil.STATUS_ZOMBIE
    except (OSError, ValueError, psutil.Error):
        return False


def _remove_stale_pid_file(pgdata: Path) -> None:
    """Drop a postmaster.pid left by a server that died, when its PID now belongs to another program.

    PostgreSQL clears its own stale lock file when the PID is free, but refuses to start
    when the PID was reused (after a reboot, say): then this file is the only thing in the way.
    """
    import psutil

    pid_file = pgdata / "postmaster.pid"
    try:
        pid = int(pid_file.read_text().split("\n", 1)[0])
    except (OSError, ValueError):
        return
    try:
        if "postgres" in psutil.Process(pid).name():
            return
    except psutil.Error:
        return  # no such process: PostgreSQL handles this case itself
    logger.warning("Removing %s: its PID %s now belongs to another program.", pid_file, pid)
    pid_file.unlink(missing_ok=True)


def stop_server(pgdata: Path) -> bool:
    """Stop the embedded server if it runs; True if it was running."""
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        from pgserver.utils import PostmasterInfo

    pgdata = pgdata.expanduser().resolve()
    info = PostmasterInfo.read_from_pgdata(pgdata) if (pgdata / "PG_VERSION").exists() else None
    _running.pop(pgdata, None)
    if info is None or not info.is_running():
        return False
    try:
        _pg_ctl(pgdata, ["-w", "-m", "fast", "stop"])
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
