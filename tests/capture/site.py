"""A small government web site on 127.0.0.1 for the capture tests: a thread with the standard library's server.

It serves the notices the way real sites do (chrome around the article, GBK pages, a
lead-in page with the notice attached as .docx or .pdf, reposts elsewhere) and the ways
sites fail (404, a 503 that passes on retry, a response slower than the timeout, a path
robots.txt forbids, a body over the size cap, a redirect chain).
"""
from __future__ import annotations

import io
import json
import threading
import time
from collections import Counter
from dataclasses import dataclass
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

from docx import Document

ROOT = Path(__file__).resolve().parents[2]
SAMPLES = sorted((ROOT / "samples").glob("*.txt"))
VARIANTS = ROOT / "tests" / "data" / "variants"


@dataclass
class Page:
    body: bytes
    content_type: str = "text/html; charset=utf-8"
    status: int = 200
    headers: tuple[tuple[str, str], ...] = ()
    delay: float = 0.0  # seconds before answering
    fail_first: int = 0  # answer 503 this many times before the page
    send_length: bool = True


def sample_text(index: int) -> str:
    return SAMPLES[index].read_text(encoding="utf-8")


def gold(index: int) -> dict:
    """The hand-checked parse of sample `index`."""
    return json.loads((ROOT / "tests" / "data" / "gold" / (SAMPLES[index].stem + ".json")).read_text(encoding="utf-8"))


def sample_title(index: int) -> str:
    return gold(index)["title"] or next(line.strip() for line in sample_text(index).splitlines() if line.strip())


def government_page(index: int, encoding: str) -> bytes:
    """Sample `index` as its site published it (the committed variant page), re-encoded."""
    html = (VARIANTS / f"{index:03d}.gb2312.html").read_bytes().decode("gb18030")
    html = html.replace("charset=gb2312", f"charset={encoding}")
    return html.encode(encoding, errors="xmlcharrefreplace")


def news_repost(index: int) -> bytes:
    """The same notice reposted by a news site: other chrome, other markup, a byline of its own."""
    lines = [line.strip() for line in sample_text(index).splitlines() if line.strip()]
    title, body = lines[0], lines[1:]
    paragraphs = "\n".join(f"<p>{line}</p>" for line in body)
    return f"""<!DOCTYPE html><html><head><meta charset="utf-8"><title>{title}-廉政新闻网</title></head>
<body><div class="site-head"><a href="/">廉政新闻网</a> | <a href="/yw/">要闻</a> | <a href="/xs/">巡视巡察</a></div>
<div class="main"><h1 class="art-title">{title}</h1><div class="art-info">来源：本网综合　编辑：李明</div>
<div class="art-body">{paragraphs}</div>
<div class="art-share">分享到：微信 微博</div></div>
<div class="foot">廉政新闻网 版权所有 京ICP备00000000号</div></body></html>""".encode("utf-8")


def lead_in_page(title: str, link: str, link_text: str) -> bytes:
    """A short page whose notice is an attached file, as many sites publish one."""
    return f"""<!DOCTYPE html><html><head><meta charset="utf-8"><title>{title}</title></head>
<body><div class="nav"><a href="/">首页</a> &gt; <a href="/xxgk/">信息公开</a></div>
<div class="article"><h1>{title}</h1><div class="info">发布时间：2024-05-06　来源：本机关</div>
<div class="content"><p>根据有关规定，现将巡察整改进展情况予以公布，详见附件。</p>
<p>附件：<a href="{link}">{link_text}</a></p></div></div>
<div class="footer">主办单位：本机关　网站标识码：0000000000</div></body></html>""".encode("utf-8")


def docx_of(index: int) -> bytes:
    document = Document()
    lines = [line.strip() for line in sample_text(index).splitlines() if line.strip()]
    document.add_heading(lines[0], level=1)
    for line in lines[1:]:
        document.add_paragraph(line)
    out = io.BytesIO()
    document.save(out)
    return out.getvalue()


