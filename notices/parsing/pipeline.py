"""parse_notice: the four stages in order (see the package docstring)."""
from __future__ import annotations

from .chars import fold_compatibility
from .decode import decode
from .types import Metadata, ParsedNotice

PARSER_VERSION = "0.1"


def parse_notice(data: bytes, filename: str = "", content_type: str | None = None) -> ParsedNotice:
    """Parse one file's bytes. Raises ParseError with a user-facing sentence when it cannot."""
    doc = decode(data, filename, content_type)
    text = fold_compatibility(doc.text)
    lines = [line.strip() for line in text.splitlines() if line.strip()]
    return ParsedNotice(
        metadata=Metadata(title=lines[0] if lines else None),
        issues=(),
        text="\n".join(lines),
        format=doc.format,
        encoding=doc.encoding,
        parser_version=PARSER_VERSION,
    )
