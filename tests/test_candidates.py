"""The candidate listing of a search (notices/search/candidates.py): the same candidates, in the
same order, whatever part of each candidate's row it can leave unread."""
from __future__ import annotations

import pytest
from django.db import connection
from django.http import QueryDict

from notices import corrections
from notices.filters import NoticeFilter
from notices.models import Notice
from notices.search import candidates, index_scans, matching, parse_query, rank
from notices.search.plan import plan
from notices.search.sql import Matches

pytestmark = pytest.mark.django_db

FILTERED = [
    lambda: Notice.objects.all(),
    lambda: Notice.objects.without_bytes().filter(level__in=["county", "city"]),
    lambda: NoticeFilter(QueryDict("year=2024&year=none&topic=funeral"), queryset=Notice.objects.all()).qs,
]


def test_candidates_leave_out_the_recycle_bin_by_id_under_any_filters(django_user_model):
    """Not by testing deleted_at row by row: the row's 36th column, which PostgreSQL reaches only
    by decoding every column before it, for thousands of candidates."""
    binned = Notice.objects.order_by("pk").first()
    corrections.move_to_recycle_bin([binned], django_user_model.objects.create(username="archivist"))
    for raw in ["低保", "整改", "殡葬 -公墓", '"第一议题"', "整改 OR 资金"]:
        steps = plan(parse_query(raw), "notice")
        for notices in FILTERED:
            expected = set(notices().filter(Matches("grams", steps.bag)).values_list("pk", flat=True))
            pool = candidates.candidates(notices(), steps)
            assert '"deleted_at" IS NULL' not in str(pool.query)
            assert set(pool.values_list("pk", flat=True)) == expected
    holding = Notice.all_objects.filter(Matches("grams", plan(parse_query("整改"), "notice").bag))
    assert binned in holding
    assert binned.pk not in set(matching(Notice.objects.all(), parse_query("整改")).values_list("pk", flat=True))


def _listing(raw: str, sort: str, notices=None) -> candidates.Listing:
    query = parse_query(raw)
    steps = plan(query, "notice")
    with index_scans():
        return candidates.read_candidates(candidates.candidate_parts(notices or Notice.objects.all(), steps),
                                          query, sort, 80, complete_up_to=1, unsure_up_to=400)


def _head_words() -> list[str]:
    """Words some notices' titles or agencies hold and others' do not, and words no title holds."""
    notices = list(Notice.objects.all())
    heads = [n.fold_title + "|" + n.fold_agency for n in notices]
    words = []
    for notice in notices:
        for word in (notice.fold_agency[:2], notice.fold_agency[2:5], notice.fold_title[-6:-3]):
            if 0 < sum(word in head for head in heads) < len(heads):
                words.append(word)
    return words + ["低保", "整改", "资金 低保", "title:通报", "agency:" + words[0], "殡葬 -公墓", "problem:低保"]


def test_only_candidates_whose_title_or_agency_may_hold_a_word_are_scored_in_the_same_order(monkeypatch):
    words = _head_words()
    # Some of them rank notices otherwise than by date: their titles and agencies decide.
    assert any(_listing(raw, "relevance").first != _listing(raw, "date").first for raw in words)
    for raw in words:
        for sort in ("relevance", "date", "oldest"):
            for notices in FILTERED:
                shortcut = _listing(raw, sort, notices())
                monkeypatch.setattr(rank, "HEAD_HOLDERS", -1)  # every candidate's title and agency read
                assert _listing(raw, sort, notices()) == shortcut, (raw, sort)
                monkeypatch.undo()


def test_a_word_no_title_or_agency_holds_reads_neither_for_any_candidate():
    read = []

    def record(execute, sql, params, many, context):
        if sql.startswith("WITH c "):
            read.append(sql)
        return execute(sql, params, many, context)

    with connection.execute_wrapper(record):
        listing = _listing("低保", "relevance")
    assert listing.count > 1 and len(read) == 1
    assert "fold_title" not in read[0] and "fold_agency" not in read[0]
