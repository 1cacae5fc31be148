#!/usr/bin/env python3
"""Measure near-duplicate detection on pairs built from the samples, their variants and the excerpts.

    .venv/bin/python tools/near_duplicates.py [--minhash]

Copies (should match): each sample against each of its committed variants (GB18030,
UTF-16, Big5 in traditional characters, radical code points, .docx, a government web page
with chrome, a PDF printed from it), the sample plus one newline, a news-site repost in
other chrome, and a repost that drops the last three lines (signature and date).
Different notices (should not match): every pair of distinct samples and excerpts, and
"the same unit's notice of another year": one sample's opening fifth (unit, inspection
team, preamble) followed by another sample's problems and measures.

Each pair is parsed as the archive parses it and compared on the folded texts by: the
archive's own gram bag (bigrams, tokenize.gram_bag) Jaccard; Jaccard of character
5-gram shingles (notices/copies.py); and with --minhash, datasketch's MinHash estimate
(128 permutations) of that same Jaccard (pip install datasketch). It prints precision and
recall at each threshold, and whether the candidate rule (same title or unit) finds each copy.
"""
from __future__ import annotations

import argparse
import itertools
import json
import sys
from html import escape
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from notices import tokenize  # noqa: E402
from notices.copies import candidate_keys, shingles, similarity  # noqa: E402
from notices.parsing import parse_notice  # noqa: E402

VARIANTS = ROOT / "tests" / "data" / "variants"
EXCERPTS = ROOT / "tests" / "data" / "excerpts"
THRESHOLDS = (0.5, 0.6, 0.7, 0.8, 0.85, 0.9, 0.95)


def news_repost(text: str, drop_last: int = 0) -> bytes:
    lines = [line.strip() for line in text.splitlines() if line.strip()]
    lines = lines[: len(lines) - drop_last] if drop_last else lines
    body = "".join(f"<p>{escape(line)}</p>" for line in lines[1:])
    return (f'<html><head><meta charset="utf-8"><title>{escape(lines[0])}-新闻网</title></head><body>'
            f'<div class="nav"><a href="/">首页</a> <a href="/xs/">巡视巡察</a></div>'
            f'<h1>{escape(lines[0])}</h1><div class="info">来源：本网综合 编辑：王丽</div>'
            f'<div class="content">{body}</div><div class="foot">版权所有 新闻网</div></body></html>').encode("utf-8")


def parsed(data: bytes, name: str):
    notice = parse_notice(data, name)
    return notice, tokenize.fold(notice.text)


def build_pairs():
    samples = sorted((ROOT / "samples").glob("*.txt"))
    seeds = {p.name[:3]: parsed(p.read_bytes(), p.name) for p in samples}
    texts = {p.name[:3]: p.read_text(encoding="utf-8") for p in samples}
    copies, different = [], []
    for entry in json.loads((VARIANTS / "manifest.json").read_text(encoding="utf-8")):
        key = entry["seed"][:3]
        kind = entry["file"].split(".", 1)[1]
        copies.append((f"{key} {kind}", seeds[key], parsed((VARIANTS / entry["file"]).read_bytes(), entry["file"])))
    for key, text in texts.items():
        copies.append((f"{key} +newline", seeds[key], parsed((text + "\n").encode(), f"{key}.txt")))
        copies.append((f"{key} news repost", seeds[key], parsed(news_repost(text), f"{key}.html")))
        copies.append((f"{key} repost without signature", seeds[key], parsed(news_repost(text, 3), f"{key}.html")))
    others = dict(seeds)
    for path in sorted(EXCERPTS.glob("*.txt")):
        try:
            others[path.stem] = parsed(path.read_bytes(), path.name)
        except Exception:  # an excerpt the parser refuses is no pair
            continue
    for (a, pa), (b, pb) in itertools.combinations(others.items(), 2):
        different.append((f"{a} vs {b}", pa, pb))
    for a, b in itertools.permutations(texts, 2):
        la, lb = texts[a].splitlines(), texts[b].splitlines()
        mixed = "\n".join(la[: len(la) // 5] + lb[len(lb) // 5:])
        different.append((f"{a} opening + {b} body", seeds[a], parsed(mixed.encode(), "mixed.txt")))
    return copies, different


def methods(use_minhash: bool):
    found = {
        "gram bag (bigrams)": lambda x, y: similarity(frozenset(tokenize.gram_bag(x)), frozenset(tokenize.gram_bag(y))),
        "5-gram shingles": lambda x, y: similarity(shingles(x), shingles(y)),
    }
    if use_minhash:
        from datasketch import MinHash

        def minhash(x, y):
            hashes = []
            for text in (x, y):
                m = MinHash(num_perm=128, seed=1)
                m.update_batch([s.encode() for s in shingles(text)])
                hashes.append(m)
            return hashes[0].jaccard(hashes[1])
        found["MinHash 128 (datasketch)"] = minhash
    return found


def same_candidate(pa, pb) -> bool:
    """Whether copies.nearest_notice would consider the stored notice `pa` for `pb`."""
    (title_a, unit_a), (title_b, unit_b) = candidate_keys(pa[0].metadata), candidate_keys(pb[0].metadata)
    return bool(title_b and title_a == title_b) or bool(unit_b and unit_a == unit_b)


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--minhash", action="store_true", help="also datasketch's MinHash estimate")
    ap.add_argument("-v", action="store_true", help="print every pair's scores")
    args = ap.parse_args()
    copies, different = build_pairs()
    print(f"{len(copies)} copy pairs, {len(different)} pairs of different notices")
    missed = [name for name, pa, pb in copies if not same_candidate(pa, pb)]
    print(f"candidate rule (same title or unit) finds {len(copies) - len(missed)}/{len(copies)} copies"
          + (f"; misses {', '.join(missed)}" if missed else ""))
    for label, score in methods(args.minhash).items():
        pos = [(name, score(pa[1], pb[1])) for name, pa, pb in copies]
        neg = [(name, score(pa[1], pb[1])) for name, pa, pb in different]
        print(f"\n{label}: copies min {min(s for _, s in pos):.3f}; different notices max {max(s for _, s in neg):.3f}"
              f" ({max(neg, key=lambda p: p[1])[0]})")
        found_pos = [same_candidate(pa, pb) for _, pa, pb in copies]
        found_neg = [same_candidate(pa, pb) for _, pa, pb in different]
        for t in THRESHOLDS:
            tp = sum(s >= t for _, s in pos)
            fp = sum(s >= t for _, s in neg)
            precision = tp / (tp + fp) if tp + fp else 1.0
            # As the archive decides: the pair must also pass the candidate rule.
            tp_rule = sum(s >= t and c for (_, s), c in zip(pos, found_pos))
            fp_rule = sum(s >= t and c for (_, s), c in zip(neg, found_neg))
            print(f"  threshold {t:.2f}: precision {precision:.3f}  recall {tp / len(pos):.3f}  ({tp} copies, {fp} false);"
                  f" with the candidate rule: precision {tp_rule / (tp_rule + fp_rule) if tp_rule + fp_rule else 1.0:.3f}"
                  f"  recall {tp_rule / len(pos):.3f}")
        if args.v:
            for name, s in sorted(pos, key=lambda p: p[1])[:10]:
                print(f"    copy {s:.3f} {name}")
            for name, s in sorted(neg, key=lambda p: -p[1])[:10]:
                print(f"    diff {s:.3f} {name}")


if __name__ == "__main__":
    main()
