"""CSV downloads: any selection, streamed in constant memory, opened correctly by Excel, defused against formulas."""
from __future__ import annotations

import csv
import datetime as dt
import io
import tracemalloc

import pytest
from django.http import StreamingHttpResponse

from notices import write
from notices.models import Issue, Measure, Notice, SourceFile
from notices.opendata.csv_download import CHUNK_BYTES, NOTICE_COLUMNS, PROBLEM_COLUMNS, safe_cell
from notices.search import matching, parse_query

from .support import World, world  # noqa: F401  (the fixture)

pytestmark = pytest.mark.django_db
BOM = "\ufeff".encode("utf-8")


def download(client, url, **params) -> tuple[StreamingHttpResponse, list[dict]]:
    response = client.get(url, params)
    assert response.status_code == 200, response.content[:300] if not response.streaming else ""
    body = b"".join(response.streaming_content)
    assert body.startswith(BOM)
    return response, list(csv.DictReader(io.StringIO(body[len(BOM):].decode("utf-8"))))


def test_the_notices_csv_has_a_bom_a_header_and_one_row_per_notice(client, world):
    response, rows = download(client, "/export/notices.csv")
    assert isinstance(response, StreamingHttpResponse)
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert response["Content-Disposition"].startswith('attachment; filename="notices-')
    assert list(rows[0]) == [key for key, _, _ in NOTICE_COLUMNS]
    assert sorted(int(r["id"]) for r in rows) == sorted(Notice.objects.values_list("pk", flat=True))


def test_a_notice_row_holds_its_metadata_counts_and_links(client, world):
    _, rows = download(client, "/export/notices.csv", agency="陆河县民政局")
    (row,) = rows
    assert row["title"] == world.luhe.title and row["display_title"] == world.luhe.display_title
    assert (row["province"], row["city"], row["county"], row["level"]) == ("广东省", "汕尾市", "陆河县", "county")
    assert row["publish_date"] == "2025-09-01" and row["inspection_kind"] == "巡察"
    assert row["problems"] == "3" and row["measures"] == "4"
    assert row["sha256"] == world.luhe.source.sha256
    assert row["url"] == f"http://testserver/notices/{world.luhe.pk}/"
    assert row["original_url"].endswith(f"/notices/{world.luhe.pk}/original")
    assert row["topics"] and ";" in row["topics"] or row["topics"] == ";".join(world.luhe.topics)


def test_the_notices_csv_follows_a_search_and_filters(client, world):
    _, rows = download(client, "/export/notices.csv", q="殡葬", province="广东省", page="3")
    expected = matching(Notice.objects.filter(province="广东省"), parse_query("殡葬"))
    assert {int(r["id"]) for r in rows} == set(expected.values_list("pk", flat=True))
    assert world.luhe.pk in {int(r["id"]) for r in rows}


def test_the_problems_csv_has_a_row_per_measure_with_its_problem_and_notice(client, world):
    _, rows = download(client, "/export/problems.csv", agency="陆河县民政局", scope="notice")
    assert list(rows[0]) == [key for key, _, _ in PROBLEM_COLUMNS]
    assert [(r["problem_title"], r["measure_text"]) for r in rows] == [
        ("殡葬改革推进不力", "'=SUM(A1)开展殡葬领域专项整治"),
        ("殡葬改革推进不力", "建立公墓台账"),
        ("低保动态管理不到位", "'-清理不符合条件的低保对象"),
        ("低保动态管理不到位", "'+1 项制度"),
        ("财务制度执行不严", ""),  # a problem without measures still has its row
    ]
    assert {r["agency"] for r in rows} == {"陆河县民政局"} and {r["province"] for r in rows} == {"广东省"}
    assert rows[0]["category"] == "关于民生保障方面" and rows[0]["problem_status"] == "in_progress"
    assert rows[0]["notice_title"] == world.luhe.display_title


