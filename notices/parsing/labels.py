"""Numbering labels: which style a paragraph's label has, enumerations inside a paragraph, titles.

Works on (printed, folded) pairs of equal length: positions are found in the folded text
and the printed text is cut at the same places.
"""
from __future__ import annotations

from dataclasses import dataclass

from . import patterns as P

_CN_VALUES = {"零": 0, "〇": 0, "一": 1, "二": 2, "两": 2, "三": 3, "四": 4, "五": 5, "六": 6, "七": 7, "八": 8, "九": 9}
_LABEL_TRIM = " 、.．,，:："


def cn_to_int(text: str) -> int | None:
    """The value of a Chinese or Arabic numeral up to 999: "十一" -> 11, "二十" -> 20, "12" -> 12."""
    if text.isdigit():
        return int(text)
    if len(text) == 1 and 0xE000 <= ord(text) <= 0xE031:  # a protected circled number
        return ord(text) - 0xE000 + 1
    total, current = 0, 0
    for ch in text:
        if ch in _CN_VALUES:
            current = _CN_VALUES[ch]
        elif ch == "十":
            total += (current or 1) * 10
            current = 0
        elif ch == "百":
            total += (current or 1) * 100
            current = 0
        else:
            return None
    return total + current


@dataclass(frozen=True)
class Label:
    style: str
    number: int | None
    end: int  # where the text after the label starts
    printed: str  # the label as printed, trimmed: "(1)", "一是", "1", "①"


def match_label(printed: str, folded: str) -> Label | None:
    """The numbering label a paragraph starts with, if any."""
    for style, pattern in P.HEADING_STYLES:
        match = pattern.match(folded)
        if match:
            return Label(style, cn_to_int(match.group(1)), match.end(), printed[: match.end()].strip(_LABEL_TRIM))
    return None


def bare_label(label: Label) -> str:
    """An issue label without brackets or dots: "(一)" -> "一", "1." -> "1", "一是" stays,
    "反馈问题1:" -> "1"."""
    if label.style == "problem_no":
        return label.printed.rstrip(_LABEL_TRIM).lstrip("反馈存在具体主要问题 ")
    return label.printed.strip("()（）[]【】" + _LABEL_TRIM) or label.printed


@dataclass(frozen=True)
class Segment:
    label: str | None  # as printed ("一是", "(2)"), None for text before the first label
    text: str
    style: str | None = None
    number: int | None = None


_INLINE = dict(P.INLINE_ENUMERATORS)
# A character each inline style cannot do without: most paragraphs skip most styles at once.
_STYLE_MARK = {"cn_shi": "是", "ar_paren": "(", "cn_di": "第"}


def _hits(style: str, folded: str) -> list[tuple[int, int, int | None]]:
    mark = _STYLE_MARK.get(style)
    if mark and mark not in folded and (style != "ar_paren" or "（" not in folded):
        return []
    return [(m.start(), m.end(), cn_to_int(m.group(1))) for m in _INLINE[style].finditer(folded)]


def _sequence(hits: list[tuple[int, int, int | None]], after: int = 0) -> list[tuple[int, int, int | None]]:
    """Keep the hits that make a numbered run from after + 1: each the same as or one more than the last.

    Repeats are kept ("三是…三是…" is printed in real notices); jumps are words, not labels.
    """
    run: list[tuple[int, int, int | None]] = []
    for hit in hits:
        number = hit[2]
        if not run:
            if number == after + 1:
                run.append(hit)
        elif number is not None and run[-1][2] is not None and number in (run[-1][2], run[-1][2] + 1):
            run.append(hit)
    return run


def split_enumeration(printed: str, folded: str, style: str | None = None, after: int = 0) -> list[Segment]:
    """Split a paragraph at inline numbering ("一是…二是…", "(1)…(2)…", "①…②…").

    `style` forces one style; otherwise the style of a label at the very start wins, then the
    style whose run starts earliest. A run starts at 1, or at `after` + 1 for a paragraph
    that continues a list. Text before the first label comes back unlabelled.
    """
    styles = [style] if style else [name for name, _ in P.INLINE_ENUMERATORS]
    best: list[tuple[int, int, int | None]] = []
    best_style = None
    for name in styles:
        run = _sequence(_hits(name, folded), after)
        if run and (not best or run[0][0] < best[0][0] or (run[0][0] == best[0][0] and len(run) > len(best))):
            best, best_style = run, name
    if not best:
        return [Segment(None, printed.strip())] if printed.strip() else []
    segments = []
    if printed[: best[0][0]].strip():
        segments.append(Segment(None, printed[: best[0][0]].strip()))
    for i, (start, end, number) in enumerate(best):
        stop = best[i + 1][0] if i + 1 < len(best) else len(printed)
        label = printed[start:end].strip(_LABEL_TRIM)
        text = printed[end:stop].strip().lstrip(",，:：、").strip()
        segments.append(Segment(label, text, best_style, number))
    return segments


def first_sentence_end(folded: str) -> int | None:
    """Index of the first sentence end outside quotes and brackets, if text follows it."""
    depth = 0
    for index, ch in enumerate(folded):
        if ch in P.QUOTE_OPEN:
            depth += 1
        elif ch in P.QUOTE_CLOSE:
            depth = max(0, depth - 1)
        elif depth == 0 and ch in "。！？!?" and folded[index + 1 :].strip(P.TITLE_TRAILING + "”’」』"):
            return index
    return None


def split_title(printed: str, folded: str) -> tuple[str, str, str]:
    """A heading's title (first sentence, final punctuation off), its folded form, and the rest."""
    cut = first_sentence_end(folded)
    if cut is None:
        title_p, title_f, rest = printed, folded, ""
    else:
        title_p, title_f, rest = printed[:cut], folded[:cut], printed[cut + 1 :].strip()
    trimmed = len(title_f.rstrip(P.TITLE_TRAILING))
    return title_p[:trimmed].strip(), title_f[:trimmed].strip(), rest
