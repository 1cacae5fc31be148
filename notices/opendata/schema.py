"""How the OpenAPI schema describes the parameters the list endpoints share (see params.py)."""
from __future__ import annotations

from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter

from ..models import Level
from ..search import SCOPES, SORTS
from .selection import MATCHES

_FILTER_HELP = {
    "agency": "被巡察单位的规范名称（地区 + 单位），如 东营市民政局。The inspected agency's canonical name (region + unit).",
    "province": "省的全称，如 广东省。Full official name.", "city": "市的全称，如 东营市。Full official name.",
    "level": ("被巡察单位的层级。The agency's administrative level. (notice, problem and measure, as the reading room's links "
              "once wrote the search scope, are read as `scope`.)"),
    "kind": "巡视 或 巡察。",
    "progress": "通报的整体整改进度。The notice's overall progress.",
    "year": "发布年份（四位数字），如 2025。Year of publication.",
    "topic": "问题主题的代码（见 facets 接口），如 funeral（殡葬）。A problem topic slug.",
}
_ENUMS = {
    "level": [*Level.values, "none"], "kind": ["巡视", "巡察", "none"],
    "progress": ["done", "in_progress", "unstated"],
}


def selection_parameters(default_scope: str, default_sort: str) -> list[OpenApiParameter]:
    facet_params = [
        OpenApiParameter(
            name, str, many=True, explode=True, enum=_ENUMS.get(name),
            description=f"{_FILTER_HELP[name]} 重复给出表示“任一”（OR）；none 表示通报未注明。"
                        "Repeat for alternatives (OR); `none` matches notices that do not say.",
        )
        for name in _FILTER_HELP
    ]
    return [
        OpenApiParameter("q", str, description=(
            "检索词，写法与网页检索相同：空格分开的词都要出现，\"整句\"，-排除，OR，以及字段 agency: title: problem: "
            "measure:；繁简通用。例：殡葬 -公墓。"
            'Search, in the query language of the web search: words (all must match), "exact phrase", '
            "-exclusion, OR, and the fields agency: title: problem: measure:. Traditional characters find "
            "simplified ones. Example: 殡葬 -公墓"
        )),
        OpenApiParameter("scope", str, enum=list(SCOPES), default=default_scope, description=(
            "所有词须同时出现的范围：通报全文、同一个问题的标题，或同一条整改措施。"
            "Where all the words must occur together: anywhere in the notice, in one problem's heading, "
            "or in one measure's text."
        )),
        OpenApiParameter("match", str, enum=list(MATCHES), default=MATCHES[0], description=(
            "substring：按字串匹配（默认，“台账”也找到“平台账号”，整词出现的结果排在前面）；word：按词匹配，"
            "只要每个词都按结巴分词整词出现的结果（“台账”找到“建立台账”，不找“平台账号”），总数和分面同样计算。"
            "substring (the default: 台账 also finds 平台账号; whole-word matches rank first) or word: only "
            "matches where every term occurs as a whole word by jieba's segmentation, totals and facets alike."
        )),
        OpenApiParameter("sort", str, enum=list(SORTS), default=default_sort, description=(
            "relevance（最相关的在前）、date（最新的在前）或 oldest（最早的在前）。"
            "relevance (a search's best matches first), date (newest first) or oldest."
        )),
        *facet_params,
        OpenApiParameter("published_after", OpenApiTypes.DATE, description="在此日期或之后发布，如 2025-06-30。Published on or after this date."),
        OpenApiParameter("published_before", OpenApiTypes.DATE, description="在此日期或之前发布。Published on or before this date."),
    ]


PAGE_PARAMETERS = [
    OpenApiParameter("page", int, description="页码，从 1 起；超过最后一页返回 404。Page number, from 1."),
    OpenApiParameter("per_page", int, description="每页条数，默认 20，最多 100。Results per page: 20 unless given, at most 100."),
]
