"""python manage.py reindex : recompute topics and search columns after the dictionary or topic map changed."""
from __future__ import annotations

from django.core.management.base import BaseCommand
from django.db import transaction

from notices import write
from notices.models import Issue, Measure, Notice

from ._progress import Report


class Command(BaseCommand):
    help = "Recompute every notice's derived columns (topics, progress, search vectors) from its stored rows."

    def add_arguments(self, parser):
        parser.add_argument("--stale-only", action="store_true",
                            help="only notices indexed with another version of the user dictionary")

    def handle(self, *args, stale_only, **options):
        from notices import tokenize

        notices = Notice.objects.without_bytes().order_by("pk")
        if stale_only:
            notices = notices.exclude(dictionary_version=tokenize.dictionary_version())
        report = Report(self.stderr)
        for notice in report.track(list(notices)):
            with transaction.atomic():
                issues, measures = list(Issue.objects.filter(notice=notice)), list(Measure.objects.filter(notice=notice))
                write.fill_tree(issues, measures)
                Issue.objects.bulk_update(issues, write.DERIVED_COLUMNS[Issue])
                Measure.objects.bulk_update(measures, write.DERIVED_COLUMNS[Measure])
                write.refresh_notice(notice)
            report.add("updated", f"#{notice.pk} {notice.display_title[:40]}")
        with transaction.atomic():
            write.recount_all()  # the sums of the notices' new columns
        report.print_summary()
