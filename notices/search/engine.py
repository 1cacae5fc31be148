"""Running a search: the five stages in order, and what the caller gets back.

How a search runs (see tokenize.py for the bag and the fold):

1. Plan (plan.py): the query split into the GIN-indexed bag condition and the rest. For a
   term of one or two characters searched at notice scope the bag entry is the term itself,
   so the bag decides it exactly, exclusions included: such searches need no verification.
2. Candidates (candidates.py): notices whose gram bag holds every bag entry of the query's
   terms, within the filtered queryset the caller passes in; a listing counts them, lists the
   first in display order and draws a fixed pseudo-random sample (for a broad word, without
   reading every candidate).
3. Verification (verify.py): a substring test (sql.contains) on the folded text of the notice, or
   of its problems or measures. Small candidate sets (the usual case) are verified whole:
   exact total, exact facets. Large ones are verified in display order until the page is
   full; the total is estimated from the verified sample and marked as an estimate, and
   facets count the sample (FACET_SAMPLE), scaled.
4. Ranking (rank.py): for unfielded terms, a match in the title or agency first, then (for at
   most RANK_LIMIT candidates) jieba word matches in the title and problem headings, then date
   (fielded terms only filter: title:/agency: alone list newest first); among at most
   EXACT_LIMIT matches, those holding every search word as a whole word first (words.py).
5. Listing (hits.py): the page's notices get their matching problems and measures.

The word mode (`whole_words`, 按词匹配) keeps only the matches holding every term as a whole
word: step 3 then also runs words.passing on what the substring test passed (the bag never
decides alone), so totals, estimates and facets count the same notices the list shows.

Exports list every match in the order the pages do (in_display_order).
"""
from __future__ import annotations

from dataclasses import dataclass

from django.db.models import QuerySet

from ..models import Notice
from .candidates import candidates, ranked_listing, read_candidates
from .hits import NoticeHit, attach_hits
from .plan import plan
from .query import Query
from .rank import RANK_LIMIT, ordered, ranked_ids, ranks_every
from .sql import among, ids_of, in_order_of, index_scans
from .verify import (
    SAMPLE_SIZE, candidate_count, matching, problems_holding, sampled_ratio, verification, verify_in_order,
)
from .words import passing, substring_part, whole_words_first

SCOPES = ("notice", "problem", "measure")
SORTS = ("relevance", "date", "oldest")
EXACT_LIMIT = 400  # candidates verified in one go; past this, totals are estimated


