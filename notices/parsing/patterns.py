"""Every regular expression and keyword list the text stages use, each with the line it was written for
(those of the figures a notice states are in figure_patterns.py).

Patterns run on the *folded* text (see normalize.fold_for_matching): compatibility forms
folded (so "（一）：" arrives as "(一):"), traditional folded to simplified. They still
accept full-width punctuation, so a caller that skips folding degrades gracefully.
No pattern here may backtrack badly on a 5,000-character line: quantifiers are bounded
or run over character classes that cannot overlap their neighbours.
"""
from __future__ import annotations

import re

CN_DIGITS = "一二三四五六七八九十百零〇两"
_CN = f"[{CN_DIGITS}]"
_NUM = f"(?:{_CN}{{1,4}}|\\d{{1,3}})"

# ---------------------------------------------------------------------------
# Characters and page chrome (normalize.py)
# ---------------------------------------------------------------------------

# Romanisation a mirror inserted after a character: "根據(jù)有關(guān)規定".
ROMANISATION = re.compile(
    r"(?<=[\u3400-\u9fff])\((?:[bpmfdtnlgkhjqxrzcsyw]|zh|ch|sh)?"
    r"[aeiouvüāáǎàēéěèīíǐìōóǒòūúǔùǖǘǚǜê]{1,4}(?:ng|n|r)?\)"
)
# Markdown bold that survives copy-paste from some mirrors: "整改情况：**一是**推动建设".
MARKDOWN_BOLD = re.compile(r"\*\*")
# Zero-width characters and byte-order marks inside the text.
INVISIBLE = re.compile(r"[\u200b-\u200f\u2060\ufeff\u00ad]")
# A bullet glyph a web capture puts before list items: "• 信息索引号:".
BULLET = re.compile(r"^[•·●○■□◆◇▪▶►\-\*]\s*")

# Keys of the government information-disclosure block and of a page's byline, mapped to
# DecodedDocument.page_metadata keys. "• 索 引 号:370403/2025-02427", "发布时间:2026-01-08",
# "發佈時間:2018-10-30 18:30 來源:文化和旅遊部政府門戶網站 編輯:易碩" (folded before matching).
DISCLOSURE_KEYS = {
    "信息索引号": "index_number", "索引号": "index_number",
    "文件名称": "title", "标题": "title", "名称": "title",
    "发布机构": "publisher", "发文机关": "publisher", "发文机构": "publisher", "所属机构": "publisher",
    "成文日期": "written_date", "成文时间": "written_date",
    "发布日期": "publish_date", "发布时间": "publish_date", "发文日期": "publish_date",
    "发文时间": "publish_date", "日期": "publish_date", "时间": "publish_date",
    # "更新时间:2021-09-30", "来源时间为:2022-12-08 09:12:33", "发表时间:2022/3/4".
    "更新时间": "publish_date", "更新日期": "publish_date", "发表时间": "publish_date",
    "发表日期": "publish_date", "发稿时间": "publish_date", "发稿日期": "publish_date",
    "上传时间": "publish_date", "录入时间": "publish_date", "公开日期": "publish_date",
    "公开时间": "publish_date", "来源时间为": "publish_date", "来源时间": "publish_date",
    "信息发布日期": "publish_date", "信息发布时间": "publish_date",
    "来源": "source", "信息来源": "source", "文章来源": "source", "来源单位": "source", "稿源": "source",
}
# Keys whose value is page furniture, read only so the whole byline can be dropped:
# "日期:2023-05-04 08:46:31 来源:区文旅体局 浏览量:", "作者: 发布时间:... 点击量:184 大".
BYLINE_NOISE_KEYS = (
    "作者", "编辑", "责任编辑", "浏览次数", "浏览量", "访问次数", "点击量", "点击数", "阅读量",
    "阅读次数", "字号", "分享", "公开方式", "公开范围", "主题分类", "文号", "效力状态", "有效性",
    "公开时限", "体裁分类", "发布单位", "打印", "关闭",
    "发布者", "发布人", "审核", "撰稿", "供稿", "摄影", "校对", "核稿",  # "发布者:党委办公室 发布时间:…"
)
_ALL_KEYS = sorted(set(DISCLOSURE_KEYS) | set(BYLINE_NOISE_KEYS), key=len, reverse=True)
# One "key:" inside a byline; keys may be spaced out ("索 引 号", "文  号").
BYLINE_KEY = re.compile(
    "(" + "|".join(r"\s*".join(map(re.escape, key)) for key in _ALL_KEYS) + r")\s*[:：]"
)

