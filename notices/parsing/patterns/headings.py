"""The outline (outline.py, labels.py, roles.py): heading labels by style, the words that introduce
rectification steps and their status, what makes a heading a finding or not, and how a step starts."""
from __future__ import annotations

import re

from .numerals import CN_DIGIT as _CN

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
