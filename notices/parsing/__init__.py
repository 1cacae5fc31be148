"""Turn the bytes of a published notice into a ParsedNotice. Pure Python: no Django here.

The pipeline, one stage per module:

1. decode     bytes -> DecodedDocument: detect the format (text, web page, .docx, .pdf)
              and the encoding, keep the article, read a web page's disclosure block into
              page_metadata, render a table of problems (a ledger) one problem a row.
                                                   decode.py, decoders/, chars.py
2. normalise  text -> clean paragraphs: full width and radicals folded, romanisation and
              page chrome dropped, page-broken lines joined; the page's disclosure
              block, bylines and datelines read.            normalize.py, byline.py
3. outline    paragraphs -> the category -> issue -> measure tree.
                                                   outline.py, labels.py, roles.py
4. metadata   title, issuer, agency, inspection team and dates, region and level, the
              figures the notice states.
              metadata.py, inspection.py, dates.py, gazetteer.py, figures.py

Every regular expression and keyword list lives in patterns/, one module per subject
(patterns/__init__.py lists them). A file that cannot be read as a notice raises ParseError, whose
message is a sentence for the user.
"""
from .decode import MAX_BYTES, too_large
from .decoders.html import decode_markup
from .decoders.scan import page_image
from .many import parse_many
from .ocr import OcrSettings, Stop as OcrStop, configure as configure_ocr, set_progress as set_ocr_progress
from .pipeline import PARSER_VERSION, parse_notice
from .titles import is_notice_title
from .types import ParsedIssue, ParsedMeasure, ParsedNotice, ParseError

__all__ = [
    "MAX_BYTES", "PARSER_VERSION", "OcrSettings", "OcrStop", "ParseError", "ParsedIssue", "ParsedMeasure", "ParsedNotice",
    "configure_ocr", "page_image", "parse_many", "parse_notice", "set_ocr_progress", "too_large",
    "decode_markup", "is_notice_title",
]
