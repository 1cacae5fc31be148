"""The archive's data: a Notice (with its original file) holds a tree of Issues, each with its Measures."""
from __future__ import annotations

from django.conf import settings
from django.contrib.postgres.fields import ArrayField
from django.contrib.postgres.indexes import GinIndex, HashIndex
from django.contrib.postgres.search import SearchVectorField
from django.db import models
from django.db.models import Exists, F, OuterRef, Q
from django.urls import reverse


class TsVectorField(SearchVectorField):
    """A tsvector written from a literal built in tokenize.py (never through to_tsvector)."""

    def get_placeholder(self, value, compiler, connection):
        return "%s::tsvector"


class UnitGrams(models.Func):
    """A text's adjacent character pairs and last character as a tsvector (SQL function of migration
    0019): a superset of tokenize's gram bag that the database computes, so its index needs no writer."""

    function = "unit_grams"
    output_field = TsVectorField()


class IssueQuerySet(models.QuerySet):
    def problems(self):
        """The issues the archive counts as problems, on every page, API field, CSV, chart and ingest line.

        A problem is a leaf of the tree: an issue without sub-problems, or one whose own
        measures are listed beside its sub-problems' (as the gold parses and their scorer
        count). An issue with sub-problems and no measures of its own is a category heading.
        """
        return self.filter(is_problem())


def is_problem() -> Q:
    """The condition on an Issue row that makes it a problem (see IssueQuerySet.problems).

    Written as "not one of the category headings": the headings (parents without measures of
    their own) are few and found once through the parent index, so PostgreSQL tests each row
    against a hashed list instead of probing for children and measures row by row (on 275,000
    problems, a page's counts went from seconds to a few hundred milliseconds).
    """
    own_measures = Measure.objects.filter(issue=OuterRef("parent_id"))
    headings = Issue.objects.filter(parent__isnull=False).exclude(Exists(own_measures)).values("parent_id")
    return ~Q(pk__in=headings)


class ParserWords:
    """A problem's or measure's words as the parser gave them, to find the row again in a new parse.

    Stored in `parsed_field` only where a hand edit made them differ from the row's own
    text: "" there means the row's text is the parser's (almost every row: storing the
    text twice cost a tenth of ingest's time), None that the row was added by hand.
    """

    searched_field: str  # the row's own text
    parsed_field: str

    def parser_words(self) -> str | None:
        words = getattr(self, self.parsed_field)
        return getattr(self, self.searched_field) if words == "" else words

    def remember_parser_words(self, words: str | None) -> None:
        """Store `words` as the parser's, after the row's own text has its final value."""
        setattr(self, self.parsed_field, "" if words == getattr(self, self.searched_field) else words)


class Level(models.TextChoices):
    CENTRAL = "central", "中央"
    PROVINCE = "province", "省级"
    CITY = "city", "市级"
    COUNTY = "county", "县级"
    TOWNSHIP = "township", "乡镇"


class InspectionKind(models.TextChoices):
    XUNSHI = "巡视", "巡视"
    XUNCHA = "巡察", "巡察"


class Status(models.TextChoices):
    DONE = "done", "已完成"
    IN_PROGRESS = "in_progress", "推进中"


class Progress(models.TextChoices):
    """A notice's overall progress, from its problems' statuses."""

    DONE = "done", "全部完成"
    IN_PROGRESS = "in_progress", "部分推进中"
    UNSTATED = "unstated", "未注明"


class Agency(models.Model):
    """An inspected unit, by its canonical name (region + unit, without 中共/党组)."""

    name = models.CharField("名称", max_length=200, unique=True)
    province = models.CharField("省", max_length=50, null=True, blank=True)
    city = models.CharField("市", max_length=50, null=True, blank=True)
    county = models.CharField("县", max_length=50, null=True, blank=True)
    level = models.CharField("层级", max_length=10, choices=Level.choices, null=True, blank=True)

    class Meta:
        verbose_name = verbose_name_plural = "被巡察单位"
        ordering = ["name"]
        constraints = [
            models.CheckConstraint(condition=Q(level__isnull=True) | Q(level__in=Level.values), name="agency_level_valid"),
        ]

    def __str__(self) -> str:
        return self.name


class SourceFile(models.Model):
    """The notice file exactly as it arrived: nothing is ever lost."""

    sha256 = models.CharField(max_length=64, unique=True)
    filename = models.CharField("文件名", max_length=255)
    content_type = models.CharField(max_length=100, blank=True, default="")
    size = models.PositiveBigIntegerField()
    data = models.BinaryField()
    received_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = verbose_name_plural = "原始文件"
        constraints = [
            models.CheckConstraint(condition=Q(sha256__regex=r"^[0-9a-f]{64}$"), name="source_sha256_hex"),
        ]

    def __str__(self) -> str:
        return f"{self.filename} ({self.sha256[:12]})"


