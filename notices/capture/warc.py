"""A capture's HTTP exchanges as a WARC file (ISO 28500), which web archivists' tools replay and verify.

Each exchange gives a response record (status line, headers, body exactly as received)
and a request record (the headers the archive sent) naming it as concurrent, in the
order they happened: redirect hops, the page, then any attachment fetched for it.
"""
from __future__ import annotations

from datetime import datetime, timezone
from io import BytesIO
from typing import Iterable

import httpx
from warcio.archiveiterator import ArchiveIterator
from warcio.statusandheaders import StatusAndHeaders
from warcio.warcwriter import WARCWriter

from .fetch import Exchange, Fetched

WARC_CONTENT_TYPE = "application/warc"


def warc_of(fetches: Iterable[Fetched]) -> bytes:
    """The gzipped WARC of every exchange of `fetches`, one gzip member per record."""
    out = BytesIO()
    writer = WARCWriter(out, gzip=True)
    for fetched in fetches:
        for exchange in fetched.exchanges:
            _write_exchange(writer, exchange)
    return out.getvalue()


def _write_exchange(writer: WARCWriter, exchange: Exchange) -> None:
    date = {"WARC-Date": exchange.at.strftime("%Y-%m-%dT%H:%M:%SZ")}
    response = writer.create_warc_record(
        exchange.url, "response",
        payload=BytesIO(exchange.raw_body),
        length=len(exchange.raw_body),
        http_headers=StatusAndHeaders(
            f"{exchange.status} {exchange.reason}", list(exchange.response_headers), protocol=exchange.http_version
        ),
        warc_headers_dict=dict(date),
    )
    url = httpx.URL(exchange.url)
    target = url.raw_path.decode("ascii")
    request = writer.create_warc_record(
        exchange.url, "request",
        http_headers=StatusAndHeaders(
            f"GET {target} {exchange.http_version}", list(exchange.request_headers), is_http_request=True
        ),
        warc_headers_dict={**date, "WARC-Concurrent-To": response.rec_headers.get_header("WARC-Record-ID")},
    )
    writer.write_record(response)
    writer.write_record(request)


def fetched_in(warc: bytes, max_bytes: int) -> list[Fetched]:
    """The fetches a capture's WARC records, rebuilt as fetch.py returned them (a redirect hop
    goes on to the next exchange; any other answer ends a fetch): how a capture staged for
    review in the admin is stored later without fetching again."""
    from .fetch import REDIRECTS, decoded_body

    requests, responses = {}, []
    for record in ArchiveIterator(BytesIO(warc)):  # a record's body can be read only while it is current
        if record.rec_type == "request":
            requests[record.rec_headers.get_header("WARC-Concurrent-To")] = tuple(record.http_headers.headers)
        elif record.rec_type == "response":
            responses.append((record.rec_headers, record.http_headers, record.raw_stream.read()))
    fetches, chain = [], []
    for rec_headers, http, body in responses:
        status, _, reason = http.statusline.partition(" ")
        exchange = Exchange(
            url=rec_headers.get_header("WARC-Target-URI"),
            request_headers=requests.get(rec_headers.get_header("WARC-Record-ID"), ()),
            status=int(status), reason=reason, http_version=http.protocol or "HTTP/1.1",
            response_headers=tuple(http.headers), raw_body=body,
            at=datetime.strptime(rec_headers.get_header("WARC-Date"), "%Y-%m-%dT%H:%M:%SZ").replace(tzinfo=timezone.utc),
        )
        chain.append(exchange)
        if not (exchange.status in REDIRECTS and exchange.header("location")):
            fetches.append(Fetched(chain[0].url, tuple(chain), decoded_body(exchange, max_bytes, chain[0].url)))
            chain = []
    return fetches


def responses_in(warc: bytes) -> list[tuple[str, int, bytes]]:
    """(target address, status, body) of each response record: how a reader replays a capture."""
    found = []
    for record in ArchiveIterator(BytesIO(warc)):
        if record.rec_type == "response":
            status = int(record.http_headers.get_statuscode())
            found.append((record.rec_headers.get_header("WARC-Target-URI"), status, record.raw_stream.read()))
    return found
