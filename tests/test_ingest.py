"""The ingest command and write path, against a real PostgreSQL."""
from __future__ import annotations

import io
import json
import os
import subprocess
import sys

import pytest
from django.core.management import call_command
from django.db import connection, transaction

from notices import ingest, topics
from notices.models import Issue, Measure, Notice, SourceFile

from .conftest import ROOT, SEED_FILES

pytestmark = pytest.mark.django_db

# Leaf issues per seed, counted by hand from the gold parses.
SEED_LEAF_ISSUES = {"000": 16, "001": 18, "002": 10, "003": 13, "004": 39}


def run_ingest(*args: str) -> tuple[int, str, str]:
    out, err = io.StringIO(), io.StringIO()
    code = 0
    try:
        call_command("ingest", *args, stdout=out, stderr=err)
    except SystemExit as exc:
        code = exc.code or 0
    return code, out.getvalue(), err.getvalue()


@pytest.fixture
def every_file_a_notice(settings):
    """These tests store the samples changed by a newline or a date as notices of their own:
    linking near copies as other sources (tests/test_copies.py) is off for them."""
    settings.ARCHIVE_NEAR_DUPLICATE_THRESHOLD = 1.01


def counts() -> tuple[int, int, int, int]:
    return (SourceFile.objects.count(), Notice.objects.count(), Issue.objects.count(), Measure.objects.count())


def leaf_count(notice: Notice) -> int:
    return Issue.objects.filter(notice=notice, children__isnull=True).count()


def test_the_seeds_are_stored_with_their_full_trees():
    for path in SEED_FILES:
        notice = Notice.objects.get(source__filename=path.name)
        assert leaf_count(notice) == SEED_LEAF_ISSUES[path.name[:3]], path.name
        assert Measure.objects.filter(notice=notice).exists()


def test_stored_rows_hold_what_the_models_would_derive():
    """Ingest writes problems and measures as plain rows: every column must be what saving the model gives."""
    from notices import tokenize

    for notice in Notice.objects.filter(source__filename__in=[p.name for p in SEED_FILES]):
        issues = {i.pk: i for i in notice.issues.all()}
        assert [i.position for i in sorted(issues.values(), key=lambda i: i.position)] == list(range(len(issues)))
        for issue in issues.values():
            parent = issues[issue.parent_id] if issue.parent_id else None
            assert issue.depth == (parent.depth + 1 if parent else 0)
            assert issue.parsed_title == "" and issue.parser_words() == issue.title  # the title is the parser's
            assert issue.corrected_fields == [] and not issue.measures_corrected
            assert issue.fold_text == tokenize.fold(issue.title)
            assert issue.topics == topics.of_problem(tokenize.fold(issue.title), tokenize.fold(issue.category))
        for measure in notice.measures.all():
            assert measure.issue_id in issues and measure.parsed_text == "" and measure.parser_words() == measure.text
            assert measure.corrected_fields == [] and measure.fold_text == tokenize.fold(measure.text)
        assert sum(bool(i.topics) for i in issues.values()) > 0


def test_copy_rows_refuses_a_column_list_that_leaves_a_column_out():
    from notices.bulk import copy_rows
    from notices.write import MEASURE_COLUMNS

    with pytest.raises(ValueError, match="fold_text"):
        copy_rows(Measure, MEASURE_COLUMNS[:-1], [])


def test_the_original_bytes_are_kept_exactly():
    for path in SEED_FILES:
        source = SourceFile.objects.get(filename=path.name)
        assert bytes(source.data) == path.read_bytes()
        assert source.size == len(path.read_bytes())
        assert source.sha256 == ingest.sha256_of(path.read_bytes())


def test_reingesting_the_same_files_writes_nothing():
    before = counts()
    stamps = list(Notice.objects.order_by("pk").values_list("updated_at", flat=True))
    code, _, err = run_ingest(str(ROOT / "samples"))
    assert code == 0
    assert "5 unchanged" in err and "0 failed" in err
    assert counts() == before
    assert list(Notice.objects.order_by("pk").values_list("updated_at", flat=True)) == stamps


def test_force_reparses_and_reports_unchanged_when_the_parse_is_the_same():
    before = counts()
    code, _, err = run_ingest("--force", str(SEED_FILES[0]))
    assert code == 0
    assert "1 unchanged" in err
    assert counts() == before


