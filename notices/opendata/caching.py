"""Conditional GET for the open data: ETag, Last-Modified and Cache-Control, and 304 when nothing changed.

A finished body's ETag is its hash, so it changes exactly when the answer does. Streamed
answers (CSV) cannot be hashed before they are sent: their weak ETag is derived from the
state of the archive and the request instead. Last-Modified is the newest notice's
`updated_at`; a client that sends both validators is judged by the ETag (RFC 9110).

Why `conditional` and not Django's own doors to the same functions (it calls Django's
`set_response_etag` and `get_conditional_response`, as they do):
- `ConditionalGetMiddleware` would run on every answer of the site, the pages too (whose
  HTML carries a per-session CSRF token, so their hash validates nothing); it answers GET
  only, so a HEAD gets no 304; it sets no Cache-Control; and it gives a streamed CSV no
  validator at all, since a stream cannot be hashed.
- The `condition` decorator decides before the view runs. The API's and the feeds' ETag
  is the hash of their body, known only after rendering. For the CSV, whose ETag is the
  archive's state and the URL, it would answer 304 before the view checks the parameters,
  and it stamps ETag and Last-Modified on a 400 too: a client revalidating its mistake
  would get 304 instead of the sentence saying what to change. Here a 400 gets
  `no-cache` and no validator, and the CSV checks its parameters first.
"""
from __future__ import annotations

import datetime as dt
import hashlib
from contextlib import contextmanager
from contextvars import ContextVar
from typing import Callable, Iterator, TypeVar

from django.core.cache import cache
from django.db import DEFAULT_DB_ALIAS, connections, router
from django.http import HttpRequest, HttpResponseBase
from django.utils.cache import get_conditional_response, patch_cache_control, set_response_etag
from django.utils.http import http_date

from ..models import Issue, Measure, Notice

MAX_AGE = 300  # seconds a client or proxy may reuse an answer without asking again


def archive_last_modified() -> dt.datetime | None:
    """The newest `updated_at` of every notice row, those in the admin's recycle bin too: moving a
    notice there is a change."""
    return _archive_state()[0]


def archive_fingerprint() -> str:
    """Changes whenever a notice, problem or measure is added, removed or edited through a notice save.

    Every cached page asks for it, so it reads four index ends and no table: a notice's
    removal is soft (deleted_at, updated_at) and a re-parse or correction saves its notice, so
    the newest `updated_at` and the highest ids see every change the archive's code makes. (It
    counted the live notices too: two scans of the notice table per request, growing with the
    archive.) It names the database too: two archives served from one checkout share a cache.
    """
    latest, top_notice, top_issue, top_measure = _archive_state()
    database = connections[DEFAULT_DB_ALIAS].settings_dict["NAME"]
    return f"{database}.{latest}.{top_notice}.{top_issue}.{top_measure}"


# The state read once for one answer (one_state), or None outside one.
_held: ContextVar[list | None] = ContextVar("archive_state", default=None)


@contextmanager
def one_state() -> Iterator[None]:
    """Within it, the archive's state is read once: one answer to a GET names its kept copy, its
    kept counts (units.count) and its Last-Modified from the same reading (an API page read it
    three times, a statement each: 5-30 ms at load 7)."""
    token = _held.set([])
    try:
        yield
    finally:
        _held.reset(token)


def _archive_state() -> tuple:
    """(newest updated_at, highest notice id, problem id, measure id), for the fingerprint."""
    held = _held.get()
    if held:
        return held[0]
    connection = connections[router.db_for_read(Notice)]
    notice, issue, measure = (model._meta.db_table for model in (Notice, Issue, Measure))
    with connection.cursor() as cursor:  # one round trip: it precedes every cached answer
        cursor.execute(f"SELECT (SELECT max(updated_at) FROM {notice}), (SELECT max(id) FROM {notice}), "
                       f"(SELECT max(id) FROM {issue}), (SELECT max(id) FROM {measure})")
        state = cursor.fetchone()
    if held is not None:
        held.append(state)
    return state


T = TypeVar("T")
# Every write through a notice changes the fingerprint at once; `reindex` (new topics, no new
# updated_at) shows after this many seconds, as long as clients may keep the open data.
SUMMARY_TIMEOUT = MAX_AGE


def while_archive_unchanged(name: str, build: Callable[[], T]) -> T:
    """build(), computed once for each state of the archive (archive_fingerprint) and `name`.

    For pages that summarise the whole archive (the home page, statistics): their
    aggregates over every problem and measure take most of a second at 20,000 notices,
    the fingerprint a few milliseconds.
    """
    key = "archive-summary:" + state_digest(name)
    value = cache.get(key)
    if value is None:
        value = build()
        cache.set(key, value, SUMMARY_TIMEOUT)
    return value


def state_digest(name: str) -> str:
    """What an answer named `name` (a page's or an API answer's URL, a summary's name) is kept
    under in this state of the archive."""
    return hashlib.sha256(f"{name}|{archive_fingerprint()}".encode()).hexdigest()[:32]


def request_etag(request: HttpRequest) -> str:
    """A weak ETag for an answer fixed by the archive's state and the request's URL."""
    return f'W/"{state_digest(request.get_full_path())}"'


def conditional(
    request: HttpRequest, response: HttpResponseBase, *, last_modified: dt.datetime | None = None,
    max_age: int = MAX_AGE,
) -> HttpResponseBase:
    """Add the validators and caching headers to a 200 answer; a 304 when the client's copy is current."""
    if request.method not in ("GET", "HEAD") or response.status_code != 200:
        if response.status_code >= 400:
            patch_cache_control(response, no_cache=True)
        return response
    if not response.streaming and not response.has_header("ETag"):
        set_response_etag(response)
    timestamp = int(last_modified.timestamp()) if last_modified else None
    if timestamp is not None:
        response["Last-Modified"] = http_date(timestamp)
    patch_cache_control(response, public=True, max_age=max_age)
    return get_conditional_response(request, etag=response.get("ETag"), last_modified=timestamp, response=response)
