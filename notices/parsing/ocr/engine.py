"""OCR engines behind one interface: an image in, its text lines with boxes and confidence out.

RapidOCR (PaddleOCR's PP-OCRv4 Chinese models run by ONNX Runtime, the models inside the
wheel) is the engine: on the five samples rendered as scans it read Chinese print far
better than Tesseract's chi_sim (tools/bench_ocr.py --engine tesseract compares them).
Tesseract stays as a second engine for that comparison; it needs Debian's tesseract-ocr.

Each engine loads its models once per process (engine() caches it).
"""
from __future__ import annotations

import functools
import importlib.metadata
import os
import shutil
import subprocess
import tempfile
from dataclasses import dataclass
from typing import Protocol

# The angle classifier is off: it turned some upright lines upside down (they came back
# empty), and a page is deskewed from the line boxes instead (layout.py). Lines scored
# between 0.3 and RapidOCR's 0.5 are kept: they are marked as doubtful, not lost.
RAPID_PARAMETERS = {"use_cls": False, "text_score": 0.3}
# RapidOCR as it comes (tools/bench_ocr.py --engine rapidocr-stock): the baseline.
STOCK_PARAMETERS: dict = {}


@dataclass(frozen=True)
class OcrLine:
    """One line of text as read: its box on the image (four corners, pixels, clockwise from
    top left) and the engine's confidence in [0, 1]."""

    text: str
    box: tuple[tuple[float, float], ...]
    confidence: float


class Engine(Protocol):
    version: str  # the engine, its models and its parameters: cached text is keyed by it

    def read(self, image) -> list[OcrLine]:
        """The text lines of one RGB image (a PIL image), in no particular order."""


class RapidOcrEngine:
    parameters = RAPID_PARAMETERS
    label = "PP-OCRv4 no-cls"

    def __init__(self, threads: int = 0):
        from rapidocr_onnxruntime import RapidOCR

        options = dict(self.parameters)
        if threads:
            options["intra_op_num_threads"] = threads
        self._ocr = RapidOCR(**options)
        package = importlib.metadata.version("rapidocr-onnxruntime")
        self.version = f"rapidocr-onnxruntime {package} {self.label}"

    def read(self, image) -> list[OcrLine]:
        import numpy as np

        found, _ = self._ocr(np.asarray(image.convert("RGB")))
        lines = []
        for box, text, score in found or []:
            if text.strip():
                lines.append(OcrLine(text.strip(), tuple((float(x), float(y)) for x, y in box), float(score)))
        return lines


class StockRapidOcrEngine(RapidOcrEngine):
    parameters = STOCK_PARAMETERS
    label = "PP-OCRv4 stock"


class TesseractEngine:
    """Debian's tesseract-ocr with chi_sim, read back as TSV and grouped into lines."""

    def __init__(self, threads: int = 0):
        if not shutil.which("tesseract"):
            raise RuntimeError("tesseract is not installed (apt-get install tesseract-ocr-chi-sim)")
        out = subprocess.run(["tesseract", "--version"], capture_output=True, text=True).stdout
        self.version = f"tesseract {out.split()[1] if out else '?'} chi_sim"
        self.threads = threads

    def read(self, image) -> list[OcrLine]:
        with tempfile.TemporaryDirectory() as tmp:
            path = os.path.join(tmp, "page.png")
            image.convert("RGB").save(path)
            env = dict(os.environ, OMP_THREAD_LIMIT=str(self.threads or 2))
            tsv = subprocess.run(["tesseract", path, "-", "-l", "chi_sim", "--psm", "3", "tsv"],
                                 capture_output=True, text=True, env=env, check=True).stdout
        words: dict[tuple, list] = {}
        for row in tsv.splitlines()[1:]:
            cells = row.split("\t")
            if len(cells) < 12 or not cells[11].strip() or float(cells[10]) < 0:
                continue
            left, top, width, height = map(int, cells[6:10])
            words.setdefault(tuple(cells[1:5]), []).append((left, top, width, height, float(cells[10]), cells[11]))
        lines = []
        for parts in words.values():
            x0 = min(p[0] for p in parts)
            y0 = min(p[1] for p in parts)
            x1 = max(p[0] + p[2] for p in parts)
            y1 = max(p[1] + p[3] for p in parts)
            text = "".join(p[5] for p in parts)
            confidence = sum(p[4] for p in parts) / len(parts) / 100
            lines.append(OcrLine(text, ((x0, y0), (x1, y0), (x1, y1), (x0, y1)), confidence))
        return lines


ENGINES = {"rapidocr": RapidOcrEngine, "rapidocr-stock": StockRapidOcrEngine, "tesseract": TesseractEngine}


@functools.lru_cache(maxsize=None)
def engine(name: str = "rapidocr", threads: int = 0) -> Engine:
    """The named engine, its models loaded once per process."""
    return ENGINES[name](threads)