# A page's date and time printed without a label, alone or before its source, in the head:
# "2024-03-12 10:05", "2022-05-09 08:31:07来源:某市住房和城乡建设局", "2024-11-02 15:00 某省纪委监委网站",
# "2020年06月18日09:40 来源:某某网", "2023年10月10日 星期二". Group "rest" is what follows. One with
# a weekday above the title is the site's clock ("2019年3月5日 星期二 农历正月廿九"), not a dateline.
DATELINE = re.compile(
    r"^[\[【(（]?\s*(?P<date>\d{4}\s*(?:[-./]\s*\d{1,2}\s*[-./]\s*\d{1,2}|年\s*\d{1,2}\s*月\s*\d{1,2}\s*日))"
    r"\s*(?:\d{1,2}\s*[:：]\s*\d{2}(?:\s*[:：]\s*\d{2})?)?\s*[\]】)）]?"
    r"\s*(?P<weekday>(?:星期|周|礼拜)[一二三四五六日天])?\s*(?P<rest>.{0,60})$"
)
# A date ending a byline value, as a source printed before its date has it: "来源:某某日报 2023-08-15".
TRAILING_DATE = re.compile(
    r"\s+(\d{4}\s*[-./年]\s*\d{1,2}\s*[-./月]\s*\d{1,2}\s*日?(?:\s*\d{1,2}[:：]\d{2}(?:[:：]\d{2})?)?)\s*$"
)

# What a byline prints around and between its parts: "【发布时间:…】", "2022-03-04 | 来源:…".
BYLINE_SEPARATORS = " 【】[]()（）|｜丨/·•"
# Punctuation a byline's source never holds: a line with these after a date is a sentence.
SENTENCE_MARKS = "。,，;；!！?？"

# Short lines that are page furniture, not notice text. Each alternative names its example.
# "今天是2019年3月5日 星期二" is the site's clock, never the notice's date.
CHROME_LINE = re.compile(
    r"^(?:"
    r"(?:今天是|今日是|今天|今日|当前时间|当前日期|现在时间)\s*[:：]?\s*\d{4}\s*[年\-./].{0,40}"  # "今天是2019年3月5日 星期二"
    r"|(?:主动公开|依申请公开|不予公开)"                          # a disclosure table's bare value
    r"|"
    r"扫一扫在手机(?:上)?打开当前页|扫一扫.{0,8}"              # "扫一扫在手机打开当前页"
    r"|.{0,12}(?:当前的?位置|您的位置|所在位置)\s*[:：].{0,60}"   # "您当前的位置: > >图片新闻"
    r"|欢迎访问.{0,60}"                    # "欢迎访问 媒体资讯网! 当前位置: 网站首页 > 追踪报道 > 正文"
    r"|.{0,10}(?:登录|注册|无障碍|长者模式|长者助手|关怀版|English)(?:\s.{0,10})?"  # "长者助手 登录"
    r"|第[A-Z]?\d{1,3}版\s*[:：].{0,12}"                      # "第A11版:发布厅"
    r"|[【\[]?\s*(?:字号|字体)\s*[:：]?\s*[【\[]?\s*[大中小](?:\s*[大中小]){0,2}\s*[】\]]?.{0,6}"  # "字号:【大 中 小】"
    r"|[大中小]"                                              # "中" / "小" left from a font bar
    r"|(?:【?\s*(?:打印(?:本页|此页|文章)?|关闭(?:本页|窗口)?|收藏|返回顶部|返回|顶部|朗读|分享到?|"
    r"纠错|复制链接|上一篇|下一篇)\s*】?\s*[:：]?\s*){1,6}"    # "【打印本页】【关闭窗口】", "朗读"
    r"|(?:上一篇|下一篇|相关(?:文章|新闻|链接|阅读))\s*[:：].{0,60}"  # "上一篇:关于…"
    r"|.{0,30}(?:ICP|icp)备\s*\d+号.{0,40}"                   # "鲁ICP备05003233号"
    r"|.{0,30}(?:网站标识码|公网安备|版权所有|主办单位|承办单位|技术支持).{0,60}"  # "网站标识码:3700000068"
    r"|[-—–_\s]*\d{1,3}[-—–_\s]*"                               # "— 3 —" page numbers
    r"|第\s*\d{1,3}\s*页\s*(?:[,，/]?\s*共\s*\d{1,3}\s*页)?"     # "第 3 页 共 10 页"
    r"|(?:附件|相关附件)\s*[:：]\s*"                            # empty attachment lists
    r")$"
)

