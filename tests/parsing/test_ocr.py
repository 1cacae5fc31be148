"""Scans read by OCR: made here from the sample PDFs (rendered, tilted, speckled, JPEG'd), a
page or two each, so a scan must give the problems and measures its text PDF gives.

OCR is slow, so the scans are few and each is read once per session: the OCR cache of the
session (conftest) serves every later parse of the same bytes.
"""
from __future__ import annotations

import io
import json
import math
import sys

import pytest
from pypdf import PdfReader, PdfWriter

from notices.parsing import ParseError, ocr, parse_many, parse_notice, set_ocr_progress
from notices.parsing.ocr.engine import OcrLine, RapidOcrEngine
from notices.parsing.ocr.layout import ocr_rows
from notices.parsing.decoders.pdfrows import join_rows

from .support import ROOT, notice_photo, overall, run_scorer

sys.path.insert(0, str(ROOT / "tools"))
from scans import image_pdf, scan_pages  # noqa: E402

VARIANTS = ROOT / "tests" / "data" / "variants"
DPI = 150


def _pages(pdf: bytes, numbers: list[int]) -> PdfWriter:
    writer = PdfWriter()
    reader = PdfReader(io.BytesIO(pdf))
    for number in numbers:
        writer.add_page(reader.pages[number])
    return writer


def _bytes(writer: PdfWriter) -> bytes:
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


@pytest.fixture(scope="module")
def half_scanned():
    """Seed 000's first two pages: the first with its text layer, the second a degraded
    150 dpi scan (tilted 0.8°, speckled, JPEG at quality 60); and the text PDF of both."""
    text_pdf = (VARIANTS / "000.pdf").read_bytes()
    scan = scan_pages(text_pdf, dpi=DPI, tilt=0.8, noise=0.02, jpeg=60, pages=[1])
    writer = _pages(text_pdf, [0])
    writer.append(PdfReader(io.BytesIO(image_pdf(scan, DPI))))
    previous = ocr.configure(dpi=DPI)
    yield _bytes(writer), _bytes(_pages(text_pdf, [0, 1]))
    ocr.configure(previous)


def test_only_the_page_without_a_text_layer_is_read_by_ocr(half_scanned):
    mixed, text_only = half_scanned
    parsed = parse_notice(mixed, "000-scan.pdf")
    assert parsed.ocr is not None and parsed.ocr.pages == (2,)
    assert 30 < len(parsed.ocr.lines) < 40 and {page for page, _, _ in parsed.ocr.lines} == {2}
    assert any("OCR" in warning for warning in parsed.warnings)
    # The running header (print date and title) comes back on the scanned page, read by
    # OCR without its underscore, and is dropped all the same.
    assert parsed.text.splitlines()[:4] == parse_notice(text_only, "000.pdf").text.splitlines()[:4]


def test_a_scanned_page_gives_the_problems_and_measures_of_its_text_pdf(half_scanned, tmp_path):
    mixed, text_only = half_scanned
    gold = tmp_path / "gold.jsonl"
    gold.write_text(json.dumps(parse_notice(text_only, "000.pdf").to_json(file="000.pdf"), ensure_ascii=False) + "\n")
    pred = tmp_path / "pred.jsonl"
    pred.write_text(json.dumps(parse_notice(mixed, "000.pdf").to_json(file="000.pdf"), ensure_ascii=False) + "\n")
    lines = run_scorer("score_parse.py", "--gold", str(gold), "--pred", str(pred), "-v")
    score = overall(lines)
    assert score["issue_f1"] >= 0.9 and score["measure_f1"] >= 0.85 and score["meta_acc"] == 1.0, "\n".join(lines)


def test_a_file_read_before_is_not_read_again(half_scanned, monkeypatch):
    mixed, _ = half_scanned
    first = parse_notice(mixed, "000-scan.pdf")

    def no_second_reading(self, image):
        raise AssertionError("the engine was asked to read a page it had read")

    monkeypatch.setattr(RapidOcrEngine, "read", no_second_reading)
    assert parse_notice(mixed, "000-scan.pdf").text == first.text


