"""Harvests and captures in real worker processes: politeness holds across workers, and an archivist's
column is collected by the worker with its progress on the 任务 page."""
from __future__ import annotations

import signal

import pytest

from notices.harvest.models import HarvestSource
from notices.harvest.tasks import queue_source
from notices.jobs.models import Job, JobState
from notices.jobs.queue import enqueue
from notices.provenance import Capture

from ..jobs.support import finish, start_worker
from ..jobs.test_workers import _workers_registered, wait_for


def test_two_workers_ask_one_host_one_request_at_a_time_with_the_delay_between(committed, site, monkeypatch):
    monkeypatch.setenv("ARCHIVE_CAPTURE_DELAY", "0.2")
    site.slow = 0.1  # each answer takes a while: two requests at once would overlap
    workers = [start_worker(name, until_idle=False) for name in ("left", "right")]
    try:
        wait_for(lambda: _workers_registered() == 2, "both workers to start")
        half = len(site.notice_links) // 2
        jobs = [enqueue("capture", "一半", {"urls": site.notice_links[:half]}),
                enqueue("capture", "另一半", {"urls": site.notice_links[half:]})]
        wait_for(lambda: not Job.objects.filter(pk__in=[j.pk for j in jobs], state__in=["queued", "running"]).exists(),
                 "both jobs to end", limit=300)
    finally:
        for worker in workers:
            worker.send_signal(signal.SIGTERM)
        for worker in workers:
            worker.communicate(timeout=120)
    rows = Job.objects.filter(pk__in=[j.pk for j in jobs])
    assert set(rows.values_list("state", flat=True)) == {JobState.DONE}
    assert len({name.split(":")[0] for name in rows.values_list("worker", flat=True)}) == 2  # both worked at once
    assert site.most_in_flight() == 1
    gaps = site.gaps()
    print(f"\n{len(site.hits)} requests; gaps between them {min(gaps):.3f} s at least")
    assert min(gaps) >= 0.15  # the delay (0.2 s, timed by the database) less the server's own bookkeeping
    assert Capture.objects.filter(url__startswith=site.url).count() == 12


def test_an_archivists_column_is_collected_by_a_worker_and_the_next_run_takes_only_what_is_new(committed, site):
    source = HarvestSource.objects.create(name="巡察整改", list_url=site.list_urls[0])
    job = queue_source(source)
    finish(start_worker("one"))
    job.refresh_from_db()
    assert job.state == JobState.DONE, job.error
    assert job.result["pages"] == 3 and job.result["found"] == 5
    assert job.counts == {"new": 4, "refused": 1}
    source.refresh_from_db()
    assert (source.found, source.new, source.failed) == (5, 4, 0)

    again = queue_source(source)
    finish(start_worker("two"))
    again.refresh_from_db()
    # its first page's notice is in the archive: nothing new beyond it, the run stops there
    assert again.result["pages"] == 1 and again.counts == {"skipped": 1}
