"""python manage.py import DIR: restore an export into an empty archive (see notices/export_import.py)."""
from __future__ import annotations

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from notices.export_import import DumpError, import_archive


class Command(BaseCommand):
    help = "Restore a folder written by `manage.py export` into an empty, migrated database; ids are kept."

    def add_arguments(self, parser):
        parser.add_argument("folder", type=Path, help="a folder written by `manage.py export`")

    def handle(self, *args, folder: Path, **options):
        try:
            summary = import_archive(folder, progress=lambda message: self.stderr.write(message))
        except DumpError as exc:
            raise CommandError(str(exc)) from exc
        rows = ", ".join(f"{label} {n}" for label, n in summary.rows.items())
        self.stdout.write(f"Imported from {folder}: {rows}; {summary.originals} originals.")
        if summary.unlinked_users:
            self.stdout.write(
                f"{summary.unlinked_users} rows named a user account this database does not have; they were kept "
                "without one. Create the accounts and import again into an empty database to link them."
            )