@pytest.mark.parametrize(
    "name, data, reason",
    [
        ("empty.txt", b"", "空文件"),
        ("blank.txt", b"   \n\n  ", "空文件"),
        ("junk.bin", bytes(range(256)) * 40, ""),
        ("notes.txt", "今天天气很好，我们去公园散步。".encode(), "不像整改通报"),
    ],
    ids=["empty", "only-white-space", "binary-junk", "not-a-notice"],
)
def test_a_bad_file_fails_with_a_reason_and_stores_nothing(tmp_path, name, data, reason):
    before = counts()
    path = tmp_path / name
    path.write_bytes(data)
    code, _, err = run_ingest(str(path))
    assert code == 1
    assert f"failed: {path}" in err
    assert reason in err
    assert "Traceback" not in err
    assert counts() == before


@pytest.mark.usefixtures("every_file_a_notice")
def test_good_files_land_even_when_another_fails(tmp_path):
    good = tmp_path / "good.txt"
    good.write_bytes(SEED_FILES[1].read_bytes().replace("2025年7月31日".encode(), "2025年8月1日".encode()))
    (tmp_path / "bad.txt").write_bytes(b"")
    code, _, err = run_ingest(str(tmp_path), str(tmp_path / "missing.txt"))
    assert code == 1
    assert "1 new" in err and "2 failed" in err
    assert "missing.txt: no such file or folder" in err
    assert Notice.objects.filter(source__filename="good.txt").exists()


@pytest.mark.parametrize("workers", ["1", "2"])  # parsed here, or in two processes while this one stores
@pytest.mark.usefixtures("every_file_a_notice")
def test_a_run_stores_new_files_in_batches_and_reports_every_file(tmp_path, monkeypatch, workers):
    monkeypatch.setattr(ingest, "BATCH_SIZE", 2)
    data = {path.name: path.read_bytes() + b"\n\n" for path in SEED_FILES}  # bytes the archive lacks
    for name, content in data.items():
        (tmp_path / name).write_bytes(content)
    (tmp_path / SEED_FILES[0].name.replace(".", "_copy.")).write_bytes(data[SEED_FILES[0].name])  # same batch
    (tmp_path / "empty.txt").write_bytes(b"")
    (tmp_path / "seen-before.txt").write_bytes(SEED_FILES[1].read_bytes())
    before = counts()
    code, _, err = run_ingest(str(tmp_path), "--workers", workers)
    assert code == 1
    assert f"{len(SEED_FILES)} new, 2 unchanged, 1 failed" in err
    assert "empty.txt — empty.txt 是空文件" in err
    assert f"_copy.txt — the same bytes as {SEED_FILES[0].name}, earlier in this run" in err
    assert "seen-before.txt — already in the archive" in err
    assert counts()[:2] == (before[0] + len(SEED_FILES), before[1] + len(SEED_FILES))
    for path in SEED_FILES:
        notice = Notice.objects.get(source__filename=path.name, source__sha256=ingest.sha256_of(data[path.name]))
        assert bytes(notice.source.data) == data[path.name]
        assert Issue.objects.filter(notice=notice, children__isnull=True).count() == SEED_LEAF_ISSUES[path.name[:3]]
    with connection.cursor() as cursor:  # the bulk settings end with the run
        cursor.execute("SHOW gin_pending_list_limit")
        assert cursor.fetchone()[0] == "4MB"
        cursor.execute("SHOW work_mem")
        assert cursor.fetchone()[0] == "4MB"
        cursor.execute("SHOW synchronous_commit")
        assert cursor.fetchone()[0] == "on"


@pytest.mark.usefixtures("every_file_a_notice")
def test_a_file_that_trips_a_parser_bug_fails_alone_and_the_run_goes_on(tmp_path, monkeypatch, caplog):
    from notices.parsing import many

    real = many.parse_notice

    def parse(data, filename, content_type=None, **limits):
        if filename == "crash.txt":
            raise RuntimeError("boom")
        return real(data, filename, content_type, **limits)

    monkeypatch.setattr(many, "parse_notice", parse)
    (tmp_path / "crash.txt").write_bytes(SEED_FILES[2].read_bytes() + b"\n")
    (tmp_path / "good.txt").write_bytes(SEED_FILES[3].read_bytes() + b"\n")
    code, _, err = run_ingest(str(tmp_path), "--workers", "1")
    assert code == 1
    assert "Summary: 1 new, 1 failed" in err
    assert "crash.txt — 解析程序处理这个文件时出错（RuntimeError: boom），什么也没有保存" in err
    assert "The parser failed on crash.txt" in caplog.text  # the traceback is logged for the report
    assert Notice.objects.filter(source__filename="good.txt").exists()
    assert not Notice.objects.filter(source__filename="crash.txt").exists()


