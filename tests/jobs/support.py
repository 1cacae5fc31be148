"""Real workers for the job tests: `manage.py worker` processes on the test database, stopping by themselves."""
from __future__ import annotations

import os
import subprocess
import sys
from urllib.parse import urlsplit

from ..conftest import ROOT


def worker_env() -> dict[str, str]:
    """The environment that points a child process at this test run's database."""
    from django.db import connection

    env = dict(os.environ, DJANGO_SETTINGS_MODULE="archive.settings.test")
    name = connection.settings_dict["NAME"]
    if os.environ.get("DATABASE_URL"):
        env["DATABASE_URL"] = urlsplit(os.environ["DATABASE_URL"])._replace(path="/" + name).geturl()
    else:
        env["ARCHIVE_DB_NAME"] = name
    return env


def start_worker(name: str, *, until_idle: bool = True, poll: float = 0.2,
                 env: dict[str, str] | None = None) -> subprocess.Popen:
    args = [sys.executable, "manage.py", "worker", "--name", name, "--poll", str(poll)]
    return subprocess.Popen(args + (["--until-idle"] if until_idle else []), cwd=ROOT, env={**worker_env(), **(env or {})},
                            stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)


def finish(worker: subprocess.Popen, timeout: float = 300) -> str:
    """Wait for a worker that stops by itself; its output (for the assertion message)."""
    output, _ = worker.communicate(timeout=timeout)
    assert worker.returncode == 0, output
    return output


def queue_rows(job_ids) -> list[dict]:
    """procrastinate's own rows for our jobs: how often each ran, and how it ended."""
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute("SELECT id, status, attempts, (args->>'job_id')::bigint FROM procrastinate_jobs "
                       "WHERE task_name = 'notices.run_job' AND (args->>'job_id')::bigint = ANY(%s)", [list(job_ids)])
        return [dict(zip(("id", "status", "attempts", "job_id"), row)) for row in cursor.fetchall()]
