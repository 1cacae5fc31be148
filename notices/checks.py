"""System checks: warn when the search index was built with another version of the user dictionary."""
from __future__ import annotations

from django.core.checks import Warning, register
from django.db import DatabaseError


@register("notices", deploy=False)
def search_index_is_current(app_configs=None, databases=None, **kwargs):
    if not databases or "default" not in databases:
        return []  # only when asked to look at the database (migrate, runserver with checks on it)
    from . import tokenize
    from .models import Notice

    try:
        stale = Notice.objects.exclude(dictionary_version=tokenize.dictionary_version()).count()
    except DatabaseError:
        return []
    if not stale:
        return []
    return [Warning(
        f"{stale} notices were indexed with another version of the search dictionary or index.",
        hint="Run `python manage.py reindex --stale-only` so that search ranks them with the current words and finds them fastest.",
        id="notices.W001",
    )]
