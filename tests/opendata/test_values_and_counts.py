"""One rule for values (malformed → 400 naming the parameter, unmatched → empty 200, past the
end → says so), messages in Chinese, problems counted as the pages count them, and a Chinese
CSV without English codes."""
from __future__ import annotations

import csv
import io
import re

import pytest

from notices.models import Issue, Notice
from notices.opendata import selection as chosen

pytestmark = pytest.mark.django_db


def seed(prefix: str) -> Notice:
    return Notice.objects.get(source__filename__startswith=prefix)


@pytest.mark.parametrize("params, parameter", [
    ({"year": "abc"}, "year"), ({"year": "25"}, "year"), ({"level": "xyz"}, "level"),
    ({"kind": "检查"}, "kind"), ({"progress": "finished"}, "progress"), ({"topic": "no-such-topic"}, "topic"),
    ({"sort": "foo"}, "sort"), ({"published_after": "2025-13-01"}, "published_after"),
])
def test_a_malformed_value_is_a_400_in_chinese_that_names_the_parameter(client, params, parameter):
    for url in ("/api/v1/notices", "/api/v1/problems", "/export/notices.csv"):
        response = client.get(url, params)
        assert response.status_code == 400, (url, params)
        body = response.json()
        assert list(body["errors"]) == [parameter], (url, body)
        assert parameter in body["detail"] and body["detail"].endswith("。"), body["detail"]
        assert not any(word in body["detail"] for word in ("must", "Use ", "Unknown")), body["detail"]


@pytest.mark.parametrize("params", [
    {"province": "火星省"}, {"year": "1900"}, {"agency": "不存在的单位"}, {"level": "township"}, {"year": "none"},
    {"topic": "funeral", "province": "火星省"},
])
def test_a_well_formed_value_that_matches_nothing_is_an_empty_200(client, params):
    response = client.get("/api/v1/notices", params)
    assert response.status_code == 200, response.content
    body = response.json()
    if params != {"year": "none"}:
        assert body["count"] == 0 and body["results"] == []
    else:
        assert body["count"] == Notice.objects.filter(publish_date__isnull=True).count() >= 1


def test_a_page_past_the_end_says_so_with_the_number_of_pages(client):
    total = Notice.objects.count()
    for url in ("/api/v1/notices", "/api/v1/problems", "/api/v1/agencies"):
        response = client.get(url, {"page": "999"})
        assert response.status_code == 404, url
        detail = response.json()["detail"]
        assert re.match(r"没有第 999 页：共 \d+ 条结果，每页 20 条，共 \d+ 页。", detail), detail
    assert client.get("/api/v1/notices", {"page": "999"}).json()["detail"].startswith(f"没有第 999 页：共 {total} 条")


def test_a_deep_page_of_a_large_result_is_refused_for_that_reason(client, monkeypatch):
    monkeypatch.setattr(chosen, "MAX_OFFSET", 20)
    monkeypatch.setattr("notices.opendata.api.MAX_OFFSET", 20)
    response = client.get("/api/v1/problems", {"page": "3", "per_page": "10"})  # rows 21-30 of ~96 problems
    assert response.status_code == 400 and list(response.json()["errors"]) == ["page"]
    assert "前 20 条" in response.json()["detail"]


def test_the_problem_endpoint_and_csv_list_problems_not_category_headings(client):
    notice = seed("000")
    headings = set(Issue.objects.filter(notice=notice).exclude(pk__in=Issue.objects.problems()).values_list("pk", flat=True))
    assert headings  # seed 000 has headings over sub-problems
    body = client.get("/api/v1/problems", {"agency": notice.agency_name, "per_page": "100"}).json()
    assert body["count"] == Issue.objects.problems().filter(notice__agency_name=notice.agency_name).count()
    assert not headings & {row["id"] for row in body["results"]}
    rows = list(csv.DictReader(io.StringIO(
        client.get("/export/problems.csv", {"agency": notice.agency_name}).getvalue().decode("utf-8-sig"))))
    assert rows and not headings & {int(row["problem_id"]) for row in rows}
    notices = {row["id"]: row for row in csv.DictReader(io.StringIO(
        client.get("/export/notices.csv").getvalue().decode("utf-8-sig")))}
    assert notices[str(notice.pk)]["problems"] == "16"


def test_the_chinese_csv_gives_chinese_values_not_codes(client):
    text = client.get("/export/notices.csv", {"header": "zh"}).getvalue().decode("utf-8-sig")
    rows = list(csv.DictReader(io.StringIO(text)))
    levels = {row["层级"] for row in rows}
    assert levels <= {"中央", "省级", "市级", "县级", "乡镇", ""} and "市级" in levels, levels
    topics = ";".join(row["主题"] for row in rows)
    assert "养老服务" in topics and "elderly" not in topics
    problems = client.get("/export/problems.csv", {"header": "zh", "topic": "elderly"}).getvalue().decode("utf-8-sig")
    first = next(csv.DictReader(io.StringIO(problems)))
    assert first["层级"] in {"中央", "省级", "市级", "县级", "乡镇"} and "elderly" not in problems
    english = client.get("/export/notices.csv").getvalue().decode("utf-8-sig")
    assert "city" in english  # the default CSV keeps the codes the API uses


def test_the_api_docs_are_in_chinese_with_english_beside(client):
    schema = client.get("/api/v1/schema", {"format": "json"}).json()
    cjk = re.compile(r"[\u4e00-\u9fff]")
    assert cjk.search(schema["info"]["description"])
    for path, operations in schema["paths"].items():
        for method, operation in operations.items():
            assert cjk.search(operation["summary"]), (path, operation["summary"])
            for parameter in [p for p in operation.get("parameters", []) if p["in"] == "query"]:
                assert cjk.search(parameter.get("description", "")), (path, parameter["name"])
