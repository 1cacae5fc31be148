from __future__ import annotations

import pytest

from ..jobs.conftest import committed, shared_data_put_back  # noqa: F401  (the worker tests' database)
from .site import serve


@pytest.fixture
def site(django_db_blocker):
    """The site, and an archive without the seed notices (four of its notices are seeds: they would be copies)."""
    from notices.models import Notice

    with django_db_blocker.unblock():
        Notice.all_objects.all().delete()
    site, server = serve()
    yield site
    server.shutdown()
    server.server_close()