@pytest.mark.usefixtures("every_file_a_notice")
def test_a_parsing_process_that_dies_ends_the_run_with_a_message_and_keeps_what_was_stored(tmp_path, monkeypatch):
    from concurrent.futures.process import BrokenProcessPool

    from django.core.management.base import CommandError

    real = ingest.parse_many

    def dying(files, processes=1, ahead=0, **limits):
        for number, item in enumerate(real(files, 1)):
            if number == 2:
                raise BrokenProcessPool("A process in the process pool was terminated abruptly")
            yield item

    monkeypatch.setattr(ingest, "parse_many", dying)
    monkeypatch.setattr(ingest, "BATCH_SIZE", 2)
    for path in SEED_FILES:
        (tmp_path / path.name).write_bytes(path.read_bytes() + b"\n")
    before = counts()[1]
    with pytest.raises(CommandError, match="A parsing process died"):
        call_command("ingest", str(tmp_path), stdout=io.StringIO(), stderr=io.StringIO())
    assert counts()[1] == before + 2  # the first batch is stored, whole


def test_a_run_by_a_role_that_does_not_own_the_index_still_ends_cleanly():
    with connection.cursor() as cursor:
        cursor.execute("CREATE ROLE archive_test_clerk")  # rolled back with the test's transaction
        cursor.execute("SET ROLE archive_test_clerk")
        with ingest.bulk_loading():
            cursor.execute("SHOW gin_pending_list_limit")
            assert cursor.fetchone()[0] == ingest.BULK_SETTINGS["gin_pending_list_limit"]
            cursor.execute("SHOW synchronous_commit")
            assert cursor.fetchone()[0] == "off"
        cursor.execute("SHOW gin_pending_list_limit")
        assert cursor.fetchone()[0] == "4MB"
        cursor.execute("RESET ROLE")


def test_a_failure_while_writing_leaves_nothing_behind(tmp_path, monkeypatch):
    path = tmp_path / "notice.txt"
    path.write_bytes(SEED_FILES[3].read_bytes() + "\n附：补充说明".encode())
    before = counts()

    def broken(*args, **kwargs):
        raise RuntimeError("disk full")

    monkeypatch.setattr(ingest, "insert_tree", broken)
    with pytest.raises(RuntimeError):
        ingest.ingest_bytes(path.read_bytes(), path.name)
    assert counts() == before


def synthetic_files(count: int) -> list[ingest.NewFile]:
    from tools.synthetic import generate

    return [ingest.NewFile(data, name, "text/plain", parsed)
            for name, data, parsed in generate(count, ROOT / "samples")]


def tree_of(notice: Notice) -> list[tuple]:
    """The stored tree as (position, parent position, title, [measure texts])."""
    issues = {i.pk: i for i in Issue.objects.filter(notice=notice)}
    assert all(i.parent_id is None or i.parent_id in issues for i in issues.values())  # parents in this notice
    measures = {}
    for m in Measure.objects.filter(notice=notice).order_by("position"):
        assert m.issue_id in issues  # and each measure under one of its problems
        measures.setdefault(m.issue_id, []).append(m.text)
    return sorted((i.position, issues[i.parent_id].position if i.parent_id else None, i.title,
                   measures.get(i.pk, [])) for i in issues.values())


def test_a_batch_is_stored_as_each_file_would_be_on_its_own():
    files = synthetic_files(3)
    results = ingest.store_new_files(files)
    assert [r.outcome for r in results] == ["new"] * 3
    for f, result in zip(files, results):
        notice = Notice.objects.get(pk=result.notice_id)
        assert bytes(notice.source.data) == f.data and notice.text == f.parsed.text
        stored = tree_of(notice)
        tree = ingest.Tree.of(f.parsed.issues)
        assert [(t[0], t[2], len(t[3])) for t in stored] == [
            (i.position, i.title, sum(m.issue == index for m in tree.measures)) for index, i in enumerate(tree.issues)]
        assert notice.grams and notice.fold_text and notice.topics == topics.of_notice(
            p.topics for p in tree.problems() if p.is_problem)