class NoticeQuerySet(models.QuerySet):
    def without_bytes(self):
        return self.defer("source__data")

    def without_search_columns(self):
        return self.defer(*Notice.SEARCH_COLUMNS)


class LiveNoticeManager(models.Manager.from_queryset(NoticeQuerySet)):
    """The default manager: notices moved to the admin's recycle bin are invisible to every public page."""

    def get_queryset(self):
        return super().get_queryset().filter(deleted_at__isnull=True)


# The first of the folded names in Notice.fold_agency: the inspected unit's (else the issuer's).
FIRST_UNIT = models.Func(F("fold_agency"), models.Value("|"), models.Value(1), function="split_part", output_field=models.TextField())
SAMPLE_KEY = models.Func(F("id"), function="hashint8", output_field=models.IntegerField())  # a fixed pseudo-random order


class Notice(models.Model):
    """One published rectification notice and the metadata parsed from it."""

    source = models.OneToOneField(SourceFile, on_delete=models.PROTECT, related_name="notice")
    agency = models.ForeignKey(Agency, on_delete=models.SET_NULL, null=True, blank=True, related_name="notices")

    title = models.TextField("标题", null=True, blank=True)
    issuer = models.CharField("发布单位", max_length=200, null=True, blank=True)
    agency_name = models.CharField("被巡察单位", max_length=200, null=True, blank=True)
    inspection_kind = models.CharField(
        "巡视/巡察", max_length=4, choices=InspectionKind.choices, null=True, blank=True
    )
    inspection_form = models.CharField("巡察形式", max_length=20, null=True, blank=True)
    inspection_round = models.CharField("巡察轮次", max_length=100, null=True, blank=True)
    inspector = models.CharField("巡察组", max_length=200, null=True, blank=True)
    inspection_start = models.DateField("进驻日期", null=True, blank=True)
    inspection_end = models.DateField("结束日期", null=True, blank=True)
    feedback_date = models.DateField("反馈日期", null=True, blank=True)
    publish_date = models.DateField("发布日期", null=True, blank=True)
    province = models.CharField("省", max_length=50, null=True, blank=True)
    city = models.CharField("市", max_length=50, null=True, blank=True)
    county = models.CharField("县", max_length=50, null=True, blank=True)
    level = models.CharField("层级", max_length=10, choices=Level.choices, null=True, blank=True)

    text = models.TextField("正文")
    format = models.CharField(max_length=10)
    encoding = models.CharField(max_length=40, null=True, blank=True)
    figures = models.JSONField("通报所列数字", default=dict, blank=True)
    warnings = models.JSONField("解析提示", default=list, blank=True)
    # What OCR read, when some of the text came from page images: ParsedNotice.ocr.to_json().
    ocr = models.JSONField("文字识别(OCR)", null=True, blank=True, editable=False)
    parser_version = models.CharField(max_length=20)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    # Hand corrections (see corrections.py): a re-parse leaves these alone (see merge.py).
    corrected_fields = ArrayField(
        models.CharField(max_length=40), default=list, blank=True, editable=False, verbose_name="人工校对的字段",
    )
    tree_corrected = models.BooleanField("问题结构经人工调整", default=False, editable=False)
    # Soft deletion: the row and its file stay; only the admin sees it, and can restore it.
    deleted_at = models.DateTimeField("移入回收站时间", null=True, blank=True, editable=False)
    deleted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, editable=False,
        related_name="+", verbose_name="移入回收站者",
    )

    # Derived columns (derive.py), kept current by write.py on every write: facets and search.
    topics = ArrayField(models.CharField(max_length=30), default=list, blank=True, editable=False)
    progress = models.CharField("整改进度", max_length=12, choices=Progress.choices, default=Progress.UNSTATED, editable=False)
    # Search columns (see tokenize.py).
    fold_title = models.TextField(default="", editable=False)
    fold_agency = models.TextField(default="", editable=False)  # agency name, issuer, inspector
    fold_text = models.TextField(default="", editable=False)  # the text, and tree text edited away from it
    grams = TsVectorField(null=True, editable=False)  # gram bag of everything above
    words = TsVectorField(null=True, editable=False)  # jieba tokens: title/agency A, problems B
    dictionary_version = models.CharField(max_length=12, default="", editable=False)
    problems_total = models.PositiveIntegerField("问题数", default=0, editable=False)  # derive.Tally: what pages sum
    measures_total = models.PositiveIntegerField("整改措施数", default=0, editable=False)
    problems_done = models.PositiveIntegerField(default=0, editable=False)
    problems_in_progress = models.PositiveIntegerField(default=0, editable=False)
    problem_topics = models.JSONField(default=dict, blank=True, editable=False)  # topic slug -> problems
    stated_problems_reported = models.IntegerField(null=True, editable=False)  # derive.Stated: figures as numbers
    stated_measures_planned = models.IntegerField(null=True, editable=False)
    stated_regulations_made = models.IntegerField(null=True, editable=False)
    stated_money_recovered_yuan = models.FloatField(null=True, editable=False)
    stated_accountable = models.IntegerField(null=True, editable=False)
    SEARCH_COLUMNS = ("fold_title", "fold_agency", "fold_text", "grams", "words")  # large: deferred by lists

    objects = LiveNoticeManager()  # first, so the default: hides deleted notices
    all_objects = NoticeQuerySet.as_manager()  # the admin, ingest and reparse see them all

    class Meta:
        verbose_name = verbose_name_plural = "整改通报"
        ordering = ["-publish_date", "-id"]
        permissions = [("upload_notice", "可以上传通报"), ("reparse_notice", "可以重新解析通报")]
        indexes = [
            models.Index(fields=["publish_date"]),
            models.Index(fields=["province", "city"]),
            models.Index(fields=["level"]),
            # Compare by agency (its sides are agency_name = ...), its chooser and the number of agencies, from the index alone.
            models.Index(fields=["agency_name", "agency"], condition=Q(deleted_at__isnull=True), name="notice_live_agency"),
            GinIndex(fields=["grams"], name="notice_grams_gin"),
            *(GinIndex(UnitGrams(f"fold_{c}"), name=f"notice_{c}_grams") for c in ("title", "agency")),  # search/plan.py
            GinIndex(fields=["topics"], name="notice_topics_gin"),
            models.Index(fields=["updated_at"], name="notice_updated_at"),  # the archive's fingerprint
            models.Index(F("publish_date").desc(nulls_last=True), F("id").desc(), condition=Q(deleted_at__isnull=True),
                         name="notice_live_newest"),  # home's newest notices: eight entries, not a sort of every notice
            # Near-copy candidates (copies.py): the same folded title, or the same folded unit.
            HashIndex(fields=["fold_title"], name="notice_fold_title_hash"),
            HashIndex(FIRST_UNIT, name="notice_first_unit_hash"),
            models.Index(fields=["id"], condition=Q(deleted_at__isnull=False), name="notice_in_recycle_bin"),  # search.candidates
            models.Index(SAMPLE_KEY, name="notice_sample_key"),  # search.candidates: a broad word's sample
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(inspection_kind__isnull=True) | Q(inspection_kind__in=InspectionKind.values),
                name="notice_inspection_kind_valid",
            ),
            models.CheckConstraint(
                condition=Q(level__isnull=True) | Q(level__in=Level.values), name="notice_level_valid"
            ),
            models.CheckConstraint(condition=Q(progress__in=Progress.values), name="notice_progress_valid"),
            models.CheckConstraint(
                condition=Q(inspection_start__isnull=True)
                | Q(inspection_end__isnull=True)
                | Q(inspection_start__lte=models.F("inspection_end")),
                name="notice_inspection_period_ordered",
            ),
        ]

    def __str__(self) -> str:
        return self.display_title

    @property
    def display_title(self) -> str:
        """The printed title, or one derived from the metadata when the notice has none."""
        if self.title:
            return self.title
        who = self.issuer or self.agency_name or "（单位不详）"
        kind = self.inspection_kind or "巡视巡察"
        return f"{who}关于{kind}整改进展情况的通报"

    def get_absolute_url(self) -> str:
        return reverse("notices:detail", args=[self.pk])

    @property
    def is_deleted(self) -> bool:
        return self.deleted_at is not None


