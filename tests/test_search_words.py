"""Whole words (notices/search/words.py, tokenize.has_word): substring matches stay the default,
whole-word ones come first, and the word mode keeps only them, with totals and facets to match."""
from __future__ import annotations

import pytest
from django.http import QueryDict

from notices import tokenize
from notices.facets import facets
from notices.filters import NoticeFilter
from notices.models import Measure, Notice
from notices.search import engine, matching, parse_query, search

from .conftest import SEED_FILES

pytestmark = pytest.mark.django_db


def seed(prefix: str) -> int:
    return Notice.objects.get(source__filename__startswith=prefix).pk


@pytest.mark.parametrize("text, term, whole", [
    ("建立台账", "台账", True),
    ("平台账号", "台账", False),  # jieba: 平台 / 账号
    ("加强对新媒体平台账号监督管理,建立台账", "台账", True),  # the second occurrence is a word
    ("低保动态管理不到位", "动态", True),  # search mode also gives 动态 of 动态管理
    ("低保动态管理不到位", "态管", False),
    ("建立工作台账,逐项明确", "工作台账", True),
    ("", "台账", False),
])
def test_a_term_is_a_whole_word_where_jieba_begins_and_ends_words(text, term, whole):
    assert tokenize.has_word(tokenize.fold(text), tokenize.fold(term)) is whole


def test_a_whole_word_is_judged_as_in_the_whole_text():
    """Only the run around an occurrence is segmented: it must agree with segmenting everything."""
    for path in SEED_FILES:
        text = tokenize.fold(path.read_text(encoding="utf-8"))
        starts, ends = set(), set()
        for _, first, last in tokenize._jieba().tokenize(text, "search", False):
            starts.add(first)
            ends.add(last)
        for term in ("台账", "督办", "共建", "动态", "管理", "资金"):
            spans = [(i, i + len(term)) for i in range(len(text)) if text.startswith(term, i)]
            assert tokenize.has_word(text, term) == any(a in starts and b in ends for a, b in spans), (path, term)


def test_by_default_every_substring_match_stays_and_whole_words_come_first():
    # 督办 is a word in seeds 000 and 002; in 004 it is only part of longer words.
    outcome = search(Notice.objects.all(), parse_query("督办"), sort="relevance")
    found = [hit.notice.pk for hit in outcome.hits]
    assert outcome.total == 3 and set(found) == {seed("000"), seed("002"), seed("004")}
    assert found[-1] == seed("004")


def test_the_word_mode_keeps_only_whole_word_matches_with_totals_and_facets_to_match():
    query = parse_query("督办")
    outcome = search(Notice.objects.all(), query, whole_words=True)
    assert {hit.notice.pk for hit in outcome.hits} == {seed("000"), seed("002")} and outcome.total == 2
    assert set(matching(Notice.objects.all(), query, whole_words=True).values_list("pk", flat=True)) == {
        seed("000"), seed("002")}
    for facet in facets(NoticeFilter, QueryDict(), Notice.objects.all(), outcome.restrict):
        for value in facet.values:
            chosen = NoticeFilter(QueryDict(f"{facet.name}={value.value}"), queryset=Notice.objects.all()).qs
            assert value.count == matching(chosen, query, whole_words=True).count(), (facet.name, value.value)
    assert search(Notice.objects.all(), parse_query("台账号"), whole_words=True).total == 0
    assert search(Notice.objects.all(), parse_query("台账号")).total == 1  # 平台账号


def test_in_the_word_mode_an_exclusion_drops_the_word_only():
    default = {h.notice.pk for h in search(Notice.objects.all(), parse_query("整改 -督办")).hits}
    words = {h.notice.pk for h in search(Notice.objects.all(), parse_query("整改 -督办"), whole_words=True).hits}
    assert seed("004") not in default and seed("004") in words
    assert seed("000") not in words and seed("002") not in words


def test_the_word_mode_lists_only_units_holding_the_word(monkeypatch):
    query = parse_query("台账")
    outcome = search(Notice.objects.filter(pk=seed("002")), query, scope="measure", whole_words=True)
    listed = [unit.unit.fold_text for hit in outcome.hits for unit in hit.measures]
    assert listed and all(tokenize.has_word(text, "台账") for text in listed)
    every = Measure.objects.filter(notice_id=seed("002"), fold_text__contains="台账")
    assert any(not tokenize.has_word(m.fold_text, "台账") for m in every)  # 平台账号 only: left out


def test_a_large_word_search_is_estimated_from_whole_word_matches(monkeypatch):
    monkeypatch.setattr(engine, "EXACT_LIMIT", 1)
    query = parse_query("督办")
    outcome = search(Notice.objects.all(), query, sort="date", per_page=1, whole_words=True)
    exact = list(matching(Notice.objects.all(), query, whole_words=True).order_by("-publish_date", "-pk")
                 .values_list("pk", flat=True))
    assert outcome.estimated and [h.notice.pk for h in outcome.hits] == exact[:1]
    second = search(Notice.objects.all(), query, sort="date", per_page=1, page=2, whole_words=True)
    assert [h.notice.pk for h in second.hits] == exact[1:2]


