"""Re-parsing: the merge rule of notices/merge.py (hand corrections survive, the rest follows the
parser), and the reparse command's progress, summary and exit status."""
from __future__ import annotations

import dataclasses
import io

import pytest
from django.contrib.auth.models import User
from django.core.management import call_command

from notices import corrections, ingest, write
from notices.merge import align
from notices.models import Issue, Measure, Notice
from notices.parsing.types import Metadata, ParsedIssue, ParsedMeasure, ParsedNotice

from .conftest import SEED_FILES

pytestmark = pytest.mark.django_db


# --- a parser we control ------------------------------------------------------------------

def problem(title: str, *measures: str, children=(), status=None, label=None) -> ParsedIssue:
    return ParsedIssue(None, label, title, status, tuple(ParsedMeasure(None, m) for m in measures), tuple(children))


def parse_of(*issues: ParsedIssue, **metadata) -> ParsedNotice:
    meta = {"title": "某区民政局关于巡察整改进展情况的通报", "agency": "某区民政局", "inspector": "区委第一巡察组", **metadata}
    return ParsedNotice(Metadata(**meta), tuple(issues), text="正文", format="text", parser_version="test")


FIRST = parse_of(
    problem("落实全面从严治党主体责任不到位", children=(
        problem("学习贯彻不深入", "制定学习计划。", "开展专题研讨。"),
        problem("监督检查不严格", "建立检查台账。"),
    )),
    problem("资金管理不规范", "清理违规资金。", "完善财务制度。", status="done"),
)


class Parser:
    """Stands in for parse_notice: returns whichever parse the test sets."""

    def __init__(self, parsed: ParsedNotice):
        self.parsed = parsed

    def __call__(self, data, filename="", content_type=None, **limits):
        return self.parsed


@pytest.fixture
def parser(monkeypatch):
    fake = Parser(FIRST)
    monkeypatch.setattr(ingest, "parse_notice", fake)
    return fake


@pytest.fixture
def notice(parser) -> Notice:
    result = ingest.ingest_bytes("一份只在测试里的通报".encode(), "test-notice.txt", "text/plain")
    assert result.outcome == "new"
    return Notice.objects.get(pk=result.notice_id)


@pytest.fixture
def archivist():
    return User.objects.create_user("archivist", is_staff=True)


def titles(notice: Notice) -> list[str]:
    return list(Issue.objects.filter(notice=notice).order_by("position").values_list("title", flat=True))


def issue(notice: Notice, title: str) -> Issue:
    return Issue.objects.get(notice=notice, title=title)


def measures(notice: Notice, title: str) -> list[str]:
    return list(issue(notice, title).measures.order_by("position").values_list("text", flat=True))


def reparse(notice: Notice, parser: Parser, parsed: ParsedNotice):
    parser.parsed = parsed
    return ingest.reparse(Notice.all_objects.get(pk=notice.pk))


def edit_issue(notice: Notice, archivist, which: str, **changes) -> None:
    """Change problem fields as the admin's inline does (every row submitted, one edited)."""
    rows = []
    for row in Issue.objects.filter(notice=notice).order_by("position"):
        if row.title == which:
            for name, value in changes.items():
                setattr(row, name, value)
        rows.append(corrections.Row(row, row.position + 1, row.parent))
    corrections.save_issue_list(notice, archivist, rows, [])


def improved(parsed: ParsedNotice, rename: dict[str, str] | None = None, **metadata) -> ParsedNotice:
    """`parsed` as a better parser would give it: some titles reworded, some metadata changed."""
    rename = rename or {}

    def walk(item: ParsedIssue) -> ParsedIssue:
        return dataclasses.replace(item, title=rename.get(item.title, item.title),
                                   children=tuple(walk(c) for c in item.children))

    meta = dataclasses.replace(parsed.metadata, **metadata)
    return dataclasses.replace(parsed, metadata=meta, issues=tuple(walk(i) for i in parsed.issues))


