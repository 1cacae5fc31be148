"""The values the parsing stages hand each other. All frozen: a stage never edits its input."""
from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field, fields
from typing import Any, Mapping


class ParseError(Exception):
    """A file the parser cannot read as a notice; the message is a complete sentence for the user."""


class TextTooLong(ParseError):
    """A file whose text is past the cap on a notice's length (decode.MAX_TEXT_CHARS)."""

    def __init__(self, name: str, max_chars: int):
        super().__init__(
            f"{name} 的文字超过 {max_chars:,} 字，远多于一份整改通报（最长的也不过几万字），没有再读下去。"
            "请确认它就是通报本身，或按通报拆分后再试。"
        )


@dataclass(frozen=True)
class OcrNote:
    """What OCR read on a file's scanned pages: which pages, by which engine, how surely.

    `lines` holds every line read, page by page from the top, as (page number from 1, text
    as read, confidence); `doubtful` those read with less than the settings' low confidence:
    the notice page marks them, the admin's preview shows them beside the page image.
    """

    engine: str
    pages: tuple[int, ...]  # page numbers (from 1) whose text OCR read
    lines: tuple[tuple[int, str, float], ...] = ()
    low_confidence: float = 0.0

    @property
    def doubtful(self) -> tuple[tuple[int, str, float], ...]:
        return tuple(line for line in self.lines if line[2] < self.low_confidence)

    @property
    def mean_confidence(self) -> float:
        return sum(line[2] for line in self.lines) / len(self.lines) if self.lines else 0.0

    def to_json(self) -> dict[str, Any]:
        def listed(lines):
            return [{"page": page, "text": text, "confidence": round(confidence, 3)} for page, text, confidence in lines]

        return {"engine": self.engine, "pages": list(self.pages), "line_count": len(self.lines),
                "mean_confidence": round(self.mean_confidence, 3), "low_confidence": self.low_confidence,
                "doubtful": listed(self.doubtful), "lines": listed(self.lines)}


@dataclass(frozen=True)
class DecodedDocument:
    """Stage 1 output: the text of a file, one paragraph per line, before normalisation.

    `page_metadata` holds what a saved web page states outside the article (the
    government information-disclosure block and the byline), values as printed, under
    these keys only: "title" (标题/文件名称), "publisher" (发布机构), "source" (来源),
    "written_date" (成文日期), "publish_date" (发布日期/发布时间), "index_number" (索引号).
    """

    text: str
    format: str  # "text", "html", "docx", "pdf", "image"
    encoding: str | None = None
    page_metadata: Mapping[str, str] = field(default_factory=dict)
    warnings: tuple[str, ...] = ()
    ocr: OcrNote | None = None  # set when some of the text was read by OCR


@dataclass(frozen=True)
class NormalizedText:
    """Stage 2 output: the notice's paragraphs as printed, and the same folded for matching.

    `folded[i]` is `lines[i]` with traditional characters folded to simplified (OpenCC t2s
    and a few words), character for character: an index found in one is valid in the other.
    Circled numbers (①) are private-use characters in `folded` only. The title, the page's
    disclosure block and its chrome are no longer among the lines.
    """

    lines: tuple[str, ...]
    folded: tuple[str, ...]
    title: str | None = None
    title_folded: str | None = None
    title_date: str | None = None  # a date glued on the title or printed under it, as printed
    letterhead: str | None = None  # an organisation printed alone above a title that starts with 关于
    page_fields: Mapping[str, str] = field(default_factory=dict)  # page_metadata keys
    warnings: tuple[str, ...] = ()


@dataclass(frozen=True)
class ParsedMeasure:
    label: str | None
    text: str


@dataclass(frozen=True)
class ParsedIssue:
    category: str | None
    label: str | None
    title: str
    status: str | None = None  # "done", "in_progress" or None
    measures: tuple[ParsedMeasure, ...] = ()
    children: tuple["ParsedIssue", ...] = ()


