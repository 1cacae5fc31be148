"""Stage 5, list: the page's notices with their matching problems and measures, in document order."""
from __future__ import annotations

from dataclasses import dataclass, field
from typing import Callable

from django.db.models import Count, F, Q, QuerySet, Window
from django.db.models.functions import RowNumber

from ..models import Issue, Measure, Notice
from .query import Query, Term
from .sql import contains
from .verify import unit_condition

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


def attach_hits(page_notices: list[Notice], query: Query, scope: str) -> list[NoticeHit]:
    """The matching problems and measures of each notice on the page, in document order."""
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

    if scope == "problem":
        issue_filter, measure_filter = unit_condition(query), None
    elif scope == "measure":
        issue_filter, measure_filter = None, unit_condition(query)
    else:
        issue_filter, measure_filter = any_of(issue_terms), any_of(measure_terms)
    if scope == "problem" and issue_filter is None:
        issue_filter = any_of(issue_terms)
    if scope == "measure" and measure_filter is None:
        measure_filter = any_of(measure_terms)

    if issue_filter is not None:
        rows = Issue.objects.filter(notice_id__in=ids).filter(issue_filter).defer(*ISSUE_UNSHOWN)
        _collect(rows, ["position"], hits, lambda h: h.issues, "more_issues", lambda i: UnitHit(i))
    if measure_filter is not None:
        rows = (Measure.objects.filter(notice_id__in=ids).filter(measure_filter).select_related("issue")
                .defer(*MEASURE_UNSHOWN, *(f"issue__{f}" for f in ISSUE_UNSHOWN)))
        _collect(rows, ["issue__position", "position"], hits, lambda h: h.measures, "more_measures",
                 lambda m: UnitHit(m, m.issue))
    return [hits[n.pk] for n in page_notices]


def _collect(rows: QuerySet, order: list[str], hits: dict[int, NoticeHit], bucket: Callable, more: str,
             wrap: Callable) -> None:
    """The first HITS_PER_NOTICE rows of each notice, in `order`, and how many more there are."""
    rows = rows.annotate(
        hit_rank=Window(RowNumber(), partition_by=[F("notice_id")], order_by=[F(o).asc() for o in order]),
        hit_total=Window(Count("pk"), partition_by=[F("notice_id")]),
    ).filter(hit_rank__lte=HITS_PER_NOTICE).order_by("notice_id", *order)
    for row in rows:
        hit = hits[row.notice_id]
        bucket(hit).append(wrap(row))
        setattr(hit, more, row.hit_total - len(bucket(hit)))