# --- the merge rule -----------------------------------------------------------------------

def test_an_uncorrected_notice_follows_the_new_parse_and_keeps_its_row_ids(notice, parser):
    ids = dict(Issue.objects.filter(notice=notice).values_list("title", "pk"))
    second = parse_of(
        problem("落实全面从严治党主体责任不到位", children=(
            problem("学习贯彻不够深入", "制定学习计划。", "开展专题研讨。"),  # reworded: found again
            problem("监督检查不严格", "建立检查台账。", "开展交叉检查。"),  # one measure more
            problem("整改台账不完整", "补齐台账。"),  # new
        )),
        problem("资金管理不规范", "清理违规资金。", "完善财务制度。", status="done"),
    )
    result = reparse(notice, parser, second)
    assert result.outcome == "updated"
    assert titles(notice) == ["落实全面从严治党主体责任不到位", "学习贯彻不够深入", "监督检查不严格", "整改台账不完整", "资金管理不规范"]
    assert issue(notice, "学习贯彻不够深入").pk == ids["学习贯彻不深入"]
    assert issue(notice, "资金管理不规范").pk == ids["资金管理不规范"]
    assert measures(notice, "监督检查不严格") == ["建立检查台账。", "开展交叉检查。"]
    changes = result.changes
    assert (changes.issues_updated, changes.issues_added, changes.issues_removed) == (1, 1, 0)
    assert changes.measures_added == 2  # one on an old problem, one on the new problem
    assert "problems: 1 updated, 1 added" in result.message


def test_reparsing_twice_changes_nothing_the_second_time(notice, parser):
    second = improved(FIRST, inspector="区委第二巡察组")
    stamp = Notice.objects.get(pk=notice.pk).updated_at
    assert reparse(notice, parser, second).outcome == "updated"
    changed = Notice.objects.get(pk=notice.pk).updated_at
    assert changed > stamp  # the open data's Last-Modified moves with a real change
    result = reparse(notice, parser, second)
    assert result.outcome == "unchanged" and result.message == "re-parsed; nothing changed"
    assert Notice.objects.get(pk=notice.pk).updated_at == changed  # and only then


def test_an_unchanged_reparse_writes_no_problem_or_measure_row(notice, parser):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as queries:
        assert reparse(notice, parser, FIRST).outcome == "unchanged"
    writes = [q["sql"] for q in queries if q["sql"].startswith(("UPDATE", "INSERT", "DELETE"))]
    assert writes and not [sql for sql in writes if "notices_issue" in sql or "notices_measure" in sql]


def test_a_problem_and_a_measure_appended_by_the_new_parse_arrive_and_the_rest_stays(notice, parser):
    ids = dict(Issue.objects.filter(notice=notice).values_list("title", "pk"))
    first, second = FIRST.issues
    grown = dataclasses.replace(second, measures=second.measures + (ParsedMeasure(None, "追回资金。"),))
    result = reparse(notice, parser, dataclasses.replace(FIRST, issues=(first, grown, problem("档案管理不规范", "整理档案。"))))
    assert result.outcome == "updated"
    assert titles(notice) == ["落实全面从严治党主体责任不到位", "学习贯彻不深入", "监督检查不严格", "资金管理不规范", "档案管理不规范"]
    assert list(Issue.objects.filter(notice=notice).order_by("position").values_list("position", flat=True)) == [0, 1, 2, 3, 4]
    assert {t: pk for t, pk in Issue.objects.filter(notice=notice).values_list("title", "pk") if t in ids} == ids
    assert measures(notice, "资金管理不规范") == ["清理违规资金。", "完善财务制度。", "追回资金。"]
    assert measures(notice, "档案管理不规范") == ["整理档案。"]
    assert reparse(notice, parser, dataclasses.replace(FIRST, issues=(first, grown, problem("档案管理不规范", "整理档案。")))).outcome == "unchanged"


