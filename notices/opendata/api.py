"""The API's endpoints: each checks its parameters, runs one search or query, and serializes a page.

Every answer is JSON; bad parameters give a 400 that says what to change; every 200 carries
an ETag, Last-Modified and Cache-Control, and a client whose copy is current gets a 304.
"""
from __future__ import annotations

from django.db.models import Count, IntegerField, OuterRef, Prefetch, Subquery, Value
from django.db.models.functions import Coalesce
from django.core.cache import cache
from django.http import HttpResponse, JsonResponse
from django.urls import reverse
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework.exceptions import NotFound
from rest_framework.response import Response
from rest_framework.utils.urls import remove_query_param, replace_query_param
from rest_framework.views import APIView

from ..facets import facets
from ..filters import NoticeFilter, filter_for
from ..models import Agency, Level, Measure, Notice
from ..notice_json import notice_to_json
from ..search import search
from . import serializers as s
from . import units
from .caching import MAX_AGE, SUMMARY_TIMEOUT, archive_last_modified, conditional, one_state, state_digest
from .errors import error_body
from .selection import (
    MAX_OFFSET, PAGE_PARAMS, SELECTION_PARAMS, BadParameters, check_depth, check_known, page, selection,
)
from .schema import PAGE_PARAMETERS, selection_parameters

# --- the base view: headers, caching, parameters -----------------------------------------------

