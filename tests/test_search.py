"""The search engine against a real PostgreSQL holding the five seed notices."""
from __future__ import annotations

import io
import json
import random

import opencc
import pytest
from django.core.management import call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.http import QueryDict

from notices import tokenize, write
from notices.facets import facets
from notices.filters import NoticeFilter
from notices.ingest import ingest_bytes
from notices.models import Issue, Measure, Notice, RankingRow
from notices.search import (
    candidates, engine, highlight, ids_of, index_scans, matching, ordered, parse_query, problems_holding, search, snippets,
)
from notices.search.candidates import candidates as candidate_pool
from notices.search import rank
from notices.search.plan import plan
from notices.search.words import passing, whole_words_first

from .conftest import SEED_FILES

pytestmark = pytest.mark.django_db


def ids(raw: str, scope: str = "notice") -> set[int]:
    return set(matching(Notice.objects.all(), parse_query(raw), scope).values_list("pk", flat=True))


def truth(predicate) -> set[int]:
    return {n.pk for n in Notice.objects.all() if predicate(n)}


def folded(notice: Notice) -> str:
    return tokenize.fold(notice.text) + "|" + tokenize.fold(notice.title) + "|" + notice.fold_agency


def test_matching_equals_substring_truth_for_random_strings_of_the_seeds():
    rng = random.Random(11)
    notices = list(Notice.objects.all())
    for _ in range(60):
        source = tokenize.fold(rng.choice(notices).text)
        start = rng.randrange(len(source) - 10)
        term = source[start:start + rng.randint(1, 8)]
        if not (term[0].isalnum() and term[-1].isalnum()) or any(q in term for q in '"“”「」『』'):
            continue  # the query language trims punctuation at a term's ends
        expected = {n.pk for n in notices if term in folded(n)}
        assert ids(f'"{term}"') == expected, term


def test_the_index_of_problems_finds_every_problem_holding_the_words():
    rng = random.Random(5)
    problems = list(Issue.objects.all())
    queries = ["低保", "整", "殡葬 改革", "低保 OR 特困", "2024", "第一议题", "不存在的词语"]
    for _ in range(40):
        heading = rng.choice(problems).fold_text
        start = rng.randrange(max(1, len(heading) - 6))
        queries.append(heading[start:start + rng.randint(1, 6)].strip('"“”「」『』:：-'))
    for raw in filter(None, queries):
        query = parse_query(raw)
        held = problems_holding(query)
        if held is None:  # only punctuation: no word to look up
            continue
        expected = {p.pk for p in problems if all(any(t.folded in p.fold_text for t in clause) for clause in query.clauses)}
        assert expected <= set(held.values_list("pk", flat=True)), raw
    assert problems_holding(parse_query("不存在的词语")).count() == 0 < len(problems)


def test_vectors_are_written_in_the_order_postgres_keeps_them():
    """Ingest sends each vector's lexemes already sorted, so PostgreSQL only checks the order: what it
    stores must read back as the very literal that was sent."""
    for notice in Notice.objects.all():
        stored_grams, stored_words = notice.grams, notice.words
        write.refresh_notice(notice, save=False)
        assert stored_grams == " ".join(notice.grams.split()) and stored_grams.count(" ") > 1000
        assert stored_words == notice.words


def test_all_words_must_match():
    both = truth(lambda n: "低保" in folded(n) and "殡葬" in folded(n))
    assert ids("低保 殡葬") == both


def test_an_exclusion_removes_notices_with_the_word():
    assert ids("殡葬 -公墓") == truth(lambda n: "殡葬" in folded(n) and "公墓" not in folded(n))
    assert ids("殡葬 -公墓") < ids("殡葬") or "公墓" not in "".join(folded(n) for n in Notice.objects.all())


def test_or_takes_either_word():
    assert ids("婚俗 OR 彩票") == truth(lambda n: "婚俗" in folded(n) or "彩票" in folded(n))


def test_a_quoted_phrase_matches_only_the_exact_string():
    assert ids('"第一议题"') == truth(lambda n: "第一议题" in folded(n))
    assert ids("“第一议题”") == ids('"第一议题"')


def test_agency_and_title_fields_look_only_there():
    dongying = Notice.objects.get(source__filename__startswith="000")
    assert ids("agency:东营") == {dongying.pk}
    assert ids("title:东营") == {dongying.pk}
    assert ids("title:荔城") == set()  # seed 001 has no title, though its body names 荔城区


def _agency_word_elsewhere() -> tuple[str, Notice]:
    """Two characters of one seed notice's agency that another seed notice has in its text only."""
    notices = list(Notice.objects.all())
    for notice in notices:
        for start in range(len(notice.fold_agency) - 1):
            pair = notice.fold_agency[start:start + 2]
            others = [n for n in notices if pair in n.fold_text and pair not in n.fold_agency + n.fold_title]
            if pair.isalnum() and others:
                return pair, others[0]
    raise AssertionError("the seeds have no such pair")


