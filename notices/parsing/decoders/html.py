"""Saved web pages: the article's paragraphs, and the disclosure block and byline as metadata.

1. Charset: BOM, then the HTTP content type, then <meta charset> / http-equiv (read by
   lxml from the page's head), then charset-normalizer. GB2312 and GBK decode as GB18030.
2. Parse with lxml and drop what never holds article text (scripts, styles, forms).
3. Find the article container: every block's text counts for its parent and, half, its
   grandparent (readability's scoring), links counting against; the best block wins
   (<body> included: some pages are a bare run of <p>), minus the link lists inside it.
   The title is the nearest heading before it that the page's <title> confirms.
4. Render the title and container one block per line (<p>, <div>, <br>, table cells).
5. Read the disclosure fields and byline from the lines outside the article and at its
   edges into page_metadata; drop page tools, QR-code, 相关文章 and footer lines.
"""
from __future__ import annotations

import re

from lxml import etree

from .. import patterns as P
from ..types import DecodedDocument, ParseError
from . import pagetext
from .htmltree import clean_tree, find_article, find_title, link_lists, render_lines
from .text import bom_codec, codec_for, detect_and_decode

UNREADABLE = "{name} 看起来是网页，但没有可读的内容。请在浏览器中重新保存该网页后再试。"
NO_ARTICLE = "{name} 是网页，但没有正文。请保存显示通报本身的那个网页（不是列表页或搜索页）后再试。"
CHARSET_IN_CONTENT_TYPE = re.compile(r"charset\s*=\s*[\"']?([\w.:-]+)", re.I)


def decode_html(data: bytes, name: str, content_type: str | None = None) -> DecodedDocument:
    text, codec, warnings = _decode_markup(data, content_type)
    text = _flatten_deep_wrappers(text)
    try:
        # Plain lxml elements: lxml.html's element classes cost a third of the time.
        root = etree.fromstring(
            text.encode("utf-8", errors="replace"),
            parser=etree.HTMLParser(encoding="utf-8", remove_comments=True, remove_pis=True),
        )
    except (etree.ParserError, etree.XMLSyntaxError, ValueError) as exc:
        raise ParseError(UNREADABLE.format(name=name)) from exc
    if root is None:
        raise ParseError(UNREADABLE.format(name=name))
    clean_tree(root)
    container = find_article(root)
    if container is None:
        raise ParseError(NO_ARTICLE.format(name=name))
    head_title = " ".join(root.xpath("string(//title)").split())
    title_el = find_title(root, container, head_title)
    article = (render_lines(title_el) if title_el is not None else []) + render_lines(
        container, skip=link_lists(container))
    skip = {container} | ({title_el} if title_el is not None else set())
    outside = render_lines(root, skip=skip)
    meta, _ = pagetext.read_field_lines(outside)
    article = _trim_edges(article, meta, has_title=title_el is not None)
    if not article:
        raise ParseError(NO_ARTICLE.format(name=name))
    return DecodedDocument(text="\n".join(article) + "\n", format="html", encoding=codec,
                           page_metadata=meta, warnings=tuple(warnings))


def _decode_markup(data: bytes, content_type: str | None) -> tuple[str, str, list[str]]:
    """(text, codec, warnings) following the HTML precedence: BOM, HTTP header, <meta>, detection."""
    declared = bom_codec(data)
    if declared is None and content_type:
        found = CHARSET_IN_CONTENT_TYPE.search(content_type)
        declared = codec_for(found.group(1)) if found else None
    if declared is None:
        declared = _meta_charset(data)
    if declared:
        try:
            return data.decode(declared).lstrip("\ufeff"), declared, []
        except UnicodeDecodeError:
            pass
    detected = detect_and_decode(data)
    if detected is not None:
        warning = [f"网页声明的编码是 {declared}，实际是 {detected[1]}，已按 {detected[1]} 读取。"] \
            if declared else []
        return detected[0].lstrip("\ufeff"), detected[1], warning
    codec = declared or "utf_8"
    return data.decode(codec, errors="replace"), codec, [
        f"网页中有些字符无法按 {codec} 解码，已替换为占位符。请对照原网页核对。"]


