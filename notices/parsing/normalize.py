"""Stage 2, normalise: decoded text -> NormalizedText (clean paragraphs, printed and folded).

In order: fold compatibility forms (chars.fold_compatibility) while keeping circled numbers,
drop markdown bold, invisible characters and inserted romanisation; split a notice captured
on one line back into paragraphs; read the page's disclosure block, bylines and datelines into
page_fields (byline.py); drop page chrome; take the title off the top; join lines a page break cut.
"""
from __future__ import annotations

import re
from functools import lru_cache

from . import patterns as P
from .byline import HEAD_MAX_LINES, TITLE_MAX_CHARS, is_body_line, read_disclosure
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
HEAD_REGION_CHARS = 400  # where a flattened page's title, byline and chrome end
WRAPPED_HEADING_CHARS = 25  # a bare heading this long that stops mid-sentence was wrapped
RUN_ON_MIN_CHARS = 150  # shorter paragraphs hold one paragraph (or a title and its byline)

Line = tuple[str, str]  # (printed, folded)


@lru_cache(maxsize=1)
def _t2s():
    from opencc import OpenCC  # imported on first use: module import stays cheap

    return OpenCC("t2s")


_CIRCLED_RE = re.compile("[" + "".join(_CIRCLED) + "]")
_PRIVATE_RE = re.compile("[" + "".join(_PRIVATE) + "]")


def _protect(text: str) -> str:
    return text.translate(_PROTECT) if _CIRCLED_RE.search(text) else text  # translate is slow on long text


def fold_for_matching(printed: str) -> str:
    """Simplified, mainland-vocabulary form of a printed line, of exactly the same length."""
    folded = _t2s().convert(printed)
    if len(folded) != len(printed):  # a phrase rule changed the length: fold char by char
        folded = "".join(_t2s().convert(ch) if len(_t2s().convert(ch)) == 1 else ch for ch in printed)
    for word, mainland in P.VOCABULARY.items():
        if word in folded:
            folded = folded.replace(word, mainland)
    return _protect(folded)


def clean_characters(text: str) -> str:
    """Compatibility forms folded, circled numbers kept, bold, invisibles and romanisation gone."""
    text = fold_compatibility(_protect(text))
    if _PRIVATE_RE.search(text):
        text = text.translate(_RESTORE)
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
    lines = split_run_on(lines)
    fields, lines = read_disclosure(lines)
    page_fields = {**fields, **{k: v for k, v in doc.page_metadata.items() if v}}
    lines = [line for line in lines if not P.CHROME_LINE.match(line[1])]
    title, title_date, letterhead, lines = take_title(lines, page_fields.get("title"))
    lines = join_broken_lines(lines)
    return NormalizedText(
        lines=tuple(p for p, _ in lines),
        folded=tuple(f for _, f in lines),
        title=title,
        title_folded=fold_for_matching(title) if title else None,
        title_date=title_date,
        letterhead=letterhead,
        page_fields=page_fields,
    )


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
    """Split paragraphs that hold several, as a capture that lost its line breaks has.

    A paragraph start after white space always splits (a flattened page keeps the breaks as
    spaces); after sentence punctuation or glued to a bare heading only in a notice of a
    few huge lines, where no paragraph is that long on purpose.
    """
    longest = max((len(f) for _, f in lines), default=0)
    one_line = (len(lines) <= 8 and longest >= ONE_LINE_MIN_CHARS) or (len(lines) <= 3 and longest >= 400)
    out: list[Line] = []
    for index, line in enumerate(lines):
        folded = line[1]
        if not one_line and (intro := P.RUN_ON_AFTER_INTRO.search(folded)):  # "…公布如下:1.理论学习…"
            head, rest = _split_line(line, [intro.end()])
            out.append(head)
            line, folded = rest, rest[1]
        if len(folded) < RUN_ON_MIN_CHARS:
            # A title with its byline on one line: "…的通报 发布时间:2026-01-08 访问次数:424".
            in_head = index < HEAD_MAX_LINES and " " in folded
            cuts = [m.end() for m in P.RUN_ON_HEAD.finditer(folded)] if in_head else []
            out.extend(_split_line(line, cuts) if cuts else [line])
            continue
        spaced = " " in folded
        cuts = [m.end() for m in P.RUN_ON_AFTER_SPACE.finditer(folded)] if spaced else []
        if folded.rstrip().endswith("日"):
            cuts += [m.end() for m in P.RUN_ON_SIGNATURE.finditer(folded)]
        if index == 0 or one_line:
            if glued := P.GLUED_TITLE.match(folded):
                cuts.append(glued.end())
            openings = [P.GLUED_OPENING.search(folded, 0, HEAD_REGION_CHARS)]
            if one_line:
                openings.append(P.GLUED_OPENING_ANYWHERE.search(folded, 1, HEAD_REGION_CHARS))
            head_end = min((m.start() for m in openings if m), default=HEAD_REGION_CHARS)
            if head_end < HEAD_REGION_CHARS:
                cuts.append(head_end)
            if one_line:
                cuts += [m.start(1) for m in P.RUN_ON_HEAD_GLUED.finditer(folded, 0, head_end)]
            else:
                cuts += [m.end() for m in P.RUN_ON_HEAD.finditer(folded, 0, head_end)]
        if one_line:
            cuts += [m.end() for m in P.RUN_ON_AFTER_STOP.finditer(folded)]
            cuts += [m.end() for m in P.RUN_ON_GLUED.finditer(folded)]
        out.extend(_split_line(line, cuts) if cuts else [line])
    return out