def test_title_and_agency_terms_are_looked_up_in_their_column_only():
    """Not in the bag of the whole notice: a notice that has the word in its text only is no candidate."""
    pair, elsewhere = _agency_word_elsewhere()
    for raw in (f"agency:{pair}", f"title:{pair}", f"agency:{pair} OR title:{pair}"):
        pool = set(candidate_pool(Notice.objects.all(), plan(parse_query(raw), "notice")).values_list("pk", flat=True))
        assert elsewhere.pk not in pool and pool >= ids(raw), raw
    assert elsewhere.pk in ids(pair)
    for raw in (f"agency:{pair}", f"title:{pair} -低保", f"agency:{pair} OR title:{pair}", f"agency:{pair} 整改",
                f"agency:{pair} OR 低保", f"title:{pair}", "title:巡察 agency:东营"):
        query = parse_query(raw)
        expected = truth(lambda n: all(any(
            t.folded in {"title": n.fold_title, "agency": n.fold_agency}.get(t.field, folded(n)) for t in clause)
            for clause in query.clauses) and not any(t.folded in folded(n) for t in query.excluded))
        assert ids(raw) == expected, raw
        for scope in ("notice", "problem"):
            outcome = search(Notice.objects.all(), query, scope=scope, sort="date", per_page=50)
            assert {h.notice.pk for h in outcome.hits} <= expected and outcome.total == len(outcome.hits), raw


def test_a_fielded_term_filters_and_does_not_rank():
    """agency:W lists the notices of W newest first: an older one that also names W in its title
    (which an unfielded W ranks first) gets no lead; so does title:W, whatever the agency says."""
    import datetime

    older, newer = Notice.objects.order_by("pk")[:2]
    of_agency, of_title = "甲乙丙委员会", "丁戊己巡察组"
    for notice, day, title, agency in ((older, "2020-01-01", of_title + of_agency, of_agency + of_title),
                                       (newer, "2024-01-01", of_title, of_agency)):
        Notice.objects.filter(pk=notice.pk).update(publish_date=datetime.date.fromisoformat(day),
                                                   fold_title=notice.fold_title + title,
                                                   fold_agency=notice.fold_agency + agency)
    both = Notice.objects.filter(pk__in=[older.pk, newer.pk])
    for raw in (f"agency:{of_agency}", f"title:{of_title}", f"agency:{of_agency} title:{of_title}"):
        query = parse_query(raw)
        assert [n.pk for n in ordered(both, query, "relevance")] == [newer.pk, older.pk], raw
        hits = search(Notice.objects.all(), query, sort="relevance").hits
        assert [h.notice.pk for h in hits] == [newer.pk, older.pk], raw
    # An unfielded term beside it still ranks: the older notice holds it in its title and agency.
    query = parse_query(f"{of_title} agency:{of_agency}")
    assert [n.pk for n in ordered(both, query, "relevance")] == [older.pk, newer.pk]


def test_problem_and_measure_fields_look_into_the_tree():
    with_problem = {i.notice_id for i in Issue.objects.all() if "低保" in tokenize.fold(i.title)}
    assert ids("problem:低保") == with_problem
    with_measure = {m.notice_id for m in Measure.objects.all() if "台账" in tokenize.fold(m.text)}
    assert ids("measure:台账") == with_measure


def test_problem_scope_needs_every_word_in_one_problem():
    expected = {i.notice_id for i in Issue.objects.all()
                if "低保" in tokenize.fold(i.title) and "扩围" in tokenize.fold(i.title)}
    assert ids("低保 扩围", "problem") == expected
    outcome = search(Notice.objects.all(), parse_query("低保"), scope="problem")
    for hit in outcome.hits:
        assert hit.issues and all("低保" in tokenize.fold(u.unit.title) for u in hit.issues)


def test_measure_scope_returns_the_matching_measures_with_their_problem():
    outcome = search(Notice.objects.all(), parse_query("社会救助"), scope="measure")
    assert outcome.hits
    for hit in outcome.hits:
        for unit in hit.measures:
            assert "社会救助" in tokenize.fold(unit.unit.text)
            assert unit.issue is not None and unit.issue.pk == unit.unit.issue_id


def test_a_traditional_query_finds_simplified_text_and_back(tmp_path):
    simplified = ids("殡葬改革")
    assert simplified and ids("殯葬改革") == simplified
    traditional = opencc.OpenCC("s2t").convert(SEED_FILES[2].read_text(encoding="utf-8"))
    result = ingest_bytes(traditional.encode("utf-8"), "traditional.txt")
    assert result.outcome == "new", result
    assert result.notice_id in ids("殡葬改革")
    assert result.notice_id in ids("殯葬改革")


