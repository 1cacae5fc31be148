"""`manage.py harvest` against the fixture site on 127.0.0.1 (site.py): three columns, three pagination
forms, twelve links to eleven notices among sixty, a repost, attachments, a path robots.txt forbids."""
from __future__ import annotations

import io
from datetime import timedelta

import pytest
from django.core.management import call_command
from django.utils import timezone

from notices.harvest.models import HarvestSource, Schedule
from notices.harvest.tasks import queue_due_sources
from notices.jobs.models import Job
from notices.models import Notice
from notices.provenance import Capture


pytestmark = pytest.mark.django_db


def harvest(*args: str) -> tuple[int, str]:
    err = io.StringIO()
    try:
        call_command("harvest", *args, stderr=err, stdout=io.StringIO())
    except SystemExit as exc:
        return int(exc.code), err.getvalue()
    return 0, err.getvalue()


def notice_pages_requested(site) -> list[str]:
    wanted = {link[len(site.url):] for link in site.notice_links}
    return [hit.path for hit in site.hits if hit.path in wanted]


def test_a_harvest_captures_the_twelve_notice_links_and_nothing_else(site):
    code, err = harvest(*site.list_urls)
    assert code == 0, err
    captures = Capture.objects.filter(url__startswith=site.url)
    assert captures.count() == 12
    assert Notice.all_objects.count() == 11
    # the repost is the same notice's second source
    assert sorted(captures.values_list("role", flat=True)) == ["copy"] + ["main"] * 11
    # list pages: all nine, in the three forms; no news page, no forbidden path was ever asked for
    assert sorted({hit.path for hit in site.hits if "index" in hit.path or "list" in hit.path}) == sorted(
        f"/{c}/{n}" for c in ("tzgg", "gzdt") for n in ("index.html", "index_1.html", "index_2.html")) + sorted(
        f"/xxzg/{n}" for n in ("index.html", "list2.html", "list3.html"))
    assert not [hit for hit in site.hits if "/news" in hit.path]
    assert site.requested("/private/hidden.html") == 0
    assert "List pages read: 9, links on them: 69, links to notices: 13." in err
    assert "refused: 中共某某县民政局党组关于巡察整改进展情况的通报" in err  # robots.txt said no; the run did not fail


def test_a_second_run_captures_nothing_and_reads_only_until_what_it_has(site):
    harvest(*site.list_urls)
    captures, hits = Capture.objects.count(), len(site.hits)
    code, err = harvest(*site.list_urls)
    assert code == 0, err
    assert Capture.objects.count() == captures
    second = site.hits[hits:]
    assert not [hit for hit in second if hit.path in {link[len(site.url):] for link in site.notice_links}]
    # each column stops at its first page holding a notice link already captured
    assert sorted(hit.path for hit in second if hit.path != "/robots.txt") == [
        "/gzdt/index.html", "/gzdt/index_1.html", "/tzgg/index.html", "/tzgg/index_1.html", "/xxzg/index.html"]
    assert "12 skipped" in err or "skipped" in err


def test_a_changed_notice_page_becomes_one_new_version_when_rechecked(site):
    harvest(*site.list_urls)
    path = site.notice_links[1][len(site.url):]
    body, content_type = site.pages[path]
    site.pages[path] = (body.replace(b"</div></div>", "<p>（本文于次日更正了一处笔误。）</p></div></div>".encode(), 1), content_type)
    notices = Notice.all_objects.count()
    code, err = harvest("--recheck", *site.list_urls)
    assert code == 0, err
    assert Capture.objects.filter(url=site.notice_links[1]).count() == 2
    assert Notice.all_objects.count() == notices
    assert "1 updated" in err


def test_since_leaves_out_older_items_and_stops_reading_there(site):
    code, err = harvest("--since", "2024-05-20", site.list_urls[0])
    assert code == 0, err
    # xxzg's first page is dated June; its second page (May 19 and before) ends the run
    list_pages = [hit.path for hit in site.hits if hit.path.startswith(("/xxzg/index", "/xxzg/list"))]
    assert list_pages == ["/xxzg/index.html", "/xxzg/list2.html"]
    assert Capture.objects.filter(url__startswith=site.url).count() == 1


def test_bad_arguments_are_refused_with_a_sentence(site):
    from django.core.management.base import CommandError

    with pytest.raises(CommandError, match="web address"):
        call_command("harvest", "/tmp/list.html")
    with pytest.raises(CommandError, match="2024-05-31"):
        call_command("harvest", "--since", "May", site.list_urls[0])


def test_a_list_page_that_cannot_be_read_says_why(site):
    from django.core.management.base import CommandError

    with pytest.raises(CommandError, match="没有读到任何列表页.*404"):
        call_command("harvest", site.url + "/no-such-column/index.html", stderr=io.StringIO())


def test_harvest_with_queue_hands_the_run_to_the_workers(site):
    out = io.StringIO()
    call_command("harvest", "--queue", "--max-pages", "2", site.list_urls[0], stdout=out)
    job = Job.objects.get()
    assert job.kind == "harvest" and job.params["max_pages"] == 2 and f"job #{job.pk}" in out.getvalue()
    assert not site.hits  # nothing fetched until a worker runs it


def test_sources_due_by_their_schedule_are_queued_once(site):
    now = timezone.now()
    due = HarvestSource.objects.create(list_url=site.list_urls[0], schedule=Schedule.DAILY,
                                       last_run_at=now - timedelta(days=2))
    HarvestSource.objects.create(list_url=site.list_urls[1], schedule=Schedule.DAILY, last_run_at=now)
    HarvestSource.objects.create(list_url=site.list_urls[2], schedule=Schedule.NEVER)
    assert queue_due_sources() == 1
    job = Job.objects.get()
    assert job.params == {"source": due.pk}
    due.refresh_from_db()
    assert due.last_job == job
    assert queue_due_sources() == 0  # its harvest is queued: not again


def test_ingest_of_addresses_with_queue_is_a_capture_job_a_worker_runs(site):
    from notices.jobs.tasks import execute

    out = io.StringIO()
    call_command("ingest", "--queue", *site.notice_links[:2], stdout=out)
    job = Job.objects.get()
    assert (job.kind, job.params) == ("capture", {"urls": site.notice_links[:2]}) and not site.hits
    execute(job.pk)
    job.refresh_from_db()
    assert job.counts == {"new": 2} and Capture.objects.filter(url__in=site.notice_links[:2]).count() == 2
