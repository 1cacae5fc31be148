"""Atom feeds of new notices and of any search or filter, read back with xml.etree."""
from __future__ import annotations

import datetime as dt
import xml.etree.ElementTree as ET

import pytest
from django.utils import timezone

from notices.opendata.feeds import ENTRIES
from notices.models import Notice
from notices.search import matching, parse_query

from .support import World, add_notice, world  # noqa: F401  (the fixture)

pytestmark = pytest.mark.django_db
ATOM = "{http://www.w3.org/2005/Atom}"


def feed(client, **params) -> tuple[ET.Element, object]:
    response = client.get("/feeds/notices.atom", params)
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/atom+xml")
    return ET.fromstring(response.content), response


def entry_ids(root: ET.Element) -> list[int]:
    """The notice ids the entries link to, in feed order."""
    ids = []
    for entry in root.findall(f"{ATOM}entry"):
        href = entry.find(f"{ATOM}link").get("href")
        ids.append(int(href.rstrip("/").rsplit("/", 1)[1]))
    return ids


def test_the_feed_of_new_notices_is_atom_with_the_newest_received_first(client, world):
    root, _ = feed(client)
    assert root.tag == f"{ATOM}feed"
    assert root.find(f"{ATOM}title").text.endswith("新收录的通报")
    for required in ("id", "updated"):
        assert root.find(f"{ATOM}{required}") is not None
    ids = entry_ids(root)
    expected = list(Notice.objects.order_by("-created_at", "-id").values_list("pk", flat=True)[:ENTRIES])
    assert ids == expected
    entry = root.findall(f"{ATOM}entry")[ids.index(world.luhe.pk)]
    assert entry.find(f"{ATOM}title").text == world.luhe.display_title
    for required in ("id", "updated", "published", "summary"):
        assert entry.find(f"{ATOM}{required}") is not None, required
    assert "陆河县民政局" in entry.find(f"{ATOM}summary").text
    assert entry.find(f"{ATOM}published").text.startswith("2025-09-01")


def test_a_notice_added_later_comes_first_even_when_published_earlier(client, world):
    old = add_notice("中共测试县民政局党组关于巡察整改的通报", publish_date=dt.date(2019, 1, 1), title="早年的通报")
    assert entry_ids(feed(client)[0])[0] == old.pk


def test_a_search_feed_follows_the_search_and_filters(client, world):
    root, _ = feed(client, q="殡葬", province="广东省")
    ids = entry_ids(root)
    expected = matching(Notice.objects.filter(province="广东省"), parse_query("殡葬"))
    assert set(ids) == set(expected.values_list("pk", flat=True))
    assert world.luhe.pk in ids and world.shaoguan.pk not in ids and world.zibo.pk not in ids
    assert root.find(f"{ATOM}title").text.endswith("殡葬 · 广东省")
    self_link = next(link for link in root.findall(f"{ATOM}link") if link.get("rel") == "self")
    assert "/feeds/notices.atom?" in self_link.get("href") and "province=" in self_link.get("href")
    alternate = next(link for link in root.findall(f"{ATOM}link") if link.get("rel") == "alternate")
    assert "q=" in alternate.get("href")
    summary = root.findall(f"{ATOM}entry")[ids.index(world.luhe.pk)].find(f"{ATOM}summary").text
    assert "问题：殡葬改革推进不力" in summary


def test_a_filter_feed_with_labels_in_its_title(client, world):
    root, _ = feed(client, level="county", kind="巡察")
    assert root.find(f"{ATOM}title").text.endswith("县级 · 巡察")
    ids = entry_ids(root)
    assert world.luhe.pk in ids and world.zibo.pk not in ids
    assert all(Notice.objects.get(pk=pk).level == "county" for pk in ids)


def test_entries_carry_topics_as_categories(client, world):
    root, _ = feed(client, agency="陆河县民政局")
    (entry,) = root.findall(f"{ATOM}entry")
    terms = {c.get("term") for c in entry.findall(f"{ATOM}category")}
    assert "殡葬" in terms


def test_markup_in_the_data_is_escaped(client, world):
    add_notice("<script>alert(1)</script>", title="<b>标题</b>&", agency="脚本测试局", province="广东省")
    root, response = feed(client, agency="脚本测试局")
    assert root.find(f"{ATOM}entry/{ATOM}title").text == "<b>标题</b>&"
    assert b"<script>" not in response.content


def test_the_feed_has_validators_and_answers_304(client, world):
    _, response = feed(client, q="低保")
    assert response["ETag"] and response["Last-Modified"] and "max-age" in response["Cache-Control"]
    assert client.get("/feeds/notices.atom", {"q": "低保"}, HTTP_IF_NONE_MATCH=response["ETag"]).status_code == 304
    later = timezone.now() + dt.timedelta(minutes=1)
    since = later.strftime("%a, %d %b %Y %H:%M:%S GMT")
    assert client.get("/feeds/notices.atom", {"q": "低保"}, HTTP_IF_MODIFIED_SINCE=since).status_code == 304
    add_notice("低保新通报", title="关于低保的新通报")
    fresh = client.get("/feeds/notices.atom", {"q": "低保"}, HTTP_IF_NONE_MATCH=response["ETag"])
    assert fresh.status_code == 200


def test_bad_parameters_are_a_json_400(client):
    response = client.get("/feeds/notices.atom", {"scope": "everything"})
    assert response.status_code == 400 and "scope" in response.json()["errors"]