def test_a_word_split_differently_by_segmentation_is_still_found():
    # jieba cuts 巡察组对市民政局 as 巡察组/对/市民政局 ... the string 组对市 crosses its words.
    expected = truth(lambda n: "组对市" in folded(n))
    assert expected and ids("组对市") == expected
    assert ids("察组") == truth(lambda n: "察组" in folded(n))


@pytest.mark.parametrize("raw", [
    "", " ", "!!!", "\"", "“", "-", "OR", "OR OR", "- -", "a" * 5000, "低保" * 3000, "'; DROP TABLE notices_notice; --",
    "低保 & 殡葬 | !公墓", "<-> :* ''", "\\", "%_%", "😀🎉", "低保😀", "agency:", "title:\"", "problem:-", "\x00低保",
    "SELECT * FROM pg_user", "(低保", "低保)", "“未闭合", "agency:民政局 -agency:民政局", "measure:" + "字" * 400,
])
def test_any_input_gives_results_or_nothing_never_an_error(raw):
    query = parse_query(raw)
    for scope in engine.SCOPES:
        outcome = search(Notice.objects.all(), query, scope=scope)
        assert outcome.total >= 0
    assert Notice.objects.count() >= 5  # and nothing was dropped


def test_highlighting_escapes_before_marking():
    marked = highlight('<script>alert("低保")</script> 低 保', ["低保"])
    assert "<script>" not in marked
    assert "&lt;script&gt;" in marked
    assert marked.count("<mark>") == 2  # 低保, and 低 保 across a space
    assert "<mark>低保</mark>" in marked


def test_highlighting_keeps_its_place_after_a_character_whose_lower_case_is_longer():
    assert highlight("İİ低保", ["低保"]) == "İİ<mark>低保</mark>"  # 'İ'.lower() is two characters


def test_highlighting_marks_traditional_text_for_a_simplified_term():
    assert "<mark>殯葬</mark>" in highlight("推進殯葬改革", [tokenize.fold("殡葬")])


def test_text_folds_the_same_whatever_the_folder_has_learnt():
    """fold_keep_offsets learns which characters are their own fold, to look up only the others:
    what it gives never depends on what it has learnt."""
    from notices.search.highlighting import _FOLD_TABLE, _Folder

    rng = random.Random(5)
    alphabet = ("推進殯葬改革低保ABCabc１２３（）İ\u3000 \n\t]^-\\" + "".join(map(chr, range(0x4E00, 0x4F00)))
                + "".join(map(chr, range(0x2460, 0x2470))) + "".join(map(chr, range(0xFF21, 0xFF3B))))
    folder = _Folder()
    for _ in range(300):  # enough for it to rebuild its pattern several times
        text = "".join(rng.choice(alphabet) for _ in range(rng.randrange(0, 80)))
        assert folder.fold(text) == "".join(_FOLD_TABLE[ord(c)] for c in text)
    assert folder.others.pattern != r"[\s\S]"  # it did learn


def test_snippets_show_context_around_each_match():
    text = "甲" * 200 + "低保" + "乙" * 200 + "\n" + "丙" * 10 + "低保"
    found = snippets(text, ["低保"])
    assert len(found) == 2 and all("<mark>低保</mark>" in s for s in found)
    assert found[0].startswith("…")


def test_facet_counts_equal_what_filtering_gives():
    query = parse_query("低保")
    outcome = search(Notice.objects.all(), query)
    for facet in facets(NoticeFilter, QueryDict(), Notice.objects.all(), outcome.restrict):
        for value in facet.values:
            params = QueryDict(mutable=True)
            params.setlist(facet.name, [value.value])
            filtered = NoticeFilter(params, queryset=Notice.objects.all()).qs
            assert value.count == matching(filtered, query).count(), (facet.name, value.value)


def test_a_large_candidate_set_is_paged_exactly_and_counted_by_estimate(monkeypatch):
    monkeypatch.setattr(engine, "EXACT_LIMIT", 1)
    # Three characters spanning two words (整改|进展): the gram bag finds candidates, the text decides.
    query = parse_query("整改进")
    assert not plan(query, "notice").exact and not tokenize.word_entries([Notice.objects.first().fold_text]) & {"整改进"}
    exact = [n.pk for n in ordered(matching(Notice.objects.all(), query), query, "date")]
    assert len(exact) >= 3
    outcome = search(Notice.objects.all(), query, sort="date", per_page=2)
    assert outcome.estimated
    assert [h.notice.pk for h in outcome.hits] == exact[:2]
    second = search(Notice.objects.all(), query, sort="date", per_page=2, page=2)
    assert [h.notice.pk for h in second.hits] == exact[2:4]


