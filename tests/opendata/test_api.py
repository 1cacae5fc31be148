"""The JSON API (/api/v1/) against a real PostgreSQL holding the seeds and three notices with known trees."""
from __future__ import annotations

import datetime as dt
import re

import pytest
from django.core.cache import cache
from django.db import connection
from django.http import QueryDict
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from notices import tokenize, write
from notices.filters import NoticeFilter
from notices.models import Agency, Issue, Measure, Notice
from notices.notice_json import notice_to_json
from notices.search import matching, parse_query

from .support import World, world  # noqa: F401  (the fixture)

pytestmark = pytest.mark.django_db

SPEC_KEYS = {
    "file", "title", "issuer", "agency", "inspection_kind", "inspector", "inspection_start", "inspection_end",
    "feedback_date", "publish_date", "province", "city", "county", "level", "issues",
}


def get(client, url, **params):
    response = client.get(url, params)
    assert response["Content-Type"].startswith("application/json"), response.content[:200]
    return response


def all_pages(client, url, **params) -> list[dict]:
    path, _, query = url.partition("?")
    query = QueryDict(query, mutable=True)
    for key, value in {**params, "per_page": 100}.items():
        query.setlist(key, value if isinstance(value, list) else [value])
    response = client.get(f"{path}?{query.urlencode()}")
    assert response.status_code == 200, response.content[:300]
    results, body = [], response.json()
    results += body["results"]
    while body["next"]:
        body = client.get(body["next"]).json()
        results += body["results"]
    return results


# --- notices ---------------------------------------------------------------------------------

