"""Every variant of the seeds decodes to its seed's article text, whatever the format."""
from __future__ import annotations

import json
import unicodedata
from functools import lru_cache
from pathlib import Path

import opencc
import pytest

from notices.parsing.chars import fold_compatibility
from notices.parsing.decode import decode

ROOT = Path(__file__).resolve().parents[2]
VARIANTS = ROOT / "tests/data/variants"
MANIFEST = json.loads((VARIANTS / "manifest.json").read_text(encoding="utf-8"))
CHROME = ("字号", "打印本页", "关闭窗口", "分享到", "相关文章", "网站标识码", "ICP备", "公网安备",
          "您当前的位置", "扫一扫", "浏览次数", "主办单位", "信息索引号", "索引号", "发布机构", "主题分类")


def squash(text: str) -> str:
    return "".join(unicodedata.normalize("NFKC", text).split())


def expected_text(entry: dict) -> str:
    seed = (ROOT / "samples" / entry["seed"]).read_text(encoding="utf-8")
    dropped = set(entry.get("drop_lines", []))
    text = "\n".join(line for line in seed.splitlines() if line.strip() not in dropped)
    if entry.get("transform") == "s2tw":
        text = opencc.OpenCC("s2tw").convert(text)
    return text


def decoded(entry: dict):
    return decode_file(entry["file"])


@lru_cache(maxsize=None)
def decode_file(name: str):
    return decode((VARIANTS / name).read_bytes(), name)


@pytest.mark.parametrize("entry", MANIFEST, ids=[e["file"] for e in MANIFEST])
def test_each_variant_decodes_to_the_text_of_its_seed(entry):
    doc = decoded(entry)
    assert doc.format == entry["format"]
    assert squash(fold_compatibility(doc.text)) == squash(expected_text(entry))


@pytest.mark.parametrize("entry", [e for e in MANIFEST if "encoding" in e], ids=lambda e: e["file"])
def test_each_text_variant_reports_the_encoding_it_was_written_in(entry):
    doc = decoded(entry)
    families = {"gb18030": {"gb18030"}, "big5": {"big5", "cp950", "big5hkscs"},
                "utf_16": {"utf_16"}, "utf_16_be": {"utf_16_be"}, "utf-8": {"utf_8"}}
    assert doc.encoding in families.get(entry["encoding"], {entry["encoding"]})


@pytest.mark.parametrize("entry", [e for e in MANIFEST if e["format"] in ("html", "pdf")], ids=lambda e: e["file"])
def test_web_pages_and_printed_pages_yield_no_chrome(entry):
    text = fold_compatibility(decoded(entry).text)
    leaked = [marker for marker in CHROME if marker in text]
    assert not leaked, leaked
    assert "中共惠东县民政局党组关于县委巡察集中整改进展情况的通报(2023年)" not in text  # 相关文章


@pytest.mark.parametrize("entry", [e for e in MANIFEST if "page_metadata" in e], ids=lambda e: e["file"])
def test_disclosure_block_and_byline_are_read_into_page_metadata(entry):
    assert dict(decoded(entry).page_metadata) == entry["page_metadata"]


def test_page_metadata_keys_are_the_ones_the_contract_names():
    allowed = {"title", "publisher", "source", "written_date", "publish_date", "index_number"}
    for entry in MANIFEST:
        assert set(decoded(entry).page_metadata) <= allowed


def test_a_pdf_printed_from_a_page_keeps_no_radicals_and_no_running_header():
    doc = decode_file("000.pdf")
    assert not any(0x2E80 <= ord(ch) <= 0x2FDF for ch in doc.text)
    assert "file://" not in doc.text and "1/6" not in doc.text
    assert doc.text.count("东营市民政局党组关于市委第六巡察组") == 1


def test_pdf_lines_wrapped_by_the_layout_come_back_as_one_paragraph_per_line():
    doc = decode_file("000.pdf")
    lines = doc.text.splitlines()
    seed_lines = [l.strip() for l in (ROOT / "samples/000_3d3359350b1393e2.txt").read_text(encoding="utf-8").splitlines()
                  if l.strip()]
    assert len(lines) == len(seed_lines)
    assert lines[0] == seed_lines[0]  # the title, wrapped in its large type, joined
    assert "一、整改工作基本情况" in lines


def test_a_docx_table_is_read_row_by_row_in_document_order():
    doc = decode_file("003.docx")
    lines = doc.text.splitlines()
    problem = next(i for i, line in enumerate(lines) if squash(line).startswith("(一)理论学习浅表化"))
    assert squash(lines[problem + 1]).startswith("整改情况:一是在日常工作调度会议")


def test_a_ruled_table_in_a_pdf_is_read_cell_by_cell_not_across_the_page():
    lines = [squash(fold_compatibility(line)) for line in decode_file("003.table.pdf").text.splitlines()]
    seed = [squash(line) for line in (ROOT / "samples/003_a0da0db3c530ce83.txt").read_text(encoding="utf-8").splitlines()
            if line.strip()]
    assert lines[1:] == seed[2:]  # the seed prints its title over two lines, the PDF joins it
