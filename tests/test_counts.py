"""The archive's sums per year, province and level (counts.GroupTally): always what counting the notices gives.

write.recount keeps them on every write; after each kind of write below, the stored rows must
equal the rows counted from scratch, and every pass the pages make over them must give what
the same pass over the notices gives (the statistics, home and compare pages read the former).
"""
from __future__ import annotations

import io
import random
import threading

import pytest
from django.core.management import call_command
from django.db import connection
from django.db.models import F
from django.db.models.functions import ExtractYear
from django.http import QueryDict
from django.urls import reverse

from notices import corrections, counts, ingest
from notices.corrections import Row
from notices.counts import DayTally, GroupTally
from notices.filters import NoticeFilter
from notices.models import Issue, Measure, Notice, Progress
from notices.presentation import stats, timing

from .admin_helpers import change_form_data, new_notice_bytes
from .opendata.support import add_notice

pytestmark = pytest.mark.django_db
KEYED = [f.name for f in GroupTally._meta.concrete_fields if f.name != "id"]


def stored() -> dict[tuple, dict]:
    return {(r["year"], r["province"], r["level"]): r for r in GroupTally.objects.values(*KEYED)}


def counted_from_scratch() -> dict[tuple, dict]:
    rows = counts.group_rows(Notice.objects.all())
    return {(r.year, r.province, r.level): {name: getattr(r, name) for name in KEYED} for r in rows}


def assert_recounted() -> dict[tuple, dict]:
    found = stored()
    assert found == counted_from_scratch()
    days = {(r.dimension, r.value): r.days for r in DayTally.objects.all()}
    assert days == {(r.dimension, r.value): r.days for r in counts.day_rows(Notice.objects.all())}
    return found


def group_of(notice: Notice) -> tuple:
    notice = Notice.all_objects.get(pk=notice.pk)
    return (notice.publish_date.year if notice.publish_date else None, notice.province, notice.level)


def test_the_values_counted_are_the_models():
    assert counts.PROGRESS == tuple(Progress.values)
    dated = {f.name for f in Notice._meta.fields if f.get_internal_type() == "DateField"}
    assert {start for *_, start, _ in counts.SPANS} | {end for *_, end in counts.SPANS} <= dated


def test_every_pass_over_the_stored_sums_gives_what_it_gives_over_the_notices():
    assert_recounted()
    notices, groups = Notice.objects.all(), GroupTally.objects.all()
    assert groups.exists()
    for keys in ({}, {"province": "province"}, {"level": "level"}, {"year": "year"}, {"year": "year", "province": "province"}):
        over_notices = {k: ExtractYear("publish_date") if k == "year" else F(k) for k in keys}
        over_groups = {k: F(k) for k in keys}
        for count in (counts.sums, counts.topic_sums, counts.day_counts):
            assert count(groups, **over_groups) == count(notices, **over_notices), (count.__name__, keys)
    assert counts.sums(notices)[()]["notices"] == notices.count()
    assert counts.day_counts(DayTally.objects.filter(dimension="archive")) == counts.day_counts(notices)
    for dimension in counts.MARGINS:
        days = DayTally.objects.filter(dimension=dimension)
        by_value = {(k[0] if dimension != "year" or k[0] is None else str(k[0]), *k[1:]): n
                    for k, n in counts.day_counts(notices, value=counts.group_keys(notices)[dimension]).items()}
        assert counts.day_counts(days, value=F("value")) == by_value, dimension


def test_the_statistics_of_the_whole_archive_read_the_stored_sums_and_say_the_same():
    kept, live = stats.Summary.archive(matrices=True), stats.Summary(Notice.objects.all(), matrices=True)
    assert kept.counted.model is GroupTally and live.counted.model is Notice
    for draw in (stats.totals, stats.notices_by_year, stats.problems_by_year, stats.notices_by_level,
                 stats.problems_by_topic, stats.problems_by_status):
        assert draw(kept) == draw(live), draw.__name__
    assert stats.topic_matrix(kept, "province") == stats.topic_matrix(live, "province")
    assert timing.distributions_of(kept.days, stats.totals(kept).notices) == timing.distributions(Notice.objects.all())


@pytest.mark.parametrize("query", ["province=山东省", "level=county&level=city", "year=2025&province=none",
                                   "year=none", "year=²", "province=火星省"])
def test_statistics_filtered_by_the_facets_of_a_group_read_the_stored_sums_and_say_the_same(query):
    params = QueryDict(query)
    notices = NoticeFilter(params, queryset=Notice.objects.all()).qs
    kept, live = stats.Summary.of_filtered(notices, params, matrices=True), stats.Summary(notices, matrices=True)
    assert kept.counted.model is GroupTally
    for draw in (stats.totals, stats.notices_by_year, stats.problems_by_year, stats.notices_by_level,
                 stats.problems_by_topic, stats.problems_by_status):
        assert draw(kept) == draw(live), draw.__name__
    assert kept.topics == live.topics and kept.days == live.days


def test_statistics_filtered_by_anything_else_count_the_notices_rows():
    params = QueryDict("province=山东省&topic=elderly")
    notices = NoticeFilter(params, queryset=Notice.objects.all()).qs
    assert stats.Summary.of_filtered(notices, params).counted.model is Notice


