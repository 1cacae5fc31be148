"""A small government site on 127.0.0.1 for the harvest tests: three columns (栏目), each of three list pages
and twenty links, in the three pagination forms CMSs write (a 下一页 link; numbered index_N.html links; a
createPageHTML(...) script call and no links at all). Twelve of the sixty links lead to rectification
notices: eleven notices, one of them reposted on another column; one is a lead-in page with the notice
attached as .docx, one a .docx linked directly; the other 48 are ordinary news. robots.txt forbids
/private/, where one more notice link points.

Every request is logged with its start and end, so a test can see how many were in flight at once.
"""
from __future__ import annotations

import html
import io
import json
import threading
import time
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

from docx import Document

ROOT = Path(__file__).resolve().parents[2]
SAMPLES = sorted((ROOT / "samples").glob("*.txt"))
EXCERPTS = ROOT / "tests" / "data" / "excerpts"
# Real notices whose gold parse has a title: four samples and seven excerpts, eleven notices.
SAMPLE_FILES = ("000", "002", "003", "004")
EXCERPT_FILES = ("001.txt", "010.txt", "019.txt", "022.txt", "028.txt", "031.txt", "034.txt")
COLUMNS = {  # path -> (name, pagination form)
    "xxzg": ("巡察整改", "next_link"),
    "tzgg": ("通知公告", "numbered"),
    "gzdt": ("工作动态", "script"),
}
PER_PAGE = (7, 7, 6)
NEWS = ["市委第一巡察组进驻{}开展常规巡察", "我局召开巡察整改工作推进会", "关于开展民政领域专项整治的通知",
        "{}2024年政府信息公开工作年度报告", "我局举办业务培训班", "{}开展安全生产大检查", "关于公布第一批示范单位名单的公示"]


@dataclass(frozen=True)
class Notice:
    key: str
    title: str
    text: str


def notices() -> list[Notice]:
    found = []
    for path in SAMPLES:
        if path.stem[:3] in SAMPLE_FILES:
            title = json.loads((ROOT / "tests" / "data" / "gold" / f"{path.stem}.json").read_text(encoding="utf-8"))["title"]
            found.append(Notice(f"s{path.stem[:3]}", title, path.read_text(encoding="utf-8")))
    titles = {row["file"]: row["title"] for row in map(json.loads, (EXCERPTS / "gold.jsonl").open(encoding="utf-8"))}
    for name in EXCERPT_FILES:
        found.append(Notice(f"e{name[:3]}", titles[name], (EXCERPTS / name).read_text(encoding="utf-8")))
    return found


def article_page(title: str, text: str, chrome: str = "某某市民政局") -> bytes:
    body = "".join(f"<p>{html.escape(line.strip())}</p>" for line in text.splitlines() if line.strip())
    return (f'<!DOCTYPE html><html><head><meta charset="utf-8"><title>{html.escape(title)}_{chrome}</title></head>'
            f'<body><div class="top"><a href="/">{chrome}</a> &gt; <a href="/xxzg/index.html">巡察整改</a></div>'
            f'<div class="article"><h1>{html.escape(title)}</h1><div class="content">{body}</div></div>'
            f'<div class="foot">主办：{chrome}　地址：某某路1号</div></body></html>').encode("utf-8")


def docx_of(text: str) -> bytes:
    document = Document()
    for line in text.splitlines():
        if line.strip():
            document.add_paragraph(line.strip())
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()


@dataclass
class Hit:
    path: str
    start: float
    end: float


@dataclass
class Site:
    pages: dict[str, tuple[bytes, str]] = field(default_factory=dict)  # path -> (body, content type)
    hits: list[Hit] = field(default_factory=list)
    slow: float = 0.0  # seconds each answer takes: overlapping requests would show
    url: str = ""
    notice_links: list[str] = field(default_factory=list)  # the twelve addresses of notices
    list_urls: list[str] = field(default_factory=list)  # each column's first page
    _lock: threading.Lock = field(default_factory=threading.Lock)

    def requested(self, path: str) -> int:
        return sum(1 for hit in self.hits if hit.path == path)

    def most_in_flight(self) -> int:
        events = sorted([(h.start, 1) for h in self.hits] + [(h.end, -1) for h in self.hits])
        running = most = 0
        for _, step in events:
            running += step
            most = max(most, running)
        return most

    def gaps(self) -> list[float]:
        """Seconds between the end of each request and the start of the next one."""
        ordered = sorted(self.hits, key=lambda h: h.start)
        return [b.start - a.end for a, b in zip(ordered, ordered[1:])]


