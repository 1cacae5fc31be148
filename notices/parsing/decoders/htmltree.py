"""The lxml side of the web-page decoder: clean the tree, find the article and its title,
render blocks as lines."""
from __future__ import annotations

import re
from collections import defaultdict

from lxml import etree

from .tables import ledger_lines

BLOCK_TAGS = frozenset(
    "p div h1 h2 h3 h4 h5 h6 li ul ol dl dt dd table tr td th thead tbody tfoot caption section "
    "article header footer nav aside main blockquote pre center address figure figcaption hr "
    "fieldset details summary body html form".split()
)
HEADING_TAGS = frozenset("h1 h2 h3 h4".split())
# Never article text. Hidden elements go too: sites keep templates and print copies there.
DROP_TAGS = ("script", "style", "noscript", "iframe", "button", "input", "select", "textarea",
             "object", "embed", "svg", "canvas", "map", "template", "link", "meta")
TITLE_HINT = re.compile(r"title|tit\b|biaoti|^bt$|headline|wzbt|art_?tit", re.I)
NAV_HINT = re.compile(r"nav|menu|crumb|position|location|footer|foot|header|top|logo|search|login|"
                      r"share|tool|related|xgwz|xglj|copyright|banner|sidebar", re.I)
HIDDEN_STYLE = re.compile(r"display\s*:\s*none|visibility\s*:\s*hidden", re.I)
# Source line breaks between two CJK characters are layout, not spaces a reader sees.
SOURCE_BREAK = re.compile(r"(?<=[\u3000-\u9fff\uff00-\uffef])[ \t\r]*\n\s*(?=[\u3000-\u9fff\uff00-\uffef])")
CANDIDATES_CHECKED = 12
# A <title> can be just the site's name; a heading it confirms must look like a document.
DOCUMENT_WORDS = re.compile(r"关于|通报|报告|情况|公告|通知|决定|意见")


def clean_tree(root: etree._Element) -> None:
    etree.strip_elements(root, *DROP_TAGS, with_tail=False)
    hidden = [el for el in root.iter() if isinstance(el.tag, str)
              and (HIDDEN_STYLE.search(el.get("style") or "") or el.get("hidden") is not None)]
    for el in hidden:
        _remove_keep_tail(el)


def _remove_keep_tail(el: etree._Element) -> None:
    parent = el.getparent()
    if parent is None:
        return
    if el.tail:
        prev = el.getprevious()
        if prev is not None:
            prev.tail = (prev.tail or "") + el.tail
        else:
            parent.text = (parent.text or "") + el.tail
    parent.remove(el)


def _tag(el) -> str | None:
    return el.tag.lower() if isinstance(el.tag, str) else None


def _inline_text(el: etree._Element, in_link: bool = False) -> tuple[int, int]:
    """(characters, characters inside links) of el's own text, nested blocks excluded."""
    chars = links = 0
    link = in_link or _tag(el) == "a"
    if el.text:
        n = len("".join(el.text.split()))
        chars += n
        links += n if link else 0
    for child in el:
        if _tag(child) not in BLOCK_TAGS:
            c, k = _inline_text(child, link)
            chars, links = chars + c, links + k
        if child.tail:
            n = len("".join(child.tail.split()))
            chars += n
            links += n if link else 0
    return chars, links


def find_article(root: etree._Element) -> etree._Element | None:
    """The block whose paragraphs hold the most text that is not links."""
    body = root.find("body")
    body = body if body is not None else root
    scores: dict[etree._Element, float] = defaultdict(float)
    for el in body.iter():
        tag = _tag(el)
        if tag not in BLOCK_TAGS or tag == "html":
            continue
        chars, links = _inline_text(el)
        content = chars - 2 * links
        if content <= 0:
            continue
        scores[el] += content  # text right inside a cell or div (paragraphs split by <br>)
        # <body> counts too: some sites put the article's <p>s straight into it.
        parent = el.getparent()
        if parent is not None and _tag(parent) != "html":
            scores[parent] += content
            grand = parent.getparent()
            if grand is not None and _tag(grand) != "html":
                scores[grand] += content / 2
    if not scores:
        return body if "".join(body.itertext()).strip() else None
    best = sorted(scores.items(), key=lambda item: -item[1])[:CANDIDATES_CHECKED]
    return max(best, key=lambda item: item[1] * (1 - _link_density(item[0])))[0]


