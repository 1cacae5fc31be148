"""Generated input at every public door (pages, API, CSV, feeds): never a server error, and
every feed is well-formed XML. Bounded here (a fixed, derandomised set of examples, so the
suite stays fast and repeatable); `python tools/fuzz_urls.py --examples N` runs it longer."""
from __future__ import annotations

import os
import urllib.parse
import xml.etree.ElementTree as ET

import pytest
from django.urls import reverse
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from notices.models import Agency, Notice

pytestmark = pytest.mark.django_db
EXAMPLES = int(os.environ.get("ARCHIVE_FUZZ_EXAMPLES", "150"))

DOORS = [
    ("notices:home", False), ("notices:list", False), ("notices:problems", False), ("notices:agency_list", False),
    ("notices:statistics", False), ("notices:detail", True), ("notices:json", True), ("notices:agency", "agency"),
    ("api:root", False), ("api:notice-list", False), ("api:problem-list", False), ("api:measure-list", False),
    ("api:agency-list", False), ("api:facets", False), ("api:notice-detail", True), ("api:agency-detail", "agency"),
    ("opendata:notices-csv", False), ("opendata:problems-csv", False), ("opendata:feed", False),
]
NAMES = ["q", "scope", "sort", "page", "per_page", "agency", "province", "city", "level", "kind", "year", "topic",
         "progress", "published_after", "published_before", "header", "name", "part", "format"]
# Anything a person or a script could type, the characters that broke doors before among them.
HOSTILE = st.sampled_from(["\x00", "\x01", "\x1f", "\x7f", "\x85", "\ufffe", "\uffff", "%", "_", "\\", "'", '"',
                           "agency:", "-", "OR", "<script>", "]]>", "&", "低保", "殡葬", "2024", "notice", "problem",
                           "0", "-1", "99999999999", "1e9", "null", " "])
VALUE = st.one_of(st.text(max_size=40), st.lists(HOSTILE, max_size=6).map("".join),
                  st.text(alphabet=st.characters(codec="utf-8"), max_size=600))
PARAMS = st.lists(st.tuples(st.one_of(st.sampled_from(NAMES), st.text(max_size=8)), VALUE), max_size=5)


@settings(max_examples=EXAMPLES, deadline=None, derandomize=True, database=None,
          suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow])
@given(door=st.sampled_from(DOORS), params=PARAMS, raw=st.binary(max_size=30))
def test_no_generated_request_gets_a_server_error(client, door, params, raw):
    name, needs = door
    args = []
    if needs is True:
        args = [Notice.objects.order_by("id").values_list("id", flat=True).first()]
    elif needs == "agency":
        args = [Agency.objects.order_by("id").values_list("id", flat=True).first() or 1]
    query = urllib.parse.urlencode(params) + "&" + urllib.parse.quote_from_bytes(raw, safe="=&")
    response = client.get(reverse(name, args=args) + "?" + query)
    assert response.status_code < 500, (name, query, response.status_code)
    if name == "opendata:feed" and response.status_code == 200:
        ET.fromstring(response.content)
    if getattr(response, "streaming", False):
        b"".join(response.streaming_content)  # a CSV fails while streaming, if it fails
