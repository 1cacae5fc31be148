"""Stage 1, decode: file bytes -> DecodedDocument (format, encoding, article text).

1. Refuse what cannot be a notice: empty, over MAX_BYTES.
2. Sniff the format from the bytes first (PDF, zip, OLE2, RTF, images), then from the
   name and content type: a file's name can lie, its magic number rarely does.
3. Hand the bytes to the format's decoder (decoders/): text (any Chinese encoding),
   html (declared charset, article without chrome, disclosure block -> page_metadata),
   docx (paragraphs and tables in order, zip-bomb guard), pdf (text layer, re-joined
   lines, no running headers; pages without a readable text layer read by OCR), scan
   (photos and scanned images read by OCR, parsing/ocr/).

Every failure is a ParseError whose message is a sentence telling the user what to do.
"""
from __future__ import annotations

import os
from dataclasses import replace

from .chars import clean_text, unsafe_characters
from .decoders.text import decode_text
from .types import DecodedDocument, ParseError, TextTooLong

MAX_BYTES = 20 * 1024 * 1024
# The most text one notice may hold, in characters; the work of parsing, storing, indexing
# and showing a notice grows with it. The longest sample is 49 KB (about 16,000
# characters); real notices run to tens of thousands of characters, a province's combined
# notice to perhaps a hundred thousand. Half a million is five times that: a file past it
# (a 12 MB .docx can hold 32 million) is not a notice, and is refused before it costs
# minutes and gigabytes. The archive's setting ARCHIVE_MAX_TEXT_CHARS overrides it.
MAX_TEXT_CHARS = 500_000
# No encoding takes fewer than one byte per four characters' worth: a file of more bytes
# than this many times the cap holds more characters than the cap.
_BYTES_PER_CHAR_MAX = 4

