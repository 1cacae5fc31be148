"""python -m notices.parsing FILE...: one JSON line per file, errors as {"file", "error"}."""
from __future__ import annotations

import json
import subprocess
import sys

from .support import ROOT, SAMPLES


def _run(*paths: str) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-m", "notices.parsing", *paths], cwd=ROOT, capture_output=True, text=True, check=False
    )


def test_each_file_prints_one_line_of_the_notice_json_format():
    result = _run(*(str(path) for path in SAMPLES[:2]))
    records = [json.loads(line) for line in result.stdout.splitlines()]
    assert result.returncode == 0
    assert [r["file"] for r in records] == [str(path) for path in SAMPLES[:2]]
    assert {"title", "issuer", "agency", "inspection_kind", "inspector", "issues", "figures"} <= set(records[0])


def test_a_file_that_fails_prints_an_error_line_and_the_others_still_parse(tmp_path):
    empty = tmp_path / "empty.txt"
    empty.write_bytes(b"")
    result = _run(str(empty), str(SAMPLES[0]), str(tmp_path / "missing.txt"))
    first, second, third = (json.loads(line) for line in result.stdout.splitlines())
    assert result.returncode == 1
    assert set(first) == {"file", "error"} and first["error"].endswith("。")
    assert second["issues"]
    assert third["error"].startswith("The file could not be read")
