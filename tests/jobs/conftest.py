from __future__ import annotations

import pytest

from ..conftest import put_back_shared_data


@pytest.fixture(scope="module")
def shared_data_put_back(django_db_blocker):
    """pytest-django empties every table after a transactional test: once the module is done, put back
    what the other tests expect."""
    yield
    with django_db_blocker.unblock():
        put_back_shared_data()


@pytest.fixture
def committed(shared_data_put_back, transactional_db, django_db_blocker):
    """Workers are other processes and see only committed rows. The queue's own tables are not Django's to
    empty: the rows a test made there go when it ends."""
    yield
    from django.db import connection

    with django_db_blocker.unblock(), connection.cursor() as cursor:
        cursor.execute("DELETE FROM procrastinate_jobs; DELETE FROM procrastinate_periodic_defers; "
                       "DELETE FROM procrastinate_workers")
