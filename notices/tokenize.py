"""The only place that segments text. Index side and query side fold text the same way.

- fold(text): NFKC (full width -> half width), traditional -> simplified (OpenCC t2s),
  lower case, white space removed. Everything searchable is compared in this form.
- Matching uses a *gram bag*: every character bigram of each run of letters/digits, plus
  the last character of the run. A text contains a string only if its bag holds the
  string's bag, so the bag (GIN-indexed) finds every candidate and a substring check on
  the folded text confirms it: nothing a substring search would find is missed.
- Ranking uses *words*: jieba's cut_for_search tokens (through rjieba, the Rust port that
  gives jieba's tokens 20x faster), with a domain user dictionary in data/userdict.txt.
"""
from __future__ import annotations

import functools
import hashlib
import re
import unicodedata
from importlib import resources
from typing import Iterable

# A run: letters and digits of any script (CJK ideographs count as letters).
_RUN = re.compile(r"[^\W_]+")
_RUN_END = re.compile(r"[^\W_](?![^\W_])")


@functools.lru_cache(maxsize=1)
def _t2s():
    import opencc

    return opencc.OpenCC("t2s").convert


def fold(text: str | None) -> str:
    if not text:
        return ""
    if not unicodedata.is_normalized("NFKC", text):  # parsed text usually is: skip the slow path
        text = unicodedata.normalize("NFKC", text)
    return "".join(_t2s()(text).split()).lower()


def runs(folded: str) -> list[str]:
    return _RUN.findall(folded)


def gram_bag(folded: str) -> set[str]:
    """Bigrams of every run, and each run's last character."""
    bag = {pair for pair in map(str.__add__, folded, folded[1:]) if pair.isalnum()}
    bag.update(_RUN_END.findall(folded))
    return bag


def query_grams(term_folded: str) -> list[tuple[str, bool]]:
    """The bag entries a text containing `term_folded` must hold: (lexeme, is_prefix).

    A single-character run may sit anywhere in a longer run of the text, where it is the
    first character of a bigram or the run's last character: a prefix match covers both.
    """
    out: list[tuple[str, bool]] = []
    for run in runs(term_folded):
        if len(run) == 1:
            out.append((run, True))
        else:
            out.extend((run[i:i + 2], False) for i in range(len(run) - 1))
    return list(dict.fromkeys(out))


# --- words (jieba) -------------------------------------------------------------------

USERDICT = "userdict.txt"


def _userdict_lines() -> list[str]:
    text = resources.files("notices").joinpath("data", USERDICT).read_text(encoding="utf-8")
    return [line.strip() for line in text.splitlines() if line.strip() and not line.startswith("#")]


@functools.lru_cache(maxsize=1)
def dictionary_version() -> str:
    """Changes whenever the user dictionary does; stored with each index so stale ones are found."""
    return hashlib.sha256("\n".join(_userdict_lines()).encode()).hexdigest()[:12]


@functools.lru_cache(maxsize=1)
def _jieba():
    import rjieba

    segmenter = rjieba.Jieba()
    for line in _userdict_lines():
        word, *rest = line.split()
        freq = int(rest[0]) if rest and rest[0].isdigit() else None
        segmenter.add_word(fold(word), freq, None)
    return segmenter


def index_tokens(text: str) -> list[str]:
    """jieba search-mode tokens of the folded text, punctuation dropped."""
    return [t for t in _jieba().cut_for_search(fold(text), False) if _RUN.fullmatch(t)]


def query_tokens(text: str) -> list[str]:
    """jieba tokens of a query term (accurate mode: one segmentation, in order)."""
    return [t for t in _jieba().cut(fold(text), False) if _RUN.fullmatch(t)]


# --- tsvector / tsquery literals ---------------------------------------------------
# Built here rather than by PostgreSQL's to_tsvector, whose parser would re-split the
# tokens by its own rules (and differently under different locales).

def _quote(lexeme: str) -> str:
    return "'" + lexeme.replace("\\", "\\\\").replace("'", "''") + "'"


def bag_vector(parts: Iterable[str]) -> str:
    """A tsvector literal holding the gram bag of all `parts` (already folded)."""
    bag: set[str] = set()
    for part in parts:
        bag |= gram_bag(part)
    # Bag entries are letters and digits only: nothing in them needs escaping. PostgreSQL
    # sorts the entries of a tsvector it reads, faster than Python would.
    return "'" + "' '".join(bag) + "'" if bag else ""


def words_vector(parts: Iterable[tuple[str, str]]) -> str:
    """A weighted, positioned tsvector literal of jieba tokens; parts are (text, weight A-D)."""
    positions: dict[str, list[str]] = {}
    position = 0
    for text, weight in parts:
        for token in index_tokens(text):
            position = min(position + 1, 16383)
            entry = positions.setdefault(token, [])
            if len(entry) < 256:  # PostgreSQL keeps at most 256 positions per lexeme
                entry.append(f"{position}{weight}")
    return " ".join(f"{_quote(t)}:{','.join(p)}" for t, p in positions.items())


def bag_query(term_folded: str) -> str | None:
    """The tsquery literal (AND of bag entries) a text containing the term must satisfy."""
    grams = query_grams(term_folded)
    if not grams:
        return None
    return " & ".join(_quote(g) + (":*" if prefix else "") for g, prefix in grams)


def words_query(term: str) -> str | None:
    """jieba tokens of a term as a phrase: for ranking whole-word matches above the rest."""
    tokens = query_tokens(term)
    if not tokens:
        return None
    return " <-> ".join(_quote(t) for t in tokens)
