"""Lines a web page prints around its article: disclosure fields, bylines and chrome.

Works on text lines, not markup, so the web-page decoder and the PDF decoder (a PDF
printed from a page keeps its byline) share it. Each pattern names the real line it was
written for.
"""
from __future__ import annotations

import re
from typing import Iterable

# Disclosure-block and byline labels -> DecodedDocument.page_metadata keys. None: a label
# we recognise only so that it ends the value before it ("浏览次数:").
LABELS = {
    "信息索引号": "index_number", "索引号": "index_number", "索取号": "index_number",
    "文件名称": "title", "信息名称": "title", "标题": "title", "名称": "title",
    "发布机构": "publisher", "发文机关": "publisher", "发布单位": "publisher", "发文单位": "publisher",
    "成文日期": "written_date", "成文时间": "written_date", "生成日期": "written_date",
    "发布日期": "publish_date", "发布时间": "publish_date", "公开日期": "publish_date",
    "公开时间": "publish_date", "发文日期": "publish_date", "发文时间": "publish_date", "日期": "publish_date", "时间": "publish_date",
    "信息来源": "source", "文章来源": "source", "来源": "source",
    "文号": None, "发文字号": None, "主题分类": None, "公开方式": None, "公开范围": None, "体裁分类": None,
    "有效性": None, "字体": None, "作者": None, "责任编辑": None, "编辑": None, "浏览次数": None, "阅读次数": None,
    "访问次数": None, "浏览量": None, "点击数": None, "点击量": None, "点击": None, "点击率": None,
    "访问量": None, "阅读量": None, "浏览": None, "阅读": None, "字号": None, "分享": None,
    "分享到": None, "所属机构": None, "主题词": None, "关键词": None, "公开时限": None, "效力状态": None,
}
# Labels so common in prose ("日期", "时间", "名称", "标题") count only in a short line
# that holds at least one other label, or as a whole line of their own.
WEAK_LABELS = {"日期", "时间", "名称", "标题", "编辑", "作者"}
_LABEL_ALTERNATIVES = "|".join(sorted(LABELS, key=len, reverse=True))
# 发布日期: 2024-10-25 15:39   来源:厅办公室    浏览次数:    字号:【   (seed 004's byline)
# 索 引 号:113307020501239658/2023-46395        (labels spaced out to align a table)
LABEL_AT = re.compile(r"(?:^|(?<=[\s【\[|｜•·]))(" + _LABEL_ALTERNATIVES + r")\s*[:：]\s*")
SPACED_LABEL = re.compile(r"^((?:[\u4e00-\u9fff]\s+){1,5}[\u4e00-\u9fff])\s*[:：]")
LINE_MAX = 120

# A line made only of page tools: 【字号: 大 中 小】【打印本页】【关闭窗口】 分享到: 微信 微博
TOOL_WORDS = re.compile(
    r"字号|打印本页|打印|关闭窗口|关闭|分享到|分享|收藏|朗读|返回顶部|返回|微信|微博|QQ空间|"
    r"[大中小]|[【】\[\]()()::|｜/\s•·]"
)
# Chrome that is the whole point of its line: 扫一扫在手机打开当前页, 网站标识码:3705000031,
# 鲁ICP备05036036号, 您当前的位置: 首页 > 政务公开, 上一篇: ..., 相关文章
CHROME_MARKERS = re.compile(
    r"扫一扫|手机打开当前页|网站标识码|ICP备|ICP证|公网安备|版权所有|主办单位|承办单位|技术支持|"
    r"网站地图|联系我们|当前位置|您的位置|所在位置|您当前的位置|上一篇|下一篇|浏览次数|阅读次数|"
    r"访问次数|【打印|关闭窗口|打印本页|分享到|字号[::]|建议使用.{0,12}分辨率|无障碍|长者助手"
)
RELATED_HEADINGS = re.compile(r"^(相关文章|相关链接|相关阅读|相关新闻|相关信息|相关文件|延伸阅读)[::]?$")


def label_key(label: str) -> str | None:
    return LABELS.get(re.sub(r"\s+", "", label))


def read_fields(line: str) -> list[tuple[str, str]]:
    """Every "label: value" on one line, in order: [("发布日期", "2024-10-25 15:39"), ...]."""
    text = line.strip().lstrip("•·●■◆- \u3000")
    spaced = SPACED_LABEL.match(text)
    if spaced and label_key(spaced.group(1)):
        text = re.sub(r"\s+", "", spaced.group(1)) + text[spaced.end(1):]
    hits = list(LABEL_AT.finditer(text))
    if not hits or len(text) > LINE_MAX:
        return []
    if hits[0].start() > 0 and text[:hits[0].start()].strip(" •·【[|") != "":
        return []  # prose that happens to hold a label later on
    if len(hits) == 1 and hits[0].group(1) in WEAK_LABELS and len(text) > 40:
        return []
    fields = []
    for hit, nxt in zip(hits, hits[1:] + [None]):
        value = text[hit.end(): nxt.start() if nxt else len(text)]
        fields.append((hit.group(1), value.strip(" \u3000\xa0|｜【】[]")))
    return fields


def is_label_only(line: str) -> bool:
    """A line that is a known label and its colon, its value on the next line: "信息索引号:"."""
    fields = read_fields(line)
    return len(fields) == 1 and not fields[0][1]


def is_chrome(line: str) -> bool:
    text = line.strip()
    if not text:
        return True
    if len(text) <= 80 and CHROME_MARKERS.search(text):
        return True
    return len(text) <= 60 and not TOOL_WORDS.sub("", text) and bool(TOOL_WORDS.search(text))


def collect(fields: Iterable[tuple[str, str]], into: dict[str, str]) -> None:
    """Store values under their page_metadata keys; the first value of a key wins."""
    for label, value in fields:
        key = label_key(label)
        if key and value and key not in into:
            into[key] = value


def read_field_lines(lines: list[str]) -> tuple[dict[str, str], list[int]]:
    """Fields from label:value lines and from label-only lines followed by their value.

    Returns the metadata and the indexes of the lines that held fields (to drop them).
    """
    meta: dict[str, str] = {}
    used: list[int] = []
    i = 0
    while i < len(lines):
        line = lines[i]
        if is_label_only(line) and i + 1 < len(lines) and not read_fields(lines[i + 1]):
            collect([(read_fields(line)[0][0], lines[i + 1].strip())], meta)
            used += [i, i + 1]
            i += 2
            continue
        fields = read_fields(line)
        if fields and (len(fields) > 1 or fields[0][0] not in WEAK_LABELS or len(line) < 40):
            collect(fields, meta)
            used.append(i)
        i += 1
    return meta, used