def build(site: Site) -> None:
    """Lay out the three columns."""
    items = notices()
    pages = site.pages
    pages["/robots.txt"] = (b"User-agent: *\nDisallow: /private/\n", "text/plain")
    # Notices: pages, a lead-in page with a .docx attached, a .docx linked directly, a repost.
    links = {"xxzg": [], "tzgg": [], "gzdt": []}
    for i, notice in enumerate(items):
        column = list(COLUMNS)[i % 3]
        if i == 4:
            pages[f"/{column}/{notice.key}.html"] = (
                f'<html><head><meta charset="utf-8"><title>{notice.title}</title></head><body><h1>{notice.title}</h1>'
                f'<p>现将有关情况予以公布，详见附件。</p><p>附件：<a href="/files/{notice.key}.docx">{notice.title}.docx</a></p>'
                f'</body></html>'.encode("utf-8"), "text/html; charset=utf-8")
            pages[f"/files/{notice.key}.docx"] = (docx_of(notice.text), "application/vnd.openxmlformats-officedocument"
                                                                       ".wordprocessingml.document")
            links[column].append((f"/{column}/{notice.key}.html", notice.title))
        elif i == 7:
            pages[f"/files/{notice.key}.docx"] = (docx_of(notice.text), "application/vnd.openxmlformats-officedocument"
                                                                       ".wordprocessingml.document")
            links[column].append((f"/files/{notice.key}.docx", notice.title + ".docx"))
        else:
            pages[f"/{column}/{notice.key}.html"] = (article_page(notice.title, notice.text), "text/html; charset=utf-8")
            links[column].append((f"/{column}/{notice.key}.html", notice.title))
    original = links["xxzg"][0]  # reposted, byte for byte, under 工作动态
    pages["/gzdt/repost.html"] = pages[original[0]]
    links["gzdt"].append(("/gzdt/repost.html", original[1]))
    links["xxzg"].append(("/private/hidden.html", "中共某某县民政局党组关于巡察整改进展情况的通报"))
    pages["/private/hidden.html"] = (article_page("不应被抓取", "不应被抓取"), "text/html; charset=utf-8")
    site.notice_links = [site.url + path for column in links.values() for path, _ in column
                         if not path.startswith("/private/")]
    # Ordinary news fills each column to twenty links.
    for column, (name, form) in COLUMNS.items():
        n = 0
        while len(links[column]) < sum(PER_PAGE):
            path = f"/{column}/news{n}.html"
            title = NEWS[n % len(NEWS)].format("市民政局") + (f"（{n}）" if n >= len(NEWS) else "")
            pages[path] = (article_page(title, title + "。"), "text/html; charset=utf-8")
            links[column].insert(n * 3 % (len(links[column]) + 1), (path, title))
            n += 1
        lay_out_column(site, column, name, form, links[column])
        site.list_urls.append(f"{site.url}/{column}/index.html")


def lay_out_column(site: Site, column: str, name: str, form: str, links: list[tuple[str, str]]) -> None:
    start = 0
    names = ["index.html", "index_1.html", "index_2.html"] if form != "next_link" else [
        "index.html", "list2.html", "list3.html"]
    for number, count in enumerate(PER_PAGE):
        chunk = links[start:start + count]
        start += count
        day = 28 - number * 9
        items = "".join(f'<li><a href="{path}" target="_blank">{html.escape(title)}</a><span>2024-0{6 - number}-{day - i:02d}'
                        f'</span></li>' for i, (path, title) in enumerate(chunk))
        if form == "next_link":
            pager = f'<a href="{names[number + 1]}">下一页</a>' if number + 1 < len(PER_PAGE) else "<span>下一页</span>"
            pager = (f'<a href="{names[number - 1]}">上一页</a> ' if number else "") + pager
        elif form == "numbered":
            pager = " ".join(f'<a href="{n}">{i + 1}</a>' for i, n in enumerate(names))
        else:
            pager = f'<script type="text/javascript">createPageHTML({len(PER_PAGE)}, {number}, "index", "html");</script>'
        body = (f'<html><head><meta charset="utf-8"><title>{name}</title></head><body>'
                f'<div class="nav"><a href="/">首页</a> &gt; {name}</div><ul class="list">{items}</ul>'
                f'<div class="pager">{pager}</div></body></html>')
        site.pages[f"/{column}/{names[number]}"] = (body.encode("utf-8"), "text/html; charset=utf-8")


def serve() -> tuple[Site, ThreadingHTTPServer]:
    site = Site()

    class Handler(BaseHTTPRequestHandler):
        def do_GET(self):  # noqa: N802 (the standard library's name)
            start = time.monotonic()
            if site.slow:
                time.sleep(site.slow)
            found = site.pages.get(self.path.split("?", 1)[0])
            body, content_type = found if found else (b"not found", "text/plain")
            self.send_response(200 if found else 404)
            self.send_header("Content-Type", content_type)
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)
            with site._lock:
                site.hits.append(Hit(self.path, start, time.monotonic()))

        def log_message(self, *args):
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    server.daemon_threads = True
    site.url = f"http://127.0.0.1:{server.server_address[1]}"
    build(site)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    return site, server
