"""How a notice's lines are built (normalize.py, pipeline.py, harvest/listing.py): where sentences
and titles end, what a title is made of, and where a flattened or one-line capture glued
paragraphs, bylines and signatures together."""
from __future__ import annotations

import re

from .numerals import CN_DIGIT as _CN
from .page import ANY_BYLINE_KEY

# What every rectification notice talks about: "现将巡察整改进展情况予以公布". A text with none
# of these words and no problem list is some other document.
NOTICE_WORDS = re.compile(r"巡[视察]|整改")
# A line that ends a sentence: page breaks never fall right after these.
SENTENCE_END = re.compile(r"(?:[。！？!?；;：:…]|[。！？!?；;][”’」』)）]*)\s*$")
# A notice's title ends in 通报/报告 (perhaps with the date glued on):
# "中共东营市民政局党组关于市委第六巡察组反馈意见集中整改进展情况的通报",
# "…整改情况的报告", "…的通报(2024年1月9日)", "…的通报2024年1月9日".
TITLE_END = re.compile(
    r"(?:通报|报告|情况说明|公告|公示)\s*"
    r"(?P<date>[(（]?\s*\d{4}\s*[年.\-/]\s*\d{1,2}\s*[月.\-/]\s*\d{1,2}\s*日?"
    r"(?:\s*\d{1,2}:\d{2}(?::\d{2})?)?\s*[)）]?)?\s*$"  # "…的通报 2022-03-04 10:05"
)
# A site's column name printed before a title: "【巡察整改】中共…的通报", "[巡视巡察]关于…",
# "巡察整改｜中共…的通报".
COLUMN_PREFIX = re.compile(r"^(?:[【\[]\s*[^】\]]{1,12}\s*[】\]]|[^|｜\s]{2,10}\s*[|｜])\s*(?=\S)")
# Words a title is made of, for titles without 通报/报告: "关于巡察整改进展情况".
TITLE_WORDS = re.compile(r"关于.{0,60}(?:整改|巡视|巡察).{0,30}情况$")
# A link on a column's list page that leads to a rectification notice names both the inspection
# and the rectification ("中共东营市民政局党组关于市委第六巡察组反馈意见集中整改进展情况的通报");
# "市委第一巡察组进驻市民政局" or "巡察整改工作推进会召开" are news about them, and lack a title's
# end (TITLE_END, TITLE_WORDS) or, cut short by the list ("…关于巡察整改进…"), its 关于.
NOTICE_LINK_SUBJECT = re.compile(r"巡[视察].*整改|整改.*巡[视察]")
CUT_SHORT = re.compile(r"(?:…|\.{2,}|。{2,})$")
# What a list page's link text may carry around a title: an attachment label and a file suffix,
# "附件1：关于巡察整改进展情况的通报.pdf".
LINK_ATTACHMENT_PREFIX = re.compile(r"^(?:附件\s*\d*\s*[:：]?\s*)")
LINK_FILE_SUFFIX = re.compile(r"\.(?:pdf|docx?|wps|html?|txt)$", re.IGNORECASE)
# The last piece of a title the print split before its end: "的通报", "进展情况的通报",
# "整改情况报告", "通报".
TITLE_TAIL = re.compile(r"^(?:.{0,8}(?:情况|的))?(?:通报|报告|情况说明|公告|公示)$")
# A head line that is no piece of a title: a byline ("来源:"), a menu ("首页 > 通知公告"),
# the "关于我们" link.
NOT_TITLE_PIECE = re.compile(r"[:：|｜>›»/]|关于(?:我们|本站|本网)")
# The word before a title's subject: "…党组关于巡察整改…".
ABOUT = re.compile(r"关于|对于")
# What a one-line title is about; "进展情况的通报" alone is the tail of a split title.
TITLE_SUBJECT = re.compile(r"关于|巡视|巡察|整改|落实|反馈")
# The opening sentence of the body: "根据市委统一部署,2025年3月21日至6月28日,…".
OPENING_START = re.compile(r"^(?:根据|按照|依据|遵照|为|近日|20\d\d年|\d{1,2}月\d{1,2}日)")
# One-line notice: the body starts right after the title, "…的通报根据区委统一部署…",
# or after a byline, "…的通报 发布日期: 2024-10-25 来源:厅办公室 根据省委统一部署…".
GLUED_TITLE = re.compile(
    r"^(.{6,120}?(?:的通报|的报告|情况通报))(?=\s|\1|(?:根据|按照|依据|为|近日|20\d\d年|发布|来源|日期|时间|信息来源))"
)
# The opening sentence after a byline in a flattened page: "…字号:【 根据省委统一部署,…",
# "…浏览次数: 字号:【根据省委统一部署,…", "日期:2024年05月20日 2024年10月28日至11月10日,…".
GLUED_OPENING = re.compile(
    r"(?<=[^\u4e00-\u9fff])(?=(?:根据|按照|依据)[^。]{0,30}(?:部署|安排|要求))"
    r"|(?:(?<=\s)|(?<=日))(?=20\d\d\s*年\s*\d{1,2}\s*月\s*\d{1,2}\s*日\s*(?:至|到|—|-))"
)
# The same in a notice captured on one line, glued to what precedes: "…编辑:易硕根据中央统一部署".
GLUED_OPENING_ANYWHERE = re.compile(r"(?=(?:根据|按照|依据)[^。]{0,30}(?:部署|安排|要求))")
_HEAD_BREAK = (
    r"(?:(?:" + ANY_BYLINE_KEY + r")\s*[:：]|中共|中国共产党|[•●■◆▪])"
)
# In the head of a flattened page (before the opening sentence), breaks before a byline key or
# a party organ's name: "正文 中共海南省民政厅党组关于… 发布时间:2025-11-12 作者:佚名".
RUN_ON_HEAD = re.compile(r"\s+(?=" + _HEAD_BREAK + ")")
# The same without the spaces, in a notice captured on one line:
# "第A11版:发布厅中共无锡市公安局委员会…", "发布时间:2025-11-12作者:佚名来源:海南省民政厅".
RUN_ON_HEAD_GLUED = re.compile(r"\s*(" + _HEAD_BREAK + ")")  # consumes the key: cut at group 1
_RUN_ON_LABEL = (
    rf"{_CN}{{1,3}}、|[(（]{_CN}{{1,3}}[)）]|[(（]\d{{1,2}}[)）]|\d{{1,2}}[.、](?=[\u4e00-\u9fff“])|"
    rf"{_CN}{{1,3}}是|[\ue000-\ue031]|(?:整改(?:落实|进展|完成|推进)?情况|完成情况|推进情况)\s*[:：]|欢迎广大"
)
# A paragraph start that a capture glued to the previous paragraph, split off before it.
# After white space (a flattened page keeps its breaks as spaces):
# "…予以公布。 一、提高政治站位,强化组织领导 学院党委…", "…滞后。 整改进展情况: (1)制定…".
RUN_ON_AFTER_SPACE = re.compile(rf"\s+(?={_RUN_ON_LABEL})")
# After sentence punctuation, in a notice captured on one line: "…予以公布。一、整改工作基本情况".
# "…具体情况如下:(一)关于…".
RUN_ON_AFTER_STOP = re.compile(rf"(?:(?<=[。；;！？!?:：])|(?<=[。；;！？!?][”’」』]))(?={_RUN_ON_LABEL})")
# The list glued to the opening that announces it, in any capture: "…现将整改情况公布如下:1.理论学习…",
# "…通报如下:(一)关于…".
RUN_ON_AFTER_INTRO = re.compile(rf"(?<=如下[:：])\s*(?={_RUN_ON_LABEL})")
# A heading with no punctuation glued to the next one, in a one-line notice:
# "一、整改工作基本情况(一)统一思想认识", "…不到位方面1.学习贯彻…", "…的问题整改情况:一是…".
RUN_ON_GLUED = re.compile(
    rf"(?<=[\u4e00-\u9fff”])(?=[(（]{_CN}{{1,3}}[)）]|\d{{1,2}}[.、](?=[\u4e00-\u9fff“])|"
    r"(?:整改(?:落实|进展|完成|推进)?情况|完成情况|推进情况)[:：])"
)
# The signature glued on the end: "…ptlcmz@126.com。中共莆田市荔城区民政局党组2025年7月31日".
RUN_ON_SIGNATURE = re.compile(
    r"(?:(?<=[。；;！？!?\s])|(?<=[a-z]))\s*(?=[^。；;,，\s]{2,40}?(?:党组|党委|委员会|党工委)\s*"
    r"\d{4}\s*年\s*\d{1,2}\s*月\s*\d{1,2}\s*日\s*$)|(?<=党组|党委|员会|工委)\s*(?=\d{4}\s*年\s*\d{1,2}\s*月\s*\d{1,2}\s*日\s*$)"
)
# A status marker glued after a heading sentence: "1.关于理论学习不深入的问题。整改情况:一是…".
INLINE_STATUS_MARKER = re.compile(
    r"(?<=[。；;！？!?\s])(?=(?:整改(?:落实|进展|完成|推进)?情况|完成情况|推进情况|整改措施|整改举措)\s*[:：])"
)
