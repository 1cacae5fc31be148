#!/usr/bin/env python3
"""Make the five seeds into every format the decoder reads, as committed test data.

    .venv/bin/python tools/make_variants.py [--out tests/data/variants] [--no-pdf]

For each seed in samples/: a .docx (title, headings, paragraphs; seed 003's problems and
measures in a table), a saved web page in GB2312 with government-site chrome, a PDF that
Chromium prints from that page, GB18030 text, UTF-16 text (LE with BOM; seed 002 BE
without BOM), Big5 text in traditional characters (OpenCC s2tw), and UTF-8 text whose
ideographs read as Kangxi / CJK Radicals Supplement code points, as a PDF's text layer
yields them. manifest.json tells the tests what each file must decode to. Bad inputs
that are files (a scanned PDF, an encrypted PDF) go to bad/. Rerunning rewrites all.
"""
from __future__ import annotations

import argparse
import json
import shutil
import struct
import subprocess
import sys
import tempfile
import zlib
from pathlib import Path

import opencc
from docx import Document
from docx.enum.text import WD_ALIGN_PARAGRAPH

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "tools"))

from notices.parsing.chars import radical_table  # noqa: E402
from variant_pages import LAYOUTS, PageFacts  # noqa: E402

CHROMIUM = "/usr/bin/chromium"
# Lines a seed captured from its web page's chrome; the page variants render them as chrome.
CHROME_LINES = ("扫一扫在手机打开当前页",)
CHROME_PREFIXES = ("发布日期:", "发布时间:", "发布日期：", "发布时间：")

# What each seed's page states outside the article: the layouts differ on purpose.
PAGES = {
    "000": ("table", PageFacts("东营市民政局", "东营市民政局", "11370500004236187M/2026-00007", "2026-01-09",
                               "2026-01-09 16:20", "东营市民政局",
                               ("中共东营市民政局党组关于巡察整改进展情况的通报", "东营市民政局2025年政府信息公开工作年度报告"))),
    "001": ("list", PageFacts("莆田市荔城区人民政府", "荔城区民政局", "003542314/2025-08-00012", None,
                              "2025-07-31 10:02:11", "区民政局",
                              ("荔城区民政局关于2025年第二季度低保发放情况的公示",))),
    "002": ("br", PageFacts("惠东县人民政府", "惠东县民政局", None, None, "2024-08-20", "惠东县民政局",
                            ("中共惠东县民政局党组关于县委巡察集中整改进展情况的通报(2023年)", "惠东县民政局2024年工作总结"))),
    "003": ("table", PageFacts("湘潭市雨湖区人民政府", "雨湖区民政局", "430302-10/2023-0031", None, None, "雨湖区民政局",
                               ("雨湖区民政局关于开展养老服务领域专项整治的通知",))),
    "004": ("list", PageFacts("江苏省民政厅", "江苏省民政厅", "014000319/2024-00115", None, "2024-10-25 15:39", "厅办公室",
                              ("省民政厅党组关于巡视整改进展情况的通报(2019年)", "省民政厅2024年法治政府建设情况报告"))),
}
DOCX_TABLE_SEED = "003"
UTF16_NO_BOM_SEED = "002"


def squash(text: str) -> str:
    return "".join(text.split())


def split_seed(text: str, gold_title: str | None, keep_chrome: bool = False) -> tuple[str | None, list[str], list[str]]:
    """(title as printed, article lines, chrome lines) of a seed."""
    lines = [line.strip() for line in text.splitlines() if line.strip()]
    chrome = [] if keep_chrome else [
        l for l in lines if l in CHROME_LINES or l.replace(" ", "").startswith(CHROME_PREFIXES)]
    lines = [l for l in lines if l not in chrome]
    title = None
    if gold_title:
        for k in range(1, 4):
            if squash("".join(lines[:k])) == squash(gold_title):
                title, lines = "".join(lines[:k]), lines[k:]
                break
    return title, lines, chrome


def write_docx(path: Path, title: str | None, lines: list[str], in_table: bool) -> None:
    doc = Document()
    if title:
        para = doc.add_paragraph()
        para.alignment = WD_ALIGN_PARAGRAPH.CENTER
        para.add_run(title).bold = True
    pending_table_rows: list[tuple[str, str]] = []
    for i, line in enumerate(lines):
        is_problem = line[:1] in "(（"
        follows = lines[i + 1] if i + 1 < len(lines) else ""
        if in_table and is_problem and follows.startswith("整改情况"):
            pending_table_rows.append((line, ""))
            continue
        if in_table and pending_table_rows and pending_table_rows[-1][1] == "" and line.startswith("整改情况"):
            pending_table_rows[-1] = (pending_table_rows[-1][0], line)
            continue
        _flush_table(doc, pending_table_rows)
        if line[:2] in {"一、", "二、", "三、", "四、", "五、"}:
            doc.add_heading(line, level=2)
        else:
            doc.add_paragraph(line)
    _flush_table(doc, pending_table_rows)
    doc.save(path)


