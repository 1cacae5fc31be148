"""Text as a reader sees it: Chinese punctuation restored, search terms marked, paragraphs anchored.

Many notices reach the archive with half-width punctuation inside Chinese sentences
("2025年3月21日,市委") because something on the way folded the width. `typeset` puts
the full-width marks back where they sit next to Chinese, one character for one, so
highlight offsets are unchanged and "1,000" or "http://" are left alone. The stored
text and the original file are never touched; this is display only.
"""
from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass

from django.utils.safestring import SafeString

from .. import tokenize
from ..search import highlight, snippets, spans

_WIDE_OF = {",": "，", ";": "；", ":": "：", "!": "！", "?": "？"}
_EXTRA_WIDE = set("“”‘’…—·")
_TYPESET = re.compile(r"[,;:!?()]")


def _wide(char: str) -> bool:
    return bool(char) and (unicodedata.east_asian_width(char) in ("W", "F") or char in _EXTRA_WIDE)


def _ascii_word(char: str) -> bool:
    return bool(char) and char.isascii() and char.isalnum()


def typeset(text: str | None) -> str:
    """Half-width , ; : ! ? ( ) beside Chinese become full width; nothing else changes."""
    if not text:
        return ""
    if not _TYPESET.search(text):  # (most Chinese text prints its punctuation full width already)
        return text
    chars = list(text)
    open_parens: list[tuple[int, bool]] = []
    for found in _TYPESET.finditer(text):  # only these characters change; the rest are skipped at C speed
        i, char = found.start(), found.group()
        before = text[i - 1] if i else ""
        after = text[i + 1] if i + 1 < len(text) else ""
        if char in _WIDE_OF:
            between_ascii = _ascii_word(before) and (_ascii_word(after) or after == "/")
            if not between_ascii and (_wide(before) or _wide(after) or _ascii_word(before) and _wide(after)):
                chars[i] = _WIDE_OF[char]
        elif char == "(":
            convert = not (_ascii_word(before) and _ascii_word(after))
            open_parens.append((i, convert))
            if convert:
                chars[i] = "（"
        elif open_parens:  # ")"
            _, converted = open_parens.pop()
            if converted:
                chars[i] = "）"
    return "".join(chars)


def marked(text: str | None, terms: list[str]) -> SafeString:
    """The whole text, typeset, escaped, with the terms in <mark>."""
    return highlight(typeset(text), terms)


def marked_snippets(text: str | None, terms: list[str], *, limit: int = 1, window: int = 60) -> list[SafeString]:
    return snippets(typeset(text), terms, limit=limit, window=window)


def excerpt(text: str | None, terms: list[str], length: int = 120) -> SafeString:
    """A snippet around the first match, or the opening of the text when nothing matches."""
    found = marked_snippets(text, terms, limit=1, window=length // 2) if terms else []
    if found:
        return found[0]
    text = typeset(text)
    return highlight(text[:length] + ("…" if len(text) > length else ""), [])


@dataclass(frozen=True)
class Paragraph:
    anchor: str
    number: int
    html: SafeString
    problem_anchor: str | None = None  # the outline's problem that starts here
    doubtful: bool = False  # holds a line OCR read with low confidence


def paragraphs(text: str, terms: list[str], starts: dict[int, str] | None = None,
               shown: range | None = None, doubtful_lines: list[str] = ()) -> list[Paragraph]:
    """The notice's text, one anchored paragraph per line (those in `shown` only, when given);
    `starts` maps line index -> problem anchor; a paragraph that holds one of `doubtful_lines`
    (as OCR read them) is marked."""
    starts = starts or {}
    doubts = [key for key in (tokenize.fold(line) for line in doubtful_lines) if key]
    out = []
    for index, line in enumerate(line for line in text.splitlines() if line.strip()):
        if shown is not None and index not in shown:
            continue
        folded = tokenize.fold(line) if doubts else ""
        out.append(Paragraph(f"line-{index + 1}", index + 1, marked(line, terms), starts.get(index),
                             any(key in folded for key in doubts)))
    return out


def locate(lines: list[str], titles: list[str]) -> list[int | None]:
    """For each title in order, the index of the first line at or after the last find that holds it."""
    folded = tokenize.fold_many(lines)
    found: list[int | None] = []
    cursor = 0
    for title in titles:
        key = tokenize.fold(title)[:24]
        hit = None
        if key:
            for index in range(cursor, len(folded)):
                if key in folded[index]:
                    hit = index
                    break
        found.append(hit)
        if hit is not None:
            cursor = hit
    return found


def count_hits(text: str, terms: list[str]) -> int:
    return len(spans(text, terms)) if terms else 0
