"""Each variant of a seed (docx, GB2312 web page, printed PDF, GB18030, UTF-16, Big5,
radicals) parses as well as the seed itself, scored by tools/score_parse.py against the gold."""
from __future__ import annotations

import json
import re
import subprocess
import sys
import tempfile
from functools import lru_cache
from pathlib import Path

import opencc
import pytest

from notices.parsing import parse_notice

ROOT = Path(__file__).resolve().parents[2]
VARIANTS = ROOT / "tests/data/variants"
GOLD = ROOT / "tests/data/gold"
MANIFEST = json.loads((VARIANTS / "manifest.json").read_text(encoding="utf-8"))
FLOORS = {"issue_f1": 0.95, "measure_f1": 0.93, "meta_acc": 0.95}
TRANSFORMS = {e["file"]: e.get("transform") for e in MANIFEST}


def _to_simplified(value):
    if isinstance(value, str):
        return opencc.OpenCC("tw2s").convert(value)
    if isinstance(value, list):
        return [_to_simplified(item) for item in value]
    if isinstance(value, dict):
        return {key: _to_simplified(item) for key, item in value.items()}
    return value


@lru_cache(maxsize=None)
def score(variant: str, seed: str) -> dict[str, float]:
    """score_parse.py's overall figures for one variant, its prediction named after the seed."""
    prediction = parse_notice((VARIANTS / variant).read_bytes(), variant).to_json(file=seed)
    if TRANSFORMS.get(variant) == "s2tw":
        # The parser keeps the printed (traditional) text; the gold is simplified.
        prediction = _to_simplified(prediction)
    with tempfile.TemporaryDirectory() as scratch:
        pred, gold = Path(scratch, "pred.jsonl"), Path(scratch, "gold.jsonl")
        pred.write_text(json.dumps(prediction, ensure_ascii=False) + "\n", encoding="utf-8")
        gold.write_text(json.dumps(json.loads((GOLD / seed.replace(".txt", ".json")).read_text(encoding="utf-8")),
                                   ensure_ascii=False) + "\n", encoding="utf-8")
        out = subprocess.run([sys.executable, str(ROOT / "tools/score_parse.py"), "--gold", str(gold),
                              "--pred", str(pred)], capture_output=True, text=True, check=True).stdout
    overall = out.strip().splitlines()[-1]
    return {key: float(value) for key, value in re.findall(r"(\w+)=([\d.]+)", overall)}


@pytest.mark.parametrize("entry", MANIFEST, ids=[e["file"] for e in MANIFEST])
def test_each_variant_scores_like_its_plain_text_seed(entry):
    figures = score(entry["file"], entry["seed"])
    below = {k: figures.get(k, 0.0) for k, floor in FLOORS.items() if figures.get(k, 0.0) < floor}
    assert not below, f"{entry['file']} ({entry['format']}): {figures}"
