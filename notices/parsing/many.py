"""parse_many: parse_notice over a run of files, in several processes.

Parsing is pure Python and takes about half of an ingest run's time; the other half
(storing, in this process and in PostgreSQL) can go on meanwhile. Results come back in
the order of the files, a few files ahead of what the caller has taken, so the caller
can store each one as it comes.
"""
from __future__ import annotations

import logging
import multiprocessing
from collections import deque
from concurrent.futures import ProcessPoolExecutor
from typing import Iterable, Iterator, TypeVar

from . import ocr
from .pipeline import parse_notice
from .types import ParsedNotice, ParseError

K = TypeVar("K")
logger = logging.getLogger(__name__)


def parse_many(
    files: Iterable[tuple[K, bytes, str, str | None]], processes: int = 1, ahead: int = 0
) -> Iterator[tuple[K, ParsedNotice | ParseError]]:
    """For each (key, data, filename, content_type), in order: (key, its parse or its ParseError).

    With processes > 1 the parses run in that many worker processes; `files` is read lazily,
    at most `ahead` files (at least four per process) ahead of the caller: enough to keep
    the workers busy while the caller works on what it took.
    """
    if processes <= 1:
        for key, data, filename, content_type in files:
            yield key, parse_or_error(data, filename, content_type)
        return
    # spawn, not fork: the caller may hold database connections and threads.
    context = multiprocessing.get_context("spawn")
    with ProcessPoolExecutor(processes, mp_context=context, initializer=ocr.configure,
                             initargs=(ocr.settings(),)) as pool:
        in_flight: deque = deque()
        for key, data, filename, content_type in files:
            in_flight.append((key, pool.submit(parse_or_error, data, filename, content_type)))
            if len(in_flight) >= max(ahead, 4 * processes):
                key, future = in_flight.popleft()
                yield key, future.result()
        while in_flight:
            key, future = in_flight.popleft()
            yield key, future.result()


def parse_or_error(data: bytes, filename: str, content_type: str | None) -> ParsedNotice | ParseError:
    """The parse, or why there is none: a file that trips a bug in the parser fails on its
    own, with a message and the traceback logged, and the run goes on."""
    try:
        return parse_notice(data, filename, content_type)
    except ParseError as exc:
        return exc
    except Exception as exc:  # a bug, but one file's: the rest of a long run must not be lost
        logger.exception("The parser failed on %s", filename)
        return ParseError(f"解析程序处理这个文件时出错（{type(exc).__name__}: {exc}），什么也没有保存。"
                          "请把这个文件连同本提示一起报告给维护者。")
