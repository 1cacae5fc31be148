#!/usr/bin/env python3
"""Fuzz every public URL longer than the test suite does.

    .venv/bin/python tools/fuzz_urls.py --examples 5000

Runs tests/hardening/test_fuzz.py (generated parameters, hostile characters and raw bytes
at the pages, API, CSV and feeds; no 5xx, well-formed feeds) with that many examples
against the test database. The suite runs the same test with a small, fixed number.
"""
from __future__ import annotations

import argparse
import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--examples", type=int, default=5000, help="generated requests (default 5000)")
    args = parser.parse_args()
    env = dict(os.environ, ARCHIVE_FUZZ_EXAMPLES=str(args.examples), DJANGO_SETTINGS_MODULE="archive.settings.test")
    return subprocess.call([sys.executable, "-m", "pytest", "-q", "tests/hardening/test_fuzz.py"], cwd=ROOT, env=env)


if __name__ == "__main__":
    sys.exit(main())
