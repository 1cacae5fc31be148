"""reindex and the stale-index check: changing the dictionary or topic map never leaves search behind."""
from __future__ import annotations

import io

import pytest
from django.core.management import call_command

from notices.checks import search_index_is_current
from notices.models import Issue, Notice

pytestmark = pytest.mark.django_db


def test_a_stale_index_is_reported_and_reindex_stale_only_mends_it():
    notice = Notice.objects.order_by("pk").first()
    Notice.objects.filter(pk=notice.pk).update(dictionary_version="old", words=None)
    warnings = search_index_is_current(databases=["default"])
    assert [w.id for w in warnings] == ["notices.W001"]
    err = io.StringIO()
    call_command("reindex", "--stale-only", stderr=err)
    assert "1 updated" in err.getvalue()
    assert search_index_is_current(databases=["default"]) == []
    assert Notice.objects.get(pk=notice.pk).words


def test_reindex_reclassifies_topics_from_the_stored_problems():
    issue = Issue.objects.filter(topics__len__gt=0).first()
    if issue is None:
        pytest.skip("the parser found no classifiable problems in the seeds")
    topics = issue.topics
    Issue.objects.filter(pk=issue.pk).update(topics=[])
    call_command("reindex", stderr=io.StringIO())
    assert Issue.objects.get(pk=issue.pk).topics == topics