# ---------------------------------------------------------------------------
# Line structure (normalize.py: title, joins, one-line notices)
# ---------------------------------------------------------------------------

# A line that ends a sentence: page breaks never fall right after these.
# What every rectification notice talks about: "现将巡察整改进展情况予以公布". A text with none
# of these words and no problem list is some other document.
NOTICE_WORDS = re.compile(r"巡[视察]|整改")

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
    r"(?:(?:" + "|".join(r"\s*".join(map(re.escape, key)) for key in _ALL_KEYS) + r")\s*[:：]|中共|中国共产党|[•●■◆▪])"
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

# ---------------------------------------------------------------------------
# Headings and measures (outline.py)
# ---------------------------------------------------------------------------

# Heading labels at the start of a paragraph, by style. Group 1 is the number.
HEADING_STYLES: tuple[tuple[str, re.Pattern[str]], ...] = (
    # "(一)关于贯彻落实上级决策部署不彻底,履行新时代民政工作政治责任不到位方面"
    ("cn_paren", re.compile(rf"^[(（]\s*({_CN}{{1,4}})\s*[)）]\s*[、.．,，]?\s*")),
    # "一、整改工作基本情况"; "一.总体情况"
    ("cn_dun", re.compile(rf"^({_CN}{{1,4}})\s*[、.．,，]\s*")),
    # "(1)制定《东营市基本养老服务清单(2025年)》"
    ("ar_paren", re.compile(r"^[(（]\s*(\d{1,2})\s*[)）]\s*[、.．,，]?\s*")),
    # "1.学习贯彻习近平总书记…不到位"; "10.针对“选人用人不规范…”问题。" (not "2023.1" or "5.6亿")
    ("ar_dot", re.compile(r"^(\d{1,2})\s*(?:[.．](?![\d.])|、)\s*")),
    # "1)强化监督" (a half bracket)
    ("ar_half", re.compile(r"^(\d{1,2})\s*[)）]\s*")),
    # "①召开专题会议" (circled numbers are protected from NFKC as private-use characters)
    ("circled", re.compile(r"^([\ue000-\ue031])\s*")),
    # "一是工作规划滞后。"
    ("cn_shi", re.compile(rf"^({_CN}{{1,3}})是\s*[,，:：]?\s*")),
    # "第一,加强组织领导。" / "第二、"
    ("cn_di", re.compile(rf"^第({_CN}{{1,3}})\s*[,，、:：]\s*")),
    # "问题一:理论学习不深入" / "问题3:" / "反馈问题1:理论学习不深入。"
    ("problem_no", re.compile(rf"^(?:反馈|存在|具体|主要)?问题\s*({_CN}{{1,3}}|\d{{1,2}})\s*[:：、.]\s*")),
)
# Styles that open a new line of measures when they follow a status marker on the same line:
# "整改情况:一是于2023年10月10日组织…二是根据主题教育活动安排…", "…;(2)召开…", "①…②…".
INLINE_ENUMERATORS: tuple[tuple[str, re.Pattern[str]], ...] = (
    ("cn_shi", re.compile(rf"(?:^|(?<=[。；;：:！？!?,，\s”]))({_CN}{{1,3}})是(?![的否])")),
    ("ar_paren", re.compile(r"(?:^|(?<=[。；;：:！？!?,，\s]))[(（](\d{1,2})[)）]")),
    ("circled", re.compile(r"([\ue000-\ue031])")),
    ("cn_di", re.compile(rf"(?:^|(?<=[。；;：:！？!?\s]))第({_CN}{{1,3}})[,，、]")),
    ("ar_dot", re.compile(r"(?:^|(?<=[。；;：:！？!?\s]))(\d{1,2})[.、](?=[\u4e00-\u9fff“《])")),
)
# Words that introduce the rectification steps for a problem, with the status they imply.
# "整改进展情况:" (seed 000), "整改情况:一是…" (seed 001), "完成情况:" / "推进情况:" (seed 004),
# "整改落实情况:一是对照2023年优势专科申报的内容" (a hospital), "【整改措施】".
# "【整改情况】一是…" needs no colon.
STATUS_MARKER = re.compile(
    r"^[【\[]?\s*(?P<word>(?:整改|落实)?(?:落实|进展|完成|推进|开展)?情况|整改(?:措施|举措|成效|结果|落实)|"
    r"(?:具体|主要|工作|落实|推进|采取的?)(?:整改)?措施|已采取(?:的)?措施|整改)(?:\s*[】\]]\s*[:：]?|\s*[:：])\s*"
)
STATUS_DONE_WORDS = re.compile(r"完成")   # "完成情况" -> done
STATUS_PROGRESS_WORDS = re.compile(r"推进")  # "推进情况" -> in_progress
# A status the notice states in brackets after a heading or as a value:
# "(一)关于…问题(已完成)", "整改状态:持续推进", "【已整改到位】".
STATUS_VALUE = re.compile(
    r"(?P<done>已完成(?:整改)?|已整改(?:完成|到位|完毕)?|整改(?:完成|到位|完毕)|已办结|已销号)"
    r"|(?P<progress>基本完成|持续推进|持续整改|正在(?:整改|推进)|整改中|推进中|长期坚持|未完成)"
)
STATUS_BRACKET = re.compile(r"[(（【\[]\s*(" + STATUS_VALUE.pattern + r")\s*[)）】\]]\s*[。.]?\s*$")
# Lines inside an issue that describe it rather than report a step: "责任单位:办公室",
# "整改进展:已完成" (which states the status).
ISSUE_ATTRIBUTE = re.compile(
    r"^(?:责任(?:单位|领导|部门|人|科室|股室|处室)|牵头(?:单位|领导|部门)|配合(?:单位|部门)|"
    r"整改(?:时限|期限|目标|状态|进度|进展|要求)|完成(?:时限|时间|期限)|时限要求|问题(?:表现|描述))\s*[:：]"
)
STATUS_ATTRIBUTE = re.compile(r"^整改(?:状态|进度|进展)\s*[:：]")
# A prefix that says "this is the problem" before an issue's title: "(一)反馈问题:理论学习不深入。".
TITLE_PROBLEM_PREFIX = re.compile(r"^(?:反馈|存在的?|主要|具体)?问题(?:表现)?\s*[:：]\s*")
# The part of a notice after the findings: "欢迎广大干部群众对巡察整改落实情况进行监督。",
# "联系方式:电话8333016;电子邮箱…", "联系电话:0731-58231837".
# "附件:1.巡察整改落实情况台账" follows the body too.
CLOSING_LINE = re.compile(
    r"^(?:欢迎.{0,20}(?:监督|批评|意见)|(?:联系(?:方式|电话|地址)|举报电话|监督电话|"
    r"通信地址|通讯地址|邮政编码|电子邮箱|邮箱|信箱|附件\s*\d?)\s*[:：])"
)

