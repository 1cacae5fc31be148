"""Correcting a notice in the admin: every change is recorded (who, when, old and new value),
the tree is renumbered, and the corrections survive a re-parse started from the admin."""
from __future__ import annotations

import dataclasses

import pytest
from django.urls import reverse

from notices import ingest
from notices.models import Correction, Issue, Notice

from .admin_helpers import (
    add_inline_row, change_form_data, inline_prefix, page_messages, row_index,
)
from .conftest import SEED_FILES

pytestmark = pytest.mark.django_db


@pytest.fixture
def notice():
    return Notice.objects.get(source__filename=SEED_FILES[0].name)


def _change_url(notice: Notice) -> str:
    return reverse("admin:notices_notice_change", args=[notice.pk])


def _form(client, notice: Notice) -> dict:
    return change_form_data(client.get(_change_url(notice)))


def _submit(client, notice: Notice, data: dict):
    response = client.post(_change_url(notice), data)
    if response.status_code != 302:
        errors = [response.context["adminform"].form.errors] + [
            (fs.formset.non_form_errors(), fs.formset.errors) for fs in response.context["inline_admin_formsets"]
        ]
        raise AssertionError(f"the admin refused the form: {errors}")
    return response


def _issues(notice: Notice) -> list[Issue]:
    return list(Issue.objects.filter(notice=notice).order_by("position"))


def _assert_tree_is_well_formed(notice: Notice) -> None:
    issues = _issues(notice)
    assert [i.position for i in issues] == list(range(len(issues)))
    seen: dict[int, Issue] = {}
    for issue in issues:
        if issue.parent_id is not None:
            assert issue.parent_id in seen, "a parent comes before its children"
            assert issue.depth == seen[issue.parent_id].depth + 1
        else:
            assert issue.depth == 0
        seen[issue.pk] = issue


# --- metadata -----------------------------------------------------------------------------

def test_editing_metadata_records_who_changed_what_from_what_to_what(client, archivist, notice):
    old_title, old_inspector = notice.title, notice.inspector
    data = _form(client, notice)
    data.update(title="更正后的标题", inspector="市委第九巡察组")
    _submit(client, notice, data)
    notice.refresh_from_db()
    assert notice.title == "更正后的标题"
    assert set(notice.corrected_fields) >= {"title", "inspector"}
    by_field = {c.field: c for c in Correction.objects.filter(notice=notice)}
    assert by_field["title"].old_value == old_title and by_field["title"].new_value == "更正后的标题"
    assert by_field["inspector"].old_value == old_inspector
    assert {c.user for c in by_field.values()} == {archivist}
    assert {c.action for c in by_field.values()} == {"change"}
    page = client.get(_change_url(notice)).content.decode()
    assert "已人工校对：重新解析不会改动此项" in page and "更正后的标题" in page


def test_correcting_the_inspected_unit_links_the_notice_to_that_unit(client, archivist, notice):
    data = _form(client, notice)
    data["agency_name"] = "东营市民政事务中心"
    _submit(client, notice, data)
    notice.refresh_from_db()
    assert notice.agency.name == "东营市民政事务中心" and "agency_name" in notice.corrected_fields


@pytest.mark.parametrize("seed", range(len(SEED_FILES)))
def test_saving_without_changes_records_nothing(client, archivist, seed):
    notice = Notice.objects.get(source__filename=SEED_FILES[seed].name)
    _submit(client, notice, _form(client, notice))
    assert not Correction.objects.filter(notice=notice).exists()
    notice.refresh_from_db()
    assert notice.corrected_fields == [] and not notice.tree_corrected


def test_an_inspection_ending_before_it_started_is_refused(client, archivist, notice):
    data = _form(client, notice)
    data.update(inspection_start="2025-05-01", inspection_end="2025-04-01")
    response = client.post(_change_url(notice), data)
    assert response.status_code == 200 and response.context["adminform"].form.errors
    assert not Correction.objects.filter(notice=notice).exists()


def test_the_search_columns_follow_a_corrected_title(client, archivist, notice):
    data = _form(client, notice)
    data["title"] = "殡葬改革专项整治的通报"
    _submit(client, notice, data)
    from notices.search import parse_query, search

    hits = search(Notice.objects.all(), parse_query("title:殡葬改革专项整治")).hits
    assert [h.notice.pk for h in hits] == [notice.pk]


# --- the problem list ---------------------------------------------------------------------