def test_the_problems_csv_of_a_search_lists_the_matching_problems(client, world):
    _, rows = download(client, "/export/problems.csv", q="低保")
    expected = {i.pk for i in Issue.objects.problems() if "低保" in i.fold_text}
    assert {int(r["problem_id"]) for r in rows} == expected
    _, rows = download(client, "/export/problems.csv", q="台账", scope="measure", agency="淄博市民政局")
    assert {r["problem_title"] for r in rows} == {"低保边缘家庭认定不及时", "特困人员供养不规范"}
    for title in {r["problem_title"] for r in rows}:  # each problem with all its measures, one of them a match
        assert any("台账" in r["measure_text"] for r in rows if r["problem_title"] == title)
    sub = next(r for r in rows if r["problem_title"] == "特困人员供养不规范")
    assert sub["parent_problem_id"] == str(Issue.objects.get(notice=world.zibo, position=0).pk)


@pytest.mark.parametrize("value, cell", [
    ("=1+1", "'=1+1"), ("+86 123", "'+86 123"), ("-2", "'-2"), ("@SUM(A1)", "'@SUM(A1)"),
    ("\t=1", "'\t=1"), ("\r=1", "'\r=1"), ("低保", "低保"), ("a=b", "a=b"), ("", ""), (None, ""), (3, 3),
    (["a", "b"], "a;b"),
])
def test_a_cell_a_spreadsheet_would_evaluate_gets_an_apostrophe(value, cell):
    assert safe_cell(value) == cell


def test_formula_like_text_from_the_archive_is_defused_in_the_download(client, world):
    response = client.get("/export/problems.csv", {"agency": "淄博市民政局", "scope": "notice"})
    body = b"".join(response.streaming_content).decode("utf-8")
    assert "'@完善低保台账" in body
    for row in csv.reader(io.StringIO(body.lstrip("\ufeff"))):
        assert not any(cell.startswith(("=", "+", "-", "@")) for cell in row), row


def test_chinese_headings_on_request(client, world):
    _, rows = download(client, "/export/notices.csv", header="zh")
    assert list(rows[0])[:3] == ["编号", "标题", "显示标题"]


def test_bad_parameters_are_a_json_400(client):
    response = client.get("/export/notices.csv", {"sort": "best"})
    assert response.status_code == 400 and "sort" in response.json()["errors"]
    response = client.get("/export/problems.csv", {"published_before": "yesterday"})
    assert response.status_code == 400 and "published_before" in response.json()["errors"]


def test_a_current_copy_gets_304_and_a_change_a_new_etag(client, world):
    first = client.get("/export/notices.csv", {"province": "广东省"})
    b"".join(first.streaming_content)
    assert first["ETag"].startswith('W/"') and first["Last-Modified"] and "max-age" in first["Cache-Control"]
    again = client.get("/export/notices.csv", {"province": "广东省"}, HTTP_IF_NONE_MATCH=first["ETag"])
    assert again.status_code == 304
    notice = Notice.objects.get(pk=world.shaoguan.pk)
    notice.title = notice.title + "（更正）"
    write.refresh_notice(notice, save=False)
    notice.save()
    changed = client.get("/export/notices.csv", {"province": "广东省"}, HTTP_IF_NONE_MATCH=first["ETag"])
    assert changed.status_code == 200 and changed["ETag"] != first["ETag"]


# --- a large result -------------------------------------------------------------------------

ROWS = 8000
TITLE = "关于" + "殡葬改革和低保动态管理" * 40 + "的通报"  # ~450 characters, ~1.4 kB in UTF-8


@pytest.fixture
def many_notices(db):
    """ROWS notices stored in two bulk inserts: rows enough for a download far larger than any buffer."""
    sources = SourceFile.objects.bulk_create([
        SourceFile(sha256=f"{i:064x}", filename=f"bulk-{i}.txt", size=1, data=b"x") for i in range(ROWS)
    ])
    Notice.objects.bulk_create([
        Notice(source=s, title=f"{TITLE}{i}", text="", format="text", parser_version="test", province="河北省")
        for i, s in enumerate(sources)
    ])


