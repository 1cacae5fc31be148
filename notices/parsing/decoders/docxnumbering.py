"""Word's automatic numbering, rendered: a heading numbered by a list style has no 一、 or
(一) in its text, yet the outline needs exactly those markers.

Each numbered paragraph (w:numPr, directly or through its style) advances the counter of
its list and level, resets the deeper levels, and gets the level's lvlText ("%1、",
"(%2)") with each %n in the level's numFmt (chineseCounting 一, decimal 1, circled ①).
"""
from __future__ import annotations

from docx.oxml.ns import qn

CHINESE_DIGITS = "〇一二三四五六七八九"
CIRCLED = "①②③④⑤⑥⑦⑧⑨⑩⑪⑫⑬⑭⑮⑯⑰⑱⑲⑳"


def chinese_number(n: int) -> str:
    if n <= 10:
        return "十" if n == 10 else CHINESE_DIGITS[n]
    if n < 20:
        return "十" + CHINESE_DIGITS[n - 10]
    if n < 100:
        return CHINESE_DIGITS[n // 10] + "十" + (CHINESE_DIGITS[n % 10] if n % 10 else "")
    return str(n)


def _roman(n: int) -> str:
    out = ""
    for value, letters in ((1000, "m"), (900, "cm"), (500, "d"), (400, "cd"), (100, "c"), (90, "xc"),
                           (50, "l"), (40, "xl"), (10, "x"), (9, "ix"), (5, "v"), (4, "iv"), (1, "i")):
        while n >= value:
            out, n = out + letters, n - value
    return out


def format_number(n: int, fmt: str) -> str:
    if fmt in ("chineseCounting", "chineseCountingThousand", "japaneseCounting", "chineseLegalSimplified",
               "taiwaneseCounting", "taiwaneseCountingThousand", "ideographTraditional"):
        return chinese_number(n)
    if fmt in ("decimalEnclosedCircle", "decimalEnclosedCircleChinese"):
        return CIRCLED[n - 1] if 0 < n <= len(CIRCLED) else str(n)
    if fmt == "ideographDigital":
        return "".join(CHINESE_DIGITS[int(d)] for d in str(n))
    if fmt == "decimalFullWidth":
        return "".join(chr(ord(d) + 0xFEE0) for d in str(n))
    if fmt in ("lowerLetter", "upperLetter"):
        letter = chr(ord("a") + (n - 1) % 26)
        return letter.upper() if fmt == "upperLetter" else letter
    if fmt in ("lowerRoman", "upperRoman"):
        return _roman(n).upper() if fmt == "upperRoman" else _roman(n)
    if fmt in ("bullet", "none"):
        return ""
    return str(n)


def _val(el, tag: str):
    child = el.find(qn(tag)) if el is not None else None
    return child.get(qn("w:val")) if child is not None else None


class Numbering:
    """The list labels of one document, in the order its paragraphs are read."""

    def __init__(self, document):
        self.levels: dict[tuple[str, int], tuple[int, str, str]] = {}  # (numId, ilvl) -> start, fmt, text
        self.counters: dict[str, dict[int, int]] = {}
        self.styles = {style.style_id: style for style in document.styles} if document.styles else {}
        try:
            root = document.part.numbering_part.element
        except (KeyError, NotImplementedError, AttributeError):
            return
        abstract = {el.get(qn("w:abstractNumId")): el for el in root.findall(qn("w:abstractNum"))}
        for num in root.findall(qn("w:num")):
            num_id, definition = num.get(qn("w:numId")), abstract.get(_val(num, "w:abstractNumId"))
            if definition is None:
                continue
            for lvl in definition.findall(qn("w:lvl")):
                ilvl = int(lvl.get(qn("w:ilvl"), "0"))
                start = int(_val(lvl, "w:start") or 1)
                self.levels[(num_id, ilvl)] = (start, _val(lvl, "w:numFmt") or "decimal", _val(lvl, "w:lvlText") or "")

    def _num_pr(self, paragraph):
        ppr = paragraph._p.pPr
        num_pr = ppr.find(qn("w:numPr")) if ppr is not None else None
        style = self.styles.get(paragraph._p.style) if paragraph._p.style else None
        while num_pr is None and style is not None:
            spr = style.element.find(qn("w:pPr"))
            num_pr = spr.find(qn("w:numPr")) if spr is not None else None
            style = style.base_style
        if num_pr is None:
            return None
        num_id, ilvl = _val(num_pr, "w:numId"), int(_val(num_pr, "w:ilvl") or 0)
        return (num_id, ilvl) if num_id and num_id != "0" and (num_id, ilvl) in self.levels else None

    def label(self, paragraph) -> str:
        """The label Word shows before this paragraph ("一、", "(2)"), advancing the counters."""
        key = self._num_pr(paragraph) if self.levels else None
        if key is None:
            return ""
        num_id, ilvl = key
        counters = self.counters.setdefault(num_id, {})
        counters[ilvl] = counters.get(ilvl, self.levels[key][0] - 1) + 1
        for deeper in [level for level in counters if level > ilvl]:
            del counters[deeper]
        _, fmt, text = self.levels[key]
        if fmt == "bullet":
            return ""
        for level in range(ilvl, -1, -1):
            start, level_fmt, _ = self.levels.get((num_id, level), (1, "decimal", ""))
            number = counters.get(level, start)
            text = text.replace(f"%{level + 1}", format_number(number, level_fmt))
        return text
