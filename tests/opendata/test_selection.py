"""One reader of a listing's query string (opendata/selection.py): the pages and open data read the
same names into the same selection, and differ only in what they do with a mistake."""
from __future__ import annotations

from urllib.parse import urlencode

import pytest
from django.urls import reverse

from .support import World, world  # noqa: F401  (the fixture)

pytestmark = pytest.mark.django_db

LIST = reverse("notices:list")
SELECTIONS = [
    {"q": "低保"},
    {"q": "低保 扩围", "scope": "problem"},
    {"q": "殡葬 OR 养老", "province": "广东省"},
    {"level": "city", "sort": "oldest"},
    {"province": ["广东省", "山东省"], "published_after": "2025-01-01"},
    {"q": "巡察", "year": "2025", "kind": "巡察"},
    {"province": "火星省"},  # well-formed, matches nothing: an empty listing at both doors
]


def page_ids(client, params) -> list[int]:
    response = client.get(LIST + "?" + urlencode(params, doseq=True))
    assert response.status_code == 200
    page = response.context["page"]
    return [row.notice.pk for row in page.rows]


def api_ids(client, params) -> list[int]:
    response = client.get("/api/v1/notices?" + urlencode({**params, "per_page": 20}, doseq=True))
    assert response.status_code == 200, response.content[:300]
    return [n["id"] for n in response.json()["results"]]


@pytest.mark.parametrize("params", SELECTIONS)
def test_the_page_and_the_api_show_the_same_notices_for_the_same_query_string(client, world, params):
    params = {**params, "sort": params.get("sort", "date")}  # their defaults differ when there are words
    assert page_ids(client, params) == api_ids(client, params)


@pytest.mark.parametrize("name, value", [
    ("sort", "newest"), ("scope", "everything"), ("published_after", "2025-13-40"),
])
def test_a_mistake_is_a_400_naming_it_in_open_data_and_set_aside_on_the_page(client, world, name, value):
    params = {"q": "低保", name: value}
    refused = client.get("/api/v1/notices?" + urlencode(params))
    assert refused.status_code == 400 and name in refused.json()["errors"]
    assert client.get(reverse("opendata:notices-csv") + "?" + urlencode(params)).status_code == 400
    assert page_ids(client, params) == page_ids(client, {"q": "低保"})


def test_the_page_says_which_date_it_left_out(client, world):
    html = client.get(LIST + "?" + urlencode({"published_after": "2025-13-40"})).content.decode()
    assert "无法识别发布日期起“2025-13-40”，已忽略" in html


def test_old_reading_room_links_with_level_problem_search_problems_on_the_page_as_in_the_api(client, world):
    old = {"q": "低保 扩围", "level": "problem", "sort": "date"}
    page = client.get(LIST + "?" + urlencode(old)).context["page"]
    assert page.state.scope == "problem" and "level" not in page.state.params
    found = [row.notice.pk for row in page.rows]
    assert found == page_ids(client, {**old, "level": [], "scope": "problem"}) == api_ids(client, old)
    assert world.zibo.pk in found
