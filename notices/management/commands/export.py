"""python manage.py export DIR: the whole archive, originals included, as a portable file set (see notices/export_import.py)."""
from __future__ import annotations

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from notices.export_import import DumpError, export_archive


class Command(BaseCommand):
    help = "Write the whole archive (originals byte for byte, metadata, problem trees, corrections) to a new folder."

    def add_arguments(self, parser):
        parser.add_argument("folder", type=Path, help="a new or empty folder")

    def handle(self, *args, folder: Path, **options):
        try:
            summary = export_archive(folder, progress=lambda message: self.stderr.write(message))
        except DumpError as exc:
            raise CommandError(str(exc)) from exc
        rows = ", ".join(f"{label} {n}" for label, n in summary.rows.items())
        self.stdout.write(f"Exported to {folder}: {rows}; {summary.originals} originals ({summary.original_bytes} bytes).")
