"""A notice as long as the archive takes has a page that stays under 1 MB: the outline and the
original in parts, each part a link away. A notice of ordinary length keeps its one page."""
from __future__ import annotations

import random
import re

import pytest
from django.urls import reverse

from notices.parsing.decode import MAX_TEXT_CHARS

from ..opendata.support import add_notice, problem

pytestmark = pytest.mark.django_db
MB = 1024 * 1024


@pytest.fixture
def long_notice():
    rng = random.Random(7)
    words = ["低保", "动态管理", "殡葬", "台账", "整改", "落实", "监督", "责任", "制度", "资金", "项目", "审批"]

    def sentence(n: int) -> str:
        return "".join(rng.choices(words, k=n)) + "。"

    problems, size = [], 0
    while size < MAX_TEXT_CHARS * 0.9:
        measures = [sentence(60) for _ in range(3)]
        children = (problem(f"子问题{sentence(8)}", sentence(60), label="1."),) if len(problems) % 7 == 0 else ()
        problems.append(problem(f"问题{len(problems) + 1}{sentence(10)}", *measures, label=f"（{len(problems) + 1}）",
                                category=f"第{len(problems) // 100 + 1}类问题", children=children))
        size += sum(map(len, measures)) + 200 + (300 if children else 0)
    return add_notice("关于巡察整改进展情况的通报\n", tuple(problems), title="一份很长的整改通报")


def test_the_longest_notice_the_archive_takes_has_pages_under_1_mb(client, long_notice):
    url = reverse("notices:detail", args=[long_notice.pk])
    first = client.get(url)
    assert first.status_code == 200
    parts = int(re.search(r"分 (\d+) 部分显示", first.content.decode()).group(1))
    assert parts > 1
    seen_lines, seen_problems, sizes = set(), set(), []
    for part in range(1, parts + 1):
        page = client.get(url, {"part": part, "q": "低保"})
        html = page.content.decode()
        sizes.append(len(page.content))
        assert len(page.content) < 1 * MB, (part, len(page.content))
        seen_lines |= set(re.findall(r'<p id="line-(\d+)"', html))
        seen_problems |= set(re.findall(r'<li class="problem depth-\d+" id="problem-(\d+)"', html))
    print(f"{len(long_notice.text):,} characters: {parts} parts of at most {max(sizes) / 1024:.0f} KB")
    lines = [line for line in long_notice.text.splitlines() if line.strip()]
    assert seen_lines == {str(i + 1) for i in range(len(lines))}  # every paragraph, in some part
    assert len(seen_problems) == long_notice.issues.count()  # every problem, sub-problems too


def test_a_notice_of_ordinary_length_keeps_its_one_page(client):
    from ..conftest import SEED_FILES  # noqa: F401  (the seeds are stored by the session fixture)
    from notices.models import Notice

    notice = Notice.objects.order_by("-id").first()
    html = client.get(reverse("notices:detail", args=[notice.pk])).content.decode()
    assert "部分显示" not in html
    assert len(re.findall(r'<p id="line-', html)) == len([line for line in notice.text.splitlines() if line.strip()])