@pytest.fixture(scope="module")
def photo():
    return notice_photo()


def test_a_photo_of_a_page_reads_as_its_text(photo):
    parsed = parse_notice(photo, "IMG_2041.jpg")
    assert parsed.format == "image" and parsed.ocr.pages == (1,)
    assert parsed.metadata.title == "中共东营市民政局党组关于市委第六巡察组反馈意见集中整改进展情况的通报"
    folded = parsed.text.replace(",", "，")
    assert "按照市委统一部署，2025年3月21日至6月28日，市委第六巡察组对市民政局党组开展了巡察" in folded


def test_pages_read_in_worker_processes_are_reported_to_the_caller(photo):
    seen = []
    previous = set_ocr_progress(lambda done, total, name: seen.append((name, done, total)))
    try:
        parsed = dict(parse_many([(name, photo, name, None) for name in ("a.jpg", "b.jpg")], processes=2))
    finally:
        set_ocr_progress(previous)
    assert {name: p.ocr.pages for name, p in parsed.items()} == {"a.jpg": (1,), "b.jpg": (1,)}
    assert sorted(seen) == [("a.jpg", 0, 1), ("a.jpg", 1, 1), ("b.jpg", 0, 1), ("b.jpg", 1, 1)]


def test_an_image_past_the_page_or_time_limit_is_refused_in_chinese(photo):
    previous = ocr.configure(max_pages=0)
    try:
        with pytest.raises(ParseError, match="超过每个文件 0 页的上限"):
            parse_notice(photo, "IMG_2041.jpg")
        ocr.configure(max_pages=5, max_seconds=-1)
        with pytest.raises(ParseError, match="秒的上限"):
            parse_notice(photo, "IMG_2041.jpg")
    finally:
        ocr.configure(previous)


def _turned(lines: list[tuple[str, float, float, float]], degrees: float, centre=(850, 1100)) -> tuple:
    """Upright lines (text, left, top, width; 30 px high) as a scanner tilted by `degrees` gives them."""
    turn = math.radians(degrees)
    cx, cy = centre

    def rotate(x, y):
        return (cx + (x - cx) * math.cos(turn) - (y - cy) * math.sin(turn),
                cy + (x - cx) * math.sin(turn) + (y - cy) * math.cos(turn))

    return tuple(OcrLine(text, tuple(rotate(px, py) for px, py in ((x, y), (x + w, y), (x + w, y + 30), (x, y + 30))),
                         0.99) for text, x, y, w in lines)


def test_lines_are_put_in_reading_order_and_a_tilted_page_is_straightened():
    # A page tilted by 1.5°, its lines handed over out of order as the engine does: the
    # second paragraph starts indented; the first ends on a short line. Untilted, the lower
    # lines' left edges would sit 40 px (more than an indent) off the upper ones'.
    lines = _turned([
        ("二是第二段的开头，缩进两个字，接着写到右边", 160, 1700, 1400),
        ("一是第一段，从左边写到右边界为止的一整行字", 100, 200, 1460),
        ("第一段的第二行也写满到右边界的一整行文字", 100, 250, 1460),
        ("短行。", 100, 300, 200),
        ("第二段的第二行从左边界开始，写满了一整行", 100, 1750, 1460),
    ], degrees=1.5)
    rows = ocr_rows(ocr.OcrPage(width=1700, height=2200, dpi=200, lines=lines))
    assert [row.text[:2] for row in rows] == ["一是", "第一", "短行", "二是", "第二"]
    assert abs(rows[1].x0 - rows[4].x0) < 3  # one left margin, top to bottom
    assert join_rows(rows) == [
        "一是第一段，从左边写到右边界为止的一整行字第一段的第二行也写满到右边界的一整行文字短行。",
        "二是第二段的开头，缩进两个字，接着写到右边第二段的第二行从左边界开始，写满了一整行",
    ]
