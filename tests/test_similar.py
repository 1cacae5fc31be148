"""Similar problems on a notice page: drawn from each topic's newest problems, kept per state of the archive."""
from __future__ import annotations

import pytest

from notices.corrections import move_to_recycle_bin, restore
from notices.models import Issue, Notice
from notices.presentation.outline import problem_anchor
from notices.presentation import similar

pytestmark = pytest.mark.django_db


def from_the_database(notice: Notice) -> list[tuple[int, int]]:
    """The candidates as one query over every problem finds them: the order the kept lists must give."""
    rows = similar._candidates(notice.topics).exclude(notice=notice).values_list("pk", "notice_id")
    return list(rows[:similar.CANDIDATES])


@pytest.mark.parametrize("per_topic", [similar.PER_TOPIC, 3, 1])
def test_merged_topic_lists_give_the_candidates_one_query_gives(monkeypatch, per_topic):
    # Short lists run out before CANDIDATES are found: the page must then ask the database.
    monkeypatch.setattr(similar, "PER_TOPIC", per_topic)
    monkeypatch.setattr(similar, "CANDIDATES", 40)
    monkeypatch.setattr(similar, "_NEWEST", {})
    notices = [n for n in Notice.objects.all() if n.topics]
    assert len(notices) >= 3
    for notice in notices:
        assert [(pk, notice_id) for pk, notice_id, _ in similar._merged(notice)] == from_the_database(notice)


def test_a_problem_leaves_and_returns_with_its_notice():
    notice = Notice.objects.get(source__filename__startswith="004")
    shown = similar.similar_problems(notice)
    assert shown
    other = shown[0].notice
    move_to_recycle_bin([other], None)
    assert all(s.notice.pk != other.pk for s in similar.similar_problems(notice))
    restore([other])
    assert [s.url for s in similar.similar_problems(notice)] == [s.url for s in shown]


def _jaccard_each(notice: Notice) -> list[tuple[float, int, int]]:
    """(score, problem, closest heading's position) of every candidate, each heading compared in turn."""
    own = [(issue, set(similar._bigrams(issue.fold_text))) for issue in notice.issues.all()]
    own = [(issue, grams) for issue, grams in own if grams]
    out = []
    for pk, _, grams in similar._merged(notice):
        scores = [len(set(grams) & mine) / len(set(grams) | mine) for _, mine in own]
        best = max(scores)
        out.append((best, pk, own[scores.index(best)][0].position))  # ties: the first heading
    return out


def test_each_candidate_scores_its_closest_heading_as_comparing_them_one_by_one(monkeypatch):
    monkeypatch.setattr(similar, "MIN_SCORE", 1e-9)  # every candidate that shares a bigram
    monkeypatch.setattr(similar, "PER_NOTICE", 10 ** 6)
    shown_any = False
    for notice in Notice.objects.exclude(topics=[]):
        expected = sorted((row for row in _jaccard_each(notice) if row[0] > 0), key=lambda row: -row[0])
        shown = similar.similar_problems(notice, limit=10 ** 6)
        assert [(s.url.rsplit("#", 1)[1], s.resembles_anchor, s.score) for s in shown] == [
            (problem_anchor(Issue.objects.get(pk=pk).position), problem_anchor(position), round(score, 2))
            for score, pk, position in expected]
        shown_any = shown_any or bool(shown)
    assert shown_any