@dataclass
class SearchOutcome:
    query: Query
    scope: str
    sort: str
    page: int
    per_page: int
    hits: list[NoticeHit]
    total: int  # notices matching (an estimate when `estimated`)
    estimated: bool
    ratio: float = 1.0  # verified share of candidates (sampled when estimated)
    # What the search found over the queryset it was given, so facets over the same one reuse it.
    exact_ids: list[int] | None = None  # every match, when counted exactly
    facet_ids: list[int] | None = None  # otherwise the candidates facets count (at most FACET_SAMPLE)
    facet_scale: float = 1.0  # matches per counted candidate
    whole_words: bool = False  # the word mode: only matches holding every term as a whole word

    @property
    def num_pages(self) -> int:
        return max(1, -(-self.total // self.per_page))

    def restrict(self, qs: QuerySet, searched: bool = False, units: bool = False) -> tuple[QuerySet, float, bool]:
        """`qs` narrowed to this search, for facet counts: exact when cheap, else candidates scaled.

        `searched` says that `qs` selects the very notices the search ran over (the caller
        built it from the same filters): what the search found is reused then. `units` says
        that the caller counts the matching problems of the notices given, and so verifies
        them itself: the scale then covers only the share of candidates counted.
        """
        if self.query.is_empty:
            return qs, 1.0, False
        if searched:
            if self.exact_ids is not None:
                return qs.filter(among(self.exact_ids)), 1.0, False
            scale = self.facet_scale
            if units:
                scale = scale / self.ratio if self.ratio else 0.0
            return qs.filter(among(self.facet_ids)), scale, True
        steps = plan(substring_part(self.query, self.whole_words), self.scope)
        pool = candidates(qs, steps)
        if steps.exact and not self.whole_words:
            return pool, 1.0, False
        if pool.count() <= EXACT_LIMIT:
            verified = pool.filter(verification(steps.residue, self.scope))
            if self.whole_words:
                verified = qs.filter(among(passing(ids_of(verified), self.query, self.scope)))
            return verified, 1.0, False
        return pool, 1.0 if units else self.ratio, True


# In the problem scope, below this share of candidates holding a matching problem (sampled),
# the problems' own index (problems_holding) says which candidates can hold one at all.
SPARSE_SHARE = 0.25


def _holding_problems(query: Query) -> set[int] | None:
    """The notices with a problem that may hold the words (a superset of those that do)."""
    holding = problems_holding(query)
    return None if holding is None else set(holding.order_by().values_list("notice_id", flat=True))


def _within(pool: QuerySet, may_hold: set[int] | None) -> QuerySet:
    return pool if may_hold is None else pool.filter(among(list(may_hold)))


def _among(ids: list[int], may_hold: set[int] | None) -> list[int]:
    """`ids` less those that cannot pass (verifying them would find no problem holding the words)."""
    return ids if may_hold is None else [pk for pk in ids if pk in may_hold]


def search(
    notices: QuerySet, query: Query, *, scope: str = "notice", sort: str = "relevance",
    page: int = 1, per_page: int = 20, with_hits: bool = True, whole_words: bool = False,
) -> SearchOutcome:
    scope = scope if scope in SCOPES else "notice"
    sort = sort if sort in SORTS else "relevance"
    page = max(1, page)
    base = notices.defer(*Notice.SEARCH_COLUMNS)  # a page of results never shows them
    offset = (page - 1) * per_page
    if query.is_empty:
        qs = ordered(base, query, sort)
        total = qs.count()
        page_notices = list(qs[offset:offset + per_page])
        return SearchOutcome(query, scope, sort, page, per_page, [NoticeHit(n) for n in page_notices], total, False)

    with index_scans(base.db):
        return _search(base, query, scope, sort, page, per_page, with_hits, whole_words)


def in_display_order(notices: QuerySet, query: Query, scope: str = "notice", sort: str = "relevance",
                     whole_words: bool = False) -> QuerySet:
    """Every match of a search among `notices`, in the order its pages list them (for exports:
    a CSV of a search lists its notices as the pages did)."""
    if query.is_empty:
        return ordered(notices, query, sort)
    with index_scans(notices.db):
        ids = _ranked_matches(notices, query, scope, sort, whole_words)
    if ids is None:  # the order SQL gives: by the cheap signals, or by date
        return ordered(matching(notices, query, scope, whole_words), query, sort, words=False)
    return notices.filter(among(ids)).order_by(in_order_of(ids))


def _ranked_matches(notices: QuerySet, query: Query, scope: str, sort: str, whole_words: bool) -> list[int] | None:
    """The ids of every match, in the order the search's pages list them, when that order is
    drawn in Python: by relevance with every candidate listed (at most RANK_LIMIT), ranked by
    words where rank.ranks_every says so, and among at most EXACT_LIMIT those holding every word
    whole first. None otherwise: the order rank.ordered gives without words is the search's then.
    (Exports ranked every match by words in SQL, whole words not first, and a broad word's
    matches by words too: not the order its pages showed.)"""
    substring = substring_part(query, whole_words)
    count = candidate_count(notices, substring, scope)
    if sort != "relevance" or count > RANK_LIMIT:
        return None
    steps = plan(substring, scope)
    by_words = ranks_every(query, sort, count)
    listing = ranked_listing(notices, steps, query, RANK_LIMIT, verification(steps.residue, scope)) if by_words else None
    if listing is not None:
        ids = [pk for pk in listing.first if pk not in listing.failed]
    else:  # (not ranked by words, or a notice without its ranking row: ranked_ids reads the notice)
        ids = ids_of(ordered(matching(notices, substring, scope), query, sort, words=False))
        ids = ranked_ids(ids, query) if by_words else ids
    return _by_words(ids, query, scope, whole_words)  # (the substring matches, as the listing's)


def _by_words(ids: list[int], query: Query, scope: str, whole_words: bool) -> list[int]:
    """A complete list of matches by relevance as the search shows it: in the word mode only those
    holding every term as a whole word; else, among at most EXACT_LIMIT, those first."""
    if whole_words:
        return passing(ids, query, scope)
    return whole_words_first(ids, query, scope) if 1 < len(ids) <= EXACT_LIMIT else ids


def _search(base, query, scope, sort, page, per_page, with_hits, whole_words) -> SearchOutcome:
    offset = (page - 1) * per_page
    wanted = offset + per_page
    steps = plan(substring_part(query, whole_words), scope)
    check = verification(steps.residue, scope)
    keep = (lambda ids: passing(ids, query, scope)) if whole_words else None
    exact = steps.exact and not whole_words  # the bag decides substrings, never words
    pool = candidates(base, steps)
    listing = read_candidates(base, steps, query, sort, 4 * wanted, unsure_up_to=EXACT_LIMIT, check=check)
    ids = listing.first
    exact_ids = facet_ids = None
    ratio, facet_scale, estimated = 1.0, 1.0, False
    if listing.complete and not listing.ranked and ranks_every(query, sort, len(ids)):
        ids = ranked_ids(ids, query)  # with jieba words too
    # Every candidate the index did not confirm checked at once, when they are few: an exact
    # total. (The word mode reads every text in Python: only for a small complete list.)
    if keep is not None:
        at_once = listing.complete and len(ids) <= EXACT_LIMIT
    else:
        at_once = listing.unsure_known and listing.unsure_count <= EXACT_LIMIT
    if exact or at_once:
        failed = set(listing.failed or ())
        if not exact and listing.unsure and listing.failed is None:
            unsure = sorted(listing.unsure)
            failed = set(unsure) - set(ids_of(Notice.objects.filter(among(unsure)).filter(check)))
        matched = [pk for pk in ids if pk not in failed]
        if listing.complete and sort == "relevance":
            matched = _by_words(matched, query, scope, whole_words)
        elif keep is not None:
            matched = keep(matched)
        total = len(matched) if listing.complete else listing.count - len(failed)
        if len(matched) < min(wanted, total):  # rare: the failed were most of the first candidates
            rest = ids_of(ordered(pool, query, sort, words=False))[len(ids):]
            matched += [pk for pk in rest if pk not in failed][:wanted - len(matched)]
        page_ids = matched[offset:wanted]
        if len(matched) == total <= EXACT_LIMIT:
            exact_ids = matched
        else:  # an exact total, but facets of so many notices are counted on a sample
            facet_ids = [pk for pk in listing.sample if pk not in failed]
            facet_scale = total / len(facet_ids)
    else:
        confirmed = listing.confirmed([*ids, *listing.sample])
        ratio = sampled_ratio(listing.sample[:SAMPLE_SIZE], check, keep, confirmed)
        may_hold = _holding_problems(steps.residue) if scope == "problem" and ratio < SPARSE_SHARE else None
        found = verify_in_order(_among(ids, may_hold), check, wanted, ratio, keep, confirmed)
        if len(found) < wanted and not listing.complete:  # rare: matches too sparse among the first ids
            listed = set(ids)
            rest = [pk for pk in ids_of(ordered(_within(pool, may_hold), query, sort, words=False)) if pk not in listed]
            found += verify_in_order(rest, check, wanted - len(found), ratio, keep)
        page_ids = found[offset:wanted]
        # Facet counts of a large search are estimates anyway (the ratio is sampled): count
        # the sample of candidates and scale, instead of every candidate.
        facet_ids, facet_scale = listing.sample, ratio * listing.count / len(listing.sample)
        if may_hold is not None:  # facets count problems (units): the other notices have none to count
            facet_ids = _among(facet_ids, may_hold)
        total, estimated = max(round(listing.count * ratio), offset + len(page_ids)), True
    by_id = {n.pk: n for n in base.filter(among(page_ids)).select_related("agency")}
    page_notices = [by_id[pk] for pk in page_ids if pk in by_id]
    hits = attach_hits(page_notices, query, scope, whole_words) if with_hits else [NoticeHit(n) for n in page_notices]
    return SearchOutcome(query, scope, sort, page, per_page, hits, total, estimated, ratio,
                         exact_ids, facet_ids, facet_scale, whole_words)