@pytest.mark.parametrize("raw", ["整改进", "巡察组"])  # checked on the text; confirmed by the index
def test_pages_stay_exact_when_the_first_candidates_hold_too_few_matches(monkeypatch, raw):
    monkeypatch.setattr(engine, "EXACT_LIMIT", 1)
    read_candidates = engine.read_candidates
    # Read only one candidate up front: the page must come from the full candidate list.
    monkeypatch.setattr(engine, "read_candidates",
                        lambda notices, steps, query, sort, first, **kw: read_candidates(notices, steps, query, sort, 1, 0, **kw))
    query = parse_query(raw)
    exact = [n.pk for n in ordered(matching(Notice.objects.all(), query), query, "date")]
    outcome = search(Notice.objects.all(), query, sort="date", per_page=1, page=3)
    assert len(exact) >= 3 and [h.notice.pk for h in outcome.hits] == exact[2:3]


def test_a_word_the_index_confirms_is_counted_exactly_without_reading_a_text(monkeypatch):
    monkeypatch.setattr(engine, "EXACT_LIMIT", 1)  # a check of every text would have to estimate
    query = parse_query("巡察组")
    assert "'巡察组'" in plan(query, "notice").confirmed
    holding = [n.pk for n in ordered(Notice.objects.all(), query, "date") if "巡察组" in folded(n)]
    assert [n.pk for n in ordered(matching(Notice.objects.all(), query), query, "date")] == holding
    among_them = Notice.objects.filter(pk__in=holding)  # every candidate a word of its text
    with CaptureQueriesContext(connection) as queries:
        outcome = search(among_them, query, sort="date", per_page=2, with_hits=False)
    assert not outcome.estimated and outcome.total == len(holding) >= 3
    assert [h.notice.pk for h in outcome.hits] == holding[:2]
    assert not [q["sql"] for q in queries if "STRPOS" in q["sql"].upper()]
    # Among all notices some candidates hold 巡察 and 察组 apart: only those are read, still exact.
    monkeypatch.setattr(engine, "EXACT_LIMIT", Notice.objects.count() - len(holding))
    outcome = search(Notice.objects.all(), query, sort="date", per_page=2, with_hits=False)
    assert not outcome.estimated and outcome.total == len(holding)


@pytest.mark.parametrize("raw", ["巡察组", "巡察组 -整改进", "巡察组 OR 整改进", "title:巡察 巡察组", "整改进 -巡察组"])
def test_notices_indexed_before_word_entries_are_still_found_by_their_text(monkeypatch, raw):
    """A bag without word entries (a notice indexed by an older version) leaves the text to decide."""
    monkeypatch.setattr(engine, "EXACT_LIMIT", 1)
    before = ids(raw)
    assert before == truth(lambda n: _holds(parse_query(raw), folded(n), n.fold_title))
    stale = Notice.objects.filter(pk__in=ids("巡察组")).order_by("pk").first()
    parts = [stale.fold_title, stale.fold_agency, stale.fold_text]
    Notice.objects.filter(pk=stale.pk).update(grams=tokenize.bag_vector(parts))
    assert ids(raw) == before
    for sort in ("date", "relevance"):
        outcome = search(Notice.objects.all(), parse_query(raw), sort=sort, per_page=50)
        assert {h.notice.pk for h in outcome.hits} == before and outcome.total == len(before)


def _holds(query, text: str, title: str) -> bool:
    def term(t) -> bool:
        return t.folded in (title if t.field == "title" else text)
    return all(any(term(t) for t in clause) for clause in query.clauses) and not any(term(t) for t in query.excluded)


@pytest.mark.parametrize("raw", ["整改", "巡察 工作", "不存在的词语"])
def test_a_problem_search_narrowed_by_the_problems_index_pages_and_counts_the_same(monkeypatch, raw):
    monkeypatch.setattr(engine, "EXACT_LIMIT", 1)  # the lazy path, where the index narrows
    read_candidates = engine.read_candidates
    monkeypatch.setattr(engine, "read_candidates",
                        lambda notices, steps, query, sort, first, **kw: read_candidates(notices, steps, query, sort, 1, 0, **kw))
    query = parse_query(raw)
    exact = [n.pk for n in ordered(matching(Notice.objects.all(), query, "problem"), query, "date")]
    pages = {}
    for share in (0.0, 2.0):  # never, and always, ask the problems' index
        monkeypatch.setattr(engine, "SPARSE_SHARE", share)
        outcomes = [search(Notice.objects.all(), query, scope="problem", sort="date", per_page=2, page=p) for p in (1, 2)]
        pages[share] = [([h.notice.pk for h in o.hits], o.total) for o in outcomes]
        assert [h.notice.pk for o in outcomes for h in o.hits] == exact[:4]
    assert pages[0.0] == pages[2.0]