# -- title -----------------------------------------------------------------------------------


def _squeeze(text: str) -> str:
    """Drop white space inside a title, except between two Latin letters or digits."""
    return _SPACE.sub(_keep_latin_space, text).strip()


_SPACE = re.compile(r"\s+")


def _keep_latin_space(match: re.Match[str]) -> str:
    before, after = match.string[match.start() - 1 : match.start()], match.string[match.end() : match.end() + 1]
    return " " if before.isascii() and after.isascii() and before.isalnum() and after.isalnum() else ""


def _title_candidate(lines: list[Line], start: int, count: int) -> tuple[str, str | None] | None:
    """The title made of lines[start:start + count] and a date glued on it, if they form one."""
    chunk = lines[start : start + count]
    if len(chunk) < count or any(is_body_line(f) for _, f in chunk):
        return None
    joined_f = _folded_join(chunk)
    if len(joined_f) > TITLE_MAX_CHARS or (count == 1 and not P.TITLE_SUBJECT.search(joined_f)):
        return None
    match = P.TITLE_END.search(joined_f)
    if not (match or P.TITLE_WORDS.search(joined_f)):
        return None
    title = _squeeze("".join(p for p, _ in chunk))
    if column := P.COLUMN_PREFIX.match(joined_f):
        title = title[len(_squeeze(joined_f[: column.end()])) :]
    date = match.group("date") if match else None
    if date:
        title = title[: len(title) - len(_squeeze(date))].rstrip()
    return title, date


def take_title(lines: list[Line], page_title: str | None) -> tuple[str | None, str | None, str | None, list[Line]]:
    """Find the title among the first lines; return it, its date, a letterhead above it, and the rest.

    A single line that names its subject wins; otherwise up to three lines joined (a title
    split by the print). It may be printed twice, and have its date glued on or on the line
    below; the page's own title (from its disclosure block) stands in when the text has none.
    """
    head = min(len(lines), HEAD_MAX_LINES)
    first_body = next((i for i in range(head) if is_body_line(lines[i][1])), head)
    for count in (1, 2, 3):
        for start in range(first_body):
            if _title_candidate(lines[:first_body], start, count):
                start, count = _split_title_extent(lines[:first_body], start, count)
                title, date = _title_candidate(lines[:first_body], start, count)
                after = lines[start + count :]
                if date is None and after and P.DATE_LINE.match(after[0][1]):
                    date, after = after[0][0], after[1:]
                letterhead = _letterhead(lines[:start], title)
                # Short lines above the title are page furniture (menus, a document number).
                rest = [line for line in lines[:start] if len(line[1]) > 40] + after
                return title, date, letterhead, _drop_repeats(rest, _squeeze(fold_for_matching(title)), date)
    if page_title:
        title = _squeeze(page_title)
        return title, None, None, _drop_repeats(lines, _squeeze(fold_for_matching(title)), None)
    return None, None, None, lines


