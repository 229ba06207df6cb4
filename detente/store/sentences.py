"""The sentence around a span of a document's clean text, for showing a fact in its words.

A plain splitter over the stored text, not a parse, so any reader of the
store (the disputes listing, the report, the web app) can show context
cheaply; sentence ends are found once per text.
"""

from __future__ import annotations

import bisect
import re
from functools import lru_cache

# A sentence ends at . ! ? (and closing quotes) before whitespace, unless a title or an initial ends there.
# The lookahead first: the lookbehinds then run only where a mark is, not at every character.
_SENTENCE_END = re.compile(r"(?=[.!?])(?<!\bMr)(?<!\bMrs)(?<!\bMs)(?<!\bDr)(?<!\bSt)(?<![A-Z])[.!?][\"”’')]*(?=\s)|\n\s*\n")
_REACH = 800  # characters looked at on each side of a span for its sentence's ends
_LONGEST_SIDE = 300  # characters of context kept on each side of a span in a very long sentence


def sentence_around(text: str, start: int, end: int) -> str:
    """The sentence (or sentences) holding text[start:end], on one line."""
    start, end = max(0, min(start, len(text))), max(0, min(end, len(text)))
    starts, ends, breaks = _sentence_ends(text)
    before = bisect.bisect_right(ends, start) - 1  # the last sentence end at or before the span
    left = ends[before] if before >= 0 and ends[before] >= start - _REACH else max(0, start - _REACH)
    after = bisect.bisect_left(starts, end)  # the first sentence end after it
    if after < len(starts) and starts[after] <= end + _REACH:
        stop = starts[after] if breaks[after] else ends[after]
    else:
        stop = min(len(text), end + _REACH)
    stop = max(stop, end)
    # A run-on "sentence" (a text without full stops) is cut to the span and some words either side.
    cut_left = "…" if start - left > _LONGEST_SIDE else ""
    cut_right = "…" if stop - end > _LONGEST_SIDE else ""
    left, stop = max(left, start - _LONGEST_SIDE), min(stop, end + _LONGEST_SIDE)
    return cut_left + " ".join(text[left:stop].split()) + cut_right


@lru_cache(maxsize=64)
def _sentence_ends(text: str) -> tuple[list[int], list[int], list[bool]]:
    """Where each sentence end starts and stops, and whether it is a paragraph break; found once per text."""
    found = list(_SENTENCE_END.finditer(text))
    return [m.start() for m in found], [m.end() for m in found], [m.group().startswith("\n") for m in found]