def _flush_table(doc, rows: list[tuple[str, str]]) -> None:
    if not rows:
        return
    table = doc.add_table(rows=0, cols=2)
    table.style = "Table Grid"
    for problem, measures in rows:
        cells = table.add_row().cells
        cells[0].text, cells[1].text = problem, measures
    rows.clear()


def table_page(title: str | None, lines: list[str]) -> str:
    """Seed 003 as Word would print it: each problem and its measures in a ruled two-column row."""
    from html import escape

    out = [f'<h1 style="text-align:center;font-size:22px">{escape(title)}</h1>'] if title else []
    rows: list[tuple[str, str]] = []
    for i, line in enumerate(lines):
        follows = lines[i + 1] if i + 1 < len(lines) else ""
        if line[:1] in "(（" and follows.startswith("整改情况"):
            rows.append((line, ""))
            continue
        if rows and rows[-1][1] == "" and line.startswith("整改情况"):
            rows[-1] = (rows[-1][0], line)
            continue
        if rows:
            out.append('<table style="border-collapse:collapse;width:100%">' + "".join(
                f'<tr><td style="border:1px solid #000;width:35%;vertical-align:top">{escape(a)}</td>'
                f'<td style="border:1px solid #000;vertical-align:top">{escape(b)}</td></tr>' for a, b in rows)
                + "</table>")
            rows = []
        out.append(f'<p style="text-indent:2em;margin:0">{escape(line)}</p>')
    return ('<html><head><meta charset="utf-8"></head><body style="font-family:\'Noto Serif CJK SC\';'
            'font-size:16px;line-height:1.8">' + "".join(out) + "</body></html>")


def print_pdf(html_path: Path, pdf_path: Path) -> None:
    with tempfile.TemporaryDirectory() as profile:
        subprocess.run(
            [CHROMIUM, "--headless", "--no-sandbox", "--disable-gpu", "--no-first-run",
             "--disable-background-networking", "--disable-component-update", "--disable-sync",
             f"--user-data-dir={profile}", f"--print-to-pdf={pdf_path}", html_path.as_uri()],
            check=True, capture_output=True, timeout=120,
        )


def radical_text(text: str) -> str:
    """Ideographs that have a radical twin, written as the twin (the supplement's when both exist)."""
    reverse: dict[str, str] = {}
    for code_point, ideograph in sorted(radical_table().items(), reverse=True):
        reverse[ideograph] = chr(code_point)  # ascending wins last: U+2Exx over U+2Fxx
    return text.translate(str.maketrans(reverse))


def png_bytes(width: int, height: int) -> bytes:
    """A grey page with dark bars where lines of text would be: a scan without a text layer."""
    rows = []
    for y in range(height):
        dark = 10 <= y % 30 < 20 and 60 < y < height - 60
        rows.append(b"\x00" + bytes(30 if dark and 40 < x < width - 40 else 235 for x in range(width)))
    def chunk(tag: bytes, data: bytes) -> bytes:
        return struct.pack(">I", len(data)) + tag + data + struct.pack(">I", zlib.crc32(tag + data))
    header = struct.pack(">IIBBBBB", width, height, 8, 0, 0, 0, 0)
    return (b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + chunk(b"IDAT", zlib.compress(b"".join(rows)))
            + chunk(b"IEND", b""))


def make_bad_files(out: Path, with_pdf: bool) -> None:
    """A scan (an image, no text layer) and a password-protected PDF, both one page."""
    import base64

    from pypdf import PdfReader, PdfWriter

    bad = out / "bad"
    bad.mkdir(parents=True, exist_ok=True)
    if not with_pdf:
        return
    with tempfile.TemporaryDirectory() as tmp:
        page = Path(tmp) / "scan.html"
        image = base64.b64encode(png_bytes(600, 800)).decode()
        page.write_text(f'<html><body style="margin:0"><img src="data:image/png;base64,{image}" '
                        f'style="width:100%"></body></html>', encoding="utf-8")
        print_pdf_plain(page, bad / "scanned.pdf")
        short = Path(tmp) / "short.html"
        short.write_text('<html><head><meta charset="utf-8"></head><body><p>关于巡察整改进展情况的通报</p>'
                         '</body></html>', encoding="utf-8")
        print_pdf_plain(short, Path(tmp) / "short.pdf")
        writer = PdfWriter(clone_from=PdfReader(Path(tmp) / "short.pdf"))
    writer.encrypt(user_password="xuncha2024", owner_password="owner", algorithm="AES-128")
    with open(bad / "encrypted.pdf", "wb") as fh:
        writer.write(fh)


