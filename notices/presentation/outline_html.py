"""A notice's problems and its table of contents as HTML: the two lists of a notice page that
repeat per problem and measure.

They were recursive template includes, one render per problem and level, and a URL reversed
per topic tag: at 20,000 notices about a third of a notice page's template time. Built here
in one pass, with the same markup; the page's template places them.
"""
from __future__ import annotations

from urllib.parse import quote

from django.urls import reverse
from django.utils.html import conditional_escape as esc
from django.utils.safestring import SafeString, mark_safe

from .outline import ProblemNode
from .text import typeset


def problem_items(nodes: list[ProblemNode]) -> SafeString:
    """The <li> of each problem, with its measures and sub-problems (the outline's <ol class="problems">)."""
    topic_url = reverse("notices:problems") + "?topic="
    out: list[str] = []
    for node in nodes:
        _problem(node, topic_url, out)
    return mark_safe("".join(out))


def _problem(node: ProblemNode, topic_url: str, out: list[str]) -> None:
    group = "" if node.is_problem else " problem-group"
    label = f'<span class="label">{esc(typeset(node.label))}</span>' if node.label else ""
    badge = f'<span class="badge {esc(node.status_css)}">{esc(node.status_label)}</span>' if node.status_label else ""
    source = f'<a href="#{esc(node.text_anchor)}">原文位置</a>' if node.text_anchor else ""
    tags = "".join(f'<a class="tag" href="{esc(topic_url + quote(slug))}" title="其他通报中“{esc(name)}”方面的问题">{esc(name)}</a>'
                   for slug, name in node.topics)
    out.append(
        f'\n<li class="problem depth-{node.depth}{group}" id="{esc(node.anchor)}">\n'
        f'  <div class="problem-head">\n'
        f'    <h{node.heading} class="problem-title">{label}{node.html}</h{node.heading}>\n'
        f'    {badge}\n'
        f'  </div>\n'
        f'  <p class="problem-tools">\n'
        f'    <a class="permalink" href="#{esc(node.anchor)}" aria-label="问题 {node.number} 的链接">#{node.number}</a>\n'
        f'    {source}\n'
        f'    {tags}\n'
        f'  </p>\n  '
    )
    if node.measures:
        out.append('\n  <ol class="measures" aria-label="整改措施">\n    ')
        for measure in node.measures:
            measure_label = f'<span class="label">{esc(typeset(measure.label))}</span>' if measure.label else ""
            out.append(f'<li id="{esc(measure.anchor)}">{measure_label}{measure.html}</li>')
        out.append("\n  </ol>\n  ")
    out.append("\n  ")
    if node.children:
        out.append('\n  <ol class="problems sub">')
        for child in node.children:
            _problem(child, topic_url, out)
        out.append("</ol>\n  ")
    out.append("\n</li>\n")


def toc_items(nodes: list[ProblemNode]) -> SafeString:
    """The table of contents' <li> of each problem, with its sub-problems."""
    out: list[str] = []
    for node in nodes:
        _toc(node, out)
    return mark_safe("".join(out))


def _toc(node: ProblemNode, out: list[str]) -> None:
    status = (f'<span class="dot {esc(node.status_css)}" title="{esc(node.status_label)}"></span>'
              f'<span class="visually-hidden">（{esc(node.status_label)}）</span>') if node.status else ""
    label = f'<span class="label">{esc(typeset(node.label))}</span>' if node.label else ""
    out.append(f'\n<li class="toc-problem"><a href="#{esc(node.anchor)}">{status}{label}{esc(typeset(node.title))}</a>\n')
    if node.children:
        out.append("<ol>")
        for child in node.children:
            _toc(child, out)
        out.append("</ol>")
    out.append("</li>\n")