# Top-level sections that are not findings. Strong ones decide alone:
# "三、今后整改工作打算", "三、下一步工作安排", "三、巡察反馈问题的处理情况".
NON_FINDING_STRONG = re.compile(
    r"下一步|下阶段|今后|打算|努力方向|处理情况|问责情况|责任追究情况|追责问责情况|联系方式"
)
# Weak ones decide unless the heading also names a problem: "一、整改工作基本情况",
# "一、总体情况", "一、整改工作组织情况", "一、健全组织领导,抓紧抓实问题整改",
# "一、党组履行巡视整改主体责任情况", "二、党委(党组)书记履行第一责任人责任情况".
NON_FINDING_WEAK = re.compile(
    r"(?:基本|总体|整体|总的|工作开展|主要)情况|组织(?:领导|实施|推进|开展|落实|整改|情况)|领导小组|"
    r"(?:主体|第一|监督)责任|第一责任人|责任落实情况|主要做法|工作措施$|取得的?成效|主要成效|"
    r"提高政治站位|强化政治担当|统一思想|长效机制|成果运用|整改工作情况$"
)
# Words that name a problem (checked after PROBLEM_NOISE is removed).
# "学习贯彻…重要指示精神不到位,学懂弄通做实有差距问题", "婚俗改革推进乏力", "合同签订不规范".
PROBLEM_WORDS = re.compile(
    r"问题|不到位|不够|不足|不力|不严|不实|不深|不强|不高|不规范|不健全|不完善|不明显|不全|"
    r"不精准|不合理|不及时|不充分|不扎实|不彻底|不细|不准|不当|不佳|不好|不落实|差距|短板|弱项|薄弱|"
    r"欠缺|缺失|缺位|缺乏|滞后|偏低|偏差|偏少|偏弱|漏洞|弱化|虚化|淡化|乏力|宽松软|盲区|隐患|低效|"
    r"浅表|走过场|打折扣|流于形式|有待|存在(?:问题|不足|差距|薄弱)|未能|未按|未及时|违规|违反|"
    r"落后|软弱涣散|方面$"
)
# Phrases with 问题 that do not name one: "抓紧抓实问题整改", "巡察反馈问题的整改情况",
# "(二)坚持问题导向,逐项整改到位".
PROBLEM_NOISE = re.compile(
    r"问题整改|整改问题|反馈(?:的)?问题|发现(?:的)?问题|问题清单|查找问题根源|问题导向|解决问题|问题解决"
)
# Words a generic findings heading is made of. What is left after removing them says the
# heading names a group of problems: "二、市委巡察组反馈意见整改落实进展情况" leaves nothing
# (a wrapper), and so does "二、聚焦巡视反馈问题,逐项抓好整改落实"; "一、贯彻中央、省、市、区
# 决策部署不力问题整改情况" leaves a category.
WRAPPER_WORDS = re.compile(
    r"关于|对于|针对|对照|聚焦|逐项|逐条|逐一|认真|扎实|全面|抓好|抓实|推动|坚持|持续|深入|切实|着力|"
    r"中央|省委|市委|区委|县委|旗委|州委|盟委|党委|党组|巡视|巡察|第.{1,3}[轮组]|组|"
    r"反馈|意见|问题|整改|落实|进展|推进|完成|情况|成效|工作|具体|集中|主要|指出|发现|交办|"
    r"专项|有关|相关|各项|结果|及其|以及|及|和|与|的|[\s\d、,，.。:：;；()（）“”\"'‘’]"
)
# Action verbs a rectification step starts with: "制定《合同审核要点清单》", "召开全市社会救助…".
MEASURE_START = re.compile(
    r"^(?:已|先后|及时|立即|全面|进一步|认真|严格|制定|修订|出台|印发|建立|健全|完善|开展|召开|组织|"
    r"举办|落实|推进|推动|加强|强化|深化|开设|成立|明确|实施|督促|指导|规范|梳理|排查|核查|清理|"
    r"整治|追回|退还|约谈|对\d|于\d{4}|20\d\d年|\d{1,2}月|截至|目前|通过|结合|针对|围绕|聚焦|坚持)"
)
# A heading that is a paragraph: a first sentence and then more text.
SENTENCE_SPLIT = re.compile(r"[。！？!?]")
QUOTE_OPEN = "“‘「『《"
QUOTE_CLOSE = "”’」』》"
TITLE_TRAILING = "。.;；:：,，!！?？ "

