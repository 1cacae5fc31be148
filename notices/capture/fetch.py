"""Fetch one address the way the archive fetches: politely, within limits, every exchange recorded.

Fetcher.fetch(url) either returns a Fetched (every request and response on the way, in
order: redirect hops, then the answer, with the bytes exactly as they came) or raises
FetchError with a sentence in Chinese saying what went wrong and what to do.

1. The address must be http(s); robots.txt of its site is read once per Fetcher
   (401/403 forbid everything, other errors allow everything, as the standard library reads it).
2. Each request waits for its turn at the host (politeness.Gate) and is timed out.
3. Timeouts, failed connections and 5xx answers are retried, a bounded number of
   times, waiting longer each time; other answers are final.
4. Redirects are followed one hop at a time (bounded), each hop checked against robots.txt.
5. The body is streamed and abandoned the moment it passes the size cap files have.
"""
from __future__ import annotations

import posixpath
import time
import zlib
from dataclasses import dataclass
from datetime import datetime, timezone
from urllib.parse import unquote, urlsplit
from urllib.robotparser import RobotFileParser

import httpx
from django.conf import settings

from .politeness import Gate, LocalGate

ROBOTS_AGENT = "RectificationNoticeArchive"
# The body may take this many timeouts in all, however steadily it trickles in.
BODY_DEADLINE_TIMEOUTS = 3
RETRIED_STATUSES = frozenset({500, 502, 503, 504})
REDIRECTS = frozenset({301, 302, 303, 307, 308})


@dataclass(frozen=True)
class FetchPolicy:
    user_agent: str
    timeout: float
    retries: int
    backoff: float  # seconds before the first retry; doubled for each next one
    max_redirects: int
    max_bytes: int
    delay: float  # seconds between two requests to one host

    @classmethod
    def from_settings(cls, **overrides) -> "FetchPolicy":
        contact = settings.ARCHIVE_CAPTURE_CONTACT
        values = dict(
            user_agent=f"{ROBOTS_AGENT}/1.0 (+{contact})" if contact else f"{ROBOTS_AGENT}/1.0",
            timeout=settings.ARCHIVE_CAPTURE_TIMEOUT,
            retries=settings.ARCHIVE_CAPTURE_RETRIES,
            backoff=settings.ARCHIVE_CAPTURE_BACKOFF,
            max_redirects=settings.ARCHIVE_CAPTURE_MAX_REDIRECTS,
            max_bytes=settings.ARCHIVE_MAX_UPLOAD_BYTES,
            delay=settings.ARCHIVE_CAPTURE_DELAY,
        )
        values.update(overrides)
        return cls(**values)


@dataclass(frozen=True)
class Exchange:
    """One request and its response, as sent and received (the body before any decoding)."""

    url: str
    request_headers: tuple[tuple[str, str], ...]
    status: int
    reason: str
    http_version: str
    response_headers: tuple[tuple[str, str], ...]
    raw_body: bytes
    at: datetime

    def header(self, name: str) -> str:
        return next((v for k, v in self.response_headers if k.lower() == name.lower()), "")


@dataclass(frozen=True)
class Fetched:
    url: str  # as asked for
    exchanges: tuple[Exchange, ...]  # the redirect hops, then the answer
    body: bytes  # the answer's body, content-encoding undone

    @property
    def answer(self) -> Exchange:
        return self.exchanges[-1]

    @property
    def final_url(self) -> str:
        return self.answer.url

    @property
    def retrieved_at(self) -> datetime:
        return self.answer.at

    @property
    def content_type(self) -> str:
        return self.answer.header("content-type").split(";")[0].strip().lower()

    @property
    def filename(self) -> str:
        """A file name for the body: the last part of its address, or the host's for a bare one."""
        parts = urlsplit(self.final_url)
        name = unquote(posixpath.basename(parts.path))
        if not name:
            name = parts.hostname or "page"
        if "." not in name and "html" in self.content_type:
            name += ".html"
        return name


class FetchError(Exception):
    """A fetch that failed; `reason` is a short code, str() a sentence in Chinese for the user."""

    def __init__(self, reason: str, message: str, url: str) -> None:
        super().__init__(message)
        self.reason = reason
        self.url = url


class _Retry(Exception):
    def __init__(self, error: FetchError) -> None:
        self.error = error


