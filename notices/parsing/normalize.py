"""Stage 2, normalise: decoded text -> NormalizedText (clean paragraphs, printed and folded).

In order: fold compatibility forms (chars.fold_compatibility) while keeping circled numbers,
drop markdown bold, invisible characters and inserted romanisation; read the page's
disclosure block and byline into page_fields; drop page chrome; split a notice captured on
one line back into paragraphs; take the title off the top; join lines a page break cut.
"""
from __future__ import annotations

from functools import lru_cache

from . import patterns as P
from .chars import fold_compatibility
from .types import DecodedDocument, NormalizedText

# Circled numbers ①-⑳, ㉑-㉟, ㊱-㊿: NFKC turns them into plain digits, losing the label
# style, so they travel as private-use characters through fold_compatibility.
_CIRCLED = [chr(c) for c in range(0x2460, 0x2474)] + [chr(c) for c in range(0x3251, 0x3260)] + [
    chr(c) for c in range(0x32B1, 0x32C0)
]
_PRIVATE = [chr(0xE000 + i) for i in range(len(_CIRCLED))]
_PROTECT = str.maketrans(dict(zip(_CIRCLED, _PRIVATE)))
_RESTORE = str.maketrans(dict(zip(_PRIVATE, _CIRCLED)))

ONE_LINE_MIN_CHARS = 1500  # a paragraph this long in a notice of few lines is a flattened notice
TITLE_MAX_CHARS = 100
HEAD_MAX_LINES = 6  # the title sits within the first lines once chrome is gone

Line = tuple[str, str]  # (printed, folded)


@lru_cache(maxsize=1)
def _t2s():
    from opencc import OpenCC  # imported on first use: module import stays cheap

    return OpenCC("t2s")


def fold_for_matching(printed: str) -> str:
    """Simplified, mainland-vocabulary form of a printed line, of exactly the same length."""
    folded = _t2s().convert(printed)
    if len(folded) != len(printed):  # a phrase rule changed the length: fold char by char
        folded = "".join(_t2s().convert(ch) if len(_t2s().convert(ch)) == 1 else ch for ch in printed)
    for word, mainland in P.VOCABULARY.items():
        if word in folded:
            folded = folded.replace(word, mainland)
    return folded.translate(_PROTECT)


def clean_characters(text: str) -> str:
    """Compatibility forms folded, circled numbers kept, bold, invisibles and romanisation gone."""
    text = fold_compatibility(text.translate(_PROTECT)).translate(_RESTORE)
    text = P.INVISIBLE.sub("", text)
    text = P.MARKDOWN_BOLD.sub("", text)
    text = P.ROMANISATION.sub("", text)
    return text.replace("\t", " ").replace("\r\n", "\n").replace("\r", "\n")


def normalize(doc: DecodedDocument) -> NormalizedText:
    text = clean_characters(doc.text)
    lines: list[Line] = []
    for raw in text.split("\n"):
        printed = P.BULLET.sub("", raw.strip()).strip()
        if printed:
            lines.append((printed, fold_for_matching(printed)))
    fields, lines = read_disclosure(lines)
    page_fields = {**fields, **{k: v for k, v in doc.page_metadata.items() if v}}
    lines = [line for line in lines if not P.CHROME_LINE.match(line[1])]
    lines = split_run_on(lines)
    title, title_date, lines = take_title(lines, page_fields.get("title"))
    lines = join_broken_lines(lines)
    return NormalizedText(
        lines=tuple(p for p, _ in lines),
        folded=tuple(f for _, f in lines),
        title=title,
        title_folded=fold_for_matching(title) if title else None,
        title_date=title_date,
        page_fields=page_fields,
    )


# -- disclosure block and byline ---------------------------------------------------------


def _byline_pairs(folded: str) -> list[tuple[str, int, int]] | None:
    """(key, value start, value end) for each key in a byline, or None if it is not one."""
    keys = list(P.BYLINE_KEY.finditer(folded))
    if not keys or "。" in folded or len(folded) > 200:
        return None
    # The line must start with a key (after a stray bullet), or hold two keys and little else.
    if keys[0].start() > 0 and (len(keys) < 2 or keys[0].start() > 40):
        return None
    pairs = []
    for i, match in enumerate(keys):
        end = keys[i + 1].start() if i + 1 < len(keys) else len(folded)
        pairs.append(("".join(match.group(1).split()), match.end(), end))
    return pairs


def _is_value_line(folded: str, name: str | None) -> bool:
    """Whether a line can be the value of a key printed alone on the line above it."""
    if len(folded) > TITLE_MAX_CHARS or _byline_pairs(folded) is not None or _is_body_line(folded):
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
    for i, (printed, folded) in enumerate(lines):
        if skip_next:
            skip_next = False
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
            if name and value and name not in fields:
                fields[name] = value
    return fields, kept


# -- one-line notices ----------------------------------------------------------------------


def _split_line(line: Line, cuts: list[int]) -> list[Line]:
    printed, folded = line
    bounds = [0, *sorted(set(c for c in cuts if 0 < c < len(folded))), len(folded)]
    pieces = []
    for a, b in zip(bounds, bounds[1:]):
        p, f = printed[a:b].strip(), folded[a:b].strip()
        if p:
            pieces.append((p, f))
    return pieces