class Issue(ParserWords, models.Model):
    """A problem the inspection found; sub-problems hang from a parent issue."""

    searched_field, parsed_field = "title", "parsed_title"  # see ParserWords

    # No index of its own: issue_position_unique (notice, position) serves lookups by notice.
    notice = models.ForeignKey(Notice, on_delete=models.CASCADE, related_name="issues", db_index=False)
    parent = models.ForeignKey("self", on_delete=models.CASCADE, null=True, blank=True, related_name="children")
    position = models.PositiveIntegerField("顺序")  # document order within the notice (pre-order)
    depth = models.PositiveSmallIntegerField(default=0)
    category = models.TextField("类别", null=True, blank=True)
    label = models.CharField("序号", max_length=20, null=True, blank=True)
    title = models.TextField("问题")
    status = models.CharField("状态", max_length=12, choices=Status.choices, null=True, blank=True)
    # The title the parser gave this problem where it differs from title; see ParserWords.
    parsed_title = models.TextField(null=True, blank=True, editable=False)
    corrected_fields = ArrayField(models.CharField(max_length=40), default=list, blank=True, editable=False)
    measures_corrected = models.BooleanField("措施经人工调整", default=False, editable=False)
    topics = ArrayField(models.CharField(max_length=30), default=list, blank=True, editable=False)
    # Searched within candidate notices by substring; the notice's gram bag covers this text.
    fold_text = models.TextField(default="", editable=False)

    objects = IssueQuerySet.as_manager()

    class Meta:
        verbose_name = verbose_name_plural = "问题"
        ordering = ["notice_id", "position"]
        indexes = [GinIndex(fields=["topics"], name="issue_topics_gin"), GinIndex(UnitGrams("fold_text"), name="issue_unit_grams")]
        constraints = [
            models.UniqueConstraint(fields=["notice", "position"], name="issue_position_unique"),
            models.CheckConstraint(
                condition=Q(status__isnull=True) | Q(status__in=Status.values), name="issue_status_valid"
            ),
            models.CheckConstraint(condition=~Q(title=""), name="issue_title_not_empty"),
        ]

    def __str__(self) -> str:
        return self.title[:60]


