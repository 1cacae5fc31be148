"""Problems in other notices that resemble this notice's problems.

Cheap and explainable: candidates share a topic with the notice, and are ranked by how many
character bigrams their heading shares with the closest of this notice's headings (Jaccard).
At most two per other notice, so that one long notice does not fill the list.
"""
from __future__ import annotations

import heapq
import re
from dataclasses import dataclass

from ..models import Issue, Notice
from ..opendata.caching import archive_fingerprint
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


def _bigrams(folded: str) -> tuple[str, ...]:
    """The distinct character bigrams of a folded heading (Issue.fold_text), the frame words left out."""
    folded = FRAME.sub("", folded)
    return tuple({_GRAMS.setdefault(gram, gram) for gram in (folded[i:i + 2] for i in range(len(folded) - 1))})


_GRAMS: dict[str, str] = {}  # one copy of each bigram for every kept heading


@dataclass(frozen=True)
class _Newest:
    """The newest problems of one topic, in the order candidates are taken (newest notice first)."""
    state: str
    rows: list[tuple[tuple, int, int, tuple[str, ...]]]  # (order, problem id, notice id, bigrams)
    complete: bool  # the topic has no other problems


# Per topic, for one state of the archive. Every notice page drew its 800 candidates anew with a
# query that sorts the problems of its topics, and folded their headings again: at 20,000
# notices a third of the page's time. The 22 topics' lists are read once per state and web
# process instead (8.4 MB, whatever the archive's size), and a page merges the lists of its topics.
_NEWEST: dict[str, _Newest] = {}
PER_TOPIC = CANDIDATES + 200  # room for the notice's own problems, which are not candidates


def _order(publish_date, notice_id: int, position: int) -> tuple:
    # The query's order: publish_date DESC (PostgreSQL puts the undated first), then ascending ids.
    return (publish_date is not None, -publish_date.toordinal() if publish_date else 0, notice_id, position)


def _newest(topic: str, state: str) -> _Newest:
    kept = _NEWEST.get(topic)
    if kept is None or kept.state != state:
        rows = [
            (_order(date, notice_id, position), pk, notice_id, _bigrams(folded))
            for pk, notice_id, date, position, folded in _candidates([topic]).values_list(
                "pk", "notice_id", "notice__publish_date", "position", "fold_text")[:PER_TOPIC]
        ]
        kept = _NEWEST[topic] = _Newest(state, rows, len(rows) < PER_TOPIC)
    return kept


def _candidates(topics: list[str]):
    return (Issue.objects.filter(topics__overlap=topics)
            .filter(notice__in=Notice.objects.values("pk"))  # the public notices only
            .order_by("-notice__publish_date", "notice_id", "position"))


def _merged(notice: Notice) -> list[tuple[int, int, tuple[str, ...]]]:
    """The first CANDIDATES problems of other notices that share a topic with `notice`, newest first."""
    state = archive_fingerprint()
    lists = [_newest(topic, state) for topic in notice.topics]
    seen, out = set(), []
    own = notice.pk
    for _, pk, notice_id, grams in heapq.merge(*(kept.rows for kept in lists)):  # rows compare by their order first
        if notice_id != own and pk not in seen:
            seen.add(pk)
            out.append((pk, notice_id, grams))
            if len(out) == CANDIDATES:
                break
    if len(out) < CANDIDATES and not all(kept.complete for kept in lists):
        # A cut list ran out (a notice with more than 200 problems of one topic): ask the database.
        rows = _candidates(notice.topics).exclude(notice=notice).values_list("pk", "notice_id", "fold_text")
        return [(pk, notice_id, _bigrams(folded)) for pk, notice_id, folded in rows[:CANDIDATES]]
    return out


def similar_problems(notice: Notice, limit: int = 6) -> list[SimilarProblem]:
    own = [(issue, frozenset(_bigrams(issue.fold_text)))
           for issue in notice.issues.only("title", "position", "topics", "notice", "fold_text")]
    own = [(issue, grams) for issue, grams in own if grams]
    if not own or not notice.topics:
        return []
    candidates = _merged(notice)
    # Which of this notice's headings hold each bigram: a candidate's overlap with every heading
    # is counted from its own few bigrams, instead of intersecting it with each heading in turn.
    holders: dict[str, list[int]] = {}
    for index, (_, own_grams) in enumerate(own):
        for gram in own_grams:
            holders.setdefault(gram, []).append(index)
    sizes = [len(own_grams) for _, own_grams in own]
    scored = []
    for pk, notice_id, grams in candidates:
        shared: dict[int, int] = {}  # heading -> bigrams in common, for the headings that share any
        for gram in grams:
            for index in holders.get(gram, ()):
                shared[index] = shared.get(index, 0) + 1
        best, closest = 0.0, len(own)
        for index, common in shared.items():
            score = common / (len(grams) + sizes[index] - common)  # Jaccard: |a & b| / |a | b|
            if score > best or (score == best and index < closest):  # ties: the first heading
                best, closest = score, index
        if best >= MIN_SCORE:
            scored.append((best, pk, notice_id, own[closest][0]))
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
