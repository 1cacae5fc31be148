"""The one write path: a file's bytes become a stored Notice with its issue tree.

Every caller (the ingest and reparse commands, the admin upload) goes through here.
Atomic per file: a failure leaves nothing of that file behind. Idempotent: the same
bytes again change nothing unless a re-parse is asked for. A re-parse keeps every hand
correction (merge.py states the rule) and reports what it changed.
"""
from __future__ import annotations

import hashlib
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Callable, Hashable, Iterable, Iterator, Literal

from django.conf import settings
from django.db import DataError, IntegrityError, ProgrammingError, connection, transaction

from . import copies, write
from .bulk import copy_insert
from .merge import MergeReport, merge_parse
from .models import Notice, SourceFile
from .notice_json import notice_to_json
from .parsing import ParsedIssue, ParsedNotice, ParseError, parse_many, parse_notice
from .write import Tree, insert_trees

Outcome = Literal["new", "updated", "unchanged", "linked", "failed"]  # linked: kept as another source (copies)


@dataclass(frozen=True)
class IngestResult:
    outcome: Outcome
    filename: str
    notice_id: int | None = None
    message: str = ""
    changes: MergeReport | None = None  # a re-parse's changes, and the corrections it kept


def sha256_of(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def link_copy(match: copies.Match, data: bytes, filename: str, content_type: str = "") -> IngestResult:
    """Keep `data`, a near copy of a stored notice (copies.nearest_notice), as another source of it."""
    message = copies.store_copy(match, data, sha256_of(data), filename, content_type)
    return IngestResult("linked", filename, match.notice_id, message)


def parse(data: bytes, filename: str, content_type: str | None = None) -> ParsedNotice:
    """parse_notice within the archive's limits (settings.ARCHIVE_MAX_TEXT_CHARS)."""
    return parse_notice(data, filename, content_type or None, max_chars=settings.ARCHIVE_MAX_TEXT_CHARS)


def ingest_bytes(data: bytes, filename: str, content_type: str = "", *, force: bool = False,
                 parsed: ParsedNotice | None = None) -> IngestResult:
    """Store one file's notice; with `force`, re-parse a file the archive already holds.
    `parsed`: the parse of `data`, when the caller has made it already."""
    digest = sha256_of(data)
    existing = Notice.all_objects.filter(source__sha256=digest).first()
    if existing is not None and existing.is_deleted:
        return IngestResult("failed", filename, existing.pk, DELETED_MESSAGE.format(pk=existing.pk))
    if existing is not None and not force:
        return IngestResult("unchanged", filename, existing.pk, "already in the archive")
    try:
        parsed = parsed or parse(data, filename, content_type)
    except ParseError as exc:
        return IngestResult("failed", filename, existing.pk if existing else None, str(exc))
    if existing is not None:
        return _apply_reparse(existing, parsed, filename)
    try:
        with transaction.atomic():
            source = SourceFile.objects.create(
                sha256=digest, filename=filename[:255], content_type=content_type[:100], size=len(data), data=data
            )
            notice = Notice(source=source)
            write_parse(notice, parsed)
    except DataError as exc:
        # The text gate keeps out what PostgreSQL refuses; should anything else get through,
        # this file fails on its own and the run goes on.
        return IngestResult("failed", filename, None, f"PostgreSQL refused this file's parse ({str(exc).strip()}); "
                            "nothing was stored. Please report it with the file.")
    except IntegrityError:
        # Someone stored the same bytes a moment ago (two uploads racing): theirs stands.
        existing = Notice.all_objects.filter(source__sha256=digest).first()
        if existing is None:
            raise
        return IngestResult("unchanged", filename, existing.pk, "already in the archive")
    return IngestResult("new", filename, notice.pk, _summary(parsed))


CONFLICT_MESSAGE = (
    "the new parse contradicts a hand correction ({detail}); nothing was changed. "
    "Check the corrected fields in the admin, then re-parse again."
)
DELETED_MESSAGE = (
    "this file's notice (#{pk}) is in the admin's recycle bin; restore it there instead of ingesting it again."
)


def reparse(notice: Notice) -> IngestResult:
    """Parse a stored notice again from its original bytes."""
    source = notice.source
    try:
        parsed = parse(bytes(source.data), source.filename, source.content_type)
    except ParseError as exc:
        return IngestResult("failed", source.filename, notice.pk, str(exc))
    return _apply_reparse(notice, parsed, source.filename)


def ingest_new_version(notice: Notice, data: bytes, filename: str, content_type: str = "") -> IngestResult:
    """Make `data` the file of a stored notice (a newer version of it: the same address, captured
    again) and re-parse the notice from it the way a re-parse does, keeping hand corrections.

    The older file stays in the archive (its capture still refers to it). Atomic.
    """
    try:
        parsed = parse(data, filename, content_type)
    except ParseError as exc:
        return IngestResult("failed", filename, notice.pk, str(exc))
    digest = sha256_of(data)
    holder = Notice.all_objects.filter(source__sha256=digest).exclude(pk=notice.pk).first()
    if holder is not None:
        return IngestResult("failed", filename, notice.pk, SHARED_VERSION_MESSAGE.format(pk=holder.pk))
    with transaction.atomic():
        source, _ = SourceFile.objects.get_or_create(sha256=digest, defaults=dict(
            filename=filename[:255], content_type=content_type[:100], size=len(data), data=data))
        Notice.all_objects.filter(pk=notice.pk).update(source=source)
        result = _apply_reparse(notice, parsed, filename)
        if result.outcome == "failed":
            transaction.set_rollback(True)
    return result


SHARED_VERSION_MESSAGE = "the new version's bytes are already the file of notice #{pk}; nothing was changed."


def _apply_reparse(notice: Notice, parsed: ParsedNotice, filename: str) -> IngestResult:
    """Merge a new parse into a stored notice, keeping hand corrections (see merge.py)."""
    try:
        with transaction.atomic():
            notice = Notice.all_objects.select_for_update().select_related("source").get(pk=notice.pk)
            before = notice_to_json(notice)
            changes = merge_parse(notice, parsed)
            after = notice_to_json(notice)
    except IntegrityError as exc:
        # e.g. a hand-corrected start date after the end date the new parse reads: the correction wins.
        return IngestResult("failed", filename, notice.pk, CONFLICT_MESSAGE.format(detail=str(exc).splitlines()[0]))
    if _comparable(before) == _comparable(after):
        message = "; ".join(["re-parsed; nothing changed", *changes.notes()])
        return IngestResult("unchanged", filename, notice.pk, message, changes)
    return IngestResult("updated", filename, notice.pk, changes.describe(), changes)


def _comparable(doc: dict) -> dict:
    return {k: v for k, v in doc.items() if k not in {"parser_version", "id", "url"}}


def write_parse(notice: Notice, parsed: ParsedNotice) -> None:
    """Copy a parse onto `notice` (saved) and replace its issue tree. Call inside a transaction."""
    is_new = notice.pk is None
    tree = _prepare(notice, parsed, write.resolve_agencies([parsed.metadata]))
    notice.save()
    if not is_new:
        notice.issues.all().delete()
    insert_tree(notice, tree)
    write.recount([notice.pk])


def _prepare(notice: Notice, parsed: ParsedNotice, agencies: dict) -> Tree:
    """Fill `notice` from a parse (unsaved), derived columns included, and return its tree's rows."""
    write.apply_parse(notice, parsed, agencies)
    tree = Tree.of(parsed.issues)
    # Derived columns from the tree in hand: one write of the notice row, no read-back.
    write.refresh_notice(notice, tree, save=False)
    return tree


@dataclass(frozen=True)
class NewFile:
    data: bytes
    filename: str
    content_type: str
    parsed: ParsedNotice


def store_new_files(files: list[NewFile]) -> list[IngestResult]:
    """Store parsed files the archive does not hold yet, with a few bulk inserts for all of them.

    One transaction; if it fails for any reason (a duplicate racing in, a constraint), each
    file is stored on its own instead, so one bad file never takes the others down with it.
    """
    try:
        with transaction.atomic():
            results = _bulk_store(files)
            commit_durably()
            return results
    except (IntegrityError, DataError):
        with transaction.atomic():  # each file in a savepoint of its own
            results = [ingest_bytes(f.data, f.filename, f.content_type) for f in files]
            commit_durably()
            return results


BATCH_SIZE = 50
# A batch, and the files read ahead for the parsing processes, hold at most about this many
# bytes of originals (and their parses): peak memory does not grow with the size of the files.
BATCH_BYTES = 32 * 1024 * 1024


class BatchIngest:
    """ingest_bytes for a run of many files, with the new ones stored BATCH_SIZE at a time.

    Each file's result goes to `done(key, result)`: at once for a file the archive already
    holds, a re-parse or a file that fails to parse; when its batch is written for a new
    one. Call flush() after the last file. A batch that cannot be written whole is written
    file by file (store_new_files), so each file still lands or fails on its own.
    """

    def __init__(self, done: Callable[[Hashable, IngestResult], None], *, force: bool = False) -> None:
        self.done = done
        self.force = force
        self.pending: list[tuple[Hashable, NewFile]] = []
        self.pending_digests: dict[str, str] = {}
        self.pending_keys: set[str] = set()  # titles and units of the pending parses (copies.candidate_keys)
        self.pending_bytes = 0

    def add(self, key: Hashable, data: bytes, filename: str, content_type: str = "") -> None:
        self.add_many([(key, data, filename, content_type)])

    def add_many(self, files: Iterable[tuple[Hashable, bytes, str, str]], processes: int = 1) -> None:
        """add() each file; with processes > 1, new files are parsed in that many worker
        processes while the ones parsed before them are stored."""
        def to_parse():
            for key, data, filename, content_type in files:
                digest = sha256_of(data)
                if self._settled(key, digest, data, filename, content_type):
                    continue
                yield (key, digest, data, filename, content_type), data, filename, content_type or None

        # Two batches ahead: the workers parse the next batch while this process stores one.
        parses = parse_many(to_parse(), processes, 2 * BATCH_SIZE, ahead_bytes=BATCH_BYTES,
                            max_chars=settings.ARCHIVE_MAX_TEXT_CHARS)
        for (key, digest, data, filename, content_type), parsed in parses:
            if isinstance(parsed, ParseError):
                self.done(key, IngestResult("failed", filename, None, str(parsed)))
            elif not self._repeats(key, digest, filename) and not self._copied(key, data, filename, content_type, parsed):
                self.pending_digests[digest] = filename
                self.pending_keys.update(filter(None, copies.candidate_keys(parsed.metadata)))
                self.pending.append((key, NewFile(data, filename, content_type, parsed)))
                self.pending_bytes += len(data)
                if len(self.pending) >= BATCH_SIZE or self.pending_bytes >= BATCH_BYTES:
                    self.flush()

    def _settled(self, key: Hashable, digest: str, data: bytes, filename: str, content_type: str) -> bool:
        """Settle a file that needs no new parse to be stored (a repeat in this run, or a
        file the archive holds, perhaps to re-parse) and say whether it was one."""
        if self._repeats(key, digest, filename):
            return True
        copied = copies.copy_of(digest)
        if copied is not None and not self.force:
            self.done(key, IngestResult("unchanged", filename, copied, f"already kept as another source of notice #{copied}"))
            return True
        if self.force or Notice.all_objects.filter(source__sha256=digest).exists():
            with transaction.atomic():
                result = ingest_bytes(data, filename, content_type, force=self.force)
                commit_durably()
            self.done(key, result)
            return True
        return False

    def _copied(self, key: Hashable, data: bytes, filename: str, content_type: str, parsed: ParsedNotice) -> bool:
        """Keep a near copy of a stored notice as another source of it (copies.py), and say whether it was one."""
        if self.force:
            return False
        if self.pending_keys & set(copies.candidate_keys(parsed.metadata)):
            self.flush()  # its twin may be waiting in this batch
        match = copies.nearest_notice(parsed)
        if match is not None:
            self.done(key, link_copy(match, data, filename, content_type))
        return match is not None

    def _repeats(self, key: Hashable, digest: str, filename: str) -> bool:
        if digest in self.pending_digests:
            message = f"the same bytes as {self.pending_digests[digest]}, earlier in this run"
            self.done(key, IngestResult("unchanged", filename, None, message))
            return True
        return False

    def flush(self) -> None:
        pending, self.pending = self.pending, []
        self.pending_digests, self.pending_keys = {}, set()
        self.pending_bytes = 0
        if pending:
            results = store_new_files([f for _, f in pending])
            for (key, _), result in zip(pending, results):
                self.done(key, result)


# The gram bag's GIN index takes new entries into a pending list and merges them into the
# index proper when the list outgrows gin_pending_list_limit (4 MB by default: about a
# hundred notices), sorting at most work_mem of them at a time. Each merge rewrites the
# posting lists of the common bigrams, which grow with the archive; at 6,000 notices
# that was a third of the server's time per new notice. A run of many files lets the
# list grow larger, merges it in one sort, and merges what is left once at the end.
# Searches meanwhile read the pending list too, a little slower, never less complete.
# Commits return without waiting for the disk (up to a tenth of a run's time went to those
# waits when every file was its own commit), except each batch's, which waits
# (commit_durably) before its files are reported: a line that says `new` means stored,
# whatever crashes next. (A commit that only took a transaction id writes nothing and never
# waits, whatever the setting: the wait has to be on a commit that stored something.)
BULK_SETTINGS = {"gin_pending_list_limit": "32MB", "work_mem": "64MB", "synchronous_commit": "off"}


@contextmanager
def bulk_loading() -> Iterator[None]:
    """Around a run of many new notices on this connection: index merges in large batches,
    commits that do not wait for the disk but each batch's (see BULK_SETTINGS)."""
    with connection.cursor() as cursor:
        for name, value in BULK_SETTINGS.items():
            cursor.execute("SELECT set_config(%s, %s, false)", [name, value])
    try:
        yield
    finally:
        with connection.cursor() as cursor:
            for name in BULK_SETTINGS:
                cursor.execute(f"RESET {name}")
            try:
                with transaction.atomic():
                    cursor.execute("SELECT gin_clean_pending_list('notice_grams_gin'::regclass)")
            except ProgrammingError:
                pass  # only the index's owner may merge it now; autovacuum will, soon enough


def commit_durably() -> None:
    """Inside a transaction: its commit waits until the log up to it, so every commit before
    it too, is on disk (commits made with synchronous_commit off may not be yet)."""
    with connection.cursor() as cursor:
        cursor.execute("SET LOCAL synchronous_commit = on")


def _bulk_store(files: list[NewFile]) -> list[IngestResult]:
    sources = [
        SourceFile(sha256=sha256_of(f.data), filename=f.filename[:255], content_type=f.content_type[:100],
                   size=len(f.data), data=f.data)
        for f in files
    ]
    copy_insert(SourceFile, sources)
    agencies = write.resolve_agencies([f.parsed.metadata for f in files])
    notices, trees = [], []
    for source, f in zip(sources, files):
        notice = Notice(source=source)
        trees.append(_prepare(notice, f.parsed, agencies))
        notices.append(notice)
    copy_insert(Notice, notices)
    insert_trees((notice.pk, tree) for notice, tree in zip(notices, trees))
    write.recount(notice.pk for notice in notices)
    return [IngestResult("new", f.filename, n.pk, _summary(f.parsed)) for f, n in zip(files, notices)]


def insert_tree(notice: Notice, tree: Tree) -> None:
    """Insert the rows of a stored notice's tree."""
    insert_trees([(notice.pk, tree)])


def _summary(parsed: ParsedNotice) -> str:
    leaves = _count_leaves(parsed.issues)
    measures = _count_measures(parsed.issues)
    return f"{leaves} issues, {measures} measures"


def _count_leaves(issues: Iterable[ParsedIssue]) -> int:
    """The problems, as Issue.objects.problems() counts them once stored."""
    return sum(_count_leaves(i.children) + bool(i.measures) if i.children else 1 for i in issues)


def _count_measures(issues: Iterable[ParsedIssue]) -> int:
    return sum(len(i.measures) + _count_measures(i.children) for i in issues)
