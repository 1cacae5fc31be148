"""Chinese numerals as the other patterns spell them: "十二", "二十三", "两"."""
from __future__ import annotations

CN_DIGITS = "一二三四五六七八九十百零〇两"
CN_DIGIT = f"[{CN_DIGITS}]"
