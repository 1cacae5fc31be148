"""OCR text on disk, keyed by the file's sha256 and the engine version: re-parse, re-ingest
and another worker process never OCR the same bytes twice. One JSON file per file and
engine, written whole and renamed into place, so a reader never sees half of one."""
from __future__ import annotations

import hashlib
import json
import os
import tempfile
from pathlib import Path

from .engine import OcrLine


class OcrCache:
    def __init__(self, root: str):
        self.root = Path(root)

    def _path(self, digest: str, version: str) -> Path:
        engine_key = hashlib.sha256(version.encode()).hexdigest()[:16]
        return self.root / engine_key / digest[:2] / f"{digest}.json"

    def _load(self, path: Path) -> dict:
        try:
            return json.loads(path.read_text(encoding="utf-8"))
        except (OSError, ValueError):
            return {"pages": {}}

    def get(self, digest: str, version: str, page: str):
        from . import OcrPage

        stored = self._load(self._path(digest, version)).get("pages", {}).get(page)
        if stored is None:
            return None
        lines = tuple(OcrLine(text, tuple(map(tuple, box)), confidence) for text, box, confidence in stored["lines"])
        return OcrPage(stored["width"], stored["height"], stored["dpi"], lines)

    def put(self, digest: str, version: str, page: str, result) -> None:
        path = self._path(digest, version)
        path.parent.mkdir(parents=True, exist_ok=True)
        data = self._load(path)
        data["engine"] = version
        data.setdefault("pages", {})[page] = {
            "width": result.width, "height": result.height, "dpi": result.dpi,
            "lines": [[line.text, [list(point) for point in line.box], round(line.confidence, 4)]
                      for line in result.lines],
        }
        handle, temporary = tempfile.mkstemp(dir=path.parent, suffix=".tmp")
        with os.fdopen(handle, "w", encoding="utf-8") as out:
            json.dump(data, out, ensure_ascii=False)
        os.replace(temporary, path)
