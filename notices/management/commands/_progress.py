"""Progress and the closing summary shared by the ingest and reparse commands."""
from __future__ import annotations

from collections import Counter
from contextlib import contextmanager
from typing import Iterator, TypeVar

T = TypeVar("T")

ORDER = ("new", "updated", "unchanged", "linked", "parsed", "skipped", "refused", "failed")


class Report:
    """A progress bar on a terminal, a line per file otherwise (logs, CI); then a summary.

    Each failure is listed at the end with its file and the reason, so that a long run's
    problems are not lost in the scroll.
    """

    def __init__(self, stream, *, quiet: bool = False) -> None:
        self.stream = stream
        self.quiet = quiet
        self.tty = bool(getattr(stream, "isatty", lambda: False)())
        self.counts: Counter[str] = Counter()
        self.failures: list[tuple[str, str]] = []
        self._bar = None
        self._seen = 0
        self._total = 0
        self._ocr_bar = None

    def track(self, items: list[T]) -> Iterator[T]:
        self._total = max(self._total, self._seen) + len(items)  # missing files reported first; files, then addresses
        if self.tty and not self.quiet:
            from tqdm import tqdm

            # tqdm needs the raw stream: Django's OutputWrapper adds a newline to every write.
            self._bar = tqdm(items, file=getattr(self.stream, "_out", self.stream), unit="file", dynamic_ncols=True)
            yield from self._bar
            self._bar.close()
        else:
            yield from items

    # The Progress protocol (notices/jobs/progress.py), so work written once runs here or in a job.
    def start(self, total: int) -> None:
        self._total = total
        if self.tty and not self.quiet:
            from tqdm import tqdm

            self._bar = tqdm(total=total, file=getattr(self.stream, "_out", self.stream), unit="file", dynamic_ncols=True)

    def begin(self, item: str) -> None:
        pass

    def end(self, item: str, outcome: str, reason: str = "") -> None:
        self.add(outcome, item, reason)
        if self._bar is not None:
            self._bar.update(1)

    def add(self, outcome: str, name: str, message: str = "") -> None:
        self._seen += 1
        self.counts[outcome] += 1
        if outcome == "failed":
            self.failures.append((name, message))
        if self.quiet:
            return
        line = f"[{self._seen}/{self._total}] {outcome}: {name}" + (f" — {message}" if message else "")
        if self._bar is not None:
            if outcome == "failed":
                self._bar.write(line, file=getattr(self.stream, "_out", self.stream))
        else:
            self.stream.write(line)

    def unreported(self) -> int:
        """Files of the run not reported yet (when it stops early: neither stored nor refused)."""
        return max(self._total - self._seen, 0)

    def ocr_page(self, done: int, total: int, name: str) -> None:
        """A page of `name` read by OCR (parsing/ocr/ calls this): a second bar on a
        terminal, a line per page otherwise; pages read in parse_many's worker processes come here too
        (from a thread), so two files read at once take turns on the bar."""
        if self.quiet:
            return
        out = getattr(self.stream, "_out", self.stream)
        if not self.tty:
            if done:
                self.stream.write(f"  OCR {name}: page {done}/{total}")
            return
        from tqdm import tqdm

        desc = f"OCR {name}"
        if self._ocr_bar is None or done == 0 or self._ocr_bar.desc != desc:  # 0 done: a file's first page is next
            if self._ocr_bar is not None:
                self._ocr_bar.close()
            self._ocr_bar = tqdm(total=total, desc=desc, unit="页", file=out, position=1, leave=False,
                                 dynamic_ncols=True)
        self._ocr_bar.update(done - self._ocr_bar.n)
        if done >= total:
            self._ocr_bar.close()
            self._ocr_bar = None

    @contextmanager
    def showing_ocr(self):
        """Report the pages OCR reads while the block runs (in this process and in parse_many's workers)."""
        from notices.parsing import set_ocr_progress

        previous = set_ocr_progress(self.ocr_page)
        try:
            yield
        finally:
            set_ocr_progress(previous)

    def count(self, outcome: str) -> int:
        return self.counts[outcome]

    def print_summary(self) -> None:
        if self._bar is not None:
            self._bar.close()
            self._bar = None
        parts = [f"{self.counts[o]} {o}" for o in ORDER if self.counts[o] or o == "failed"]
        self.stream.write("Summary: " + ", ".join(parts))
        for name, message in self.failures:
            self.stream.write(f"  failed: {name}: {message}")