def test_problems_the_parser_no_longer_finds_go_with_their_measures(notice, parser):
    second = parse_of(problem("资金管理不规范", "清理违规资金。", "完善财务制度。", status="done"))
    result = reparse(notice, parser, second)
    assert titles(notice) == ["资金管理不规范"]
    assert result.changes.issues_removed == 3 and result.changes.measures_removed == 3
    assert Measure.objects.filter(notice=notice).count() == 2


def test_a_corrected_metadata_field_is_kept_and_the_others_follow_the_parse(notice, parser, archivist):
    before = corrections.snapshot(notice, corrections.NOTICE_FIELDS)
    notice.title = "人工更正的标题"
    corrections.record_notice_fields(notice, before, archivist)
    write.refresh_notice(notice, save=False)
    notice.save()
    result = reparse(notice, parser, improved(FIRST, title="解析程序的新标题", inspector="区委第二巡察组"))
    notice.refresh_from_db()
    assert notice.title == "人工更正的标题" and notice.inspector == "区委第二巡察组"
    assert result.changes.fields_kept == ["title"] and result.changes.fields_changed == ["inspector"]
    assert "kept 1 hand corrections" in result.message


def test_a_corrected_problem_field_is_kept_the_rest_of_it_follows(notice, parser, archivist):
    edit_issue(notice, archivist, "资金管理不规范", title="专项资金管理不规范")
    second = improved(FIRST, rename={"资金管理不规范": "资金管理不够规范"})
    second = dataclasses.replace(second, issues=(second.issues[0], dataclasses.replace(second.issues[1], status="in_progress")))
    reparse(notice, parser, second)
    corrected = Issue.objects.get(notice=notice, title="专项资金管理不规范")
    assert corrected.status == "in_progress"  # status was not corrected: it follows the parser
    assert corrected.parser_words() == "资金管理不够规范"  # found again; next time it is looked for by these words


def test_a_problem_edited_twice_is_still_found_by_the_parsers_words(notice, parser, archivist):
    edit_issue(notice, archivist, "资金管理不规范", title="专项经费审批把关不严")
    edit_issue(notice, archivist, "专项经费审批把关不严", title="经费审批把关不严")  # nothing like the parser's words
    result = reparse(notice, parser, FIRST)
    assert titles(notice) == ["落实全面从严治党主体责任不到位", "学习贯彻不深入", "监督检查不严格", "经费审批把关不严"]
    assert not result.changes.issue_list_kept and not result.changes.issues_added
    assert issue(notice, "经费审批把关不严").parser_words() == "资金管理不规范"


def test_a_title_edited_back_to_the_parsers_words_stores_them_once(notice, parser, archivist):
    edit_issue(notice, archivist, "资金管理不规范", title="专项资金管理不规范")
    edit_issue(notice, archivist, "专项资金管理不规范", title="资金管理不规范")
    assert issue(notice, "资金管理不规范").parsed_title == ""


def test_rows_that_store_the_parsers_words_in_full_are_still_found(notice, parser):
    """Rows written before parser words were stored only where they differ hold a copy of the text."""
    from django.db.models import F

    Issue.objects.filter(notice=notice).update(parsed_title=F("title"))
    Measure.objects.filter(notice=notice).update(parsed_text=F("text"))
    result = reparse(notice, parser, improved(FIRST, rename={"资金管理不规范": "资金管理不够规范"}))
    assert result.changes.issues_updated == 1
    assert not result.changes.issues_added and not result.changes.issues_removed and not result.changes.measures_added
    assert set(Issue.objects.filter(notice=notice).values_list("parsed_title", flat=True)) == {""}
    assert set(Measure.objects.filter(notice=notice).values_list("parsed_text", flat=True)) == {""}


def test_new_problems_still_arrive_when_only_fields_were_corrected(notice, parser, archivist):
    edit_issue(notice, archivist, "监督检查不严格", title="监督检查不严格（人工）")
    second = parse_of(*FIRST.issues, problem("选人用人不规范", "开展专项检查。"))
    result = reparse(notice, parser, second)
    assert titles(notice)[-1] == "选人用人不规范" and "监督检查不严格（人工）" in titles(notice)
    assert not result.changes.issue_list_kept


