"""OCR on a machine without libGL.so.1 (a server, python:3.11-slim): RapidOCR's wheel asks for the
full OpenCV build, which cannot even be imported there; dev.py and the Dockerfile swap in the
headless build. Shown here by hiding libGL from a child process: a user and mount namespace
(unshare) with /dev/null mounted over every libGL.so.1 the loader knows."""
from __future__ import annotations

import shutil
import subprocess
import sys

import pytest

from ..conftest import ROOT

CHILD = """
import ctypes
try:
    ctypes.CDLL("libGL.so.1")
except OSError:
    pass
else:
    raise SystemExit("libGL.so.1 is still there: the test would prove nothing")
from notices.parsing.ocr.engine import engine
engine("rapidocr", 1)
print("OCR engine loaded without libGL")
"""


def _libgl_paths() -> list[str]:
    out = subprocess.run(["ldconfig", "-p"], capture_output=True, text=True).stdout if shutil.which("ldconfig") else ""
    return sorted({line.rsplit("=>", 1)[1].strip() for line in out.splitlines()
                   if line.strip().startswith("libGL.so.1 ") and "=>" in line})


def test_the_ocr_engine_loads_on_a_machine_without_libgl():
    hide = " ".join(f"mount --bind /dev/null {path} &&" for path in _libgl_paths())
    command = [sys.executable, "-c", CHILD]
    if hide:
        if not shutil.which("unshare"):
            pytest.skip("unshare (util-linux) is needed to hide libGL from a child process")
        command = ["unshare", "--user", "--map-root-user", "--mount", "sh", "-c", f'{hide} exec "$@"', "sh", *command]
    done = subprocess.run(command, cwd=ROOT, capture_output=True, text=True, timeout=300)
    if done.returncode and "unshare:" in done.stderr:
        pytest.skip(f"this machine does not allow a user namespace: {done.stderr.strip()}")
    assert done.returncode == 0 and "without libGL" in done.stdout, done.stdout + done.stderr
