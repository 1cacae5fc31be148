"""The reading room's pages served once per URL and state of the archive, and a 304 to a reader who has it.

Public pages show the same to everyone (no account, form token or message on them), so a
rendered page is kept by its URL and the archive's fingerprint: any write through a notice
changes the fingerprint, so a page is never older than the archive it shows (a `reindex`,
which changes topics without touching notices, shows after PAGE_TIMEOUT, as on the home page).
Under 50 readers at 20,000 notices, rendering the same search and notice pages again and
again was most of the work. Pages are kept gzipped, in the cache every web process reads
(settings.CACHES: files), which holds a bounded number of them whatever the archive's size.
"""
from __future__ import annotations

import gzip
import re
from functools import wraps

from django.core.cache import cache
from django.http import HttpResponse
from django.utils.cache import get_conditional_response, patch_cache_control, patch_vary_headers

from ..opendata.caching import one_state, state_digest

PAGE_TIMEOUT = 300  # seconds; also how long a reindex may take to show
MAX_CACHED_BYTES = 2 * 1024 * 1024  # larger pages (none so far) are rendered each time
ACCEPTS_GZIP = re.compile(r"\bgzip\b")


def cached_page(view):
    """Decorate a public view: GET and HEAD are answered from the cache, with an ETag and 304s."""

    @wraps(view)
    def serve(request, *args, **kwargs):
        if request.method not in ("GET", "HEAD"):
            return view(request, *args, **kwargs)
        with one_state():  # the page's key and the counts it keeps (units.count): one reading of the state
            return served(request, *args, **kwargs)

    def served(request, *args, **kwargs):
        digest = state_digest(request.get_full_path())
        etag = f'W/"{digest}"'
        kept = cache.get("page:" + digest)
        if kept is None:
            response = view(request, *args, **kwargs)
            if hasattr(response, "render") and not response.is_rendered:
                response.render()
            if response.status_code != 200 or response.streaming or len(response.content) > MAX_CACHED_BYTES:
                return response
            kept = (gzip.compress(response.content, 6, mtime=0), response["Content-Type"])
            cache.set("page:" + digest, kept, PAGE_TIMEOUT)
        body, content_type = kept
        if ACCEPTS_GZIP.search(request.headers.get("Accept-Encoding", "")):
            response = HttpResponse(body, content_type=content_type)
            response["Content-Encoding"] = "gzip"
        else:
            response = HttpResponse(gzip.decompress(body), content_type=content_type)
        patch_vary_headers(response, ["Accept-Encoding"])
        response["ETag"] = etag
        # The reader's browser asks each time (a 304 costs a fingerprint); it never shows an old page.
        patch_cache_control(response, public=True, no_cache=True)
        return get_conditional_response(request, etag=etag, response=response)

    return serve