# ---------------------------------------------------------------------------
# Metadata (metadata.py, inspection.py, dates.py)
# ---------------------------------------------------------------------------

# The signature line of an organisation: "中共东营市民政局党组", "中共惠东县民政局党组".
ORG_SUFFIX = re.compile(
    r"(?:党组|党委|委员会|党工委|党总支|党支部|局|厅|院|中心|办公室|政府|公司|集团|大学|学院|学校|"
    r"医院|办事处|镇|乡|街道|部|委|会|所|站|馆|处|社|队|署|行|联|协|校)$"  # "成县工商联", "德阳市科协", "市委党校"
)
# The party organ printed around a unit's name: "中共", "党组" ... stripped for the agency.
PARTY_PREFIX = re.compile(r"^(?:中国共产党|中共)")
# "中共湖北省委" -> "湖北省" too (a region's party committee), but not "市纪委" or "市卫健委".
# "中共郑州经济技术开发区工作委员会" and "中共洛阳高新区工委" -> the zone.
PARTY_SUFFIX = re.compile(
    r"(?:机关)?(?:党组|党委|工作委员会|委员会|党工委|党总支|党支部|领导班子|党组织)$|(?<=[省市县区旗州盟])委$|(?<=区)工委$"
)
# A mass organisation or the CPPCC printed before the region it serves: "共青团汉中市委员会",
# "政协广元市利州区委员会机关党组".
MASS_ORG_PREFIX = re.compile(r"^(?:中国共产主义青年团|共青团|中国人民政治协商会议|政协)")
# A development zone after its city, run at county level: "郑州经济技术开发区", "洛阳高新区".
DEVELOPMENT_ZONE = re.compile(
    r"^[\u4e00-\u9fff]{0,6}?(?:经济技术开发区|经济开发区|高新技术产业开发区|高新技术开发区|高新区|经开区|"
    r"开发区|工业园区|产业园区|综合保税区|保税区)"
)
# Cities whose commissions and bureaus are province level: "天津市商务局", "重庆市住房和城乡建设委员会".
MUNICIPALITIES = ("北京市", "天津市", "上海市", "重庆市")
# A document the opening cites, issued by a body: "按照《中共武义县桃溪镇委员会关于印发…的通知》要求".
CITED_ISSUER = re.compile(r"《(?P<org>[^《》]{4,40}?)(?:关于|对于)")
# A province, city or county inspected as a whole: "中央第七巡视组对云南省进行了常规巡视".
OPENING_PLACE = re.compile(
    r"(?:对|向)(?P<place>[\u4e00-\u9fff]{2,12}?)(?:进行|开展|实施)了?(?:常规|专项|机动|提级)?巡[视察]"
)
# A body's name that is only a region's committee or its inspection office: "中共武义县委",
# "中共武义县委巡察工作领导小组". It says where, not who.
REGION_BODY = re.compile(r"巡[视察]|领导小组|办公室|^(?:中共)?[^\s]{2,12}?[省市县区旗州盟]委$")
# The issuer printed before 关于 in a title, or a title that starts with a party organ:
# "中共东营市民政局党组关于…", "省民政厅党组关于…".
TITLE_ISSUER = re.compile(r"^(?P<org>.{2,40}?)(?:关于|对于)")
# "中共某某委员会巡察整改情况的通报", "某某医院党委巡察整改情况通报" (no 关于); never
# "关于落实市委第一巡察组对某某党委反馈意见…".
TITLE_PARTY_ORG = re.compile(
    r"^(?!关于|对于)(?P<org>.{2,40}?(?:党组|党委|委员会|党工委|党总支|工商联|妇联|科协|残联|文联|侨联|总工会))"
    r"(?=.{0,20}(?:巡视|巡察|整改))"
)
# The inspected unit in the opening sentence: "市委第六巡察组对市民政局党组开展了巡察",
# "对中共中山市人民检察院党组(以下简称“市检察院党组”)开展巡察",
# "向中共喀喇沁旗医疗保障局党组反馈了巡察意见", "对西安科技大学党委开展了常规巡视".
OPENING_UNIT = re.compile(
    r"(?:对|向)(?:中共)?(?P<unit>[^,，。;；、:：()（）“”]{2,40}?)"
    r"(?:党组|党委|党工委|党总支|党支部|领导班子|委员会)"
    r"(?:[(（][^)）]{0,30}[)）])?(?:开展|进行|实施|反馈)"
)
# "我局", "我院", "我中心": the unit names itself without its name.
SELF_REFERENCE = re.compile(r"^(?:我|本)(?:局|院|委|中心|单位|校|厅|部|办|所|镇|乡|街道|公司)")
# A township-level unit after its region: "中山市古镇镇" -> "古镇镇", "张范街道社区卫生服务中心",
# "XX乡人民政府"; not "住房和城乡建设局" or "乡村振兴局".
TOWNSHIP_UNIT = re.compile(
    r"^[^\s]{1,8}?(?:镇|乡|街道|苏木)(?=人民政府|政府|党委|党工委|委员会|办事处|社区|卫生院|中心|村|$)"
)
# A region qualifier in front of a unit: "省民政厅", "市民政局", "区法院", "县民政局".
UNIT_QUALIFIER = re.compile(r"^(?P<q>省|自治区|市|州|盟|区|县|旗)(?![委政])")

