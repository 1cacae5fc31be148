"""Every web request runs its database statements under a time limit, and one that hits it
gets a clear 503 page in Chinese instead of holding a worker: real PostgreSQL, real timeouts."""
from __future__ import annotations

import pytest
from django.db import OperationalError, connections
from django.http import HttpResponse
from django.test import RequestFactory

from archive.middleware import TOO_HEAVY, DatabaseFaultMiddleware

pytestmark = pytest.mark.django_db


@pytest.fixture
def fresh():
    """A connection of its own, opened when first used (as a web request's would be)."""
    connection = connections.create_connection("default")
    yield connection
    connection.close()


def show_timeout(connection) -> str:
    with connection.cursor() as cursor:
        cursor.execute("SHOW statement_timeout")
        return cursor.fetchone()[0]


def test_a_connection_opened_for_a_web_request_has_the_statement_timeout(fresh, settings):
    settings.ARCHIVE_STATEMENT_TIMEOUT_MS = 1234
    response = DatabaseFaultMiddleware(lambda request: HttpResponse(show_timeout(fresh)))(RequestFactory().get("/"))
    assert response.content == b"1234ms"


def test_a_command_has_no_statement_timeout(fresh, settings):
    settings.ARCHIVE_STATEMENT_TIMEOUT_MS = 1234
    assert show_timeout(fresh) == "0"


def test_a_statement_that_runs_out_of_time_is_a_503_page_that_says_what_to_do(fresh, settings):
    settings.ARCHIVE_STATEMENT_TIMEOUT_MS = 100

    def heavy(request):
        with fresh.cursor() as cursor:
            cursor.execute("SELECT pg_sleep(10)")
        return HttpResponse("finished")

    middleware = DatabaseFaultMiddleware(heavy)
    request = RequestFactory().get("/notices/", {"q": "低保"})
    with pytest.raises(OperationalError) as raised:
        middleware(request)
    response = middleware.process_exception(request, raised.value)
    assert response.status_code == 503 and response["Retry-After"]
    assert TOO_HEAVY in response.content.decode() and "<html" in response.content.decode()
