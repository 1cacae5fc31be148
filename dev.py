#!/usr/bin/env python3
"""Set up and run the archive with nothing but Python 3.11+.

    python3 dev.py up [ADDRESS]
                           create .venv, install, start the embedded PostgreSQL, migrate,
                           ingest the sample notices, start one job worker, serve http://127.0.0.1:8000
                           (or ADDRESS, e.g. 0.0.0.0:8000 or 127.0.0.1:8080)
    python3 dev.py test    create .venv, install with the test extras, run the whole test suite
                           (extra arguments go to pytest)
    python3 dev.py stop    stop the job worker and the embedded PostgreSQL (it otherwise keeps running between runs)

Standard library only: this file runs before anything is installed.
"""
from __future__ import annotations

import hashlib
import os
import signal
import subprocess
import sys
import venv
from pathlib import Path

ROOT = Path(__file__).resolve().parent
VENV = ROOT / ".venv"
PYTHON = VENV / ("Scripts/python.exe" if os.name == "nt" else "bin/python")
STAMP = VENV / ".installed"
WORKER_PID = ROOT / "var" / "worker.pid"


def run(*args: str | os.PathLike, env: dict | None = None) -> None:
    print("+", " ".join(str(a) for a in args), flush=True)
    subprocess.run([str(a) for a in args], cwd=ROOT, check=True, env=env)


def ensure_venv(extras: str) -> None:
    """Create .venv and install the project once; reinstall when pyproject.toml or the extras change."""
    if sys.version_info < (3, 11):
        sys.exit(f"Python 3.11 or newer is needed; this is {sys.version.split()[0]}.")
    if not PYTHON.exists():
        print(f"Creating {VENV} ...", flush=True)
        venv.create(VENV, with_pip=True)
    wanted = hashlib.sha256((ROOT / "pyproject.toml").read_bytes() + extras.encode() + HEADLESS.encode()).hexdigest()
    if STAMP.exists() and STAMP.read_text() == wanted:
        return
    run(PYTHON, "-m", "pip", "install", "--quiet", "--upgrade", "pip")
    run(PYTHON, "-m", "pip", "install", "--quiet", "-e", f".[{extras}]")
    headless_opencv()
    STAMP.write_text(wanted)


# RapidOCR's wheel asks for the full OpenCV build, which cannot be imported without libGL.so.1
# (absent from servers and slim images: a machine with nothing but Python). Its headless build
# is the same library without the display parts; the Dockerfile makes the same swap.
HEADLESS = "opencv-python -> opencv-python-headless"


def headless_opencv() -> None:
    """Put the headless OpenCV build of the same version in place of the full one pip just installed.
    Both write the same cv2/ files, so the headless one is reinstalled after the full one is removed."""
    found = subprocess.run([str(PYTHON), "-c", "import importlib.metadata as m; print(m.version('opencv-python'))"],
                           capture_output=True, text=True)
    if found.returncode != 0:
        return  # not installed: the headless build is already in its place
    run(PYTHON, "-m", "pip", "uninstall", "--quiet", "-y", "opencv-python")
    run(PYTHON, "-m", "pip", "install", "--quiet", "--force-reinstall", "--no-deps",
        f"opencv-python-headless=={found.stdout.strip()}")


def manage(*args: str) -> None:
    run(PYTHON, "manage.py", *args)


def up(args: list[str]) -> None:
    ensure_venv("test")
    manage("migrate", "--noinput")
    manage("ingest", "samples")
    address = args[0] if args else "127.0.0.1:8000"
    start_worker()
    print(f"\nThe archive is at http://{address}/ (Ctrl-C stops the web server and the worker).\n", flush=True)
    try:
        subprocess.run([str(PYTHON), "manage.py", "runserver", address], cwd=ROOT)
    except KeyboardInterrupt:
        pass
    finally:
        stop_worker()


def start_worker() -> None:
    """One job worker beside the web server, as in production: uploads of many files, re-parses and
    harvests run there. Its output goes to var/worker.log."""
    stop_worker()  # one left from a run that did not end cleanly
    WORKER_PID.parent.mkdir(parents=True, exist_ok=True)
    log = open(WORKER_PID.with_name("worker.log"), "ab")
    worker = subprocess.Popen([str(PYTHON), "manage.py", "worker"], cwd=ROOT, stdout=log, stderr=log)
    WORKER_PID.write_text(str(worker.pid))
    print(f"A job worker runs (pid {worker.pid}; its log is var/worker.log).", flush=True)


def stop_worker() -> bool:
    """Stop the worker this file started, if it still runs (by the pid it wrote, nothing else)."""
    try:
        pid = int(WORKER_PID.read_text())
    except (OSError, ValueError):
        return False
    WORKER_PID.unlink(missing_ok=True)
    cmdline = Path(f"/proc/{pid}/cmdline")
    if cmdline.exists() and b"worker" not in cmdline.read_bytes():
        return False  # that pid belongs to another program now
    try:
        os.kill(pid, signal.SIGTERM)  # the worker finishes the job in hand, then stops
    except (ProcessLookupError, PermissionError):
        return False
    return True


def test(args: list[str]) -> None:
    ensure_venv("test")
    env = dict(os.environ, DJANGO_SETTINGS_MODULE="archive.settings.test")
    try:
        run(PYTHON, "-m", "pytest", *args, env=env)
    except subprocess.CalledProcessError as exc:
        sys.exit(exc.returncode)


def stop(_args: list[str]) -> None:
    ensure_venv("test")
    print("worker stopped" if stop_worker() else "no worker running", flush=True)
    run(PYTHON, "-c", "from archive.embedded_postgres.server import stop_server; from pathlib import Path; "
        "import os; print('stopped' if stop_server(Path(os.environ.get('ARCHIVE_PGDATA', 'var/pgdata'))) else 'not running')")


COMMANDS = {"up": up, "test": test, "stop": stop}

if __name__ == "__main__":
    if len(sys.argv) < 2 or sys.argv[1] not in COMMANDS:
        sys.exit(__doc__)
    COMMANDS[sys.argv[1]](sys.argv[2:])