HTML_SUFFIXES = {".html", ".htm", ".shtml", ".xhtml", ".shtm"}
TEXT_SUFFIXES = {".txt", ".text", ".md", ""}
# Formats people publish notices in that we do not read, with what to do instead.
UNSUPPORTED = {
    ".doc": "是旧版 Word（.doc）文件。请用 Word 或 WPS 打开，另存为 .docx 后再试",
    ".wps": "是 WPS 文档。请用 WPS 打开，另存为 .docx 后再试",
    ".et": "是 WPS 表格。通报应是 .docx、PDF、网页或文本文件，请换用这些格式的文件",
    ".rtf": "是 RTF 文件。请用 Word 或 WPS 打开，另存为 .docx 后再试",
    ".odt": "是 OpenDocument 文本。请另存为 .docx 后再试",
    ".xls": "是电子表格。通报应是 .docx、PDF、网页或文本文件，请换用这些格式的文件",
    ".xlsx": "是电子表格。通报应是 .docx、PDF、网页或文本文件，请换用这些格式的文件",
    ".ppt": "是演示文稿。通报应是 .docx、PDF、网页或文本文件，请换用这些格式的文件",
    ".pptx": "是演示文稿。通报应是 .docx、PDF、网页或文本文件，请换用这些格式的文件",
    ".ofd": "是 OFD 文档。请在 OFD 阅读器中导出为 PDF 后再试",
    ".mht": "是 MHTML 网页存档。请在浏览器中打开，另存为普通网页（.html）后再试",
    ".mhtml": "是 MHTML 网页存档。请在浏览器中打开，另存为普通网页（.html）后再试",
    ".zip": "是 zip 压缩包。请解压后逐个上传其中的通报文件",
    ".rar": "是压缩包。请解压后逐个上传其中的通报文件",
    ".7z": "是压缩包。请解压后逐个上传其中的通报文件",
}
MAGIC = (
    (b"%PDF-", "pdf"),
    (b"PK\x03\x04", "zip"),
    (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1", "ole2"),
    (b"{\\rtf", ".rtf"),
    (b"\x89PNG", "image"), (b"\xff\xd8\xff", "image"), (b"GIF8", "image"), (b"II*\x00", "image"),
    (b"MM\x00*", "image"), (b"BM", None), (b"RIFF", None), (b"Rar!", ".rar"), (b"7z\xbc\xaf", ".7z"),
)


def decode(data: bytes, filename: str = "", content_type: str | None = None, *,
           max_chars: int = MAX_TEXT_CHARS) -> DecodedDocument:
    """Decode one file's bytes. Raises ParseError with a user-facing sentence when it cannot.

    The text holds at most `max_chars` characters (the decoders stop early where they can),
    and passes the text gate (chars.clean_text): a NUL or a stray control character inside a
    notice is dropped, never stored, and the rest of the notice reads as printed.
    """
    doc = _decode(data, filename, content_type, max_chars)
    if len(doc.text) > max_chars:
        raise TextTooLong(os.path.basename(filename) or "该文件", max_chars)
    if unsafe_characters(doc.text) or any(unsafe_characters(v) for v in doc.page_metadata.values()):
        doc = replace(doc, text=clean_text(doc.text),
                      page_metadata={k: clean_text(v) for k, v in doc.page_metadata.items()})
    return doc


def _decode(data: bytes, filename: str, content_type: str | None, max_chars: int) -> DecodedDocument:
    name = os.path.basename(filename) or "该文件"
    if len(data) > MAX_BYTES:
        raise ParseError(too_large(name, len(data)))
    if not data.strip():
        raise ParseError(f"{name} 是空文件，没有可解析的内容。请确认选对了文件后再试。")
    suffix = os.path.splitext(filename.lower())[1]
    kind = sniff(data, suffix, (content_type or "").lower())
    if kind == "pdf":
        from .decoders.pdf import decode_pdf

        return decode_pdf(data, name)
    if kind == "docx":
        from .decoders.docx import decode_docx

        return decode_docx(data, name, max_chars)
    if kind == "html":
        from .decoders.html import decode_html

        return decode_html(data, name, content_type)
    if kind == "image":
        from .decoders.scan import decode_image

        return decode_image(data, name)
    if kind == "text":
        if len(data) > _BYTES_PER_CHAR_MAX * max_chars:
            raise TextTooLong(name, max_chars)
        return decode_text(data, name)
    raise ParseError(f"{name} {UNSUPPORTED[kind]}。")


def too_large(name: str, size: int) -> str:
    return (f"{name} 有 {size / 1048576:.1f} MB，超过单份通报 {MAX_BYTES // 1048576} MB 的上限。"
            "请确认它就是通报本身，或拆分后再试。")


def sniff(data: bytes, suffix: str, content_type: str) -> str:
    """The decoder to use: "pdf", "docx", "html", "text", or a key of UNSUPPORTED."""
    head = data[:1024]
    for magic, kind in MAGIC:
        if head.startswith(magic) and kind is not None:
            return _refine_container(kind, data, suffix)
    if b"%PDF-" in head:  # some generators put junk before the header; readers accept it
        return "pdf"
    if (head.startswith(b"RIFF") and head[8:12] == b"WEBP") or (head.startswith(b"BM") and suffix == ".bmp"):
        return "image"
    if suffix in UNSUPPORTED:
        return suffix
    if suffix == ".pdf" or "pdf" in content_type:
        raise ParseError(_not_what_it_says(suffix or ".pdf", "PDF 文件"))
    if suffix == ".docx":
        raise ParseError(_not_what_it_says(suffix, "Word（.docx）文件"))
    if suffix in HTML_SUFFIXES or "html" in content_type or looks_like_html(data):
        return "html"
    return "text"


def _refine_container(kind: str, data: bytes, suffix: str) -> str:
    if kind == "zip":
        # A .docx is a zip with word/document.xml; the name sits uncompressed in the headers.
        if b"word/document.xml" in data or b"word/_rels" in data:
            return "docx"
        if suffix in UNSUPPORTED:
            return suffix
        if b"content.xml" in data and b"opendocument" in data:
            return ".odt"
        if b"xl/workbook" in data:
            return ".xlsx"
        if b"ppt/presentation" in data:
            return ".pptx"
        if suffix == ".docx":
            raise ParseError(_not_what_it_says(suffix, "Word（.docx）文件"))
        return ".zip"
    if kind == "ole2":
        # WPS, Excel and PowerPoint use the same container; the name tells them apart.
        return suffix if suffix in {".wps", ".et", ".xls", ".ppt"} else ".doc"
    return kind


def _not_what_it_says(suffix: str, what: str) -> str:
    return (f"该文件的扩展名是 {suffix}，内容却不是{what}，可能已损坏或被改过扩展名。"
            "请重新下载或导出后再试。")


def looks_like_html(data: bytes) -> bool:
    """HTML whatever the name: the document starts with a tag that only HTML has."""
    head = data[:2048].lstrip(b"\xef\xbb\xbf \t\r\n").lower()
    if head.startswith(b"\xff\xfe") or head.startswith(b"\xfe\xff"):
        head = head.decode("utf-16", errors="ignore").encode("ascii", errors="ignore").lstrip()
    starts = (b"<!doctype html", b"<html", b"<head", b"<meta", b"<body", b"<?xml")
    return head.startswith(starts) or (head.startswith(b"<!--") and b"<html" in head)
