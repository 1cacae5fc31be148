"""OCR for scanned pages: the decoders' way to read a page image (decoders/image.py, pdf.py).

    settings        the limits and the engine (OcrSettings), set once per process by configure()
    read_page()     one page image -> OcrPage, through the cache: the same bytes are never read twice
    PageBudget      the per-file page and time limits, with the refusals past them
    layout.py       an OcrPage -> rows in reading order for pdfrows.join_rows, tilt undone
    engine.py       the engines behind one interface (RapidOCR; Tesseract for comparison)
    cache.py        OCR text on disk keyed by the file's sha256, the page and the engine version

Pure Python like the rest of parsing/: Django's settings reach it through configure()
(notices/apps.py), and parse_many hands them to its worker processes.
"""
from __future__ import annotations

import time
from contextvars import ContextVar
from dataclasses import dataclass, replace
from typing import Callable

from ..types import OcrNote, ParseError
from .cache import OcrCache
from .engine import OcrLine, engine


@dataclass(frozen=True)
class OcrSettings:
    engine: str = "rapidocr"
    threads: int = 0  # ONNX Runtime's threads; 0: one per core
    dpi: int = 200  # a PDF page is rendered at this resolution to be read
    max_pages: int = 60  # pages to OCR in one file, at most
    max_seconds: float = 900.0  # OCR time for one file, at most
    cache_dir: str | None = None  # None: no cache (each process reads again)
    low_confidence: float = 0.85  # lines read with less are marked on the notice page


@dataclass(frozen=True)
class OcrPage:
    """One page as OCR read it: the image size in pixels, its resolution, its lines."""

    width: int
    height: int
    dpi: float
    lines: tuple[OcrLine, ...]


_settings = OcrSettings()
# Called with (pages done, pages to do, file name) before the first page (0 done) and after
# each page: the command line's bar, a job's line on the 任务 page. A context variable, not a
# global: a worker runs jobs, and the web server requests, in threads of one process.
_progress: ContextVar[Callable[[int, int, str], None] | None] = ContextVar("ocr_progress", default=None)


class Stop(BaseException):
    """What a progress callback raises to stop reading a file between two pages (a cancelled
    job; a request handing a long scan to a worker). Not an Exception: the catch-alls that
    turn a broken file into a refusal must let it through, as they do KeyboardInterrupt."""


def configure(settings: OcrSettings | None = None, **changes) -> OcrSettings:
    """Set this process's OCR settings (whole, or some fields); returns the previous ones."""
    global _settings
    previous = _settings
    _settings = replace(settings or _settings, **changes)
    return previous


def set_progress(callback: Callable[[int, int, str], None] | None):
    """Call `callback` before the first and after each page OCR reads in this thread (and
    its context); returns the previous one."""
    previous = _progress.get()
    _progress.set(callback)
    return previous


def progress_callback() -> Callable[[int, int, str], None] | None:
    """The callback set_progress() set in this context, if any."""
    return _progress.get()


def settings() -> OcrSettings:
    return _settings


def engine_version() -> str:
    return engine(_settings.engine, _settings.threads).version


class PageBudget:
    """The page and time limits of one file: check() before each page it OCRs."""

    def __init__(self, name: str, pages: int):
        self.name, self.pages, self.done = name, pages, 0
        self.started = time.monotonic()
        if pages > _settings.max_pages:
            raise ParseError(
                f"{name} 有 {pages} 页需要文字识别(OCR)，超过每个文件 {_settings.max_pages} 页的上限；"
                "请只提交通报本身的页面，或请管理员调高 ARCHIVE_OCR_MAX_PAGES 后重试。"
            )
        self._report()

    def check(self) -> None:
        elapsed = time.monotonic() - self.started
        if elapsed > _settings.max_seconds:
            raise ParseError(
                f"{name_or(self.name)} 的文字识别(OCR)超过了每个文件 {_settings.max_seconds:.0f} 秒的上限"
                f"（已识别 {self.done}/{self.pages} 页）；请分成较小的文件，或请管理员调高 "
                "ARCHIVE_OCR_MAX_SECONDS 后重试。"
            )

    def page_done(self) -> None:
        self.done += 1
        self._report()

    def _report(self) -> None:
        callback = _progress.get()
        if callback is not None:
            callback(self.done, self.pages, self.name)


def name_or(name: str) -> str:
    return name or "该文件"


def read_page(image, digest: str, page: str, dpi: float) -> OcrPage:
    """OCR one page image of the file whose sha256 is `digest`; `page` names the page in the
    file (its number, and for a rendered PDF page its resolution)."""
    cache = OcrCache(_settings.cache_dir) if _settings.cache_dir else None
    version = engine_version()
    if cache is not None:
        stored = cache.get(digest, version, page)
        if stored is not None:
            return stored
    lines = engine(_settings.engine, _settings.threads).read(image)
    result = OcrPage(image.width, image.height, dpi, tuple(lines))
    if cache is not None:
        cache.put(digest, version, page, result)
    return result


def note_of(read: list[tuple[int, OcrPage]]) -> OcrNote:
    """What the notice keeps of the OCR: the pages, and every line with its confidence, in
    the order of the page (top to bottom, then left to right)."""
    lines = []
    for number, page in read:
        for line in sorted(page.lines, key=lambda line: (round(min(y for _, y in line.box) / 8), line.box[0][0])):
            lines.append((number + 1, line.text, line.confidence))
    return OcrNote(engine=engine_version(), pages=tuple(number + 1 for number, _ in read), lines=tuple(lines),
                   low_confidence=settings().low_confidence)


__all__ = ["OcrLine", "OcrPage", "OcrSettings", "PageBudget", "Stop", "configure", "engine_version", "note_of", "read_page", "settings"]
