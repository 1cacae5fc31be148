"""The head of a captured page: its disclosure block, bylines and datelines, read into fields.

"• 发布机构:婺城区文旅体局", "发布时间:2026-01-08 访问次数:424", a disclosure table flattened to
one label or value a line, and the dates pages print without a label ("2024-03-12 10:05",
"2022-05-09 08:31:07来源:某局"). What is read leaves the lines; the rest goes on to normalize.
"""
from __future__ import annotations

from . import patterns as P

Line = tuple[str, str]  # (printed, folded)
TITLE_MAX_CHARS = 100
HEAD_MAX_LINES = 15  # a web capture may keep a whole navigation menu above the title
BYLINE_LEAD_CHARS = 12  # text before a byline's first key: a bullet or a word, never a title


def is_body_line(folded: str) -> bool:
    """A line of the notice's body, never of its head: long, an opening, a heading or a sentence."""
    return (
        len(folded) > TITLE_MAX_CHARS
        or bool(P.OPENING_START.match(folded))
        or any(pattern.match(folded) for _, pattern in P.HEADING_STYLES)
        or "。" in folded
    )


def _byline_pairs(folded: str) -> list[tuple[str, int, int]] | None:
    """(key, value start, value end) for each key in a byline, or None if it is not one."""
    keys = list(P.BYLINE_KEY.finditer(folded))
    if not keys or "。" in folded or len(folded) > 200:
        return None
    # The line must start with a key (after a stray bullet or bracket: "【发布时间:…】"), or hold
    # two keys and little else.
    lead = folded[: keys[0].start()].strip(P.BYLINE_SEPARATORS)
    if lead and (len(keys) < 2 or keys[0].start() > BYLINE_LEAD_CHARS):
        return None
    pairs = []
    for i, match in enumerate(keys):
        end = keys[i + 1].start() if i + 1 < len(keys) else len(folded)
        pairs.append(("".join(match.group(1).split()), match.end(), end))
    return pairs


def _is_value_line(folded: str, name: str | None) -> bool:
    """Whether a line can be the value of a key printed alone on the line above it."""
    if len(folded) > TITLE_MAX_CHARS or _byline_pairs(folded) is not None or is_body_line(folded):
        return False
    return name == "title" or not P.TITLE_END.search(folded)


def read_disclosure(lines: list[Line]) -> tuple[dict[str, str], list[Line]]:
    """Read disclosure and byline lines into fields; return the fields and the other lines.

    A key whose value is on the next line ("• 文件名称:" then the name) takes that line.
    The first value of a key wins: the disclosure block comes before any byline.
    """
    fields: dict[str, str] = {}
    kept: list[Line] = []
    skip_next = False
    head_end = _head_end(lines)
    title_at = next((i for i in range(head_end) if P.TITLE_END.search(lines[i][1])), head_end)
    for i, (printed, folded) in enumerate(lines):
        if skip_next:
            skip_next = False
            continue
        if i < head_end and _read_dateline(printed, folded, fields, clock=i < title_at):
            continue
        key = "".join(folded.split()).rstrip(":：")
        if i < head_end and key in P.DISCLOSURE_KEYS and i + 1 < len(lines):
            # A disclosure table flattened to lines: "发布机构" on one line, its value on the next.
            name = P.DISCLOSURE_KEYS[key]
            if _is_value_line(lines[i + 1][1], name):
                _set_field(fields, name, lines[i + 1][0].strip())
                skip_next = True
                continue
        pairs = _byline_pairs(folded)
        if pairs is None:
            kept.append((printed, folded))
            continue
        for key, start, end in pairs:
            name = P.DISCLOSURE_KEYS.get(key)
            value = printed[start:end].strip()
            if not value and len(pairs) == 1 and i + 1 < len(lines) and _is_value_line(lines[i + 1][1], name):
                value, skip_next = lines[i + 1][0].strip(), True
            _set_field(fields, name, value)
    return fields, kept


def _set_field(fields: dict[str, str], name: str | None, value: str) -> None:
    """Keep the first value of a field; a source or author with its date after it
    ("来源:某某日报 2023-08-15", "作者:办公室 2022-03-04") gives the date too."""
    if name not in ("publish_date", "written_date") and (dated := P.TRAILING_DATE.search(value)):
        fields.setdefault("publish_date", dated.group(1))
        value = value[: dated.start()].strip()
    if name and value and name not in fields:
        fields[name] = value


def _head_end(lines: list[Line]) -> int:
    """Index of the first line of the body: the head above it holds the page's datelines."""
    for index, (_, folded) in enumerate(lines[:HEAD_MAX_LINES]):
        if is_body_line(folded) and not P.DATELINE.match(folded):
            return index
    return min(len(lines), HEAD_MAX_LINES)


def _read_dateline(printed: str, folded: str, fields: dict[str, str], clock: bool) -> bool:
    """Read a page's unlabelled date line ("2024-03-12 10:05", "2022-05-09 08:31:07来源:某局",
    "2024-11-02 15:00 某省纪委监委网站") into fields; False when the line is no dateline.
    clock: the line stands above the title, where a date with a weekday is the site's clock."""
    match = P.DATELINE.match(folded)
    if match is None or len(folded) > TITLE_MAX_CHARS:
        return False
    rest_start = match.start("rest")
    while rest_start < len(folded) and folded[rest_start] in P.BYLINE_SEPARATORS:
        rest_start += 1
    rest_p = printed[rest_start:].rstrip(P.BYLINE_SEPARATORS)
    rest_f = folded[rest_start:].rstrip(P.BYLINE_SEPARATORS)
    pairs = _byline_pairs(rest_f) if rest_f else []
    if pairs is None and (is_body_line(rest_f) or any(c in rest_f for c in P.SENTENCE_MARKS)):
        return False
    if clock and match.group("weekday"):
        return True  # dropped: "2019年3月5日 星期二" over the page is no date of the notice
    fields.setdefault("publish_date", printed[match.start("date") : match.end("date")])
    for key, start, end in pairs or []:
        _set_field(fields, P.DISCLOSURE_KEYS.get(key), printed[rest_start + start : rest_start + end].strip())
    if pairs is None and rest_f:
        _set_field(fields, "source", rest_p)  # "2024-11-02 15:00 某省纪委监委网站"
    return True
