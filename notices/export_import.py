"""The whole archive as a portable file set, and back (`manage.py export DIR`, `manage.py import DIR`).

The file set, readable without this software:

    manifest.json           format and version, when, the migrations it was made at, and for
                            each table its file, model, columns, row count and sha256
    agencies.jsonl, ...     one JSON object per row, one file per table, ids kept, in id order
    originals/<sha256>      every original file byte for byte, named by its own hash

Tables are the notices app's models (new ones are picked up by themselves), except
PendingUpload: an upload nobody has saved yet is not part of the archive, and the rows derived
from the notices (the archive's sums, the ranking rows): import rebuilds them. Columns that
the write side derives from the others (search columns, topics, progress; write.py) are
not written: import rebuilds them with the same code. A reference to a user account (who
corrected, who moved a notice to the recycle bin) is written as the username, and import
links it to the account of that name when the target has one.

Import refuses an archive that already holds data, checks every file's hash before it
writes anything, writes everything in one transaction, keeps every id (permalinks survive
a restore) and moves the id sequences past them.
"""
from __future__ import annotations

import datetime as dt
import decimal
import hashlib
import json
import uuid
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Callable, Iterator

from django.apps import apps
from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.management.color import no_style
from django.db import connection, models, transaction
from django.db.migrations.recorder import MigrationRecorder

from . import write
from .models import Agency, Issue, Measure, Notice, SourceFile

FORMAT = "rectification-archive-export"
VERSION = 1
MANIFEST = "manifest.json"
ORIGINALS = "originals"
# The last three: derived, rebuilt on import (the ranking rows by the database's triggers, ranking_rows.py).
SKIPPED_MODELS = {"notices.pendingupload", "notices.grouptally", "notices.daytally", "notices.rankingrow"}
CORE_ORDER = [Agency, SourceFile, Notice, Issue, Measure]  # the rest of the app's models follow
BATCH_ROWS = 1000
BATCH_BYTES = 64 * 1024 * 1024  # originals held in memory at once while importing
USERNAME_SUFFIX = "__username"

Progress = Callable[[str], None]


class DumpError(Exception):
    """The file set or the target database cannot be used; the message says why and what to do."""


# --- which tables and columns ----------------------------------------------------------------

def tables() -> list[type[models.Model]]:
    rest = [
        m for m in apps.get_app_config("notices").get_models()
        if m not in CORE_ORDER and m._meta.label_lower not in SKIPPED_MODELS
    ]
    return CORE_ORDER + sorted(rest, key=lambda m: m._meta.label_lower)


def derived_columns(model: type[models.Model]) -> set[str]:
    """What write.py computes from a row's other columns (derive.py): not exported, rebuilt on import."""
    return set(write.DERIVED_COLUMNS.get(model, ()))


def _is_user_reference(f: models.Field) -> bool:
    return f.is_relation and f.related_model is not None and f.related_model._meta.label == settings.AUTH_USER_MODEL


def columns(model: type[models.Model]) -> list[tuple[str, models.Field]]:
    """(key in the file, field) for every stored column: ids as attnames, user references as usernames."""
    skip = derived_columns(model)
    out = []
    for f in model._meta.concrete_fields:
        if f.name in skip or isinstance(f, models.BinaryField):
            continue
        out.append((f.name + USERNAME_SUFFIX if _is_user_reference(f) else f.attname, f))
    return out


def _file_name(model: type[models.Model]) -> str:
    return f"{model._meta.model_name}.jsonl"


def _plain(value: Any) -> Any:
    if isinstance(value, (dt.datetime, dt.date, dt.time)):
        return value.isoformat()  # full precision, unlike DjangoJSONEncoder's milliseconds
    if isinstance(value, (decimal.Decimal, uuid.UUID)):
        return str(value)
    raise TypeError(f"cannot write {type(value).__name__} to JSON")


def _migrations() -> dict[str, str]:
    latest: dict[str, str] = {}
    for app, name in MigrationRecorder(connection).applied_migrations():
        if name > latest.get(app, ""):
            latest[app] = name
    return dict(sorted(latest.items()))


# --- export ----------------------------------------------------------------------------------

@dataclass
class Summary:
    rows: dict[str, int] = field(default_factory=dict)
    originals: int = 0
    original_bytes: int = 0
    unlinked_users: int = 0