def default_pages() -> dict[str, Page]:
    docx_title, pdf_title = sample_title(2), sample_title(3)
    return {
        "/robots.txt": Page(b"User-agent: *\nDisallow: /private/\n", "text/plain"),
        "/utf8/notice.html": Page(government_page(0, "utf-8")),
        "/gbk/notice.html": Page(government_page(1, "gbk"), "text/html; charset=gbk"),
        "/docx/notice.html": Page(lead_in_page(docx_title, "/files/2024/tongbao.docx", f"{docx_title}.docx")),
        "/files/2024/tongbao.docx": Page(docx_of(2), "application/vnd.openxmlformats-officedocument.wordprocessingml.document"),
        "/pdf/notice.html": Page(lead_in_page(pdf_title, "../files/2024/tongbao.pdf", "点击下载")),
        "/files/2024/tongbao.pdf": Page((VARIANTS / "003.pdf").read_bytes(), "application/pdf"),
        "/wps/notice.html": Page(lead_in_page(docx_title, "/files/2024/tongbao.wps", f"{docx_title}.wps")),
        "/files/2024/tongbao.wps": Page(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 600, "application/octet-stream"),
        "/old/notice": Page(b"", status=302, headers=(("Location", "/moved/"),)),
        "/moved/": Page(b"", status=301, headers=(("Location", "http://{host}/news/2024/notice-004.html"),)),
        "/news/2024/notice-004.html": Page(government_page(4, "utf-8")),
        "/loop": Page(b"", status=302, headers=(("Location", "/loop"),)),
        "/missing.html": Page(b"<html><body>404 Not Found</body></html>", status=404),
        "/flaky.html": Page(government_page(4, "utf-8"), fail_first=1),
        "/slow.html": Page(government_page(0, "utf-8"), delay=1.5),
        "/private/notice.html": Page(government_page(0, "utf-8")),
        "/huge.html": Page(b"<html><body>" + "巡察".encode() * 200_000 + b"</body></html>"),
        "/huge-unsized.html": Page(b"<html><body>" + "巡察".encode() * 200_000 + b"</body></html>", send_length=False),
        "/repost/000.html": Page(news_repost(0)),
    }


class LocalSite:
    """Serves `pages` (path -> Page, changeable while running) on 127.0.0.1; counts the requests."""

    def __init__(self) -> None:
        self.pages = default_pages()
        self.hits: Counter[str] = Counter()
        self.user_agents: list[str] = []
        site = self

        class Handler(BaseHTTPRequestHandler):
            def do_GET(self):  # noqa: N802 (the standard library's name)
                site.serve(self)

            def log_message(self, *args):
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.server.daemon_threads = True
        self.host = f"127.0.0.1:{self.server.server_port}"
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)

    def url(self, path: str) -> str:
        return f"http://{self.host}{path}"

    def serve(self, handler: BaseHTTPRequestHandler) -> None:
        path = handler.path.split("?")[0]
        self.hits[path] += 1
        self.user_agents.append(handler.headers.get("User-Agent", ""))
        page = self.pages.get(path)
        if page is None:
            handler.send_error(404)
            return
        if page.delay:
            time.sleep(page.delay)
        if self.hits[path] <= page.fail_first:
            handler.send_error(503)
            return
        handler.send_response(page.status)
        handler.send_header("Content-Type", page.content_type)
        for name, value in page.headers:
            handler.send_header(name, value.replace("{host}", self.host))
        if page.send_length:
            handler.send_header("Content-Length", str(len(page.body)))
        handler.end_headers()
        try:
            handler.wfile.write(page.body)
        except (BrokenPipeError, ConnectionResetError):
            pass  # the archive stopped reading (a body over the cap)

    def __enter__(self) -> "LocalSite":
        self.thread.start()
        return self

    def __exit__(self, *exc) -> None:
        self.server.shutdown()
        self.server.server_close()

