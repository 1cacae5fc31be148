"""The notice filters behind every list, search result, feed and API listing (django-filter)."""
from __future__ import annotations

import django_filters
from django import forms
from django.db.models import Q, QuerySet

from .models import Issue, Notice

UNKNOWN = "none"  # the facet value for "not stated" (a null field)


class AnyValueField(forms.MultipleChoiceField):
    """Several values of a facet; unknown values simply match nothing."""

    def valid_value(self, value):
        return isinstance(value, str) and 0 < len(value) <= 200


class FacetFilter(django_filters.MultipleChoiceFilter):
    """Values of one facet are alternatives (OR); "none" stands for a field the notice does not state."""

    field_class = AnyValueField

    def filter(self, qs, value):
        if not value:
            return qs
        known = [v for v in value if v != UNKNOWN]
        condition = Q(**{f"{self.field_name}__in": known}) if known else Q(pk__in=[])
        if UNKNOWN in value:
            condition |= Q(**{f"{self.field_name}__isnull": True})
        return qs.filter(condition)


class NoticeFilter(django_filters.FilterSet):
    agency = FacetFilter(field_name="agency_name", label="被巡察单位")
    province = FacetFilter(label="省")
    city = FacetFilter(label="市")
    level = FacetFilter(label="层级")
    kind = FacetFilter(field_name="inspection_kind", label="巡视/巡察")
    progress = FacetFilter(label="整改进度")
    year = FacetFilter(method="filter_year", label="年份")
    topic = FacetFilter(method="filter_topic", label="主题")
    published_after = django_filters.DateFilter(field_name="publish_date", lookup_expr="gte", label="发布日期起")
    published_before = django_filters.DateFilter(field_name="publish_date", lookup_expr="lte", label="发布日期止")

    # The facets offered, in display order: query parameter -> label.
    FACETS = {
        "level": "层级", "province": "省", "city": "市", "year": "年份", "kind": "巡视/巡察",
        "topic": "主题", "progress": "整改进度", "agency": "被巡察单位",
    }

    class Meta:
        model = Notice
        fields: list[str] = []

    def filter_year(self, queryset, name, value):
        years = [int(v) for v in value if v.isascii() and v.isdigit() and 1949 < int(v) < 2200]  # not "²"
        condition = Q(publish_date__year__in=years) if years else Q(pk__in=[])
        if UNKNOWN in value:
            condition |= Q(publish_date__isnull=True)
        return queryset.filter(condition)

    def filter_topic(self, queryset, name, value):
        return queryset.filter(topics__overlap=list(value))


class ProblemFilter(NoticeFilter):
    """The problem search's filters: a topic chooses the notices with a problem about it.

    A notice's own topics are only those enough of its problems are about (topics.of_notice),
    so the one 殡葬 problem of a notice about other things is found here, by its own topic.
    """

    def filter_topic(self, queryset, name, value):
        return queryset.filter(pk__in=problems_about(value).values("notice_id"))


def problems_about(topics) -> QuerySet:
    """The problems whose own topics include any of `topics`."""
    return Issue.objects.problems().filter(topics__overlap=list(topics))


def filter_for(scope: str) -> type[NoticeFilter]:
    """The filters of a search in `scope` (notice, problem or measure)."""
    return ProblemFilter if scope == "problem" else NoticeFilter