@pytest.mark.parametrize("raw", ["巡察", "整改 -公墓", "殡葬 OR 低保", "察"])
def test_short_words_are_decided_by_the_gram_bag_exactly_at_any_size(monkeypatch, raw):
    monkeypatch.setattr(engine, "EXACT_LIMIT", 1)
    query = parse_query(raw)
    assert plan(query, "notice").exact
    exact = [n.pk for n in ordered(matching(Notice.objects.all(), query), query, "date")]
    outcome = search(Notice.objects.all(), query, sort="date", per_page=2)
    assert not outcome.estimated and outcome.total == len(exact)
    assert [h.notice.pk for h in outcome.hits] == exact[:2]
    # ...but not inside one problem or measure, and not for longer words
    assert not plan(query, "problem").exact
    assert not plan(parse_query("巡察组"), "notice").exact


def test_an_exclusion_of_a_short_word_is_answered_by_the_index():
    cases = [("殡葬 -公墓", "殡葬", "公墓"), ("整改 -低保", "整改", "低保"), ("巡察组 -察", "巡察组", "察")]
    for raw, plus, minus in cases:
        assert ids(raw) == truth(lambda n: plus in folded(n) and minus not in folded(n)), raw


def test_words_of_an_edited_problem_find_its_notice():
    notice = Notice.objects.order_by("pk").first()
    assert not ids("麒麟") and not ids("麒麟湾")
    issue = notice.issues.order_by("position").first()
    issue.title = "麒麟湾片区" + issue.title
    write.fill_tree([issue], [])
    issue.save()
    write.refresh_notice(notice)
    assert ids("麒麟") == ids("麒麟湾") == {notice.pk}  # decided by the bag / checked on the text
    assert ids("problem:麒麟湾") == {notice.pk}


def test_a_large_search_counts_facets_on_a_stable_sample_and_says_so(monkeypatch):
    monkeypatch.setattr(engine, "EXACT_LIMIT", 1)
    monkeypatch.setattr(candidates, "FACET_SAMPLE", 2)
    query = parse_query("巡察")
    total = matching(Notice.objects.all(), query).count()

    def level_counts():
        outcome = search(Notice.objects.all(), query)
        [level] = facets(NoticeFilter, QueryDict(), Notice.objects.all(), outcome.restrict, ["level"])
        assert level.approximate
        return {v.value: v.count for v in level.values}

    first = level_counts()
    assert first == level_counts()  # the same search shows the same estimate
    # Two sampled notices stand for all of them: every notice has one level, so the scaled
    # counts add up to the total, give or take rounding.
    assert abs(sum(first.values()) - total) <= 1


def test_index_scan_settings_end_with_the_search():
    def seqscan():
        with connection.cursor() as cursor:
            cursor.execute("SHOW enable_seqscan")
            return cursor.fetchone()[0]

    assert seqscan() == "on"
    with index_scans():
        assert seqscan() == "off"
    assert seqscan() == "on"  # this test runs inside a transaction: SET LOCAL alone would leak


def test_a_search_sends_its_planner_settings_with_each_statement(monkeypatch):
    """Not as a statement of their own: a round trip more for every search and facet count."""
    from django.db.backends.postgresql.base import Cursor  # the cursor Django's connections make

    sent, execute = [], Cursor.execute

    def record(self, query, params=None, **kwargs):  # what goes to the database, as it goes
        sent.append(str(query))
        return execute(self, query, params, **kwargs)

    monkeypatch.setattr(Cursor, "execute", record)
    search(Notice.objects.all(), parse_query("低保"))
    sent = [sql for sql in sent if not sql.startswith(("SAVEPOINT", "RELEASE SAVEPOINT"))]  # (this test's transaction)
    assert "set_config('enable_seqscan', 'off', true)" in sent[0] and "notices_notice" in sent[0]
    assert all("set_config('enable_seqscan', 'off', true)" in sql for sql in sent if not sql.startswith("RESET "))
    assert not any(sql.lstrip().upper().startswith(("SET ", "SELECT SET_CONFIG")) and "notices_" not in sql
                   for sql in sent)


@pytest.fixture
def outside():
    """A session of its own on the test database, outside this test's transaction: in
    autocommit, as a web request's connection is. (Read only: nothing here writes.)"""
    from django.db import connections

    session = connections.create_connection("default")
    connections["outside"] = session
    try:
        yield session
    finally:
        session.close()
        del connections["outside"]


def _seqscan(session) -> str:
    with session.cursor() as cursor:
        cursor.execute("SHOW enable_seqscan")
        return cursor.fetchone()[0]


