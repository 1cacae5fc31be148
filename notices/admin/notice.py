"""The notice list and a notice's page: search, filters, actions, corrections, re-parse, recycle bin."""
from __future__ import annotations

from django import forms
from django.contrib import admin, messages
from django.contrib.admin.views.main import ChangeList
from django.core.exceptions import PermissionDenied
from django.db.models import Count, Exists, F, IntegerField, OuterRef, Subquery, Value
from django.db.models.functions import Coalesce
from django.http import HttpResponseNotAllowed, HttpResponseRedirect
from django.shortcuts import get_object_or_404
from django.template.loader import render_to_string
from django.urls import path, reverse
from django.utils.html import format_html, format_html_join
from django.utils.timezone import localtime

from .. import corrections, write
from ..ingest import reparse
from ..models import Correction, Issue, Notice, PendingUpload
from . import upload
from .filters import AgencyFilter, CorrectedFilter, RecycleBinFilter, WarningsFilter, YearFilter
from .tree import IssueInline, save_issue_formset
from .wording import correction_field, field_label, reparse_message, value_text

LOCKED_HELP = "已人工校对：重新解析不会改动此项。"


class NoticeForm(forms.ModelForm):
    class Meta:
        model = Notice
        fields = corrections.NOTICE_FIELDS
        widgets = {"title": forms.Textarea(attrs={"rows": 2, "cols": 80})}


class UndatedLastChangeList(ChangeList):
    """The notice list sorted by a date puts the notices without one last, newest or oldest first."""

    DATES = ("publish_date", "feedback_date", "inspection_end", "inspection_start")

    def get_ordering(self, request, queryset):
        ordering = []
        for field in super().get_ordering(request, queryset):
            name = field.lstrip("-") if isinstance(field, str) else None
            if name in self.DATES:
                field = F(name).desc(nulls_last=True) if field.startswith("-") else F(name).asc(nulls_last=True)
            ordering.append(field)
        return ordering


