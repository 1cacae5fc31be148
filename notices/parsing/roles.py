"""Which headings are categories, issues, sub-issues or measures, and which sections are findings.

Decided from the document, level by level:

- a top-level section is a finding section unless its heading says it is the overview, the
  organisation of the work, the handling of people or the next steps (and names no
  problem), or nothing under it reads as a problem or reports steps;
- a finding section whose heading is generic ("二、巡察反馈问题的整改情况") wraps the real
  list; one that names a group of problems is a category;
- a heading is a category when the headings under it are problems, an issue when it has
  its own status block or measures; leaf headings under an issue are measures when they
  read as steps (long, starting with an action) and sub-issues when they read as problems.
"""
from __future__ import annotations

from dataclasses import dataclass

from . import patterns as P
from .labels import Segment, bare_label, split_enumeration, split_title
from .outline import Line, Node, build_tree
from .types import NormalizedText, ParsedIssue, ParsedMeasure

PREAMBLE_MIN_CHARS = 20  # text before "一是" shorter than this only introduces the list


def problem_like(folded: str) -> bool:
    return bool(P.PROBLEM_WORDS.search(P.PROBLEM_NOISE.sub("", folded)))


def _title(node: Node) -> tuple[str, str, str]:
    printed, folded = node.head
    prefix = P.TITLE_PROBLEM_PREFIX.match(folded)
    if prefix and len(folded) > prefix.end():
        printed, folded = printed[prefix.end() :], folded[prefix.end() :]
    return split_title(printed, folded)


def _has_marker_below(node: Node) -> bool:
    return node.has_marker or any(_has_marker_below(child) for child in node.children)


def _children_name_problems(node: Node) -> bool:
    titled = [child for child in node.children if child.head[1]]
    problems = sum(problem_like(_title(child)[1]) for child in titled)
    return bool(titled) and problems * 2 >= len(titled)


def _declares_non_finding(node: Node) -> bool:
    heading = node.head[1]
    if P.NON_FINDING_STRONG.search(heading):
        return True
    if not P.NON_FINDING_WEAK.search(heading) or problem_like(heading):
        return False
    return not _has_marker_below(node) and not _children_name_problems(node)


def is_finding_section(node: Node) -> bool:
    if _declares_non_finding(node):
        return False
    return _has_marker_below(node) or problem_like(_title(node)[1]) or _children_name_problems(node)


def is_generic_heading(folded: str) -> bool:
    """A heading made only of the words every findings section has: a wrapper, not a category."""
    return len(P.WRAPPER_WORDS.sub("", folded)) <= 2


def _reads_as_measure(node: Node) -> bool:
    title_f = _title(node)[1]
    if problem_like(title_f) and len(title_f) <= 40:
        return False
    return bool(P.MEASURE_START.match(node.head[1]) or len(node.head[1]) > 80 or _title(node)[2])


def _split_children(node: Node) -> tuple[list[Node], list[Node]]:
    """(measure children, issue children): leaves of one label style vote together."""
    votes: dict[str | None, list[bool]] = {}
    for child in node.children:
        if not child.children and not child.has_marker:
            votes.setdefault(child.style, []).append(_reads_as_measure(child))
    measure_styles = {style for style, v in votes.items() if sum(v) * 2 > len(v)}
    measures, issues = [], []
    for child in node.children:
        leaf = not child.children and not child.has_marker
        (measures if leaf and child.style in measure_styles else issues).append(child)
    return measures, issues


def _segments_from_paragraphs(paragraphs: list[tuple[str, str]]) -> list[Segment]:
    segments: list[Segment] = []
    for printed, folded in paragraphs:
        if segments and segments[-1].label is not None:
            last = segments[-1]
            segments[-1] = Segment(last.label, f"{last.text}\n{printed}", last.style)
        else:
            segments.extend(split_enumeration(printed, folded))
    return segments


def _to_measures(segments: list[Segment]) -> list[ParsedMeasure]:
    out = []
    for index, segment in enumerate(segments):
        text = segment.text.strip()
        if not text:
            continue
        introduces_list = index == 0 and len(segments) > 1 and segments[1].label is not None
        if segment.label is None and introduces_list and (
            len(text) < PREAMBLE_MIN_CHARS or text.rstrip().endswith((":", "："))
        ):
            continue  # "具体如下:" introduces the list
        out.append(ParsedMeasure(segment.label, text))
    return out


