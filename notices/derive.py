"""What a notice, problem or measure row holds besides what it says: pure functions of frozen values.

Derived columns are the folded text and gram bag that search reads (tokenize.py), the
jieba word vector that ranks, the topics (topics.py), a notice's progress and its tally
(the counts the reading room sums). They are
computed here only, from the values below, and never from a model: write.py reads the
rows, calls these, and sets the columns. No model imports, so nothing here can save.
"""
from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field, fields
from typing import Any, Mapping, NamedTuple, Sequence

from . import tokenize, topics

# The values of models.Status and models.Progress this module compares and returns
# (tests/test_derive.py checks that they agree).
IN_PROGRESS, DONE, UNSTATED = "in_progress", "done", "unstated"


# Per-row values are named tuples: frozen like the dataclasses below, and built ten times
# faster, which counts at some 60 rows a notice on ingest's path.
class ProblemText(NamedTuple):
    """What a problem row's derived columns come from."""

    title: str
    category: str | None


class ProblemColumns(NamedTuple):
    fold_text: str
    topics: list[str]


@dataclass(frozen=True, slots=True)
class TreeColumns:
    """The derived columns of a tree's rows, in the order they were given."""

    problems: list[ProblemColumns]
    measures: list[str]  # each measure's fold_text


def tree_columns(problems: Sequence[ProblemText], measures: Sequence[str]) -> TreeColumns:
    """Problems' fold_text and topics, measures' fold_text: all the text folded in one call (it is the cost)."""
    folded = tokenize.fold_many([*(p.title for p in problems), *measures])
    categories: dict[str | None, str] = {}  # a notice has a few categories, repeated over its problems
    columns = []
    for problem, text in zip(problems, folded):
        if problem.category not in categories:
            categories[problem.category] = topics.fold_category(problem.category)
        columns.append(ProblemColumns(text, topics.of_problem(text, categories[problem.category])))
    return TreeColumns(columns, folded[len(problems):])


class StoredProblem(NamedTuple):
    """What a notice's derived columns read of one of its issues (its own derived columns and status)."""

    fold_text: str
    topics: Sequence[str]
    status: str | None
    is_problem: bool = True  # False: a category heading (see is_category_heading)


@dataclass(frozen=True, slots=True)
class NoticeText:
    """What a notice row's derived columns come from: its metadata, its text and its tree."""

    title: str | None
    text: str
    agency_name: str | None
    issuer: str | None
    inspector: str | None
    problems: tuple[StoredProblem, ...]
    measures: tuple[str, ...]  # each measure's fold_text
    figures: Mapping[str, Any] = field(default_factory=dict)  # what the notice states (ParsedFigures.to_json)


@dataclass(frozen=True, slots=True)
class NoticeColumns:
    topics: list[str]
    progress: str
    fold_title: str
    fold_agency: str  # agency name, issuer, inspector
    fold_text: str  # the text, and tree text edited away from it
    grams: str  # gram bag of the three above
    words: str  # jieba tokens: title/agency A, problems B
    dictionary_version: str
    # What the reading room counts (see Tally): summed over notices instead of counted over problems.
    problems_total: int
    measures_total: int
    problems_done: int
    problems_in_progress: int
    problem_topics: dict[str, int]
    stated_problems_reported: int | None  # the figures the notice states (see Stated)
    stated_measures_planned: int | None
    stated_regulations_made: int | None
    stated_money_recovered_yuan: float | None
    stated_accountable: int | None


# A notice's derived columns, by name: the columns a write of them updates.
NOTICE_DERIVED = tuple(f.name for f in fields(NoticeColumns))
PROBLEM_DERIVED = ProblemColumns._fields
MEASURE_DERIVED = ("fold_text",)


class Tally(NamedTuple):
    """A notice's counts, as every page, chart and comparison shows them (problems only, no headings).

    Kept on the notice row so that a page over 20,000 notices sums 20,000 rows instead of
    grouping 275,000 problems and 855,000 measures (tools/bench_pages.py).
    """

    problems_total: int
    measures_total: int
    problems_done: int
    problems_in_progress: int
    problem_topics: dict[str, int]  # topic slug -> how many of the notice's problems have it


def tally(problems: Sequence[StoredProblem], measures_total: int) -> Tally:
    counted = [p for p in problems if p.is_problem]
    by_topic = Counter(slug for p in counted for slug in p.topics)
    return Tally(len(counted), measures_total, sum(p.status == DONE for p in counted),
                 sum(p.status == IN_PROGRESS for p in counted), dict(sorted(by_topic.items())))


class Stated(NamedTuple):
    """The figures a notice states about itself, as numbers pages sum; None where it states none.

    Read from the figures JSON at write time: summing them from the JSON of 20,000 notices
    took a second of every comparison.
    """

    stated_problems_reported: int | None
    stated_measures_planned: int | None
    stated_regulations_made: int | None
    stated_money_recovered_yuan: float | None
    stated_accountable: int | None  # people held to account, all kinds together


def stated(figures: Mapping[str, Any]) -> Stated:
    def number(key: str, kind: type) -> Any:
        value = figures.get(key)
        return None if value is None else kind(value)

    held = [int(n) for n in (figures.get("accountability") or {}).values() if str(n).isdigit()]
    return Stated(number("problems_reported", int), number("measures_planned", int),
                  number("regulations_made", int), number("money_recovered_yuan", float),
                  sum(held) if figures.get("accountability") else None)


def notice_columns(notice: NoticeText) -> NoticeColumns:
    problems = notice.problems
    statuses = {p.status for p in problems if p.status}
    progress = IN_PROGRESS if IN_PROGRESS in statuses else DONE if statuses else UNSTATED
    who = [v for v in (notice.agency_name, notice.issuer, notice.inspector) if v]
    fold_title, text, *folded_who = tokenize.fold_many([notice.title, notice.text, *who])
    fold_agency = "|".join(folded_who)
    fold_text = with_tree_text(text, [*(p.fold_text for p in problems), *notice.measures])
    searched = [fold_title, fold_agency, fold_text]
    head = fold_title + "".join(folded_who)  # as fold() of all four joined: one run of words
    return NoticeColumns(
        topics=topics.of_notice(p.topics for p in problems if p.is_problem),
        progress=progress,
        fold_title=fold_title,
        fold_agency=fold_agency,
        fold_text=fold_text,
        grams=tokenize.bag_vector(searched, tokenize.word_entries(searched)),
        words=tokenize.words_vector([(head, "A"), *((p.fold_text, "B") for p in problems)]),
        dictionary_version=tokenize.dictionary_version(),
        **tally(problems, len(notice.measures))._asdict(),
        **stated(notice.figures)._asdict(),
    )


def is_category_heading(has_children: bool, has_measures: bool) -> bool:
    """An issue over sub-problems with no measures of its own is a category, not a problem
    (the rule of models.is_problem, for a tree in hand)."""
    return has_children and not has_measures


def with_tree_text(folded_text: str, tree_texts: list[str]) -> str:
    """The notice's folded text, followed by any problem or measure text that is not part of it.

    A parsed tree's text always is; only hand edits add to it. Searching the result finds
    everything the notice says, in its text or in its (corrected) tree.
    """
    extra = [t for t in dict.fromkeys(tree_texts) if t and t not in folded_text]
    return "|".join([folded_text, *extra])
