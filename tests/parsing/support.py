"""Helpers for the parser tests: parse a snippet, run the project's scorers in-process."""
from __future__ import annotations

import contextlib
import importlib.util
import io
import json
import sys
from pathlib import Path

from notices.parsing import ParsedNotice, parse_notice

ROOT = Path(__file__).resolve().parents[2]
SAMPLES = sorted((ROOT / "samples").glob("*.txt"))
GOLD = ROOT / "tests" / "data" / "gold"
EXCERPTS = ROOT / "tests" / "data" / "excerpts"


def parse(text: str, filename: str = "notice.txt") -> ParsedNotice:
    return parse_notice(text.encode("utf-8"), filename)


def leaf_titles(notice: ParsedNotice) -> list[str]:
    out: list[str] = []

    def walk(issues) -> None:
        for issue in issues:
            if issue.children:
                walk(issue.children)
            else:
                out.append(issue.title)

    walk(notice.issues)
    return out


def write_predictions(paths_and_texts: list[tuple[str, str]], target: Path, fold: bool = False) -> Path:
    """Parse each text and write the JSON lines a scorer reads; fold=True folds to simplified."""
    lines = []
    for name, text in paths_and_texts:
        line = json.dumps(parse(text, name).to_json(file=name), ensure_ascii=False)
        if fold:
            from opencc import OpenCC

            line = OpenCC("t2s").convert(line)
        lines.append(line)
    target.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return target


def run_scorer(script: str, *args: str) -> list[str]:
    """Run tools/<script> in this process and return its printed lines."""
    spec = importlib.util.spec_from_file_location(Path(script).stem, ROOT / "tools" / script)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    out = io.StringIO()
    argv = sys.argv
    try:
        sys.argv = [script, *args]
        with contextlib.redirect_stdout(out):
            module.main()
    finally:
        sys.argv = argv
    return out.getvalue().splitlines()


def overall(lines: list[str]) -> dict[str, float]:
    """The scorer's last line, "overall: a=1.000 b=0.980", as a dict."""
    last = lines[-1]
    assert last.startswith("overall:"), last
    return {key: float(value) for key, value in (item.split("=") for item in last.split()[1:])}


def notice_photo() -> bytes:
    """The top of seed 000's first page as a phone keeps a photo: slightly tilted and
    speckled, stored sideways with the EXIF orientation that says to turn it, as JPEG.
    The same bytes every time, so the session's OCR cache reads it once."""
    from PIL import Image

    sys.path.insert(0, str(ROOT / "tools"))
    from scans import image_bytes, scan_pages

    pdf = (ROOT / "tests" / "data" / "variants" / "000.pdf").read_bytes()
    page = scan_pages(pdf, dpi=150, tilt=-0.6, noise=0.01, pages=[0])[0]
    top = page.crop((0, int(page.height * 0.04), page.width, int(page.height * 0.3))).convert("RGB")
    exif = Image.Exif()
    exif[0x0112] = 6  # the camera was turned: rotate 90° clockwise to view
    return image_bytes(top.transpose(Image.Transpose.ROTATE_90), "JPEG", quality=80, exif=exif)
