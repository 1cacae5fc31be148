"""The only place that segments text. Index side and query side fold text the same way.

- fold(text): NFKC (full width -> half width), traditional -> simplified (OpenCC t2s),
  lower case, white space removed. Everything searchable is compared in this form.
- Matching uses a *gram bag*: every character bigram of each run of letters/digits, plus
  the last character of the run. A text contains a string only if its bag holds the
  string's bag, so the bag (GIN-indexed) finds every candidate and a substring check on
  the folded text confirms it: nothing a substring search would find is missed.
  The bag also holds the text's words of three characters or more (jieba's search-mode
  tokens): each is a substring of the text, so a notice whose bag holds a searched word
  contains it, and the index confirms it without reading the text (see word_entries).
- Ranking uses *words*: jieba's cut_for_search tokens (through rjieba, the Rust port that
  gives jieba's tokens 20x faster), with a domain user dictionary in data/userdict.txt.
"""
from __future__ import annotations

import functools
import hashlib
import heapq
import re
import sys
from importlib import resources
from typing import Iterable

from .parsing.chars import nfkc

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
    return "".join(_t2s()(nfkc(text)).split()).lower()


_APART = "\x1f"  # joins texts folded together: NFKC and OpenCC leave it alone, and nothing spans it


def fold_many(texts: Iterable[str | None]) -> list[str]:
    """[fold(text) for text in texts], in one pass over all of them: the per-call cost of
    normalizing and converting exceeds the work for a short text, and ingest folds dozens
    of problems and measures per notice."""
    texts = [text or "" for text in texts]
    if len(texts) < 2 or any(_APART in text for text in texts):
        return [fold(text) for text in texts]
    joined = _t2s()(nfkc(_APART.join(texts)))
    return ["".join(part.split()).lower() for part in joined.split(_APART)]


def runs(folded: str) -> list[str]:
    return _RUN.findall(folded)


def gram_bag(*parts: str) -> set[str]:
    """The bigrams of every run of the folded `parts`, and each run's last character
    unless some bigram begins with it (a prefix query for it finds that bigram).

    No bigram spans two parts. This is the reference for bag_vector, which computes the
    same set faster.
    """
    bag = {pair for part in parts for pair in map(str.__add__, part, part[1:]) if pair.isalnum()}
    starts = {pair[0] for pair in bag}
    bag.update(end for part in parts for end in _RUN_END.findall(part) if end not in starts)
    return bag


# Words shorter than this need no entry of their own: their bigram (or character) decides them.
WORD_ENTRY_MIN = 3


def word_entries(parts: Iterable[str]) -> set[str]:
    """The words of three characters or more that jieba's search mode finds in the folded
    `parts`: bag entries that confirm a match by themselves.

    Each is a substring of one part (a token of a run), never a false match. A word that
    jieba cut differently somewhere (a term spanning two of its words) has no entry there,
    and the substring check on the text decides that notice as before.
    """
    return {t for part in parts for t in folded_index_tokens(part) if len(t) >= WORD_ENTRY_MIN}


def word_query(term_folded: str) -> str | None:
    """The tsquery literal of the word entry that confirms `term_folded`, when it can have one."""
    if len(term_folded) < WORD_ENTRY_MIN or runs(term_folded) != [term_folded]:
        return None
    return _quote(term_folded)


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


# The make-up of the gram bag: 2 added word entries (word_entries). A bag of an older make-up
# finds the same notices, more slowly: `manage.py reindex --stale-only` brings it up to date.
BAG_VERSION = 2


@functools.lru_cache(maxsize=1)
def dictionary_version() -> str:
    """Changes whenever the user dictionary or the bag's make-up does (the bag's word entries
    come from the dictionary); stored with each index so stale ones are found."""
    lines = [*_userdict_lines(), f"bag {BAG_VERSION}"]
    return hashlib.sha256("\n".join(lines).encode()).hexdigest()[:12]


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
    return folded_index_tokens(fold(text))


def folded_index_tokens(folded: str) -> list[str]:
    return [t for t in _jieba().cut_for_search(folded, False) if _RUN.fullmatch(t)]


def query_tokens(text: str) -> list[str]:
    """jieba tokens of a query term (accurate mode: one segmentation, in order)."""
    return [t for t in _jieba().cut(fold(text), False) if _RUN.fullmatch(t)]


# --- whole words ----------------------------------------------------------------------

# jieba segments runs of letters, digits and these characters, each apart from the rest.
_BLOCK_EXTRA = frozenset("+#&._%-")
# Characters read on each side of an occurrence to segment it as the whole text would be:
# its run, up to this far (a run longer than that is segmented the same so far from its ends).
WORD_WINDOW = 100


def has_word(folded_text: str, folded_term: str) -> bool:
    """Whether `folded_term` occurs in `folded_text` as whole words: beginning where jieba's
    search mode begins a word and ending where one ends (台账 in 建立台账, not in 平台账号;
    动态 in 动态管理, whose search mode also gives 动态)."""
    start = folded_text.find(folded_term) if folded_term else -1
    while start != -1:
        if is_word_at(folded_text, start, start + len(folded_term)):
            return True
        start = folded_text.find(folded_term, start + 1)
    return False