def test_a_large_download_streams_in_constant_memory(client, many_notices):
    response = client.get("/export/notices.csv", {"province": "河北省", "sort": "oldest"})
    assert isinstance(response, StreamingHttpResponse) and response.streaming
    chunks = iter(response.streaming_content)

    first = next(chunks)  # rows come out as they are read: the first chunk holds a sliver of the result
    assert first.startswith(BOM) and first.count(b"\n") < ROWS / 20
    tracemalloc.start()
    try:
        total, count = len(first), 1
        for chunk in chunks:
            assert len(chunk) < 2 * CHUNK_BYTES
            total += len(chunk)
            count += 1
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert total > 10 * 1024 * 1024 and count > total / (2 * CHUNK_BYTES)
    assert peak < total / 4, f"peak {peak} bytes for a {total}-byte download"


def test_a_small_download_is_kept_until_the_archive_changes(client, world):
    """Asked again, a narrow CSV comes from the cache (seen through a title changed behind the
    archive's back, with no save); a change through a notice makes it afresh."""
    _, first = download(client, "/export/notices.csv", q="低保")
    assert first
    pk = int(first[0]["id"])
    Notice.objects.filter(pk=pk).update(title="未经保存改过的标题")  # updated_at unchanged: no new state
    assert download(client, "/export/notices.csv", q="低保")[1] == first
    Notice.objects.get(pk=pk).save()  # a write through the notice: a new state of the archive
    again = {int(r["id"]): r for r in download(client, "/export/notices.csv", q="低保")[1]}
    assert again[pk]["title"] == "未经保存改过的标题"


def test_a_large_download_is_not_kept(client, world, monkeypatch):
    from notices.opendata import csv_download

    monkeypatch.setattr(csv_download, "KEPT_BYTES", 100)  # every download here is larger
    _, first = download(client, "/export/notices.csv")
    pk = int(first[0]["id"])
    Notice.objects.filter(pk=pk).update(title="未经保存改过的标题")
    assert {int(r["id"]): r for r in download(client, "/export/notices.csv")[1]}[pk]["title"] == "未经保存改过的标题"


@pytest.mark.parametrize("rank_limit", [2000, 1])  # ranked by words; past the limit, by title and date
def test_the_notices_csv_of_a_search_lists_them_as_its_pages_do(client, world, monkeypatch, rank_limit):
    from notices.search import rank, search

    from .support import add_notice

    # 平台账号 in a title ranks first by relevance; the page puts the whole word 台账 first.
    add_notice("关于平台账号管理问题的整改情况\n", title="中共某县数据局党组关于平台账号管理问题整改进展情况的通报",
               agency="某县数据局", publish_date=dt.date(2026, 2, 1))
    add_notice("某县财政局整改通报\n建立台账，逐项销号。\n", title="中共某县财政局党组关于巡察整改进展情况的通报",
               agency="某县财政局", publish_date=dt.date(2024, 2, 1))
    monkeypatch.setattr(rank, "RANK_LIMIT", rank_limit)
    for q, scope in [("台账", "notice"), ("整改 台账", "notice"), ("低保", "notice"), ("巡察 -殡葬", "notice"),
                     ("match:word 台账", "notice"), ("台账", "problem"), ("低保 -特困", "problem")]:
        params = {"q": q.removeprefix("match:word "), "scope": scope} | ({"match": "word"} if q.startswith("match:") else {})
        chosen = parse_query(params["q"])
        page = search(Notice.objects.all(), chosen, scope=scope, per_page=100, with_hits=False,
                      whole_words="match" in params)
        _, rows = download(client, "/export/notices.csv", **params)
        assert [int(r["id"]) for r in rows] == [h.notice.pk for h in page.hits], (q, scope)
