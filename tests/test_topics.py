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


def test_a_heading_that_names_no_topic_takes_its_categorys():
    from notices.topics import of_problem

    assert of_problem("设施建设滞后", "养老服务方面") == ["elderly"]
    # A category's set phrase does not add to a heading that names its own topic.
    assert of_problem("低保动态管理不到位", "聚焦群众身边腐败问题和不正之风") == ["assistance"]


def test_a_notice_is_about_the_topics_enough_of_its_problems_are_about():
    from notices.topics import of_notice

    # In a notice of fewer than ten problems, one problem is enough.
    assert of_notice([["funeral"], ["elderly", "finance"], []]) == ["elderly", "funeral", "finance"]
    # From ten problems on, a topic needs two of them; past forty, a twentieth.
    ten = [["funeral"], ["elderly"], ["elderly"], *[[]] * 7]
    assert of_notice(ten) == ["elderly"]
    sixty = [["funeral"]] * 2 + [["elderly"]] * 3 + [[]] * 55
    assert of_notice(sixty) == ["elderly"]
    assert of_notice([]) == []


@pytest.mark.django_db
def test_a_notice_has_the_topics_its_problems_are_about_and_its_problems_keep_theirs():
    for notice in Notice.objects.all():
        problems = list(Issue.objects.problems().filter(notice=notice))
        kept = set(notice.topics)
        assert kept <= {slug for issue in problems for slug in issue.topics}
        for slug in kept:
            assert sum(slug in issue.topics for issue in problems) >= (1 if len(problems) < 10 else 2)
    # Each sample took 10-15 topics and six topics were on all five; now a few each, and only
    # party building (two or three problems in every sample) is on all five. No topic is lost:
    # each problem keeps its own, which the problem search filters by.
    assert max(len(n.topics) for n in Notice.objects.all()) <= 9
    on_all = [t.slug for t in TOPICS if Notice.objects.filter(topics__contains=[t.slug]).count() == 5]
    assert on_all == ["party-building"]
    funeral = Issue.objects.problems().filter(topics__contains=["funeral"])
    assert funeral.exists()
    assert any("funeral" not in issue.notice.topics for issue in funeral)


@pytest.mark.django_db
def test_the_migration_gives_a_stored_archive_the_topics_a_fresh_write_gives():
    import importlib

    from django.apps import apps

    from notices.topics import classify

    from .test_write import assert_every_derived_column_is_current

    for issue in Issue.objects.all():  # as the old rule left them: heading and category, headings counted
        Issue.objects.filter(pk=issue.pk).update(topics=classify(issue.title, issue.category))
    for notice in Notice.objects.all():
        Notice.objects.filter(pk=notice.pk).update(
            topics=sorted({t for i in notice.issues.all() for t in i.topics}))
    assert Notice.objects.filter(topics__contains=["finance"]).count() == 5
    importlib.import_module("notices.migrations.0016_topics_from_problems").recompute(apps, None)
    assert assert_every_derived_column_is_current() == 5
