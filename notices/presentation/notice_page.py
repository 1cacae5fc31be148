"""Everything the notice page shows, gathered in one place so the view stays a few lines."""
from __future__ import annotations

from dataclasses import dataclass, field
from urllib.parse import urlencode

from django.db.models import F
from django.urls import reverse

from ..models import Notice
from ..search import WholeWords, parse_query
from ..topics import TOPIC_LABELS
from . import figures as stated
from . import timing
from .outline import Outline, ProblemNode, Section, build_outline
from .parts import Parts, outline_part, split
from .provenance import Provenance, provenance_of
from .similar import SimilarProblem, similar_problems
from .text import Paragraph, count_hits, locate, paragraphs

OTHER_NOTICES = 8


@dataclass
class NoticePage:
    notice: Notice
    q: str
    terms: list[str]
    outline: Outline
    paragraphs: list[Paragraph]
    figures: list[stated.Figure]
    accountability: list[stated.Figure]
    other_notices: list[Notice]
    similar: list[SimilarProblem]
    hits: int
    region: str
    search_url: str  # back to the search this page was reached from
    agency_url: str | None = None
    topics: list[tuple[str, str]] = field(default_factory=list)
    spans: list[timing.Span] = field(default_factory=list)  # inspection end → feedback → publication, in days
    provenance: Provenance | None = None
    sections: list[Section] = field(default_factory=list)  # the outline's, in this part
    shown: list[ProblemNode] = field(default_factory=list)  # the problems in this part
    parts: Parts | None = None

    @property
    def part_links(self) -> list[tuple[int, str, bool]]:
        """(number, URL, current) of each part of a long notice; empty when it has one."""
        if self.parts is None or self.parts.count == 1:
            return []
        base = self.notice.get_absolute_url()
        return [(n, base + "?" + urlencode({**({"q": self.q} if self.q else {}), "part": n}), n == self.parts.current)
                for n in range(1, self.parts.count + 1)]

    @property
    def first_hit_anchor(self) -> str | None:
        """The first problem (or else paragraph) where the search words are marked."""
        for node in self.shown:
            if "<mark>" in node.html or any("<mark>" in m.html for m in node.measures):
                return node.anchor
        return next((p.anchor for p in self.paragraphs if "<mark>" in p.html), None)

    @property
    def accountability_total(self) -> int:
        return sum(int(f.value) for f in self.accountability)


def region_of(notice) -> str:
    return "".join(part for part in (notice.province, notice.city, notice.county) if part)


def build_notice_page(notice: Notice, raw_q: str, part: int = 1, whole_words: bool = False) -> NoticePage:
    """`whole_words`: the search came in the word mode (按词匹配), so only whole words are marked."""
    q = raw_q.strip()[:500]
    terms = parse_query(q).highlight_terms()
    if whole_words:
        terms = WholeWords(terms)
    outline = build_outline(notice, terms)
    lines = [line for line in notice.text.splitlines() if line.strip()]
    found = locate(lines, [node.title for node in outline.problems])
    parts = split(lines, part)
    sections, shown = outline_part(outline, found, parts)
    starts: dict[int, str] = {}
    for node, index in zip(outline.problems, found):
        if index is not None:
            node.text_anchor = f"line-{index + 1}"
            starts.setdefault(index, node.anchor)
    others = []
    if notice.agency_id:
        others = list(
            Notice.objects.filter(agency_id=notice.agency_id).exclude(pk=notice.pk).without_bytes()
            .without_search_columns().defer("text")
            .order_by(F("publish_date").desc(nulls_last=True), "-id")[:OTHER_NOTICES]
        )
    return NoticePage(
        notice=notice, q=q, terms=terms, outline=outline,
        paragraphs=paragraphs(notice.text, terms, starts, parts.lines,
                              [d["text"] for d in (notice.ocr or {}).get("doubtful", [])]),
        figures=stated.stated_figures(notice.figures), accountability=stated.accountability(notice.figures),
        other_notices=others, similar=similar_problems(notice),
        hits=count_hits(notice.text, terms), region=region_of(notice),
        search_url=reverse("notices:list") + ("?" + urlencode({"q": q}) if q else ""),
        agency_url=reverse("notices:agency", args=[notice.agency_id]) if notice.agency_id else None,
        topics=[(slug, TOPIC_LABELS.get(slug, slug)) for slug in notice.topics], spans=timing.notice_spans(notice),
        provenance=provenance_of(notice),
        sections=sections, shown=shown, parts=parts,
    )
