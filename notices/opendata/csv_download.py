"""CSV downloads of any list view's selection: notices, or problems with their measures and notice metadata.

Streamed: rows are read from a server-side cursor (.iterator()) and written as they come,
so a result of any size downloads in constant memory. UTF-8 with a byte-order mark, so that
Excel opens the Chinese correctly; a text cell that a spreadsheet would run as a formula
(starting with = + - @, a tab or a carriage return) gets a leading apostrophe.

The parameters are the list view's (filters, q, scope, sort); page and anything the list
view adds for itself are ignored. `header=zh` gives Chinese column headings, and Chinese
values where the default CSV has codes (层级 市级, not city; 主题 养老服务, not elderly).
Problems are what Issue.objects.problems() counts: a category heading is neither a row of
the problem CSV nor counted in a notice's 问题数.
"""
from __future__ import annotations

import csv
import datetime as dt
from typing import Any, Callable, Iterable, Iterator

from django.core.cache import cache
from django.db.models import Count, F, IntegerField, OuterRef, Subquery, Value
from django.db.models.functions import Coalesce
from django.http import HttpRequest, StreamingHttpResponse
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_GET

from ..models import Capture, InspectionKind, Issue, Level, Measure, Notice, Progress, Status
from ..topics import TOPIC_LABELS
from ..search import in_display_order
from . import units
from .caching import SUMMARY_TIMEOUT, archive_last_modified, conditional, request_etag, state_digest
from .errors import bad_parameters_response
from .selection import BadParameters, Selection, selection

FORMULA_START = ("=", "+", "-", "@", "\t", "\r")
CHUNK_BYTES = 32 * 1024  # rows are sent in chunks of about this size
ROWS_PER_FETCH = 500  # rows the server-side cursor hands over at a time: what memory a download holds
KEPT_BYTES = 256 * 1024  # a download no larger is kept for its URL and the archive's state

# (column, Chinese heading, source) for each CSV. Sources are ORM paths, or a callable of the row.
NOTICE_COLUMNS: list[tuple[str, str, Any]] = [
    ("id", "编号", "id"),
    ("title", "标题", "title"),
    ("display_title", "显示标题", None),  # computed from the row, as the web pages show it
    ("issuer", "发布单位", "issuer"),
    ("agency", "被巡察单位", "agency_name"),
    ("inspection_kind", "巡视/巡察", "inspection_kind"),
    ("inspection_form", "巡察形式", "inspection_form"),
    ("inspection_round", "巡察轮次", "inspection_round"),
    ("inspector", "巡察组", "inspector"),
    ("inspection_start", "进驻日期", "inspection_start"),
    ("inspection_end", "结束日期", "inspection_end"),
    ("feedback_date", "反馈日期", "feedback_date"),
    ("publish_date", "发布日期", "publish_date"),
    ("province", "省", "province"),
    ("city", "市", "city"),
    ("county", "县", "county"),
    ("level", "层级", "level"),
    ("progress", "整改进度", "progress"),
    ("topics", "主题", "topics"),
    ("problems", "问题数", "problem_count"),
    ("measures", "措施数", "measure_count"),
    ("file", "原始文件", "source__filename"),
    ("sha256", "SHA-256", "source__sha256"),
    ("source_url", "来源网址", "source_url"),  # a notice captured from the web (annotated in notice_rows)
    ("retrieved_at", "抓取时间", "retrieved_at"),
    ("url", "网址", None),
    ("original_url", "原始文件网址", None),
    ("json_url", "JSON网址", None),
]
PROBLEM_COLUMNS: list[tuple[str, str, Any]] = [
    ("notice_id", "通报编号", "notice_id"),
    ("notice_title", "通报标题", None),
    ("agency", "被巡察单位", "notice__agency_name"),
    ("issuer", "发布单位", "notice__issuer"),
    ("inspection_kind", "巡视/巡察", "notice__inspection_kind"),
    ("inspector", "巡察组", "notice__inspector"),
    ("province", "省", "notice__province"),
    ("city", "市", "notice__city"),
    ("county", "县", "notice__county"),
    ("level", "层级", "notice__level"),
    ("feedback_date", "反馈日期", "notice__feedback_date"),
    ("publish_date", "发布日期", "notice__publish_date"),
    ("problem_id", "问题编号", "id"),
    ("parent_problem_id", "上级问题编号", "parent_id"),
    ("problem_position", "问题顺序", "position"),
    ("category", "类别", "category"),
    ("problem_label", "问题序号", "label"),
    ("problem_title", "问题", "title"),
    ("problem_status", "状态", "status"),
    ("problem_topics", "主题", "topics"),
    ("measure_id", "措施编号", "measures__id"),
    ("measure_position", "措施顺序", "measures__position"),
    ("measure_label", "措施序号", "measures__label"),
    ("measure_text", "整改措施", "measures__text"),
    ("notice_url", "通报网址", None),
]
# Columns whose codes `header=zh` gives as the reading room's Chinese labels.
_LABELS = {"level": dict(Level.choices), "progress": dict(Progress.choices), "problem_status": dict(Status.choices),
           "inspection_kind": dict(InspectionKind.choices)}