@pytest.mark.parametrize("term", ["改进", "事项", "督办", "台账号", "中共"])
def test_the_word_mode_finds_what_reading_every_whole_text_finds(term):
    """Terms whose first occurrence in some seed is inside a longer word, and a later one is a word."""
    truth = {n.pk for n in Notice.objects.all()
             if any(tokenize.has_word(text, term) for text in (n.fold_title, n.fold_agency, n.fold_text))}
    found = set(matching(Notice.objects.all(), parse_query(term), whole_words=True).values_list("pk", flat=True))
    assert found == truth
    assert search(Notice.objects.all(), parse_query(term), whole_words=True).total == len(truth)


# --- through the doors: the search form, the pages, the API and the CSV -------------------------

def test_the_search_form_offers_the_word_mode_and_the_page_keeps_to_it(client):
    from urllib.parse import urlencode

    from django.urls import reverse

    plain = client.get(reverse("notices:list"), {"q": "台账号"})
    assert plain.context["page"].total == 1 and 'name="match" value="word"' in plain.content.decode()
    response = client.get(reverse("notices:list"), {"q": "台账号", "match": "word"})
    page = response.context["page"]
    assert page.total == 0 and "按词匹配" in page.sentence
    assert any(chip.value == "按词匹配" and "match" not in chip.remove_url for chip in page.chips)
    state = {"q": "督办", "match": "word"}
    page = client.get(reverse("notices:list"), state).context["page"]
    assert page.total == 2
    query = parse_query("督办")
    for facet in page.facets:
        for value in facet.shown + facet.more:
            params = QueryDict(urlencode(state), mutable=True)
            params.setlist(facet.name, [value.value])
            chosen = NoticeFilter(params, queryset=Notice.objects.all()).qs
            assert value.count == matching(chosen, query, whole_words=True).count(), (facet.name, value.value)


def test_the_problem_search_counts_only_problems_holding_the_word(client):
    from django.urls import reverse

    from notices.models import Issue

    # 不严 is a word in 管理不严, not in 执行不严格 (不/严格)
    holding = [i for i in Issue.objects.problems() if "不严" in i.fold_text]
    whole = [i for i in holding if tokenize.has_word(i.fold_text, "不严")]
    assert 0 < len(whole) < len(holding)
    for params, found in (({"q": "不严"}, holding), ({"q": "不严", "match": "word"}, whole)):
        text = client.get(reverse("notices:problems"), params).content.decode()
        assert f"共 {len(found)} 个问题（出自 " in text
    api = client.get(reverse("api:facets"), {"q": "不严", "scope": "problem", "match": "word"}).json()
    assert api["count"] == len(whole)


def test_open_data_takes_match_word_and_refuses_other_values(client):
    from django.urls import reverse

    notices = client.get(reverse("api:notice-list"), {"q": "督办", "match": "word"}).json()
    assert notices["count"] == 2
    bad = client.get(reverse("api:notice-list"), {"q": "督办", "match": "words"})
    assert bad.status_code == 400 and "match" in bad.json()["errors"]
    every = client.get(reverse("api:measure-list"), {"q": "台账", "per_page": 100}).json()
    words = client.get(reverse("api:measure-list"), {"q": "台账", "match": "word", "per_page": 100}).json()
    assert 0 < words["count"] < every["count"]
    assert all(tokenize.has_word(tokenize.fold(m["text"]), "台账") for m in words["results"])
    csv_rows = b"".join(client.get(reverse("opendata:problems-csv"),
                                   {"q": "台账", "scope": "measure", "match": "word"}).streaming_content)
    assert "平台账号" not in csv_rows.decode("utf-8-sig")


def test_open_data_counts_a_word_mode_search_past_its_exact_rows_from_a_sample(client, monkeypatch):
    from django.core.cache import cache
    from django.urls import reverse

    from notices.opendata import units

    params = {"q": "台账", "match": "word"}
    exact = client.get(reverse("api:measure-list"), params).json()["count"]
    monkeypatch.setattr(units, "EXACT_UNITS", 1)  # past it, the rows of a sample of notices are counted
    cache.clear()  # (the count is kept per archive state)
    sampled = client.get(reverse("api:measure-list"), params)
    assert sampled.status_code == 200
    assert sampled.json()["count"] == exact  # the sample holds every notice of so small an archive


def test_the_word_mode_marks_only_whole_words(client):
    from django.urls import reverse

    from notices.search import WholeWords, spans

    text = "加强对新媒体平台账号监督管理，建立台账"
    assert spans(text, ["台账"]) == [(7, 9), (17, 19)]
    assert spans(text, WholeWords(["台账"])) == [(17, 19)]
    default = client.get(reverse("notices:list"), {"q": "台账", "scope": "measure"}).content.decode()
    words = client.get(reverse("notices:list"), {"q": "台账", "scope": "measure", "match": "word"}).content.decode()
    assert "平<mark>台账</mark>号" in default
    assert "<mark>台账</mark>" in words and "平<mark>台账</mark>号" not in words


def test_a_result_in_the_word_mode_opens_its_notice_marking_whole_words_only(client):
    from django.urls import reverse

    page = client.get(reverse("notices:list"), {"q": "台账", "match": "word", "scope": "measure"}).context["page"]
    link = next(row.url for row in page.rows if row.notice.pk == seed("002"))
    assert "match=word" in link
    words = client.get(link).content.decode()
    default = client.get(link.replace("&match=word", "")).content.decode()
    assert "平<mark>台账</mark>号" in default
    assert "<mark>台账</mark>" in words and "平<mark>台账</mark>号" not in words