# The tail of an inspection team's name: "巡察组", "巡察一组", "巡察第二组", "巡視組" (folded).
TEAM_TAIL = re.compile(rf"巡[视察](?:第?(?:{_CN}{{1,3}}|\d{{1,2}}))?组")
# What may stand before TEAM_TAIL, read right to left from it (a place before the organ,
# "诸暨" in "十三届诸暨市委第五轮巡察三组", is checked against the gazetteer in inspection.py):
# "七届市委第十二轮" + "巡察一组", "集团党委第一" + "巡察组", "八届省委第六轮巡视" + "第六巡视组", "区委第四联动" + "巡察组",
# "市委对村" + "巡察第二组", "校党委巡察办专项" + "巡察组", "中央第五" + "巡视组".
TEAM_PREFIX = re.compile(
    rf"(?P<session>{_CN}{{1,3}}届)?"
    r"(?P<organ>中央|自治区党委|省委|市委|区委|县委|旗委|州委|盟委|(?:集团|公司|大学|学院|医院|银行|[校院局厅])?党委|党组)?"
    r"(?:巡[视察]办)?"
    rf"(?P<round>第(?:{_CN}{{1,3}}|\d{{1,2}})轮)?(?:巡[视察])?"
    r"(?P<qual1>(?:对村|对社区|专项|联动|机动|提级|交叉|常规){1,3})?"
    rf"(?P<number>第?(?:{_CN}{{1,3}}|\d{{1,2}}))?"
    r"(?P<qual2>(?:对村|专项|联动|机动|提级|交叉){1,3})?$"  # "市委第二提级交叉" + "巡察组"
)
# A session printed before the place of the organ: "十三届" + "诸暨" + "市委第五轮巡察三组".
TEAM_SESSION = re.compile(rf"{_CN}{{1,3}}届$")
# The organ an opening names when no numbered team does, for the level of the unit it inspects:
# "中央巡视组对水利部党组开展了常规巡视", "根据县委统一部署,县委巡察组对…".
INSPECTION_ORGAN = re.compile(
    r"(?P<organ>中央|自治区党委|省委|市委|区委|县委|旗委|州委|盟委)[^,，。;；]{0,8}?(?:巡[视察]组|统一部署)"
)
# A round of inspections: "十二届省委第八轮", "十九届中央第七轮", "十五届市委第六轮".
INSPECTION_ROUND = re.compile(
    rf"(?:{_CN}{{1,3}}届)?(?:中央|自治区党委|省委|市委|区委|县委|旗委|州委|盟委)第(?:{_CN}{{1,3}}|\d{{1,2}})轮"
)
# The form of the inspection: "开展专项巡察", "区委第四联动巡察组", "巡察“回头看”".
INSPECTION_FORM = re.compile(r"(专项|联动|机动|提级|交叉|对村)巡[视察]|(回头看)")
INSPECTION_KIND = re.compile(r"巡[视察]")

