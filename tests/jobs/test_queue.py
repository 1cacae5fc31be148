"""Jobs on the queue, run here in the test's transaction: what they record, retry, cancel, and the commands'
and admin's doors to them. Real worker processes are in test_workers.py."""
from __future__ import annotations

import pytest
from django.core.management import call_command
from django.urls import reverse

from notices.jobs import queue, registry
from notices.jobs.models import Job, JobState
from notices.jobs.tasks import execute
from notices.models import Notice, PendingUpload

from ..admin_helpers import make_user, new_notice_bytes, page_messages, upload
from .support import queue_rows

pytestmark = pytest.mark.django_db


@pytest.fixture
def steps(monkeypatch):
    """A kind of work of three items whose second item fails, and which sees its own row as it goes."""
    seen = []

    def run(job, progress):
        progress.start(3)
        for item in ("一", "二", "三"):
            progress.begin(item)
            seen.append(Job.objects.values_list("done", "total", "current").get(pk=job.pk))
            progress.end(item, "failed" if item == "二" else "new", "第二项读不出来" if item == "二" else "")
        return {"figure": 42}

    monkeypatch.setitem(registry.KINDS, "steps", registry.Kind("steps", "三步", run))
    monkeypatch.setattr("notices.jobs.progress.JobProgress.WRITE_EVERY", 0)
    return seen


def seed_ids(n: int) -> list[int]:
    return list(Notice.objects.order_by("pk").values_list("pk", flat=True)[:n])


def test_a_queued_job_waits_in_the_queue_until_a_worker_runs_it():
    job = queue.enqueue("reparse", "重新解析 2 条通报", {"ids": seed_ids(2)})
    assert job.state == JobState.QUEUED and job.attempts == 0
    assert [(r["status"], r["job_id"]) for r in queue_rows([job.pk])] == [("todo", job.pk)]

    assert execute(job.pk) == JobState.DONE
    job.refresh_from_db()
    assert (job.state, job.total, job.done, job.counts, job.attempts) == (JobState.DONE, 2, 2, {"unchanged": 2}, 1)
    assert job.started_at <= job.finished_at


def test_work_reports_n_of_m_and_the_current_item_and_lists_what_failed_with_its_reason(steps):
    job = queue.enqueue("steps", "三步")
    execute(job.pk)
    assert steps == [(0, 3, "一"), (1, 3, "二"), (2, 3, "三")]
    job.refresh_from_db()
    assert job.counts == {"new": 2, "failed": 1}
    assert job.notes == [["二", "failed", "第二项读不出来"]]
    assert job.result == {"figure": 42} and job.state == JobState.DONE


def test_a_job_that_raises_ends_failed_with_its_reason(monkeypatch):
    def broken(job, progress):
        progress.start(1)
        raise ValueError("the list page is not HTML")

    monkeypatch.setitem(registry.KINDS, "broken", registry.Kind("broken", "坏", broken))
    job = queue.enqueue("broken", "坏任务")
    with pytest.raises(ValueError):
        execute(job.pk)
    job.refresh_from_db()
    assert job.state == JobState.FAILED
    assert job.error == "ValueError: the list page is not HTML"


def test_an_unknown_kind_is_refused_before_anything_is_queued():
    with pytest.raises(LookupError):
        queue.enqueue("no-such-kind", "?")
    assert not Job.objects.exists()


def test_a_cancelled_queued_job_never_runs():
    job = queue.enqueue("reparse", "重新解析", {"ids": seed_ids(1)})
    queue.cancel(job)
    job.refresh_from_db()
    assert job.state == JobState.CANCELLED
    assert [r["status"] for r in queue_rows([job.pk])] == ["cancelled"]
    assert execute(job.pk) is None
    job.refresh_from_db()
    assert job.state == JobState.CANCELLED and job.attempts == 0


def test_a_running_job_asked_to_stop_ends_cancelled_between_two_items(steps):
    job = queue.enqueue("steps", "三步")
    asked = iter([False, True])
    assert execute(job.pk, should_abort=lambda: next(asked)) == JobState.CANCELLED
    job.refresh_from_db()
    assert (job.state, job.done, job.counts) == (JobState.CANCELLED, 1, {"new": 1})


def test_a_failed_job_is_retried_from_the_start_and_a_running_one_is_not(steps, monkeypatch):
    job = queue.enqueue("steps", "三步")
    execute(job.pk, should_abort=lambda: True)
    first_queue_row = Job.objects.get(pk=job.pk).queue_job_id
    job = queue.retry(job)
    assert job.state == JobState.QUEUED and job.queue_job_id != first_queue_row
    execute(job.pk)
    job.refresh_from_db()
    assert (job.state, job.done, job.attempts) == (JobState.DONE, 3, 2)

    running = queue.enqueue("steps", "三步")
    Job.objects.filter(pk=running.pk).update(state=JobState.RUNNING)
    with pytest.raises(queue.NotNow, match="还在进行中，不能重试"):
        queue.retry(running)


