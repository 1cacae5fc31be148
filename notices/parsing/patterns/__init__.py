"""Every regular expression and keyword list the text stages use, each with the line it was written for,
in one module per subject; the stages read them all through this package (`from . import patterns as P`):

    page.py      what a web page or copy prints around the notice: characters, byline, furniture
    lines.py     how lines are built: sentence and title ends, titles, what a capture glued together
    headings.py  the outline: heading labels, status markers, findings, the start of a step
    agencies.py  who is who: issuing organ, inspected unit, region and level, inspection team
    dates.py     dates as notices print them
    decoding.py  binary data, layout wrappers, how Chinese a decoding reads, a ledger's header cells
    figures.py   the counts a notice states (read by figures.py, not exported here)
    numerals.py  Chinese numerals, which the others spell patterns with

Patterns run on the *folded* text (see normalize.fold_for_matching): compatibility forms
folded (so "（一）：" arrives as "(一):"), traditional folded to simplified. They still
accept full-width punctuation, so a caller that skips folding degrades gracefully.
No pattern here may backtrack badly on a 5,000-character line: quantifiers are bounded
or run over character classes that cannot overlap their neighbours.
"""
from __future__ import annotations

from .agencies import *  # noqa: F401,F403  (each module holds its own names; this is the index)
from .dates import *  # noqa: F401,F403
from .decoding import *  # noqa: F401,F403
from .headings import *  # noqa: F401,F403
from .lines import *  # noqa: F401,F403
from .numerals import *  # noqa: F401,F403
from .page import *  # noqa: F401,F403
