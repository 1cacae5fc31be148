"""Stage 1, plan: a query split into what the GIN-indexed gram bag decides and what the text must confirm."""
from __future__ import annotations

from dataclasses import dataclass

from .. import tokenize
from .query import Query, Term


def bag_decides(term: Term, scope: str) -> bool:
    """Whether the gram bag alone decides a term searched at notice scope, with no substring check.

    The bag entry of a one- or two-character run is that run itself (or, for one character,
    any entry starting with it): a notice whose bag holds it contains the term.
    """
    if scope != "notice" or term.field is not None:
        return False  # problems and measures are matched one by one; fields are not in the bag alone
    return len(term.folded) <= 2 and tokenize.runs(term.folded) == [term.folded]


@dataclass(frozen=True)
class Plan:
    """A query split into the GIN-indexed bag condition and the rest, checked on the text."""

    bag: str | None  # tsquery literal every match satisfies; None: no positive term to look up
    residue: Query  # clauses and exclusions the bag does not decide

    @property
    def exact(self) -> bool:
        return self.residue.is_empty


def plan(query: Query, scope: str) -> Plan:
    clauses, literals = [], []
    for clause in query.clauses:
        terms = [(t, tokenize.bag_query(t.folded)) for t in clause]
        either = [f"({lit})" for _, lit in terms if lit]
        if either:
            literals.append(" | ".join(either))
        if not (either and all(lit and bag_decides(t, scope) for t, lit in terms)):
            clauses.append(clause)
    excluded = []
    for term in query.excluded:
        literal = tokenize.bag_query(term.folded)
        if literals and literal and bag_decides(term, scope):
            literals.append(f"!({literal})")  # GIN answers a & !b from the index alone
        else:
            excluded.append(term)
    bag = " & ".join(f"({lit})" for lit in literals) if literals else None
    return Plan(bag, Query(tuple(clauses), tuple(excluded), query.raw))
