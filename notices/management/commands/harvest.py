"""python manage.py harvest LIST_URL... [--max-pages N] [--since DATE] [--recheck] [--queue]

Read each column's list pages, pick the links to rectification notices, capture the new ones.
"""
from __future__ import annotations

import sys
from datetime import date

from django.core.management.base import BaseCommand, CommandError

from ._progress import Report


def _date(value: str) -> date:
    try:
        return date.fromisoformat(value)
    except ValueError:
        raise CommandError(f"--since takes a date written 2024-05-31, not {value!r}.") from None


class Command(BaseCommand):
    help = ("Harvest columns of government sites: read each list page and the pages after it, and capture "
            "every notice linked there that the archive does not hold yet.")

    def add_arguments(self, parser):
        parser.add_argument("urls", nargs="+", metavar="LIST_URL", help="a column's first list page")
        parser.add_argument("--max-pages", type=int, default=20, help="list pages to read per column at most (20)")
        parser.add_argument("--since", type=_date, help="leave out items the list dates before this day (YYYY-MM-DD)")
        parser.add_argument("--recheck", action="store_true",
                            help="capture addresses captured before again (a changed notice becomes a new version)")
        parser.add_argument("--queue", action="store_true",
                            help="hand the harvest to the workers (manage.py worker) and return at once")

    def handle(self, *args, urls, max_pages, since, recheck, queue, **options):
        if max_pages < 1:
            raise CommandError("--max-pages must be 1 or more.")
        bad = [u for u in urls if not u.startswith(("http://", "https://"))]
        if bad:
            raise CommandError("A list page is a web address (http:// or https://): " + ", ".join(bad))
        if queue:
            from notices.jobs.queue import enqueue

            params = {"urls": urls, "max_pages": max_pages, "since": since.isoformat() if since else None,
                      "recheck": recheck}
            job = enqueue("harvest", "采集：" + "、".join(urls), params)
            self.stdout.write(f"Queued as job #{job.pk}. Follow it on the admin's 任务 page "
                              f"(/admin/notices/job/{job.pk}/change/); a worker (manage.py worker) runs it.")
            return
        from notices.harvest.jobs import polite_fetcher
        from notices.harvest.run import HarvestError, HarvestOptions, harvest

        report = Report(self.stderr)
        fetcher = polite_fetcher()
        try:
            result = harvest(urls, HarvestOptions(max_pages, since, recheck), fetcher, report)
        except HarvestError as exc:
            raise CommandError(str(exc)) from None
        finally:
            fetcher.close()
        report.print_summary()
        self.stderr.write(f"List pages read: {result['pages']}, links on them: {result['links']}, "
                          f"links to notices: {result['found']}.")
        for url, reason in result["page_failures"]:
            self.stderr.write(f"  list page not read: {url}: {reason}")
        if report.count("failed") or result["page_failures"]:
            sys.exit(1)
