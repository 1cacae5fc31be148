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


def _confirms(term: Term, scope: str) -> str | None:
    """A tsquery literal that a notice's bag satisfies only if the notice holds `term`:
    its bag entries when the bag decides it, else its word entry (tokenize.word_entries)."""
    if scope != "notice" or term.field is not None:
        return None
    if bag_decides(term, scope):
        return tokenize.bag_query(term.folded)
    return tokenize.word_query(term.folded)


def _confirmed(query: Query, scope: str) -> str | None:
    """A tsquery literal under which a candidate surely matches (the index alone confirms it),
    or None when some clause has no term the index can confirm."""
    literals = []
    for clause in query.clauses:
        either = [f"({lit})" for term in clause if (lit := _confirms(term, scope))]
        if not either:
            return None
        literals.append(" | ".join(either))
    for term in query.excluded:
        literal = tokenize.bag_query(term.folded)  # a bag without the term's entries cannot hold it
        if literal is None:
            return None
        literals.append(f"!({literal})")
    return " & ".join(f"({lit})" for lit in literals) if literals else None


@dataclass(frozen=True)
class Plan:
    """A query split into the GIN-indexed bag condition and the rest, checked on the text."""

    bag: str | None  # tsquery literal every match satisfies; None: no positive term to look up
    residue: Query  # clauses and exclusions the bag does not decide
    # Candidates whose bag also satisfies this tsquery literal match without a check on the
    # text (None: every candidate is checked); only when the residue is not empty.
    confirmed: str | None = None

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
    residue = Query(tuple(clauses), tuple(excluded), query.raw)
    confirmed = _confirmed(residue, scope) if scope == "notice" and bag is not None and not residue.is_empty else None
    return Plan(bag, residue, confirmed)
