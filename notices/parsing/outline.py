"""Stage 3, outline: paragraphs -> a tree of headings with their status blocks and measures.

The nesting is read from the document, not fixed per label style: a label style seen for
the first time opens a level below the current one; a style already open closes the levels
below it. A style that continues an open level's numbering (seed 003: "(一)" then "2." "3.")
joins that level. After a status marker ("整改情况:", "完成情况:") paragraphs are the
problem's measures until a heading of an open level comes. Which levels are categories,
issues, sub-issues or measures is decided afterwards, in roles.py.
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field

from . import patterns as P
from .labels import Label, Segment, match_label, split_enumeration
from .types import NormalizedText

Line = tuple[str, str]
_INLINE_STYLES = {name for name, _ in P.INLINE_ENUMERATORS}


@dataclass
class Node:
    """A heading and what stands under it. Mutable while the tree is built; internal."""

    label: Label | None
    head: Line  # the heading's text after its label, (printed, folded)
    children: list["Node"] = field(default_factory=list)
    paragraphs: list[Line] = field(default_factory=list)  # before any status marker
    measures: list[Segment] = field(default_factory=list)
    status: str | None = None
    has_marker: bool = False
    alias_styles: set[str] = field(default_factory=set)  # other styles its children use

    @property
    def style(self) -> str | None:
        return self.label.style if self.label else None

    @property
    def number(self) -> int | None:
        return self.label.number if self.label else None


def status_from_marker(word: str, rest: str) -> str | None:
    """完成情况 -> done, 推进情况 -> in_progress; 整改情况 and 整改进展情况 say neither."""
    stated = P.STATUS_VALUE.match(rest.strip())
    if stated:
        return "done" if stated.group("done") else "in_progress"
    if P.STATUS_DONE_WORDS.search(word):
        return "done"
    if P.STATUS_PROGRESS_WORDS.search(word):
        return "in_progress"
    return None


def _split_inline_markers(lines: tuple[Line, ...]) -> list[Line]:
    """Put a status marker glued after a heading on its own line: "1.关于…问题。整改情况:…"."""
    out: list[Line] = []
    for printed, folded in lines:
        cuts = [m.start() for m in P.INLINE_STATUS_MARKER.finditer(folded)] if len(folded) > 6 else []
        start = 0
        for cut in cuts:
            if folded[start:cut].strip():
                out.append((printed[start:cut].strip(), folded[start:cut].strip()))
            start = cut
        out.append((printed[start:].strip(), folded[start:].strip()))
    return [line for line in out if line[0]]


def _trailing_signature(lines: list[Line]) -> int:
    """Index where a trailing signature (organisation name, date) starts; len(lines) if none."""
    end = len(lines)
    while end > 0:
        folded = lines[end - 1][1]
        short_org = len(folded) <= 40 and P.ORG_SUFFIX.search(folded) and not any(c in folded for c in "。,，;；:：")
        if P.DATE_LINE.match(folded) or (short_org and end >= len(lines) - 2):
            end -= 1
        else:
            break
    return end


class _Builder:
    def __init__(self) -> None:
        self.root = Node(None, ("", ""))
        self.stack: list[Node] = [self.root]
        self.block: Node | None = None  # the node whose status block is open
        self.block_styles: set[str] = set()

    # -- headings --------------------------------------------------------------------------

    def _level_for(self, label: Label) -> int:
        """Stack index the new heading takes: a sibling's, or one below the top."""
        for i in range(len(self.stack) - 1, 0, -1):
            if self.stack[i].style == label.style or label.style in self.stack[i - 1].alias_styles:
                return i
        if label.number and label.number > 1:
            for i in range(len(self.stack) - 1, 0, -1):
                if self.stack[i].number == label.number - 1:
                    self.stack[i - 1].alias_styles.add(label.style)
                    return i
        return len(self.stack)

    def _is_open_style(self, label: Label) -> bool:
        return any(node.style == label.style or label.style in node.alias_styles for node in self.stack)

    def _continues_open_level(self, label: Label) -> bool:
        return bool(label.number and label.number > 1 and any(n.number == label.number - 1 for n in self.stack[1:]))

    def heading(self, label: Label, printed: str, folded: str) -> None:
        if self.block is not None:
            # Inside a status block a label is a measure unless its style is an open level
            # (or, for a style new here, continues an open level's numbering: seed 003).
            structural = self._is_open_style(label) or (
                label.style not in self.block_styles and self._continues_open_level(label)
            )
            if not structural:
                self._measure_line(label, printed, folded)
                return
            self.block = None
        level = self._level_for(label)
        del self.stack[level:]
        node = Node(label, (printed[label.end :].strip(), folded[label.end :].strip()))
        self.stack[-1].children.append(node)
        self.stack.append(node)

    # -- status blocks and measures ------------------------------------------------------

    def marker(self, match: re.Match[str], printed: str, folded: str) -> None:
        node = self.block if self.block is not None else self.stack[-1]
        rest_p, rest_f = printed[match.end() :], folded[match.end() :]
        if not node.has_marker:
            node.status = status_from_marker(match.group("word"), rest_f)
        node.has_marker = True
        self.block, self.block_styles = node, set()
        stated = P.STATUS_VALUE.match(rest_f.strip())
        if stated and len(rest_f.strip()) <= stated.end() + 2:
            return  # "整改完成情况:已完成。" states a status, not a step
        # A second marker ("整改措施:…" then "整改成效:…") starts new steps, never continues one.
        segments = split_enumeration(rest_p, rest_f)
        self.block_styles.update(segment.style for segment in segments if segment.style)
        node.measures.extend(segments)

    def _measure_line(self, label: Label, printed: str, folded: str) -> None:
        assert self.block is not None
        self.block_styles.add(label.style)
        forced = label.style if label.style in _INLINE_STYLES and label.style != "ar_dot" else None
        segments = split_enumeration(printed, folded, forced, max(0, (label.number or 1) - 1))
        if not segments or segments[0].label is None:  # the splitter did not see this label
            segments = [Segment(label.printed, printed[label.end :].strip(), label.style, label.number)]
        self.block.measures.extend(segments)

    def _plain_in_block(self, printed: str, folded: str) -> None:
        assert self.block is not None
        if not printed.strip():
            return
        measures = self.block.measures
        if measures and measures[-1].label is not None:
            # A paragraph under a numbered step continues it, unless it carries on the
            # numbering inside ("…。三是…" where a page or line break fell before it).
            last = measures[-1]
            inline = last.style in _INLINE_STYLES
            segments = split_enumeration(printed, folded, last.style, last.number or 0) if inline else []
            numbered = [segment for segment in segments if segment.label is not None]
            if not numbered:
                head = printed.strip()
            else:
                head = segments[0].text if segments[0].label is None else ""
            measures[-1] = Segment(last.label, f"{last.text}\n{head}" if head else last.text, last.style, last.number)
            measures.extend(numbered)
            return
        segments = split_enumeration(printed, folded)
        self.block_styles.update(segment.style for segment in segments if segment.style)
        measures.extend(segments)

    # -- paragraphs ----------------------------------------------------------------------

    def paragraph(self, printed: str, folded: str) -> None:
        if P.ISSUE_ATTRIBUTE.match(folded):
            node = self.block if self.block is not None else self.stack[-1]
            stated = P.STATUS_VALUE.search(folded)
            if stated and node.status is None and P.STATUS_ATTRIBUTE.match(folded):
                node.status = "done" if stated.group("done") else "in_progress"
            return
        if self.block is not None:
            self._plain_in_block(printed, folded)
        else:
            self.stack[-1].paragraphs.append((printed, folded))


def build_tree(norm: NormalizedText) -> tuple[Node, list[Line]]:
    """The heading tree of a notice's body, and the lines after its findings (contact, signature)."""
    lines = _split_inline_markers(tuple(zip(norm.lines, norm.folded)))
    end = _trailing_signature(lines)
    builder = _Builder()
    closing: list[Line] = []
    for index, (printed, folded) in enumerate(lines[:end]):
        if P.CLOSING_LINE.match(folded) and builder.root.children:
            closing = lines[index:]
            break
        if (marker := P.STATUS_MARKER.match(folded)) and builder.root.children:
            builder.marker(marker, printed, folded)
        elif label := match_label(printed, folded):
            builder.heading(label, printed, folded)
        else:
            builder.paragraph(printed, folded)
    else:
        closing = lines[end:]
    return builder.root, closing
