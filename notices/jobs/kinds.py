"""The archive's own kinds of background work: re-parse notices, store files, stage an admin upload.

Each is the same work a command or the admin does inline, given a Progress instead of a bar.
"""
from __future__ import annotations

from django.contrib.auth import get_user_model

from ..ingest import IngestResult, ingest_bytes, reparse
from ..models import Notice
from .models import Job
from .progress import Progress
from .registry import job_kind


def reparse_one(pk: int) -> IngestResult:
    """Re-parse one notice by id; a notice that breaks the parser fails alone, the run goes on."""
    notice = Notice.all_objects.select_related("source").defer("source__data").filter(pk=pk).first()
    if notice is None:
        return IngestResult("failed", f"#{pk}", None, "no notice has this id.")
    name = f"#{pk} {notice.source.filename}"
    try:
        result = reparse(notice)
    except Exception as exc:  # one broken notice must not stop a re-parse of the whole archive
        return IngestResult("failed", name, pk, f"unexpected error ({type(exc).__name__}: {exc}); nothing was changed.")
    return IngestResult(result.outcome, name, pk, result.message, result.changes)


def reparse_notices(ids: list[int], progress: Progress) -> None:
    progress.start(len(ids))
    for pk in ids:
        progress.begin(f"#{pk}")
        result = reparse_one(pk)
        progress.end(result.filename, result.outcome, result.message)


@job_kind("reparse", "重新解析")
def reparse_job(job: Job, progress: Progress) -> dict:
    """A re-parse merges into what is stored (hand corrections kept), so running it again changes nothing more."""
    ids = job.params["ids"] if "ids" in job.params else list(
        Notice.all_objects.order_by("pk").values_list("pk", flat=True))
    reparse_notices(ids, progress)
    return {}


@job_kind("ingest", "收录文件")
def ingest_job(job: Job, progress: Progress) -> dict:
    """The same bytes again are `unchanged`, so an attempt cut short and run again stores each file once."""
    files = list(job.files.all())
    progress.start(len(files))
    notices = []
    for queued in files:
        progress.begin(queued.filename)
        result = ingest_bytes(bytes(queued.data), queued.filename, queued.content_type,
                              force=bool(job.params.get("force")))
        if result.notice_id and result.outcome != "failed":
            notices.append(result.notice_id)
        progress.end(queued.filename, result.outcome, result.message)
    job.files.all().delete()  # stored now; the archive keeps the original bytes
    return {"notices": notices}


@job_kind("upload", "解析上传的文件")
def upload_job(job: Job, progress: Progress) -> dict:
    """Stage each uploaded file for its uploader's review, as a one-file upload is staged in the request.
    A file staged twice replaces its own pending row (one per uploader and content)."""
    from .. import uploads

    owner = get_user_model().objects.get(pk=job.params["owner"])
    files = list(job.files.all())
    progress.start(len(files))
    for queued in files:
        progress.begin(queued.filename)
        staged = uploads.stage_bytes(owner, queued.filename, queued.content_type, bytes(queued.data))
        progress.end(queued.filename, staged.outcome, uploads.outcome_sentence(staged))
    job.files.all().delete()
    return {}
