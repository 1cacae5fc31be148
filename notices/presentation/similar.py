"""Problems in other notices that resemble this notice's problems.

Cheap and explainable: candidates share a topic with the notice, and are ranked by how many
character bigrams their heading shares with the closest of this notice's headings (Jaccard).
At most two per other notice, so that one long notice does not fill the list.
"""
from __future__ import annotations

import functools
import re
from dataclasses import dataclass

from ..models import Issue, Notice
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


@functools.lru_cache(maxsize=8192)
def _bigrams(folded: str) -> frozenset[str]:
    """The character bigrams of a folded heading (Issue.fold_text), the frame words left out.

    Kept for the headings seen last: most notice pages draw their candidates from the same
    newest problems of each topic."""
    folded = FRAME.sub("", folded)
    return frozenset(folded[i:i + 2] for i in range(len(folded) - 1))


def similar_problems(notice: Notice, limit: int = 6) -> list[SimilarProblem]:
    own = [(issue, _bigrams(issue.fold_text))
           for issue in notice.issues.only("title", "position", "topics", "notice", "fold_text")]
    own = [(issue, grams) for issue, grams in own if grams]
    if not own or not notice.topics:
        return []
    # Scored from bare values (the stored folded heading): a page shows six of the 800, so only
    # those become objects. Building 800 rows with their notices, and folding each heading
    # again, was half the time of a notice page at 20,000 notices.
    candidates = (
        Issue.objects.exclude(notice=notice).filter(topics__overlap=notice.topics)
        .filter(notice__in=Notice.objects.values("pk"))  # the public notices only
        .order_by("-notice__publish_date", "notice_id", "position")
        .values_list("pk", "notice_id", "fold_text")[:CANDIDATES]
    )
    # Which of this notice's headings hold each bigram: a candidate's overlap with every heading
    # is counted from its own few bigrams, instead of intersecting it with each heading in turn.
    holders: dict[str, list[int]] = {}
    for index, (_, own_grams) in enumerate(own):
        for gram in own_grams:
            holders.setdefault(gram, []).append(index)
    sizes = [len(own_grams) for _, own_grams in own]
    scored = []
    for pk, notice_id, folded in candidates:
        grams = _bigrams(folded)
        if not grams:
            continue
        shared = [0] * len(own)
        for gram in grams:
            for index in holders.get(gram, ()):
                shared[index] += 1
        best, closest = 0.0, None
        for index, common in enumerate(shared):
            score = common / (len(grams) + sizes[index] - common)  # Jaccard: |a & b| / |a | b|
            if score > best:
                best, closest = score, own[index][0]
        if best >= MIN_SCORE and closest is not None:
            scored.append((best, pk, notice_id, closest))
    scored.sort(key=lambda row: -row[0])
    chosen, per_notice = [], {}
    for score, pk, notice_id, closest in scored:
        if per_notice.get(notice_id, 0) >= PER_NOTICE:
            continue
        per_notice[notice_id] = per_notice.get(notice_id, 0) + 1
        chosen.append((score, pk, closest))
        if len(chosen) >= limit:
            break
    rows = Issue.objects.select_related("notice").only(
        "title", "position", "notice__id", "notice__title", "notice__issuer", "notice__agency_name",
        "notice__inspection_kind", "notice__publish_date",
    ).in_bulk([pk for _, pk, _ in chosen])
    out: list[SimilarProblem] = []
    for score, pk, closest in chosen:
        candidate = rows[pk]
        url = f"{candidate.notice.get_absolute_url()}#{problem_anchor(candidate.position)}"
        out.append(SimilarProblem(candidate.title, url, candidate.notice, closest.title,
                                  problem_anchor(closest.position), round(score, 2)))
    return out
