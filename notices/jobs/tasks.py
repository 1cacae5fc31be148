"""procrastinate's tasks: run_job runs any Job by its kind; retry_stalled_jobs puts back the jobs of dead workers."""
from __future__ import annotations

import logging

from asgiref.sync import sync_to_async
from django.conf import settings
from django.db import close_old_connections, transaction
from django.utils import timezone
from procrastinate.contrib.django import app
from procrastinate.exceptions import JobAborted
from procrastinate.jobs import Status

from ..parsing import set_ocr_progress
from . import registry
from .models import Job, JobState
from .progress import Cancelled, JobProgress, reset
from .queue import QUEUE, RUN_JOB

log = logging.getLogger(__name__)


@app.task(name=RUN_JOB, queue=QUEUE, pass_context=True)
def run_job(context, job_id: int) -> None:
    close_old_connections()  # sync tasks run in a worker's threads: a connection may be stale
    try:
        if execute(job_id, queue_job_id=context.job.id, worker=context.worker_name or "",
                   should_abort=context.should_abort) == JobState.CANCELLED:
            raise JobAborted
    finally:
        close_old_connections()


def execute(job_id: int, *, queue_job_id: int | None = None, worker: str = "",
            should_abort=lambda: False) -> str | None:
    """Run a Job's kind and record how it ended; the state it ended in (None: nothing to run).
    A kind that raises fails the job with its reason, and the exception goes on to the queue."""
    job = _claim(job_id, queue_job_id, worker)
    if job is None:
        return None
    progress = JobProgress(job, should_abort)
    previous = set_ocr_progress(progress.ocr_page)
    try:
        result = registry.get(job.kind).run(job, progress)
    except Cancelled:
        progress.flush()
        _finish(job, JobState.CANCELLED)
        return JobState.CANCELLED
    except Exception as exc:
        progress.flush()
        log.exception("job #%s (%s) failed", job.pk, job.kind)
        _finish(job, JobState.FAILED, error=f"{type(exc).__name__}: {exc}")
        raise
    finally:
        set_ocr_progress(previous)
    progress.flush()
    _finish(job, JobState.DONE, result=result or {})
    return JobState.DONE


def _claim(job_id: int, queue_job_id: int | None, worker: str) -> Job | None:
    """The Job row, marked running by this worker; None when there is nothing to do (cancelled, or done
    by an attempt whose worker died before it could tell the queue)."""
    with transaction.atomic():
        job = Job.objects.select_for_update().filter(pk=job_id).first()
        if job is None or job.state in (JobState.CANCELLED, JobState.DONE):
            return None
        reset(job)
        job.state, job.attempts, job.worker = JobState.RUNNING, job.attempts + 1, worker[:200]
        job.queue_job_id = queue_job_id or job.queue_job_id
        job.save()
    return job


def _finish(job: Job, state: str, *, result: dict | None = None, error: str = "") -> None:
    job.state, job.finished_at, job.current = state, timezone.now(), ""
    job.result, job.error = result or {}, error[:5000]
    job.save(update_fields=["state", "finished_at", "current", "result", "error"])


@app.periodic(cron="* * * * *")
@app.task(name="notices.retry_stalled_jobs", queue=QUEUE, queueing_lock="retry_stalled_jobs", pass_context=True)
async def retry_stalled_jobs(context, timestamp: int) -> int:
    """Jobs held by a worker that stopped sending heartbeats (killed, machine gone) go back to the queue."""
    return await requeue_stalled(context.app, settings.ARCHIVE_JOB_STALLED_SECONDS)


async def requeue_stalled(procrastinate_app, seconds_since_heartbeat: float) -> int:
    manager = procrastinate_app.job_manager
    stalled = list(await manager.get_stalled_jobs(seconds_since_heartbeat=seconds_since_heartbeat))
    for queued in stalled:
        log.warning("job %s (%s) lost its worker; queued again", queued.id, queued.task_name)
        await manager.retry_job(queued)
        if await manager.get_job_status_async(queued.id) != Status.TODO:
            # Someone had asked it to stop: procrastinate ends it instead of queueing it; so does its row.
            await sync_to_async(_cancelled_while_stalled)(queued.id)
    await manager.prune_stalled_workers(seconds_since_heartbeat)
    return len(stalled)


def _cancelled_while_stalled(queue_job_id: int) -> None:
    Job.objects.filter(queue_job_id=queue_job_id, state=JobState.RUNNING).update(
        state=JobState.CANCELLED, finished_at=timezone.now())
