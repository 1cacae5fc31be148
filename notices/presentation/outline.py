"""A notice's category -> problem -> measure outline, with stable anchors and a table of contents.

Anchors follow document order, not database ids, so a link to 问题 7 keeps working after
the notice is parsed again: #problem-7 is the seventh problem heading (sub-problems count),
#measure-7-2 its second measure, #category-2 the second category heading.
"""
from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from functools import cached_property

from django.utils.safestring import SafeString

from ..models import Issue, Measure, Notice, Status
from ..topics import TOPIC_LABELS
from .text import marked

STATUS_LABELS = dict(Status.choices)
STATUS_CSS = {"done": "done", "in_progress": "in-progress"}


def problem_anchor(position: int) -> str:
    return f"problem-{position + 1}"


def measure_anchor(issue_position: int, measure_position: int) -> str:
    return f"measure-{issue_position + 1}-{measure_position + 1}"


@dataclass
class MeasureNode:
    anchor: str
    label: str | None
    text: str
    terms: list[str]

    @cached_property
    def html(self) -> SafeString:
        """Marked when shown, not before: a long notice's page shows one part of its measures."""
        return marked(self.text, self.terms)


@dataclass
class ProblemNode:
    anchor: str
    number: int
    label: str | None
    title: str  # plain, for the table of contents
    terms: list[str]
    status: str | None
    depth: int
    topics: list[tuple[str, str]]  # (slug, label)
    measures: list[MeasureNode] = field(default_factory=list)
    children: list["ProblemNode"] = field(default_factory=list)
    text_anchor: str | None = None  # where the problem starts in the original text
    heading: int = 4  # h3 under the outline's h2, h4 under a category, one deeper per sub-problem

    @cached_property
    def html(self) -> SafeString:
        return marked(self.title, self.terms)

    @property
    def is_problem(self) -> bool:
        """As Issue.objects.problems(): a heading over sub-problems, with no measures of its own, is a category."""
        return not self.children or bool(self.measures)

    @property
    def status_label(self) -> str:
        return STATUS_LABELS.get(self.status, "") if self.status else ""

    @property
    def status_css(self) -> str:
        return STATUS_CSS.get(self.status, "") if self.status else ""


@dataclass
class Section:
    """Consecutive problems under one category heading (or none)."""

    anchor: str | None
    number: int | None
    title: str | None
    html: SafeString | None
    problems: list[ProblemNode] = field(default_factory=list)


@dataclass
class Outline:
    sections: list[Section]
    problems: list[ProblemNode]  # every issue (problems and the headings over sub-problems), in document order
    measure_count: int

    @property
    def problem_count(self) -> int:
        return sum(1 for node in self.problems if node.is_problem)

    def status_counts(self) -> dict[str, int]:
        counts: dict[str, int] = defaultdict(int)
        for node in self.problems:
            if node.status:
                counts[node.status] += 1
        return dict(counts)


_ISSUE_FIELDS = ("pk", "position", "label", "title", "status", "depth", "topics", "parent_id", "category")


def build_outline(notice: Notice, terms: list[str]) -> Outline:
    # Bare rows, not model objects: a notice page reads some 60 of them.
    issues = Issue.objects.filter(notice=notice).order_by("position").values_list(*_ISSUE_FIELDS, named=True)
    measures: dict[int, list] = defaultdict(list)
    for measure in (Measure.objects.filter(notice=notice).order_by("issue_id", "position")
                    .values_list("issue_id", "position", "label", "text", named=True)):
        measures[measure.issue_id].append(measure)

    nodes: dict[int, ProblemNode] = {}
    sections: list[Section] = []
    problems: list[ProblemNode] = []
    for issue in issues:
        node = ProblemNode(
            anchor=problem_anchor(issue.position), number=issue.position + 1, label=issue.label,
            title=issue.title, terms=terms, status=issue.status, depth=issue.depth,
            topics=[(slug, TOPIC_LABELS.get(slug, slug)) for slug in issue.topics],
            measures=[MeasureNode(measure_anchor(issue.position, m.position), m.label, m.text, terms)
                      for m in measures[issue.pk]],
        )
        nodes[issue.pk] = node
        problems.append(node)
        if issue.parent_id in nodes:
            parent = nodes[issue.parent_id]
            node.heading = min(6, parent.heading + 1)
            parent.children.append(node)
            continue
        node.heading = 4 if issue.category else 3
        if not sections or sections[-1].title != issue.category:
            number = sum(1 for s in sections if s.title) + 1 if issue.category else None
            sections.append(Section(
                anchor=f"category-{number}" if number else None, number=number, title=issue.category,
                html=marked(issue.category, terms) if issue.category else None,
            ))
        sections[-1].problems.append(node)
    return Outline(sections, problems, sum(len(v) for v in measures.values()))
