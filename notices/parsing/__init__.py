"""Turn the bytes of a published notice into a ParsedNotice. Pure Python: no Django here.

The pipeline, one stage per module:

1. decode     (decode.py)    bytes -> DecodedDocument: detect the format (text, web page,
                             .docx, .pdf) and the encoding, keep the article, read a web
                             page's disclosure block into page_metadata.
2. normalise  (normalize.py) text -> clean paragraphs: full width and radicals folded,
                             romanisation and page chrome dropped, page-broken lines joined.
3. outline    (outline.py)   paragraphs -> the category -> issue -> measure tree.
4. metadata   (metadata.py)  title, issuer, agency, inspection team and dates, region and
                             level, the figures the notice states.

Every regular expression and keyword list lives in patterns.py.
"""
from .pipeline import PARSER_VERSION, parse_notice
from .types import ParsedIssue, ParsedMeasure, ParsedNotice, ParseError

__all__ = [
    "PARSER_VERSION", "ParseError", "ParsedIssue", "ParsedMeasure", "ParsedNotice", "parse_notice",
]
