"""Highlighted snippets, built in Python from the stored text: escape first, then mark.

Terms are folded (simplified, half width, no white space); the text is shown as printed.
So matching runs over a character-by-character fold of the text, which keeps offsets, and
lets white space appear between any two characters of a term ("2023 年底" for 2023年底).
"""
from __future__ import annotations

import functools
import html
import re
import threading
import unicodedata
from typing import Iterable

from django.utils.safestring import SafeString, mark_safe

from .. import tokenize

WINDOW = 60  # characters of context either side of a match
MAX_SNIPPETS = 3


@functools.lru_cache(maxsize=4096)
def _fold_char(char: str) -> str:
    folded = unicodedata.normalize("NFKC", char)
    folded = tokenize._t2s()(folded).lower()
    if len(folded) == 1:
        return folded
    lower = char.lower()  # 'İ'.lower() is two characters: keep such a character as it is
    return lower if len(lower) == 1 else char


class _FoldTable(dict):
    """code point -> its one-character fold, for str.translate; filled on first sight."""

    LIMIT = 1 << 16  # distinct characters remembered (a notice uses a few thousand)

    def __missing__(self, code: int) -> str:
        folded = _fold_char(chr(code))
        if len(self) < self.LIMIT:
            self[code] = folded
        return folded


_FOLD_TABLE = _FoldTable()


class _Folder:
    """fold_keep_offsets: only the characters that are not known to be their own fold are looked
    up (a few dozen in a notice's text, against thousands for str.translate, which looks up every
    character: 0.4 ms a notice, 8 ms for a page of twenty text snippets).

    The characters seen to be their own fold are learnt as texts go by and, every RECOMPILE_AFTER of
    them, built into the pattern of the others; until then they are looked up like the rest. The
    pattern is only a shortcut: whatever it holds, every character comes out as _FOLD_TABLE folds it.
    """

    RECOMPILE_AFTER = 64
    LIMIT = _FoldTable.LIMIT

    def __init__(self) -> None:
        self.own: set[str] = set()  # characters that are their own fold, in the pattern or waiting
        self.waiting = 0
        self.others = re.compile(r"[\s\S]")  # the characters not in the pattern yet: at first, all
        self.lock = threading.Lock()

    def fold(self, text: str) -> str:
        folded = self.others.sub(self._one, text)
        if self.waiting >= self.RECOMPILE_AFTER:
            self._recompile()
        return folded

    def _one(self, match: re.Match) -> str:
        char = match.group()
        folded = _FOLD_TABLE[ord(char)]
        if folded == char and char not in self.own and len(self.own) < self.LIMIT:
            self.own.add(char)
            self.waiting += 1
        return folded

    def _recompile(self) -> None:
        with self.lock:
            if self.waiting < self.RECOMPILE_AFTER:  # another thread did it
                return
            self.waiting = 0
            self.others = re.compile("[^" + "".join(map(re.escape, sorted(self.own))) + "]")


_FOLDER = _Folder()


def fold_keep_offsets(text: str) -> str:
    """One character out for each character in, so offsets map straight back."""
    return _FOLDER.fold(text)


def _pattern(terms: Iterable[str]) -> re.Pattern | None:
    return _compiled(tuple(terms))


@functools.lru_cache(maxsize=256)
def _compiled(terms: tuple[str, ...]) -> re.Pattern | None:
    """A page marks the same terms in a hundred titles, problems and measures."""
    alternatives = [r"\s*".join(re.escape(c) for c in term) for term in terms if term]
    if not alternatives:
        return None
    return re.compile("|".join(sorted(alternatives, key=len, reverse=True)))


class WholeWords(list):
    """Terms to mark only where they occur as whole words (the word mode, 按词匹配)."""


def spans(text: str, terms: Iterable[str]) -> list[tuple[int, int]]:
    pattern = _pattern(terms)
    if pattern is None or not text:
        return []
    folded = fold_keep_offsets(text)
    found = [m.span() for m in pattern.finditer(folded) if m.end() > m.start()]
    if isinstance(terms, WholeWords):
        found = [(a, b) for a, b in found if tokenize.is_word_at(folded, a, b)]
    return found


def _marked(text: str, found: list[tuple[int, int]], start: int = 0, end: int | None = None) -> str:
    end = len(text) if end is None else end
    out, cursor = [], start
    for a, b in found:
        if b <= start or a >= end:
            continue
        a, b = max(a, start), min(b, end)
        out.append(html.escape(text[cursor:a]))
        out.append(f"<mark>{html.escape(text[a:b])}</mark>")
        cursor = b
    out.append(html.escape(text[cursor:end]))
    return "".join(out)


def highlight(text: str, terms: Iterable[str]) -> SafeString:
    """The whole text, escaped, with every occurrence of the terms in <mark>."""
    return mark_safe(_marked(text or "", spans(text or "", terms)))


def snippets(text: str, terms: Iterable[str], *, limit: int = MAX_SNIPPETS, window: int = WINDOW) -> list[SafeString]:
    """Up to `limit` windows of the text around matches, each escaped and marked."""
    text = text or ""
    found = spans(text, terms)
    out: list[SafeString] = []
    last_end = -1
    for a, b in found:
        if a < last_end:
            continue
        start = max(0, a - window, last_end)
        end = min(len(text), b + window)
        # Snap to line boundaries so a snippet does not start mid-paragraph from the previous one.
        line_start = text.rfind("\n", start, a)
        if line_start != -1:
            start = line_start + 1
        line_end = text.find("\n", b, end)
        if line_end != -1:
            end = line_end
        body = _marked(text, found, start, end)
        prefix = "…" if start > 0 and text[start - 1] != "\n" else ""
        suffix = "…" if end < len(text) and text[end] != "\n" else ""
        out.append(mark_safe(prefix + body + suffix))
        last_end = end
        if len(out) >= limit:
            break
    return out