def test_a_search_outside_a_transaction_opens_none(outside):
    """BEGIN and COMMIT would cost a round trip each: every statement carries the settings
    instead, and they last for that statement alone."""
    from psycopg.pq import TransactionStatus

    states = []
    with index_scans("outside"):
        for _ in range(2):
            assert _seqscan(outside) == "off"
            states.append(outside.connection.info.transaction_status)
        found = ids_of(matching(Notice.objects.using("outside"), parse_query("低保")).order_by("pk"))
        states.append(outside.connection.info.transaction_status)
    assert states == [TransactionStatus.IDLE] * 3
    assert _seqscan(outside) == "on"
    assert found == sorted(ids("低保"))


def test_a_server_side_cursor_outside_a_transaction_is_planned_under_the_settings(outside):
    """Its one statement cannot carry them: they are set for the session before it, and reset after."""
    sent = []

    def record(execute, sql, params, many, context):
        sent.append((bool(getattr(context["cursor"].cursor, "name", None)), sql))
        return execute(sql, params, many, context)

    with index_scans("outside"), outside.execute_wrapper(record):  # (record: innermost, as sent)
        listed = list(Notice.objects.using("outside").order_by("pk").values_list("pk", flat=True).iterator(chunk_size=2))
    assert [named for named, _ in sent] == [False, True, False]
    assert "'enable_seqscan', 'off', false" in sent[0][1] and sent[2][1].startswith("RESET ")
    assert _seqscan(outside) == "on"
    assert listed == sorted(Notice.objects.values_list("pk", flat=True))


def test_planner_settings_reach_a_server_side_cursor_opened_first():
    with index_scans():
        ids = list(Notice.objects.order_by("pk").values_list("pk", flat=True).iterator(chunk_size=2))
        with connection.cursor() as cursor:
            cursor.execute("SHOW enable_seqscan")
            assert cursor.fetchone()[0] == "off"
    assert ids == sorted(Notice.objects.values_list("pk", flat=True))


def test_a_pages_problems_and_measures_are_read_by_a_plan_without_parallel_workers():
    """A worker's start costs more than reading a page's few hundred problems and measures,
    though the search's settings invite one: their statements must have no parallel plan even
    where the planner is told that workers cost nothing and any table is big enough."""
    seen = []

    def record(execute, sql, params, many, context):
        if "notices_measure" in sql or "notices_issue" in sql:
            seen.append((sql, params))
        return execute(sql, params, many, context)

    with connection.execute_wrapper(record):
        outcome = search(Notice.objects.all(), parse_query("低保"))
    assert outcome.hits and any(hit.measures for hit in outcome.hits) and any(hit.issues for hit in outcome.hits)
    assert len(seen) == 2  # one statement for the problems, one for the measures
    with index_scans(), connection.cursor() as cursor:
        cursor.execute("SET LOCAL max_parallel_workers_per_gather = 4; SET LOCAL min_parallel_table_scan_size = 0; "
                       "SET LOCAL min_parallel_index_scan_size = 0; SET LOCAL enable_indexscan = off")
        for sql, params in seen:
            cursor.execute("EXPLAIN " + sql, params)
            plan = "\n".join(row[0] for row in cursor.fetchall())
            assert "Gather" not in plan and "Parallel" not in plan, plan


def test_vectors_round_trip_through_postgres_unchanged():
    parts = ["it's", "a\\b", "低保"]
    with connection.cursor() as cursor:
        cursor.execute("SELECT lexeme FROM unnest(%s::tsvector)", [tokenize.bag_vector(parts)])
        assert {row[0] for row in cursor.fetchall()} == tokenize.gram_bag(*parts)
        text = "it's a\\b 低保"
        cursor.execute("SELECT lexeme FROM unnest(%s::tsvector)", [tokenize.words_vector([(tokenize.fold(text), "A")])])
        assert {row[0] for row in cursor.fetchall()} == set(tokenize.index_tokens(text))


def test_the_search_command_prints_json_lines():
    out = io.StringIO()
    call_command("search", "殡葬", "--json", "--limit", "3", stdout=out)
    rows = [json.loads(line) for line in out.getvalue().splitlines()]
    assert rows and all({"id", "title", "problems", "measures"} <= set(r) for r in rows)
    assert {r["id"] for r in rows} <= ids("殡葬")


def _heading_words() -> set[str]:
    with connection.cursor() as cursor:
        cursor.execute("SELECT DISTINCT unnest(tsvector_to_array(words)) FROM notices_notice")
        return {row[0] for row in cursor.fetchall()}


