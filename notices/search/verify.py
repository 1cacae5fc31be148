"""Stage 3, verify: the exact condition a match satisfies (a substring test on folded text),
checked on candidates only, whole or in display order until a page is full.

Problems and measures are checked the same way, inside candidate notices only: they need no
index of their own (the notice's bag covers its whole tree).
"""
from __future__ import annotations

from typing import Callable, Set

from django.db.models import Exists, OuterRef, Q, QuerySet

from ..models import Issue, Measure, Notice, UnitGrams
from .candidates import candidates, count_candidates, live_by_id, unconfirmed
from .plan import plan
from .query import Query, Term
from .sql import Matches, absent, among, contains, ids_of
from .words import passing, substring_part

Keep = Callable[[list[int]], list[int]]  # of the ids given, those to keep, in order
SAMPLE_SIZE = 150  # candidates verified to estimate the share that match
CHUNK = 60
MAX_CHUNK = 2000


def _notice_term(term: Term, scope: str) -> Q:
    """A term as a condition on the notice row (fielded terms, or unfielded at notice scope)."""
    f = term.folded
    if term.field == "title":
        return Q(contains("fold_title", f))
    if term.field == "agency":
        return Q(contains("fold_agency", f))
    if term.field in ("problem", "measure") or scope != "notice":
        model = Issue if (term.field or scope) == "problem" else Measure
        return Q(Exists(model.objects.filter(notice=OuterRef("pk")).filter(contains("fold_text", f))))
    return Q(contains("fold_text", f)) | Q(contains("fold_title", f)) | Q(contains("fold_agency", f))


def unit_condition(query: Query) -> Q | None:
    """For the problem and measure scopes: all unfielded clauses must hold within one unit."""
    clauses = [c for c in query.clauses if all(t.field is None for t in c)]
    excluded = [t for t in query.excluded if t.field is None]
    if not clauses and not excluded:
        return None
    condition = Q()
    for clause in clauses:
        either = Q()
        for term in clause:
            either |= Q(contains("fold_text", term.folded))
        condition &= either
    for term in excluded:
        condition &= Q(absent("fold_text", term.folded))
    return condition


def problems_holding(query: Query) -> QuerySet | None:
    """A superset of the problems in which unit_condition(query) can hold, found by the GIN index
    over their character pairs (models.UnitGrams) from the gram bag of its clauses; None when
    it has none. Cheap when few problems hold the words, however many notices do."""
    clauses = tuple(c for c in query.clauses if all(t.field is None for t in c))
    bag = plan(Query(clauses), "problem").bag if clauses else None
    return None if bag is None else Issue.objects.filter(Matches(UnitGrams("fold_text"), bag))


def verification(query: Query, scope: str, units: bool = True) -> Q:
    """The exact condition a matching notice satisfies (`units` False: all but the problem or
    measure scope's own test, one unit holding the words, for a caller that tests units itself)."""
    condition = Q()
    unit_scope = scope in ("problem", "measure")
    for clause in query.clauses:
        if unit_scope and all(t.field is None for t in clause):
            continue  # checked together inside one unit below
        either = Q()
        for term in clause:
            either |= _notice_term(term, scope)
        condition &= either
    for term in query.excluded:
        if unit_scope and term.field is None:
            continue
        condition &= ~_notice_term(term, scope)
    within = unit_condition(query) if unit_scope and units else None
    if within is not None:
        model = Issue if scope == "problem" else Measure
        condition &= Q(Exists(model.objects.filter(notice=OuterRef("pk")).filter(within)))
    return condition


def matching(notices: QuerySet, query: Query, scope: str = "notice", whole_words: bool = False,
             units: bool = True) -> QuerySet:
    """Exactly the notices that match (for exports and exact counts): candidates, verified (and in
    the word mode, holding every term as a whole word: read one by one, so slower for broad words).

    `units` False (substring mode only): the notices that match but for the test that one of their
    problems or measures holds the words, for a caller that selects those units itself. Testing
    it here too doubles the work, and the planner, which cannot tell how many notices the gram
    bag passes, then walks every notice in id order testing bags (measures?q=公墓: 5 s).
    """
    if query.is_empty:
        return notices
    steps = plan(substring_part(query, whole_words), scope)
    check = verification(steps.residue, scope, units or whole_words)
    notices = live_by_id(notices)  # once, for both uses below
    pool = candidates(notices, steps)
    if steps.exact:
        found = pool
    elif steps.confirmed is None:
        found = pool.filter(check)
    else:  # the candidates but those the index does not confirm and whose text fails (usually
        # none), found once, as a subquery of their own: a test of the bag row by row would read every bag
        unsure = notices.filter(unconfirmed(steps))
        found = pool.exclude(pk__in=unsure.exclude(check).order_by().values("pk"))
    if whole_words:
        return notices.filter(among(passing(ids_of(found), query, scope)))
    return found


def candidate_count(notices: QuerySet, query: Query, scope: str = "notice") -> int:
    """How many candidates a substring search of `query` has among `notices`: at least as many as
    its matches, counted from the index as the search's listing counts them (a statement of a few
    ms at most, reading no row), so a caller can tell a list it will rank by words
    (rank.ranks_every) before reading it."""
    steps = plan(query, scope)
    return count_candidates(notices, steps) if steps.bag is not None or steps.fielded else notices.count()


def unverified(notices: QuerySet, query: Query, scope: str) -> tuple[QuerySet, Q]:
    """A substring search's candidates among `notices` (found by the GIN index alone: a superset
    of the matches) and the condition that verifies them, but for the unit test (see matching),
    for a caller that verifies only the few candidates it reads."""
    if query.is_empty:
        return notices, Q()
    steps = plan(query, scope)
    return candidates(notices, steps), verification(steps.residue, scope, units=False)


def verify_in_order(ids: list[int], check: Q, wanted: int, ratio: float, keep: Keep | None = None,
                    confirmed: Set[int] = frozenset()) -> list[int]:
    """The first `wanted` candidates that pass `check` (and `keep`, given), in order; those in
    `confirmed` pass `check` without it.

    The first chunk is sized by the sampled pass `ratio` to hold them all; later chunks
    double, in case the sample was optimistic.
    """
    found: list[int] = []
    start, size = 0, min(MAX_CHUNK, max(CHUNK, int(wanted * 1.25 / max(ratio, 1 / SAMPLE_SIZE))))
    while start < len(ids) and len(found) < wanted:
        chunk = ids[start:start + size]
        ok = set(_passed(chunk, check, keep, confirmed))
        found.extend(pk for pk in chunk if pk in ok)
        start += size
        size = min(size * 2, MAX_CHUNK)
    return found


def sampled_ratio(sample: list[int], check: Q, keep: Keep | None = None, confirmed: Set[int] = frozenset()) -> float:
    return len(_passed(sample, check, keep, confirmed)) / len(sample) if sample else 0.0


def _passed(ids: list[int], check: Q, keep: Keep | None, confirmed: Set[int] = frozenset()) -> list[int]:
    """The ids that are `confirmed` or pass `check` (SQL), then `keep` (Python: the word mode's
    whole-word test), in no particular order."""
    unsure = [pk for pk in ids if pk not in confirmed]
    passed = [pk for pk in ids if pk in confirmed]
    if unsure:
        passed += ids_of(Notice.objects.filter(among(unsure)).filter(check))
    return keep(passed) if keep is not None and passed else passed
