"""The text gate: no NUL, control character, lone surrogate or non-character gets into the
archive or breaks an answer, whether it comes in a notice or in a query, through any door."""
from __future__ import annotations

import io
import urllib.parse
import xml.etree.ElementTree as ET

import pytest
from django.core.management import call_command
from django.urls import reverse

from notices.models import Notice
from notices.parsing import parse_notice
from notices.parsing.chars import clean_text

from ..admin_helpers import new_notice_bytes, upload
from ..conftest import SEED_FILES

pytestmark = pytest.mark.django_db

HOSTILE = ["\x00", "\x01", "\x08", "\x0b", "\x1f", "\x7f", "\x85", "\x9f", "\ufffe", "\uffff", "\ufdd0"]


def test_the_gate_removes_what_no_text_may_hold_and_keeps_the_rest():
    assert clean_text("一、问题\x00\x01\x7f\x85\ufffe\uffff\U0010ffff\ud800") == "一、问题"
    kept = "低保\t动态\n管理\r（一）①全角ＡＢＣ😀"
    assert clean_text(kept) == kept


def test_a_nul_inside_a_notice_is_dropped_and_the_notice_reads_as_printed():
    data = SEED_FILES[0].read_bytes()
    dirty = data.replace("问题".encode(), "问\x00题".encode(), 1).replace(b"\n", b"\x01\n", 3)
    assert parse_notice(dirty, "n.txt").issues == parse_notice(data, "n.txt").issues


def test_a_folder_with_a_nul_file_stores_every_file_and_ends_with_its_summary(tmp_path, settings):
    settings.ARCHIVE_NEAR_DUPLICATE_THRESHOLD = 1.01  # the good files are the samples again: store each, link none
    for i in range(30):
        (tmp_path / f"good-{i:02}.txt").write_bytes(new_notice_bytes(i % 5, 10 + i))
    (tmp_path / "nul.txt").write_bytes("关于巡察整改的通报\n一、问题\x00\n".encode())
    before = Notice.objects.count()
    err = io.StringIO()
    try:
        call_command("ingest", str(tmp_path), "--workers", "1", stdout=io.StringIO(), stderr=err)
    except SystemExit:
        pass
    assert Notice.objects.count() == before + 31, err.getvalue()
    stored = Notice.objects.get(source__filename="nul.txt")
    assert "\x00" not in stored.text and "一、问题" in stored.text
    assert bytes(stored.source.data).count(b"\x00") == 1  # the original, byte for byte
    assert "new" in err.getvalue().splitlines()[-1] or "31" in err.getvalue()


def test_an_upload_holding_a_nul_is_previewed_not_a_server_error(client, archivist):
    data = new_notice_bytes(1, 40).replace("整改".encode(), "整\x00改".encode(), 1)
    response = upload(client, ("nul.txt", data, "text/plain"))
    assert response.status_code == 200
    assert not Notice.objects.filter(source__filename="nul.txt").exists()  # staged, not stored


FILTERS = ["q", "agency", "province", "city", "level", "kind", "topic", "progress", "year", "scope", "sort"]
DOORS = [
    "api:notice-list", "api:problem-list", "api:measure-list", "api:facets",
    "opendata:notices-csv", "opendata:problems-csv", "opendata:feed",
    "notices:list", "notices:problems", "notices:agency_list",
]


@pytest.mark.parametrize("door", DOORS)
@pytest.mark.parametrize("name", FILTERS)
def test_a_control_character_in_any_parameter_is_never_a_server_error(client, door, name):
    for bad in ("\x00", "a\x01b", "a\ufffeb\uffff"):
        url = reverse(door) + "?" + urllib.parse.urlencode({name: bad})
        response = client.get(url)
        assert response.status_code < 500, (url, response.status_code)
        if door == "opendata:feed" and response.status_code == 200:
            ET.fromstring(response.content)  # well-formed


def test_the_feed_is_well_formed_whatever_the_query_holds(client):
    for bad in HOSTILE:
        response = client.get(reverse("opendata:feed"), {"q": f"整改{bad}"})
        assert response.status_code == 200, repr(bad)
        title = ET.fromstring(response.content).find("{http://www.w3.org/2005/Atom}title").text
        assert title.endswith("整改"), repr(bad)


def test_the_feed_is_well_formed_even_for_text_stored_before_the_gate(client):
    from tests.opendata.support import add_notice

    add_notice("关于巡察整改情况的通报\x01\n", title="旧数据\x02标题", issuer="某县\x0b委员会")
    response = client.get(reverse("opendata:feed"))
    assert response.status_code == 200
    assert "旧数据标题" in ET.tostring(ET.fromstring(response.content), encoding="unicode")


def test_the_admin_search_with_a_nul_is_no_server_error(admin_client):
    response = admin_client.get(reverse("admin:notices_notice_changelist"), {"q": "整改\x00"})
    assert response.status_code == 200


def test_a_query_of_only_punctuation_says_so_on_the_page(client):
    for q in ["%", "_", "\\", "……"]:
        html = client.get(reverse("notices:list"), {"q": q}).content.decode()
        assert "检索词只有标点，已忽略" in html, q


def test_an_empty_field_is_an_error_message_not_a_word_search(client):
    html = client.get(reverse("notices:list"), {"q": "agency:"}).content.decode()
    assert "“agency:”后面没有要查找的词" in html
    response = client.get(reverse("api:notice-list"), {"q": "agency:"})
    assert response.status_code == 400 and "agency:" in response.json()["errors"]["q"]
    response = client.get(reverse("api:notice-list"), {"q": "agency:民政局"})
    assert response.status_code == 200