def build_issue(node: Node, category: str | None) -> ParsedIssue:
    title_p, title_f, rest = _title(node)
    status = node.status
    bracket = P.STATUS_BRACKET.search(title_f)
    if bracket:
        stated = P.STATUS_VALUE.search(bracket.group(1))
        status = status or ("done" if stated and stated.group("done") else "in_progress")
        title_p = title_p[: bracket.start()].rstrip(P.TITLE_TRAILING)
    measure_nodes, issue_nodes = _split_children(node)
    segments = list(node.measures)
    for child in measure_nodes:
        text = "\n".join([child.head[0], *(p for p, _ in child.paragraphs)])
        segments.append(Segment(child.label.printed if child.label else None, text, child.style))
    if not node.has_marker and not segments and not issue_nodes:
        # No status marker: what follows the heading is the step list, if it reads as one.
        body = ([(rest, rest)] if rest else []) + node.paragraphs
        candidates = _segments_from_paragraphs(body)
        if any(s.label for s in candidates) or any(P.MEASURE_START.match(s.text) for s in candidates):
            segments = candidates
    return ParsedIssue(
        category=category,
        label=bare_label(node.label) if node.label else None,
        title=title_p,
        status=status,
        measures=tuple(_to_measures(segments)),
        children=tuple(build_issue(child, None) for child in issue_nodes),
    )


def _is_category(node: Node) -> bool:
    if node.has_marker or node.measures:
        return False
    measure_nodes, issue_nodes = _split_children(node)
    return bool(issue_nodes) and len(issue_nodes) >= len(measure_nodes)


def _top_nodes(root: Node) -> list[Node]:
    """The finding sections, with generic wrappers replaced by what they hold."""
    findings = [node for node in root.children if is_finding_section(node)]
    tops: list[Node] = []
    for node in findings:
        title_f = _title(node)[1]
        single = len(findings) == 1 and not problem_like(title_f)
        if node.children and not node.has_marker and (is_generic_heading(title_f) or single):
            tops.extend(child for child in node.children if not _declares_non_finding(child))
        else:
            tops.append(node)
    return tops


def _lines_of(node: Node) -> list[tuple[str, str]]:
    heading = [(node.label.printed + node.head[0], node.head[1])] if node.label else []
    measures = [(m.text, m.text) for m in node.measures]
    below = [line for child in node.children for line in _lines_of(child)]
    return heading + node.paragraphs + measures + below


def overview_lines(root: Node) -> list[tuple[str, str]]:
    """The opening and the sections that are not findings: where a notice states its totals."""
    lines = list(root.paragraphs)
    for node in root.children:
        if not is_finding_section(node):
            lines.extend(_lines_of(node))
    return lines


def issues_from_tree(root: Node) -> tuple[ParsedIssue, ...]:
    issues: list[ParsedIssue] = []
    for node in _top_nodes(root):
        if _is_category(node):
            category = _title(node)[0]
            _, issue_nodes = _split_children(node)
            issues.extend(build_issue(child, category) for child in issue_nodes)
        else:
            issues.append(build_issue(node, None))
    return tuple(issues)


@dataclass(frozen=True)
class Outline:
    """Stage 3's result: the problem tree, and the paragraphs around it."""

    issues: tuple[ParsedIssue, ...]
    opening: tuple[Line, ...]  # paragraphs before the first heading
    closing: tuple[Line, ...]  # contact lines and signature after the findings
    overview: tuple[Line, ...] = ()  # the opening and the sections that are not findings
    warnings: tuple[str, ...] = ()


def outline(norm: NormalizedText) -> Outline:
    """The heading tree (outline.py) read into problems and measures (this module)."""
    root, closing = build_tree(norm)
    return Outline(
        issues=issues_from_tree(root),
        opening=tuple(root.paragraphs),
        closing=tuple(closing),
        overview=tuple(overview_lines(root)) + tuple(closing),
    )
