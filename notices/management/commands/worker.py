"""python manage.py worker : run queued background jobs (uploads, re-parses, harvests) until stopped.

Start as many as you like, on this machine or others with the same DATABASE_URL: they share one
queue in PostgreSQL, and each job runs once.
"""
from __future__ import annotations

from django.core.management.base import BaseCommand, CommandError


class Command(BaseCommand):
    help = "Run queued background jobs (uploads, re-parses, harvests). Ctrl-C stops after the jobs in hand."

    def add_arguments(self, parser):
        parser.add_argument("--concurrency", type=int, default=1,
                            help="jobs this worker runs at once (default 1; start more workers for more)")
        parser.add_argument("--until-idle", action="store_true",
                            help="stop once the queue is empty instead of waiting for more jobs")
        parser.add_argument("--poll", type=float, default=5.0,
                            help="seconds between looks at the queue when no notification came (default 5)")
        parser.add_argument("--name", default=None, help="this worker's name on the 任务 page")

    def handle(self, *args, concurrency, until_idle, poll, name, **options):
        if concurrency < 1:
            raise CommandError("--concurrency must be 1 or more.")
        from notices.jobs.worker import run_worker

        run_worker(concurrency=concurrency, until_idle=until_idle, poll=poll, name=name)