class Measure(ParserWords, models.Model):
    """A rectification step reported for an issue."""

    searched_field, parsed_field = "text", "parsed_text"  # see ParserWords

    # No index of its own: measure_position_unique (issue, position) serves lookups by problem.
    issue = models.ForeignKey(Issue, on_delete=models.CASCADE, related_name="measures", db_index=False)
    # The notice again, so that search can group measures by notice without a join.
    notice = models.ForeignKey(Notice, on_delete=models.CASCADE, related_name="measures")
    position = models.PositiveIntegerField("顺序")  # order within the issue
    label = models.CharField("序号", max_length=20, null=True, blank=True)
    text = models.TextField("整改措施")
    # The text the parser gave this measure where it differs from text; see ParserWords.
    parsed_text = models.TextField(null=True, blank=True, editable=False)
    corrected_fields = ArrayField(models.CharField(max_length=40), default=list, blank=True, editable=False)
    fold_text = models.TextField(default="", editable=False)  # see Issue.fold_text

    class Meta:
        verbose_name = verbose_name_plural = "整改措施"
        ordering = ["issue_id", "position"]
        constraints = [
            models.UniqueConstraint(fields=["issue", "position"], name="measure_position_unique"),
            models.CheckConstraint(condition=~Q(text=""), name="measure_text_not_empty"),
        ]

    def __str__(self) -> str:
        return self.text[:60]


class Correction(models.Model):
    """One hand correction: who changed what on a notice, its problems or measures, from which value to which."""

    class Target(models.TextChoices):
        NOTICE = "notice", "通报"
        ISSUE = "issue", "问题"
        MEASURE = "measure", "整改措施"

    class Action(models.TextChoices):
        CHANGE = "change", "修改"
        ADD = "add", "新增"
        DELETE = "delete", "删除"
        MOVE = "move", "调整位置"

    notice = models.ForeignKey(Notice, on_delete=models.CASCADE, related_name="corrections", verbose_name="通报")
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+", verbose_name="校对人",
    )
    created_at = models.DateTimeField("时间", auto_now_add=True, db_index=True)
    target = models.CharField("对象", max_length=10, choices=Target.choices)
    target_id = models.BigIntegerField(null=True, blank=True)  # the row may be gone since
    target_label = models.CharField("条目", max_length=200, blank=True, default="")
    action = models.CharField("操作", max_length=10, choices=Action.choices)
    field = models.CharField("字段", max_length=40, blank=True, default="")
    old_value = models.JSONField("原值", null=True, blank=True)
    new_value = models.JSONField("新值", null=True, blank=True)

    class Meta:
        verbose_name = verbose_name_plural = "人工校对记录"
        ordering = ["-created_at", "-id"]
        indexes = [models.Index(fields=["notice", "created_at"])]

    def __str__(self) -> str:
        return f"{self.get_action_display()} {self.get_target_display()} {self.target_label}".strip()


# This app's rows kept in their own modules (jobs, provenance, harvest, pending uploads, what ranking reads): imported so Django and callers find them here.
from .jobs.models import Job, JobFile, JobState  # noqa: E402,F401
from .provenance import Capture, NoticeCopy  # noqa: E402,F401  (registers the provenance models with the app)
from .harvest.models import HarvestSource  # noqa: E402,F401
from .pending_uploads import PendingUpload  # noqa: E402,F401
from .ranking_rows import RankingRow  # noqa: E402,F401
from .counts import DayTally, GroupTally  # noqa: E402,F401  (the archive's sums kept by write.recount)
