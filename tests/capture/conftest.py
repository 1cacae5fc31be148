"""The capture tests' web site (one per module) and an empty archive to capture into."""
from __future__ import annotations

import pytest

from .site import LocalSite


@pytest.fixture(scope="module")
def site():
    with LocalSite() as running:
        yield running


@pytest.fixture
def fresh_site(site):
    """The site with its default pages and counters, whatever an earlier test changed."""
    from .site import default_pages

    site.pages = default_pages()
    site.hits.clear()
    site.user_agents.clear()
    return site


@pytest.fixture
def fetcher(settings):
    from notices.capture.fetch import Fetcher

    with Fetcher() as running:
        yield running


@pytest.fixture
def empty_archive(db):
    """No notices (the session's seed notices are deleted inside this test's transaction only)."""
    from notices.models import Notice, SourceFile

    Notice.all_objects.all().delete()
    SourceFile.objects.all().delete()