def print_pdf_plain(html_path: Path, pdf_path: Path) -> None:
    with tempfile.TemporaryDirectory() as profile:
        subprocess.run(
            [CHROMIUM, "--headless", "--no-sandbox", "--disable-gpu", "--no-first-run",
             "--disable-background-networking", "--disable-component-update", "--disable-sync",
             "--no-pdf-header-footer", f"--user-data-dir={profile}", f"--print-to-pdf={pdf_path}",
             html_path.as_uri()],
            check=True, capture_output=True, timeout=120,
        )


def make_seed_variants(seed: Path, gold: dict, out: Path, with_pdf: bool) -> list[dict]:
    key = seed.name[:3]
    text = seed.read_text(encoding="utf-8")
    title, lines, chrome = split_seed(text, gold.get("title"))
    layout, facts = PAGES[key]
    entries = []

    def entry(name: str, fmt: str, **extra) -> None:
        entries.append({"file": name, "seed": seed.name, "format": fmt, **extra})

    (out / f"{key}.gb18030.txt").write_bytes(text.encode("gb18030"))
    entry(f"{key}.gb18030.txt", "text", encoding="gb18030")
    if key == UTF16_NO_BOM_SEED:
        (out / f"{key}.utf16be.txt").write_bytes(text.encode("utf-16-be"))
        entry(f"{key}.utf16be.txt", "text", encoding="utf_16_be")
    else:
        (out / f"{key}.utf16le.txt").write_bytes(b"\xff\xfe" + text.encode("utf-16-le"))
        entry(f"{key}.utf16le.txt", "text", encoding="utf_16")
    traditional = opencc.OpenCC("s2tw").convert(text).replace("\xa0", " ")
    (out / f"{key}.big5.txt").write_bytes(traditional.encode("big5"))
    entry(f"{key}.big5.txt", "text", encoding="big5", transform="s2tw")
    (out / f"{key}.radicals.txt").write_text(radical_text(text), encoding="utf-8")
    entry(f"{key}.radicals.txt", "text", encoding="utf-8")

    # A .docx made by pasting the page into Word keeps the byline a seed captured with it:
    # the publish date of seed 004 is only there.
    docx_title, docx_lines, _ = split_seed(text, gold.get("title"), keep_chrome=True)
    write_docx(out / f"{key}.docx", docx_title, docx_lines, in_table=key == DOCX_TABLE_SEED)
    entry(f"{key}.docx", "docx")

    page = LAYOUTS[layout](facts, title, lines)
    html_name = f"{key}.gb2312.html"
    (out / html_name).write_bytes(page.encode("gb2312", errors="xmlcharrefreplace"))
    expected_meta = {"publisher": facts.publisher} if layout != "br" else {}
    if layout != "br":
        if facts.index_number:
            expected_meta["index_number"] = facts.index_number
        if title:
            expected_meta["title"] = title
        if facts.written_date:
            expected_meta["written_date"] = facts.written_date
    if facts.publish_time:
        expected_meta["publish_date"] = facts.publish_time if layout == "br" else facts.publish_time[:10]
    if facts.source:
        expected_meta["source"] = facts.source
    entry(html_name, "html", encoding="gb18030", drop_lines=chrome, page_metadata=expected_meta)
    if with_pdf:
        print_pdf(out / html_name, out / f"{key}.pdf")
        pdf_meta = {k: v for k, v in expected_meta.items() if k == "source"}
        if facts.publish_time:
            pdf_meta["publish_date"] = facts.publish_time
        entry(f"{key}.pdf", "pdf", drop_lines=chrome, page_metadata=pdf_meta)
    if key == DOCX_TABLE_SEED and with_pdf:
        with tempfile.TemporaryDirectory() as tmp:
            page = Path(tmp) / "table.html"
            page.write_text(table_page(title, lines), encoding="utf-8")
            print_pdf_plain(page, out / f"{key}.table.pdf")
        entry(f"{key}.table.pdf", "pdf", drop_lines=chrome)
    return entries


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", type=Path, default=ROOT / "tests/data/variants")
    parser.add_argument("--no-pdf", action="store_true", help="skip Chromium (no PDFs)")
    args = parser.parse_args()
    if args.out.exists():
        shutil.rmtree(args.out)
    args.out.mkdir(parents=True)
    manifest = []
    for seed in sorted((ROOT / "samples").glob("*.txt")):
        gold = json.loads((ROOT / "tests/data/gold" / f"{seed.stem}.json").read_text(encoding="utf-8"))
        manifest += make_seed_variants(seed, gold, args.out, not args.no_pdf)
    make_bad_files(args.out, not args.no_pdf)
    (args.out / "manifest.json").write_text(json.dumps(manifest, ensure_ascii=False, indent=1) + "\n",
                                            encoding="utf-8")
    total = sum(p.stat().st_size for p in args.out.rglob("*") if p.is_file())
    print(f"{len(manifest)} variants, {total / 1e6:.1f} MB in {args.out}")


if __name__ == "__main__":
    main()
