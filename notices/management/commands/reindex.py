"""python manage.py reindex : recompute topics and search columns after the dictionary or topic map changed."""
from __future__ import annotations

from django.core.management.base import BaseCommand
from django.db import transaction

from notices.models import Issue, Measure, Notice, fill_tree_derived

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
                for model in (Issue, Measure):
                    rows = list(model.objects.filter(notice=notice))
                    fill_tree_derived(rows)
                    model.objects.bulk_update(rows, ["fold_text", *(["topics"] if model is Issue else [])])
                notice.refresh_derived()
            report.add("updated", f"#{notice.pk} {notice.display_title[:40]}")
        report.print_summary()