def _split_title_extent(lines: list[Line], start: int, count: int) -> tuple[int, int]:
    """The lines of the title found on lines[start:start + count], with the pieces around
    them when the print split it so that its last pieces read as a title alone.

    Pieces above belong to it when they hold the title's 关于 ("…党组关于市委第六巡" over
    "察组反馈意见…的通报"), a piece below when it is the end of a title ("…巡视整改进展
    情况" over "的通报", P.TITLE_TAIL). A party organ alone above "关于…" is a letterhead instead.
    """
    found = _folded_join(lines[start : start + count])
    if not P.ABOUT.search(found):
        lowest = max(start - (3 - count), 0)  # a title has three lines at most
        for top in range(start - 1, lowest - 1, -1):
            if not _title_piece(lines[top][1]):
                break
            above = _folded_join(lines[top:start])
            if P.ABOUT.search(above + found[:1]) and _title_candidate(lines, top, start - top + count):
                start, count = top, start - top + count
                break
    end = start + count
    if count < 3 and end < len(lines):
        joined, below = _folded_join(lines[start:end]), _squeeze(lines[end][1])
        if (P.TITLE_TAIL.match(below) and not P.TITLE_END.search(joined)
                and _title_candidate(lines, start, count + 1)):
            count += 1
    return start, count


def _folded_join(lines: list[Line]) -> str:
    return _squeeze("".join(f for _, f in lines))


def _title_piece(folded: str) -> bool:
    """Whether a head line may be a piece of a split title: not a whole title (one printed
    twice), a date, a byline or a menu."""
    line = _squeeze(folded)
    return bool(line) and not (P.TITLE_END.search(line) or P.DATE_LINE.match(line) or P.NOT_TITLE_PIECE.search(line))


def _letterhead(above: list[Line], title: str) -> str | None:
    """"中共某某县委员会" printed alone above "关于…的通报": the issuer of a title without one."""
    if not above or not fold_for_matching(title).startswith(("关于", "对于")):
        return None
    printed, folded = above[-1]
    if len(folded) <= 30 and (P.PARTY_SUFFIX.search(folded) or P.PARTY_PREFIX.match(folded)):
        return _squeeze(printed)
    return None


def _drop_repeats(lines: list[Line], title_folded: str, date: str | None) -> list[Line]:
    """Remove the title printed again near the top (whole, or a piece of a split print of it)."""
    out = []
    for index, line in enumerate(lines):
        if index < HEAD_MAX_LINES and len(line[1]) <= TITLE_MAX_CHARS * 2:
            squeezed = _squeeze(line[1])
            if squeezed and (
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
        # "(二)关于压紧压实…还不够到位,重点" + "领域廉政风险防控不足,不正之风仍然存在方面";
        # or, when it filled the line, with the short rest of its sentence: "…对社会组织的监" +
        # "管还不力。" (a wrapped heading; "一、总体情况" + "局党组高度重视…。" is not one).
        if prev_f[-1:] in ",，、(（“《" or (len(next_f) <= 60 and not P.SENTENCE_END.search(next_f)):
            return True
        one_sentence = len(P.SENTENCE_SPLIT.findall(next_f)) <= 1
        return len(prev_f) >= WRAPPED_HEADING_CHARS and len(next_f) <= 40 and one_sentence
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