# Dates. A run of digits with at most a 年 and a 月 in it, ending in 日:
# "2025年3月21日", "2024 年 8 月 20 日", "20241120日" (年 and 月 lost), "319日", "2024717日".
DATE_DAY = re.compile(r"(?<![\d.])(\d(?:\s?\d){0,7}(?:\s*[年月](?:\s*\d){1,4}){0,2})\s*日")
# A month without a day, or with a vague part: "2024年9月至12月", "9月上旬", "3月份", "12月底".
DATE_VAGUE = re.compile(r"(?<![\d.])(?:(\d{4})\s*年\s*)?(\d{1,2})\s*月(?!\s*\d{1,2}\s*日)\s*(份|上旬|中旬|下旬|初|底|末|中)?")
# Dates in a byline or disclosure block: "2024-10-25 15:39", "2024年05月20日", "2023.05.04".
ISO_DATE = re.compile(r"(\d{4})\s*[-./年]\s*(\d{1,2})\s*[-./月]\s*(\d{1,2})")
# What joins the two ends of a period: "2025年3月21日至6月28日", "2021年3月15日—5月15日".
RANGE_JOIN = re.compile(r"^\s*(?:起\s*)?(?:至|到|—+|-|－|~|～|–)\s*")  # "自2024年3月4日起至4月26日"
FEEDBACK_WORD = re.compile(r"反馈")
# A date in Chinese numerals, as signatures print it: "二〇二四年八月二十日", "二○二四年十二月三十日".
CN_DATE = re.compile(
    r"([〇○零一二三四五六七八九]{4})\s*年\s*([一二三四五六七八九十]{1,3})\s*月\s*([一二三四五六七八九十]{1,3})\s*日"
)
# A whole line that is a date (the signature date): "2026年1月9日", "2024 年 8 月 20 日", "二〇二四年八月二十日".
DATE_LINE = re.compile(
    r"^[(（]?\s*(?:\d{4}\s*年\s*\d{1,2}\s*月\s*\d{1,2}\s*日|" + CN_DATE.pattern + r")\s*[)）]?$"
)

