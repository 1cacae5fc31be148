"""The regular expressions figures.py reads a notice's own counts with, each with the lines it was written for.

Like the rest of the parser's patterns (this package), they run on folded text and are bounded.
"""
from __future__ import annotations

import re

_COUNT = r"(\d{1,5})\s*(?:余|多)?\s*"
# "巡察反馈25个问题", "围绕省委巡视反馈的4个方面62个问题", "反馈问题25个",
# "针对市委巡察反馈的5个方面14个大类40项具体问题", "部黨組進一步梳理出26項具體問題".
PROBLEMS_REPORTED = (
    re.compile(r"(?:反馈|指出|交办|移交|梳理出?|对应|涉及)[^。;；\n]{0,24}?" + _COUNT + r"(?:个|项|条)(?:具体)?问题"),
    re.compile(r"反馈(?:的)?(?:具体)?问题(?:共)?\s*" + _COUNT + r"(?:个|项|条)"),
)
# "已完成整改19个", "3个问题已完成整改", "目前已解决或基本解决的有12项".
PROBLEMS_DONE = (
    re.compile(r"已(?:全部)?(?:完成整改|整改(?:完成|到位|完毕))\s*" + _COUNT + r"(?:个|项|条)"),
    re.compile(_COUNT + r"(?:个|项|条)(?:问题)?已(?:全部)?(?:完成整改|整改(?:完成|到位|完毕))"),
    re.compile(r"已解决(?:或基本解决)?的(?:问题)?有\s*" + _COUNT + r"(?:个|项|条)"),
)
# "正在整改6个", "2个问题已基本完成整改".
PROBLEMS_IN_PROGRESS = (
    re.compile(r"(?:正在整改|持续整改|正在推进|推进中)\s*" + _COUNT + r"(?:个|项|条)"),
    re.compile(_COUNT + r"(?:个|项|条)(?:问题)?(?:正在整改|持续整改|正在推进|已基本完成整改|基本完成整改)"),
)
# "研究提出91条整改措施", "制定195项具体整改措施", "制定整改措施82条", "制定113项整改工作措施".
MEASURES_PLANNED = (
    re.compile(_COUNT + r"(?:条|项|个)(?:具体)?整改(?:工作)?(?:措施|举措|任务)"),
    re.compile(r"整改(?:工作)?(?:措施|举措)(?:共)?\s*" + _COUNT + r"(?:条|项|个)"),
)
# "目前已落实或基本落实的有27条", "已完成整改措施80条".
MEASURES_DONE = (
    re.compile(r"措施[^。;；\n]{0,12}?已(?:落实|完成)(?:或基本(?:落实|完成))?(?:的有)?\s*" + _COUNT + r"(?:条|项)"),
    re.compile(r"已(?:落实|完成)(?:整改)?措施\s*" + _COUNT + r"(?:条|项)"),
)
# "制定规章制度12件", "制定及修改完善制度12项", "制定、修订制度100余项", "建立完善制度机制27项".
REGULATIONS_MADE = (
    re.compile(
        r"(?:制定|建立|出台|修订|完善|健全|新建|形成|修改)[^。;；\n]{0,10}?(?:规章制度|制度机制|制度|机制)"
        r"[^。;；\n\d]{0,4}?" + _COUNT + r"(?:项|件|个|份|条)"
    ),
)
# Kinds of accountability, as printed, with the word a notice may use instead.
ACCOUNTABILITY_KINDS = {
    "诫勉谈话": "诫勉谈话", "诫勉": "诫勉谈话", "批评教育": "批评教育", "提醒谈话": "提醒谈话",
    "谈话提醒": "提醒谈话", "党纪处分": "党纪处分", "政务处分": "政务处分", "纪律处分": "党纪处分",
    "组织处理": "组织处理", "责令检查": "责令检查", "批评帮助": "批评帮助", "通报批评": "通报批评",
    "函询": "函询", "问责": "问责", "立案审查": "立案审查", "立案": "立案审查", "警示谈话": "警示谈话",
}
_KINDS = "|".join(sorted(ACCOUNTABILITY_KINDS, key=len, reverse=True))
# A summary count: "共诫勉谈话3人、批评教育1人、提醒谈话8人", "给予政务处分0人".
ACCOUNTABILITY_SUMMARY = re.compile(rf"({_KINDS})\s*(\d{{1,4}})\s*(?:人次|人|名)")
# One case in a problem's steps: "对1名干部进行诫勉谈话", "对2名干部进行提醒谈话".
ACCOUNTABILITY_CASE = re.compile(rf"对\s*(\d{{1,4}})\s*名[^。;；,，\n]{{0,10}}?(?:进行|予以|给予)({_KINDS})")
# Money recovered: "追缴资金7.132万元", "追回违规领取的低保金3200元", "退还多报差旅费1,200元".
MONEY_RECOVERED = re.compile(
    r"(?:追回|追缴|补回|退还|退回|收回|挽回|清退|返还)"
    r"[^。;；\n]{0,24}?(?<![\d.])(\d{1,9}(?:,\d{3})*(?:\.\d+)?)\s*(亿元|万元|元)"
)
# A total rather than one case, just before the verb: "累计追回资金12.6万元", "共追缴…".
MONEY_TOTAL = re.compile(r"(?:共|累计|合计)[^。;；\n]{0,4}$")
