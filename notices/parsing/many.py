"""parse_many: parse_notice over a run of files, in several processes.

Parsing is pure Python and takes about half of an ingest run's time; the other half
(storing, in this process and in PostgreSQL) can go on meanwhile. Results come back in
the order of the files, a few files ahead of what the caller has taken, so the caller
can store each one as it comes.
"""
from __future__ import annotations

import logging
import multiprocessing
import os
import signal
import threading
import time
from collections import deque
from concurrent.futures import ProcessPoolExecutor
from typing import Iterable, Iterator, TypeVar

from . import ocr
from .decode import MAX_TEXT_CHARS
from .pipeline import parse_notice
from .types import ParsedNotice, ParseError

K = TypeVar("K")
logger = logging.getLogger(__name__)


def parse_many(
    files: Iterable[tuple[K, bytes, str, str | None]], processes: int = 1, ahead: int = 0, *,
    ahead_bytes: int = 32 * 1024 * 1024, max_chars: int = MAX_TEXT_CHARS,
) -> Iterator[tuple[K, ParsedNotice | ParseError]]:
    """For each (key, data, filename, content_type), in order: (key, its parse or its ParseError).

    With processes > 1 the parses run in that many worker processes; `files` is read lazily,
    at most `ahead` files (at least four per process) and about `ahead_bytes` bytes ahead
    of the caller: enough to keep the workers busy while the caller works on what it took,
    and no more memory however many or large the files are.
    """
    if processes <= 1:
        for key, data, filename, content_type in files:
            yield key, parse_or_error(data, filename, content_type, max_chars)
        return
    # spawn, not fork: the caller may hold database connections and threads.
    context = multiprocessing.get_context("spawn")
    pages = _PageReports(context)
    with pages, ProcessPoolExecutor(processes, mp_context=context, initializer=start_worker,
                                    initargs=(os.getpid(), ocr.settings(), pages.queue)) as pool:
        in_flight: deque = deque()
        held = 0  # bytes of the files in flight
        for key, data, filename, content_type in files:
            in_flight.append((key, len(data), pool.submit(parse_or_error, data, filename, content_type, max_chars)))
            held += len(data)
            while in_flight and (len(in_flight) >= max(ahead, 4 * processes) or held > ahead_bytes):
                key, size, future = in_flight.popleft()
                held -= size
                yield key, future.result()
        while in_flight:
            key, _, future = in_flight.popleft()
            yield key, future.result()


def start_worker(parent: int, ocr_settings, pages=None) -> None:
    """A parsing process's set-up: it dies with its parent, reads scans as the parent would, and
    sends the pages it OCRs to `pages` (a queue) when the parent wants to show them."""
    die_with_parent(parent)
    ocr.configure(ocr_settings)
    if pages is not None:
        ocr.set_progress(lambda done, total, name: pages.put((done, total, name)))


class _PageReports:
    """The caller's OCR progress callback, called with the pages its worker processes read: they
    put each page on a queue, a thread here hands it on. Nothing at all when no callback is set.
    A report only: a callback that raises (to stop) cannot stop another process's page."""

    def __init__(self, context):
        self.callback = ocr.progress_callback()
        self.queue = context.SimpleQueue() if self.callback is not None else None
        self._thread = None

    def __enter__(self):
        if self.queue is not None:
            self._thread = threading.Thread(target=self._hand_on, name="ocr-pages", daemon=True)
            self._thread.start()
        return self

    def _hand_on(self) -> None:
        while (page := self.queue.get()) is not None:
            try:
                self.callback(*page)
            except BaseException:  # noqa: BLE001 - a bar that fails must not end the run
                logger.exception("the OCR progress callback failed")

    def __exit__(self, *exc) -> None:
        if self._thread is not None:
            self.queue.put(None)  # after the pool has shut down: every page is on the queue before it
            self._thread.join()


def die_with_parent(parent: int) -> None:
    """In a worker: exit as soon as the process that started it is gone.

    A worker waits on its task queue, whose pipe it holds both ends of, so it never learns
    that the parent died (kill -9, out of memory): without this it would wait forever.
    Linux can say so at once (PR_SET_PDEATHSIG); a thread that watches the parent's pid
    covers the other systems, and the moment before prctl took effect.
    """
    try:
        import ctypes

        ctypes.CDLL(None, use_errno=True).prctl(1, signal.SIGKILL)  # 1: PR_SET_PDEATHSIG
    except (OSError, AttributeError):
        pass

    def watch() -> None:
        while os.getppid() == parent:
            time.sleep(0.5)
        os._exit(1)

    threading.Thread(target=watch, name="die-with-parent", daemon=True).start()


def parse_or_error(data: bytes, filename: str, content_type: str | None,
                   max_chars: int = MAX_TEXT_CHARS) -> ParsedNotice | ParseError:
    """The parse, or why there is none: a file that trips a bug in the parser fails on its
    own, with a message and the traceback logged, and the run goes on."""
    try:
        return parse_notice(data, filename, content_type, max_chars=max_chars)
    except ParseError as exc:
        return exc
    except Exception as exc:  # a bug, but one file's: the rest of a long run must not be lost
        logger.exception("The parser failed on %s", filename)
        return ParseError(f"解析程序处理这个文件时出错（{type(exc).__name__}: {exc}），什么也没有保存。"
                          "请把这个文件连同本提示一起报告给维护者。")
