"""How notices, problems, measures and agencies look in the API (and in its OpenAPI schema)."""
from __future__ import annotations

from django.urls import reverse
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from ..models import Agency, Issue, Measure, Notice, Status


def absolute(request, name: str, *args) -> str:
    path = reverse(name, args=args)
    return request.build_absolute_uri(path) if request is not None else path


class NoticeUrlsSerializer(serializers.Serializer):
    api = serializers.URLField(help_text="本通报在接口中的地址（通报 JSON 格式，含编号）。This notice in the API: the notice JSON format with ids.")
    html = serializers.URLField(help_text="本通报在阅览室的页面。The notice's page in the reading room.")
    original = serializers.URLField(help_text="原始文件，与收到时逐字节相同。The original file, byte for byte, as an attachment.")
    json = serializers.URLField(help_text="通报 JSON，与网页提供的相同。The notice JSON format, as the web page offers it.")


def notice_urls(request, pk: int) -> dict[str, str]:
    return {
        "api": absolute(request, "api:notice-detail", pk),
        "html": absolute(request, "notices:detail", pk),
        "original": absolute(request, "notices:original", pk),
        "json": absolute(request, "notices:json", pk),
    }


class UnitMatchSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    label = serializers.CharField(allow_null=True)
    text = serializers.CharField(help_text="问题的标题，或措施的正文。The problem's heading, or the measure's text.")
    problem_id = serializers.IntegerField(allow_null=True, help_text="措施所针对的问题编号。For a measure: the problem it answers.")


class MatchesSerializer(serializers.Serializer):
    problems = UnitMatchSerializer(many=True)
    measures = UnitMatchSerializer(many=True)
    more_problems = serializers.IntegerField(help_text="本通报中未列出的其他相符问题数。Matching problems of this notice beyond those listed.")
    more_measures = serializers.IntegerField()


NOTICE_FIELDS = [
    "id", "title", "display_title", "issuer", "agency", "agency_id", "inspection_kind", "inspection_form",
    "inspection_round", "inspector", "inspection_start", "inspection_end", "feedback_date", "publish_date",
    "province", "city", "county", "level", "topics", "progress", "file", "sha256", "created_at", "updated_at",
]


class NoticeSummarySerializer(serializers.ModelSerializer):
    """A notice in a list: its metadata and links; with a search, the problems and measures that match."""

    display_title = serializers.CharField(help_text="通报印出的标题；没有时由元数据生成。The printed title, or one derived from the metadata.")
    agency_id = serializers.IntegerField(allow_null=True)
    agency = serializers.CharField(source="agency_name", allow_null=True, help_text="规范名称：地区 + 单位。Canonical: region + unit.")
    file = serializers.CharField(source="source.filename")
    sha256 = serializers.CharField(source="source.sha256")
    urls = serializers.SerializerMethodField()
    matches = serializers.SerializerMethodField()

    class Meta:
        model = Notice
        fields = [*NOTICE_FIELDS, "urls", "matches"]

    @extend_schema_field(NoticeUrlsSerializer)
    def get_urls(self, notice: Notice) -> dict:
        return notice_urls(self.context.get("request"), notice.pk)

    @extend_schema_field(MatchesSerializer(allow_null=True))
    def get_matches(self, notice: Notice) -> dict | None:
        hit = self.context.get("hits", {}).get(notice.pk)
        if hit is None:
            return None
        return {
            "problems": [
                {"id": u.unit.pk, "label": u.unit.label, "text": u.unit.title, "problem_id": None} for u in hit.issues
            ],
            "measures": [
                {"id": u.unit.pk, "label": u.unit.label, "text": u.unit.text, "problem_id": u.unit.issue_id}
                for u in hit.measures
            ],
            "more_problems": hit.more_issues,
            "more_measures": hit.more_measures,
        }


class NoticeBriefSerializer(serializers.ModelSerializer):
    """The notice a problem or measure belongs to."""

    display_title = serializers.CharField()
    agency = serializers.CharField(source="agency_name", allow_null=True)
    urls = serializers.SerializerMethodField()

    class Meta:
        model = Notice
        fields = [
            "id", "display_title", "title", "issuer", "agency", "inspection_kind", "inspector", "publish_date",
            "feedback_date", "province", "city", "county", "level", "urls",
        ]

    @extend_schema_field(NoticeUrlsSerializer)
    def get_urls(self, notice: Notice) -> dict:
        return notice_urls(self.context.get("request"), notice.pk)