def test_a_hand_shaped_problem_list_is_kept_and_the_report_counts_what_it_lacks(notice, parser, archivist):
    rows = [corrections.Row(i, i.position + 1, i.parent) for i in Issue.objects.filter(notice=notice).order_by("position")]
    rows.append(corrections.Row(Issue(notice=notice, title="人工补充的问题"), 99))
    corrections.save_issue_list(notice, archivist, rows, [issue(notice, "监督检查不严格")])
    second = parse_of(*FIRST.issues, problem("选人用人不规范", "开展专项检查。"))
    result = reparse(notice, parser, second)
    assert titles(notice) == ["落实全面从严治党主体责任不到位", "学习贯彻不深入", "资金管理不规范", "人工补充的问题"]
    assert result.changes.issue_list_kept
    assert result.changes.issues_not_placed == 2  # the deleted problem is not brought back, nor the new one added
    assert "kept the hand-shaped problem list" in result.message


def test_a_corrected_problem_the_parser_no_longer_finds_is_kept(notice, parser, archivist):
    edit_issue(notice, archivist, "学习贯彻不深入", status="done")
    second = improved(FIRST, rename={"学习贯彻不深入": "完全不同的一句话，与原文毫无相似之处"})
    result = reparse(notice, parser, second)
    assert "学习贯彻不深入" in titles(notice)  # nothing corrected by hand is ever deleted
    assert issue(notice, "学习贯彻不深入").status == "done"
    assert result.changes.issue_list_kept and result.changes.issues_not_placed == 1


def test_a_corrected_measure_is_kept_and_new_measures_still_arrive(notice, parser, archivist):
    target = issue(notice, "学习贯彻不深入")
    rows = []
    for m in target.measures.order_by("position"):
        if m.text == "制定学习计划。":
            m.text = "制定年度学习计划。"
        rows.append(corrections.Row(m, m.position + 1))
    corrections.save_measure_list(target, archivist, rows, [])
    second = improved(FIRST)
    sub = second.issues[0].children[0]
    sub = dataclasses.replace(sub, measures=sub.measures + (ParsedMeasure(None, "开展警示教育。"),))
    second = dataclasses.replace(second, issues=(dataclasses.replace(second.issues[0], children=(sub, second.issues[0].children[1])), second.issues[1]))
    reparse(notice, parser, second)
    assert measures(notice, "学习贯彻不深入") == ["制定年度学习计划。", "开展专题研讨。", "开展警示教育。"]


def test_a_hand_shaped_measure_list_is_kept_for_that_problem_only(notice, parser, archivist):
    target = issue(notice, "监督检查不严格")
    rows = [corrections.Row(m, m.position + 1) for m in target.measures.order_by("position")]
    rows.append(corrections.Row(Measure(text="人工补充的措施。"), 9))
    corrections.save_measure_list(target, archivist, rows, [])
    second = parse_of(
        problem("落实全面从严治党主体责任不到位", children=(
            problem("学习贯彻不深入", "制定学习计划。", "开展专题研讨。", "新措施甲。"),
            problem("监督检查不严格", "建立检查台账。", "新措施乙。"),
        )),
        FIRST.issues[1],
    )
    result = reparse(notice, parser, second)
    assert measures(notice, "监督检查不严格") == ["建立检查台账。", "人工补充的措施。"]
    assert measures(notice, "学习贯彻不深入")[-1] == "新措施甲。"
    assert result.changes.measures_not_placed == 1


def test_a_failed_reparse_changes_nothing(notice, parser, monkeypatch):
    from notices.parsing import ParseError

    def broken(*args, **kwargs):
        raise ParseError("The file cannot be read.")

    before = titles(notice)
    monkeypatch.setattr(ingest, "parse_notice", broken)
    result = ingest.reparse(notice)
    assert result.outcome == "failed" and result.message == "The file cannot be read."
    assert titles(notice) == before


