"""Run a procrastinate worker on the archive's database (what `manage.py worker` and the tests start)."""
from __future__ import annotations

import logging
import os
import socket

from .queue import QUEUE


def run_worker(*, concurrency: int = 1, until_idle: bool = False, poll: float = 5.0, name: str | None = None,
               install_signal_handlers: bool = True) -> None:
    """Work the queue; with until_idle, return once no job is left. LISTEN/NOTIFY wakes it for new jobs at once."""
    from procrastinate.contrib.django import app

    logging.getLogger("procrastinate").setLevel(logging.INFO if not until_idle else logging.WARNING)
    with app.replace_connector(app.connector.get_worker_connector()):
        app.run_worker(
            queues=[QUEUE], concurrency=concurrency, wait=not until_idle,
            name=name or f"{socket.gethostname()}:{os.getpid()}",
            fetch_job_polling_interval=poll, abort_job_polling_interval=min(poll, 1.0),
            install_signal_handlers=install_signal_handlers, delete_jobs="never",
        )