class Fetcher:
    """Fetches addresses under one FetchPolicy and one Gate; reuse one for a run of many."""

    def __init__(self, policy: FetchPolicy | None = None, gate: Gate | None = None) -> None:
        self.policy = policy or FetchPolicy.from_settings()
        self.gate = gate or LocalGate(self.policy.delay)
        self.client = httpx.Client(
            timeout=self.policy.timeout,
            follow_redirects=False,
            # Identity, so that what is archived is the body as served, and no decoder is needed.
            headers={"User-Agent": self.policy.user_agent, "Accept-Encoding": "identity"},
        )
        self._robots: dict[str, RobotFileParser] = {}

    def close(self) -> None:
        self.client.close()

    def __enter__(self) -> "Fetcher":
        return self

    def __exit__(self, *exc) -> None:
        self.close()

    def fetch(self, url: str) -> Fetched:
        exchanges: list[Exchange] = []
        current = _checked_url(url)
        while True:
            self._check_robots(current, url)
            exchange = self._with_retries(current)
            exchanges.append(exchange)
            location = exchange.header("location")
            if exchange.status in REDIRECTS and location:
                if len(exchanges) > self.policy.max_redirects:
                    raise FetchError("redirects", (
                        f"{url} 跳转次数过多（超过 {self.policy.max_redirects} 次），已停止。"
                        "请在浏览器中打开它，复制最终的网址再试。"), url)
                current = _checked_url(str(httpx.URL(current).join(location)))
                continue
            if exchange.status == 404:
                raise FetchError("not_found", f"{current} 返回 404：网页不存在。请核对网址是否完整、正确。", url)
            if exchange.status >= 400:
                raise FetchError("http_error", (
                    f"{current} 返回 HTTP {exchange.status}，未能取得网页。请核对网址，或稍后再试。"), url)
            return Fetched(url, tuple(exchanges), decoded_body(exchange, self.policy.max_bytes, url))

    def _with_retries(self, url: str) -> Exchange:
        attempts = self.policy.retries + 1
        for attempt in range(attempts):
            if attempt:
                time.sleep(self.policy.backoff * 2 ** (attempt - 1))
            try:
                exchange = self._exchange(url)
            except _Retry as retry:
                if attempt + 1 == attempts:
                    raise retry.error from None
                continue
            if exchange.status in RETRIED_STATUSES and attempt + 1 < attempts:
                continue
            if exchange.status in RETRIED_STATUSES:
                raise FetchError("http_error", (
                    f"{url} 的网站出错（HTTP {exchange.status}），重试 {self.policy.retries} 次仍未成功。"
                    "请稍后再试。"), url)
            return exchange
        raise AssertionError("unreachable")

    def _exchange(self, url: str) -> Exchange:
        """One request through the host's gate, the body streamed under the size cap."""
        policy = self.policy
        host = httpx.URL(url).host
        with self.gate.turn(host):
            at = datetime.now(timezone.utc)
            started = time.monotonic()
            try:
                with self.client.stream("GET", url) as response:
                    declared = response.headers.get("content-length", "")
                    if declared.isdigit() and int(declared) > policy.max_bytes:
                        raise _too_large(url, policy.max_bytes)
                    chunks, size = [], 0
                    for chunk in response.iter_raw():
                        size += len(chunk)
                        if size > policy.max_bytes:
                            raise _too_large(url, policy.max_bytes)
                        if time.monotonic() - started > policy.timeout * BODY_DEADLINE_TIMEOUTS:
                            raise httpx.ReadTimeout("body too slow")
                        chunks.append(chunk)
            except httpx.TimeoutException:
                raise _Retry(FetchError("timeout", (
                    f"时间超时：{url} 在 {policy.timeout:g} 秒内没有回应，重试 {policy.retries} 次仍然如此。"
                    "请稍后再试，或先确认这个网址能在浏览器中打开。"), url)) from None
            except httpx.TransportError as exc:
                raise _Retry(FetchError("connection", (
                    f"无法连接 {host}（{type(exc).__name__}）。请核对网址，或稍后再试。"), url)) from None
        return Exchange(
            url=url,
            request_headers=tuple(response.request.headers.multi_items()),
            status=response.status_code,
            reason=response.reason_phrase,
            http_version=response.http_version,
            response_headers=tuple(response.headers.multi_items()),
            raw_body=b"".join(chunks),
            at=at,
        )

    def _check_robots(self, url: str, asked: str) -> None:
        parsed = httpx.URL(url)
        origin = f"{parsed.scheme}://{parsed.netloc.decode('ascii')}"
        robots = self._robots.get(origin)
        if robots is None:
            robots = self._robots[origin] = self._read_robots(origin)
        if not robots.can_fetch(ROBOTS_AGENT, url):
            raise FetchError("robots", (
                f"robots.txt 不允许抓取 {url}：这个网站不希望此地址被程序抓取，所以没有抓取。"
                "如确需收录，请在浏览器中打开并保存网页，再以文件上传。"), asked)

    def _read_robots(self, origin: str) -> RobotFileParser:
        robots = RobotFileParser(origin + "/robots.txt")
        try:
            exchange = self._with_retries(origin + "/robots.txt")
        except FetchError:
            exchange = None
        if exchange is None or exchange.status >= 400 and exchange.status not in (401, 403):
            robots.allow_all = True
        elif exchange.status in (401, 403):
            robots.disallow_all = True
        else:
            robots.parse(exchange.raw_body.decode("utf-8", "replace").splitlines())
        return robots


def _checked_url(url: str) -> str:
    try:
        parsed = httpx.URL(url.strip())
    except (httpx.InvalidURL, TypeError):
        parsed = None
    if parsed is None or parsed.scheme not in ("http", "https") or not parsed.host:
        raise FetchError("bad_url", f"“{url}”不是有效的网址：请给出以 http:// 或 https:// 开头的完整网址。", url)
    return str(parsed)


def _too_large(url: str, limit: int) -> FetchError:
    return FetchError("too_large", (
        f"文件过大：{url} 超过 {limit / 1048576:g} MB 的上限，没有保存。请确认这个网址就是通报本身。"), url)


def decoded_body(exchange: Exchange, limit: int, url: str) -> bytes:
    """The body with its content-encoding undone (servers may compress even when asked not to)."""
    encoding = exchange.header("content-encoding").strip().lower()
    if encoding in ("", "identity"):
        return exchange.raw_body
    if encoding not in ("gzip", "x-gzip", "deflate"):
        raise FetchError("encoding", f"{url} 以 {encoding} 压缩，无法解开。请在浏览器中保存网页，再以文件上传。", url)
    inflater = zlib.decompressobj(zlib.MAX_WBITS | 32 if "gzip" in encoding else zlib.MAX_WBITS)
    try:
        body = inflater.decompress(exchange.raw_body, limit + 1)
    except zlib.error:
        raise FetchError("encoding", f"{url} 的压缩内容已损坏，无法解开。请稍后再试。", url) from None
    if len(body) > limit:
        raise _too_large(url, limit)
    return body
