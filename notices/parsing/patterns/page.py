"""What a web page or a copy prints around the notice (normalize.py, byline.py, decoders/text.py):
characters a mirror or capture adds, the disclosure block and byline, the page's furniture,
and the traditional words folding leaves behind."""
from __future__ import annotations

import re

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
# Any of those keys, the longest first; keys may be spaced out ("索 引 号", "文  号").
ANY_BYLINE_KEY = "|".join(r"\s*".join(map(re.escape, key)) for key in _ALL_KEYS)
# One "key:" inside a byline.
BYLINE_KEY = re.compile("(" + ANY_BYLINE_KEY + r")\s*[:：]")

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

# Traditional vocabulary that OpenCC's character folding leaves different from the
# mainland word: "向文化和旅遊部黨組回饋了巡視意見" -> 回馈 -> 反馈. Same lengths only.
VOCABULARY = {"回馈": "反馈", "资讯": "信息", "网路": "网络", "软体": "软件", "公佈": "公布"}