def test_a_parse_that_contradicts_a_correction_fails_and_changes_nothing(notice, parser, archivist):
    import datetime as dt

    before = corrections.snapshot(notice, corrections.NOTICE_FIELDS)
    notice.inspection_start = dt.date(2025, 5, 1)
    corrections.record_notice_fields(notice, before, archivist)
    write.refresh_notice(notice, save=False)
    notice.save()
    result = reparse(notice, parser, improved(FIRST, inspection_end=dt.date(2025, 4, 1), inspector="新巡察组"))
    assert result.outcome == "failed" and "contradicts a hand correction" in result.message
    notice.refresh_from_db()
    assert notice.inspection_end is None and notice.inspector == "区委第一巡察组"


def test_alignment_matches_identical_then_similar_words_in_order():
    old = ["甲问题", "乙问题的原文很长很长", None, "丙问题"]
    new = ["甲问题", "新问题", "乙问题的原文很长很长。", "丙问题"]
    assert align(old, new) == {0: 0, 1: 2, 3: 3}


# --- the command --------------------------------------------------------------------------

def run_reparse(*args: str, stream=None) -> tuple[int, str]:
    err = stream or io.StringIO()
    code = 0
    try:
        call_command("reparse", *args, stdout=io.StringIO(), stderr=err)
    except SystemExit as exc:
        code = exc.code or 0
    return code, err.getvalue()


def test_reparse_all_reports_each_notice_and_a_summary():
    count = Notice.all_objects.count()
    code, err = run_reparse("--all")
    assert code == 0
    assert f"[{count}/{count}]" in err
    assert f"Summary: {count} unchanged, 0 failed" in err
    for path in SEED_FILES:
        assert path.name in err


def test_reparse_by_id_says_what_changed(monkeypatch):
    notice = Notice.objects.get(source__filename=SEED_FILES[0].name)
    real = ingest.parse_notice
    monkeypatch.setattr(ingest, "parse_notice",
                        lambda *a, **k: improved(real(*a, **k), inspector="市委第九巡察组"))
    code, err = run_reparse(str(notice.pk))
    assert code == 0
    assert f"[1/1] updated: #{notice.pk} {SEED_FILES[0].name} — changed inspector" in err
    assert "Summary: 1 updated, 0 failed" in err


def test_an_unknown_id_fails_the_run_but_not_the_others():
    notice = Notice.objects.order_by("pk").first()
    code, err = run_reparse(str(notice.pk), "987654")
    assert code == 1
    assert "failed: #987654 — no notice has this id." in err
    assert "1 unchanged" in err and "1 failed" in err
    assert err.rstrip().endswith("failed: #987654: no notice has this id.")


def test_a_crash_on_one_notice_is_reported_and_the_run_goes_on(monkeypatch):
    first, second = Notice.objects.order_by("pk")[:2]
    real = ingest.reparse

    def flaky(notice):
        if notice.pk == first.pk:
            raise RuntimeError("boom")
        return real(notice)

    monkeypatch.setattr("notices.jobs.kinds.reparse", flaky)
    code, err = run_reparse(str(first.pk), str(second.pk))
    assert code == 1 and "RuntimeError: boom" in err and "1 unchanged" in err


def test_reparse_needs_ids_or_all():
    from django.core.management.base import CommandError

    with pytest.raises(CommandError, match="by id, or give --all"):
        call_command("reparse", stderr=io.StringIO())


def test_on_a_terminal_reparse_draws_a_progress_bar():
    class Terminal(io.StringIO):
        def isatty(self):
            return True

    stream = Terminal()
    code, err = run_reparse("--all", stream=stream)
    count = Notice.all_objects.count()
    assert code == 0
    assert f"{count}/{count}" in err and "file" in err  # tqdm's bar
    assert "[1/" not in err  # no line per notice on a terminal
    assert "Summary:" in err