def test_ranking_from_the_ranking_rows_orders_and_scores_as_from_the_notices():
    """rank.ranked_ids reads the ranking rows (kept by triggers): the order and scores the notices' own
    columns give, after writes to them, for phrases in headings or not, empty and NULL vectors."""
    in_headings, notices = _heading_words(), list(Notice.objects.all())
    texts = [n.fold_text for n in notices]
    elsewhere = next(w for w in sorted({t[i:i + 2] for t in texts for i in range(len(t) - 1)})
                     if w.isalnum() and w not in in_headings and tokenize.query_tokens(w) == [w]
                     and sum(w in t for t in texts) >= 2)
    phrase = next(w for w in sorted({t[i:i + 4] for t in texts for i in range(len(t) - 3)})
                  if w.isalnum() and len(set(tokenize.query_tokens(w)) - in_headings) >= 2 and len(tokenize.query_tokens(w)) >= 2)
    empty = notices[0]  # an empty vector ranks 0, where any other without the words may get 1e-20
    Notice.objects.filter(pk=empty.pk).update(words="")
    Notice.objects.filter(pk=notices[1].pk).update(words=None)
    Notice.objects.filter(pk=notices[2].pk).update(fold_title=f"{elsewhere}{phrase}", publish_date="1999-01-01")
    everyone = [n.pk for n in notices]
    for raw in (elsewhere, phrase, f"{elsewhere} {phrase}", "巡察", "低保 整改", f"{elsewhere} title:巡察"):
        query = parse_query(raw)
        plain = [n.pk for n in ordered(Notice.objects.all(), query, "relevance")]
        assert rank.ranked_ids(everyone, query) == plain, raw
        scores = {n.pk: n.search_score for n in ordered(Notice.objects.all(), query, "relevance")}
        rows = rank.ordered(RankingRow.objects.all(), query, "relevance")
        assert {r.pk: r.search_score for r in rows} == scores, raw
    RankingRow.objects.filter(pk=notices[3].pk).delete()  # a notice without its row is still listed
    assert rank.ranked_ids(everyone, query) == plain


def test_a_listing_without_word_ranking_scores_only_the_notices_whose_heading_may_hold_a_word(monkeypatch):
    """ordered(words=False) reads the title and agency only of the notices whose character pairs
    there hold a word (rank.head_holders): the same order as scoring every notice."""
    from .test_candidates import _head_words

    for raw in _head_words():
        query = parse_query(raw)
        for notices in (Notice.objects.all(), Notice.objects.filter(level__in=["county", "city"])):
            shortcut = ids_of(ordered(notices, query, "relevance", words=False))
            monkeypatch.setattr(rank, "HEAD_HOLDERS", -1)  # every notice's title and agency scored
            assert ids_of(ordered(notices, query, "relevance", words=False)) == shortcut, raw
            monkeypatch.undo()
    with CaptureQueriesContext(connection) as queries:  # no title or agency holds 低保
        listed = ids_of(ordered(Notice.objects.all(), parse_query("低保"), "relevance", words=False))
    assert len(listed) > 1 and "fold_title" not in queries[-1]["sql"] and "fold_agency" not in queries[-1]["sql"]


@pytest.mark.parametrize("raw", ["巡察", "低保", "整改 低保"])
def test_a_search_it_ranks_by_words_lists_its_candidates_without_scoring_them(raw):
    """At most RANK_LIMIT candidates are ranked by words afterwards (rank.ranks_every): their
    cheap order (titles and agencies scored, and the notices that may hold a word there looked
    up) would be thrown away, so the listing reads neither. The page is the same ranking."""
    query = parse_query(raw)
    every = ids_of(matching(Notice.objects.all(), query).order_by())
    assert 1 < len(every) <= rank.RANK_LIMIT
    expected = rank.ranked_ids(every, query)
    with CaptureQueriesContext(connection) as queries:
        outcome = search(Notice.objects.all(), query, per_page=20, with_hits=False)
    assert [h.notice.pk for h in outcome.hits] == expected[:20] and outcome.total == len(every)
    listing = [q["sql"] for q in queries if "notices_ranking_row" not in q["sql"]]
    assert not [sql for sql in listing if "LIKE" in sql or "unit_grams" in sql], raw


def _failing_candidates() -> tuple[str, list[int]]:
    """A three-character word of the seeds that more than one notice holds, and some other notice
    holds both of its pairs apart (a candidate the text test fails), and its matches."""
    texts = [folded(n) for n in Notice.objects.order_by("pk")]
    for start in range(0, 3000):
        word = texts[0][start:start + 3]
        if not all("\u4e00" <= c <= "\u9fff" for c in word):
            continue
        holders = sum(word in t for t in texts)
        if 1 < holders < sum(word[:2] in t and word[1:] in t for t in texts):
            every = ids_of(matching(Notice.objects.all(), parse_query(word)).order_by())
            assert len(every) == holders
            return word, every
    raise AssertionError("no word with candidates that fail the text test")


