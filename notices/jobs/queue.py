"""Put work on the queue, retry it, cancel it. Every write goes through Django's connection, so a
Job row and its queue row are made (or changed) in one transaction, wherever this is called from:
a view, a command, or a job that queues more work."""
from __future__ import annotations

import functools
from dataclasses import dataclass

from django.db import transaction
from django.utils import timezone

from . import registry
from .models import Job, JobFile, JobState

QUEUE = "archive"
RUN_JOB = "notices.run_job"


@functools.cache
def _django_app():
    """The procrastinate app bound to Django's connection (a worker's own app talks to its own pool)."""
    from procrastinate.contrib.django import app
    from procrastinate.contrib.django.django_connector import DjangoConnector

    return app.with_connector(DjangoConnector())


def _defer(job: Job) -> None:
    job.queue_job_id = _django_app().configure_task(RUN_JOB, queue=QUEUE).defer(job_id=job.pk)
    job.save(update_fields=["queue_job_id"])


@dataclass(frozen=True)
class QueuedFile:
    filename: str
    data: bytes
    content_type: str = ""


def enqueue(kind: str, title: str, params: dict | None = None, *, user=None, files: list[QueuedFile] = ()) -> Job:
    """A new job of `kind`, queued; workers see it once the surrounding transaction commits."""
    registry.get(kind)  # an unknown kind fails here, in the caller, not later in a worker
    with transaction.atomic():
        job = Job.objects.create(kind=kind, title=title[:300], params=params or {},
                                 created_by=user if user is not None and user.is_authenticated else None)
        JobFile.objects.bulk_create(
            JobFile(job=job, position=i, filename=f.filename[:255], content_type=f.content_type[:100], data=f.data)
            for i, f in enumerate(files)
        )
        _defer(job)
    return job


class NotNow(Exception):
    """The job is not in a state for this action; the message says why, in Chinese."""


def retry(job: Job) -> Job:
    """Queue a finished job again (failed, cancelled, or done and wanted again)."""
    with transaction.atomic():
        job = Job.objects.select_for_update().get(pk=job.pk)
        if job.is_active:
            raise NotNow(f"任务 #{job.pk} 还在{job.get_state_display()}，不能重试；请等它结束，或先取消它。")
        job.state, job.error, job.finished_at = JobState.QUEUED, "", None
        job.save(update_fields=["state", "error", "finished_at"])
        _defer(job)
    return job


def cancel(job: Job) -> Job:
    """A queued job never runs; a running one stops before its next item or its next page to OCR (what it
    finished stays done)."""
    app = _django_app()
    with transaction.atomic():
        job = Job.objects.select_for_update().get(pk=job.pk)
        if not job.is_active:
            raise NotNow(f"任务 #{job.pk} 已经{job.get_state_display()}，无需取消。")
        if job.queue_job_id and not app.job_manager.cancel_job_by_id(job.queue_job_id):
            # A worker holds it already: it polls for abort requests, and the work stops between two items.
            app.job_manager.cancel_job_by_id(job.queue_job_id, abort=True)
        if job.state == JobState.QUEUED:  # not started: tasks.run_job skips a cancelled row
            job.state, job.finished_at = JobState.CANCELLED, timezone.now()
            job.save(update_fields=["state", "finished_at"])
    return job
