"""parse_notice: the four stages in order (see the package docstring).

Where each stage's work lives:

1. decode     decode.py, chars.py
2. normalise  normalize.py: characters, chrome, one-line captures, title, joins; byline.py:
              the disclosure block, bylines and datelines
3. outline    outline.py (the heading tree and status blocks), labels.py (numbering, inline
              lists, titles), roles.py (findings sections, categories, issues, measures;
              outline() runs the stage)
4. metadata   metadata.py (title, issuer, agency, region, level), inspection.py (team, round,
              form, period, feedback), dates.py, gazetteer.py (GB/T 2260 divisions),
              figures.py (the counts the notice states)

Every regular expression and keyword list is in patterns/ (one module per subject).
"""
from __future__ import annotations

from . import patterns as P
from .decode import MAX_TEXT_CHARS, decode
from .figures import read_figures
from .metadata import read_metadata
from .normalize import normalize
from .roles import outline
from .types import NormalizedText, ParsedNotice, ParseError

PARSER_VERSION = "0.6"
TRUNCATED = "正文在句子中间结束，通报似乎不完整：最后几个问题可能缺了内容。请对照原文核对。"
NO_ISSUES = "这份通报中没有找到问题清单。请确认它是整改进展情况的通报，必要时手工补上问题。"
NOT_A_NOTICE = "这不像整改通报：全文没有提到巡视、巡察或整改，也没有问题清单。请确认选对了文件。"


def _looks_truncated(norm: NormalizedText, closing_lines: int) -> bool:
    if closing_lines or not norm.folded:
        return False
    last = norm.folded[-1]
    return not (P.SENTENCE_END.search(last) or P.DATE_LINE.match(last) or last.endswith(("”", "」", ")")))


def parse_decoded(doc) -> ParsedNotice:
    """Stages 2-4 on a DecodedDocument."""
    norm = normalize(doc)
    if not any(line.strip() for line in norm.lines):
        if norm.title:
            raise ParseError(f"文件只有标题（{norm.title}），去掉网页的栏目、导航等内容后没有正文。"
                             "请确认保存了完整的通报后再试。")
        raise ParseError("去掉网页的栏目、导航等内容后，文件中没有正文，没有可解析的内容。请确认选对了文件后再试。")
    tree = outline(norm)
    if not tree.issues and not any(P.NOTICE_WORDS.search(line) for line in norm.folded):
        raise ParseError(NOT_A_NOTICE)
    warnings = list(doc.warnings) + list(norm.warnings) + list(tree.warnings)
    if _looks_truncated(norm, len(tree.closing)):
        warnings.append(TRUNCATED)
    if not tree.issues:
        warnings.append(NO_ISSUES)
    return ParsedNotice(
        metadata=read_metadata(norm, tree.opening),
        issues=tree.issues,
        text="\n".join(([norm.title] if norm.title else []) + list(norm.lines)),
        format=doc.format,
        encoding=doc.encoding,
        figures=read_figures("\n".join(f for _, f in tree.overview), "\n".join(norm.folded)),
        warnings=tuple(warnings),
        parser_version=PARSER_VERSION,
        ocr=doc.ocr,
    )


def parse_notice(data: bytes, filename: str = "", content_type: str | None = None, *,
                 max_chars: int = MAX_TEXT_CHARS) -> ParsedNotice:
    """Parse one file's bytes. Raises ParseError with a user-facing sentence when it cannot;
    a text past `max_chars` characters is refused (decode.MAX_TEXT_CHARS says why)."""
    return parse_decoded(decode(data, filename, content_type, max_chars=max_chars))
