"""python manage.py ingest PATH|URL... : parse notice files, or capture notices from web addresses, and store
them (or, with --dry-run, print the parse)."""
from __future__ import annotations

import json
import mimetypes
import os
import sys
from concurrent.futures.process import BrokenProcessPool
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError
from django.db import InterfaceError, OperationalError

from notices.parsing import MAX_BYTES, ParseError, parse_many, too_large
from notices.parsing.types import METADATA_FIELDS

from ._progress import Report


def is_address(arg: str) -> bool:
    return arg.lower().startswith(("http://", "https://"))


def read_address_list(path: str) -> list[str]:
    """The addresses in a file, one a line; blank lines and lines starting with # are skipped."""
    try:
        lines = Path(path).read_text(encoding="utf-8-sig").splitlines()
    except (OSError, UnicodeDecodeError) as exc:
        raise CommandError(f"Cannot read the address list {path} ({exc}); give a UTF-8 text file, one address a line.")
    return [line.strip() for line in lines if line.strip() and not line.lstrip().startswith("#")]


def collect_files(paths: list[str]) -> tuple[list[Path], list[str]]:
    """Files named, and every file under folders named (recursively), skipping hidden ones; and the paths that do not exist."""
    found: list[Path] = []
    missing: list[str] = []
    for raw in paths:
        path = Path(raw)
        if path.is_dir():
            found.extend(
                p for p in sorted(path.rglob("*"))
                if p.is_file() and not any(part.startswith(".") for part in p.relative_to(path).parts)
            )
        elif path.is_file():
            found.append(path)
        else:
            missing.append(raw)
    return found, missing


# Below this many files, starting worker processes costs more than it saves.
PARALLEL_MIN_FILES = 20
# Storing, in this process, is the longest path once two or three processes parse: more
# only take memory (each loads the parser's tables).
MAX_DEFAULT_WORKERS = 4


