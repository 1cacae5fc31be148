"""A long notice's page in parts, so that no page's HTML grows with the notice.

Real notices fit in one part (the longest sample is about 16,000 characters) and their
page is unchanged. A longer one is cut between paragraphs of the original every
PART_CHARS characters; part k shows those paragraphs and the problems that start in them
(with their measures), and links to the other parts. A problem whose parent starts in an
earlier part is shown at the top level of its own part.
"""
from __future__ import annotations

from dataclasses import dataclass, replace

from .outline import Outline, ProblemNode, Section

# Characters of original text per part. A part's page holds them about twice (the outline
# repeats the problems and measures) at about three bytes a character, plus markup:
# well under 1 MB.
PART_CHARS = 60_000


@dataclass(frozen=True)
class Parts:
    ranges: list[tuple[int, int]]  # [first line, end line) of each part
    current: int  # 1-based

    @property
    def count(self) -> int:
        return len(self.ranges)

    @property
    def lines(self) -> range:
        return range(*self.ranges[self.current - 1])

    def of_line(self, index: int) -> int:
        return next(number for number, (first, end) in enumerate(self.ranges, 1) if first <= index < end)


def split(lines: list[str], wanted: int) -> Parts:
    """Cut the lines into parts of at most PART_CHARS characters (a longer line is a part alone)."""
    ranges: list[tuple[int, int]] = []
    first, size = 0, 0
    for index, line in enumerate(lines):
        if size and size + len(line) > PART_CHARS:
            ranges.append((first, index))
            first, size = index, 0
        size += len(line)
    ranges.append((first, len(lines)))
    return Parts(ranges, min(max(wanted, 1), len(ranges)))


def outline_part(outline: Outline, found: list[int | None], parts: Parts) -> tuple[list[Section], list[ProblemNode]]:
    """The sections to show for the current part, and the problems in them in document order."""
    if parts.count == 1:
        return outline.sections, outline.problems
    shown: set[int] = set()
    part = 1
    for node, index in zip(outline.problems, found):
        part = parts.of_line(index) if index is not None else part  # unplaced: with the one before
        if part == parts.current:
            shown.add(id(node))

    def keep(node: ProblemNode) -> list[ProblemNode]:
        children = [kept for child in node.children for kept in keep(child)]
        return [replace(node, children=children)] if id(node) in shown else children

    sections = []
    for section in outline.sections:
        problems = [kept for node in section.problems for kept in keep(node)]
        if problems:
            sections.append(replace(section, problems=problems))
    return sections, [node for node in outline.problems if id(node) in shown]
