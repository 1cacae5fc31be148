#!/usr/bin/env python3
"""Per-field counts of the parser on tests/data/web_notices, tuned and held-out cases apart.

    python tools/score_web_cases.py [-v] [--heldout-only | --tuned-only]

The cases are beginnings of notices written in the shapes real web pages print (chrome,
bylines, disclosure tables, reposts). A third of them is held out to estimate how rules do
on notices nobody tuned on: a case is held out when the SHA-1 of its file name is divisible
by 3, decided before any rule was written. Gold keys absent from a case are not scored; a
null is an honest null to keep. -v prints the failures (never read them for held-out cases
while writing rules).
"""
from __future__ import annotations

import argparse
import hashlib
import json
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "tools"))

from score_excerpts import first_issue_ok, norm  # noqa: E402  (the team's own comparison rules)

CASES = ROOT / "tests" / "data" / "web_notices"
FIELDS = ("title", "issuer", "inspection_kind", "inspector", "inspection_start", "inspection_end",
          "feedback_date", "publish_date", "province", "level")


def held_out(name: str) -> bool:
    return int(hashlib.sha1(name.encode("utf-8")).hexdigest(), 16) % 3 == 0


def gold_cases() -> list[dict]:
    return [json.loads(line) for line in (CASES / "gold.jsonl").read_text(encoding="utf-8").splitlines() if line.strip()]


def _equal(field: str, gold, pred) -> bool:
    g, p = norm(gold), norm(pred)
    if field == "issuer" and g and p:
        return g in p or p in g
    return g == p


def score(parsed: dict[str, dict], cases: list[dict], verbose: bool = False) -> dict[str, list[int]]:
    """{field: [right, total]} over the cases, with "first_issue" and "honest_nulls"."""
    counts = {name: [0, 0] for name in (*FIELDS, "first_issue", "honest_nulls")}
    for case in cases:
        pred = parsed[case["file"]]
        for field in FIELDS:
            if field not in case:
                continue
            if case[field] is None:
                good = pred.get(field) in (None, "")
                counts["honest_nulls"][0] += good
                counts["honest_nulls"][1] += 1
            else:
                good = _equal(field, case[field], pred.get(field))
                counts[field][0] += good
                counts[field][1] += 1
            if verbose and not good:
                print(f"{case['file']} {field}: gold={case[field]!r} pred={pred.get(field)!r}")
        if case.get("first_issue"):
            good = first_issue_ok(case["first_issue"], pred)
            counts["first_issue"][0] += good
            counts["first_issue"][1] += 1
            if verbose and not good:
                print(f"{case['file']} first_issue: gold={case['first_issue']!r}")
    return counts


def parse_all(cases: list[dict]) -> dict[str, dict]:
    from notices.parsing import parse_notice

    return {c["file"]: parse_notice((CASES / c["file"]).read_bytes(), c["file"]).to_json(c["file"]) for c in cases}


def metadata_accuracy(counts: dict[str, list[int]]) -> float:
    right = sum(counts[f][0] for f in FIELDS)
    total = sum(counts[f][1] for f in FIELDS)
    return right / total if total else 1.0


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("-v", action="store_true")
    group = ap.add_mutually_exclusive_group()
    group.add_argument("--heldout-only", action="store_true")
    group.add_argument("--tuned-only", action="store_true")
    args = ap.parse_args()
    cases = gold_cases()
    parsed = parse_all(cases)
    sets = {"tuned": [c for c in cases if not held_out(c["file"])], "held-out": [c for c in cases if held_out(c["file"])]}
    if args.heldout_only:
        sets.pop("tuned")
    if args.tuned_only:
        sets.pop("held-out")
    for name, subset in sets.items():
        counts = score(parsed, subset, verbose=args.v and name == "tuned" or args.v and args.heldout_only)
        print(f"== {name}: {len(subset)} cases")
        for field, (right, total) in counts.items():
            print(f"{field:18s} {right}/{total}")
        print(f"metadata {metadata_accuracy(counts):.3f}")


if __name__ == "__main__":
    main()
