"""One notice, many copies: a notice whose text is the same as, or nearly the same as, one stored.

The same notice reaches the archive many times: reposted by other sites in other page
chrome, re-encoded, saved again with one more newline. Its parse then has (nearly) the
same folded text. The rule:

1. Candidates: stored notices with the same folded title, or the same inspected unit (folded),
   both hash-indexed. A copy keeps its title and unit (they are what the parser reads
   first), and a unit has a handful of notices, so this stays a few rows however large
   the archive grows.
2. Similarity: Jaccard of the two folded texts' sets of character SHINGLE-grams (runs of
   letters and digits only, so punctuation and spacing do not count). Measured on built
   pairs by tools/near_duplicates.py; the threshold is ARCHIVE_NEAR_DUPLICATE_THRESHOLD.
3. Main text: the notice keeps the text it was first stored with; a copy is linked to it
   as another source (with its own bytes and provenance) and never replaces it.
"""
from __future__ import annotations

from dataclasses import dataclass

from django.conf import settings
from django.db.models import Q

from . import tokenize
from .parsing import ParsedNotice

SHINGLE = 5


def shingles(folded: str) -> frozenset[str]:
    """The character SHINGLE-grams of each run of letters and digits (a shorter run counts whole)."""
    out = set()
    for run in tokenize.runs(folded):
        if len(run) <= SHINGLE:
            out.add(run)
        else:
            out.update(run[i:i + SHINGLE] for i in range(len(run) - SHINGLE + 1))
    return frozenset(out)


def similarity(a: frozenset[str], b: frozenset[str]) -> float:
    if not a and not b:
        return 1.0
    return len(a & b) / len(a | b)


def candidate_keys(meta) -> tuple[str, str]:
    """(folded title, folded unit) of a parse's metadata: a copy shares one of them with its notice."""
    return tokenize.fold(meta.title or ""), tokenize.fold(meta.agency or "")


@dataclass(frozen=True)
class Match:
    notice_id: int
    similarity: float

    @property
    def percent(self) -> int:
        return int(self.similarity * 100)


def nearest_notice(parsed: ParsedNotice, *, exclude: int | None = None) -> Match | None:
    """The stored (live) notice most like `parsed`, when it is at least the threshold alike."""
    from .models import FIRST_UNIT, Notice  # (here: the measuring tool uses this module without Django)

    title, agency = candidate_keys(parsed.metadata)
    if not title and not agency:
        return None
    which = (Q(fold_title=title) if title else Q()) | (Q(first_unit=agency) if agency else Q())
    mine = shingles(tokenize.fold(parsed.text))
    best: Match | None = None
    rows = Notice.objects.annotate(first_unit=FIRST_UNIT).filter(which).exclude(pk=exclude)
    for pk, fold_text in rows.values_list("pk", "fold_text")[:200]:
        score = similarity(mine, shingles(fold_text))
        if best is None or score > best.similarity:
            best = Match(pk, score)
    if best is None or best.similarity < settings.ARCHIVE_NEAR_DUPLICATE_THRESHOLD:
        return None
    return best


def copy_of(digest: str) -> int | None:
    """The notice a file with this hash is already kept as a copy of, if any."""
    from .models import NoticeCopy

    return NoticeCopy.objects.filter(source__sha256=digest).values_list("notice_id", flat=True).first()


def store_copy(match: Match, data: bytes, digest: str, filename: str, content_type: str = "") -> str:
    """Keep a file (`digest`: its sha256) whose text is a near copy of a stored notice as another
    source of that notice, and say so (ingest.link_copy reports it as a "linked" result)."""
    from django.db import transaction

    from .models import NoticeCopy, SourceFile

    with transaction.atomic():
        source, _ = SourceFile.objects.get_or_create(sha256=digest, defaults=dict(
            filename=filename[:255], content_type=content_type[:100], size=len(data), data=data))
        NoticeCopy.objects.get_or_create(source=source, defaults=dict(
            notice_id=match.notice_id, similarity=match.similarity))
    return LINKED_MESSAGE.format(pk=match.notice_id, percent=match.percent)


LINKED_MESSAGE = "与已有通报 #{pk} 相似度 {percent}%，记为它的其他来源。"
