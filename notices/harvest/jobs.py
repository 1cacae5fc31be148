"""The harvest's kinds of job: harvest a source or some list pages; capture some addresses."""
from __future__ import annotations

from datetime import date

from ..capture.fetch import Fetcher, FetchPolicy
from ..capture.politeness import DatabaseGate
from ..capture.store import capture
from ..jobs.models import Job
from ..jobs.progress import Progress
from ..jobs.registry import job_kind
from .models import HarvestSource
from .run import HarvestOptions, harvest


def polite_fetcher() -> Fetcher:
    """A Fetcher whose turns at each host are shared with every worker on the database (robots.txt read once a run)."""
    policy = FetchPolicy.from_settings()
    return Fetcher(policy, gate=DatabaseGate(policy.delay))


@job_kind("harvest", "采集栏目")
def harvest_job(job: Job, progress: Progress) -> dict:
    """Addresses captured before are skipped (or, rechecked, stored only if changed): a run cut short and
    run again captures each notice once."""
    params = job.params
    source = HarvestSource.objects.filter(pk=params.get("source")).first() if params.get("source") else None
    urls = [source.list_url] if source else params["urls"]
    options = HarvestOptions(
        max_pages=source.max_pages if source else params.get("max_pages", 20),
        since=source.since if source else (date.fromisoformat(params["since"]) if params.get("since") else None),
        recheck=bool(params.get("recheck")),
    )
    fetcher = polite_fetcher()
    try:
        result = harvest(urls, options, fetcher, progress)
    finally:
        fetcher.close()
    if source is not None:
        HarvestSource.objects.filter(pk=source.pk).update(
            found=result["found"], new=result.get("new", 0) + result.get("linked", 0), failed=result.get("failed", 0))
    return result


@job_kind("capture", "采集网页")
def capture_job(job: Job, progress: Progress) -> dict:
    """An address captured again with the same bytes is `unchanged`: a second run writes nothing."""
    urls = job.params["urls"]
    fetcher = polite_fetcher()
    notices, counts = [], {}
    progress.start(len(urls))
    try:
        for url in urls:
            progress.begin(url)
            result = capture(url, fetcher)
            counts[result.outcome] = counts.get(result.outcome, 0) + 1
            if result.notice_id:
                notices.append(result.notice_id)
            progress.end(url, result.outcome, result.message)
    finally:
        fetcher.close()
    return {"notices": notices, **counts}
