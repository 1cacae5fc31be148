"""Who is who (metadata.py, inspection.py): the issuing organ, the inspected unit and its region and
level, the inspection team, its round and form."""
from __future__ import annotations

import re

from .numerals import CN_DIGIT as _CN

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
