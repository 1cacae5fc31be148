"""Stage 1, plan: a query split into what the GIN-indexed gram bag decides and what the text must confirm."""
from __future__ import annotations

from dataclasses import dataclass

from .. import tokenize
from .query import Query, Term

# Fielded terms looked up in their column's own index (models.UnitGrams over it), not in the bag.
FIELD_COLUMNS = {"title": "fold_title", "agency": "fold_agency"}


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


def _looked_up(query: Query) -> tuple[tuple[tuple[str, str], ...], ...] | None:
    """For a query of title: and agency: terms only (and exclusions of fielded terms, which the
    bag never decides): each clause as its terms' columns and the tsquery literals of the pairs
    those columns must hold. A short column's own pairs narrow the candidates to about the
    matches, where the bag of the whole notice holds them far more often.

    None for any other query: the bag then looks up every positive term, fielded ones included,
    so that the database never tests a bag row by row beside a column's index."""
    if not query.clauses or any(term.field is None for term in query.excluded):
        return None
    if not all(term.field in FIELD_COLUMNS for term in query.positive_terms):
        return None
    return tuple(tuple((FIELD_COLUMNS[term.field], tokenize.bag_query(term.folded)) for term in clause)
                 for clause in query.clauses)


@dataclass(frozen=True)
class Plan:
    """A query split into the GIN-indexed bag condition and the rest, checked on the text."""

    bag: str | None  # tsquery literal every match satisfies; None: no positive term to look up
    residue: Query  # clauses and exclusions the bag does not decide
    # Candidates whose bag also satisfies this tsquery literal match without a check on the
    # text (None: every candidate is checked); only when the residue is not empty.
    confirmed: str | None = None
    # A query of title: and agency: terms only: its clauses, each as (column, tsquery literal)
    # alternatives that the column's index answers (candidates.candidates), instead of the bag;
    # the clauses stay in the residue.
    fielded: tuple[tuple[tuple[str, str], ...], ...] = ()

    @property
    def exact(self) -> bool:
        return self.residue.is_empty


def plan(query: Query, scope: str) -> Plan:
    looked_up = _looked_up(query)
    if looked_up is not None:
        return Plan(None, query, None, looked_up)
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
