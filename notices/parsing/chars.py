"""Character-level folding shared by every format: compatibility forms back to ordinary text."""
from __future__ import annotations

import unicodedata


def fold_compatibility(text: str) -> str:
    """NFKC (full width -> half width, Kangxi radicals -> ideographs)."""
    return unicodedata.normalize("NFKC", text)