def _link_density(el: etree._Element) -> float:
    total = len("".join("".join(el.itertext()).split()))
    linked = sum(len("".join("".join(a.itertext()).split())) for a in el.iter("a"))
    return linked / total if total else 1.0


def _squash(text: str) -> str:
    return "".join(text.split())


def find_title(root: etree._Element, container: etree._Element, head_title: str) -> etree._Element | None:
    """The nearest heading before the article: confirmed by <title>, or an h1-h4 / "title" block."""
    ancestors = set(container.iterancestors()) | {container}
    order = {el: i for i, el in enumerate(root.iter())}
    limit = order[container]
    head = _squash(head_title)
    confirmed, plausible = None, None
    for el in root.iter():
        if order[el] >= limit:
            break
        if el in ancestors or _tag(el) not in BLOCK_TAGS | {"b", "strong", "span", "font"}:
            continue
        text = _squash("".join(el.itertext()))
        if not 5 <= len(text) <= 150 or _link_density(el) > 0.3 or _in_nav(el):
            continue
        if text in head and _is_whole_block(el) and (len(text) >= 12 or DOCUMENT_WORDS.search(text)):
            confirmed = el
        elif _tag(el) in HEADING_TAGS or TITLE_HINT.search((el.get("class") or "") + " " + (el.get("id") or "")):
            plausible = el if len(text) >= 8 else plausible
    return confirmed if confirmed is not None else plausible


def _is_whole_block(el: etree._Element) -> bool:
    """A block, or an inline element that is all of its block's text (<td><b>title</b></td>)."""
    if _tag(el) in BLOCK_TAGS:
        return not any(_tag(child) in BLOCK_TAGS for child in el)
    parent = el.getparent()
    return parent is not None and _squash("".join(parent.itertext())) == _squash("".join(el.itertext()))


def _in_nav(el: etree._Element) -> bool:
    for node in [el, *el.iterancestors()]:
        hint = (node.get("class") or "") + " " + (node.get("id") or "")
        if _tag(node) == "nav" or (NAV_HINT.search(hint) and not TITLE_HINT.search(hint)):
            return True
    return False


def link_lists(container: etree._Element) -> set:
    """Blocks inside the article that are mostly links: nav bars, 相关文章, attachment lists."""
    found = set()
    for el in container.iterdescendants():
        if _tag(el) in BLOCK_TAGS and el.find(".//a") is not None and _link_density(el) > 0.5:
            found.add(el)
    return found


def render_lines(el: etree._Element, skip: set | frozenset = frozenset()) -> list[str]:
    """The text of el, one line per block, <br> and table cell; blocks in skip left out."""
    lines: list[str] = []
    buf: list[str] = []

    def flush() -> None:
        text = " ".join(SOURCE_BREAK.sub("", "".join(buf)).split())
        if text:
            lines.append(text)
        buf.clear()

    def walk(node: etree._Element) -> None:
        tag = _tag(node)
        block = tag in BLOCK_TAGS or tag == "br"
        if block:
            flush()
        if tag == "table" and node not in skip and (ledger := ledger_lines(_table_grid(node, skip))):
            lines.extend(ledger)
            return
        if tag is not None and node not in skip:
            if node.text:
                buf.append(node.text)
            for child in node:
                walk(child)
                if child.tail:
                    buf.append(child.tail)
        if block:
            flush()

    walk(el)
    flush()
    return lines


def _table_grid(table: etree._Element, skip) -> list[list[list[str]]]:
    """The table's rows of cells (each cell its lines), a cell spanning rows or columns
    standing in its first place only: the places it covers after that are empty."""
    grid: list[list[list[str]]] = []
    covered: dict[int, int] = {}  # column -> rows a cell above still spans
    for tr in table.xpath("./tr | ./thead/tr | ./tbody/tr | ./tfoot/tr"):
        row: list[list[str]] = []
        for cell in [*tr.xpath("./td | ./th"), None]:  # None: the covered places after the last cell
            while covered.get(len(row), 0) > 0:
                covered[len(row)] -= 1
                row.append([])
            if cell is None:
                break
            column = len(row)
            row.append(render_lines(cell, skip))
            rowspan, colspan = _span(cell.get("rowspan")), _span(cell.get("colspan"))
            row += [[] for _ in range(colspan - 1)]
            if rowspan > 1:
                covered.update({column + offset: rowspan - 1 for offset in range(colspan)})
        grid.append(row)
    return grid


def _span(value: str | None) -> int:
    try:
        return max(1, min(int(value or 1), 100))
    except ValueError:
        return 1