def export_archive(target: Path, progress: Progress = lambda message: None) -> Summary:
    """Write the whole archive to `target` (a new or empty folder), as one consistent snapshot."""
    target = Path(target)
    if target.exists() and any(target.iterdir()):
        raise DumpError(f"{target} is not empty; export into a new folder so that no old file is mixed in.")
    (target / ORIGINALS).mkdir(parents=True, exist_ok=True)
    summary = Summary()
    manifest: dict[str, Any] = {
        "format": FORMAT, "version": VERSION,
        "exported_at": dt.datetime.now(dt.timezone.utc).isoformat(),
        "migrations": {}, "tables": [], "originals": {},
    }
    snapshot = not connection.in_atomic_block  # (a caller's transaction already fixes what it sees)
    with transaction.atomic():
        if snapshot:
            with connection.cursor() as cursor:  # every table read at the same instant
                cursor.execute("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ, READ ONLY")
        manifest["migrations"] = _migrations()
        usernames = dict(get_user_model()._default_manager.values_list("pk", get_user_model().USERNAME_FIELD))
        for model in tables():
            entry = _export_table(model, target, usernames)
            manifest["tables"].append(entry)
            summary.rows[model._meta.label] = entry["rows"]
            progress(f"{model._meta.label}: {entry['rows']} rows")
        rows = SourceFile._base_manager.order_by("pk").values_list("sha256", "data").iterator(chunk_size=20)
        for sha256, data in rows:
            (target / ORIGINALS / sha256).write_bytes(bytes(data))
            summary.originals += 1
            summary.original_bytes += len(data)
        progress(f"originals: {summary.originals} files, {summary.original_bytes} bytes")
    manifest["originals"] = {"folder": ORIGINALS, "files": summary.originals, "bytes": summary.original_bytes}
    (target / MANIFEST).write_text(json.dumps(manifest, ensure_ascii=False, indent=1) + "\n", encoding="utf-8")
    return summary


def _export_table(model: type[models.Model], target: Path, usernames: dict[Any, str]) -> dict[str, Any]:
    cols = columns(model)
    digest = hashlib.sha256()
    count = 0
    with open(target / _file_name(model), "wb") as handle:
        rows = model._base_manager.order_by("pk").values_list(*(f.attname for _, f in cols))
        for values in rows.iterator(chunk_size=2000):
            record = {}
            for (key, f), value in zip(cols, values):
                record[key] = usernames.get(value) if key.endswith(USERNAME_SUFFIX) else value
            line = (json.dumps(record, ensure_ascii=False, default=_plain) + "\n").encode("utf-8")
            digest.update(line)
            handle.write(line)
            count += 1
    return {
        "file": _file_name(model), "model": model._meta.label_lower, "rows": count,
        "columns": [key for key, _ in cols], "sha256": digest.hexdigest(),
    }


# --- import ----------------------------------------------------------------------------------

def read_manifest(source: Path) -> dict[str, Any]:
    path = Path(source) / MANIFEST
    if not path.exists():
        raise DumpError(f"{path} does not exist; give the folder that `manage.py export` wrote.")
    manifest = json.loads(path.read_text(encoding="utf-8"))
    if manifest.get("format") != FORMAT:
        raise DumpError(f"{path} is not an archive export (format {manifest.get('format')!r}).")
    if manifest.get("version", 0) > VERSION:
        raise DumpError(f"This export is format version {manifest['version']}; this software reads up to "
                        f"{VERSION}. Import it with a newer version of the archive.")
    return manifest


def verify(source: Path, manifest: dict[str, Any]) -> None:
    """Every table file and every original is what the manifest says, before anything is written."""
    known = {m._meta.label_lower: m for m in tables()}
    for entry in manifest["tables"]:
        model = known.get(entry["model"])
        if model is None:
            raise DumpError(f"The export holds a table {entry['model']!r} this version does not have; "
                            "import it with the version of the archive that exported it.")
        unknown = set(entry["columns"]) - {key for key, _ in columns(model)}
        if unknown:
            raise DumpError(f"{entry['file']} has columns this version does not know ({', '.join(sorted(unknown))}); "
                            "import it with the version of the archive that exported it, or a newer one.")
        digest, count = hashlib.sha256(), 0
        with open(Path(source) / entry["file"], "rb") as handle:
            for line in handle:
                digest.update(line)
                count += 1
        if digest.hexdigest() != entry["sha256"] or count != entry["rows"]:
            raise DumpError(f"{entry['file']} is not the file that was exported (its hash or row count differs); "
                            "copy the export again.")


def _lines(source: Path, entry: dict[str, Any]) -> Iterator[dict[str, Any]]:
    with open(Path(source) / entry["file"], "rb") as handle:
        for line in handle:
            yield json.loads(line)


