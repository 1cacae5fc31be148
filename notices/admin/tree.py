"""Correcting the problem -> measure tree: problems inline on the notice's page, each problem's
measures inline on the problem's page. Saving goes through corrections.py, which records
every change and renumbers the tree; "顺序" takes any number (2.5 lands between 2 and 3).
"""
from __future__ import annotations

from django import forms
from django.contrib import admin, messages
from django.contrib.admin.widgets import RelatedFieldWidgetWrapper
from django.core.exceptions import ValidationError
from django.forms.models import BaseInlineFormSet
from django.http import HttpResponseRedirect
from django.urls import reverse
from django.utils.html import format_html

from .. import corrections
from ..models import Issue, Measure, Notice

NOTICE_PERMISSION = {"view": "notices.view_notice", "add": "notices.change_notice",
                     "change": "notices.change_notice", "delete": "notices.change_notice"}


def _notice_of(obj) -> Notice | None:
    if isinstance(obj, Notice):
        return obj
    if isinstance(obj, (Issue, Measure)):
        return Notice.all_objects.get(pk=obj.notice_id)
    return None


class FollowsNoticePermissions:
    """Problems and measures are parts of a notice: whoever may change the notice may change them."""

    def _allowed(self, request, action: str, obj=None) -> bool:
        if not request.user.has_perm(NOTICE_PERMISSION[action]):
            return False
        notice = _notice_of(obj)
        return action == "view" or notice is None or not notice.is_deleted

    def has_view_permission(self, request, obj=None):
        return self._allowed(request, "view", obj) or self._allowed(request, "change", obj)

    def has_add_permission(self, request, obj=None):
        return self._allowed(request, "add", obj)

    def has_change_permission(self, request, obj=None):
        return self._allowed(request, "change", obj)

    def has_delete_permission(self, request, obj=None):
        return self._allowed(request, "delete", obj)


def _issue_choice(issue: Issue) -> str:
    return "　" * issue.depth + corrections.issue_label(issue)[:50]


class OrderedForm(forms.ModelForm):
    """A row with a "顺序" number; left empty on a new row, the row goes last."""

    order = forms.FloatField(label="顺序", required=False, widget=forms.NumberInput(attrs={"step": "any", "style": "width:4.5em"}))

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if self.instance.pk is not None:
            self.fields["order"].initial = self.instance.position + 1

    def order_value(self) -> float:
        value = self.cleaned_data.get("order")
        if value is None:
            return self.instance.position + 1 if self.instance.pk is not None else float("inf")
        return value


class IssueForm(OrderedForm):
    class Meta:
        model = Issue
        fields = ("parent", "category", "label", "title", "status")
        widgets = {
            "category": forms.TextInput(attrs={"size": 10}),
            "label": forms.TextInput(attrs={"size": 4}),
            "title": forms.Textarea(attrs={"rows": 2, "cols": 50}),
        }
        labels = {"parent": "上级问题"}


class IssueFormSet(BaseInlineFormSet):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        siblings = Issue.objects.filter(notice=self.instance).order_by("position") if self.instance.pk else Issue.objects.none()
        for form in self.forms + [self.empty_form]:
            field = form.fields["parent"]
            if isinstance(field.widget, RelatedFieldWidgetWrapper):
                field.widget = field.widget.widget  # no edit/add popups: a parent is chosen, not edited here
            field.queryset = siblings
            field.label_from_instance = _issue_choice
            field.required = False

    def clean(self):
        super().clean()
        deleted = {f.instance.pk for f in self.deleted_forms if f.instance.pk}
        parent_of: dict[int, int | None] = {}
        for form in self.forms:
            empty_extra = form.instance.pk is None and not form.has_changed()
            if not hasattr(form, "cleaned_data") or form in self.deleted_forms or empty_extra:
                continue
            parent = form.cleaned_data.get("parent")
            if parent is not None and parent.pk in deleted:
                raise ValidationError(
                    f"「{corrections.issue_label(parent)}」还有下级问题「{corrections.issue_label(form.instance)}」；"
                    "请先把下级问题移到别处或一并删除，再删除它。"
                )
            if form.instance.pk:
                if parent is not None and parent.pk == form.instance.pk:
                    raise ValidationError(f"「{corrections.issue_label(form.instance)}」不能是自己的上级问题。")
                parent_of[form.instance.pk] = parent.pk if parent else None
        for start in parent_of:
            seen, node = set(), start
            while node is not None:
                if node in seen:
                    raise ValidationError("上级问题的设置形成了循环；请检查「上级问题」一栏。")
                seen.add(node)
                node = parent_of.get(node)


