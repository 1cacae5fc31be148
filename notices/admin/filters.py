"""The notice list's filters beyond plain fields: recycle bin, year, warnings, hand corrections."""
from __future__ import annotations

from django.contrib import admin
from django.db.models import Exists, OuterRef
from django.db.models.functions import ExtractYear

from ..models import Correction


class RecycleBinFilter(admin.SimpleListFilter):
    """Live notices unless asked otherwise: the recycle bin is one click away, never in the way."""

    title = "状态"
    parameter_name = "bin"

    def lookups(self, request, model_admin):
        return [("deleted", "回收站"), ("all", "全部（含回收站）")]

    def queryset(self, request, queryset):
        if self.value() == "deleted":
            return queryset.filter(deleted_at__isnull=False)
        if self.value() == "all":
            return queryset
        return queryset.filter(deleted_at__isnull=True)

    def choices(self, changelist):
        yield {
            "selected": self.value() is None,
            "query_string": changelist.get_query_string(remove=[self.parameter_name]),
            "display": "在库",
        }
        for value, label in self.lookup_choices:
            yield {
                "selected": self.value() == value,
                "query_string": changelist.get_query_string({self.parameter_name: value}),
                "display": label,
            }


class AgencyFilter(admin.RelatedOnlyFieldListFilter):
    """The inspected units that have notices."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.title = "被巡察单位"


class YearFilter(admin.SimpleListFilter):
    title = "发布年份"
    parameter_name = "year"

    def lookups(self, request, model_admin):
        years = (
            model_admin.model.all_objects.exclude(publish_date__isnull=True)
            .annotate(year=ExtractYear("publish_date")).values_list("year", flat=True).distinct().order_by("-year")
        )
        return [(str(year), f"{year}年") for year in years] + [("none", "不详")]

    def queryset(self, request, queryset):
        if self.value() == "none":
            return queryset.filter(publish_date__isnull=True)
        if self.value() and self.value().isdigit():
            return queryset.filter(publish_date__year=int(self.value()))
        return queryset


class WarningsFilter(admin.SimpleListFilter):
    title = "解析提示"
    parameter_name = "warnings"

    def lookups(self, request, model_admin):
        return [("yes", "有提示"), ("no", "无提示")]

    def queryset(self, request, queryset):
        if self.value() == "yes":
            return queryset.exclude(warnings=[])
        if self.value() == "no":
            return queryset.filter(warnings=[])
        return queryset


class CorrectedFilter(admin.SimpleListFilter):
    title = "人工校对"
    parameter_name = "corrected"

    def lookups(self, request, model_admin):
        return [("yes", "已校对"), ("no", "未校对")]

    def queryset(self, request, queryset):
        corrected = Exists(Correction.objects.filter(notice=OuterRef("pk")))
        if self.value() == "yes":
            return queryset.filter(corrected)
        if self.value() == "no":
            return queryset.filter(~corrected)
        return queryset
