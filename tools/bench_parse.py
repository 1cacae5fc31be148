#!/usr/bin/env python3
"""Parsing speed on plain text: decode -> normalise -> outline -> metadata, one core, no database.

    .venv/bin/python tools/bench_parse.py [--megabytes 4] [FILE ...]

Parses the five seed notices (or the given files) over and over until the given amount of
text has gone through, and prints MB/s (1 MB = 1,000,000 bytes of the files as stored).
It also times the worst lines the regular expressions could meet: a single 5,000-character
paragraph of numbering, quotes and dates, and a notice captured on one line.
"""
from __future__ import annotations

import argparse
import pathlib
import sys
import time

ROOT = pathlib.Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from notices.parsing import parse_notice  # noqa: E402

PATHOLOGICAL = {
    "5,000 characters of labels and dates on one line": (
        "(一)关于“" + "一是二是(1)(2)1.2.①②2024年3月至12日至2025120日,“‘《" * 140 + "”问题"
    ),
    "a notice on one line": "".join(
        line.strip() for line in (ROOT / "samples" / "000_3d3359350b1393e2.txt").read_text("utf-8").splitlines()
    )
    * 3,
    "one 5,000-character sentence without punctuation": "巡察整改" * 1250,
}


def bench(files: list[pathlib.Path], megabytes: float) -> float:
    documents = [(path.name, path.read_bytes()) for path in files]
    target = megabytes * 1_000_000
    parsed = 0
    start = time.perf_counter()
    while parsed < target:
        for name, data in documents:
            parse_notice(data, name)
            parsed += len(data)
    elapsed = time.perf_counter() - start
    return parsed / 1_000_000 / elapsed


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("files", nargs="*", type=pathlib.Path)
    parser.add_argument("--megabytes", type=float, default=4.0)
    args = parser.parse_args()
    files = args.files or sorted((ROOT / "samples").glob("*.txt"))
    parse_notice(files[0].read_bytes(), files[0].name)  # load OpenCC and the gazetteer once
    for label, text in PATHOLOGICAL.items():
        data = text.encode("utf-8")
        start = time.perf_counter()
        parse_notice(data, "pathological.txt")
        print(f"{label}: {len(data):,} bytes in {time.perf_counter() - start:.3f} s")
    speed = bench(files, args.megabytes)
    print(f"{len(files)} files, {args.megabytes:g} MB of plain text: {speed:.2f} MB/s")
    return 0


if __name__ == "__main__":
    sys.exit(main())
