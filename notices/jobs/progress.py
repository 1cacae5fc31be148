"""The one way work says how far it got: start(m), begin(item), end(item, outcome, reason).

The same work function runs inline in a command (the command's Report draws a bar and prints the
summary) or in a job (JobProgress keeps the Job row current for the 任务 page, and stops the
work when someone cancelled the job).
"""
from __future__ import annotations

import time
from typing import Callable, Protocol

from django.utils import timezone

from ..parsing import OcrStop
from .models import Job


# Outcomes that need no word on the 任务 page; any other (failed, duplicate, ...) is listed with its reason.
ROUTINE = frozenset({"new", "updated", "unchanged", "staged", "parsed", "linked", "skipped"})


class Progress(Protocol):
    def start(self, total: int) -> None: ...

    def begin(self, item: str) -> None: ...

    def end(self, item: str, outcome: str, reason: str = "") -> None: ...


class Cancelled(OcrStop):
    """Raised inside the work when its job was cancelled; the work stops between two items, or
    between two pages of a scan. Not an Exception (OcrStop): the catch-alls that record a broken
    file as failed must let it through."""


class JobProgress:
    """Writes a job's progress to its row: at most every WRITE_EVERY seconds while it runs, and at the end."""

    WRITE_EVERY = 0.5  # seconds; a page that refreshes every few seconds needs no more

    def __init__(self, job: Job, should_abort: Callable[[], bool] = lambda: False) -> None:
        self.job = job
        self.should_abort = should_abort
        self._written = 0.0

    def start(self, total: int) -> None:
        self.job.total = total
        self._write(force=True)

    def begin(self, item: str) -> None:
        if self.should_abort():
            raise Cancelled
        self.job.current = item[:500]
        self._write()

    def end(self, item: str, outcome: str, reason: str = "") -> None:
        job = self.job
        job.done += 1
        job.counts[outcome] = job.counts.get(outcome, 0) + 1
        if outcome not in ROUTINE and len(job.notes) < Job.MAX_NOTES:
            job.notes.append([item, outcome, reason])
        self._write()

    def ocr_page(self, done: int, total: int, name: str) -> None:
        """OCR's page callback (parsing.set_ocr_progress): the page being read on the 任务 page, and a cancel
        taking effect before the next page. Written every time: a page takes seconds."""
        if self.should_abort():
            raise Cancelled
        self.job.current = f"{name}：文字识别第 {min(done + 1, total)}/{total} 页"[:500]
        self._write(force=True)

    def flush(self) -> None:
        self._write(force=True)

    def _write(self, force: bool = False) -> None:
        now = time.monotonic()
        if not force and now - self._written < self.WRITE_EVERY:
            return
        self._written = now
        Job.objects.filter(pk=self.job.pk).update(
            total=self.job.total, done=self.job.done, current=self.job.current, counts=self.job.counts,
            notes=self.job.notes,
        )


def reset(job: Job) -> None:
    """A job about to run (again) starts from nothing: its previous attempt's progress is not this one's."""
    job.total, job.done, job.current, job.counts, job.notes = None, 0, "", {}, []
    job.result, job.error, job.finished_at = {}, "", None
    job.started_at = timezone.now()
