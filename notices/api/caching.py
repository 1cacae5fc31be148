"""Conditional GET for the open data: ETag, Last-Modified and Cache-Control, and 304 when nothing changed.

A finished body's ETag is its hash, so it changes exactly when the answer does. Streamed
answers (CSV) cannot be hashed before they are sent: their weak ETag is derived from the
state of the archive and the request instead. Last-Modified is the newest notice's
`updated_at`; a client that sends both validators is judged by the ETag (RFC 9110).
"""
from __future__ import annotations

import datetime as dt
import hashlib

from django.db.models import Count, Max
from django.http import HttpRequest, HttpResponseBase
from django.utils.cache import get_conditional_response, patch_cache_control, set_response_etag
from django.utils.http import http_date

from ..models import Issue, Measure, Notice

MAX_AGE = 300  # seconds a client or proxy may reuse an answer without asking again


def archive_last_modified() -> dt.datetime | None:
    # Over every row, those in the admin's recycle bin too: moving a notice there is a change.
    return Notice._base_manager.aggregate(latest=Max("updated_at"))["latest"]


def archive_fingerprint() -> str:
    """Changes whenever a notice, problem or measure is added, removed or edited through a notice save."""
    notices = Notice.objects.aggregate(n=Count("id"), top=Max("id"))
    issues = Issue.objects.aggregate(top=Max("id"))
    measures = Measure.objects.aggregate(top=Max("id"))
    return f"{notices['n']}.{archive_last_modified()}.{notices['top']}.{issues['top']}.{measures['top']}"


def request_etag(request: HttpRequest, *parts: str) -> str:
    """A weak ETag for an answer fixed by the archive's state and the request's URL."""
    digest = hashlib.sha256("|".join([request.get_full_path(), archive_fingerprint(), *parts]).encode())
    return f'W/"{digest.hexdigest()[:32]}"'


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