def test_editing_a_problem_inline_records_and_locks_that_field(client, archivist, notice):
    issue = _issues(notice)[1]
    old_title, stamp = issue.title, notice.updated_at
    data = _form(client, notice)
    prefix = inline_prefix(data, "issue")
    index = row_index(data, prefix, issue.pk)
    data[f"{prefix}-{index}-title"] = "人工更正的问题标题"
    _submit(client, notice, data)
    issue.refresh_from_db()
    assert issue.title == "人工更正的问题标题" and issue.corrected_fields == ["title"]
    assert issue.parser_words() == old_title  # the parser's words are kept to find it again
    correction = Correction.objects.get(notice=notice, target="issue")
    assert correction.action == "change" and correction.field == "title" and correction.target_id == issue.pk
    notice.refresh_from_db()
    assert not notice.tree_corrected  # a changed title does not change the tree's shape
    assert notice.updated_at > stamp  # the notice counts as changed (the open data's Last-Modified)


def test_adding_deleting_and_moving_problems_is_recorded_and_renumbered(client, archivist, notice):
    issues = _issues(notice)
    leaf = next(i for i in issues if not i.children.exists() and i.parent_id)
    last = issues[-1]
    data = _form(client, notice)
    prefix = inline_prefix(data, "issue")
    data[f"{prefix}-{row_index(data, prefix, leaf.pk)}-DELETE"] = "on"
    data[f"{prefix}-{row_index(data, prefix, last.pk)}-order"] = "0.5"  # to the very top
    data[f"{prefix}-{row_index(data, prefix, last.pk)}-parent"] = ""
    add_inline_row(data, prefix, {"title": "人工补充的问题", "order": "1.5", "parent": "", "status": "in_progress"})
    _submit(client, notice, data)

    after = _issues(notice)
    assert after[0].pk == last.pk and after[0].depth == 0
    added = Issue.objects.get(notice=notice, title="人工补充的问题")
    assert added.parser_words() is None and added.status == "in_progress"
    assert not Issue.objects.filter(pk=leaf.pk).exists()
    _assert_tree_is_well_formed(notice)
    actions = set(Correction.objects.filter(notice=notice).values_list("action", flat=True))
    assert actions >= {"add", "delete", "move"}
    deletion = Correction.objects.get(notice=notice, action="delete")
    assert deletion.old_value["title"] == leaf.title and "measures" in deletion.old_value
    notice.refresh_from_db()
    assert notice.tree_corrected


def test_a_problem_with_sub_problems_cannot_be_deleted_alone(client, archivist, notice):
    parent = next(i for i in _issues(notice) if i.children.exists())
    data = _form(client, notice)
    prefix = inline_prefix(data, "issue")
    data[f"{prefix}-{row_index(data, prefix, parent.pk)}-DELETE"] = "on"
    response = client.post(_change_url(notice), data)
    assert response.status_code == 200
    assert "还有下级问题" in response.content.decode()
    assert Issue.objects.filter(pk=parent.pk).exists()


def test_a_problem_cannot_hang_under_its_own_child(client, archivist, notice):
    parent = next(i for i in _issues(notice) if i.children.exists())
    child = parent.children.first()
    data = _form(client, notice)
    prefix = inline_prefix(data, "issue")
    data[f"{prefix}-{row_index(data, prefix, parent.pk)}-parent"] = str(child.pk)
    response = client.post(_change_url(notice), data)
    assert response.status_code == 200 and "循环" in response.content.decode()


# --- one problem's measures ---------------------------------------------------------------

def _issue_url(issue: Issue) -> str:
    return reverse("admin:notices_issue_change", args=[issue.pk])


def test_measures_are_corrected_in_order_on_the_problems_page(client, archivist, notice):
    issue = next(i for i in _issues(notice) if i.measures.count() >= 2)
    first, second = list(issue.measures.order_by("position"))[:2]
    data = change_form_data(client.get(_issue_url(issue)))
    prefix = inline_prefix(data, "measure")
    data[f"{prefix}-{row_index(data, prefix, first.pk)}-text"] = "人工更正的整改措施。"
    data[f"{prefix}-{row_index(data, prefix, second.pk)}-order"] = "0"  # second goes first
    add_inline_row(data, prefix, {"text": "人工补充的整改措施。", "label": "补"})
    data.pop("_continue")
    response = client.post(_issue_url(issue), data)
    assert response.status_code == 302 and response["Location"].startswith(_change_url(notice))

    measures = list(issue.measures.order_by("position"))
    assert measures[0].pk == second.pk and measures[1].pk == first.pk
    assert measures[1].text == "人工更正的整改措施。" and measures[1].corrected_fields == ["text"]
    assert measures[1].parser_words() == first.text  # to find it again in a new parse
    assert measures[-1].text == "人工补充的整改措施。" and measures[-1].parser_words() is None
    assert [m.position for m in measures] == list(range(len(measures)))
    issue.refresh_from_db()
    assert issue.measures_corrected
    actions = set(Correction.objects.filter(notice=notice).values_list("action", flat=True))
    assert actions == {"change", "move", "add"}