@admin.register(Notice)
class NoticeAdmin(admin.ModelAdmin):
    form = NoticeForm
    list_display = ("title_column", "agency_name", "level", "province", "publish_date",
                    "problem_count", "warning_count", "corrected_column", "state_column")
    list_display_links = ("title_column",)
    list_filter = (RecycleBinFilter, ("agency", AgencyFilter), "level", "province", YearFilter,
                   WarningsFilter, CorrectedFilter, "inspection_kind")
    search_fields = ("title", "agency_name", "issuer", "inspector", "inspection_round", "source__filename",
                     "=source__sha256")
    search_help_text = "按标题、被巡察单位、发布单位、巡察组、轮次、文件名或完整 SHA-256 搜索"
    list_per_page = 50
    actions = ("reparse_selected", "move_to_recycle_bin", "restore_selected")
    inlines = [IssueInline]
    readonly_fields = ("warnings_list", "source_info", "parse_info", "corrections_list", "text_display")
    fieldsets = (
        ("通报", {"fields": ("title", "issuer", "agency_name", ("inspection_kind", "inspection_form"),
                           "inspection_round", "inspector")}),
        ("日期", {"fields": (("inspection_start", "inspection_end"), ("feedback_date", "publish_date"))}),
        ("地区", {"fields": (("province", "city", "county"), "level")}),
        ("解析", {"fields": ("warnings_list", "parse_info", "source_info")}),
        ("人工校对记录", {"classes": ("collapse",), "fields": ("corrections_list",)}),
        ("正文（解析所得，只读）", {"classes": ("collapse",), "fields": ("text_display",)}),
    )
    change_list_template = "admin/notices/notice/change_list.html"
    change_form_template = "admin/notices/notice/change_form.html"
    delete_confirmation_template = "admin/notices/notice/delete_confirmation.html"

    def get_changelist(self, request, **kwargs):
        return UndatedLastChangeList

    def view_on_site(self, notice: Notice):
        return None if notice.is_deleted else notice.get_absolute_url()  # the public page hides binned notices

    # --- permissions ----------------------------------------------------------------------

    def has_upload_permission(self, request) -> bool:
        return request.user.has_perm("notices.upload_notice")

    def has_reparse_permission(self, request, obj=None) -> bool:
        return request.user.has_perm("notices.reparse_notice")

    def has_add_permission(self, request):
        return False  # notices come in through the upload page, which previews the parse first

    def has_change_permission(self, request, obj=None):
        return super().has_change_permission(request, obj) and not (obj is not None and obj.is_deleted)

    def has_delete_permission(self, request, obj=None):
        return super().has_delete_permission(request, obj) and not (obj is not None and obj.is_deleted)

    # --- the list -------------------------------------------------------------------------

    def get_queryset(self, request):
        leaves = (Issue.objects.problems().filter(notice=OuterRef("pk"))
                  .order_by().values("notice").annotate(n=Count("pk")).values("n"))
        return (
            Notice.all_objects.select_related("source", "agency").defer("source__data", *Notice.SEARCH_COLUMNS)
            .annotate(problems=Coalesce(Subquery(leaves, output_field=IntegerField()), Value(0)),
                      corrected=Exists(Correction.objects.filter(notice=OuterRef("pk"))))
        )

    def get_search_results(self, request, queryset, search_term):
        queryset, may_have_duplicates = super().get_search_results(request, queryset, search_term)
        return queryset, False if search_term else may_have_duplicates  # every join is one-to-one

    @admin.display(description="标题", ordering="title")
    def title_column(self, notice: Notice):
        return notice.display_title

    @admin.display(description="问题数", ordering="problems")
    def problem_count(self, notice: Notice):
        return notice.problems

    @admin.display(description="解析提示")
    def warning_count(self, notice: Notice):
        return format_html('<span style="color:#b45309">⚠ {}</span>', len(notice.warnings)) if notice.warnings else "—"

    @admin.display(description="人工校对", boolean=True, ordering="corrected")
    def corrected_column(self, notice: Notice):
        return notice.corrected

    @admin.display(description="状态")
    def state_column(self, notice: Notice):
        return format_html('<span style="color:#b91c1c">{}</span>', "回收站") if notice.is_deleted else "在库"

    def get_actions(self, request):
        actions = super().get_actions(request)
        actions.pop("delete_selected", None)  # deletion is the recycle bin, below
        return actions

    @admin.action(description="重新解析所选通报（保留人工校对）", permissions=["reparse"])
    def reparse_selected(self, request, queryset):
        outcomes = {"new": 0, "updated": 0, "unchanged": 0, "failed": 0}
        for notice in queryset.order_by("pk"):
            result = reparse(notice)
            outcomes[result.outcome] += 1
            if result.outcome != "unchanged":
                level = messages.ERROR if result.outcome == "failed" else messages.INFO
                self.message_user(request, reparse_message(notice, result), level)
            if result.outcome == "updated":
                self.log_change(request, notice, f"重新解析：{result.message}")
        self.message_user(request, f"重新解析了 {sum(outcomes.values())} 份通报：{outcomes['updated']} 份有更新，"
                                   f"{outcomes['unchanged']} 份没有变化，{outcomes['failed']} 份失败。",
                          messages.WARNING if outcomes["failed"] else messages.SUCCESS)

    @admin.action(description="把所选通报移入回收站", permissions=["delete"])
    def move_to_recycle_bin(self, request, queryset):
        notices = list(queryset.filter(deleted_at__isnull=True))
        count = corrections.move_to_recycle_bin(notices, request.user)
        for notice in notices:
            self.log_change(request, notice, "移入回收站")
        self.message_user(request, f"已把 {count} 份通报移入回收站；公开页面不再显示它们，可在「状态：回收站」中恢复。",
                          messages.SUCCESS)

    @admin.action(description="从回收站恢复所选通报", permissions=["delete"])
    def restore_selected(self, request, queryset):
        notices = list(queryset.filter(deleted_at__isnull=False))
        count = corrections.restore(notices)
        for notice in notices:
            self.log_change(request, notice, "从回收站恢复")
        self.message_user(request, f"已恢复 {count} 份通报。", messages.SUCCESS)

    # --- deletion is soft -----------------------------------------------------------------

    def get_deleted_objects(self, objs, request):
        objs = list(objs)
        return [str(o) for o in objs], {Notice._meta.verbose_name: len(objs)}, set(), []

    def log_deletions(self, request, queryset):
        return [self.log_change(request, obj, "移入回收站") for obj in queryset]  # nothing is deleted

    def delete_model(self, request, obj):
        corrections.move_to_recycle_bin([obj], request.user)

    def delete_queryset(self, request, queryset):
        corrections.move_to_recycle_bin(list(queryset), request.user)

    def response_delete(self, request, obj_display, obj_id):
        self.message_user(request, format_html("已把「{}」移入回收站；可在「状态：回收站」中恢复。", obj_display),
                          messages.SUCCESS)
        return HttpResponseRedirect(reverse("admin:notices_notice_changelist"))

    # --- a notice's page ------------------------------------------------------------------

    def get_form(self, request, obj=None, change=False, **kwargs):
        form = super().get_form(request, obj, change, **kwargs)
        if obj is not None:
            for name in obj.corrected_fields:
                if name in form.base_fields:
                    form.base_fields[name].help_text = LOCKED_HELP
        return form

    def save_model(self, request, obj, form, change):
        if change:
            stored = Notice.all_objects.get(pk=obj.pk)
            corrections.record_notice_fields(obj, corrections.snapshot(stored, form.changed_data), request.user)
        write.refresh_notice(obj, save=False)  # its search columns read the title and agency
        obj.save()
        write.recount([obj.pk])  # it may now count under another year, province or level

    def save_formset(self, request, form, formset, change):
        if formset.model is Issue:
            save_issue_formset(request, form.instance, formset)
        else:
            super().save_formset(request, form, formset, change)

    @admin.display(description="解析提示")
    def warnings_list(self, notice: Notice):
        if not notice.warnings:
            return "无"
        return format_html("<ul>{}</ul>", format_html_join("", "<li>{}</li>", ((w,) for w in notice.warnings)))

    @admin.display(description="原始文件")
    def source_info(self, notice: Notice):
        source = notice.source
        return format_html(
            '{}（{} 字节，SHA-256 <code>{}</code>，收录于 {}）· <a href="{}">下载原件</a>',
            source.filename, source.size, source.sha256, localtime(source.received_at).strftime("%Y-%m-%d %H:%M"),
            reverse("notices:original", args=[notice.pk]),
        )

    @admin.display(description="解析")
    def parse_info(self, notice: Notice):
        locked = "、".join(field_label(f) for f in notice.corrected_fields) or "无"
        tree = "是（重新解析不改动问题的增删与顺序）" if notice.tree_corrected else "否"
        return format_html("解析程序版本 {} · 格式 {} · 编码 {}<br>人工校对的字段：{}<br>问题结构经人工调整：{}",
                           notice.parser_version, notice.format, notice.encoding or "—", locked, tree)

    @admin.display(description="校对记录")
    def corrections_list(self, notice: Notice):
        rows = [
            {"correction": c, "field": correction_field(c), "old": value_text(c.old_value), "new": value_text(c.new_value)}
            for c in notice.corrections.select_related("user")[:200]
        ]
        return render_to_string("admin/notices/notice/_corrections.html", {"rows": rows})

    @admin.display(description="正文")
    def text_display(self, notice: Notice):
        return format_html('<div style="white-space:pre-wrap;max-height:30em;overflow:auto">{}</div>', notice.text)

    def render_change_form(self, request, context, *args, obj=None, **kwargs):
        context["can_reparse"] = obj is not None and self.has_reparse_permission(request, obj)
        context["can_restore"] = obj is not None and obj.is_deleted and request.user.has_perm("notices.delete_notice")
        return super().render_change_form(request, context, *args, obj=obj, **kwargs)

    def changelist_view(self, request, extra_context=None):
        extra_context = {
            **(extra_context or {}),
            "can_upload": self.has_upload_permission(request),
            "pending_count": PendingUpload.objects.live().filter(owner=request.user).count(),
        }
        return super().changelist_view(request, extra_context)

    # --- extra views: upload, re-parse, restore -------------------------------------------

    def get_urls(self):
        wrap = self.admin_site.admin_view
        return [
            path("upload/", wrap(upload.upload_view(self)), name="notices_notice_upload"),
            path("capture/", wrap(upload.capture_view(self)), name="notices_notice_capture"),
            path("<int:pk>/reparse/", wrap(self.reparse_view), name="notices_notice_reparse"),
            path("<int:pk>/restore/", wrap(self.restore_view), name="notices_notice_restore"),
            *super().get_urls(),
        ]

    def reparse_view(self, request, pk: int):
        if request.method != "POST":
            return HttpResponseNotAllowed(["POST"])
        if not self.has_reparse_permission(request):
            raise PermissionDenied
        notice = get_object_or_404(Notice.all_objects, pk=pk)
        result = reparse(notice)
        level = {"failed": messages.ERROR, "updated": messages.SUCCESS}.get(result.outcome, messages.INFO)
        self.message_user(request, reparse_message(notice, result), level)
        if result.outcome == "updated":
            self.log_change(request, notice, f"重新解析：{result.message}")
        return HttpResponseRedirect(reverse("admin:notices_notice_change", args=[pk]))

    def restore_view(self, request, pk: int):
        if request.method != "POST":
            return HttpResponseNotAllowed(["POST"])
        if not request.user.has_perm("notices.delete_notice"):
            raise PermissionDenied
        notice = get_object_or_404(Notice.all_objects, pk=pk)
        if corrections.restore([notice]):
            self.log_change(request, notice, "从回收站恢复")
            self.message_user(request, format_html("已恢复「{}」，公开页面重新显示它。", notice.display_title),
                              messages.SUCCESS)
        return HttpResponseRedirect(reverse("admin:notices_notice_change", args=[pk]))


@admin.register(Correction)
class CorrectionAdmin(admin.ModelAdmin):
    """Every hand correction across the archive, read-only: who changed what, when."""

    list_display = ("created_at", "user", "notice_link", "action", "target", "target_label", "field_name",
                    "old_text", "new_text")
    list_filter = ("action", "target", "user", "created_at")
    search_fields = ("target_label", "notice__title", "notice__agency_name")
    date_hierarchy = "created_at"
    list_select_related = ("user", "notice")

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False

    @admin.display(description="通报")
    def notice_link(self, correction: Correction):
        return format_html('<a href="{}">{}</a>', reverse("admin:notices_notice_change", args=[correction.notice_id]),
                           correction.notice.display_title[:40])

    @admin.display(description="字段")
    def field_name(self, correction: Correction):
        return correction_field(correction)

    @admin.display(description="原值")
    def old_text(self, correction: Correction):
        return value_text(correction.old_value)

    @admin.display(description="新值")
    def new_text(self, correction: Correction):
        return value_text(correction.new_value)
