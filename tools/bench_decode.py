#!/usr/bin/env python3
"""Decode speed per format, on the seeds' variants in tests/data/variants (one core).

    .venv/bin/python tools/bench_decode.py [--seconds 2] [--parse]

MB/s is the file's bytes decoded per second; for formats whose files are much larger
than their text (PDF, .docx) the text's UTF-8 size per second is shown too. PDF is
reported on its own line: it is layout analysis, an order of magnitude slower than the rest.
With --parse, the whole parse (decode to tree) is timed as well.
"""
from __future__ import annotations

import argparse
import json
import sys
import time
from collections import defaultdict
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from notices.parsing import parse_notice  # noqa: E402
from notices.parsing.decode import decode  # noqa: E402

VARIANTS = ROOT / "tests/data/variants"


def kind(entry: dict) -> str:
    if entry["format"] != "text":
        return entry["format"]
    return "text " + entry.get("encoding", "utf-8")


def measure(fn, files: list[tuple[str, bytes]], seconds: float) -> tuple[float, int, int]:
    """(elapsed, file bytes, text bytes) over as many passes as fit in `seconds` (at least one)."""
    fn(*files[0])  # warm caches (OpenCC dictionaries, lxml) outside the timing
    started, file_bytes, text_bytes = time.perf_counter(), 0, 0
    while True:
        for name, data in files:
            result = fn(name, data)
            file_bytes += len(data)
            text_bytes += len(result.text.encode("utf-8"))
        elapsed = time.perf_counter() - started
        if elapsed >= seconds:
            return elapsed, file_bytes, text_bytes


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seconds", type=float, default=2.0, help="minimum time per format")
    parser.add_argument("--parse", action="store_true", help="also time parse_notice (decode to tree)")
    args = parser.parse_args()
    manifest = json.loads((VARIANTS / "manifest.json").read_text(encoding="utf-8"))
    groups: dict[str, list[tuple[str, bytes]]] = defaultdict(list)
    for entry in manifest:
        groups[kind(entry)].append((entry["file"], (VARIANTS / entry["file"]).read_bytes()))
    groups["text utf-8 (seeds)"] = [(p.name, p.read_bytes()) for p in sorted((ROOT / "samples").glob("*.txt"))]
    steps = [("decode", lambda name, data: decode(data, name))]
    if args.parse:
        steps.append(("parse", lambda name, data: parse_notice(data, name)))
    print(f"{'step':7} {'format':34} {'files':>5} {'file MB/s':>10} {'text MB/s':>10} {'ms/file':>8}")
    for step, fn in steps:
        for group in sorted(groups, key=lambda g: (g == "pdf", g)):
            files = groups[group]
            elapsed, file_bytes, text_bytes = measure(fn, files, args.seconds)
            passes = file_bytes / sum(len(d) for _, d in files)
            label = group + ("  <- PDF, reported apart" if group == "pdf" else "")
            print(f"{step:7} {label:34} {len(files):5d} {file_bytes / elapsed / 1e6:10.2f} "
                  f"{text_bytes / elapsed / 1e6:10.2f} {elapsed * 1000 / (passes * len(files)):8.1f}")


if __name__ == "__main__":
    main()
