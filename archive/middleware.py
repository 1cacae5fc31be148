"""Middleware of the whole site: the text gate on every request's query string, whatever the
door; and the database's faults and limits as pages that say so.

Pages, the API, the CSV exports, the feeds and the admin all read their parameters from
request.GET, so cleaning it here, once, before any view runs, means no view strips
characters on its own and none can forget to: a NUL in `province=` used to reach
PostgreSQL (500) and a control character in `q=` the feed's XML (500, or a malformed feed).
"""
from __future__ import annotations

import logging
from contextvars import ContextVar

from django.conf import settings
from django.db import InterfaceError, OperationalError
from django.db.backends.signals import connection_created
from django.dispatch import receiver
from django.http import HttpResponse, JsonResponse, QueryDict
from django.template import loader
from psycopg.errors import QueryCanceled

from notices.parsing.chars import clean_text, unsafe_characters

logger = logging.getLogger(__name__)


class TextGateMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if any(unsafe_characters(key) or any(unsafe_characters(v) for v in values)
               for key, values in request.GET.lists()):
            cleaned = QueryDict(mutable=True)
            for key, values in request.GET.lists():
                cleaned.setlist(clean_text(key), [clean_text(v) for v in values])
            cleaned._mutable = False
            request.GET = cleaned
            request.META["QUERY_STRING"] = cleaned.urlencode()
        return self.get_response(request)


# -- database faults and limits ----------------------------------------------------------------

_serving: ContextVar[bool] = ContextVar("serving_a_request", default=False)


@receiver(connection_created)
def _bound_web_statements(sender, connection, **kwargs):
    """A connection opened to answer a web request runs each statement for at most
    ARCHIVE_STATEMENT_TIMEOUT_MS: a heavy search ends with a page that says so, and never
    holds a worker and the database for minutes. Commands (ingest, reparse) have no limit."""
    if _serving.get() and settings.ARCHIVE_STATEMENT_TIMEOUT_MS:
        with connection.cursor() as cursor:
            cursor.execute("SELECT set_config('statement_timeout', %s, false)",
                           [str(settings.ARCHIVE_STATEMENT_TIMEOUT_MS)])


UNAVAILABLE = "数据库暂时无法连接，通报库正在恢复。请过一分钟再刷新页面；如果一直如此，请告诉管理员。"
TOO_HEAVY = "这个请求需要的计算太多，已经停止。请缩小范围（加上检索词或筛选条件，或者分页浏览）后再试。"


class DatabaseFaultMiddleware:
    """A database that is down, or a statement that ran out of time, gives a clear 503 in
    Chinese (JSON for the open data), not a 500. The failed connection is dropped at the end
    of the request (Django closes unusable ones), so the next request connects again, and with
    the embedded server starts it again: the site recovers by itself when the database does."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        token = _serving.set(True)
        try:
            return self.get_response(request)
        finally:
            _serving.reset(token)

    def process_exception(self, request, exception):
        if not isinstance(exception, (OperationalError, InterfaceError)):
            return None
        timed_out = isinstance(exception.__cause__, QueryCanceled)
        message = TOO_HEAVY if timed_out else UNAVAILABLE
        logger.warning("%s %s: %s", request.method, request.path, exception)
        if request.path.startswith(("/api/", "/export/", "/feeds/")):
            response = JsonResponse({"status": 503, "detail": message, "errors": {}}, status=503,
                                    json_dumps_params={"ensure_ascii": False})
        else:
            response = HttpResponse(loader.render_to_string("503.html", {"message": message}), status=503)
        response["Retry-After"] = "60"
        response["Cache-Control"] = "no-store"
        return response