def import_archive(source: Path, progress: Progress = lambda message: None) -> Summary:
    source = Path(source)
    manifest = read_manifest(source)
    verify(source, manifest)
    occupied = [m._meta.label for m in tables() if m._base_manager.exists()]
    if occupied:
        raise DumpError(f"The database already holds {', '.join(occupied)}; import only into an empty archive "
                        "(a new database, migrated with `manage.py migrate`).")
    summary = Summary()
    known = {m._meta.label_lower: m for m in tables()}
    users = _Accounts()
    with transaction.atomic():
        for entry in manifest["tables"]:
            model = known[entry["model"]]
            count, unlinked = _import_table(model, source, entry, users)
            summary.rows[model._meta.label] = count
            summary.unlinked_users += unlinked
            progress(f"{model._meta.label}: {count} rows")
        summary.originals = SourceFile._base_manager.count()
        progress("rebuilding search columns, topics and progress")
        for notice in Notice._base_manager.order_by("pk").iterator(chunk_size=200):
            write.refresh_notice(notice)
        write.recount_all()
        for entry in manifest["tables"]:  # refresh_notice and bulk_create stamp the time: put it back
            _restore_timestamps(known[entry["model"]], source, entry)
        with connection.cursor() as cursor:
            for statement in connection.ops.sequence_reset_sql(no_style(), list(known.values())):
                cursor.execute(statement)
    return summary


class _Accounts:
    """Usernames in the export -> ids of the target's accounts of that name (None when it has none)."""

    def __init__(self):
        self.model = get_user_model()
        self.ids: dict[str, Any] = {}

    def id_of(self, username: str) -> Any:
        if username not in self.ids:
            rows = self.model._default_manager.filter(**{self.model.USERNAME_FIELD: username})
            self.ids[username] = rows.values_list("pk", flat=True).first()
        return self.ids[username]


def _row(model, cols: dict[str, models.Field], record: dict[str, Any], users: _Accounts) -> tuple[models.Model, bool]:
    values, unlinked = {}, False
    for key, value in record.items():
        f = cols[key]
        if key.endswith(USERNAME_SUFFIX):
            user_id = users.id_of(value) if value is not None else None
            unlinked = unlinked or (value is not None and user_id is None)
            values[f.attname] = user_id
        else:
            values[f.attname] = f.to_python(value) if value is not None else None
    return model(**values), unlinked


def _import_table(model, source: Path, entry: dict[str, Any], users) -> tuple[int, int]:
    cols = dict(columns(model))
    batch: list[models.Model] = []
    held = count = unlinked = 0
    for record in _lines(source, entry):
        obj, lost = _row(model, cols, record, users)
        unlinked += lost
        if model is SourceFile:
            data = (source / ORIGINALS / obj.sha256).read_bytes()
            if hashlib.sha256(data).hexdigest() != obj.sha256:
                raise DumpError(f"{ORIGINALS}/{obj.sha256} does not hash to its name; copy the export again.")
            obj.data = data
            held += len(data)
        batch.append(obj)
        count += 1
        if len(batch) >= BATCH_ROWS or held >= BATCH_BYTES:
            _insert(model, batch)
            batch, held = [], 0
    if batch:
        _insert(model, batch)
    return count, unlinked


def _insert(model, rows: list[models.Model]) -> None:
    """Insert imported rows; problems and measures with their derived columns (their notices' follow)."""
    if model is Issue:
        write.fill_tree(rows, [])
    elif model is Measure:
        write.fill_tree([], rows)
    model._default_manager.bulk_create(rows)


def _restore_timestamps(model, source: Path, entry: dict[str, Any]) -> None:
    stamped = [
        f for f in model._meta.concrete_fields
        if getattr(f, "auto_now", False) or getattr(f, "auto_now_add", False)
    ]
    if not stamped or not entry["rows"]:
        return
    names = [f.attname for f in stamped if f.attname in entry["columns"]]
    batch = []
    for record in _lines(source, entry):
        pk_field = model._meta.pk
        obj = model(**{pk_field.attname: pk_field.to_python(record[pk_field.attname])})
        for f in stamped:
            if f.attname in record:
                setattr(obj, f.attname, f.to_python(record[f.attname]))
        batch.append(obj)
        if len(batch) >= BATCH_ROWS:
            model._base_manager.bulk_update(batch, names)
            batch = []
    if batch:
        model._base_manager.bulk_update(batch, names)
