"""Topics: the keyword map in notices/topics.py, on its own and on the seeds' problems."""
from __future__ import annotations

import pytest

from notices.models import Issue, Notice
from notices.topics import TOPIC_LABELS, TOPICS, classify


def test_every_topic_has_a_unique_slug_a_label_and_keywords():
    assert len({t.slug for t in TOPICS}) == len(TOPICS)
    assert all(t.label and t.keywords for t in TOPICS)
    assert TOPIC_LABELS["assistance"] == "社会救助/低保"


def test_keywords_match_traditional_and_full_width_text():
    assert "elderly" in classify("養老服務體系建設滯後")
    assert "assistance" in classify("最低生活保障ａｂ")
    assert classify(None, "") == []


def test_every_keyword_is_found_wherever_it_occurs():
    """classify checks only keywords whose first character the text holds; it must equal checking all."""
    import random

    from notices import tokenize
    from notices.topics import classify_folded

    def every_keyword(*folded):
        joined = "|".join(folded)
        return [t.slug for t in TOPICS if any(tokenize.fold(k) in joined for k in t.keywords)]

    keywords = [k for t in TOPICS for k in t.keywords]
    rng = random.Random(11)
    for _ in range(500):
        text = "".join(rng.choice(keywords)[rng.randrange(2):] + rng.choice(["", "的", "，"]) for _ in range(4))
        folded = tokenize.fold(text), tokenize.fold(rng.choice(keywords))
        assert classify_folded(*folded) == every_keyword(*folded), folded
    assert classify_folded("", "") == []


def test_an_ageing_cadre_team_is_about_cadres_not_elderly_care():
    assert classify("干部队伍老龄化问题突出") == ["cadres"]


@pytest.mark.django_db
@pytest.mark.parametrize("title, topic", [
    ("落实低保“扩围增效”要求有差距", "assistance"),
    ("婚俗改革推进乏力", "marriage"),
    ("社会组织监管不到位", "social-orgs"),
    ("关于“困境儿童生活保障水平不高”问题的整改", "children"),
    ("关于“困难残疾人生活补贴发放不精准”问题的整改情况", "assistance"),
    ("关于“机关纪委力量薄弱”问题的整改情况", "integrity"),
    ("“三重一大”制度执行不严格", "party-building"),
])
def test_seed_problems_get_their_topic(title, topic):
    issue = Issue.objects.get(title=title)
    assert topic in issue.topics


@pytest.mark.django_db
def test_a_notice_has_the_topics_of_its_problems():
    for notice in Notice.objects.all():
        assert set(notice.topics) == {slug for issue in notice.issues.all() for slug in issue.topics}
    assert Notice.objects.filter(topics__contains=["elderly"]).count() == 5
