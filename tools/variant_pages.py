"""Saved government web pages around a seed's article, for tools/make_variants.py.

Three layouts seen on real sites (zfxxgk disclosure table, label:value list, bare
byline with <br>-separated paragraphs), each wrapped in the chrome the decoder must
drop: header, nav, breadcrumb, 字号/打印/关闭窗口/分享 bar, 相关文章, footer with
主办单位, 网站标识码 and ICP lines, scripts and styles. Elements with class "noprint"
are hidden when Chromium prints the page, as the sites' own print stylesheets do.
"""
from __future__ import annotations

from dataclasses import dataclass
from html import escape


@dataclass(frozen=True)
class PageFacts:
    """What the page states outside the article; None leaves the field off the page."""

    site: str
    publisher: str
    index_number: str | None
    written_date: str | None
    publish_time: str | None
    source: str | None
    related: tuple[str, ...]


STYLE = """
body { font-family: "Noto Serif CJK SC", serif; margin: 0; }
.wrap { width: 1000px; margin: 0 auto; }
.article p { text-indent: 2em; line-height: 1.9; font-size: 16px; margin: 0; }
.article h1, .title { text-align: center; font-size: 22px; }
table.xxgk { border-collapse: collapse; width: 100%; }
table.xxgk th, table.xxgk td { border: 1px solid #ccc; padding: 4px; }
@media print {
  .noprint { display: none !important; }
  .wrap { width: auto; }
}
"""


def _header(facts: PageFacts) -> str:
    nav = "".join(
        f'<li><a href="/col/{i}/index.html">{name}</a></li>'
        for i, name in enumerate(["首页", "政务公开", "政务服务", "互动交流", "走进" + facts.site[:3], "专题专栏"])
    )
    return f"""
<div class="top noprint"><div class="wrap">
  <span>欢迎访问{escape(facts.site)}网站!</span> <a href="/">设为首页</a> <a href="#">加入收藏</a>
  <a href="#">无障碍</a> <a href="#">长者助手</a> <a href="#">登录</a>
</div></div>
<div class="header noprint"><div class="wrap"><div class="logo">{escape(facts.site)}</div>
  <form class="search"><input type="text" value="请输入关键字"><button>搜索</button></form>
</div></div>
<div class="nav noprint"><ul class="wrap">{nav}</ul></div>
<div class="crumb noprint wrap">您当前的位置: <a href="/">首页</a> &gt; <a href="/col/1/">政务公开</a> &gt;
  <a href="/col/9/">通知公告</a> &gt; 正文</div>
"""


def _tools_bar() -> str:
    return """
<div class="tools noprint">
  <span>【字号: <a href="javascript:doZoom(18)">大</a> <a href="javascript:doZoom(16)">中</a>
  <a href="javascript:doZoom(14)">小</a>】</span>
  <a href="javascript:window.print()">【打印本页】</a> <a href="javascript:window.close()">【关闭窗口】</a>
  <span class="share">分享到: <a href="#">微信</a> <a href="#">微博</a> <a href="#">QQ空间</a></span>
</div>
<div class="qrcode noprint"><img src="data:image/gif;base64,R0lGODlhAQABAAAAACw=" alt="">
  <p>扫一扫在手机打开当前页</p></div>
"""


def _related_and_footer(facts: PageFacts) -> str:
    related = "".join(
        f'<li><a href="/art/{i}.html">{escape(title)}</a><span>2023-0{i + 1}-1{i}</span></li>'
        for i, title in enumerate(facts.related)
    )
    return f"""
<div class="related noprint"><h3>相关文章</h3><ul>{related}</ul></div>
<div class="footer noprint"><div class="wrap">
  <p><a href="#">网站地图</a> | <a href="#">联系我们</a> | <a href="#">隐私声明</a></p>
  <p>主办单位:{escape(facts.publisher)} 承办单位:{escape(facts.site)}办公室</p>
  <p>网站标识码:3705000031 <a href="https://beian.miit.gov.cn/">鲁ICP备05036036号</a>
  <a href="#">鲁公网安备 37050202370581号</a></p>
  <p>建议使用1366*768分辨率 IE9及以上版本浏览器</p>
</div></div>
<script type="text/javascript">var _hmt = _hmt || []; function doZoom(n) {{ return n; }}</script>
"""


