"""Faults during a run: the ingest parent killed, the database gone. Real processes, real signals."""
from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import psutil

from ..conftest import SEED_FILES

ROOT = Path(__file__).resolve().parents[2]


def _wait_until(condition, tries: int = 600, pause: float = 0.1) -> bool:
    """Poll a bounded number of times (a minute on a busy machine); True once `condition` holds."""
    for _ in range(tries):
        if condition():
            return True
        time.sleep(pause)
    return False


def test_killing_the_ingest_parent_leaves_no_parsing_process_behind(tmp_path):
    for i in range(400):
        (tmp_path / f"{i:03}.txt").write_bytes(SEED_FILES[i % 5].read_bytes() + b"\n" * (i + 3))
    run = subprocess.Popen(
        [sys.executable, "manage.py", "ingest", "--dry-run", "--workers", "2", str(tmp_path)],
        cwd=ROOT, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
        env=dict(os.environ, DJANGO_SETTINGS_MODULE="archive.settings.test"),
    )
    parent = psutil.Process(run.pid)
    assert _wait_until(lambda: len(parent.children(recursive=True)) >= 2), "the workers never started"
    workers = parent.children(recursive=True)
    os.kill(run.pid, signal.SIGKILL)
    run.wait(timeout=30)

    def all_gone() -> bool:
        return not [w for w in workers if w.is_running() and w.status() != psutil.STATUS_ZOMBIE]

    assert _wait_until(all_gone), [w.cmdline() for w in workers if w.is_running()]