def is_word_at(text: str, start: int, end: int) -> bool:
    """Whether text[start:end] begins and ends at jieba word boundaries. Reads WORD_WINDOW
    characters on each side at most, so a window of the text that wide gives the same answer."""
    low, limit = start, max(0, start - WORD_WINDOW)
    while low > limit and _in_block(text[low - 1]):
        low -= 1
    high, limit = end, min(len(text), end + WORD_WINDOW)
    while high < limit and _in_block(text[high]):
        high += 1
    words = _jieba().tokenize(text[low:high], "search", False)
    return start - low in {first for _, first, _ in words} and end - low in {last for _, _, last in words}


def _in_block(char: str) -> bool:
    return char.isalnum() or char in _BLOCK_EXTRA


# --- tsvector / tsquery literals ---------------------------------------------------
# Built here rather than by PostgreSQL's to_tsvector, whose parser would re-split the
# tokens by its own rules (and differently under different locales).

def _quote(lexeme: str) -> str:
    return "'" + lexeme.replace("\\", "\\\\").replace("'", "''") + "'"


def bag_vector(parts: Iterable[str], words: Iterable[str] = ()) -> str:
    """A tsvector literal holding the gram bag of all `parts` (already folded), and `words`
    (word_entries of them) as entries of their own.

    The same entries as gram_bag(*parts) | words, the bigrams computed on arrays of code
    points: ingest builds one of these for every notice, and a set of Python strings was its
    slowest step. Parts are joined with a separator that is not a letter or digit, so no
    bigram spans two of them.
    """
    grams = _gram_literal("|".join(parts))
    if not words:
        return grams
    # Merged into the bigrams' order (every word is longer than any of them, so none repeats one).
    entries = heapq.merge(grams.split(), map(_quote, sorted(words)), key=lambda entry: entry[1:-1])
    return " ".join(entries)


def _gram_literal(text: str) -> str:
    import numpy as np

    if not text:
        return ""
    codes = np.frombuffer(text.encode("utf-32-le", "surrogatepass"), dtype=np.uint32)
    alnum = _alnum_table()[codes]
    in_pair = alnum[:-1] & alnum[1:]
    run_end = alnum.copy()
    run_end[:-1] &= ~alnum[1:]
    # Each entry as a number: the pair xy as x << 21 | y, a run's last character z as
    # z << 21 (no pair ends in NUL, not a letter). Sorted, the entries come in the order
    # PostgreSQL keeps a tsvector's lexemes in (by code point, which for UTF-8 is byte
    # order; a character before its pairs), and it checks such a literal in one pass
    # instead of sorting it.
    entries = _distinct(np.concatenate([(codes[:-1].astype(np.uint64) << 21 | codes[1:])[in_pair],
                                        codes[run_end].astype(np.uint64) << 21]))
    # A run's last character that also begins a pair is redundant (see gram_bag): in the
    # sorted entries, that pair comes right after it.
    high = entries >> 21
    redundant = np.zeros(len(entries), dtype=bool)
    redundant[:-1] = ((entries[:-1] & 0x1FFFFF) == 0) & (high[:-1] == high[1:])
    entries = entries[~redundant]
    # The literal, written as UTF-32 code units: 'xy' or 'z', then spaces. Entries are
    # letters and digits: nothing needs escaping.
    quote, space = ord("'"), ord(" ")
    second = entries & 0x1FFFFF
    single = second == 0
    units = np.empty((len(entries), 5), dtype=np.uint32)
    units[:, 0] = quote
    units[:, 1] = entries >> 21
    units[:, 2] = np.where(single, quote, second)
    units[:, 3] = np.where(single, space, quote)
    units[:, 4] = space
    return units.tobytes().decode("utf-32-le").rstrip(" ")


def _distinct(values):
    """The distinct values of an array, sorted: np.unique, which in numpy 2 is several times slower."""
    import numpy as np

    values = np.sort(values)
    first = np.ones(len(values), dtype=bool)
    first[1:] = values[1:] != values[:-1]
    return values[first]


@functools.lru_cache(maxsize=1)
def _alnum_table():
    """For every code point, whether it is a letter or digit (str.isalnum, the same set as _RUN)."""
    import numpy as np

    size = sys.maxunicode + 1
    return np.fromiter(map(str.isalnum, map(chr, range(size))), dtype=bool, count=size)


def words_vector(parts: Iterable[tuple[str, str]]) -> str:
    """A weighted, positioned tsvector literal of jieba tokens; parts are (folded text, weight A-D)."""
    positions: dict[str, list[str]] = {}
    position = 0
    for text, weight in parts:
        for token in folded_index_tokens(text):
            position = min(position + 1, 16383)
            entry = positions.setdefault(token, [])
            if len(entry) < 256:  # PostgreSQL keeps at most 256 positions per lexeme
                entry.append(f"{position}{weight}")
    # In PostgreSQL's order of lexemes (see bag_vector), so that it need not sort them.
    return " ".join(f"{_quote(t)}:{','.join(p)}" for t, p in sorted(positions.items()))


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