BRIEF_COLUMNS = [
    "id", "title", "issuer", "agency_name", "inspection_kind", "inspector", "publish_date", "feedback_date",
    "province", "city", "county", "level",
]


class MeasureSerializer(serializers.ModelSerializer):
    class Meta:
        model = Measure
        fields = ["id", "position", "label", "text"]


class WithNotice:
    """A row's notice, brief (NoticeBriefSerializer), made once per notice of the page by one
    serializer: the rows of a page share a few notices, and a serializer made for each row (then
    for each notice: 20 on a page of problems?q=低保) built its fields each time."""

    def notice_brief(self, notice_id: int) -> dict:
        made = self.__dict__.setdefault("_notice_briefs", {})  # this serializer serves one page's rows
        if notice_id not in made:
            if "_brief" not in self.__dict__:
                self._brief = NoticeBriefSerializer(context=self.context)
            made[notice_id] = self._brief.to_representation(self.context["notices"][notice_id])
        return made[notice_id]


class ProblemSerializer(WithNotice, serializers.ModelSerializer):
    """A problem the inspection found, with its measures and its notice."""

    notice_id = serializers.IntegerField()
    parent_id = serializers.IntegerField(allow_null=True, help_text="上一级问题的编号（子问题才有）。The problem this one is a sub-problem of.")
    measures = MeasureSerializer(many=True)
    notice = serializers.SerializerMethodField()

    class Meta:
        model = Issue
        fields = [
            "id", "notice_id", "parent_id", "position", "depth", "category", "label", "title", "status", "topics",
            "measures", "notice",
        ]

    @extend_schema_field(NoticeBriefSerializer)
    def get_notice(self, issue: Issue) -> dict:
        return self.notice_brief(issue.notice_id)


class ProblemBriefSerializer(serializers.ModelSerializer):
    class Meta:
        model = Issue
        fields = ["id", "position", "category", "label", "title", "status", "topics"]


class MeasureRowSerializer(WithNotice, serializers.ModelSerializer):
    """A rectification step, with the problem it answers and its notice."""

    notice_id = serializers.IntegerField()
    problem = ProblemBriefSerializer(source="issue")
    notice = serializers.SerializerMethodField()

    class Meta:
        model = Measure
        fields = ["id", "notice_id", "position", "label", "text", "problem", "notice"]

    @extend_schema_field(NoticeBriefSerializer)
    def get_notice(self, measure: Measure) -> dict:
        return self.notice_brief(measure.notice_id)


class AgencySerializer(serializers.ModelSerializer):
    notice_count = serializers.IntegerField(help_text="本库收录的该单位通报数。Notices about this agency in the archive.")
    notices_url = serializers.SerializerMethodField(help_text="该单位的通报在接口中的地址。Its notices in the API.")

    class Meta:
        model = Agency
        fields = ["id", "name", "province", "city", "county", "level", "notice_count", "notices_url"]

    def get_notices_url(self, agency: Agency) -> str:
        from urllib.parse import urlencode

        return absolute(self.context.get("request"), "api:notice-list") + "?" + urlencode({"agency": agency.name})


# --- documentation only: shapes built from dicts --------------------------------------------

class MeasureJsonSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    label = serializers.CharField(allow_null=True)
    text = serializers.CharField()


class IssueJsonSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    category = serializers.CharField(allow_null=True)
    label = serializers.CharField(allow_null=True)
    title = serializers.CharField()
    status = serializers.ChoiceField(choices=Status.choices, allow_null=True)
    measures = MeasureJsonSerializer(many=True)
    children = serializers.ListField(child=serializers.DictField(), help_text="子问题，格式相同。Sub-problems, in this same shape.")


class CaptureSourceSerializer(serializers.Serializer):
    url = serializers.URLField(help_text="来源网址。The address asked for.")
    final_url = serializers.URLField(help_text="跳转后的网址。The address after redirects.")
    retrieved_at = serializers.DateTimeField(help_text="抓取时间。When it was fetched.")
    attachment_url = serializers.URLField(allow_null=True, help_text="通报所在附件的网址。The attachment the notice was read from.")


class OriginalFileSerializer(serializers.Serializer):
    filename = serializers.CharField()
    sha256 = serializers.CharField()
    size = serializers.IntegerField()
    content_type = serializers.CharField()


