"""Facet counts of the problem search (notices/facets.py with `problems`): problems, not notices,
on the page and in the API, each equal to what choosing that value alone gives."""
from __future__ import annotations

import re
from html import unescape
from urllib.parse import urlencode

import pytest
from django.http import QueryDict
from django.urls import reverse

from notices import tokenize
from notices.facets import _toggle_urls, toggle_url
from notices.models import Issue

pytestmark = pytest.mark.django_db

PROBLEMS = reverse("notices:problems")
# Notice columns by facet, read off a problem's notice.
OF_NOTICE = {
    "level": lambda n: n.level, "province": lambda n: n.province, "city": lambda n: n.city,
    "kind": lambda n: n.inspection_kind, "progress": lambda n: n.progress, "agency": lambda n: n.agency_name,
    "year": lambda n: str(n.publish_date.year) if n.publish_date else None,
}
STATES = [
    {},  # without words or topics, every count is the notices' tallies summed
    {"level": "county"},
    {"kind": "巡察", "year": "2024"},
    {"q": "低保"},
    {"topic": "funeral"},
    {"q": "资金", "province": "广东省"},
    {"topic": "elderly", "level": "county"},
    {"q": "整改 -台账", "year": "2024"},
]


def problems_chosen(params: QueryDict) -> list[Issue]:
    """The problems the problem search should show, computed row by row without the engine."""
    words = params.get("q", "").split()
    of_agency = [tokenize.fold(w.removeprefix("agency:")) for w in words if w.startswith("agency:")]
    not_of_agency = [tokenize.fold(w.removeprefix("-agency:")) for w in words if w.startswith("-agency:")]
    wanted = [tokenize.fold(w) for w in words if not w.startswith(("-", "agency:"))]
    unwanted = [tokenize.fold(w[1:]) for w in words if w.startswith("-") and not w.startswith("-agency:")]
    found = []
    for issue in Issue.objects.problems().select_related("notice"):
        notice = issue.notice
        if any(w not in issue.fold_text for w in wanted) or any(w in issue.fold_text for w in unwanted):
            continue
        if any(w not in notice.fold_agency for w in of_agency) or any(w in notice.fold_agency for w in not_of_agency):
            continue
        if params.getlist("topic") and not set(params.getlist("topic")) & set(issue.topics):
            continue
        if all((OF_NOTICE[name](notice) or "none") in params.getlist(name)
               for name in OF_NOTICE if params.getlist(name)):
            found.append(issue)
    return found


def test_a_topic_finds_every_problem_about_it_even_in_a_notice_about_other_things(client):
    funeral = [i for i in Issue.objects.problems().select_related("notice") if "funeral" in i.topics]
    minor = [i for i in funeral if "funeral" not in i.notice.topics]
    assert minor, "a sample's single 殡葬 problem is no longer its notice's topic"
    page = client.get(PROBLEMS, {"topic": "funeral"}).context["page"]
    shown = {u.url.split("#")[1] for row in page.rows for u in row.problems}
    assert page.total == len(funeral) and len(shown) == len(funeral)
    api = client.get(reverse("api:problem-list"), {"topic": "funeral"}).json()
    assert sorted(r["id"] for r in api["results"]) == sorted(i.pk for i in funeral)


@pytest.mark.parametrize("state", STATES)
def test_the_problem_search_counts_problems_in_every_facet(client, state):
    response = client.get(PROBLEMS, state)
    page = response.context["page"]
    expected = problems_chosen(QueryDict(urlencode(state)))
    text = unescape(re.sub(r"<[^>]+>", "", response.content.decode()))
    assert f"共 {len(expected)} 个问题" in text
    assert "数字为问题数" in text and "数字为通报数" not in text
    checked = 0
    for facet in page.facets:
        for value in facet.shown + facet.more:
            params = QueryDict(urlencode(state), mutable=True)
            params.setlist(facet.name, [value.value])  # this value instead of the facet's others
            assert value.count == len(problems_chosen(params)), (state, facet.name, value.value)
            checked += 1
    assert checked


def test_the_api_counts_problems_in_the_problem_scope(client):
    params = {"scope": "problem", "q": "低保"}
    body = client.get(reverse("api:facets"), params).json()
    expected = problems_chosen(QueryDict(urlencode(params)))
    assert body["unit"] == "problem" and body["count"] == len(expected)
    provinces = {v["value"]: v["count"] for f in body["facets"] if f["name"] == "province" for v in f["values"]}
    assert provinces == {p: sum((i.notice.province or "none") == p for i in expected)
                         for p in {i.notice.province or "none" for i in expected}}
    assert client.get(reverse("api:facets"), {"q": "低保"}).json()["unit"] == "notice"


def test_the_notice_list_still_counts_notices(client):
    response = client.get(reverse("notices:list"), {"q": "低保"})
    assert "数字为通报数" in response.content.decode()


def test_a_topic_chosen_on_the_notice_list_points_to_every_problem_about_it(client):
    page = client.get(reverse("notices:list"), {"topic": "funeral", "sort": "date"}).context["page"]
    assert page.total == 0  # no sample is about funeral; one has a single 殡葬 problem
    url = page.problem_topic_url
    assert url == PROBLEMS + "?topic=funeral"
    assert client.get(url).context["page"].total == 1
    assert client.get(PROBLEMS, {"topic": "funeral", "sort": "oldest"}).context["page"].problem_topic_url is None


@pytest.mark.parametrize("query", [
    "", "q=低保", "q=低保&page=3", "page=2", "province=广东省&q=殡葬 -公墓&page=2",
    "agency=A%26B&agency=%E6%B0%91%E6%94%BF%E5%B1%80", "q=%25_%5C&year=none",
])
def test_each_facet_value_links_to_the_query_with_it_toggled_on_page_one(query):
    params = QueryDict(query)
    for name in ("province", "agency", "year", "topic"):
        toggled = _toggle_urls(params, name)
        for value in ("广东省", "A&B", "民政局", "none", "2024", "a b+c", "%"):
            url = toggled(value)
            assert url == toggle_url(params, name, value)
            chosen = QueryDict(url[1:])
            assert "page" not in chosen
            was = params.getlist(name)
            assert chosen.getlist(name) == ([v for v in was if v != value] if value in was else was + [value])


@pytest.mark.parametrize("q", ["低保", "整改 -台账", "agency:民政局 资金", "低保 -agency:东营"])
def test_a_large_problem_search_counts_the_problems_of_its_sampled_notices(client, monkeypatch, q):
    """Past the engine's limit facets count the problems of sampled candidates (not tested against
    their gram bags again); with every candidate in the sample, the counts are the truth."""
    from notices.search import candidates, engine

    monkeypatch.setattr(engine, "EXACT_LIMIT", 1)
    monkeypatch.setattr(candidates, "FACET_SAMPLE", 10**6)
    page = client.get(PROBLEMS, {"q": q}).context["page"]
    assert page.estimated
    checked = 0
    for facet in page.facets:
        for value in facet.shown + facet.more:
            params = QueryDict(urlencode({"q": q}), mutable=True)
            params.setlist(facet.name, [value.value])
            assert value.count == len(problems_chosen(params)), (q, facet.name, value.value)
            checked += 1
    assert checked