# Other readers of web pages (a harvest's list pages) decode them by the same precedence.
decode_markup = _decode_markup


def _meta_charset(data: bytes) -> str | None:
    """The charset a <meta> in the first 8 KB declares, read by lxml from the head alone."""
    head = data[:8192].decode("latin-1")
    try:
        doc = etree.fromstring(head.encode("latin-1"), parser=etree.HTMLParser(encoding="iso-8859-1"))
    except (etree.ParserError, etree.XMLSyntaxError, ValueError):
        return None
    if doc is None:
        return None
    for meta in doc.iter("meta"):
        value = meta.get("charset")
        if not value and (meta.get("http-equiv") or "").lower() == "content-type":
            found = CHARSET_IN_CONTENT_TYPE.search(meta.get("content") or "")
            value = found.group(1) if found else None
        if value and codec_for(value):
            return codec_for(value)
    return None


# libxml2's HTML parser stops descending at 256 levels and drops what is deeper: a notice
# wrapped in thousands of <div>s (a page builder's output, or a hostile file) read as a page
# without article text. Wrappers say nothing about a notice's text, so past this depth they go.
MAX_WRAPPER_DEPTH = 200


def _flatten_deep_wrappers(markup: str) -> str:
    """The markup without its div/span/font/section tags if they nest deeper than the parser reads."""
    depth = deepest = 0
    for match in P.WRAPPER_TAG.finditer(markup):
        depth = max(depth - 1, 0) if match.group("close") else depth + 1
        deepest = max(deepest, depth)
        if deepest > MAX_WRAPPER_DEPTH:
            return P.WRAPPER_TAG.sub(lambda m: "\n" if m.group("tag").lower() in ("div", "section") else "", markup)
    return markup


def _trim_edges(lines: list[str], meta: dict[str, str], has_title: bool) -> list[str]:
    """Move byline and disclosure lines at the article's edges into meta; drop chrome lines.

    The title may sit inside the container, above its byline: it is kept, and the
    trimming goes on below it.
    """
    kept: list[str] = []
    head = 1 if has_title else 0
    kept += lines[:head]
    head = _skip_page_lines(lines, head, meta)
    if not has_title and head < len(lines) and _looks_like_title(lines[head]):
        kept.append(lines[head])
        head = _skip_page_lines(lines, head + 1, meta)
    tail = len(lines)
    while tail > head:
        line = lines[tail - 1]
        fields = pagetext.read_fields(line)
        if fields:
            pagetext.collect(fields, meta)
        elif not (pagetext.is_chrome(line) or _is_related_tail(lines, tail - 1)):
            break
        tail -= 1
    return kept + [line for line in lines[head:tail] if not pagetext.is_chrome(line)]


def _skip_page_lines(lines: list[str], i: int, meta: dict[str, str]) -> int:
    while i < len(lines):
        line = lines[i]
        if pagetext.is_label_only(line) and i + 1 < len(lines):
            pagetext.collect([(pagetext.read_fields(line)[0][0], lines[i + 1].strip())], meta)
            i += 2
            continue
        fields = pagetext.read_fields(line)
        if fields:
            pagetext.collect(fields, meta)
        elif not pagetext.is_chrome(line):
            break
        i += 1
    return i


def _looks_like_title(line: str) -> bool:
    return len(line) <= 100 and "。" not in line and not line.endswith((":", "："))


def _is_related_tail(lines: list[str], i: int) -> bool:
    """Inside a 相关文章 list at the end of the article: short lines after the heading."""
    for j in range(i, max(-1, i - 12), -1):
        if pagetext.RELATED_HEADINGS.match(lines[j].strip()):
            return all(len(line) <= 60 for line in lines[j:i + 1])
    return False