_TOPIC_COLUMNS = ("topics", "problem_topics")


def _in_chinese(columns) -> Callable[[list[Any]], list[Any]]:
    """row -> the row with its coded values as Chinese labels (the columns' order fixed once)."""
    at = [(i, _LABELS[key].get) for i, (key, _, _) in enumerate(columns) if key in _LABELS]
    topics = [i for i, (key, _, _) in enumerate(columns) if key in _TOPIC_COLUMNS]

    def translate(row: list[Any]) -> list[Any]:
        for i, label in at:
            if row[i] is not None:
                row[i] = label(row[i], row[i])
        for i in topics:
            if row[i]:
                row[i] = [TOPIC_LABELS.get(slug, slug) for slug in row[i]]
        return row

    return translate


# What display_title needs (see Notice.display_title).
_TITLE_PARTS = ("title", "issuer", "agency_name", "inspection_kind")


def safe_cell(value: Any) -> Any:
    """A value as a CSV cell; text a spreadsheet would evaluate is defused with a leading apostrophe."""
    if value is None:
        return ""
    if isinstance(value, (list, tuple)):
        value = ";".join(str(v) for v in value)
    if isinstance(value, (dt.date, dt.datetime)):
        return value.isoformat()
    if isinstance(value, str) and value.startswith(FORMULA_START):
        return "'" + value
    return value


class _Line:
    """csv.writer's file: hands each written line back instead of storing it."""

    def write(self, line: str) -> str:
        return line


def csv_chunks(header: list[str], rows: Iterable[list[Any]]) -> Iterator[bytes]:
    """The CSV as UTF-8 bytes with a BOM, in chunks of about CHUNK_BYTES, one row read at a time."""
    writer = csv.writer(_Line())
    buffer = [("\ufeff" + writer.writerow(header)).encode("utf-8")]
    size = 0
    for row in rows:
        line = writer.writerow([safe_cell(v) for v in row]).encode("utf-8")
        buffer.append(line)
        size += len(line)
        if size >= CHUNK_BYTES:
            yield b"".join(buffer)
            buffer, size = [], 0
    if buffer:
        yield b"".join(buffer)


def _display_title(parts: tuple) -> str:
    return Notice(**dict(zip(_TITLE_PARTS, parts))).display_title


def _url_maker(request: HttpRequest, name: str):
    """id -> absolute URL of `name`, reversed once (a reverse per row would cost a second per 100k rows)."""
    template = request.build_absolute_uri(reverse(name, args=[987654321]))
    head, tail = template.split("987654321")
    return lambda pk: f"{head}{pk}{tail}"


def _count(model) -> Coalesce:
    rows = Issue.objects.problems() if model is Issue else model.objects
    per_notice = rows.filter(notice=OuterRef("pk")).order_by().values("notice").annotate(n=Count("pk"))
    return Coalesce(Subquery(per_notice.values("n"), output_field=IntegerField()), Value(0))


def _provenance() -> dict[str, Subquery]:
    """The address and time of each notice's capture (the newest of its own address), None for files."""
    main = Capture.objects.filter(notice=OuterRef("pk"), role=Capture.Role.MAIN).order_by("-retrieved_at", "-id")
    return {"source_url": Subquery(main.values("url")[:1]), "retrieved_at": Subquery(main.values("retrieved_at")[:1])}