def test_reparse_with_queue_hands_the_work_to_the_workers_and_returns(capsys):
    ids = seed_ids(3)
    call_command("reparse", *map(str, ids), "--queue")
    job = Job.objects.get()
    assert (job.kind, job.params, job.state) == ("reparse", {"ids": ids}, JobState.QUEUED)
    assert f"job #{job.pk}" in capsys.readouterr().out
    execute(job.pk)
    assert Job.objects.get().counts == {"unchanged": 3}


def test_ingest_with_queue_sends_the_bytes_through_the_database(tmp_path):
    for i in range(3):
        (tmp_path / f"n{i}.txt").write_bytes(new_notice_bytes(i, variant=7))
    call_command("ingest", str(tmp_path), "--queue")
    job = Job.objects.get()
    assert job.files.count() == 3 and not Notice.objects.filter(source__filename="n0.txt").exists()
    execute(job.pk)
    job.refresh_from_db()
    assert job.counts == {"new": 3} and job.files.count() == 0
    assert sorted(Notice.objects.filter(pk__in=job.result["notices"]).values_list("source__filename", flat=True)) == [
        "n0.txt", "n1.txt", "n2.txt"]
    # the same files again: the job runs, stores nothing twice
    call_command("ingest", str(tmp_path), "--queue")
    again = Job.objects.latest("pk")
    execute(again.pk)
    again.refresh_from_db()
    assert again.counts == {"unchanged": 3}


def test_an_upload_of_many_files_returns_at_once_and_shows_its_job(client, archivist):
    response = upload(client, ("a.txt", new_notice_bytes(0)), ("b.txt", new_notice_bytes(2)), ("c.txt", b""),
                      ("seed.txt", new_notice_bytes(1, variant=-2)))
    job = Job.objects.get()
    assert response.redirect_chain[-1][0] == reverse("admin:notices_job_change", args=[job.pk])
    assert any(f"任务 #{job.pk}" in m for m in page_messages(response))
    assert "排队中" in response.content.decode()
    assert not PendingUpload.objects.exists() and job.created_by == archivist

    execute(job.pk)
    page = client.get(reverse("admin:notices_job_change", args=[job.pk])).content.decode()
    assert "已完成" in page and "待确认 2" in page and "失败 1" in page and "已在档案中 1" in page
    assert "「c.txt」无法解析" in page and "查看待确认的上传" in page
    assert sorted(PendingUpload.objects.filter(owner=archivist).values_list("filename", flat=True)) == ["a.txt", "b.txt"]
    # run again (a worker died before telling the queue it finished): the same two uploads wait, once each
    Job.objects.filter(pk=job.pk).update(state=JobState.RUNNING)
    assert execute(job.pk) == JobState.DONE
    assert PendingUpload.objects.filter(owner=archivist).count() == 2


def test_the_jobs_page_lists_progress_and_lets_an_archivist_retry_and_cancel(client, archivist, steps):
    done = queue.enqueue("steps", "做完的三步", user=archivist)
    execute(done.pk)
    waiting = queue.enqueue("steps", "排队的三步")
    page = client.get(reverse("admin:notices_job_changelist")).content.decode()
    assert "做完的三步" in page and "3 / 3" in page and "已完成" in page and "排队中" in page
    assert 'http-equiv="refresh"' in page  # a job is still queued: the page follows it

    client.post(reverse("admin:notices_job_change", args=[waiting.pk]), {"_cancel": "1"})
    assert Job.objects.get(pk=waiting.pk).state == JobState.CANCELLED
    response = client.post(reverse("admin:notices_job_change", args=[waiting.pk]), {"_retry": "1"}, follow=True)
    assert Job.objects.get(pk=waiting.pk).state == JobState.QUEUED
    assert any("已重新排队" in m for m in page_messages(response))
    response = client.post(reverse("admin:notices_job_change", args=[done.pk]), {"_cancel": "1"}, follow=True)
    assert any("已经已完成，无需取消" in m for m in page_messages(response))


def test_staff_without_job_permissions_neither_see_nor_retry_jobs(client):
    job = queue.enqueue("reparse", "重新解析", {"ids": seed_ids(1)})
    client.force_login(make_user("reader", group=None, perms=("notices.view_notice",)))
    assert client.get(reverse("admin:notices_job_change", args=[job.pk])).status_code == 403
    assert client.post(reverse("admin:notices_job_change", args=[job.pk]), {"_cancel": "1"}).status_code == 403
    assert Job.objects.get(pk=job.pk).state == JobState.QUEUED
