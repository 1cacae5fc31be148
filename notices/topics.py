"""Topics: which areas a problem concerns, from keywords in its heading, and so which a notice is about.

To add a topic, add a Topic to TOPICS (slug, label, keywords); to widen one, add keywords.
A keyword matches as a substring of the problem's heading after folding (simplified, half
width), so one keyword covers 養老 and 养老; a heading that names no topic takes its category's
(一、养老服务方面 over 1.设施建设滞后). A problem may have several topics or none. A notice is
about the topics enough of its problems are about (of_notice). After editing, run
`python manage.py reindex` to re-classify stored notices.
"""
from __future__ import annotations

import functools
import math
from collections import Counter
from typing import Iterable, Sequence
from dataclasses import dataclass

from . import tokenize


@dataclass(frozen=True)
class Topic:
    slug: str
    label: str
    keywords: tuple[str, ...]


TOPICS: tuple[Topic, ...] = (
    Topic("elderly", "养老服务", ("养老", "老年", "敬老院", "老龄工作", "老龄事业", "护理员", "助餐", "长者", "适老")),  # not 老龄化: 干部队伍老龄化
    Topic("assistance", "社会救助/低保", ("低保", "救助", "特困", "兜底", "救急难", "困难群众", "两项补贴", "最低生活保障", "残疾人生活补贴", "流浪乞讨")),
    Topic("funeral", "殡葬", ("殡葬", "公墓", "墓地", "坟墓", "火化", "骨灰", "丧葬", "散埋乱葬", "殡仪")),
    Topic("social-orgs", "社会组织", ("社会组织", "社工", "行业协会", "商会", "社会工作")),
    Topic("children", "儿童福利", ("儿童", "未成年人", "孤儿", "留守", "托育")),
    Topic("party-building", "党的建设", ("党建", "党组织", "党支部", "支部", "党员", "三会一课", "组织生活", "民主集中制", "领导核心", "党内政治生活", "民主生活会", "三重一大", "议事规则")),
    Topic("ideology", "意识形态/理论学习", ("意识形态", "理论学习", "学习贯彻", "第一议题", "中心组", "新思想", "重要讲话", "重要指示")),
    Topic("finance", "财务/资金", ("财务", "资金", "经费", "预算", "报销", "采购", "合同", "国有资产", "财经纪律", "资产", "票据", "专项资金")),
    Topic("cadres", "干部队伍/选人用人", ("干部", "选人用人", "人事", "编制", "队伍建设", "编外", "人才", "聘用")),
    Topic("conduct", "作风/八项规定", ("作风", "八项规定", "形式主义", "官僚主义", "文山会海", "公务接待", "公车", "四风", "过紧日子", "吃喝")),
    Topic("integrity", "廉政/监督问责", ("廉政", "廉洁", "腐败", "监督", "纪检", "纪委", "问责", "风险防控", "廉洁风险", "不正之风", "违纪")),
    Topic("accountability", "主体责任/从严治党", ("主体责任", "全面从严治党", "一岗双责", "管党治党", "第一责任人", "两个责任")),
    Topic("rectification", "整改落实", ("巡视整改", "巡察整改", "审计整改", "整改不到位", "整改不力", "整改落实", "回头看", "整改不够")),
    Topic("charity-lottery", "慈善/福彩", ("慈善", "福利彩票", "福彩", "彩票")),
    Topic("law-enforcement", "执法/依法行政", ("执法", "行政处罚", "依法行政", "法治", "行政审批", "许可")),
    Topic("it", "信息化/数据", ("信息化", "信息系统", "数据", "智慧", "数字化", "平台", "网络安全")),
    Topic("grassroots", "基层治理", ("基层治理", "社区", "村务", "议事协商", "村(居)", "乡镇", "街道", "村级")),
    Topic("marriage", "婚姻/婚俗", ("婚姻", "婚俗", "彩礼", "婚介")),
    Topic("health", "医疗卫生", ("医疗", "医院", "医保", "药品", "卫生", "医疗卫生", "诊疗", "中医药")),
    Topic("education", "教育", ("教育", "学校", "教学", "学生", "师德", "招生", "课程")),
    Topic("judicial", "审判/检察", ("审判", "案件", "诉讼", "检察", "司法", "执行难")),
    Topic("safety", "安全生产", ("安全生产", "安全隐患", "消防", "风险隐患", "安全监管")),
    Topic("projects", "项目/工程", ("项目", "工程", "招投标", "基建", "建设项目")),
    Topic("services", "服务群众/民生", ("群众", "民生", "服务质效", "为民", "宗旨意识", "办事")),
)

TOPIC_LABELS = {t.slug: t.label for t in TOPICS}
_FOLDED = tuple((t.slug, tuple(tokenize.fold(k) for k in t.keywords)) for t in TOPICS)
# Keywords by their first character: a text is checked only for the keywords that start
# with a character it holds, a few dozen instead of all 180.
_BY_FIRST: dict[str, list[tuple[str, int]]] = {}
for _index, (_, _keywords) in enumerate(_FOLDED):
    for _keyword in _keywords:
        _BY_FIRST.setdefault(_keyword[0], []).append((_keyword, _index))
_FIRSTS = frozenset(_BY_FIRST)


def classify(*texts: str | None) -> list[str]:
    """The slugs of every topic whose keywords occur in the texts, in TOPICS order."""
    return classify_folded(*map(tokenize.fold, texts))


def classify_folded(*folded: str) -> list[str]:
    """classify() of texts already folded."""
    joined = "|".join(folded)
    found = {index for first in _FIRSTS.intersection(joined)
             for keyword, index in _BY_FIRST[first] if keyword in joined}
    return [_FOLDED[index][0] for index in sorted(found)]


@functools.lru_cache(maxsize=1024)
def fold_category(category: str | None) -> str:
    """A problem's category folded: a notice has a few, repeated over all its problems."""
    return tokenize.fold(category)


def of_problem(folded_title: str, folded_category: str) -> list[str]:
    """A problem's topics: those its heading names, else its category's.

    Not both: the categories of political inspections are a few set phrases (聚焦群众身边腐败问题和
    不正之风…, 基层党组织…) that would give every problem under them integrity or party building.
    """
    return classify_folded(folded_title) or classify_folded(folded_category)


# A notice is about a topic when at least this many of its problems are: one in a short notice,
# two from SHORT_NOTICE problems on, and at least a SHARE of them in a long one.
SHORT_NOTICE = 10
SHARE = 0.05


def of_notice(problems: Iterable[Sequence[str]]) -> list[str]:
    """The topics a notice is about, from its problems' topics, in TOPICS order.

    A topic only one problem among many touches stays that problem's (the problem search
    finds it by topic) instead of making the notice's topic facet hold nearly every notice:
    on the five samples every notice had 10-15 topics and two topics held all five.
    """
    problems = list(problems)
    counts = Counter(slug for topics in problems for slug in set(topics))
    least = max(1 if len(problems) < SHORT_NOTICE else 2, math.ceil(SHARE * len(problems)))
    return [slug for slug in _ORDER if counts[slug] >= least]


_ORDER = tuple(t.slug for t in TOPICS)
