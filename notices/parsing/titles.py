"""Whether a piece of text reads as a rectification notice's title: the harvester keeps a list
page's links by the parser's own title patterns (harvest/listing.py)."""
from __future__ import annotations

from . import patterns as P
from .chars import nfkc


def is_notice_title(text: str) -> bool:
    """Whether a link's text reads as a rectification notice's title (see patterns.NOTICE_LINK_SUBJECT)."""
    title = P.LINK_ATTACHMENT_PREFIX.sub("", P.LINK_FILE_SUFFIX.sub("", "".join(nfkc(text).split())))
    if not P.NOTICE_LINK_SUBJECT.search(title):
        return False
    if P.TITLE_END.search(title) or P.TITLE_WORDS.search(title):
        return True
    return bool(P.CUT_SHORT.search(title) and P.ABOUT.search(title))