@dataclass(frozen=True)
class Figures:
    """Counts the notice itself states (反馈问题25个, 制定整改措施91条, 诫勉谈话3人 ...)."""

    problems_reported: int | None = None
    problems_done: int | None = None
    problems_in_progress: int | None = None
    measures_planned: int | None = None
    measures_done: int | None = None
    regulations_made: int | None = None
    # kind of sanction as printed (诫勉谈话, 批评教育, 党纪处分 ...) -> number of people
    accountability: Mapping[str, int] = field(default_factory=dict)
    money_recovered_yuan: float | None = None

    def to_json(self) -> dict[str, Any]:
        return {
            "problems_reported": self.problems_reported,
            "problems_done": self.problems_done,
            "problems_in_progress": self.problems_in_progress,
            "measures_planned": self.measures_planned,
            "measures_done": self.measures_done,
            "regulations_made": self.regulations_made,
            "accountability": dict(self.accountability),
            "money_recovered_yuan": self.money_recovered_yuan,
        }


@dataclass(frozen=True)
class Metadata:
    """What a notice says about itself. Field order is the notice JSON's key order, and the
    one list of metadata fields every other module derives its own from (METADATA_FIELDS)."""

    title: str | None = None
    issuer: str | None = None
    agency: str | None = None
    inspection_kind: str | None = None  # "巡视", "巡察"
    inspector: str | None = None
    inspection_start: dt.date | None = None
    inspection_end: dt.date | None = None
    feedback_date: dt.date | None = None
    publish_date: dt.date | None = None
    province: str | None = None
    city: str | None = None
    county: str | None = None
    level: str | None = None  # central, province, city, county, township
    inspection_form: str | None = None  # 专项巡察, 联动巡察, 机动巡察, 提级巡察, 回头看 ...
    inspection_round: str | None = None  # 十二届省委第八轮 ...
    # field -> (rule, line): why the parser gave each value (ingest --dry-run --explain)
    explain: Mapping[str, tuple[str, str]] = field(default_factory=dict, compare=False)


# What a notice says, in the JSON's order; `explain` says why, and is no field of the notice.
METADATA_FIELDS = tuple(f.name for f in fields(Metadata) if f.name != "explain")


def _iso(value: Any) -> Any:
    return value.isoformat() if isinstance(value, dt.date) else value


def issue_to_json(issue: ParsedIssue) -> dict[str, Any]:
    return {
        "category": issue.category,
        "label": issue.label,
        "title": issue.title,
        "status": issue.status,
        "measures": [{"label": m.label, "text": m.text} for m in issue.measures],
        "children": [issue_to_json(child) for child in issue.children],
    }


@dataclass(frozen=True)
class ParsedNotice:
    """The whole parse of one file: metadata, the issue tree, and what the parser noticed."""

    metadata: Metadata
    issues: tuple[ParsedIssue, ...]
    text: str  # the normalised text as printed (not folded to simplified), paragraphs on lines
    format: str
    encoding: str | None = None
    figures: Figures = field(default_factory=Figures)
    warnings: tuple[str, ...] = ()
    parser_version: str = ""
    ocr: OcrNote | None = None  # set when some of the text was read by OCR

    def to_json(self, file: str | None = None, explain: bool = False) -> dict[str, Any]:
        """The notice JSON format (docs/notice-json.md); explain=True adds "explain": for each
        metadata field, the rule and the line that gave it."""
        out: dict[str, Any] = {"file": file}
        for name in METADATA_FIELDS:
            out[name] = _iso(getattr(self.metadata, name))
        if explain:
            out["explain"] = {name: {"rule": rule, "line": line} for name, (rule, line) in self.metadata.explain.items()}
        out["issues"] = [issue_to_json(issue) for issue in self.issues]
        out["figures"] = self.figures.to_json()
        out["warnings"] = list(self.warnings)
        out["format"] = self.format
        out["encoding"] = self.encoding
        out["parser_version"] = self.parser_version
        if self.ocr is not None:
            out["ocr"] = self.ocr.to_json()
        return out
