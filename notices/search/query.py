"""The query language: words (all must match), "exact phrase", -exclusion, OR, field:value.

    殡葬 -公墓                 notices with 殡葬 and without 公墓
    "第一议题"  “第一议题”       a phrase (ASCII or Chinese quotes)
    低保 OR 特困               either
    agency:民政局  title:巡视   in the agency (or issuer, inspection team) / the title
    problem:低保  measure:台账  in a problem's heading / a measure's text
    单位: 标题: 问题: 措施:     the same fields in Chinese

Every input parses: what cannot be a term (punctuation, emoji, operators alone) is dropped,
and a parse with no terms at all means "no text condition". What was dropped that a person
meant as a search is named in Query.ignored, so that the page or the API can say so.
"""
from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass

from .. import tokenize
from ..parsing.chars import clean_text

MAX_QUERY_CHARS = 500
MAX_TERMS = 16
MAX_TERM_CHARS = 100

FIELDS = {
    "agency": "agency", "单位": "agency", "机构": "agency",
    "title": "title", "标题": "title",
    "problem": "problem", "问题": "problem",
    "measure": "measure", "措施": "measure",
}

# A token: optional '-', optional 'field:', then a quoted phrase or a bare word.
_TOKEN = re.compile(
    r"""(?P<neg>-)?
        (?:(?P<field>[A-Za-z]+|单位|机构|标题|问题|措施)[:：])?
        (?:["“”「」『』](?P<phrase>[^"“”「」『』]*)["“”「」『』]?|(?P<word>[^\s"“”「」『』]+))""",
    re.VERBOSE,
)
_OR = {"OR", "|", "或"}
# A field name with nothing after its colon (`agency:` alone): a mistake, not a word to find.
_EMPTY_FIELD = re.compile(r"(?:^|(?<=\s))-?(?P<field>[A-Za-z]+|单位|机构|标题|问题|措施)[:：](?=\s|$)")
PUNCTUATION_ONLY = "punctuation"  # Query.ignored: the query held no letter or digit at all
EMPTY_FIELD = "empty_field"  # Query.ignored: a field with no value, e.g. ("empty_field", "agency")


@dataclass(frozen=True)
class Term:
    text: str  # as the user typed it (for display)
    folded: str  # tokenize.fold(text): what is matched
    field: str | None = None  # None: the text of what the search's scope covers

    def __str__(self) -> str:
        return (f"{self.field}:" if self.field else "") + self.text


@dataclass(frozen=True)
class Query:
    """Conjunction of clauses; each clause is a disjunction of terms. `excluded` must all be absent."""

    clauses: tuple[tuple[Term, ...], ...] = ()
    excluded: tuple[Term, ...] = ()
    raw: str = ""
    ignored: tuple[tuple[str, str], ...] = ()  # (PUNCTUATION_ONLY, "") or (EMPTY_FIELD, field name)

    @property
    def is_empty(self) -> bool:
        return not self.clauses and not self.excluded

    @property
    def positive_terms(self) -> list[Term]:
        return [term for clause in self.clauses for term in clause]

    def highlight_terms(self) -> list[str]:
        """Folded strings to mark in results (positive terms only, longest first)."""
        return sorted({t.folded for t in self.positive_terms}, key=len, reverse=True)


def _make_term(text: str, field: str | None) -> Term | None:
    text = text.strip()[:MAX_TERM_CHARS]
    folded = tokenize.fold(text)
    # A term must hold at least one letter or digit; punctuation-only input matches nothing useful.
    if not tokenize.runs(folded):
        return None
    # Keep only letters, digits and the punctuation inside them: leading/trailing marks are noise.
    folded = folded.strip("".join(c for c in set(folded) if not c.isalnum()))
    return Term(text=text, folded=folded, field=field)


def parse_query(raw: str | None) -> Query:
    raw = clean_text(unicodedata.normalize("NFC", raw or ""))[:MAX_QUERY_CHARS]
    clauses: list[list[Term]] = []
    excluded: list[Term] = []
    join_next = False
    count = 0
    ignored = [(EMPTY_FIELD, m.group("field")) for m in _EMPTY_FIELD.finditer(raw)
               if m.group("field").lower() in FIELDS]
    text = _EMPTY_FIELD.sub(lambda m: " " if m.group("field").lower() in FIELDS else m.group(0), raw)
    for match in _TOKEN.finditer(text):
        word, phrase = match.group("word"), match.group("phrase")
        if word is not None and word.upper() in _OR and not match.group("neg") and not match.group("field"):
            join_next = bool(clauses)
            continue
        field_name = match.group("field")
        field = FIELDS.get(field_name.lower()) if field_name else None
        text = phrase if phrase is not None else word
        if field_name and field is None:
            # Not one of our fields (a URL's "http:", say): keep the whole thing as text.
            text = f"{field_name}:{text}"
        term = _make_term(text, field)
        if term is None or count >= MAX_TERMS:
            join_next = False
            continue
        count += 1
        if match.group("neg"):
            excluded.append(term)
            join_next = False
        elif join_next:
            clauses[-1].append(term)
            join_next = False
        else:
            clauses.append([term])
    if not clauses and not excluded and not ignored and raw.strip():
        ignored.append((PUNCTUATION_ONLY, ""))
    return Query(
        clauses=tuple(tuple(dict.fromkeys(c)) for c in clauses),
        excluded=tuple(dict.fromkeys(excluded)),
        raw=raw,
        ignored=tuple(dict.fromkeys(ignored)),
    )
