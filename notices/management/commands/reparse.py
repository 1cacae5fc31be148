"""python manage.py reparse [ID...] [--all] : parse stored notices again from their original bytes.

Hand corrections are kept (notices/merge.py states the rule); each notice's line says what changed.
"""
from __future__ import annotations

import sys

from django.core.management.base import BaseCommand, CommandError

from notices.ingest import IngestResult, reparse
from notices.models import Notice

from ._progress import Report


class Command(BaseCommand):
    help = ("Parse stored notices again from their original files (after a parser improvement). "
            "Whatever an archivist corrected by hand is kept.")

    def add_arguments(self, parser):
        parser.add_argument("ids", nargs="*", type=int, metavar="ID", help="notice ids to re-parse")
        parser.add_argument("--all", action="store_true", dest="everything",
                            help="re-parse every notice in the archive (the recycle bin included)")

    def handle(self, *args, ids, everything, **options):
        if bool(ids) == everything:
            raise CommandError("Name the notices to re-parse by id, or give --all (not both).")
        if everything:
            targets = list(Notice.all_objects.order_by("pk").values_list("pk", flat=True))
        else:
            targets = list(dict.fromkeys(ids))  # once each, in the order given
        report = Report(self.stderr)
        for pk in report.track(targets):
            result = self.reparse_one(pk)
            report.add(result.outcome, result.filename, result.message)
        report.print_summary()
        if report.count("failed"):
            sys.exit(1)

    def reparse_one(self, pk: int) -> IngestResult:
        notice = Notice.all_objects.select_related("source").filter(pk=pk).first()
        if notice is None:
            return IngestResult("failed", f"#{pk}", None, "no notice has this id.")
        name = f"#{pk} {notice.source.filename}"
        try:
            result = reparse(notice)
        except Exception as exc:  # one broken notice must not stop a re-parse of the whole archive
            return IngestResult("failed", name, pk, f"unexpected error ({type(exc).__name__}: {exc}); nothing was changed.")
        return IngestResult(result.outcome, name, pk, result.message, result.changes)
