"""Where a captured page keeps its notice: in the page itself, or in a file it links to.

Many sites publish a notice as a short page (一段导语 + 附件：xxx.docx). The rule, the
same for every site:

1. Fetch the page. If it parses into a notice with problems, the notice is the page.
2. Otherwise look at its links for a document: a link to a .docx/.pdf (or to a format the
   archive keeps but cannot read: .doc, .wps, .ofd, .zip...), ranked by what its text or
   address says: 附件, 下载, 通报, 整改, or the page's own title. The best one is fetched.
3. A readable attachment holds the notice; an unreadable one is kept beside the page
   (and named in the report), and the notice is read from the page as well as it can be.
"""
from __future__ import annotations

import posixpath
import re
from dataclasses import dataclass
from urllib.parse import unquote, urljoin, urlsplit

from lxml import etree

from ..ingest import parse
from ..parsing import ParsedNotice, ParseError
from .fetch import Fetched, Fetcher

READABLE_SUFFIXES = (".docx", ".pdf")
KEPT_SUFFIXES = (".doc", ".wps", ".ofd", ".zip", ".rar", ".7z", ".rtf")
# Words in a link's text or address that say it is the notice itself, as sites write them:
# "附件：关于巡察整改进展情况的通报.docx", "点击下载", "附件1".
LINK_HINTS = re.compile(r"附件|下载|通报|整改|巡视|巡察|fujian|download|attach", re.I)
CHARSET = re.compile(r"charset\s*=\s*[\"']?([\w.:-]+)", re.I)


@dataclass(frozen=True)
class Found:
    page: Fetched
    attachment: Fetched | None = None
    attachment_readable: bool = False
    parsed: ParsedNotice | None = None  # the page's parse, when the notice is the page

    def parse(self) -> ParsedNotice:
        """The notice's parse (made once). Raises ParseError."""
        return self.parsed or parse(*self.notice_bytes())

    def notice_bytes(self) -> tuple[bytes, str, str]:
        """(bytes, file name, content type) of the file the notice is read from."""
        source = self.attachment if self.attachment is not None and self.attachment_readable else self.page
        return source.body, source.filename, source.answer.header("content-type")

    def source_json(self) -> dict:
        from ..provenance import source_object

        return source_object(self.page.url, self.page.final_url, self.page.retrieved_at,
                             self.attachment.final_url if self.attachment is not None else None)

    def note(self) -> str:
        """What the report says about the attachment, if there was one."""
        if self.attachment is None:
            return ""
        if self.attachment_readable:
            return f"通报取自附件 {self.attachment.final_url}。"
        return f"附件 {self.attachment.final_url} 的格式无法解析，已原样保存；通报按网页正文解析。"

    def failure_note(self) -> str:
        """What to do when the page alone gave no notice and its attachment cannot be read."""
        if self.attachment is None or self.attachment_readable:
            return ""
        return (f"网页的附件 {self.attachment.final_url} 是本库无法解析的格式，所以没有保存：请下载后用 WPS 或 Word "
                "另存为 .docx（或导出 PDF），再以文件上传。")


def find_notice(url: str, fetcher: Fetcher) -> Found:
    """Fetch `url` and, when the page is only a lead-in, the document it links to. Raises FetchError."""
    page = fetcher.fetch(url)
    if not _is_html(page):
        return Found(page)
    parsed = _page_parse(page)
    if parsed is not None and parsed.issues:
        return Found(page, parsed=parsed)
    link = best_attachment_link(page)
    if link is None:
        return Found(page)
    attachment = fetcher.fetch(link)
    return Found(page, attachment, attachment_readable=_readable(attachment))


def _readable(attachment: Fetched) -> bool:
    suffix = _suffix(attachment.final_url)
    if suffix in KEPT_SUFFIXES:
        return False
    return suffix in READABLE_SUFFIXES or attachment.body.startswith((b"%PDF-", b"PK\x03\x04"))


def _is_html(fetched: Fetched) -> bool:
    return "html" in fetched.content_type or fetched.body.lstrip()[:15].lower().startswith((b"<!doctype", b"<html"))


def _page_parse(page: Fetched) -> ParsedNotice | None:
    try:
        return parse(page.body, page.filename, page.answer.header("content-type") or None)
    except ParseError:
        return None


def best_attachment_link(page: Fetched) -> str | None:
    """The address of the document the page most likely holds its notice in, or None."""
    charset = CHARSET.search(page.answer.header("content-type"))
    try:
        root = etree.fromstring(page.body, etree.HTMLParser(encoding=charset.group(1) if charset else None))
    except (etree.ParserError, etree.XMLSyntaxError, ValueError, LookupError):
        return None
    if root is None:
        return None
    title = " ".join(root.xpath("string(//title)").split())
    ranked = []
    for position, anchor in enumerate(root.iter("a")):
        href = (anchor.get("href") or "").strip()
        if not href or href.startswith(("#", "javascript:", "mailto:")):
            continue
        address = urljoin(page.final_url, href)
        suffix = _suffix(address)
        if suffix not in READABLE_SUFFIXES + KEPT_SUFFIXES:
            continue
        text = " ".join("".join(anchor.itertext()).split())
        hints = len(LINK_HINTS.findall(text + " " + unquote(href)))
        names_title = bool(text) and (text in title or _stem(text) in title)
        ranked.append((suffix in READABLE_SUFFIXES, names_title, hints, -position, address))
    return max(ranked)[-1] if ranked else None


def _suffix(address: str) -> str:
    return posixpath.splitext(unquote(urlsplit(address).path).lower())[1]


def _stem(text: str) -> str:
    return posixpath.splitext(text)[0]
