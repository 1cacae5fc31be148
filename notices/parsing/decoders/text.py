"""Plain text in any encoding a Chinese notice is published in."""
from __future__ import annotations

import codecs

from charset_normalizer import from_bytes

from .. import patterns as P
from ..types import DecodedDocument, ParseError

# The encodings a Chinese notice comes in. Restricting the detector to them keeps it from
# reading a short GB18030 file as Korean cp949, and makes Latin-1 or binary junk fail.
# GB18030 is a superset of GBK and GB2312; cp950 and Big5-HKSCS extend Big5.
CHINESE_ENCODINGS = ["utf_8", "utf_16_le", "utf_16_be", "utf_32_le", "utf_32_be",
                     "gb18030", "big5", "cp950", "big5hkscs", "ascii"]
BOMS = (
    (codecs.BOM_UTF32_LE, "utf_32"), (codecs.BOM_UTF32_BE, "utf_32"),
    (codecs.BOM_UTF8, "utf_8_sig"), (codecs.BOM_UTF16_LE, "utf_16"), (codecs.BOM_UTF16_BE, "utf_16"),
)
# A declared or detected name -> the codec that decodes every file labelled so.
SUPERSETS = {"gb2312": "gb18030", "gbk": "gb18030", "cp936": "gb18030", "hz": "gb18030",
             "big5": "cp950", "ascii": "utf_8"}


def codec_for(name: str) -> str | None:
    """The Python codec for a charset label (gb2312 -> gb18030), or None when unknown."""
    try:
        canonical = codecs.lookup(name.strip().strip("\"'")).name.replace("-", "_")
    except (LookupError, ValueError):
        return None
    return SUPERSETS.get(canonical, canonical)


def bom_codec(data: bytes) -> str | None:
    for bom, codec in BOMS:
        if data.startswith(bom):
            return codec
    return None


def detect_and_decode(data: bytes) -> tuple[str, str] | None:
    """(text, codec) by BOM, else by charset-normalizer among the Chinese encodings; None if none fits."""
    utf7 = _as_utf7(data)
    if utf7 is not None:
        return utf7, "utf_7"
    codec = bom_codec(data)
    if codec:
        try:
            return data.decode(codec), codec
        except UnicodeDecodeError:
            return None
    match = from_bytes(data, cp_isolation=CHINESE_ENCODINGS).best()
    if match is None:
        return None
    codec = codec_for(match.encoding) or match.encoding
    try:
        return data.decode(codec), codec
    except UnicodeDecodeError:
        return str(match), match.encoding


def _as_utf7(data: bytes) -> str | None:
    """The text of a file in UTF-7 (mail and some old systems): all ASCII, its Chinese spelled
    as +base64- runs. Read as ASCII it holds no Chinese at all, and was refused as not a notice."""
    if not data.isascii() or b"+" not in data:
        return None
    try:
        text = data.decode("utf_7")
    except UnicodeDecodeError:
        return None
    return text if len(P.CJK_CHARACTER.findall(text[:20000])) >= UTF7_MIN_CJK else None


# So many Chinese characters out of +base64- runs is no accident of ASCII punctuation.
UTF7_MIN_CJK = 20


def looks_binary(text: str) -> bool:
    """Control characters other than tab, newline, form feed and CR mark a binary file."""
    sample = text[:20000]
    return len(P.CONTROL_CHARACTER.findall(sample)) > max(2, len(sample) // 200)


def decode_text(data: bytes, name: str) -> DecodedDocument:
    decoded = detect_and_decode(data)
    if decoded is None or looks_binary(decoded[0]):
        raise ParseError(
            f"{name} 既不是可读的中文文本，也不是网页、Word（.docx）或 PDF 文件。"
            "请把通报另存为 UTF-8 文本、.docx 或 PDF 后再试。"
        )
    text, codec = decoded
    text = text.lstrip("\ufeff").replace("\r\n", "\n").replace("\r", "\n")
    if not text.strip():
        raise ParseError(f"{name} 只有空白，没有可解析的内容。请确认选对了文件后再试。")
    return DecodedDocument(text=text, format="text", encoding=codec)
