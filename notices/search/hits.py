"""Stage 5, list: the page's notices with their matching problems and measures, in document order."""
from __future__ import annotations

from dataclasses import dataclass, field
from typing import Callable

from django.db.models import Count, F, Q, QuerySet, Window
from django.db.models.functions import RowNumber

from ..models import Issue, Measure, Notice
from .query import Query, Term
from .sql import contains, serial
from ..tokenize import has_word
from .verify import unit_condition
from .words import substring_part, unit_passes

HITS_PER_NOTICE = 5
# Columns of problems and measures that results never show.
ISSUE_UNSHOWN, MEASURE_UNSHOWN = ("fold_text", "parsed_title"), ("fold_text", "parsed_text")


@dataclass
class UnitHit:
    unit: Issue | Measure
    issue: Issue | None = None  # for a measure: the problem it answers


@dataclass
class NoticeHit:
    notice: Notice
    issues: list[UnitHit] = field(default_factory=list)
    measures: list[UnitHit] = field(default_factory=list)
    more_issues: int = 0
    more_measures: int = 0


def attach_hits(page_notices: list[Notice], query: Query, scope: str, whole_words: bool = False) -> list[NoticeHit]:
    """The matching problems and measures of each notice on the page, in document order (in the
    word mode, only those holding the words whole)."""
    hits = {n.pk: NoticeHit(n) for n in page_notices}
    if not hits:
        return []
    ids = list(hits)
    unfielded = [t for t in query.positive_terms if t.field is None]
    issue_terms = unfielded + [t for t in query.positive_terms if t.field == "problem"]
    measure_terms = unfielded + [t for t in query.positive_terms if t.field == "measure"]

    def any_of(terms: list[Term]) -> Q | None:
        if not terms:
            return None
        condition = Q()
        for term in terms:
            condition |= Q(contains("fold_text", term.folded))
        return condition

    within = unit_condition(substring_part(query, whole_words))
    if scope == "problem":
        issue_filter, measure_filter = within, None
    elif scope == "measure":
        issue_filter, measure_filter = None, within
    else:
        issue_filter, measure_filter = any_of(issue_terms), any_of(measure_terms)
    if scope == "problem" and issue_filter is None:
        issue_filter = any_of(issue_terms)
    if scope == "measure" and measure_filter is None:
        measure_filter = any_of(measure_terms)

    def keep(kind: str, terms: list[Term]) -> Callable[[str], bool] | None:
        """In the word mode, which listed units stay: those holding the words whole."""
        if not whole_words:
            return None
        if scope == kind:
            return lambda folded: unit_passes(folded, query)
        return lambda folded: any(has_word(folded, t.folded) for t in terms)

    issues = Issue.objects.filter(notice_id__in=ids)
    with serial(issues.db):
        if issue_filter is not None:
            rows = issues.filter(issue_filter).defer("parsed_title")
            _collect(rows, ["position"], hits, lambda h: h.issues, "more_issues", lambda i: UnitHit(i),
                     keep("problem", issue_terms))
        if measure_filter is not None:
            rows = (Measure.objects.filter(notice_id__in=ids).filter(measure_filter).select_related("issue")
                    .defer("parsed_text", *(f"issue__{f}" for f in ISSUE_UNSHOWN)))
            _collect(rows, ["issue__position", "position"], hits, lambda h: h.measures, "more_measures",
                     lambda m: UnitHit(m, m.issue), keep("measure", measure_terms))
    return [hits[n.pk] for n in page_notices]


def _collect(rows: QuerySet, order: list[str], hits: dict[int, NoticeHit], bucket: Callable, more: str,
             wrap: Callable, keep: Callable[[str], bool] | None = None) -> None:
    """The first HITS_PER_NOTICE rows of each notice, in `order`, and how many more there are
    (of those whose folded text `keep` accepts, when given: read in Python, all of the page's)."""
    if keep is not None:
        for row in rows.order_by("notice_id", *order):
            if keep(row.fold_text):
                hit = hits[row.notice_id]
                if len(bucket(hit)) < HITS_PER_NOTICE:
                    bucket(hit).append(wrap(row))
                else:
                    setattr(hit, more, getattr(hit, more) + 1)
        return
    rows = rows.defer("fold_text").annotate(
        hit_rank=Window(RowNumber(), partition_by=[F("notice_id")], order_by=[F(o).asc() for o in order]),
        hit_total=Window(Count("pk"), partition_by=[F("notice_id")]),
    ).filter(hit_rank__lte=HITS_PER_NOTICE).order_by("notice_id", *order)
    for row in rows:
        hit = hits[row.notice_id]
        bucket(hit).append(wrap(row))
        setattr(hit, more, row.hit_total - len(bucket(hit)))