def test_every_write_recounts_the_groups_it_touches(client, archivist):
    before = assert_recounted()

    # a new notice, on its own and in a batch
    new = add_notice("某县民政局关于巡察整改进展情况的通报\n一、低保审核不严\n建立台账。\n", province="海南省",
                     level="county", agency="某县民政局")
    assert assert_recounted()[(None, "海南省", "county")]["notice_ids"] == [new.pk]
    data = new_notice_bytes(0, variant=7)
    [result] = ingest.store_new_files([ingest.NewFile(data, "batch.txt", "text/plain", ingest.parse(data, "batch.txt"))])
    assert result.outcome == "new"
    assert sum(r["notices"] for r in assert_recounted().values()) == Notice.objects.count()

    # the admin moves a notice to another year and province: it leaves its old group
    notice = Notice.objects.get(pk=result.notice_id)
    old_group = group_of(notice)
    change = reverse("admin:notices_notice_change", args=[notice.pk])
    form = change_form_data(client.get(change))
    form.update(province="西藏自治区", publish_date="2019-03-04")
    assert client.post(change, form).status_code == 302
    after = assert_recounted()
    assert notice.pk in after[(2019, "西藏自治区", notice.level)]["notice_ids"]
    assert notice.pk not in after.get(old_group, {"notice_ids": []})["notice_ids"]

    # the admin's tree corrections: a problem deleted, measures given to a heading, a problem edited
    leaf = next(i for i in Issue.objects.problems().filter(notice=notice).exclude(measures=None).distinct()
                if i.parent is None or i.parent.children.count() > 1)
    kept = list(notice.issues.exclude(pk=leaf.pk).order_by("position"))
    corrections.save_issue_list(notice, archivist, [Row(i, i.position, i.parent) for i in kept], [leaf])
    assert_recounted()
    heading = Issue.objects.filter(notice=notice, children__isnull=False, measures=None).first()
    if heading is not None:
        corrections.save_measure_list(heading, archivist, [Row(Measure(text="建立工作台账。"), 0)], [])
        assert_recounted()
    problem = Issue.objects.problems().filter(notice=notice).first()
    problem.title, problem.status = "殡葬领域专项整治不力", "done"
    corrections.save_issue(problem, archivist)
    assert_recounted()

    # a re-parse, the recycle bin and a restore
    assert ingest.reparse(Notice.all_objects.get(pk=notice.pk)).outcome in ("updated", "unchanged")
    assert_recounted()
    corrections.move_to_recycle_bin([notice, new], archivist)
    binned = assert_recounted()
    assert not any(notice.pk in r["notice_ids"] or new.pk in r["notice_ids"] for r in binned.values())
    corrections.restore([notice, new])
    assert_recounted()

    # reindex counts every group again (after a dictionary or topic change, or sums gone astray)
    GroupTally.objects.all().delete()
    call_command("reindex", stderr=io.StringIO())
    assert assert_recounted().keys() >= before.keys()


def test_a_write_that_did_not_recount_shows_as_a_difference():
    """The check above can fail: a notice changed behind write.recount's back is caught."""
    notice = Notice.objects.first()
    Notice.objects.filter(pk=notice.pk).update(problems_total=notice.problems_total + 1)
    with pytest.raises(AssertionError):
        assert_recounted()


@pytest.mark.parametrize("seed", range(6))
def test_the_median_is_the_one_postgresql_computes(seed):
    rng = random.Random(seed)
    days = [rng.choice([0, 1, 3, 30, 31, 45, 200, 400]) for _ in range(seed * 3 + 1)]
    histogram: dict[int, int] = {}
    for d in days:
        histogram[d] = histogram.get(d, 0) + 1
    with connection.cursor() as cursor:
        cursor.execute("SELECT percentile_cont(0.5) WITHIN GROUP (ORDER BY d) FROM unnest(%s::int[]) d", [days])
        assert timing.median(histogram) == cursor.fetchone()[0]
    assert timing.median({}) is None


@pytest.fixture
def committed(transactional_db, django_db_blocker):
    """Two writers see each other's rows only once committed; pytest-django empties every table after
    a transactional test: put back what the other tests expect."""
    yield
    from .conftest import put_back_shared_data

    with django_db_blocker.unblock():
        put_back_shared_data()


def test_two_writers_of_one_group_at_once_leave_the_sums_of_both(committed, monkeypatch):
    from django.db import connection as main_connection, transaction

    from notices import write

    both_written = threading.Barrier(2, timeout=30)
    take_the_lock = write._one_writer_of_the_sums

    def after_both_wrote() -> None:  # each has its notice in place, uncommitted, before either counts
        both_written.wait()
        take_the_lock()

    monkeypatch.setattr(write, "_one_writer_of_the_sums", after_both_wrote)
    errors = []

    def writer(n: int) -> None:
        try:
            with transaction.atomic():
                add_notice(f"某县第{n}民政局关于巡察整改进展情况的通报\n一、低保审核不严\n建立台账。\n",
                           province="海南省", level="county", agency=f"某县第{n}民政局")
        except Exception as exc:  # noqa: BLE001  (reported below)
            errors.append(exc)
        finally:
            from django.db import connection

            connection.close()

    threads = [threading.Thread(target=writer, args=(n,)) for n in (1, 2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(60)
    assert not errors
    main_connection.close()
    assert assert_recounted()[(None, "海南省", "county")]["notices"] == 2