# Traditional vocabulary that OpenCC's character folding leaves different from the
# mainland word: "向文化和旅遊部黨組回饋了巡視意見" -> 回馈 -> 反馈. Same lengths only.
VOCABULARY = {"回馈": "反馈", "资讯": "信息", "网路": "网络", "软体": "软件", "公佈": "公布"}

# A control character other than tab, newline, form feed and carriage return: binary data.
CONTROL_CHARACTER = re.compile(r"[\x00-\x08\x0b\x0e-\x1f]")
# Layout wrappers of a web page, opening or closing: <div class="x">, </span>, <font ...>.
WRAPPER_TAG = re.compile(r"<(?P<close>/?)(?P<tag>div|span|font|section)\b[^>]*>", re.I)
# A Chinese character (the CJK Unified Ideographs block): counts how Chinese a decoding reads.
CJK_CHARACTER = re.compile(r"[\u4e00-\u9fff]")

# A rectification ledger's header cells (decoders/tables.py): the column of problems
# ("问题", "存在问题", "巡察反馈问题", "问题描述"; not "整改措施", "问题整改情况", "问题数"
# or "问题类别") and the column of row numbers.
LEDGER_PROBLEM_COLUMN = re.compile(r"^(?!.*(?:措施|举措|情况|进展|完成|时限|单位|责任|数|率|类)).*问题")
LEDGER_NUMBER_COLUMN = re.compile(r"序号?|编号|No\.?", re.I)
# A number printed at the start of a ledger's problem cell: "1.", "（一）", "2、".
LEDGER_CELL_LABEL = re.compile(r"^\s*[（(]?(?:\d{1,3}|[一二三四五六七八九十]{1,3})[)）.、．](?!\d)\s*")
