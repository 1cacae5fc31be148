"""The counts each notice keeps (derive.Tally) and the pages sum: always those of its problem rows.

Statistics, compare, the home and agency pages sum the notices' tallies instead of counting
problems and measures; whatever writes the rows (ingest, re-parse, the admin's corrections,
the recycle bin; import is in test_write.py) the sums must stay what counting the rows gives.
"""
from __future__ import annotations

from collections import Counter

import pytest

from notices import corrections, ingest
from notices.corrections import Row
from notices.models import Issue, Measure, Notice
from notices.presentation import stats
from notices.presentation.compare import build_comparison

pytestmark = pytest.mark.django_db


def counted_from_rows() -> dict:
    """What the pages should say, counted over the public notices' problem and measure rows."""
    notices = Notice.objects.values("pk")
    problems = Issue.objects.problems().filter(notice__in=notices)
    rows = list(problems.values_list("topics", "status", "notice__publish_date__year", "notice__province"))
    return {
        "problems": len(rows), "measures": Measure.objects.filter(notice__in=notices).count(),
        "statuses": Counter(status for _, status, _, _ in rows),
        "topics": Counter(slug for topics, *_ in rows for slug in topics),
        "years": Counter(year for _, _, year, _ in rows),
        "topic years": Counter((slug, year) for topics, _, year, _ in rows for slug in topics),
        "topic provinces": Counter((slug, province) for topics, _, _, province in rows for slug in topics),
    }


def summed_by_pages() -> dict:
    notices = stats.Summary(Notice.objects.all())
    totals = stats.totals(notices)
    labels = {"已完成": "done", "推进中": "in_progress", "未注明": None}
    return {
        "problems": totals.problems, "measures": totals.measures,
        "statuses": Counter({labels[label]: n for label, n in stats.problems_by_status(notices)}),
        "topics": Counter({slug: n for slug, _, n in stats.problems_by_topic(notices)}),
        "years": Counter(stats.problems_by_year(notices)),
        "topic years": Counter({(slug, year): n for slug, row in stats.topic_matrix(notices, "year").items()
                                for year, n in row.items()}),
        "topic provinces": Counter({(slug, p): n for slug, row in stats.topic_matrix(notices, "province").items()
                                    for p, n in row.items()}),
    }


def assert_pages_count_the_rows() -> dict:
    expected = counted_from_rows()
    assert summed_by_pages() == expected
    return expected


def test_the_pages_sums_are_the_counts_of_the_problem_rows():
    counted = assert_pages_count_the_rows()
    assert counted["problems"] == 96 and counted["measures"] > counted["problems"]  # the gold's leaves
    assert len(counted["topics"]) > 3 and counted["statuses"]


def test_the_sums_follow_every_write(archivist):
    before = assert_pages_count_the_rows()
    notice = Notice.objects.get(source__filename__startswith="000")

    # the admin deletes a problem with siblings (its measures go with it)
    leaf = next(i for i in Issue.objects.problems().filter(notice=notice).exclude(measures=None).distinct()
                if i.parent is None or i.parent.children.count() > 1)
    kept = list(notice.issues.exclude(pk=leaf.pk).order_by("position"))
    corrections.save_issue_list(notice, archivist, [Row(i, i.position, i.parent) for i in kept], [leaf])
    after = assert_pages_count_the_rows()
    assert after["problems"] == before["problems"] - 1 and after["measures"] < before["measures"]

    # a heading given measures of its own becomes a problem
    heading = Issue.objects.filter(notice=notice, children__isnull=False, measures=None).first()
    corrections.save_measure_list(heading, archivist, [Row(Measure(text="建立工作台账。"), 0)], [])
    assert assert_pages_count_the_rows()["problems"] == after["problems"] + 1

    # a re-parse gives the notice its parsed tree back
    assert ingest.reparse(Notice.all_objects.get(pk=notice.pk)).outcome in ("updated", "unchanged")
    assert_pages_count_the_rows()

    # the recycle bin takes a notice's problems out of every sum, and restoring puts them back
    corrections.move_to_recycle_bin([notice], archivist)
    binned = assert_pages_count_the_rows()
    assert binned["problems"] < before["problems"]
    corrections.restore([notice])
    assert assert_pages_count_the_rows()["problems"] >= binned["problems"]


def test_compare_sums_each_sides_tallies_as_the_rows_count_them():
    provinces = list(Notice.objects.exclude(province=None).values_list("province", flat=True).distinct())[:2]
    comparison = build_comparison("province", provinces)
    overview = {row.label: row.cells for row in comparison.sections[0].rows}
    for province, cell in zip(provinces, overview["问题"]):
        problems = Issue.objects.problems().filter(notice__in=Notice.objects.filter(province=province).values("pk"))
        assert cell == f"{problems.count():,} 个"
    for province, cell in zip(provinces, overview["整改措施"]):
        assert cell == f"{Measure.objects.filter(notice__province=province, notice__deleted_at=None).count():,} 条"
