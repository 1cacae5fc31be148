"""The write side (notices/write.py, notices/derive.py): whichever path writes a notice, its problems
and measures, every derived column it leaves equals a fresh computation from the rows' own values."""
from __future__ import annotations

import dataclasses

import pytest
from django.core.management import call_command
from django.urls import reverse

from notices import corrections, derive, export_import, ingest, write
from notices.models import Issue, Measure, Notice, Progress, RankingRow, Status

from .admin_helpers import add_inline_row, change_form_data, inline_prefix, new_notice_bytes, row_index
from .conftest import SEED_FILES

pytestmark = pytest.mark.django_db


def fresh_columns(notice: Notice) -> tuple[dict[int, tuple], dict[int, str], derive.NoticeColumns]:
    """The derived columns of a stored notice and its tree, computed afresh from what the rows say."""
    issues, measures = list(notice.issues.all()), list(notice.measures.all())
    tree = derive.tree_columns([derive.ProblemText(i.title, i.category) for i in issues], [m.text for m in measures])
    leaves = set(Issue.objects.problems().filter(notice=notice).values_list("pk", flat=True))
    problems = tuple(derive.StoredProblem(c.fold_text, c.topics, i.status, i.pk in leaves)
                     for i, c in zip(issues, tree.problems))
    columns = derive.notice_columns(derive.NoticeText(
        notice.title, notice.text, notice.agency_name, notice.issuer, notice.inspector, problems, tuple(tree.measures),
        notice.figures,
    ))
    return ({i.pk: (c.fold_text, list(c.topics)) for i, c in zip(issues, tree.problems)},
            {m.pk: folded for m, folded in zip(measures, tree.measures)}, columns)


def assert_every_derived_column_is_current() -> int:
    """Check every stored notice; return how many were checked."""
    notices = list(Notice.all_objects.order_by("pk"))
    for notice in notices:
        problems, measures, columns = fresh_columns(notice)
        assert {i.pk: (i.fold_text, i.topics) for i in notice.issues.all()} == problems, notice.pk
        assert {m.pk: m.fold_text for m in notice.measures.all()} == measures, notice.pk
        for name in derive.NOTICE_DERIVED:
            stored, expected = getattr(notice, name), getattr(columns, name)
            if name in ("grams", "words"):  # PostgreSQL gives a tsvector back in its own spacing
                stored, expected = " ".join(stored.split()), " ".join(expected.split())
            assert stored == expected, (notice.pk, name)
    assert_ranking_rows_are_the_notices()
    return len(notices)


def assert_ranking_rows_are_the_notices() -> None:
    """The ranking rows (ranking_rows.py, kept by the database's triggers) copy every notice's
    ranked columns, and there is no row of a notice that is gone."""
    columns = ("pk", "publish_date", "fold_title", "fold_agency", "words")
    assert ({row[0]: row for row in RankingRow.objects.values_list(*columns)}
            == {row[0]: row for row in Notice.all_objects.values_list(*columns)})


def test_the_values_derive_compares_are_the_models_choices():
    assert {derive.IN_PROGRESS, derive.DONE} == set(Status.values)
    assert {derive.IN_PROGRESS, derive.DONE, derive.UNSTATED} == set(Progress.values)