def test_the_notice_list_pages_through_every_notice(client, world):
    body = get(client, "/api/v1/notices", per_page=2).json()
    assert body["count"] == Notice.objects.count() and not body["count_is_estimate"]
    assert body["pages"] == -(-body["count"] // 2) and len(body["results"]) == 2
    assert "page=2" in body["next"] and body["previous"] is None
    ids = [n["id"] for n in all_pages(client, "/api/v1/notices")]
    assert sorted(ids) == sorted(Notice.objects.values_list("pk", flat=True))


def test_the_notice_list_takes_the_list_views_filters(client, world):
    for params in ({"province": "广东省"}, {"level": "city"}, {"kind": "巡视"}, {"year": "2025"},
                   {"province": ["广东省", "山东省"]}, {"published_after": "2025-01-01", "published_before": "2025-12-31"},
                   {"topic": "funeral"}, {"province": "none"}):
        query = QueryDict(mutable=True)
        for key, value in params.items():
            query.setlist(key, value if isinstance(value, list) else [value])
        expected = set(NoticeFilter(query, queryset=Notice.objects.all()).qs.values_list("pk", flat=True))
        got = {n["id"] for n in all_pages(client, "/api/v1/notices?" + query.urlencode())}
        assert got == expected, params
    assert {n["id"] for n in all_pages(client, "/api/v1/notices", province="广东省")} >= {
        world.luhe.pk, world.shaoguan.pk}


def test_a_search_returns_the_matching_notices_with_their_matching_problems(client, world):
    results = all_pages(client, "/api/v1/notices", q="殡葬", province="广东省")
    expected = set(matching(Notice.objects.filter(province="广东省"), parse_query("殡葬")).values_list("pk", flat=True))
    assert {n["id"] for n in results} == expected
    assert world.luhe.pk in expected and world.shaoguan.pk not in expected
    hit = next(n for n in results if n["id"] == world.luhe.pk)
    assert [p["text"] for p in hit["matches"]["problems"]] == ["殡葬改革推进不力"]
    assert all("殡葬" in m["text"] for m in hit["matches"]["measures"])


def test_scope_problem_needs_all_the_words_in_one_problem(client, world):
    ids = {n["id"] for n in all_pages(client, "/api/v1/notices", q="低保 扩围", scope="problem")}
    assert world.zibo.pk in ids and world.luhe.pk not in ids


def test_the_reading_rooms_level_problem_is_read_as_the_scope(client, world):
    as_scope = {n["id"] for n in all_pages(client, "/api/v1/notices", q="低保 扩围", scope="problem")}
    as_level = {n["id"] for n in all_pages(client, "/api/v1/notices", q="低保 扩围", level=["problem", "city"])}
    assert as_level == as_scope & set(Notice.objects.filter(level="city").values_list("pk", flat=True))
    assert world.zibo.pk in as_level


def test_sort_by_date_and_oldest(client, world):
    newest = [n["publish_date"] for n in all_pages(client, "/api/v1/notices", sort="date") if n["publish_date"]]
    assert newest == sorted(newest, reverse=True)
    oldest = [n["publish_date"] for n in all_pages(client, "/api/v1/notices", sort="oldest") if n["publish_date"]]
    assert oldest == sorted(oldest)


def test_a_notice_in_the_list_links_to_its_page_original_json_and_api(client, world):
    body = get(client, "/api/v1/notices", agency="陆河县民政局").json()
    (notice,) = body["results"]
    assert notice["display_title"] == world.luhe.display_title
    assert notice["sha256"] == world.luhe.source.sha256 and notice["file"] == "陆河县民政局整改通报.txt"
    assert notice["urls"]["api"].endswith(f"/api/v1/notices/{world.luhe.pk}")
    assert notice["urls"]["html"].endswith(reverse("notices:detail", args=[world.luhe.pk]))
    assert "csv" in body["links"]["notices_csv"] and "agency=" in body["links"]["atom"]


def test_one_notice_is_the_notice_json_format_plus_ids_urls_and_text(client, world):
    notice = world.zibo
    body = get(client, f"/api/v1/notices/{notice.pk}").json()
    assert SPEC_KEYS <= body.keys()
    assert body["id"] == notice.pk and body["sha256"] == notice.source.sha256
    assert body["issues"] == notice_to_json(notice, with_ids=True)["issues"]
    (root,) = body["issues"]
    assert root["title"] == "低保扩围工作滞后" and root["id"] == Issue.objects.get(notice=notice, position=0).pk
    assert [c["title"] for c in root["children"]] == ["低保边缘家庭认定不及时", "特困人员供养不规范"]
    assert root["children"][0]["measures"][0] == {
        "id": Measure.objects.get(notice=notice, text="@完善低保台账").pk, "label": "1.", "text": "@完善低保台账"}
    assert body["agency"] == "淄博市民政局" and body["publish_date"] == "2026-01-09" and body["level"] == "city"
    assert body["text"] == notice.text and body["original"]["size"] == notice.source.size
    assert body["source"] is None  # a file, not a capture
    original = client.get(body["urls"]["original"])
    assert b"".join(original.streaming_content) == bytes(notice.source.data)
    assert client.get(body["urls"]["json"]).json()["issues"] == body["issues"]


# --- problems and measures -------------------------------------------------------------------

def test_problems_are_searched_within_each_heading_and_carry_measures_and_notice(client, world):
    results = all_pages(client, "/api/v1/problems", q="低保")
    expected = {i.pk for i in Issue.objects.problems().filter(notice__in=Notice.objects.all())
                if "低保" in tokenize.fold(i.title)}  # the heading 低保扩围工作滞后 is a category, not a problem
    assert {p["id"] for p in results} == expected
    edge = next(p for p in results if p["title"] == "低保边缘家庭认定不及时")
    assert [m["text"] for m in edge["measures"]] == ["@完善低保台账", "每季度核查一次"]
    assert edge["parent_id"] is not None and edge["depth"] == 1
    assert edge["notice"]["id"] == world.zibo.pk and edge["notice"]["agency"] == "淄博市民政局"


def test_problems_of_a_measure_search_are_those_with_a_matching_measure(client, world):
    results = all_pages(client, "/api/v1/problems", q="台账", scope="measure", province="广东省")
    assert [p["title"] for p in results if p["notice"]["id"] == world.luhe.pk] == ["殡葬改革推进不力"]
    all_of_notice = all_pages(client, "/api/v1/problems", q="台账", scope="notice", agency="陆河县民政局")
    assert len(all_of_notice) == 3


def test_measures_are_searched_in_their_text_with_their_problem(client, world):
    results = all_pages(client, "/api/v1/measures", q="台账")
    expected = {m.pk for m in Measure.objects.filter(notice__in=Notice.objects.all()) if "台账" in tokenize.fold(m.text)}
    assert {m["id"] for m in results} == expected
    row = next(m for m in results if m["text"] == "建立特困人员台账")
    assert row["problem"]["title"] == "特困人员供养不规范" and row["notice"]["publish_date"] == "2026-01-09"


def _candidates(q: str, scope: str) -> int:
    """The notices the GIN index finds for `q`: those whose rows a count must read."""
    from notices.search import ids_of, unverified

    return len(ids_of(unverified(Notice.objects.all(), parse_query(q), scope)[0]))


@pytest.mark.parametrize("endpoint, q, scope", [("measures", "台账", "measure"), ("problems", "低保", "problem")])
def test_a_unit_count_is_exact_while_its_candidate_notices_are_few_enough_to_read_whole(
        client, world, monkeypatch, endpoint, q, scope):
    """The web search's rule (search.EXACT_LIMIT candidates), not a number of rows: past it, an
    estimate from a sample of that many candidates, the same on every page, the rows exact."""
    from notices.opendata import units

    rows = Measure.objects.all() if endpoint == "measures" else Issue.objects.problems()
    expected = [r.pk for r in rows.filter(notice__in=Notice.objects.all())
                if q in tokenize.fold(r.text if endpoint == "measures" else r.title)]
    candidates = _candidates(q, scope)
    assert len(expected) > 2 and candidates > 2
    url = f"/api/v1/{endpoint}?q={q}&per_page=1"
    monkeypatch.setattr(units, "FIRST_NOTICES", 1)  # the first page reads a notice or two, not all of them
    monkeypatch.setattr(units, "SPARSE_SHARE", 0, raising=False)  # no narrowing by the problems' index
    monkeypatch.setattr(units, "EXACT_LIMIT", candidates, raising=False)
    exact = get(client, url).json()
    assert exact["count"] == len(expected) and not exact["count_is_estimate"]

    monkeypatch.setattr(units, "EXACT_LIMIT", candidates - 1, raising=False)  # one more than may be read whole
    cache.clear()  # the exact count is kept for this state of the archive
    first, second = get(client, url).json(), get(client, url + "&page=2").json()
    assert first["count_is_estimate"] and second["count_is_estimate"]
    assert first["count"] == second["count"] > 0  # the same estimate on every page
    assert {r["id"] for r in all_pages(client, f"/api/v1/{endpoint}?q={q}")} == set(expected)  # the rows stay exact


def test_a_unit_count_of_rare_problems_is_exact_after_the_problems_index_narrows_the_candidates(
        client, world, monkeypatch):
    from notices.opendata import units

    expected = {p.pk for p in Issue.objects.problems().filter(notice__in=Notice.objects.all())
                if "低保" in tokenize.fold(p.title)}
    holding = Issue.objects.problems().filter(pk__in=expected).values("notice_id").distinct().count()
    assert _candidates("低保", "problem") > holding
    monkeypatch.setattr(units, "EXACT_LIMIT", holding)  # fewer than the candidates, as many as those holding them
    monkeypatch.setattr(units, "SPARSE_SHARE", 2)  # whatever the sample shows: narrow
    body = get(client, "/api/v1/problems?q=低保&per_page=1").json()
    assert body["count"] == len(expected) and not body["count_is_estimate"]


def test_the_next_page_of_units_reuses_the_count(client, world, monkeypatch):
    from notices.opendata import units

    counted = []
    tally = units._tally
    monkeypatch.setattr(units, "_tally", lambda *args: counted.append(args) or tally(*args))
    url = "/api/v1/measures?q=台账&per_page=1"
    first = get(client, url).json()
    second = get(client, url + "&page=2").json()
    assert second["count"] == first["count"] and len(counted) == 1
    Notice.objects.filter(pk=world.zibo.pk).update(updated_at=timezone.now())  # the archive changes
    get(client, url + "&page=2")
    assert len(counted) == 2


def _notice_order(notice, sort: str) -> tuple:
    """Newest notice first (oldest first for sort=oldest), a notice without a date last, then by id."""
    day = notice.publish_date.toordinal() if notice.publish_date else 0
    return (notice.publish_date is None, day, notice.pk) if sort == "oldest" else (
        notice.publish_date is None, -day, -notice.pk)


@pytest.mark.parametrize("sort", ["date", "oldest"])
@pytest.mark.parametrize("sparse_share", [2, 0])  # the problems' index narrows the candidates, or never
@pytest.mark.parametrize("exact_limit", [1, 400])  # a candidate sampled, then batches; or every candidate read whole
def test_units_read_a_few_notices_at_a_time_come_in_document_order(client, world, monkeypatch, sort, sparse_share,
                                                                   exact_limit):
    from notices.opendata import units

    monkeypatch.setattr(units, "FIRST_NOTICES", 1)  # one notice, then more: every batch boundary is crossed
    monkeypatch.setattr(units, "SPARSE_SHARE", sparse_share)
    monkeypatch.setattr(units, "EXACT_LIMIT", exact_limit)
    live = set(Notice.objects.values_list("pk", flat=True))
    measures = sorted(
        (m for m in Measure.objects.select_related("notice", "issue") if m.notice_id in live and "台账" in tokenize.fold(m.text)),
        key=lambda m: (*_notice_order(m.notice, sort), m.issue.position, m.position))
    problems = sorted(
        (p for p in Issue.objects.problems().select_related("notice") if p.notice_id in live and "低保" in tokenize.fold(p.title)),
        key=lambda p: (*_notice_order(p.notice, sort), p.position))
    assert len(measures) > 2 and len(problems) > 2
    got = all_pages(client, "/api/v1/measures", q="台账", sort=sort)
    assert [m["id"] for m in got] == [m.pk for m in measures]
    got = all_pages(client, "/api/v1/problems", q="低保", sort=sort)
    assert [p["id"] for p in got] == [p.pk for p in problems]
    second = get(client, "/api/v1/measures", q="台账", sort=sort, per_page=1, page=2).json()  # the count kept
    assert [m["id"] for m in second["results"]] == [measures[1].pk]
    of_problems = sorted(
        (m for m in Measure.objects.select_related("notice", "issue") if m.issue in problems),
        key=lambda m: (*_notice_order(m.notice, sort), m.issue.position, m.position))
    got = all_pages(client, "/api/v1/measures", q="低保", scope="problem", sort=sort)
    assert [m["id"] for m in got] == [m.pk for m in of_problems]


def test_a_field_term_counts_within_the_unit(client, world):
    results = all_pages(client, "/api/v1/problems", q="problem:特困")
    assert {p["title"] for p in results if p["notice"]["id"] == world.zibo.pk} == {"特困人员供养不规范"}


# --- agencies and facets ---------------------------------------------------------------------

def test_agencies_list_their_notice_counts_and_link_to_their_notices(client, world):
    results = all_pages(client, "/api/v1/agencies", province="广东省")
    names = {a["name"] for a in results}
    assert {"陆河县民政局", "韶关市民政局"} <= names and "淄博市民政局" not in names
    luhe = next(a for a in results if a["name"] == "陆河县民政局")
    assert luhe["notice_count"] == Notice.objects.filter(agency__name="陆河县民政局").count() == 1
    assert luhe["level"] == "county"
    notices = client.get(luhe["notices_url"]).json()["results"]
    assert [n["id"] for n in notices] == [world.luhe.pk]
    detail = get(client, f"/api/v1/agencies/{luhe['id']}").json()
    assert detail["name"] == "陆河县民政局" and detail["notice_count"] == 1
    assert {a["name"] for a in all_pages(client, "/api/v1/agencies", q="淄博")} == {"淄博市民政局"}


def test_facet_counts_equal_what_filtering_gives(client, world):
    body = get(client, "/api/v1/facets", q="低保", province="广东省").json()
    facets = {f["name"]: f for f in body["facets"]}
    for value in facets["province"]["values"]:
        filtered = matching(Notice.objects.filter(province=None if value["value"] == "none" else value["value"]),
                            parse_query("低保"))
        assert value["count"] == filtered.count(), value
    selected = next(v for v in facets["province"]["values"] if v["value"] == "广东省")
    assert selected["selected"] and "province" not in QueryDict(selected["toggle_query"][1:])
    assert body["count"] == matching(Notice.objects.filter(province="广东省"), parse_query("低保")).count()
    only = get(client, "/api/v1/facets", facet=["year", "level"]).json()
    assert [f["name"] for f in only["facets"]] == ["year", "level"]


# --- errors ----------------------------------------------------------------------------------

@pytest.mark.parametrize("url, params, parameter", [
    ("/api/v1/notices", {"per_page": "0"}, "per_page"),
    ("/api/v1/notices", {"per_page": "101"}, "per_page"),
    ("/api/v1/notices", {"page": "abc"}, "page"),
    ("/api/v1/notices", {"page": "0"}, "page"),
    ("/api/v1/notices", {"page": "9" * 40}, "page"),
    ("/api/v1/notices", {"sort": "best"}, "sort"),
    ("/api/v1/notices", {"scope": "paragraph"}, "scope"),
    ("/api/v1/notices", {"published_after": "2025-13-01"}, "published_after"),
    ("/api/v1/notices", {"provice": "广东省"}, "provice"),
    ("/api/v1/notices", {"q": "低保" * 300}, "q"),
    ("/api/v1/notices", {"q": ["低保", "殡葬"]}, "q"),
    ("/api/v1/problems", {"per_page": "-1"}, "per_page"),
    ("/api/v1/measures", {"scope": "all"}, "scope"),
    ("/api/v1/agencies", {"level": "planet"}, "level"),
    ("/api/v1/facets", {"facet": "colour"}, "facet"),
])
def test_bad_parameters_get_a_400_that_says_what_to_change(client, url, params, parameter):
    response = client.get(url, params)
    assert response.status_code == 400
    body = response.json()
    assert body["status"] == 400 and parameter in body["errors"]
    assert body["detail"].endswith("。") and len(body["detail"]) > 10  # a complete sentence, in Chinese


def test_hostile_search_input_is_a_result_not_an_error(client, world):
    for q in ["'; DROP TABLE notices_notice; --", "!!! & | :* <->", "😀", "低保 OR", "-", '"']:
        assert client.get("/api/v1/notices", {"q": q}).status_code == 200, q
        assert client.get("/api/v1/problems", {"q": q}).status_code == 200, q


@pytest.mark.parametrize("url", ["/api/v1/notices/0", "/api/v1/notices/99999999", "/api/v1/agencies/99999999",
                                 "/api/v1/nothing-here", "/api/v1/notices?page=50",
                                 "/api/v1/notices?page=101&per_page=100"])
def test_what_does_not_exist_is_a_json_404(client, url, world):
    response = client.get(url)
    assert response.status_code == 404
    assert response.json()["status"] == 404 and response.json()["detail"]


def test_the_api_is_read_only(client, world):
    for method in (client.post, client.put, client.delete):
        response = method("/api/v1/notices", {})
        assert response.status_code == 405, method


# --- caching ---------------------------------------------------------------------------------

@pytest.mark.parametrize("url", ["/api/v1/notices?q=低保", "/api/v1/notices/{pk}", "/api/v1/problems",
                                 "/api/v1/measures?q=台账", "/api/v1/agencies", "/api/v1/facets"])
def test_answers_carry_validators_and_a_current_copy_gets_304(client, world, url):
    url = url.format(pk=world.luhe.pk)
    response = client.get(url)
    assert response.status_code == 200
    assert response["ETag"] and response["Last-Modified"]
    assert "public" in response["Cache-Control"] and "max-age=" in response["Cache-Control"]
    assert response["Access-Control-Allow-Origin"] == "*"
    again = client.get(url, HTTP_IF_NONE_MATCH=response["ETag"])
    assert again.status_code == 304 and not again.content
    since = client.get(url, HTTP_IF_MODIFIED_SINCE=response["Last-Modified"])
    assert since.status_code == 304


def test_a_changed_notice_changes_the_validators(client, world):
    url = f"/api/v1/notices/{world.luhe.pk}"
    before = client.get(url)
    notice = Notice.objects.get(pk=world.luhe.pk)
    notice.inspector = "县委第四巡察组"
    write.refresh_notice(notice, save=False)
    notice.save()
    after = client.get(url, HTTP_IF_NONE_MATCH=before["ETag"])
    assert after.status_code == 200 and after.json()["inspector"] == "县委第四巡察组"
    assert after["ETag"] != before["ETag"]


def test_an_answer_is_kept_until_the_archive_changes(client, world):
    """A repeated query is answered from the cache (seen through a title changed behind the
    archive's back, with no save); a change through a notice answers afresh."""
    url = "/api/v1/notices?q=低保"
    first = client.get(url).json()
    assert first["results"]
    pk = first["results"][0]["id"]
    Notice.objects.filter(pk=pk).update(title="未经保存改过的标题")  # updated_at unchanged: no new state
    assert client.get(url).json() == first
    notice = Notice.objects.get(pk=pk)
    notice.save()  # a write through the notice: a new state of the archive
    assert client.get(url).json()["results"][0]["title"] == "未经保存改过的标题"


@pytest.mark.parametrize("url", ["/api/v1/problems?q=低保", "/api/v1/measures?q=台账", "/problems/?q=低保"])
def test_an_answer_reads_the_archive_state_once(client, world, url):
    """Its kept copy, its kept count and its Last-Modified are of one reading (caching.one_state)."""
    with CaptureQueriesContext(connection) as queries:
        assert client.get(url).status_code == 200
    assert sum("max(updated_at)" in q["sql"].lower() for q in queries.captured_queries) == 1


def test_errors_are_not_cached(client):
    response = client.get("/api/v1/notices", {"per_page": "1000"})
    assert "no-cache" in response["Cache-Control"]


def test_a_notice_in_the_recycle_bin_is_not_served(client, world):
    if not hasattr(Notice, "all_objects") or "deleted_at" not in {f.name for f in Notice._meta.fields}:
        pytest.skip("this version has no soft deletion")
    Notice.all_objects.filter(pk=world.shaoguan.pk).update(deleted_at="2026-01-01T00:00:00Z")
    assert client.get(f"/api/v1/notices/{world.shaoguan.pk}").status_code == 404
    assert world.shaoguan.pk not in {n["id"] for n in all_pages(client, "/api/v1/notices")}
    shaoguan = Agency.objects.get(name="韶关市民政局")
    assert client.get(f"/api/v1/agencies/{shaoguan.pk}").json()["notice_count"] == 0


@pytest.mark.parametrize("exact_limit", [400, 1])  # read whole; or sampled, then read a notice at a time
def test_the_problems_and_measures_of_a_notice_in_the_recycle_bin_are_not_served(client, world, monkeypatch,
                                                                                exact_limit):
    """Rows are read by their candidate notices' ids (units._some): the listing must have left it out."""
    from notices.opendata import units

    monkeypatch.setattr(units, "EXACT_LIMIT", exact_limit)
    monkeypatch.setattr(units, "FIRST_NOTICES", 1)
    Notice.all_objects.filter(pk=world.luhe.pk).update(deleted_at="2026-01-01T00:00:00Z")
    for endpoint, q in (("problems", "低保"), ("measures", "台账"), ("measures", "")):
        rows = all_pages(client, f"/api/v1/{endpoint}", q=q)
        assert rows and world.luhe.pk not in {r["notice_id"] for r in rows}, (endpoint, q)


# --- the schema and its documentation --------------------------------------------------------

def test_the_schema_describes_every_endpoint(client):
    response = client.get("/api/v1/schema", {"format": "json"})
    assert response.status_code == 200
    schema = response.json()
    assert schema["openapi"].startswith("3.")
    assert {"/api/v1/notices", "/api/v1/notices/{id}", "/api/v1/problems", "/api/v1/measures",
            "/api/v1/agencies", "/api/v1/agencies/{id}", "/api/v1/facets"} <= set(schema["paths"])
    names = {p["name"] for p in schema["paths"]["/api/v1/notices"]["get"]["parameters"]}
    assert {"q", "scope", "sort", "page", "per_page", *NoticeFilter.base_filters} <= names


@pytest.mark.parametrize("url", ["/api/v1/docs", "/api/v1/redoc"])
def test_the_documentation_pages_load_nothing_from_another_site(client, url):
    from django.contrib.staticfiles import finders

    response = client.get(url)
    assert response.status_code == 200
    html = response.content.decode()
    assets = re.findall(r"""(?:src|href)\s*=\s*["']([^"']+)["']""", html)
    assert assets, html[:500]
    for asset in assets:
        assert asset.startswith("/"), asset
        if asset.startswith("/static/"):
            assert finders.find(asset.removeprefix("/static/")), asset
    assert not re.search(r"https?://(?!localhost|testserver)", html.replace("http://www.w3.org", ""))


def test_the_root_lists_the_endpoints(client):
    body = client.get("/api/v1/").json()
    assert {"notices", "problems", "measures", "agencies", "facets", "schema", "docs", "notices_csv", "atom"} <= body.keys()


@pytest.mark.parametrize("url", ["/api/v1/notices?per_page=100", "/api/v1/notices?q=低保&per_page=100",
                                 "/api/v1/problems?per_page=100", "/api/v1/measures?per_page=100",
                                 "/api/v1/agencies?per_page=100"])
def test_a_full_page_takes_a_fixed_number_of_queries(client, world, django_assert_max_num_queries, url):
    # One of them finds the candidates a search ranks by title and agency (search.candidates);
    # the search's planner settings go with its first statement (search.index_scans).
    with django_assert_max_num_queries(12):
        assert client.get(url).status_code == 200
