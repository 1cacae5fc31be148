"""python manage.py reparse [ID...] [--all] [--queue] : parse stored notices again from their original bytes.

Hand corrections are kept (notices/merge.py states the rule); each notice's line says what changed.
With --queue the same work goes to the workers (the 任务 page follows it) and the command returns at once.
"""
from __future__ import annotations

import sys

from django.core.management.base import BaseCommand, CommandError

from notices.jobs.kinds import reparse_notices
from notices.models import Notice

from ._progress import Report


class Command(BaseCommand):
    help = ("Parse stored notices again from their original files (after a parser improvement). "
            "Whatever an archivist corrected by hand is kept.")

    def add_arguments(self, parser):
        parser.add_argument("ids", nargs="*", type=int, metavar="ID", help="notice ids to re-parse")
        parser.add_argument("--all", action="store_true", dest="everything",
                            help="re-parse every notice in the archive (the recycle bin included)")
        parser.add_argument("--queue", action="store_true",
                            help="hand the work to the workers (manage.py worker) and return at once")

    def handle(self, *args, ids, everything, queue, **options):
        if bool(ids) == everything:
            raise CommandError("Name the notices to re-parse by id, or give --all (not both).")
        targets = None if everything else list(dict.fromkeys(ids))  # once each, in the order given
        if queue:
            from notices.jobs.queue import enqueue

            title = "重新解析全部通报" if everything else f"重新解析 {len(targets)} 条通报"
            job = enqueue("reparse", title, {} if everything else {"ids": targets})
            self.stdout.write(f"Queued as job #{job.pk}: {title}. Follow it on the admin's 任务 page "
                              f"(/admin/notices/job/{job.pk}/change/); a worker (manage.py worker) runs it.")
            return
        if everything:
            targets = list(Notice.all_objects.order_by("pk").values_list("pk", flat=True))
        report = Report(self.stderr)
        with report.showing_ocr():
            reparse_notices(targets, report)
        report.print_summary()
        if report.count("failed"):
            sys.exit(1)