class NoticeDetailSerializer(serializers.Serializer):
    """One notice in the notice JSON format (docs/notice-json.md), plus ids, URLs and its text."""

    id = serializers.IntegerField()
    file = serializers.CharField()
    title = serializers.CharField(allow_null=True)
    display_title = serializers.CharField()
    issuer = serializers.CharField(allow_null=True)
    agency = serializers.CharField(allow_null=True)
    agency_id = serializers.IntegerField(allow_null=True)
    inspection_kind = serializers.CharField(allow_null=True)
    inspection_form = serializers.CharField(allow_null=True)
    inspection_round = serializers.CharField(allow_null=True)
    inspector = serializers.CharField(allow_null=True)
    inspection_start = serializers.DateField(allow_null=True)
    inspection_end = serializers.DateField(allow_null=True)
    feedback_date = serializers.DateField(allow_null=True)
    publish_date = serializers.DateField(allow_null=True)
    province = serializers.CharField(allow_null=True)
    city = serializers.CharField(allow_null=True)
    county = serializers.CharField(allow_null=True)
    level = serializers.CharField(allow_null=True)
    issues = IssueJsonSerializer(many=True)
    figures = serializers.DictField()
    warnings = serializers.ListField(child=serializers.CharField())
    format = serializers.CharField()
    encoding = serializers.CharField(allow_null=True)
    parser_version = serializers.CharField()
    sha256 = serializers.CharField()
    topics = serializers.ListField(child=serializers.CharField())
    progress = serializers.CharField()
    text = serializers.CharField(help_text="通报正文，每段一行。The notice's text as printed, one paragraph a line.")
    source = CaptureSourceSerializer(
        allow_null=True, help_text="从网上抓取的来源（网址、跳转后网址、抓取时间、附件网址）；以文件收录的为 null。"
                                   "Where and when the notice was captured from the web; null for a file given by hand.")
    original = OriginalFileSerializer(help_text="通报所据的原始文件。The file the notice was read from, byte for byte at urls.original.")
    created_at = serializers.DateTimeField()
    updated_at = serializers.DateTimeField()
    urls = NoticeUrlsSerializer()


class FacetValueSerializer(serializers.Serializer):
    value = serializers.CharField(help_text='参数值；none 表示通报未注明。The parameter value; "none" for notices that do not say.')
    label = serializers.CharField()
    count = serializers.IntegerField()
    selected = serializers.BooleanField()
    toggle_query = serializers.CharField(help_text="选中或取消该值后的查询字符串。This request's query string with the value switched on or off.")


ESTIMATE_HELP = (
    "总数须读取 400 份以上候选通报才能算准时，由固定样本按比例估算，此时为 true；各页相同，结果行本身不估算。"
    "True when settling the total would read more than 400 candidate notices: it is then scaled from a "
    "fixed sample, the same on every page; the rows themselves are exact (docs/notice-json.md).")


class FacetSerializer(serializers.Serializer):
    name = serializers.CharField(help_text="筛选参数名。The filter parameter.")
    label = serializers.CharField()
    approximate = serializers.BooleanField(help_text="大检索的计数由核实的样本按比例估算。Counts scaled from a verified sample of a large search.")
    values = FacetValueSerializer(many=True)


class FacetsSerializer(serializers.Serializer):
    unit = serializers.ChoiceField(["notice", "problem"], help_text=(
        "计数的单位：通报，或 scope=problem 时的问题。What is counted: notices, or problems with scope=problem."))
    count = serializers.IntegerField()
    count_is_estimate = serializers.BooleanField(help_text=ESTIMATE_HELP)
    facets = FacetSerializer(many=True)


def paged(name: str, item) -> type[serializers.Serializer]:
    """The envelope of a paged list of `item` (for the schema)."""
    return type(name, (serializers.Serializer,), {
        "count": serializers.IntegerField(),
        "count_is_estimate": serializers.BooleanField(help_text=ESTIMATE_HELP),
        "page": serializers.IntegerField(),
        "per_page": serializers.IntegerField(),
        "pages": serializers.IntegerField(),
        "next": serializers.URLField(allow_null=True),
        "previous": serializers.URLField(allow_null=True),
        "links": serializers.DictField(child=serializers.URLField(), help_text="同一选择的 CSV 和 Atom 地址。CSV and Atom for this same selection."),
        "results": item(many=True),
        "__module__": __name__,
    })


NoticePageSerializer = paged("NoticePage", NoticeSummarySerializer)
ProblemPageSerializer = paged("ProblemPage", ProblemSerializer)
MeasurePageSerializer = paged("MeasurePage", MeasureRowSerializer)
AgencyPageSerializer = paged("AgencyPage", AgencySerializer)
