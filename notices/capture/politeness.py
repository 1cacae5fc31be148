"""One request at a time per host, with a pause between them: how the archive treats the sites it reads.

Every request the capture path makes (robots.txt, pages, attachments, each redirect hop)
goes through a Gate's turn(host). LocalGate keeps the turns in this process (the ingest
command, the admin); DatabaseGate keeps them in PostgreSQL, for captures run by several
processes at once (background jobs): pass it to Fetcher(gate=...).
"""
from __future__ import annotations

import threading
import time
from contextlib import contextmanager
from typing import Iterator, Protocol


class Gate(Protocol):
    def turn(self, host: str) -> "contextmanager[None]":
        """Wait until `host` may be asked again, and hold it while the request runs."""


class LocalGate:
    """Turns per host within this process: one request at a time, `delay` seconds apart."""

    def __init__(self, delay: float) -> None:
        self.delay = delay
        self._locks: dict[str, threading.Lock] = {}
        self._last: dict[str, float] = {}
        self._guard = threading.Lock()

    @contextmanager
    def turn(self, host: str) -> Iterator[None]:
        with self._guard:
            lock = self._locks.setdefault(host, threading.Lock())
        with lock:
            wait = self._last.get(host, float("-inf")) + self.delay - time.monotonic()
            if wait > 0:
                time.sleep(wait)
            try:
                yield
            finally:
                self._last[host] = time.monotonic()


class DatabaseGate:
    """Turns per host shared by every process on the archive's database (workers on several machines).

    A session advisory lock on the host is held through the request and the pause after it,
    so the next request to that host, from any process, starts `delay` seconds after this
    one ended. Uses the calling thread's database connection, outside any transaction's reach.
    """

    def __init__(self, delay: float) -> None:
        self.delay = delay

    @contextmanager
    def turn(self, host: str) -> Iterator[None]:
        from django.db import connection

        key = f"capture-host:{host}"
        with connection.cursor() as cursor:
            cursor.execute("SELECT pg_advisory_lock(hashtextextended(%s, 0))", [key])
        try:
            yield
        finally:
            try:
                time.sleep(self.delay)
            finally:
                with connection.cursor() as cursor:
                    cursor.execute("SELECT pg_advisory_unlock(hashtextextended(%s, 0))", [key])