def _page(facts: PageFacts, title: str | None, middle: str) -> str:
    head_title = f"{escape(title)}_{escape(facts.site)}" if title else escape(facts.site)
    return f"""<!DOCTYPE html PUBLIC "-//W3C//DTD XHTML 1.0 Transitional//EN" "http://www.w3.org/TR/xhtml1/DTD/xhtml1-transitional.dtd">
<html xmlns="http://www.w3.org/1999/xhtml">
<head>
<meta http-equiv="Content-Type" content="text/html; charset=gb2312" />
<meta name="SiteName" content="{escape(facts.site)}" />
<title>{head_title}</title>
<style type="text/css">{STYLE}</style>
<!-- 统计代码 开始 --><script>document.write("");</script>
</head>
<body>
{_header(facts)}
<div class="main wrap">
{middle}
</div>
{_related_and_footer(facts)}
</body>
</html>
"""


def _byline(facts: PageFacts) -> str:
    parts = []
    if facts.publish_time:
        parts.append(f"发布时间:{escape(facts.publish_time)}")
    if facts.source:
        parts.append(f"来源:{escape(facts.source)}")
    parts.append('<span class="noprint">浏览次数:<span id="count">128</span></span>')
    return '<div class="info">' + "&nbsp;&nbsp;&nbsp;".join(parts) + "</div>"


def _disclosure_rows(facts: PageFacts, title: str | None) -> list[tuple[str, str]]:
    rows = []
    if facts.index_number:
        rows.append(("索引号", facts.index_number))
    rows.append(("发布机构", facts.publisher))
    if title:
        rows.append(("标题", title))
    if facts.written_date:
        rows.append(("成文日期", facts.written_date))
    if facts.publish_time:
        rows.append(("发布日期", facts.publish_time[:10]))
    rows += [("主题分类", "民政、扶贫、救灾"), ("公开方式", "主动公开")]
    return rows


def _paragraphs(lines: list[str]) -> str:
    out = []
    for line in lines:
        text = escape(line)
        # Section headings are bold on these sites; the text stays the same.
        if line[:2] in {"一、", "二、", "三、", "四、", "五、"}:
            text = f"<strong>{text}</strong>"
        out.append(f'<p style="text-indent:2em;"><span style="font-family:仿宋_GB2312;">{text}</span></p>')
    return "\n".join(out)


def table_layout(facts: PageFacts, title: str | None, lines: list[str]) -> str:
    """zfxxgk style: a disclosure table of th/td pairs above the article."""
    rows = _disclosure_rows(facts, title)
    cells = ""
    for i in range(0, len(rows), 2):
        pair = rows[i:i + 2]
        cells += "<tr>" + "".join(f"<th>{escape(k)}:</th><td>{escape(v)}</td>" for k, v in pair) + "</tr>\n"
    heading = f"<h1>{escape(title)}</h1>" if title else ""
    middle = f"""
<div class="xxgk-box noprint"><table class="xxgk">{cells}</table></div>
<div class="article">{heading}
{_byline(facts)}
{_tools_bar()}
<div class="TRS_Editor">
{_paragraphs(lines)}
</div></div>"""
    return _page(facts, title, middle)


def list_layout(facts: PageFacts, title: str | None, lines: list[str]) -> str:
    """Label:value list (as on many zjzwfw-built sites), the article in div#zoom."""
    items = "".join(
        f'<li><span class="label">{"信息索引号" if k == "索引号" else "文件名称" if k == "标题" else k}:</span>'
        f'<p class="value">{escape(v)}</p></li>\n'
        for k, v in _disclosure_rows(facts, title)
    )
    heading = f'<div class="title">{escape(title)}</div>' if title else ""
    middle = f"""
<div class="xxgk-info noprint"><ul>{items}</ul></div>
<div class="article">{heading}
{_byline(facts)}
{_tools_bar()}
<div id="zoom">
{_paragraphs(lines)}
</div></div>"""
    return _page(facts, title, middle)


def br_layout(facts: PageFacts, title: str | None, lines: list[str]) -> str:
    """An old CMS: no disclosure block, paragraphs separated by <br> inside one cell."""
    body = "<br />\n".join("&nbsp;&nbsp;&nbsp;&nbsp;" + escape(line) for line in lines)
    heading = f'<tr><td class="title"><b>{escape(title)}</b></td></tr>' if title else ""
    info = []
    if facts.source:
        info.append(f"信息来源:{escape(facts.source)}")
    if facts.publish_time:
        info.append(f"发布日期:{escape(facts.publish_time)}")
    middle = f"""
<table width="100%" class="article">{heading}
<tr><td class="info">{"&nbsp;&nbsp;".join(info)} <span class="noprint">分享:</span></td></tr>
<tr><td class="noprint">{_tools_bar()}</td></tr>
<tr><td class="content">{body}</td></tr>
</table>"""
    return _page(facts, title, middle)


LAYOUTS = {"table": table_layout, "list": list_layout, "br": br_layout}
