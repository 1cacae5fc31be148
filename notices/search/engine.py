"""Running a search: the five stages in order, and what the caller gets back.

How a search runs (see tokenize.py for the bag and the fold):

1. Plan (plan.py): the query split into the GIN-indexed bag condition and the rest. For a
   term of one or two characters searched at notice scope the bag entry is the term itself,
   so the bag decides it exactly, exclusions included: such searches need no verification.
2. Candidates (candidates.py): notices whose gram bag holds every bag entry of the query's
   terms, within the filtered queryset the caller passes in; one pass over them counts
   them, lists the first in display order and draws a fixed pseudo-random sample.
3. Verification (verify.py): a substring test (strpos) on the folded text of the notice, or
   of its problems or measures. Small candidate sets (the usual case) are verified whole:
   exact total, exact facets. Large ones are verified in display order until the page is
   full; the total is estimated from the verified sample and marked as an estimate, and
   facets count the sample (FACET_SAMPLE), scaled.
4. Ranking (rank.py): a match in the title or agency first, then (for at most RANK_LIMIT
   candidates) jieba word matches in the title and problem headings, then date.
5. Listing (hits.py): the page's notices get their matching problems and measures.
"""
from __future__ import annotations

from dataclasses import dataclass

from django.db.models import QuerySet

from ..models import Notice
from .candidates import candidates, read_candidates
from .hits import NoticeHit, attach_hits
from .plan import plan
from .query import Query
from .rank import RANK_LIMIT, ordered
from .sql import among, ids_of, index_scans
from .verify import SAMPLE_SIZE, sampled_ratio, verification, verify_in_order

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
        steps = plan(self.query, self.scope)
        pool = candidates(qs, steps)
        if steps.exact:
            return pool, 1.0, False
        if pool.count() <= EXACT_LIMIT:
            return pool.filter(verification(steps.residue, self.scope)), 1.0, False
        return pool, 1.0 if units else self.ratio, True


def search(
    notices: QuerySet, query: Query, *, scope: str = "notice", sort: str = "relevance",
    page: int = 1, per_page: int = 20, with_hits: bool = True,
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
        return _search(base, query, scope, sort, page, per_page, with_hits)


def _search(base, query, scope, sort, page, per_page, with_hits) -> SearchOutcome:
    offset = (page - 1) * per_page
    wanted = offset + per_page
    steps = plan(query, scope)
    check = verification(steps.residue, scope)
    pool = candidates(base, steps)
    listing = read_candidates(pool, query, sort, 4 * wanted)
    ids = listing.first
    exact_ids = facet_ids = None
    ratio, facet_scale, estimated = 1.0, 1.0, False
    if listing.complete and sort == "relevance" and 1 < len(ids) <= RANK_LIMIT:
        ids = ids_of(ordered(Notice.objects.filter(among(ids)), query, sort))  # with jieba words too
    if steps.exact or (listing.complete and len(ids) <= EXACT_LIMIT):
        matched = ids
        if not steps.exact:
            passed = set(ids_of(Notice.objects.filter(among(ids)).filter(check)))
            matched = [pk for pk in ids if pk in passed]
        total = listing.count if steps.exact else len(matched)
        page_ids = matched[offset:wanted]
        if total <= EXACT_LIMIT:
            exact_ids = matched
        else:  # an exact total, but facets of so many notices are counted on a sample
            facet_ids, facet_scale = listing.sample, total / len(listing.sample)
    else:
        ratio = sampled_ratio(listing.sample[:SAMPLE_SIZE], check)
        found = verify_in_order(ids, check, wanted, ratio)
        if len(found) < wanted and not listing.complete:  # rare: matches too sparse among the first ids
            rest = ids_of(ordered(pool, query, sort, words=False))[len(ids):]
            found += verify_in_order(rest, check, wanted - len(found), ratio)
        page_ids = found[offset:wanted]
        # Facet counts of a large search are estimates anyway (the ratio is sampled): count
        # the sample of candidates and scale, instead of every candidate.
        facet_ids, facet_scale = listing.sample, ratio * listing.count / len(listing.sample)
        total, estimated = max(round(listing.count * ratio), offset + len(page_ids)), True
    by_id = {n.pk: n for n in base.filter(among(page_ids)).select_related("agency")}
    page_notices = [by_id[pk] for pk in page_ids if pk in by_id]
    hits = attach_hits(page_notices, query, scope) if with_hits else [NoticeHit(n) for n in page_notices]
    return SearchOutcome(query, scope, sort, page, per_page, hits, total, estimated, ratio,
                         exact_ids, facet_ids, facet_scale)