def test_a_batch_with_a_file_already_stored_falls_back_to_one_by_one():
    files = synthetic_files(2)
    ingest.store_new_files(files[:1])
    before = counts()
    results = ingest.store_new_files(files)  # the first one again: its sha256 is taken
    assert [r.outcome for r in results] == ["unchanged", "new"]
    assert counts()[:2] == (before[0] + 1, before[1] + 1)


def test_copy_insert_refuses_rows_whose_parent_is_not_stored_yet():
    from notices.bulk import copy_insert

    stored = ingest.store_new_files(synthetic_files(1))[0]
    notice = Notice.objects.get(pk=stored.notice_id)
    parent = Issue(notice=notice, position=100, title="上级问题")
    child = Issue(notice=notice, parent=parent, position=101, title="下级问题")
    before = counts()
    with pytest.raises(ValueError, match="parent is not stored yet"), transaction.atomic():
        copy_insert(Issue, [child])  # without the check, the child would lose its parent silently
    assert counts() == before
    copy_insert(Issue, [parent, child])
    assert Issue.objects.get(pk=child.pk).parent_id == parent.pk == child.parent_id


def test_dry_run_json_prints_one_parse_per_line_and_needs_no_database():
    env = dict(os.environ, DATABASE_URL="postgres://nobody@127.0.0.1:9/nowhere", DJANGO_SETTINGS_MODULE="archive.settings.dev")
    proc = subprocess.run(
        [sys.executable, "manage.py", "ingest", "--dry-run", "--json", *map(str, SEED_FILES)],
        cwd=ROOT, env=env, capture_output=True, text=True, timeout=120,
    )
    assert proc.returncode == 0, proc.stderr
    lines = [json.loads(line) for line in proc.stdout.splitlines()]
    assert [line["file"] for line in lines] == [str(p) for p in SEED_FILES]
    assert all("issues" in line and "publish_date" in line for line in lines)
    parallel = subprocess.run(
        [sys.executable, "manage.py", "ingest", "--dry-run", "--json", "--workers", "2", *map(str, SEED_FILES)],
        cwd=ROOT, env=env, capture_output=True, text=True, timeout=120,
    )
    assert parallel.returncode == 0, parallel.stderr
    assert parallel.stdout == proc.stdout  # the same parses, in the same order


def test_dry_run_explain_says_which_rule_and_line_gave_each_field(tmp_path):
    notice = tmp_path / "notice.txt"
    notice.write_text(
        "中共区审计局党组关于区委巡察整改情况的通报\n2023-06-01 09:30来源：南京市鼓楼区审计局\n"
        "根据区委统一部署，2022年9月5日至11月4日，区委第二巡察组对区审计局党组开展了巡察。\n", encoding="utf-8",
    )
    env = dict(os.environ, DATABASE_URL="postgres://nobody@127.0.0.1:9/nowhere", DJANGO_SETTINGS_MODULE="archive.settings.dev")
    command = [sys.executable, "manage.py", "ingest", "--dry-run", "--explain"]
    proc = subprocess.run([*command, "--json", str(notice)], cwd=ROOT, env=env, capture_output=True, text=True, timeout=120)
    assert proc.returncode == 0, proc.stderr
    record = json.loads(proc.stdout)
    assert record["publish_date"] == "2023-06-01" and record["province"] == "江苏省"
    assert record["explain"]["publish_date"]["line"] == "2023-06-01"
    assert record["explain"]["province"] == {"rule": "the page's source", "line": "南京市鼓楼区审计局"}
    assert record["explain"]["issuer"]["rule"] == "the title, before 关于"
    text = subprocess.run([*command, str(notice)], cwd=ROOT, env=env, capture_output=True, text=True, timeout=120)
    assert "  province: 江苏省  ← the page's source: 南京市鼓楼区审计局" in text.stdout.splitlines()
    refused = subprocess.run([sys.executable, "manage.py", "ingest", "--explain", str(notice)], cwd=ROOT, env=env,
                             capture_output=True, text=True, timeout=120)
    assert refused.returncode != 0 and "--dry-run" in refused.stderr
