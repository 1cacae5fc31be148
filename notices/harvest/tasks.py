"""Watching columns: a periodic job queues a harvest of each source whose schedule says it is due."""
from __future__ import annotations

from django.db import close_old_connections, transaction
from django.utils import timezone
from procrastinate.contrib.django import app

from ..jobs.models import Job
from ..jobs.queue import QUEUE, enqueue
from .models import HarvestSource


@app.periodic(cron="*/5 * * * *")
@app.task(name="notices.harvest_due_sources", queue=QUEUE, queueing_lock="harvest_due_sources")
def harvest_due_sources(timestamp: int) -> int:
    close_old_connections()
    try:
        return queue_due_sources()
    finally:
        close_old_connections()


def queue_due_sources(now=None) -> int:
    """Queue a harvest of every enabled source that is due and not already being harvested; how many."""
    queued = 0
    for source in HarvestSource.objects.filter(enabled=True).exclude(schedule="").select_related("last_job"):
        if source.is_due(now) and not (source.last_job and source.last_job.is_active):
            queue_source(source)
            queued += 1
    return queued


def queue_source(source: HarvestSource, user=None) -> Job:
    """A harvest of `source`, queued; the source remembers it (its last run starts now)."""
    with transaction.atomic():
        job = enqueue("harvest", f"采集：{source}", {"source": source.pk}, user=user)
        HarvestSource.objects.filter(pk=source.pk).update(last_job=job, last_run_at=timezone.now())
    return job
