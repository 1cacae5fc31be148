"""Character-level folding shared by every format: compatibility forms back to ordinary text.

A PDF's text layer maps each glyph back to a code point through the font's ToUnicode
table, and fonts often share one glyph between an ideograph and its radical, so a PDF
printed from a web page or Word reads 人民 as 人⺠ and 增长 as 增⻓. NFKC folds the Kangxi
Radicals block (⼀ -> 一) but not the CJK Radicals Supplement (⺠ ⻓ ⻅); Unicode's
EquivalentUnifiedIdeograph.txt (in data/, source noted in data/README.md) names the
ideograph each radical stands for.
"""
from __future__ import annotations

import re
import unicodedata
from functools import lru_cache
from pathlib import Path

_EQUIVALENTS_FILE = Path(__file__).with_name("data") / "EquivalentUnifiedIdeograph.txt"
# Only the two radical blocks: the file also lists CJK strokes (U+31C0..), which a
# document uses as strokes, not as characters.
_RADICAL_BLOCKS = ((0x2E80, 0x2EFF), (0x2F00, 0x2FDF))


def _in_radical_blocks(code_point: int) -> bool:
    return any(low <= code_point <= high for low, high in _RADICAL_BLOCKS)


@lru_cache(maxsize=1)
def radical_table() -> dict[int, str]:
    """Radical code point -> its equivalent unified ideograph, for str.translate."""
    table: dict[int, str] = {}
    for line in _EQUIVALENTS_FILE.read_text(encoding="utf-8").splitlines():
        data = line.split("#", 1)[0].strip()
        if ";" not in data:
            continue
        source, target = (part.strip() for part in data.split(";", 1))
        low, _, high = source.partition("..")
        for code_point in range(int(low, 16), int(high or low, 16) + 1):
            if _in_radical_blocks(code_point):
                table[code_point] = chr(int(target, 16))
    return table


_RADICAL_CHAR = re.compile("[\u2e80-\u2fdf]")


def has_radicals(text: str) -> bool:
    return _RADICAL_CHAR.search(text) is not None


@lru_cache(maxsize=2)
def _converter(config: str):
    import opencc  # building one loads its dictionaries: ~20 ms, so once per process

    return opencc.OpenCC(config)


@lru_cache(maxsize=1)
def _simplified_radical_table() -> dict[int, str]:
    """The radical table for simplified text: an SC font draws ⼾ (U+2F3E) as 户, but
    Unicode's equivalent is the traditional 戶; OpenCC gives the simplified form."""
    return {code: _converter("t2s").convert(ideograph) for code, ideograph in radical_table().items()}


def _is_simplified(text: str) -> bool:
    """More characters change going to traditional than going to simplified."""
    sample = text[:5000]
    to_traditional = _converter("s2t").convert(sample)
    to_simplified = _converter("t2s").convert(sample)
    changed = lambda other: sum(a != b for a, b in zip(sample, other))  # noqa: E731
    return changed(to_traditional) >= changed(to_simplified)


def fold_radicals(text: str) -> str:
    """Radicals -> the ideographs they stand for, in the text's own script."""
    if not has_radicals(text):
        return text
    table = _simplified_radical_table() if _is_simplified(text) else radical_table()
    return text.translate(table)


def fold_compatibility(text: str) -> str:
    """Radicals -> ideographs, then NFKC (full width -> half width, compatibility ideographs)."""
    return nfkc(fold_radicals(text))


def nfkc(text: str) -> str:
    """unicodedata.normalize("NFKC", text), in a few array operations for the usual long text.

    A notice's text is NFKC but for some full-width punctuation, and normalize() then
    rebuilds the whole string: a fifth of a parse's time, and as long as the rest of
    ingest's tokenizing. Here each character is replaced by its own NFKC form where that
    is one BMP character. That keeps the text's compatibility decomposition, so if the
    result is in NFKC it is the text's NFKC; any other text (a character with a longer
    form, one outside the BMP, or a result that still needs composing) goes through
    normalize().
    """
    if unicodedata.is_normalized("NFKC", text):
        return text
    if len(text) < 128:  # the arrays cost more than they save
        return unicodedata.normalize("NFKC", text)
    import numpy as np

    codes = np.frombuffer(text.encode("utf-32-le", "surrogatepass"), dtype=np.uint32)
    if codes.max() > 0xFFFF:
        return unicodedata.normalize("NFKC", text)
    mapped = _nfkc_table()[codes]
    if not mapped.all():  # 0: no one-character form (or a NUL)
        return unicodedata.normalize("NFKC", text)
    out = mapped.tobytes().decode("utf-32-le", "surrogatepass")
    return out if unicodedata.is_normalized("NFKC", out) else unicodedata.normalize("NFKC", out)


@lru_cache(maxsize=1)
def _nfkc_table():
    """For every BMP code point: its NFKC form if that is one BMP character (itself, mostly), else 0."""
    import numpy as np

    table = np.arange(0x10000, dtype=np.uint32)
    for code in range(0x10000):
        char = chr(code)
        if not unicodedata.is_normalized("NFKC", char):
            form = unicodedata.normalize("NFKC", char)
            table[code] = ord(form) if len(form) == 1 and ord(form) <= 0xFFFF else 0
    return table


# -- the text gate ---------------------------------------------------------------------------
# Characters no text in the archive may hold: NUL and the C0 and C1 controls other than tab,
# newline and carriage return (PostgreSQL refuses NUL; XML 1.0 refuses the C0 ones), lone
# surrogates (no UTF-8 for them) and the non-characters U+FDD0..U+FDEF and U+xFFFE/U+xFFFF
# (not allowed in XML, and never text). Every string that enters the archive passes
# clean_text: decoded notice text (decode.py), every query parameter of every web request
# (archive/middleware.py), the terminal's search, the feeds' output.
_UNSAFE_CHARACTER = re.compile(
    "[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\ud800-\udfff\ufdd0-\ufdef"
    + "".join(f"{chr(plane * 0x10000 + 0xFFFE)}{chr(plane * 0x10000 + 0xFFFF)}" for plane in range(17))
    + "]"
)


def clean_text(text: str) -> str:
    """`text` without the characters no stored or served text may hold (see above)."""
    return _UNSAFE_CHARACTER.sub("", text) if _UNSAFE_CHARACTER.search(text) else text


def unsafe_characters(text: str) -> int:
    """How many characters clean_text would remove."""
    return len(_UNSAFE_CHARACTER.findall(text))