class IssueInline(FollowsNoticePermissions, admin.TabularInline):
    model = Issue
    form = IssueForm
    formset = IssueFormSet
    fk_name = "notice"
    extra = 0
    ordering = ("position",)
    fields = ("order", "parent", "category", "label", "title", "status", "measures_link")
    readonly_fields = ("measures_link",)
    verbose_name = "问题"
    verbose_name_plural = "问题（顺序可填小数，如 2.5 排在 2 与 3 之间）"

    @admin.display(description="整改措施")
    def measures_link(self, issue: Issue):
        if issue.pk is None:
            return "保存后可添加"
        count = issue.measures.count()
        marks = " ✎" if issue.corrected_fields or issue.measures_corrected else ""
        return format_html('<a href="{}" title="修改这条问题及其整改措施">{} 条 · 修改</a>{}',
                           reverse("admin:notices_issue_change", args=[issue.pk]), count, marks)


def formset_rows(formset, with_parent: bool = False) -> tuple[list[corrections.Row], list]:
    """An inline formset's kept rows (in the order asked for) and its deleted objects.

    Applies the fields first (formset.save(commit=False) also fills new/changed/deleted_objects
    for the admin's log); blank extra forms are skipped.
    """
    formset.save(commit=False)
    rows, deleted = [], []
    for form in formset.forms:
        if form in formset.deleted_forms:
            if form.instance.pk:
                deleted.append(form.instance)
            continue
        if form.instance.pk is None and not form.has_changed():
            continue
        parent = form.cleaned_data.get("parent") if with_parent else None
        rows.append(corrections.Row(form.instance, form.order_value(), parent))
    return rows, deleted


def save_issue_formset(request, notice: Notice, formset) -> None:
    """Save the problem inline through corrections.save_issue_list (recorded, renumbered)."""
    rows, deleted = formset_rows(formset, with_parent=True)
    corrections.save_issue_list(notice, request.user, rows, deleted)


class IssuePageForm(forms.ModelForm):
    class Meta:
        model = Issue
        fields = ("category", "label", "title", "status")
        widgets = {
            "category": forms.TextInput(attrs={"size": 40}),
            "label": forms.TextInput(attrs={"size": 8}),
            "title": forms.Textarea(attrs={"rows": 3, "cols": 90}),
        }


class MeasureForm(OrderedForm):
    class Meta:
        model = Measure
        fields = ("label", "text")
        widgets = {"label": forms.TextInput(attrs={"size": 5}), "text": forms.Textarea(attrs={"rows": 3, "cols": 90})}


class MeasureInline(FollowsNoticePermissions, admin.TabularInline):
    model = Measure
    form = MeasureForm
    fk_name = "issue"
    extra = 0
    ordering = ("position",)
    fields = ("order", "label", "text")
    verbose_name = "整改措施"
    verbose_name_plural = "整改措施（顺序可填小数）"


@admin.register(Issue)
class IssueAdmin(FollowsNoticePermissions, admin.ModelAdmin):
    """One problem's page: its own fields and its measures. Reached from the notice's page only."""

    form = IssuePageForm
    inlines = [MeasureInline]
    fields = ("notice_link", "place", "category", "label", "title", "status")
    readonly_fields = ("notice_link", "place")
    change_form_template = "admin/notices/issue/change_form.html"

    def get_model_perms(self, request):
        return {}  # not listed on the admin index: problems are edited from their notice

    def has_add_permission(self, request, obj=None):
        return False  # added inline on the notice's page, where their place is chosen

    def has_delete_permission(self, request, obj=None):
        return False  # deleted inline on the notice's page, so that the deletion is recorded

    @admin.display(description="所属通报")
    def notice_link(self, issue: Issue):
        notice = Notice.all_objects.get(pk=issue.notice_id)
        return format_html('<a href="{}">{}</a>', reverse("admin:notices_notice_change", args=[notice.pk]),
                           notice.display_title)

    @admin.display(description="位置")
    def place(self, issue: Issue):
        parent = f"，上级问题：{corrections.issue_label(issue.parent)}" if issue.parent_id else ""
        return f"第 {issue.position + 1} 条{parent}（在通报页面调整顺序与层级）"

    def save_model(self, request, obj, form, change):
        corrections.save_issue(obj, request.user)

    def save_formset(self, request, form, formset, change):
        rows, deleted = formset_rows(formset)
        corrections.save_measure_list(form.instance, request.user, rows, deleted)

    def response_change(self, request, obj):
        if "_continue" in request.POST:
            return super().response_change(request, obj)
        messages.success(request, format_html("已保存问题「{}」及其整改措施。", corrections.issue_label(obj)))
        return HttpResponseRedirect(reverse("admin:notices_notice_change", args=[obj.notice_id]) + "#issues-group")

    def render_change_form(self, request, context, *args, obj=None, **kwargs):
        if obj is not None:
            context["notice"] = Notice.all_objects.get(pk=obj.notice_id)
        return super().render_change_form(request, context, *args, obj=obj, **kwargs)
