"""Every file decode cannot read gets a ParseError whose message says what to do, never a traceback."""
from __future__ import annotations

import io
import os
import time
import zipfile
from pathlib import Path

import pytest

from notices.parsing.decode import MAX_BYTES, decode
from notices.parsing.types import ParseError

VARIANTS = Path(__file__).resolve().parents[2] / "tests/data/variants"


def refusal(data: bytes, name: str, content_type: str | None = None) -> str:
    with pytest.raises(ParseError) as caught:
        decode(data, name, content_type)
    message = str(caught.value)
    assert message.endswith("。"), message  # a complete sentence, in Chinese: the admin shows it as it is
    assert name.split("/")[-1] in message or "该文件" in message
    return message


def zip_bytes(entries: dict[str, bytes]) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, data in entries.items():
            archive.writestr(name, data)
    return buffer.getvalue()


def test_an_empty_file_is_refused_as_empty():
    assert "空文件" in refusal(b"", "notice.txt")
    assert "空" in refusal(b" \n\t\n", "notice.txt")


def test_binary_junk_is_refused_with_the_formats_we_read():
    message = refusal(os.urandom(4096), "notice.txt")
    assert ".docx" in message and "PDF" in message


def test_latin1_text_is_not_mistaken_for_chinese():
    refusal("Rapport de l'inspection, résumé naïf. ".encode("latin-1") * 20, "rapport.txt")


def test_a_legacy_word_doc_is_told_to_be_saved_as_docx():
    ole2 = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + os.urandom(2048)
    assert "另存为 .docx" in refusal(ole2, "通报.doc")
    assert "另存为 .docx" in refusal(ole2, "通报.bin")  # the bytes say .doc whatever the name


def test_a_wps_file_and_an_rtf_file_get_their_own_message():
    assert "WPS" in refusal(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + os.urandom(512), "通报.wps")
    assert "RTF" in refusal(b"{\\rtf1\\ansi\\deff0 {\\fonttbl}}", "通报.rtf")


def test_a_damaged_image_is_refused_as_unreadable_before_any_ocr():
    assert "不是可以读取的图片" in refusal(b"\x89PNG\r\n\x1a\n" + os.urandom(256), "scan.png")


def test_a_zip_bomb_named_docx_is_refused_before_it_is_inflated():
    bomb = zip_bytes({"[Content_Types].xml": b"<Types/>", "word/document.xml": b"\0" * (300 * 1024 * 1024)})
    assert len(bomb) < 1024 * 1024
    started = time.monotonic()
    assert "压缩炸弹" in refusal(bomb, "通报.docx")
    assert time.monotonic() - started < 5


def test_a_truncated_docx_is_refused_as_damaged():
    whole = (VARIANTS / "000.docx").read_bytes()
    assert "损坏" in refusal(whole[: len(whole) // 2], "000.docx")


def test_a_zip_that_is_not_a_word_document_is_refused():
    assert "不是Word" in refusal(zip_bytes({"word/other.xml": b"<x/>"}), "通报.docx")
    assert "解压" in refusal(zip_bytes({"a.txt": b"hello"}), "notices.zip")


def test_text_named_pdf_is_refused_as_not_a_pdf():
    assert "不是PDF 文件" in refusal("关于巡察整改进展情况的通报".encode("utf-8"), "通报.pdf")


def test_a_pdf_cut_short_is_refused_as_damaged():
    whole = (VARIANTS / "003.pdf").read_bytes()
    assert "损坏" in refusal(whole[:2000], "003.pdf")


def test_a_scanned_pdf_whose_page_holds_no_writing_is_refused_after_ocr():
    # The page is grey with dark bars where lines would be: OCR finds no text on it.
    message = refusal((VARIANTS / "bad/scanned.pdf").read_bytes(), "scanned.pdf")
    assert "没有可读的文字" in message and "OCR" in message


def test_a_password_protected_pdf_is_refused_with_what_to_do():
    assert "密码" in refusal((VARIANTS / "bad/encrypted.pdf").read_bytes(), "encrypted.pdf")


def test_a_file_over_the_size_limit_is_refused_before_it_is_read():
    started = time.monotonic()
    assert "MB" in refusal(b"a" * (MAX_BYTES + 1), "huge.txt")
    assert time.monotonic() - started < 1


def test_a_web_page_without_text_is_refused():
    refusal(b"<html><head><title>x</title></head><body><img src='a.png'></body></html>", "page.html")


def test_hostile_html_nesting_does_not_crash():
    page = b"<html><body>" + b"<div>" * 5000 + "巡察整改进展情况".encode() * 10 + b"</div>" * 5000 + b"</body></html>"
    try:
        doc = decode(page, "deep.html")
    except ParseError as refused:
        assert str(refused).endswith("。")
    else:
        assert "巡察整改" in doc.text
