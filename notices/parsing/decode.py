"""Stage 1, decode: file bytes -> DecodedDocument (format, encoding, article text)."""
from __future__ import annotations

from .types import DecodedDocument, ParseError


def decode(data: bytes, filename: str = "", content_type: str | None = None) -> DecodedDocument:
    if not data.strip():
        raise ParseError(f"{filename or 'The file'} is empty: there is nothing to parse.")
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise ParseError(f"{filename or 'The file'} is not UTF-8 text; save it as UTF-8 and try again.") from exc
    return DecodedDocument(text=text, format="text", encoding="utf-8")
