"""Dates as notices print them: with stray spaces, implicit years, lost 年/月, or only vaguely.

A mention keeps what the text states and nothing more: a missing year stays None until the
caller resolves it from context, and a date whose digits can be read two ways is dropped.
"""
from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from . import patterns as P

YEAR_RANGE = (1990, 2100)


@dataclass(frozen=True)
class DateMention:
    start: int
    end: int
    year: int | None
    month: int | None
    day: int | None
    vague: bool = False  # a month without a day ("9月", "3月份", "12月上旬"): not a date

    def to_date(self) -> dt.date | None:
        if self.vague or None in (self.year, self.month, self.day):
            return None
        return _date(self.year, self.month, self.day)


def _date(year: int | None, month: int, day: int) -> dt.date | None:
    try:
        return dt.date(year or 2024, month, day)  # 2024 is a leap year: 2月29日 passes without a year
    except ValueError:
        return None


def _year(digits: str) -> int | None:
    if len(digits) == 4 and YEAR_RANGE[0] <= int(digits) <= YEAR_RANGE[1]:
        return int(digits)
    return None


def _month_day(digits: str, year: int | None) -> list[tuple[int, int]]:
    """Readings of digits that lost the 月 between month and day: "1120" -> [(11, 20)]."""
    readings = []
    for cut in (1, 2):
        month, day = digits[:cut], digits[cut:]
        if not day or len(day) > 2:
            continue
        if 1 <= int(month) <= 12 and 1 <= int(day) and _date(year, int(month), int(day)):
            readings.append((int(month), int(day)))
    return readings


def read_day_token(token: str) -> tuple[int | None, int | None, int] | None:
    """(year, month, day) of a token that ended in 日, or None when it is unreadable or ambiguous.

    "2025年3月21日" and "2024 年 8 月 20 日" read plainly; "20241120" (年 and 月 lost) reads
    2024-11-20, "2025120" 2025-01-20, "319" 03-19; "111" (1-11 or 11-1) reads as nothing.
    A token of one or two digits is a day alone ("至30日").
    """
    text = "".join(token.split())
    year_part, _, text = text.rpartition("年") if "年" in text else ("", "", text)
    month_part, _, day_part = text.rpartition("月") if "月" in text else ("", "", text)
    year = None
    if year_part:
        year = _year(year_part)
        if year is None:
            return None
    if month_part:
        if year is None and len(month_part) > 2:  # "202411月20日": the 年 was lost
            year, month_part = _year(month_part[:4]), month_part[4:]
            if year is None or not month_part:
                return None
        month, day = int(month_part), int(day_part)
        return (year, month, day) if 1 <= month <= 12 and _date(year, month, day) else None
    if not year_part and len(day_part) <= 2:
        return (None, None, int(day_part)) if 1 <= int(day_part) <= 31 else None
    if not year_part and len(day_part) >= 5:
        year, day_part = _year(day_part[:4]), day_part[4:]
        if year is None:
            return None
    readings = _month_day(day_part, year)
    if len(readings) != 1:
        return None
    return (year, *readings[0])


def find_dates(folded: str) -> list[DateMention]:
    """Every date and vague month mentioned in a text, in order."""
    mentions: list[DateMention] = []
    taken: list[tuple[int, int]] = []
    for match in P.DATE_DAY.finditer(folded):
        parts = read_day_token(match.group(1))
        taken.append(match.span())
        if parts is not None:
            mentions.append(DateMention(match.start(), match.end(), *parts))
    for match in P.DATE_VAGUE.finditer(folded):
        if any(a <= match.start() < b for a, b in taken):
            continue
        year = int(match.group(1)) if match.group(1) else None
        month = int(match.group(2))
        if 1 <= month <= 12:
            mentions.append(DateMention(match.start(), match.end(), year, month, None, vague=True))
    return sorted(mentions, key=lambda m: m.start)


def find_ranges(folded: str, mentions: list[DateMention]) -> list[tuple[DateMention, DateMention]]:
    """Pairs of mentions joined by 至 / 到 / — : "2025年3月21日至6月28日"."""
    pairs = []
    for first, second in zip(mentions, mentions[1:]):
        between = folded[first.end : second.start]
        if P.RANGE_JOIN.match(between) and len(between.strip()) <= 2:
            pairs.append((first, second))
    return pairs


def complete_range(first: DateMention, second: DateMention) -> tuple[DateMention, DateMention] | None:
    """Give the end the start's year and month where the text left them out; None if vague."""
    if first.vague or second.vague or first.month is None:
        return None
    month = second.month if second.month is not None else first.month
    year = second.year
    if year is None and first.year is not None:
        year = first.year + (1 if month < first.month else 0)
    end = DateMention(second.start, second.end, year, month, second.day)
    if end.year is not None and not _date(end.year, end.month, end.day):
        return None
    return first, end


def with_year_near(mention: DateMention, anchor: dt.date, after: bool) -> dt.date | None:
    """Give a date without a year the year that puts it just after (or before) the anchor."""
    if mention.month is None or mention.day is None:
        return None
    if mention.year is not None:
        return _date(mention.year, mention.month, mention.day)
    year = anchor.year
    candidate = _date(year, mention.month, mention.day)
    if candidate is None:
        return None
    if after and candidate < anchor:
        candidate = _date(year + 1, mention.month, mention.day)
    if not after and candidate > anchor:
        candidate = _date(year - 1, mention.month, mention.day)
    return candidate


_CN_YEAR_DIGITS = str.maketrans("〇○零一二三四五六七八九", "00012345678" + "9")


def _cn_date(match) -> dt.date | None:
    from .labels import cn_to_int  # labels imports nothing from here; keep the module graph flat

    year = _year(match.group(1).translate(_CN_YEAR_DIGITS))
    month, day = cn_to_int(match.group(2)), cn_to_int(match.group(3))
    return _date(year, month, day) if year and month and day else None


def parse_date_text(text: str | None) -> dt.date | None:
    """A whole date as printed in a byline, disclosure block or signature, or None."""
    if not text:
        return None
    if match := P.CN_DATE.search(text):
        return _cn_date(match)
    match = P.ISO_DATE.search(text)
    if match:
        year = _year(match.group(1))
        return _date(year, int(match.group(2)), int(match.group(3))) if year else None
    for mention in find_dates(text):
        if mention.year is not None:
            return mention.to_date()
    return None
