"""How the OpenAPI schema describes the parameters the list endpoints share (see params.py)."""
from __future__ import annotations

from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter

from ..models import Level
from ..search import LEVELS, SORTS

_FILTER_HELP = {
    "agency": "The inspected agency's canonical name (region + unit), e.g. 东营市民政局.",
    "province": "Full official name, e.g. 广东省.", "city": "Full official name, e.g. 东营市.",
    "level": ("The agency's administrative level. (notice, problem and measure, as the reading room's links "
              "write the search level, are read as `scope`.)"),
    "kind": "巡视 or 巡察.",
    "progress": "The notice's overall progress.", "year": "Year of publication, e.g. 2025.",
    "topic": "A problem topic slug (see the facets endpoint), e.g. funeral.",
}
_ENUMS = {
    "level": [*Level.values, "none"], "kind": ["巡视", "巡察", "none"],
    "progress": ["done", "in_progress", "unstated"],
}


def selection_parameters(default_scope: str, default_sort: str) -> list[OpenApiParameter]:
    facet_params = [
        OpenApiParameter(
            name, str, many=True, explode=True, enum=_ENUMS.get(name),
            description=f"{_FILTER_HELP[name]} Repeat for alternatives (OR); `none` matches notices that do not say.",
        )
        for name in _FILTER_HELP
    ]
    return [
        OpenApiParameter("q", str, description=(
            'Search, in the query language of the web search: words (all must match), "exact phrase", '
            "-exclusion, OR, and the fields agency: title: problem: measure:. Traditional characters find "
            "simplified ones. Example: 殡葬 -公墓"
        )),
        OpenApiParameter("scope", str, enum=list(LEVELS), default=default_scope, description=(
            "Where all the words must occur together: anywhere in the notice, in one problem's heading, "
            "or in one measure's text."
        )),
        OpenApiParameter("sort", str, enum=list(SORTS), default=default_sort, description=(
            "relevance (a search's best matches first), date (newest first) or oldest."
        )),
        *facet_params,
        OpenApiParameter("published_after", OpenApiTypes.DATE, description="Published on or after this date."),
        OpenApiParameter("published_before", OpenApiTypes.DATE, description="Published on or before this date."),
    ]


PAGE_PARAMETERS = [
    OpenApiParameter("page", int, description="Page number, from 1."),
    OpenApiParameter("per_page", int, description="Results per page: 20 unless given, at most 100."),
]
