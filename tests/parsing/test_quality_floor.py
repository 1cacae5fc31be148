"""The parser's scores on the gold corpus, pinned: lowering a floor here is a deliberate act.

Seeds and excerpts are scored with the project's own scorers (tools/score_parse.py and
tools/score_excerpts.py), run in-process on what the parser prints. The text variants are
the seeds as other captures print them: in traditional characters, on one line, flattened
with spaces, hard-wrapped like a PDF, and with romanisation a mirror inserted.
"""
from __future__ import annotations

import re

import pytest
from opencc import OpenCC

from .support import EXCERPTS, GOLD, SAMPLES, overall, run_scorer, write_predictions


def _seed_texts() -> list[tuple[str, str]]:
    return [(path.name, path.read_text(encoding="utf-8")) for path in SAMPLES]


def _score_seeds(texts, tmp_path, fold=False):
    predictions = write_predictions(texts, tmp_path / "pred.jsonl", fold=fold)
    lines = run_scorer("score_parse.py", "--gold", str(GOLD), "--pred", str(predictions))
    return lines, overall(lines)


def test_the_five_seeds_parse_with_full_marks(tmp_path):
    lines, score = _score_seeds(_seed_texts(), tmp_path)
    assert score == {"meta_acc": 1.0, "issue_f1": 1.0, "measure_f1": 1.0}, "\n".join(lines)
    category, status = re.search(r"category (\d+/\d+); status (\d+/\d+)", "\n".join(lines)).groups()
    assert category == "57/57" and status == "39/39"


def test_the_seeds_give_every_leaf_issue_the_issue_documents_count():
    from .support import leaf_titles, parse

    counts = [len(leaf_titles(parse(text, name))) for name, text in _seed_texts()]
    assert counts == [16, 18, 10, 13, 39]


def test_the_real_excerpts_keep_metadata_first_problem_and_honest_nulls(tmp_path):
    texts = [(path.name, path.read_text(encoding="utf-8")) for path in sorted(EXCERPTS.glob("*.txt"))]
    predictions = write_predictions(texts, tmp_path / "pred.jsonl")
    lines = run_scorer("score_excerpts.py", "--gold", str(EXCERPTS / "gold.jsonl"), "--pred", str(predictions), "-v")
    assert overall(lines) == {"heldout_meta_acc": 1.0, "first_issue": 1.0, "null_acc": 1.0}, "\n".join(lines)


def _traditional(text: str) -> str:
    return OpenCC("s2t").convert(text).replace("反饋", "回饋")


def _one_line(text: str) -> str:
    return "".join(line.strip() for line in text.splitlines() if line.strip())


def _flattened(text: str) -> str:
    return " ".join(line.strip() for line in text.splitlines() if line.strip())


def _romanised(text: str) -> str:
    return text.replace("根据", "根據(jù)").replace("关于", "关(guān)于").replace("整改", "整(zhěng)改")


def _hard_wrapped(text: str, width: int = 38) -> str:
    lines = [line.strip() for line in text.splitlines() if line.strip()]
    return "\n".join(line[i : i + width] for line in lines for i in range(0, len(line), width))


@pytest.mark.parametrize(
    ("variant", "floor"),
    [
        (_traditional, {"meta_acc": 1.0, "issue_f1": 1.0, "measure_f1": 1.0}),
        (_one_line, {"meta_acc": 1.0, "issue_f1": 1.0, "measure_f1": 1.0}),
        (_flattened, {"meta_acc": 1.0, "issue_f1": 1.0, "measure_f1": 1.0}),
        (_romanised, {"meta_acc": 1.0, "issue_f1": 1.0, "measure_f1": 1.0}),
        # A wrapped line that ends on a full stop is indistinguishable from a paragraph end.
        (_hard_wrapped, {"meta_acc": 1.0, "issue_f1": 1.0, "measure_f1": 0.99}),
    ],
    ids=["traditional", "one-line", "flattened", "romanised", "hard-wrapped"],
)
def test_each_text_variant_of_the_seeds_scores_like_the_seeds(variant, floor, tmp_path):
    texts = [(name, variant(text)) for name, text in _seed_texts()]
    lines, score = _score_seeds(texts, tmp_path, fold=variant is _traditional)
    for key, minimum in floor.items():
        assert score[key] >= minimum, "\n".join(lines)


@pytest.mark.parametrize("variant", [_one_line, _flattened], ids=["one-line", "flattened"])
def test_the_excerpts_captured_without_line_breaks_keep_their_scores(variant, tmp_path):
    texts = [(p.name, variant(p.read_text(encoding="utf-8"))) for p in sorted(EXCERPTS.glob("*.txt"))]
    predictions = write_predictions(texts, tmp_path / "pred.jsonl")
    lines = run_scorer("score_excerpts.py", "--gold", str(EXCERPTS / "gold.jsonl"), "--pred", str(predictions), "-v")
    assert overall(lines) == {"heldout_meta_acc": 1.0, "first_issue": 1.0, "null_acc": 1.0}, "\n".join(lines)
