"""Stage 1, decode: file bytes -> DecodedDocument (format, encoding, article text).

1. Refuse what cannot be a notice: empty, over MAX_BYTES.
2. Sniff the format from the bytes first (PDF, zip, OLE2, RTF, images), then from the
   name and content type: a file's name can lie, its magic number rarely does.
3. Hand the bytes to the format's decoder (decoders/): text (any Chinese encoding),
   html (declared charset, article without chrome, disclosure block -> page_metadata),
   docx (paragraphs and tables in order, zip-bomb guard), pdf (text layer, re-joined
   lines, no running headers).

Every failure is a ParseError whose message is a sentence telling the user what to do.
"""
from __future__ import annotations

import os

from .decoders.text import decode_text
from .types import DecodedDocument, ParseError

MAX_BYTES = 20 * 1024 * 1024

HTML_SUFFIXES = {".html", ".htm", ".shtml", ".xhtml", ".shtm"}
TEXT_SUFFIXES = {".txt", ".text", ".md", ""}
# Formats people publish notices in that we do not read, with what to do instead.
UNSUPPORTED = {
    ".doc": "is a legacy Word .doc file; open it in Word or WPS and save it as .docx, then try again",
    ".wps": "is a WPS document; open it in WPS and save it as .docx, then try again",
    ".et": "is a WPS spreadsheet; a notice should be a .docx, PDF, web page or text file",
    ".rtf": "is an RTF file; open it in Word or WPS and save it as .docx, then try again",
    ".odt": "is an OpenDocument text; save it as .docx and try again",
    ".xls": "is a spreadsheet; a notice should be a .docx, PDF, web page or text file",
    ".xlsx": "is a spreadsheet; a notice should be a .docx, PDF, web page or text file",
    ".ppt": "is a presentation; a notice should be a .docx, PDF, web page or text file",
    ".pptx": "is a presentation; a notice should be a .docx, PDF, web page or text file",
    ".ofd": "is an OFD document; export it as PDF from the OFD reader and try again",
    ".mht": "is an MHTML web archive; open it in a browser and save it as a plain web page (.html)",
    ".mhtml": "is an MHTML web archive; open it in a browser and save it as a plain web page (.html)",
    ".zip": "is a zip archive; unpack it and give the notice files one by one",
    ".rar": "is an archive; unpack it and give the notice files one by one",
    ".7z": "is an archive; unpack it and give the notice files one by one",
    "image": "is an image; scanned notices need OCR, which the archive does not do. "
             "Give the notice as text, .docx, PDF with a text layer or a web page",
}
MAGIC = (
    (b"%PDF-", "pdf"),
    (b"PK\x03\x04", "zip"),
    (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1", "ole2"),
    (b"{\\rtf", ".rtf"),
    (b"\x89PNG", "image"), (b"\xff\xd8\xff", "image"), (b"GIF8", "image"), (b"II*\x00", "image"),
    (b"MM\x00*", "image"), (b"BM", None), (b"Rar!", ".rar"), (b"7z\xbc\xaf", ".7z"),
)


def decode(data: bytes, filename: str = "", content_type: str | None = None) -> DecodedDocument:
    """Decode one file's bytes. Raises ParseError with a user-facing sentence when it cannot."""
    name = os.path.basename(filename) or "The file"
    if len(data) > MAX_BYTES:
        raise ParseError(
            f"{name} is {len(data) / 1048576:.1f} MB, more than the {MAX_BYTES // 1048576} MB a notice can be; "
            "check that it is the notice itself, or split it and try again."
        )
    if not data.strip():
        raise ParseError(f"{name} is empty: there is nothing to parse.")
    suffix = os.path.splitext(filename.lower())[1]
    kind = sniff(data, suffix, (content_type or "").lower())
    if kind == "pdf":
        from .decoders.pdf import decode_pdf

        return decode_pdf(data, name)
    if kind == "docx":
        from .decoders.docx import decode_docx

        return decode_docx(data, name)
    if kind == "html":
        from .decoders.html import decode_html

        return decode_html(data, name, content_type)
    if kind == "text":
        return decode_text(data, name)
    raise ParseError(f"{name} {UNSUPPORTED[kind]}.")


def sniff(data: bytes, suffix: str, content_type: str) -> str:
    """The decoder to use: "pdf", "docx", "html", "text", or a key of UNSUPPORTED."""
    head = data[:1024]
    for magic, kind in MAGIC:
        if head.startswith(magic) and kind is not None:
            return _refine_container(kind, data, suffix)
    if b"%PDF-" in head:  # some generators put junk before the header; readers accept it
        return "pdf"
    if suffix in UNSUPPORTED:
        return suffix
    if suffix == ".pdf" or "pdf" in content_type:
        raise ParseError(_not_what_it_says(suffix or ".pdf", "PDF"))
    if suffix == ".docx":
        raise ParseError(_not_what_it_says(suffix, "Word .docx file"))
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
            raise ParseError(_not_what_it_says(suffix, "Word .docx file"))
        return ".zip"
    if kind == "ole2":
        # WPS, Excel and PowerPoint use the same container; the name tells them apart.
        return suffix if suffix in {".wps", ".et", ".xls", ".ppt"} else ".doc"
    return kind


def _not_what_it_says(suffix: str, what: str) -> str:
    return (f"The file is named {suffix} but its content is not a {what}; it may be damaged or renamed. "
            "Download or export it again and try again.")


def looks_like_html(data: bytes) -> bool:
    """HTML whatever the name: the document starts with a tag that only HTML has."""
    head = data[:2048].lstrip(b"\xef\xbb\xbf \t\r\n").lower()
    if head.startswith(b"\xff\xfe") or head.startswith(b"\xfe\xff"):
        head = head.decode("utf-16", errors="ignore").encode("ascii", errors="ignore").lstrip()
    starts = (b"<!doctype html", b"<html", b"<head", b"<meta", b"<body", b"<?xml")
    return head.startswith(starts) or (head.startswith(b"<!--") and b"<html" in head)
