"""What the benchmark tools share: Django set up on a named archive, and the load mix's lists.

Not a tool itself; the tools beside it import it (a script's own folder is on its import path).
"""
from __future__ import annotations

import ast
import os
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent


def load_mix(name: str) -> list:
    """A list of tools/loadmix.py (WORDS, NARROW, TOGGLES), read without importing it: that
    needs locust, whose gevent patches threads under Django."""
    tree = ast.parse((HERE / "loadmix.py").read_text(encoding="utf-8"))
    for node in tree.body:
        if isinstance(node, ast.Assign) and any(getattr(t, "id", None) == name for t in node.targets):
            return ast.literal_eval(node.value)
    raise SystemExit(f"tools/loadmix.py has no {name}")


def django_on(database_name: str) -> None:
    """Set up this checkout's Django (development settings unless DJANGO_SETTINGS_MODULE says
    otherwise) on `database_name` of the configured server, for the test client."""
    sys.path.insert(1, str(HERE.parent))
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "archive.settings.dev")
    import django

    django.setup()
    from django.conf import settings
    from django.db import connections

    settings.DATABASES["default"]["NAME"] = database_name
    settings.ALLOWED_HOSTS = ["testserver"]
    connections["default"].settings_dict["NAME"] = database_name