def test_every_write_path_leaves_every_derived_column_current(client, archivist, monkeypatch, tmp_path):
    # ingest, one file
    assert ingest.ingest_bytes(new_notice_bytes(0), "one.txt", "text/plain").outcome == "new"
    # ingest's batch COPY, many files at once
    files = [ingest.NewFile(new_notice_bytes(seed), f"batch-{seed}.txt", "text/plain",
                            ingest.parse_notice(new_notice_bytes(seed), f"batch-{seed}.txt"))
             for seed in range(1, len(SEED_FILES))]
    assert {r.outcome for r in ingest.store_new_files(files)} == {"new"}
    assert assert_every_derived_column_is_current() == 2 * len(SEED_FILES)

    # a re-parse that changes titles, statuses, a category and the tree's shape
    notice = Notice.objects.get(source__filename="one.txt")
    parsed = ingest.parse_notice(new_notice_bytes(0), "one.txt")
    first, *rest = parsed.issues
    changed = dataclasses.replace(first, title=first.title + "及殡葬改革", category="殡葬", status="in_progress")
    reparsed = dataclasses.replace(
        parsed, issues=(changed, *rest[1:]), text=parsed.text + "\n补充说明。",
        metadata=dataclasses.replace(parsed.metadata, title="新标题", inspector="市委第九巡察组"),
    )
    monkeypatch.setattr(ingest, "parse_notice", lambda *args, **kwargs: reparsed)
    assert ingest.reparse(notice).outcome == "updated"
    monkeypatch.undo()
    assert_every_derived_column_is_current()

    # the admin: the notice's metadata and problem list, then one problem and its measures
    url = reverse("admin:notices_notice_change", args=[notice.pk])
    data = change_form_data(client.get(url))
    prefix = inline_prefix(data, "issue")
    issue = notice.issues.order_by("position")[1]
    data[f"{prefix}-{row_index(data, prefix, issue.pk)}-title"] = "人工更正的问题：公墓管理"
    add_inline_row(data, prefix, {"title": "人工新增的问题：低保动态管理", "order": "99", "parent": "",
                                  "status": "in_progress"})
    data.update(title="人工更正的标题", agency_name="东营市民政事务中心")
    assert client.post(url, data).status_code == 302
    assert_every_derived_column_is_current()
    url = reverse("admin:notices_issue_change", args=[issue.pk])
    data = change_form_data(client.get(url))
    prefix = inline_prefix(data, "measure")
    data[f"{prefix}-0-text"] = "人工更正的措施：建立台账。"
    add_inline_row(data, prefix, {"text": "人工新增的措施：每月复核。", "label": "补"})
    data["status"] = "done"
    assert client.post(url, data).status_code == 302
    notice.refresh_from_db()
    assert notice.corrected_fields and Issue.objects.filter(notice=notice, parsed_title=None).exists()
    assert Measure.objects.filter(notice=notice, parsed_text=None).exists()
    assert_every_derived_column_is_current()

    # the recycle bin and back; reindex after the words went stale; anyone's own SQL
    corrections.move_to_recycle_bin(Notice.objects.filter(pk=notice.pk), None)
    assert_every_derived_column_is_current()
    corrections.restore(Notice.all_objects.filter(pk=notice.pk))
    Notice.objects.update(words=None, fold_title="")
    call_command("reindex", verbosity=0)
    assert_every_derived_column_is_current()
    Notice.objects.filter(pk=notice.pk).update(publish_date="2001-02-03", fold_agency="手写的单位")
    assert_ranking_rows_are_the_notices()

    # export, then import into an empty archive
    export_import.export_archive(tmp_path / "export")
    for model in reversed(export_import.tables()):
        model._base_manager.all().delete()
    assert not RankingRow.objects.exists()  # gone with their notices
    export_import.import_archive(tmp_path / "export")
    assert assert_every_derived_column_is_current() == 2 * len(SEED_FILES)


def test_one_list_of_metadata_fields_serves_ingest_corrections_and_the_notice_json():
    from notices.corrections import NOTICE_FIELDS
    from notices.notice_json import notice_to_json
    from notices.parsing.types import METADATA_FIELDS, Metadata

    assert set(METADATA_FIELDS) == {f.name for f in dataclasses.fields(Metadata)} - {"explain"}
    assert tuple(write.NOTICE_METADATA.values()) == METADATA_FIELDS
    assert NOTICE_FIELDS == tuple(write.NOTICE_METADATA)
    notice = Notice.objects.get(source__filename=SEED_FILES[0].name)
    assert set(write.NOTICE_METADATA.values()) <= set(notice_to_json(notice))
