"""Readers' pages and searches on PostgreSQL streaming replicas; writes, the admin, commands and jobs on the primary.

With DATABASE_REPLICA_URLS set (settings: the aliases in DATABASE_REPLICAS), the middleware
marks a reader's GET or HEAD request outside the admin, and while it runs the router sends
its reads to one of the replicas; everything else (any write, the admin, `ingest`, jobs,
migrations) uses the primary. A streaming replica is a moment behind the primary, so a
person who has just written (any POST, PUT, PATCH or DELETE, such as saving a notice in
the admin) reads from the primary for READ_YOUR_WRITES seconds after, and sees their change
at once. Without replicas nothing changes: every alias resolves to the primary.
"""
from __future__ import annotations

import contextvars
import random
import time
from contextlib import contextmanager

from django.conf import settings

READ_YOUR_WRITES = 30  # seconds; far above a healthy replica's lag (well under a second)
COOKIE = "read_primary_until"
_replica = contextvars.ContextVar("replica", default=None)  # the alias this request reads from
SAFE_METHODS = ("GET", "HEAD", "OPTIONS")


def replicas() -> list[str]:
    return list(getattr(settings, "DATABASE_REPLICAS", ()))


@contextmanager
def reads_on_replicas(enabled: bool = True):
    """Within this block, reads go to one replica, chosen at random (when any is configured and `enabled`).

    One for the whole block: a search's statements share a transaction and its settings.
    """
    aliases = replicas() if enabled else []
    token = _replica.set(random.choice(aliases) if aliases else None)
    try:
        yield
    finally:
        _replica.reset(token)


class ReplicaRouter:
    """Reads marked by reads_on_replicas() go to its replica; all else as Django would (the primary).

    A read's None means "no opinion": Django then follows the instance it starts from, or "default".
    """

    def db_for_read(self, model, **hints):
        return _replica.get()

    def db_for_write(self, model, **hints):
        return "default"  # also for an object read from a replica: only the primary takes writes

    def allow_relation(self, obj1, obj2, **hints):
        return True if obj1._state.db in replicas() or obj2._state.db in replicas() else None

    def allow_migrate(self, db, app_label, **hints):
        return False if db in replicas() else None  # a replica follows the primary's schema


class ReplicaReadsMiddleware:
    """Marks readers' requests for the replicas, except for READ_YOUR_WRITES seconds after a write."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if request.method not in SAFE_METHODS:
            response = self.get_response(request)
            if replicas():
                response.set_cookie(COOKIE, str(int(time.time()) + READ_YOUR_WRITES), max_age=READ_YOUR_WRITES,
                                    httponly=True, samesite="Lax", secure=request.is_secure())
            return response
        on_replica = not request.path.startswith("/admin/") and not self.wrote_recently(request)
        with reads_on_replicas(on_replica):
            return self.get_response(request)

    @staticmethod
    def wrote_recently(request) -> bool:
        value = request.COOKIES.get(COOKIE, "")
        return value.isdigit() and int(value) > time.time()