class Command(BaseCommand):
    help = ("Parse rectification notices (text, web pages, .docx, .pdf, scans and photos, read by OCR) "
            "and store them in the archive.")

    def add_arguments(self, parser):
        parser.add_argument("paths", nargs="*", help="notice files, folders to read recursively, or web addresses (http[s]://)")
        parser.add_argument("--urls", metavar="FILE", help="a text file of web addresses to capture, one a line")
        parser.add_argument("--force", action="store_true", help="re-parse files the archive already holds")
        parser.add_argument("--dry-run", action="store_true", help="parse only; touch no database")
        parser.add_argument("--json", action="store_true", dest="as_json", help="with --dry-run: print each parse as a JSON line")
        parser.add_argument("--explain", action="store_true", help=(
            "with --dry-run: say for each metadata field which rule and which line gave it "
            "(an \"explain\" object in each JSON line)"))
        parser.add_argument("--workers", type=int, help=(
            "processes that parse while this one stores (default: one per core, at most "
            f"{MAX_DEFAULT_WORKERS}, from {PARALLEL_MIN_FILES} files on)"))
        parser.add_argument("--queue", action="store_true", help=(
            "hand the files to the workers (manage.py worker, on any machine) and return at once; "
            "the bytes travel through the database"))

    def handle(self, *args, paths, urls, force, dry_run, as_json, explain, workers, queue, **options):
        if explain and not dry_run:
            raise CommandError("--explain goes with --dry-run: add --dry-run to see why each field has its value.")
        self.explain = explain
        addresses = [p for p in paths if is_address(p)] + (read_address_list(urls) if urls else [])
        files, missing = collect_files([p for p in paths if not is_address(p)])
        if not files and not missing and not addresses:
            raise CommandError("No files found under the paths given, and no web addresses.")
        if queue:
            return self.queue(files, missing, addresses, force=force, dry_run=dry_run)
        if workers is None:
            workers = min(os.cpu_count() or 1, MAX_DEFAULT_WORKERS) if len(files) >= PARALLEL_MIN_FILES else 1
        elif workers < 1:
            raise CommandError("--workers must be 1 or more.")
        self.workers = workers
        report = Report(self.stderr, quiet=dry_run and as_json)
        for raw in missing:
            report.add("failed", raw, "no such file or folder.")
        try:
            with report.showing_ocr():
                if dry_run:
                    self.dry_run(files, report, as_json=as_json)
                    self.dry_run_addresses(addresses, report, as_json=as_json)
                else:
                    if files:
                        self.store(files, report, force=force)
                    self.capture(addresses, report)
        except BrokenProcessPool as exc:
            report.print_summary()
            raise CommandError(
                "A parsing process died (out of memory, or killed) before the run ended. What the summary "
                "counts as new is stored; run the same command again, with --workers 1 if it happens again."
            ) from exc
        except (OperationalError, InterfaceError) as exc:
            report.print_summary()
            reason = str(exc).strip().splitlines()[0] if str(exc).strip() else type(exc).__name__
            raise CommandError(
                f"The database stopped answering before the run ended ({reason}). What the summary counts as "
                f"new or updated is stored; the other {report.unreported()} files are not. Once the database "
                "is back, run the same command again: files already stored are reported unchanged."
            ) from None
        report.print_summary()
        if report.count("failed"):
            sys.exit(1)

    def dry_run(self, files: list[Path], report: Report, *, as_json: bool) -> None:
        from django.conf import settings

        parses = parse_many(self.read(report.track(files), report), self.workers,
                            max_chars=settings.ARCHIVE_MAX_TEXT_CHARS)
        for path, parsed in parses:
            if isinstance(parsed, ParseError):
                report.add("failed", str(path), str(parsed))
                if as_json:
                    self.stdout.write(json.dumps({"file": str(path), "error": str(parsed)}, ensure_ascii=False))
                continue
            report.add("parsed", str(path))
            if as_json:
                self.stdout.write(json.dumps({**parsed.to_json(file=str(path), explain=self.explain), "source": None},
                                            ensure_ascii=False))
                continue
            meta = parsed.metadata
            self.stdout.write(f"{path}: {meta.title or '（无标题）'} — {len(parsed.issues)} top-level issues")
            if self.explain:
                self.write_explanation(parsed)

    def write_explanation(self, parsed) -> None:
        """One line per metadata field: its value, the rule that gave it and the line it read."""
        record = parsed.to_json(explain=True)
        for name in METADATA_FIELDS:
            why = record["explain"].get(name)
            value = record[name]
            reason = f"{why['rule']}: {why['line']}" if why else ("nothing in the text states it" if value is None else "")
            self.stdout.write(f"  {name}: {value if value is not None else '—'}  ← {reason}".rstrip(" ←"))

    def store(self, files: list[Path], report: Report, *, force: bool) -> None:
        from notices.ingest import BatchIngest, bulk_loading

        def done(path: Path, result) -> None:
            report.add(result.outcome, str(path), result.message)

        batch = BatchIngest(done, force=force)
        with bulk_loading():
            batch.add_many(self.read(report.track(files), report), self.workers)
            batch.flush()

    def queue(self, files: list[Path], missing: list[str], addresses: list[str], *, force: bool, dry_run: bool) -> None:
        """Files in one job (their bytes travel through the database), web addresses in another (captures)."""
        from notices.jobs.queue import QueuedFile, enqueue

        if dry_run:
            raise CommandError("--queue stores files through the workers; --dry-run stores nothing. Give one of them.")
        if missing:
            raise CommandError("Nothing was queued: no such file or folder: " + ", ".join(missing))
        report = Report(self.stderr, quiet=True)
        queued = [QueuedFile(name, data, content_type) for _, data, name, content_type in self.read(files, report)]
        if report.count("failed"):
            raise CommandError("Nothing was queued: " + "; ".join(f"{n}: {m}" for n, m in report.failures))
        if queued:
            title = f"收录 {len(queued)} 个文件" + ("（重新解析已有的）" if force else "")
            job = enqueue("ingest", title, {"force": force}, files=queued)
            self.stdout.write(f"Queued as job #{job.pk}: {len(queued)} files. Follow it on the admin's 任务 page "
                              f"(/admin/notices/job/{job.pk}/change/); a worker (manage.py worker) stores them.")
        if addresses:
            job = enqueue("capture", f"采集 {len(addresses)} 个网址", {"urls": addresses})
            self.stdout.write(f"Queued as job #{job.pk}: {len(addresses)} addresses. Follow it on the admin's 任务 "
                              f"page (/admin/notices/job/{job.pk}/change/); a worker (manage.py worker) captures them.")

    def capture(self, addresses: list[str], report: Report) -> None:
        from notices.capture.fetch import Fetcher
        from notices.capture.store import capture

        with Fetcher() as fetcher:
            for url in report.track(addresses):
                result = capture(url, fetcher)
                report.add(result.outcome, url, result.message)

    def dry_run_addresses(self, addresses: list[str], report: Report, *, as_json: bool) -> None:
        """Fetch and parse each address, the attachment too when the notice is in one; store nothing."""
        from notices.capture.attachments import find_notice
        from notices.capture.fetch import Fetcher, FetchError

        with Fetcher() as fetcher:
            for url in report.track(addresses):
                try:
                    found = find_notice(url, fetcher)
                    parsed = found.parse()
                except (FetchError, ParseError) as exc:
                    report.add("failed", url, str(exc))
                    if as_json:
                        self.stdout.write(json.dumps({"url": url, "error": str(exc)}, ensure_ascii=False))
                    continue
                report.add("parsed", url, found.note())
                if as_json:
                    self.stdout.write(json.dumps(
                        {**parsed.to_json(file=found.notice_bytes()[1]), "source": found.source_json()},
                        ensure_ascii=False))
                else:
                    self.stdout.write(f"{url}: {parsed.metadata.title or '（无标题）'} — {len(parsed.issues)} top-level issues")

    @staticmethod
    def read(files, report: Report):
        """(path, bytes, name, content type) of each file that can be read; the others are reported.
        A file over the size limit is refused before it is read."""
        for path in files:
            try:
                size = path.stat().st_size
                if size > MAX_BYTES:
                    report.add("failed", str(path), too_large(path.name, size))
                    continue
                data = path.read_bytes()
            except OSError as exc:
                report.add("failed", str(path), f"cannot read the file ({exc.strerror}).")
                continue
            yield path, data, path.name, mimetypes.guess_type(path.name)[0] or ""