class OpenDataView(APIView):
    # Read-only, public, cacheable: the ETag and Last-Modified are added on the way out.

    max_age = MAX_AGE
    last_modified = None

    def dispatch(self, request, *args, **kwargs):
        """A 200 is kept per URL and state of the archive: a repeated query costs a fingerprint,
        not a search. (Its next and previous links are absolute, so the host is part of the URL.)"""
        self.last_modified = None
        if request.method not in ("GET", "HEAD"):
            return conditional(request, self.answer(request, *args, **kwargs))
        with one_state():
            return self.served(request, *args, **kwargs)

    def served(self, request, *args, **kwargs):
        key = "api:" + state_digest(request.build_absolute_uri())
        kept = cache.get(key)
        if kept is None:
            response = self.answer(request, *args, **kwargs)
            if response.status_code != 200 or response.streaming:
                return conditional(request, response, last_modified=self.last_modified, max_age=self.max_age)
            kept = (response.content, dict(response.items()), self.last_modified)
            cache.set(key, kept, SUMMARY_TIMEOUT)
        body, headers, self.last_modified = kept
        return conditional(request, HttpResponse(body, headers=headers), last_modified=self.last_modified,
                           max_age=self.max_age)

    def answer(self, request, *args, **kwargs):
        response = super().dispatch(request, *args, **kwargs)
        if hasattr(response, "render") and not response.is_rendered:
            response.render()
        response["Access-Control-Allow-Origin"] = "*"  # open data: any web page may read it
        return response

    def briefs(self, notice_ids) -> dict[int, Notice]:
        return {n.pk: n for n in Notice.objects.filter(pk__in=set(notice_ids)).only(*s.BRIEF_COLUMNS)}

    def envelope(self, *, count: int, estimated: bool, page_number: int, per_page: int, results, links=None):
        """The paged answer. Not DRF's PageNumberPagination: it pages by slicing what it is given
        through Django's Paginator, which counts exactly, while the search pages itself (only the
        page's hits are fetched) and problems and measures may be counted by estimate
        (units.count), so `count` and the rows come from the caller; it reads a bad per_page as
        the default and a bad page as its own 404, where the API answers a 400 naming the
        parameter (selection.page); and past the end of an estimate there is no last page to
        refuse. What would be left of it, the next and previous links, uses DRF's own URL
        helpers here (replace_query_param, remove_query_param)."""
        pages = max(1, -(-count // per_page))
        if page_number > pages and not estimated:
            raise NotFound(f"没有第 {page_number} 页：共 {count} 条结果，每页 {per_page} 条，共 {pages} 页。"
                           "请改用不超过最后一页的 page。")
        url = self.request.build_absolute_uri()
        has_next = page_number < pages or (estimated and len(results) == per_page)
        return {
            "count": count,
            "count_is_estimate": estimated,
            "page": page_number,
            "per_page": per_page,
            "pages": pages,
            "next": replace_query_param(url, "page", page_number + 1) if has_next else None,
            "previous": (
                None if page_number == 1
                else remove_query_param(url, "page") if page_number == 2
                else replace_query_param(url, "page", page_number - 1)
            ),
            "links": links or {},
            "results": results,
        }

    def unit_page(self, request, unit, default_scope: str, serializer, load) -> Response:
        """One page of problems or measures (`unit`: units.problems or units.measures), counted
        and estimated as the search counts, each row with its notice; `load` says what to fetch."""
        params = request.query_params
        check_known(params, SELECTION_PARAMS | PAGE_PARAMS)
        chosen = selection(params, default_scope=default_scope, default_sort="date")
        wanted = page(params)
        if wanted.offset >= MAX_OFFSET:  # count first: refused before rows are read that far
            check_depth(wanted, units.count(unit, chosen)[0])
        count, estimated, ids = units.page(unit, chosen, wanted.offset, wanted.size)
        check_depth(wanted, count)
        found = {row.pk: row for row in load(unit(chosen).model.objects.filter(pk__in=ids))}
        rows = [found[pk] for pk in ids]
        self.last_modified = archive_last_modified()
        context = {"request": request, "notices": self.briefs(row.notice_id for row in rows)}
        return Response(self.envelope(
            count=count, estimated=estimated, page_number=wanted.number, per_page=wanted.size,
            results=serializer(rows, many=True, context=context).data, links=self.export_links(),
        ))

    def export_links(self) -> dict[str, str]:
        """The same selection as CSV and Atom (paging dropped)."""
        params = self.request.query_params.copy()
        for name in PAGE_PARAMS:
            params.pop(name, None)
        query = ("?" + params.urlencode()) if params else ""
        build = self.request.build_absolute_uri
        return {
            "notices_csv": build(reverse("opendata:notices-csv")) + query,
            "problems_csv": build(reverse("opendata:problems-csv")) + query,
            "atom": build(reverse("opendata:feed")) + query,
            "facets": build(reverse("api:facets")) + query,
        }


# --- endpoints ---------------------------------------------------------------------------------

class ApiRootView(OpenDataView):
    @extend_schema(exclude=True)
    def get(self, request):
        build = request.build_absolute_uri
        names = {
            "notices": "notice-list", "problems": "problem-list", "measures": "measure-list",
            "agencies": "agency-list", "facets": "facets", "schema": "schema", "docs": "docs", "redoc": "redoc",
        }
        body = {key: build(reverse(f"api:{name}")) for key, name in names.items()}
        body.update({
            "notices_csv": build(reverse("opendata:notices-csv")),
            "problems_csv": build(reverse("opendata:problems-csv")),
            "atom": build(reverse("opendata:feed")),
        })
        return Response(body)


class NoticeListView(OpenDataView):
    @extend_schema(
        operation_id="notices_list",
        summary="通报：与通报列表相同的筛选与检索，分页 / Notices: the list view's filters and search, a page at a time",
        parameters=[*selection_parameters("notice", "relevance"), *PAGE_PARAMETERS],
        responses=s.NoticePageSerializer,
    )
    def get(self, request):
        params = request.query_params
        check_known(params, SELECTION_PARAMS | PAGE_PARAMS)
        chosen = selection(params, base=Notice.objects.without_bytes().select_related("source"))
        wanted = page(params)
        if wanted.offset >= MAX_OFFSET:  # count first: a deep page of a large search costs a long scan
            counted = search(chosen.notices, chosen.query, scope=chosen.scope, sort="date", per_page=1, with_hits=False,
                             whole_words=chosen.whole_words)
            check_depth(wanted, counted.total)
        outcome = search(
            chosen.notices, chosen.query, scope=chosen.scope, sort=chosen.sort,
            page=wanted.number, per_page=wanted.size, whole_words=chosen.whole_words,
        )
        self.last_modified = archive_last_modified()
        hits = {hit.notice.pk: hit for hit in outcome.hits} if not chosen.query.is_empty else {}
        results = s.NoticeSummarySerializer(
            [hit.notice for hit in outcome.hits], many=True, context={"request": request, "hits": hits},
        ).data
        return Response(self.envelope(
            count=outcome.total, estimated=outcome.estimated, page_number=wanted.number, per_page=wanted.size,
            results=results, links=self.export_links(),
        ))


class NoticeDetailView(OpenDataView):
    @extend_schema(
        operation_id="notices_retrieve",
        summary="一份通报：通报 JSON 格式，含编号、网址和正文 / One notice in the notice JSON format, with ids, URLs and its text",
        responses=s.NoticeDetailSerializer,
    )
    def get(self, request, pk: int):
        notice = Notice.objects.without_bytes().select_related("source", "agency").filter(pk=pk).first()
        if notice is None:
            raise NotFound(f"档案中没有编号为 {pk} 的通报。请在 {reverse('api:notice-list')} 查找通报。")
        self.last_modified = notice.updated_at
        body = notice_to_json(notice, with_ids=True)
        source = notice.source
        body.update({
            "display_title": notice.display_title,
            "agency_id": notice.agency_id,
            "topics": notice.topics,
            "progress": notice.progress,
            "text": notice.text,
            # "source" is the notice JSON's: where and when it was captured from the web, or null.
            "original": {
                "filename": source.filename, "sha256": source.sha256, "size": source.size,
                "content_type": source.content_type,
            },
            "created_at": notice.created_at,
            "updated_at": notice.updated_at,
            "urls": s.notice_urls(request, notice.pk),
        })
        return Response(body)


class ProblemListView(OpenDataView):
    @extend_schema(
        operation_id="problems_list",
        summary="问题：每个问题附其整改措施和所属通报 / Problems, each with its measures and its notice",
        description=(
            "给出 q 时：scope=problem（默认）列出标题含全部检索词的问题；scope=measure 列出有相符措施的问题；"
            "scope=notice 列出相符通报的全部问题。按通报从新到旧、通报内按原文顺序排列。归类标题不算问题。\n\n"
            "With `q`, the problems whose heading holds all the words (scope=problem, the default); "
            "scope=measure gives the problems with a matching measure, scope=notice every problem of "
            "the matching notices. Listed newest notice first, in document order within a notice."
        ),
        parameters=[*selection_parameters("problem", "date"), *PAGE_PARAMETERS],
        responses=s.ProblemPageSerializer,
    )
    def get(self, request):
        measures = Prefetch("measures", queryset=Measure.objects.order_by("position").defer("fold_text"))
        return self.unit_page(request, units.problems, "problem", s.ProblemSerializer,
                              lambda rows: rows.defer("fold_text").prefetch_related(measures))


class MeasureListView(OpenDataView):
    @extend_schema(
        operation_id="measures_list",
        summary="整改措施：每条附其针对的问题和所属通报 / Measures, each with the problem it answers and its notice",
        description=(
            "给出 q 时：scope=measure（默认）列出正文含全部检索词的措施；scope=problem 列出相符问题的措施；"
            "scope=notice 列出相符通报的全部措施。\n\n"
            "With `q`, the measures whose text holds all the words (scope=measure, the default); "
            "scope=problem gives the measures of matching problems, scope=notice every measure of the "
            "matching notices."
        ),
        parameters=[*selection_parameters("measure", "date"), *PAGE_PARAMETERS],
        responses=s.MeasurePageSerializer,
    )
    def get(self, request):
        return self.unit_page(request, units.measures, "measure", s.MeasureRowSerializer,
                              lambda rows: rows.select_related("issue").defer("fold_text", "issue__fold_text"))


def live_notice_count() -> Coalesce:
    """Notices about the agency, not counting those in the admin's recycle bin (Notice.objects hides them)."""
    per_agency = Notice.objects.filter(agency=OuterRef("pk")).order_by().values("agency").annotate(n=Count("pk"))
    return Coalesce(Subquery(per_agency.values("n"), output_field=IntegerField()), Value(0))


AGENCY_PARAMS = frozenset({"q", "province", "city", "county", "level"})


class AgencyListView(OpenDataView):
    @extend_schema(
        operation_id="agencies_list",
        summary="被巡察单位，附本库收录的通报数 / Inspected agencies, with how many notices the archive holds about each",
        parameters=[
            OpenApiParameter("q", str, description="单位名称的一部分，如 民政局。Part of the agency's name."),
            OpenApiParameter("province", str, description="省的全称，如 广东省。Full official name."),
            OpenApiParameter("city", str, description="市的全称。Full official name."),
            OpenApiParameter("county", str, description="县（区）的全称。Full official name."),
            OpenApiParameter("level", str, enum=Level.values, description="单位的层级。The agency's administrative level."),
            *PAGE_PARAMETERS,
        ],
        responses=s.AgencyPageSerializer,
    )
    def get(self, request):
        params = request.query_params
        check_known(params, AGENCY_PARAMS | PAGE_PARAMS)
        wanted = page(params)
        rows = Agency.objects.annotate(notice_count=live_notice_count()).order_by("name")
        for name in ("province", "city", "county", "level"):
            values = params.getlist(name)
            if name == "level" and any(v not in Level.values for v in values):
                raise BadParameters({"level": f"参数 level 的值无效：应为 {'、'.join(Level.values)} 之一。"})
            if values:
                rows = rows.filter(**{f"{name}__in": values})
        if params.get("q"):
            rows = rows.filter(name__icontains=params["q"][:200])
        count = rows.count()
        check_depth(wanted, count)
        agencies = list(rows[wanted.offset:wanted.offset + wanted.size])
        self.last_modified = archive_last_modified()
        return Response(self.envelope(
            count=count, estimated=False, page_number=wanted.number, per_page=wanted.size,
            results=s.AgencySerializer(agencies, many=True, context={"request": request}).data,
        ))


class AgencyDetailView(OpenDataView):
    @extend_schema(operation_id="agencies_retrieve", summary="一个单位 / One agency", responses=s.AgencySerializer)
    def get(self, request, pk: int):
        agency = Agency.objects.annotate(notice_count=live_notice_count()).filter(pk=pk).first()
        if agency is None:
            raise NotFound(f"没有编号为 {pk} 的单位。单位列表见 {reverse('api:agency-list')}。")
        self.last_modified = archive_last_modified()
        return Response(s.AgencySerializer(agency, context={"request": request}).data)


class FacetsView(OpenDataView):
    @extend_schema(
        operation_id="facets_list",
        summary="分面计数：与通报列表相同 / Facet counts for a search and filters, as the list view shows them",
        description=(
            "每个分面按检索和其他分面的筛选计数，所以选了广东省仍能看到其他省各有多少份通报；同一分面的几个值表示“任一”。"
            "scope=problem 时计的是问题数（主题按问题自己的主题），与问题检索相同；unit 说明计的是什么。\n\n"
            "Each facet counts over the search with every other facet's filter applied, so that choosing "
            "广东省 still shows how many notices the other provinces have. Values of one facet are alternatives. "
            "With scope=problem the counts (and count) are of problems, topics by each problem's own, as on "
            "the problem search; `unit` says which."
        ),
        parameters=[
            *selection_parameters("notice", "relevance"),
            OpenApiParameter("facet", str, many=True, explode=True, enum=list(NoticeFilter.FACETS),
                             description="只要这些分面（不给则全部）。Only these facets (all unless given)."),
        ],
        responses=s.FacetsSerializer,
    )
    def get(self, request):
        params = request.query_params
        check_known(params, SELECTION_PARAMS | {"facet"})
        names = params.getlist("facet")
        unknown = [n for n in names if n not in NoticeFilter.FACETS]
        if unknown:
            raise BadParameters({"facet": f"没有分面 {unknown[0]!r}。可用的分面是：{'、'.join(NoticeFilter.FACETS)}。"})
        chosen = selection(params)
        outcome = search(chosen.notices, chosen.query, scope=chosen.scope, sort="date", per_page=1, with_hits=False,
                         whole_words=chosen.whole_words)
        rows = units.facet_rows(chosen)
        counted = facets(filter_for(chosen.scope), params, Notice.objects.without_bytes(), outcome.restrict,
                         names or None, problems=rows)
        count, estimated = (outcome.total, outcome.estimated) if rows is None else units.count(units.problems, chosen)
        self.last_modified = archive_last_modified()
        return Response({
            "unit": "notice" if rows is None else "problem",
            "count": count,
            "count_is_estimate": estimated,
            "facets": [
                {
                    "name": facet.name, "label": facet.label, "approximate": facet.approximate,
                    "values": [
                        {"value": v.value, "label": v.label, "count": v.count, "selected": v.selected,
                         "toggle_query": v.toggle_url}
                        for v in facet.values
                    ],
                }
                for facet in counted
            ],
        })


def not_found(request, rest: str = ""):
    """Any other path under /api/v1/: a JSON 404 that points to the list of endpoints."""
    body = error_body(404, f"{request.path} 不是接口地址。全部接口列在 "
                           f"{request.build_absolute_uri(reverse('api:root'))}。")
    return JsonResponse(body, status=404, json_dumps_params={"ensure_ascii": False})


__all__ = [
    "AgencyDetailView", "AgencyListView", "ApiRootView", "FacetsView", "MeasureListView", "NoticeDetailView",
    "NoticeListView", "ProblemListView", "not_found",
]