def test_a_small_answer_is_listed_ranked_and_tested_in_one_statement():
    """Up to RANK_LIMIT candidates ranked by words: their listing, their ranking and the text test
    of those the index did not confirm are one statement, after the count; the same page and
    total as ranking the matches afterwards."""
    raw, every = _failing_candidates()
    query = parse_query(raw)
    expected = whole_words_first(rank.ranked_ids(every, query), query, "notice")
    with CaptureQueriesContext(connection) as queries:
        outcome = search(Notice.objects.all(), query, per_page=20, with_hits=False)
    assert [h.notice.pk for h in outcome.hits] == expected[:20] and outcome.total == len(every), raw
    tested = [q["sql"] for q in queries if "split_part" in q["sql"]]  # (sql.contains on the text)
    assert len(tested) == 1 and "notices_ranking_row" in tested[0], raw
    assert len([q for q in queries if "notices_ranking_row" in q["sql"]]) == 1


def test_a_small_answer_without_its_ranking_rows_is_still_listed_whole():
    raw, every = _failing_candidates()
    query = parse_query(raw)
    expected = [h.notice.pk for h in search(Notice.objects.all(), query, per_page=20, with_hits=False).hits]
    RankingRow.objects.filter(pk=every[0]).delete()  # a copy restored without its triggers, say
    outcome = search(Notice.objects.all(), query, per_page=20, with_hits=False)
    assert [h.notice.pk for h in outcome.hits] == expected and outcome.total == len(every)


@pytest.mark.parametrize("sort", ["date", "oldest"])
def test_a_listing_tests_its_few_unsure_candidates_in_the_same_statement(sort):
    raw, every = _failing_candidates()
    query = parse_query(raw)
    with CaptureQueriesContext(connection) as queries:
        outcome = search(Notice.objects.all(), query, sort=sort, per_page=20, with_hits=False)
    assert [h.notice.pk for h in outcome.hits] == ids_of(ordered(Notice.objects.filter(pk__in=every), query, sort))
    assert not outcome.estimated and outcome.total == len(every)
    tested = [q["sql"] for q in queries if "split_part" in q["sql"]]
    assert len(tested) == 1 and "WITH c (id, score, day, sure)" in tested[0], raw


def test_matching_tests_the_unsure_candidates_within_its_own_statement():
    raw, every = _failing_candidates()
    with CaptureQueriesContext(connection) as queries:
        assert sorted(ids_of(matching(Notice.objects.all(), parse_query(raw)))) == sorted(every)
    assert len(queries) == 1, raw


def test_whole_words_come_first_without_reading_the_texts_for_a_word_the_matches_exclude():
    texts = [folded(n) for n in Notice.objects.all()]
    left_out = next(w for w in ["公墓", "殡葬", "彩票", "低保", "养老"] if 0 < sum(w in t for t in texts) < len(texts))
    query = parse_query(f"整改 -{left_out}")
    every = ids_of(matching(Notice.objects.all(), query).order_by())
    whole = set(passing(every, query, "notice"))  # the exclusion read too
    with CaptureQueriesContext(connection) as queries:
        first = whole_words_first(every, query, "notice")
    assert first == [pk for pk in every if pk in whole] + [pk for pk in every if pk not in whole]
    assert len(every) > 1 and not [q for q in queries if left_out in q["sql"]]


def test_a_first_page_is_the_matches_ranked_as_their_stages_rank_them_under_any_filters():
    """Random words of the seeds, under filters: the page and total the search gives are the
    matches, ranked by words and whole words first, as the stages give them one by one."""
    from .test_candidates import FILTERED

    rng = random.Random(7)
    texts = [tokenize.fold(n.text) for n in Notice.objects.all()]
    terms = [_failing_candidates()[0]]  # some of its candidates fail the text test
    for _ in range(40):
        source = rng.choice(texts)
        start = rng.randrange(len(source) - 10)
        terms.append(source[start:start + rng.randint(2, 5)])
    ranked = 0
    for term in terms:
        if not all("\u4e00" <= c <= "\u9fff" for c in term):
            continue
        query = parse_query(term)
        for notices in FILTERED:
            every = ids_of(matching(notices(), query).order_by())
            outcome = search(notices(), query, per_page=50, with_hits=False)
            assert outcome.total == len(every) and not outcome.estimated, term
            if rank.ranks_every(query, "relevance", len(every)):
                expected = whole_words_first(rank.ranked_ids(every, query), query, "notice")
                assert [h.notice.pk for h in outcome.hits] == expected[:50], term
                ranked += 1
    assert ranked >= 10
