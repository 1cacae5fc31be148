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
from notices.search.sql import Matches, Rows
from notices.search.verify import verification

pytestmark = pytest.mark.django_db

FILTERED = [
    lambda: Notice.objects.all(),
    lambda: Notice.objects.without_bytes().filter(level__in=["county", "city"]),
    lambda: NoticeFilter(QueryDict("year=2024&year=none&topic=funeral"), queryset=Notice.objects.all()).qs,
    lambda: Notice.objects.filter(source__size__gt=2000),  # a filter through a join
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


def test_the_listing_statements_find_the_candidates_the_orm_finds_under_any_filters(django_user_model):
    """The count and listings are written as SQL on the filtered notices' own FROM and WHERE
    (sql.Rows), not composed with the ORM: the same candidates, the recycle bin left out, under
    filters of every kind, one through a join and one that matches nothing."""
    binned = Notice.objects.order_by("pk").first()
    corrections.move_to_recycle_bin([binned], django_user_model.objects.create(username="archivist"))
    every = [*FILTERED, lambda: Notice.objects.filter(pk__in=[]), lambda: Notice.all_objects.all()]
    for raw in ["整改", "低保 -殡葬", '"第一议题"', "整改 OR 资金", "巡察组", "title:通报", "problem:低保"]:
        query = parse_query(raw)
        steps = plan(query, "notice")
        check = verification(steps.residue, "notice")
        for notices in every:
            expected = set(candidates.candidates(notices(), steps).values_list("pk", flat=True))
            matches = set(matching(notices(), query).values_list("pk", flat=True))
            with index_scans():
                assert candidates.count_candidates(notices(), steps) == len(expected), raw
                listings = [candidates.read_candidates(notices(), steps, query, "date", 20, complete_up_to=10**6,
                                                       unsure_up_to=10**6, check=check)]
                if rank.ranking_terms(query):
                    listings.append(candidates.ranked_listing(notices(), steps, query, 10**6, check))
            for found in listings:
                assert found.count == len(expected) and set(found.first) == expected, raw
                assert set(found.first) - found.failed == matches, raw
            assert (binned.pk in expected) <= (notices is every[-1])  # only where the bin is not left out


def test_rows_of_a_slice_distinct_or_union_is_refused():
    for qs in (Notice.objects.all()[:5], Notice.objects.distinct(), Notice.objects.union(Notice.objects.all())):
        with pytest.raises(TypeError):
            Rows.of(qs)


def _listing(raw: str, sort: str, notices=None) -> candidates.Listing:
    query = parse_query(raw)
    steps = plan(query, "notice")
    with index_scans():
        return candidates.read_candidates(notices or Notice.objects.all(), steps,
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


@pytest.fixture
def broad(monkeypatch, django_user_model):
    """300 synthetic notices (and the five samples), one in the recycle bin, with the listing's thresholds
    scaled down to them: a word in every notice is broad, and the facet sample is 40 notices."""
    from tests.test_ingest import synthetic_files
    from notices import ingest

    ingest.store_new_files(synthetic_files(300))
    binned = Notice.objects.order_by("-pk").first()
    corrections.move_to_recycle_bin([binned], django_user_model.objects.create(username="archivist"))
    monkeypatch.setattr(candidates, "BROAD_FROM", 50)
    monkeypatch.setattr(candidates, "FACET_SAMPLE", 40)
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE notices_notice")


def _read(notices, raw: str, sort: str, first: int = 4) -> candidates.Listing:
    query = parse_query(raw)
    with index_scans():
        return candidates.read_candidates(notices, plan(query, "notice"), query, sort, first, complete_up_to=1, unsure_up_to=400)


BROAD = ["整改", "巡察", "民政局", "整改 问题", "低保 OR 整改", "整改 -低保", "title:巡察", "社会组织", "整改工作"]


def test_a_broad_word_lists_the_same_count_first_and_unsure_candidates_as_reading_them_all(broad, monkeypatch):
    taken, answered = [], []
    monkeypatch.setattr(candidates, "_broad", lambda *a, _broad=candidates._broad: taken.append(_broad(*a)) or taken[-1])
    for raw in BROAD:
        for sort in ("relevance", "date", "oldest"):
            for notices in FILTERED:
                taken.clear()
                listing = _read(notices(), raw, sort)
                monkeypatch.setattr(candidates, "BROAD_FROM", 10 ** 9)
                every = _read(notices(), raw, sort)
                monkeypatch.setattr(candidates, "BROAD_FROM", 50)
                assert (listing.count, listing.first, listing.unsure_count) == (every.count, every.first, every.unsure_count), (raw, sort)
                assert listing.unsure_known == every.unsure_known and (not every.unsure_known or listing.unsure == every.unsure)
                pool = set(candidates.candidates(notices(), plan(parse_query(raw), "notice")).values_list("pk", flat=True))
                assert set(listing.sample) <= pool and len(listing.sample) == min(len(pool), 40) or taken == [None]
                assert not taken or taken[0] is None or every.count > 50
                answered += [(raw, sort)] if taken and taken[0] is not None else []
    # Nearly always the broad listing answers (else, when its sample cannot bound the first ones,
    # the one-pass listing does): every sort of a word in every notice, filtered or not.
    assert {(raw, sort) for raw in ("整改", "巡察") for sort in ("relevance", "date", "oldest")} <= set(answered)


def _rows_read(statements) -> int:
    """Rows of notices_notice that the statements' plans read (a count answered from the index's
    bitmap reads none: its scan outputs no column)."""
    def rows(node) -> int:
        own = node["Actual Rows"] * node["Actual Loops"] if node.get("Relation Name") == "notices_notice" and node["Plan Width"] else 0
        return own + sum(rows(child) for child in node.get("Plans", []))

    total = 0
    with index_scans(), connection.cursor() as cursor:
        for sql, params in statements:
            cursor.execute("EXPLAIN (ANALYZE, FORMAT JSON) " + sql, params)
            total += rows(cursor.fetchone()[0][0]["Plan"])
    return total


def test_a_broad_word_reads_a_sample_and_the_first_candidates_not_every_one(broad):
    statements = []

    def record(execute, sql, params, many, context):
        if "notices_notice" in sql:
            statements.append((sql.split("; ", 1)[-1] if sql.startswith("SELECT set_config") else sql, params))
        return execute(sql, params, many, context)

    for raw, sort in [("整改", "relevance"), ("整改", "date"), ("巡察", "oldest"), ("民政局", "relevance")]:
        statements.clear()
        with connection.execute_wrapper(record):
            listing = _read(Notice.objects.all(), raw, sort)
        assert listing.count > 250 and len(listing.first) == 4
        assert _rows_read(statements) < listing.count / 2, (raw, sort)
