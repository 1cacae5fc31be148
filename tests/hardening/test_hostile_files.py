"""Files a careless archivist or an attacker could bring that used to be refused for the wrong
reason: a notice in UTF-7, a notice wrapped in a hundred thousand <div>s."""
from __future__ import annotations

from notices.parsing import parse_notice

from ..conftest import SEED_FILES


def seed_text() -> str:
    return SEED_FILES[0].read_text(encoding="utf-8")


def test_a_notice_in_utf7_reads_like_the_same_notice_in_utf8():
    text = seed_text()
    utf7 = parse_notice(text.encode("utf-7"), "n.txt")
    assert utf7.encoding == "utf_7"
    assert utf7.issues == parse_notice(text.encode("utf-8"), "n.txt").issues


def test_plain_ascii_with_plus_signs_is_not_taken_for_utf7():
    from notices.parsing.decoders.text import detect_and_decode

    assert detect_and_decode(b"1+1=2, a+b-c, C++ -O2\n")[1] != "utf_7"


def page(body: str, depth: int) -> bytes:
    paragraphs = "".join(f"<p>{line}</p>" for line in body.splitlines() if line.strip())
    return ("<html><head><meta charset=utf-8><title>通报</title></head><body><div class=nav><a href=/>首页</a></div>"
            + "<div class=wrap>" * depth + paragraphs + "</div>" * depth + "</body></html>").encode()


def test_a_notice_nested_in_a_hundred_thousand_divs_reads_like_the_plain_page():
    body = seed_text()
    assert parse_notice(page(body, 100_000), "n.html").issues == parse_notice(page(body, 3), "n.html").issues