def split_run_on(lines: list[Line]) -> list[Line]:
    """Split paragraphs that hold several headings, as a capture that lost its line breaks has.

    Heading labels after white space always start a paragraph (a flattened page keeps the
    breaks as spaces); after sentence punctuation only in a notice of a few huge lines.
    """
    one_line = len(lines) <= 8 and any(len(f) >= ONE_LINE_MIN_CHARS for _, f in lines)
    out: list[Line] = []
    for index, line in enumerate(lines):
        folded = line[1]
        if len(folded) < 150:
            out.append(line)
            continue
        cuts = []
        if index == 0 and (glued := P.GLUED_TITLE.match(folded)):
            cuts.append(glued.end())
        for match in P.RUN_ON_HEADING.finditer(folded):
            spaced = match.group(0)[:1].isspace()
            if spaced or one_line:
                cuts.append(match.end())
        out.extend(_split_line(line, cuts) if cuts else [line])
    return out


# -- title -----------------------------------------------------------------------------------


def _squeeze(text: str) -> str:
    """Drop white space inside a title, except between two Latin letters or digits."""
    out = []
    for i, ch in enumerate(text):
        if ch.isspace():
            before, after = text[i - 1 : i], text[i + 1 : i + 2]
            if before.isascii() and after.isascii() and before.isalnum() and after.isalnum():
                out.append(" ")
            continue
        out.append(ch)
    return "".join(out).strip()


def _is_body_line(folded: str) -> bool:
    return (
        len(folded) > TITLE_MAX_CHARS
        or bool(P.OPENING_START.match(folded))
        or any(pattern.match(folded) for _, pattern in P.HEADING_STYLES)
        or "。" in folded
    )


def take_title(lines: list[Line], page_title: str | None) -> tuple[str | None, str | None, list[Line]]:
    """Find the title among the first lines; return it, a date glued on it, and the rest.

    The title may be split over up to three lines and printed twice; the page's own title
    (from its disclosure block) stands in when the text has none.
    """
    head = min(len(lines), HEAD_MAX_LINES)
    for start in range(head):
        if _is_body_line(lines[start][1]):
            break
        joined_p, joined_f = "", ""
        for end in range(start, min(start + 3, head)):
            if _is_body_line(lines[end][1]):
                break
            joined_p += lines[end][0]
            joined_f += lines[end][1]
            squeezed_f = _squeeze(joined_f)
            if len(squeezed_f) > TITLE_MAX_CHARS:
                break
            match = P.TITLE_END.search(squeezed_f)
            if match or P.TITLE_WORDS.search(squeezed_f):
                title = _squeeze(joined_p)
                date = match.group("date") if match else None
                if date:
                    title = title[: len(title) - len(_squeeze(date))].rstrip()
                rest = lines[:start] + lines[end + 1 :]
                return title, date, _drop_repeats(rest, _squeeze(joined_f), date)
    if page_title:
        title = _squeeze(page_title)
        return title, None, _drop_repeats(lines, _squeeze(fold_for_matching(title)), None)
    return None, None, lines


def _drop_repeats(lines: list[Line], title_folded: str, date: str | None) -> list[Line]:
    """Remove the title printed again, and a date-only line right under it, from the top."""
    out = []
    for index, line in enumerate(lines):
        squeezed = _squeeze(line[1])
        if index < HEAD_MAX_LINES and squeezed and (
            squeezed == title_folded or (date is None and squeezed in title_folded and len(squeezed) >= 8)
        ):
            continue
        out.append(line)
    return out


# -- page-break joins ----------------------------------------------------------------------


def _is_heading(folded: str) -> bool:
    return any(pattern.match(folded) for _, pattern in P.HEADING_STYLES)


def _starts_block(folded: str) -> bool:
    return bool(
        _is_heading(folded)
        or P.STATUS_MARKER.match(folded)
        or P.CLOSING_LINE.match(folded)
        or P.DATE_LINE.match(folded)
        or P.ISSUE_ATTRIBUTE.match(folded)
    )


def _is_signature(lines: list[Line], index: int) -> bool:
    """A short organisation name near the end, alone or above the signature date."""
    folded = lines[index][1]
    if len(folded) > 40 or any(ch in folded for ch in "。,，;；:：!！?？"):
        return False
    if not P.ORG_SUFFIX.search(folded):
        return False
    return index >= len(lines) - 3 or bool(P.DATE_LINE.match(lines[index + 1][1]))


def _should_join(previous: Line, lines: list[Line], index: int) -> bool:
    prev_f, next_f = previous[1], lines[index][1]
    if P.SENTENCE_END.search(prev_f) or _starts_block(next_f):
        return False
    if P.CLOSING_LINE.match(prev_f) or P.DATE_LINE.match(prev_f) or _is_signature(lines, index):
        return False
    if _is_heading(prev_f) and not P.SENTENCE_SPLIT.search(prev_f):
        # A bare heading continues only with a short line that is no sentence of its own:
        # "(二)关于压紧压实…还不够到位,重点" + "领域廉政风险防控不足,不正之风仍然存在方面".
        return prev_f[-1:] in ",，、(（“《" or (len(next_f) <= 60 and not P.SENTENCE_END.search(next_f))
    return True


def join_broken_lines(lines: list[Line]) -> list[Line]:
    out: list[Line] = []
    for index, line in enumerate(lines):
        if out and _should_join(out[-1], lines, index):
            printed, folded = out[-1]
            glue = " " if printed[-1:].isascii() and printed[-1:].isalnum() and line[0][:1].isascii() else ""
            out[-1] = (printed + glue + line[0], folded + glue + line[1])
        else:
            out.append(line)
    return out
