"""Problems in other notices that resemble this notice's problems.

Cheap and explainable: candidates share a topic with the notice, and are ranked by how many
character bigrams their heading shares with the closest of this notice's headings (Jaccard).
At most two per other notice, so that one long notice does not fill the list.
"""
from __future__ import annotations

import re
from dataclasses import dataclass

from ..models import Issue, Notice
from .. import tokenize
from .outline import problem_anchor

# Words nearly every heading has ("关于……问题的整改情况"): they say nothing about the problem.
FRAME = re.compile(r"关于|针对|问题|的整改情况|整改情况|整改落实情况|方面|存在|不到位|不够|[“”\"'‘’,，。:：;；、()（）]")
CANDIDATES = 800
MIN_SCORE = 0.12
PER_NOTICE = 2


@dataclass(frozen=True)
class SimilarProblem:
    title: str
    url: str
    notice: Notice
    resembles: str  # this notice's problem it is closest to
    resembles_anchor: str
    score: float


def _bigrams(text: str) -> frozenset[str]:
    folded = FRAME.sub("", tokenize.fold(text))
    return frozenset(folded[i:i + 2] for i in range(len(folded) - 1))


def similar_problems(notice: Notice, limit: int = 6) -> list[SimilarProblem]:
    own = [(issue, _bigrams(issue.title)) for issue in notice.issues.only("title", "position", "topics", "notice")]
    own = [(issue, grams) for issue, grams in own if grams]
    if not own or not notice.topics:
        return []
    candidates = (
        Issue.objects.exclude(notice=notice).filter(topics__overlap=notice.topics)
        .filter(notice__in=Notice.objects.values("pk"))  # the public notices only
        .select_related("notice").only("title", "position", "notice__id", "notice__title", "notice__issuer",
                                       "notice__agency_name", "notice__inspection_kind", "notice__publish_date")
        .order_by("-notice__publish_date", "notice_id", "position")[:CANDIDATES]
    )
    scored = []
    for candidate in candidates:
        grams = _bigrams(candidate.title)
        if not grams:
            continue
        best, closest = 0.0, None
        for issue, own_grams in own:
            score = len(grams & own_grams) / len(grams | own_grams)
            if score > best:
                best, closest = score, issue
        if best >= MIN_SCORE and closest is not None:
            scored.append((best, candidate, closest))
    scored.sort(key=lambda row: -row[0])
    out: list[SimilarProblem] = []
    per_notice: dict[int, int] = {}
    for score, candidate, closest in scored:
        if per_notice.get(candidate.notice_id, 0) >= PER_NOTICE:
            continue
        per_notice[candidate.notice_id] = per_notice.get(candidate.notice_id, 0) + 1
        url = f"{candidate.notice.get_absolute_url()}#{problem_anchor(candidate.position)}"
        out.append(SimilarProblem(candidate.title, url, candidate.notice, closest.title,
                                  problem_anchor(closest.position), round(score, 2)))
        if len(out) >= limit:
            break
    return out
