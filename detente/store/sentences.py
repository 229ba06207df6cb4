"""The sentence around a span of a document's clean text, for showing a fact in its words.

A plain splitter over the stored text, not a parse, so any reader of the
store (the disputes listing, the report, the web app) can show context
cheaply: only the span's neighbourhood is scanned, so a page citing a
thousand documents does not split a thousand whole texts.
"""

from __future__ import annotations

import re

# A sentence ends at . ! ? (and closing quotes) before whitespace, unless a title or an initial ends there.
# The stop is matched before the look-behinds test what precedes it: the regex engine then skips ahead to
# the next . ! ? or newline instead of trying five look-behinds at every character (nine times faster).
_SENTENCE_END = re.compile(r"[.!?](?<!\bMr.)(?<!\bMrs.)(?<!\bMs.)(?<!\bDr.)(?<!\bSt.)(?<![A-Z].)[\"”’')]*(?=\s)|\n\s*\n")
_REACH = 800  # characters looked at on each side of a span for its sentence's ends
_LONGEST_SIDE = 300  # characters of context kept on each side of a span in a very long sentence
_INSIDE_A_MATCH = frozenset(".!?\"”’')")  # characters a sentence end can hold besides whitespace


def sentence_around(text: str, start: int, end: int) -> str:
    """The sentence (or sentences) holding text[start:end], on one line."""
    start, end = max(0, min(start, len(text))), max(0, min(end, len(text)))
    left, stop = max(0, start - _REACH), min(len(text), end + _REACH)
    for found in _SENTENCE_END.finditer(text, _scan_start(text, start - _REACH - 1)):
        if found.start() >= end:  # the first sentence end after the span
            if found.start() <= end + _REACH:
                stop = found.start() if found.group().startswith("\n") else found.end()
            break
        if start - _REACH <= found.end() <= start:  # the last one at or before it, so far
            left = found.end()
    stop = max(stop, end)
    # A run-on "sentence" (a text without full stops) is cut to the span and some words either side.
    cut_left = "…" if start - left > _LONGEST_SIDE else ""
    cut_right = "…" if stop - end > _LONGEST_SIDE else ""
    left, stop = max(left, start - _LONGEST_SIDE), min(stop, end + _LONGEST_SIDE)
    return cut_left + " ".join(text[left:stop].split()) + cut_right


def _scan_start(text: str, at: int) -> int:
    """A position at or before `at` that no sentence end straddles (one after a letter or digit), so scanning
    from it finds the very sentence ends a scan of the whole text finds there (look-behinds still see before it)."""
    at = max(0, at)
    while at > 0 and (text[at - 1].isspace() or text[at - 1] in _INSIDE_A_MATCH):
        at -= 1
    return at
