from pathlib import Path

from django.db.backends.postgresql import client

from .server import ensure_server


class DatabaseClient(client.DatabaseClient):
    """`manage.py dbshell` on the embedded server: start it, then run psql on its socket."""

    def runshell(self, parameters):
        import warnings

        with warnings.catch_warnings():
            warnings.simplefilter("ignore")  # platformdirs warns when XDG_RUNTIME_DIR is unset
            from pgserver._commands import POSTGRES_BIN_PATH

        self.executable_name = str(POSTGRES_BIN_PATH / "psql")  # the wheel's psql: no system client needed
        self.connection.settings_dict["HOST"] = ensure_server(Path(self.connection.settings_dict["PGDATA"]))
        super().runshell(parameters)