def test_a_problems_own_fields_are_corrected_on_its_page(client, archivist, notice):
    issue = _issues(notice)[0]
    data = change_form_data(client.get(_issue_url(issue)))
    data["category"], data["title"] = "人工分类", "人工更正的问题标题"
    client.post(_issue_url(issue), data)
    old_title = issue.title
    issue.refresh_from_db()
    assert issue.category == "人工分类" and "category" in issue.corrected_fields
    assert issue.title == "人工更正的问题标题" and issue.parser_words() == old_title
    assert Correction.objects.filter(notice=notice, target="issue", field="category").exists()


def test_problems_of_a_deleted_notice_cannot_be_edited(client, archivist, notice):
    issue = _issues(notice)[0]
    client.post(reverse("admin:notices_notice_delete", args=[notice.pk]), {"post": "yes"})
    data = change_form_data(client.get(_issue_url(issue)))
    assert client.post(_issue_url(issue), {**data, "category": "x"}).status_code == 403


# --- corrections survive a re-parse -------------------------------------------------------

def _improved_parser(monkeypatch):
    """A 'parser improvement': every problem title gains a full stop, the inspector and figures change."""
    real = ingest.parse_notice

    def improved(*args, **kwargs):
        parsed = real(*args, **kwargs)

        def polish(issue):
            return dataclasses.replace(issue, title=issue.title.rstrip("。") + "。",
                                       children=tuple(polish(c) for c in issue.children))

        meta = dataclasses.replace(parsed.metadata, inspector="市委第六巡察组（改进后）", title="解析程序改进后的标题")
        return dataclasses.replace(parsed, metadata=meta, issues=tuple(polish(i) for i in parsed.issues))

    monkeypatch.setattr(ingest, "parse_notice", improved)


def test_a_reparse_from_the_admin_keeps_corrections_and_says_what_it_changed(client, archivist, notice, monkeypatch):
    issues = _issues(notice)
    corrected, other = issues[1], issues[2]
    data = _form(client, notice)
    data["title"] = "人工更正的标题"
    prefix = inline_prefix(data, "issue")
    data[f"{prefix}-{row_index(data, prefix, corrected.pk)}-title"] = "人工更正的问题"
    _submit(client, notice, data)

    _improved_parser(monkeypatch)
    response = client.post(reverse("admin:notices_notice_reparse", args=[notice.pk]), follow=True)
    [message] = [m for m in page_messages(response) if "重新解析" in m]
    assert "巡察组" in message and "保留了" in message and "问题：更新" in message

    notice.refresh_from_db()
    assert notice.title == "人工更正的标题"  # corrected: kept
    assert notice.inspector == "市委第六巡察组（改进后）"  # not corrected: follows the parser
    corrected.refresh_from_db()
    other.refresh_from_db()
    assert corrected.title == "人工更正的问题"
    assert other.title.endswith("。")  # same row, updated in place
    assert [i.pk for i in _issues(notice)] == [i.pk for i in issues]


def test_the_reparse_action_runs_over_a_selection(client, archivist, monkeypatch):
    pks = list(Notice.objects.order_by("pk").values_list("pk", flat=True)[:2])
    _improved_parser(monkeypatch)
    response = client.post(reverse("admin:notices_notice_changelist"),
                           {"action": "reparse_selected", "_selected_action": pks}, follow=True)
    assert any("重新解析了 2 份通报：2 份有更新" in m for m in page_messages(response))
    assert set(Notice.objects.filter(pk__in=pks).values_list("inspector", flat=True)) == {"市委第六巡察组（改进后）"}


def test_the_corrected_filter_finds_corrected_notices(client, archivist, notice):
    data = _form(client, notice)
    data["issuer"] = "人工更正的发布单位"
    _submit(client, notice, data)
    listed = client.get(reverse("admin:notices_notice_changelist") + "?corrected=yes")
    assert [n.pk for n in listed.context["cl"].result_list] == [notice.pk]
    log = client.get(reverse("admin:notices_correction_changelist"))
    assert log.status_code == 200 and "人工更正的发布单位" in log.content.decode()
