"""Stage 5, list: the page's notices with their matching problems and measures, in document order."""
from __future__ import annotations

from dataclasses import dataclass, field
from typing import Callable

from django.db import connections
from django.db.models import Q

from ..models import Issue, Measure, Notice
from .query import Query, Term
from .sql import contains, id_array_literal
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

    if issue_filter is not None:
        for issue, total in _first_of_each(Issue, issue_filter, ids, keep("problem", issue_terms)):
            _add(hits[issue.notice_id], "issues", "more_issues", UnitHit(issue), total)
    if measure_filter is not None:
        for measure, total in _first_of_each(Measure, measure_filter, ids, keep("measure", measure_terms)):
            _add(hits[measure.notice_id], "measures", "more_measures", UnitHit(measure, measure.issue), total)
    return [hits[n.pk] for n in page_notices]


def _add(hit: NoticeHit, bucket: str, more: str, unit: UnitHit, total: int | None) -> None:
    """`unit` listed under `hit` (or counted among the more, past HITS_PER_NOTICE); `total`: how
    many of the notice's units match, when the statement counted them."""
    listed = getattr(hit, bucket)
    if len(listed) < HITS_PER_NOTICE:
        listed.append(unit)
    else:
        setattr(hit, more, getattr(hit, more) + 1)
    if total is not None:
        setattr(hit, more, total - len(listed))


def _shown(model, unshown: tuple[str, ...]) -> list:
    """The columns of `model` a page shows (of a problem, a measure, or the problem a measure answers)."""
    return [f for f in model._meta.concrete_fields if f.name not in unshown]


def _first_of_each(model, condition: Q, ids: list[int], keep: Callable[[str], bool] | None):
    """(unit, how many of its notice's units match) for the first HITS_PER_NOTICE matching problems
    (or measures, with their problem) of each notice of `ids`, in document order; with `keep`
    (the word mode), every matching unit whose folded text `keep` accepts, and None for the count.

    Written out as one statement that reaches the units from the notices' ids (LATERAL): the
    ORM's window-and-filter form cost 3-5 ms of Python to compile per page, and the planner
    gave it a parallel worker (5-10 ms to start, under the search's settings) for a read of a
    few hundred rows by key. A plan driven by a list of ids has no parallel form.
    """
    table, issues = model._meta.db_table, Issue._meta.db_table
    own = _shown(model, ISSUE_UNSHOWN if model is Issue else MEASURE_UNSHOWN)
    answered = _shown(Issue, ISSUE_UNSHOWN) if model is Measure else []
    columns = [f'"{table}"."{f.column}"' for f in own] + [f'"{issues}"."{f.column}"' for f in answered]
    if answered:  # a measure's problem: joined, and first in the order
        joined = f' INNER JOIN "{issues}" ON ("{table}"."issue_id" = "{issues}"."id")'
        order = [f'"{issues}"."position"', f'"{table}"."position"']
    else:
        joined, order = "", [f'"{table}"."position"']
    if keep is None:  # how many match, counted before the limit
        tail, limit = "count(*) OVER ()", f" LIMIT {HITS_PER_NOTICE}"
    else:
        tail, limit = f'"{table}"."fold_text"', ""
    rows = model._base_manager.filter(condition)
    using = rows.db  # (asks the router: once, not for every row)
    where, params = rows.query.get_compiler(using).compile(rows.query.where)
    selected = ", ".join(f"{c} AS c{i}" for i, c in enumerate([*columns, tail, *order]))
    sorted_by = ", ".join(f"u.c{len(columns) + 1 + i}" for i in range(len(order)))
    sql = (f"SELECT u.* FROM unnest(%s::bigint[]) WITH ORDINALITY AS p (id, n) CROSS JOIN LATERAL ("
           f'SELECT {selected} FROM "{table}"{joined} WHERE "{table}"."notice_id" = p.id AND ({where}) '
           f"ORDER BY {', '.join(order)}{limit}) AS u ORDER BY p.n, {sorted_by}")
    own_names, answered_names = [f.attname for f in own], [f.attname for f in answered]
    with connections[using].cursor() as cursor:
        cursor.execute(sql, [id_array_literal(ids), *params])
        fetched = cursor.fetchall()
    for row in fetched:
        unit = model.from_db(using, own_names, row[:len(own)])
        if answered:
            issue = Issue.from_db(using, answered_names, row[len(own):len(own) + len(answered)])
            Measure._meta.get_field("issue").set_cached_value(unit, issue)
        tail = row[len(own) + len(answered)]
        if keep is None:
            yield unit, tail
        elif keep(tail):
            yield unit, None
