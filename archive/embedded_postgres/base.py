"""The backend: Django's PostgreSQL backend, pointed at the embedded server once it runs."""
from __future__ import annotations

from pathlib import Path

from django.db.backends.postgresql import base

from .client import DatabaseClient
from .server import ensure_database, ensure_server

_databases_ready: set[tuple[str, str]] = set()


class DatabaseWrapper(base.DatabaseWrapper):
    client_class = DatabaseClient

    def get_connection_params(self):
        socket_dir = ensure_server(Path(self.settings_dict["PGDATA"]), self.settings_dict.get("SERVER_SETTINGS"))
        self.settings_dict["HOST"] = socket_dir
        params = super().get_connection_params()
        params["host"] = socket_dir
        name = params.get("dbname")
        if name and (socket_dir, name) not in _databases_ready and not name.startswith("test_"):
            ensure_database(socket_dir, name, params.get("user") or "postgres")
            _databases_ready.add((socket_dir, name))
        return params
