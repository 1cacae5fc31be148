"""Real worker processes (`manage.py worker`) on the test database: they wake on NOTIFY, share one queue
so each job runs once, and a worker killed mid-job leaves nothing half-stored and is made good by a retry."""
from __future__ import annotations

import asyncio
import os
import signal
import time
from collections import Counter
from concurrent.futures import ThreadPoolExecutor

import pytest
from django.db import connection

from notices.jobs.models import Job, JobState
from notices.jobs.queue import QueuedFile, enqueue
from notices.models import Issue, Notice
from notices.parsing import parse_notice

from ..admin_helpers import new_notice_bytes
from .support import finish, queue_rows, start_worker


def backends() -> set[int]:
    """The server processes of this database's sessions, this test's own included."""
    with connection.cursor() as cursor:
        cursor.execute("SELECT pid FROM pg_stat_activity WHERE datname = current_database()")
        return {pid for (pid,) in cursor.fetchall()}


def wait_for(condition, what: str, limit: float = 120.0) -> None:
    """Poll the database until `condition()` holds; a bound on waiting, not a claim about speed."""
    deadline = time.monotonic() + limit
    while not condition():
        assert time.monotonic() < deadline, f"gave up waiting: {what}"
        time.sleep(0.1)


def files(n: int, tag: int) -> list[QueuedFile]:
    """n different files, each a real notice to the parser."""
    return [QueuedFile(f"n{tag}-{i}.txt", new_notice_bytes(i % 5, variant=tag * 100 + i), "text/plain")
            for i in range(n)]


def test_a_waiting_worker_is_woken_by_notify_not_by_polling(committed):
    # It looks at the queue once a minute by itself: only NOTIFY can bring it the job within the wait below.
    worker = start_worker("listener", until_idle=False, poll=60)
    try:
        wait_for(lambda: _workers_registered() == 1, "the worker to start")
        time.sleep(1)  # its first look at the (empty) queue is over; it now waits
        job = enqueue("ingest", "一个文件", files=files(1, 1))
        wait_for(lambda: Job.objects.get(pk=job.pk).state == JobState.DONE, "the woken worker to finish", limit=40)
    finally:
        worker.send_signal(signal.SIGTERM)
        output, _ = worker.communicate(timeout=120)
    assert "Stopped worker" in output


def _workers_registered() -> int:
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute("DELETE FROM procrastinate_workers WHERE last_heartbeat < now() - interval '5 minutes'")
        cursor.execute("SELECT count(*) FROM procrastinate_workers")
        return cursor.fetchone()[0]


def test_two_workers_draining_fifty_jobs_run_each_exactly_once(committed):
    jobs = [enqueue("ingest", f"文件 {i}", files=files(1, 10 + i)) for i in range(50)]
    workers = [start_worker("first"), start_worker("second")]
    for worker in workers:
        finish(worker)

    rows = Job.objects.filter(pk__in=[j.pk for j in jobs])
    assert Counter(rows.values_list("state", flat=True)) == {JobState.DONE: 50}
    assert set(rows.values_list("attempts", flat=True)) == {1}
    queue = queue_rows([j.pk for j in jobs])
    assert len(queue) == 50 and {(r["status"], r["attempts"]) for r in queue} == {("succeeded", 1)}
    names = {f"n{10 + i}-0.txt" for i in range(50)}
    assert Notice.objects.filter(source__filename__in=names).count() == 50
    shares = Counter(name.split(":")[0] for name in rows.values_list("worker", flat=True))
    print(f"\nhow the two workers shared 50 jobs: {dict(shares)}")
    assert sum(shares.values()) == 50


def test_a_worker_killed_mid_job_leaves_no_partial_notice_and_the_retry_gives_the_clean_result(committed):
    from notices.jobs.queue import _django_app
    from notices.jobs.tasks import requeue_stalled

    batch = files(30, 2)
    job = enqueue("ingest", "三十个文件", files=batch)
    before = backends()
    worker = start_worker("doomed", until_idle=False)
    try:
        wait_for(lambda: Job.objects.get(pk=job.pk).done >= 3, "the worker to be well into the job")
    finally:
        os.kill(worker.pid, signal.SIGKILL)
        worker.communicate(timeout=60)
    # A COMMIT the worker sent just before it died still completes in its server process:
    # count what the first attempt stored only once those processes are gone.
    wait_for(lambda: backends() <= before, "the killed worker's database sessions to end")
    cut_short = Job.objects.get(pk=job.pk)
    assert cut_short.state == JobState.RUNNING and cut_short.done < 30, "the job ended before the worker was killed"

    stored = Notice.objects.filter(source__filename__startswith="n2-")
    partway = stored.count()
    assert 3 <= partway < 30
    expected = {f.filename: len(parse_notice(f.data, f.filename, "text/plain").issues) for f in batch}
    for notice in stored:  # each stored notice is whole: a file is stored in one transaction or not at all
        assert Issue.objects.filter(notice=notice, parent=None).count() == expected[notice.source.filename]

    # What the workers' periodic retry_stalled_jobs does; in a thread of its own, as a test may run inside an
    # event loop (Playwright's, left by the browser tests).
    with ThreadPoolExecutor(1) as thread:
        assert thread.submit(asyncio.run, requeue_stalled(_django_app(), 0)).result() == 1
    finish(start_worker("rescuer"))

    job.refresh_from_db()
    assert (job.state, job.attempts, job.done, job.total) == (JobState.DONE, 2, 30, 30)
    assert job.counts == {"unchanged": partway, "new": 30 - partway}
    stored = stored.all()  # afresh: the loop above cached the rows of the first attempt
    assert stored.count() == 30
    for notice in stored:
        assert Issue.objects.filter(notice=notice, parent=None).count() == expected[notice.source.filename]
