"""The inspection a notice reports on: kind, form, round, team, on-site period and feedback date."""
from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from . import patterns as P
from .dates import DateMention, complete_range, find_dates, find_ranges, with_year_near

Text = tuple[str, str]  # (printed, folded)

# The party organ that sends a team, and the level of the units it inspects.
ORGAN_LEVEL = {
    "中央": "central", "自治区党委": "province", "省委": "province", "市委": "city", "州委": "city",
    "盟委": "city", "区委": "county", "县委": "county", "旗委": "county",
}
FEEDBACK_AFTER_CHARS = 20  # "反馈会于2025年1月10日召开": a date just after the word


@dataclass(frozen=True)
class Team:
    printed: str
    organ: str | None
    form: str | None
    round: str | None


@dataclass(frozen=True)
class Inspection:
    kind: str | None = None
    form: str | None = None
    round: str | None = None
    inspector: str | None = None
    organ: str | None = None
    start: dt.date | None = None
    end: dt.date | None = None
    feedback: dt.date | None = None


def _teams(printed: str, folded: str) -> list[Team]:
    """Named inspection teams in a text, in order. A bare "市委第六轮巡察组" names a round, not a team."""
    teams = []
    for tail in P.TEAM_TAIL.finditer(folded):
        window_start = max(0, tail.start() - 24)
        prefix = P.TEAM_PREFIX.search(folded[window_start : tail.start()])
        if prefix is None:
            continue
        numbered = tail.group(0) not in ("巡视组", "巡察组") or prefix.group("number")
        qualifier = prefix.group("qual1") or prefix.group("qual2")
        if not (numbered or qualifier):
            continue
        start = window_start + prefix.start()
        if prefix.group("organ") and not prefix.group("session"):
            start = _with_place(folded, window_start + prefix.start("organ"), prefix.group("organ"))
        round_ = None
        if prefix.group("round") and prefix.group("organ"):
            round_ = printed[start : window_start + prefix.end("round")]
        form = (qualifier + tail.group(0)[:2]) if qualifier and qualifier not in ("常规",) else None
        teams.append(Team(printed[start : tail.end()], prefix.group("organ"), form, round_))
    return teams


PLACE_MAX_CHARS = 8


def _with_place(folded: str, organ_start: int, organ: str) -> int:
    """Where a team's name starts when the organ's place and session precede it, as written:
    "十三届诸暨市委第五轮巡察三组", "会宁县委第二巡察组"; organ_start when no place does."""
    from .gazetteer import gazetteer

    word = organ.removesuffix("党委").removesuffix("委")  # 市委 -> 市, 自治区党委 -> 自治区
    if word not in ("省", "自治区", "市", "州", "盟", "县", "区", "旗"):
        return organ_start
    full = gazetteer().full
    for length in range(PLACE_MAX_CHARS, 1, -1):
        place_start = organ_start - length
        if place_start >= 0 and folded[place_start:organ_start] + word in full:
            session = P.TEAM_SESSION.search(folded, 0, place_start)
            return session.start() if session else place_start
    return organ_start


def find_team(texts: list[Text]) -> Team | None:
    """The first team with a party organ in its name, else the first team, in the given texts."""
    first = None
    for printed, folded in texts:
        for team in _teams(printed, folded):
            if team.organ:
                return team
            first = first or team
    return first


def _first(pattern, texts: list[Text]) -> str | None:
    for printed, folded in texts:
        match = pattern.search(folded)
        if match:
            return printed[match.start() : match.end()]
    return None


def _kind(team: Team | None, texts: list[Text]) -> str | None:
    if team is not None:
        return "巡视" if "巡视" in team.printed or "巡視" in team.printed else "巡察"
    for _, folded in texts:
        match = P.INSPECTION_KIND.search(folded)
        if match:
            return match.group(0)
    return None


def _form(team: Team | None, texts: list[Text]) -> str | None:
    if team is not None and team.form:
        return team.form
    for _, folded in texts:
        match = P.INSPECTION_FORM.search(folded)
        if match:
            return match.group(0) if match.group(1) else "回头看"
    return None


def _period(folded: str, mentions: list[DateMention]) -> tuple[DateMention | None, DateMention | None, bool]:
    """The first date range: (start, end, found). A vague range is found but gives no dates."""
    for first, second in find_ranges(folded, mentions):
        completed = complete_range(first, second)
        if completed is None:
            return None, None, True
        return completed[0], completed[1], True
    return None, None, False


def _feedback_mention(folded: str, mentions: list[DateMention], skip: set[int]) -> DateMention | None:
    """The date of the sentence that says the team fed its findings back."""
    for word in P.FEEDBACK_WORD.finditer(folded):
        sentence_start = max(folded.rfind(mark, 0, word.start()) for mark in "。;；") + 1
        before = [
            m for m in mentions
            if sentence_start <= m.start < word.start() and m.start not in skip and m.day and m.month
        ]
        if before:
            return before[-1]
        after = [
            m for m in mentions
            if word.end() <= m.start <= word.end() + FEEDBACK_AFTER_CHARS and m.day and m.month
        ]
        if after:
            return after[0]
    return None


def _resolve_dates(opening: str, publish: dt.date | None) -> tuple[dt.date | None, dt.date | None, dt.date | None]:
    mentions = find_dates(opening)
    start, end, _ = _period(opening, mentions)
    skip = {m.start for m in (start, end) if m is not None}
    feedback = _feedback_mention(opening, mentions, skip)
    feedback_date = feedback.to_date() if feedback and feedback.year else None
    # Years the text left implicit come from the nearest stated date.
    if start is not None and start.year is None:
        anchor = feedback_date or publish
        resolved = with_year_near(start, anchor, after=False) if anchor else None
        if resolved is not None:
            start = DateMention(start.start, start.end, resolved.year, start.month, start.day)
            end = complete_range(start, end)[1] if end is not None and end.year is None else end
    start_date = start.to_date() if start else None
    end_date = end.to_date() if end else None
    if feedback is not None and feedback_date is None:
        anchor_date = end_date or start_date
        if anchor_date:
            feedback_date = with_year_near(feedback, anchor_date, after=True)
        elif publish:
            feedback_date = with_year_near(feedback, publish, after=False)
    return start_date, end_date, feedback_date


def _first_organ(texts: list[Text]) -> str | None:
    for _, folded in texts:
        if match := P.INSPECTION_ORGAN.search(folded):
            return match.group("organ")
    return None


def read_inspection(opening: Text, title: Text | None, body: list[Text], publish: dt.date | None) -> Inspection:
    """Everything about the inspection, from the opening paragraph first, then title and body."""
    near = [opening] + ([title] if title else [])
    team = find_team(near) or find_team(body)
    start, end, feedback = _resolve_dates(opening[1], publish)
    round_ = _first(P.INSPECTION_ROUND, ([title] if title else []) + [opening]) or (team.round if team else None)
    return Inspection(
        kind=_kind(team, ([title] if title else []) + [opening] + body[:3]),
        form=_form(team, near),
        round=round_,
        inspector=team.printed if team else None,
        organ=team.organ if team and team.organ else _first_organ(near),
        start=start,
        end=end,
        feedback=feedback,
    )
