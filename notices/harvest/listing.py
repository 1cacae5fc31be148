"""Read a column's list page: the links on it (which lead to notices, with the date beside each) and
the other pages of the list. General rules only, for the forms government CMSs use, never a rule
for one site:

1. Links: every <a href> (or the title attribute, which holds the whole title when the text is
   cut short), resolved against the page's address; a link leads to a notice when its text reads
   as a rectification notice's title (the parser's is_notice_title, parsing/titles.py).
2. Dates: the first date written in the link's list item (li, tr, dd, p or div), for --since.
3. More pages, in three forms: a 下一页 link; numbered page links (1 2 3, or index_1.html ...);
   page numbers a script writes, createPageHTML(count, current, "index", "html") (TRS and kin).
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date
from urllib.parse import urljoin, urlsplit

from lxml import etree, html

from ..parsing import decode_markup, is_notice_title
from ..parsing.chars import nfkc

# "下一页", "下页", "后页", "Next", "›", "»", ">", ">>", and the other pager words ("上一页", "尾页"):
# links to pages of this list. "首页" is left out: most sites' first menu item is their home page.
PAGER_TEXT = re.compile(r"^(?:[上下前后]一?页|尾页|末页|最后一页|next(?:\s*page)?|prev(?:ious)?|[‹›«»<>]{1,2})$",
                        re.IGNORECASE)
# A page number as a link's whole text: "2", "[3]", "第4页".
PAGE_NUMBER_TEXT = re.compile(r"^[\[【(（]?\s*第?\s*\d{1,4}\s*页?\s*[\]】)）]?$")
# index_2.html, list_3.shtml, default_4.htm: the numbered pages of a list written by CMSs.
NUMBERED_PAGE = re.compile(r"^(?P<stem>[\w-]+?)_(?P<n>\d{1,4})\.(?P<ext>s?html?|jhtml)$", re.IGNORECASE)
# createPageHTML(7, 0, "index", "html") and its variants with an element id first or a total last.
PAGE_SCRIPT = re.compile(r"createPageHTML\s*\(([^)]*)\)")
PAGE_EXTENSIONS = {"html", "htm", "shtml", "jhtml"}
DATE_IN_ITEM = re.compile(r"(20\d\d|19\d\d)\s*[-./年]\s*(\d{1,2})\s*[-./月]\s*(\d{1,2})")
ITEM_TAGS = {"li", "tr", "dd", "p", "div", "td"}


@dataclass(frozen=True)
class Link:
    url: str
    text: str
    date: date | None
    is_notice: bool


@dataclass(frozen=True)
class ListPage:
    url: str
    links: tuple[Link, ...]
    more_pages: tuple[str, ...]  # other pages of the list, in page order, as far as this page tells

    @property
    def notice_links(self) -> tuple[Link, ...]:
        return tuple(link for link in self.links if link.is_notice)


def read_list_page(data: bytes, url: str, content_type: str = "") -> ListPage:
    text, _, _ = decode_markup(data, content_type or None)
    try:
        root = html.document_fromstring(text)
    except (etree.ParserError, ValueError):
        return ListPage(url, (), ())
    base = next((b.get("href") for b in root.iter("base") if b.get("href")), None)
    base = urljoin(url, base) if base else url
    links: dict[str, Link] = {}
    more: list[str] = []
    for anchor in root.iter("a"):
        target = _address(base, anchor.get("href"))
        if target is None:
            continue
        label = " ".join(anchor.text_content().split())
        title = anchor.get("title") or ""
        if PAGER_TEXT.match(label) or PAGE_NUMBER_TEXT.match(label) or _numbered_sibling(url, target):
            more.append(target)
            continue
        name = title if len(title) > len(label) else label
        if target not in links and name:
            links[target] = Link(target, name, _item_date(anchor), is_notice_title(name))
    more.extend(_script_pages(text, base))
    own = _without_fragment(url)
    pages = [page for page in dict.fromkeys(more) if page != own]
    return ListPage(url, tuple(links.values()), tuple(sorted(pages, key=_page_number)))


def _address(base: str, href: str | None) -> str | None:
    if not href or href.startswith(("#", "javascript:", "mailto:", "tel:")):
        return None
    target = _without_fragment(urljoin(base, href.strip()))
    return target if urlsplit(target).scheme in ("http", "https") else None


def _without_fragment(url: str) -> str:
    return url.split("#", 1)[0]


def _numbered_sibling(page_url: str, target: str) -> bool:
    """index_2.html beside index.html (or index_1.html): a page of the same list, whatever its link says."""
    page, other = urlsplit(page_url), urlsplit(target)
    if (page.netloc, page.path.rsplit("/", 1)[0]) != (other.netloc, other.path.rsplit("/", 1)[0]):
        return False
    found = NUMBERED_PAGE.match(other.path.rsplit("/", 1)[-1])
    if not found:
        return False
    own = page.path.rsplit("/", 1)[-1] or "index.html"
    own_stem = NUMBERED_PAGE.match(own).group("stem") if NUMBERED_PAGE.match(own) else own.rsplit(".", 1)[0]
    return found.group("stem") == own_stem


def _script_pages(text: str, base: str) -> list[str]:
    """The pages a createPageHTML(count, current, name, extension) call would link: name.ext, name_1.ext, ..."""
    pages: list[str] = []
    for call in PAGE_SCRIPT.finditer(text):
        args = [a.strip().strip("'\"") for a in call.group(1).split(",")]
        numbers = [int(a) for a in args if a.isdigit()]
        try:
            ext_at = next(i for i, a in enumerate(args) if a.lower() in PAGE_EXTENSIONS)
        except StopIteration:
            continue
        if not numbers or ext_at == 0:
            continue
        name, ext, count = args[ext_at - 1], args[ext_at], min(numbers[0], 1000)
        pages.extend(urljoin(base, f"{name}.{ext}" if i == 0 else f"{name}_{i}.{ext}") for i in range(count))
    return pages


def _page_number(url: str) -> int:
    found = NUMBERED_PAGE.match(urlsplit(url).path.rsplit("/", 1)[-1])
    if found:
        return int(found.group("n"))
    digits = re.findall(r"\d+", urlsplit(url).query or urlsplit(url).path.rsplit("/", 1)[-1])
    return int(digits[-1]) if digits else 0


def _item_date(anchor) -> date | None:
    """The date printed in the list item the link sits in, if any."""
    item = anchor
    for _ in range(4):
        if item is None:
            return None
        if item.tag in ITEM_TAGS:
            break
        item = item.getparent()
    if item is None:
        return None
    found = DATE_IN_ITEM.search(nfkc(item.text_content()))
    if not found:
        return None
    try:
        return date(*map(int, found.groups()))
    except ValueError:
        return None
