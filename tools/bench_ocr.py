#!/usr/bin/env python3
"""OCR on the five samples as scans: parse scores against the gold, and seconds per page.

    .venv/bin/python tools/bench_ocr.py [--scans clean,degraded] [--seeds 000,001] [--engine rapidocr]
                                        [--threads 2] [--pages N] [--cache DIR] [--pred-dir DIR]

--engine rapidocr-stock is RapidOCR with its own default parameters: the baseline of the
speed work; --engine tesseract is Debian's tesseract-ocr-chi-sim, for comparison.

Each sample's PDF (tests/data/variants/NNN.pdf, printed by Chromium from its web page) is
rendered page by page as a scan, saved as an image-only PDF and parsed like any upload:

    clean      200 dpi, straight, no noise (PNG-like, lossless)
    degraded   150 dpi, tilted 0.8°, 2% speckle, JPEG quality 60

The parses are scored with tools/score_parse.py against tests/data/gold. Seconds per page
are OCR's wall and CPU seconds divided by the pages read (the parse itself is included,
and is a small part; CPU counts Tesseract's own processes too). Without --cache every page is read afresh; with it, a second run
reads nothing and measures the cache.
"""
from __future__ import annotations

import argparse
import contextlib
import io
import json
import os
import resource
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "tools"))

from scans import image_pdf, scan_pages  # noqa: E402

SCANS = {
    "clean": dict(dpi=200, tilt=0.0, noise=0.0, jpeg=None),
    "degraded": dict(dpi=150, tilt=0.8, noise=0.02, jpeg=60),
}
GOLD = ROOT / "tests" / "data" / "gold"
VARIANTS = ROOT / "tests" / "data" / "variants"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--scans", default="clean,degraded")
    parser.add_argument("--seeds", default="000,001,002,003,004")
    parser.add_argument("--engine", default="rapidocr")
    parser.add_argument("--threads", type=int, default=2, help="ONNX Runtime threads (0: its own default)")
    parser.add_argument("--pages", type=int, default=0, help="read only the first N pages of each sample")
    parser.add_argument("--cache", default=None, help="an OCR cache folder (default: none, read every page)")
    parser.add_argument("--pred-dir", default=None, help="keep each scan's parse as JSON lines here")
    args = parser.parse_args()

    from notices.parsing import ParseError, ocr, parse_notice

    golds = {path.name[:3]: path for path in sorted(GOLD.glob("*.json"))}
    for scan_name in args.scans.split(","):
        options = SCANS[scan_name]
        ocr.configure(engine=args.engine, threads=args.threads, dpi=options["dpi"], cache_dir=args.cache,
                      max_pages=500, max_seconds=1e9)
        predictions, pages, wall, cpu = [], 0, 0.0, 0.0
        for seed in args.seeds.split(","):
            gold_name = json.loads(golds[seed].read_text(encoding="utf-8"))["file"]
            pdf = (VARIANTS / f"{seed}.pdf").read_bytes()
            images = scan_pages(pdf, **options, pages=list(range(args.pages)) if args.pages else None)
            scan = image_pdf(images, options["dpi"])
            started, started_cpu = time.monotonic(), _cpu_seconds()
            try:
                out = parse_notice(scan, f"{seed}-scan.pdf").to_json(file=gold_name)
            except ParseError as exc:
                out = {"file": gold_name, "issues": [], "error": str(exc)}
            seconds, cpu_seconds = time.monotonic() - started, _cpu_seconds() - started_cpu
            pages, wall, cpu = pages + len(images), wall + seconds, cpu + cpu_seconds
            print(f"{scan_name} {seed}: {len(images)} pages, {seconds / len(images):.2f} s/page wall, "
                  f"{cpu_seconds / len(images):.2f} s/page cpu", flush=True)
            predictions.append(json.dumps(out, ensure_ascii=False))
        target = Path(args.pred_dir or tempfile.mkdtemp()) / f"ocr-{scan_name}.jsonl"
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text("\n".join(predictions) + "\n", encoding="utf-8")
        *details, overall = _score(target, [golds[seed] for seed in args.seeds.split(",")])
        print("\n".join("  " + line for line in details))
        print(f"{scan_name}: {pages} pages, {wall / pages:.2f} s/page wall, {cpu / pages:.2f} s/page cpu "
              f"(engine {ocr.engine_version()}, threads {args.threads}, load {os.getloadavg()[0]:.1f}); {overall}",
              flush=True)


def _cpu_seconds() -> float:
    """CPU seconds of this process and of the children it waited for (Tesseract runs as one per page)."""
    children = resource.getrusage(resource.RUSAGE_CHILDREN)
    return time.process_time() + children.ru_utime + children.ru_stime


def _score(predictions: Path, gold_files: list[Path]) -> list[str]:
    """tools/score_parse.py --verbose on these predictions (the overall figure last), against the gold of the
    seeds read (a seed left out must not count as a notice read as nothing)."""
    import importlib.util
    import shutil

    spec = importlib.util.spec_from_file_location("score_parse", ROOT / "tools" / "score_parse.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    out, argv = io.StringIO(), sys.argv
    with tempfile.TemporaryDirectory() as gold:
        for path in gold_files:
            shutil.copy(path, gold)
        try:
            sys.argv = ["score_parse.py", "--gold", gold, "--pred", str(predictions), "--verbose"]
            with contextlib.redirect_stdout(out):
                module.main()
        finally:
            sys.argv = argv
    return out.getvalue().splitlines()


if __name__ == "__main__":
    main()