def notice_rows(request: HttpRequest, chosen: Selection) -> Iterator[list[Any]]:
    qs = in_display_order(chosen.notices, chosen.query, chosen.scope, chosen.sort, chosen.whole_words)
    qs = qs.annotate(problem_count=_count(Issue), measure_count=_count(Measure), **_provenance())
    sources = [c[2] for c in NOTICE_COLUMNS if c[2]]
    page, original, as_json = (_url_maker(request, n) for n in ("notices:detail", "notices:original", "notices:json"))
    for values in qs.values_list(*sources, *_TITLE_PARTS).iterator(chunk_size=ROWS_PER_FETCH):
        row = dict(zip(sources, values))
        pk = row["id"]
        computed = {
            "display_title": _display_title(values[len(sources):]),
            "url": page(pk), "original_url": original(pk), "json_url": as_json(pk),
        }
        yield [row[source] if source else computed[key] for key, _, source in NOTICE_COLUMNS]


def problem_rows(request: HttpRequest, chosen: Selection) -> Iterator[list[Any]]:
    """One row per measure, its problem and notice repeated; a problem without measures gets one row."""
    qs = units.problems(chosen)
    qs = qs.order_by(*qs.query.order_by, F("measures__position").asc(nulls_first=True))
    sources = [c[2] for c in PROBLEM_COLUMNS if c[2]]
    title_parts = [f"notice__{p}" for p in _TITLE_PARTS]
    page = _url_maker(request, "notices:detail")
    for values in qs.values_list(*sources, *title_parts).iterator(chunk_size=ROWS_PER_FETCH):
        row = dict(zip(sources, values))
        computed = {"notice_title": _display_title(values[len(sources):]), "notice_url": page(row["notice_id"])}
        yield [row[source] if source else computed[key] for key, _, source in PROBLEM_COLUMNS]


def _csv_response(request: HttpRequest, kind: str, columns, rows_of, default_scope: str, default_sort: str):
    try:
        chosen = selection(request.GET, default_scope=default_scope, default_sort=default_sort)
    except BadParameters as exc:
        return bad_parameters_response(exc)
    chinese = request.GET.get("header") == "zh"
    headings = [zh if chinese else key for key, zh, _ in columns]
    stamp = timezone.localdate().strftime("%Y%m%d")
    response = StreamingHttpResponse(content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{kind}-{stamp}.csv"'
    response["ETag"] = request_etag(request)
    response["Access-Control-Allow-Origin"] = "*"
    response = conditional(request, response, last_modified=archive_last_modified())
    if response.status_code == 200:  # not a 304: only now run the query
        key = "csv:" + state_digest(request.build_absolute_uri())
        kept = cache.get(key)
        if kept is not None:
            response.streaming_content = [kept]
        else:
            rows = rows_of(request, chosen)
            chunks = csv_chunks(headings, map(_in_chinese(columns), rows) if chinese else rows)
            response.streaming_content = _kept_when_small(key, chunks)
    return response


def _kept_when_small(key: str, chunks: Iterator[bytes]) -> Iterator[bytes]:
    """The chunks as they stream; a download that came to at most KEPT_BYTES is kept for its URL
    and the archive's state, as the API's answers are: a narrow search's CSV, asked again, costs no
    query. A large one streams as before and is not held."""
    held, size = [], 0
    for chunk in chunks:
        yield chunk
        size += len(chunk)
        if size <= KEPT_BYTES:
            held.append(chunk)
    if size <= KEPT_BYTES:  # sent whole (a reader who leaves midway stops this generator at the yield)
        cache.set(key, b"".join(held), SUMMARY_TIMEOUT)


@require_GET
def notices_csv(request: HttpRequest):
    return _csv_response(request, "notices", NOTICE_COLUMNS, notice_rows, "notice", "relevance")


@require_GET
def problems_csv(request: HttpRequest):
    return _csv_response(request, "problems", PROBLEM_COLUMNS, problem_rows, "problem", "date")


__all__ = ["csv_chunks", "notices_csv", "problems_csv", "safe_cell"]
