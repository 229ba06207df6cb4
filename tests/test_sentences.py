"""A fact is shown in its sentence: the sentence found around its span, however long the document.

`sentence_around` scans only the span's neighbourhood (a page citing a
thousand documents used to split a thousand whole texts). The sentence it
gives must be the one a scan of the whole text gives: the property test
splits the whole text with the same sentence-end rule and checks the two
agree on any text, including runs of spaces, quotes and stops at the edge of
the scanned neighbourhood.
"""

from __future__ import annotations

import bisect

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from detente.store.sentences import _LONGEST_SIDE, _REACH, _SENTENCE_END, sentence_around


def _around_by_whole_text(text: str, start: int, end: int) -> str:
    """The documented rule applied to every sentence end of the whole text: the sentence between the last end
    at or before the span (within reach) and the first end after it, cut to `_LONGEST_SIDE` either side."""
    start, end = max(0, min(start, len(text))), max(0, min(end, len(text)))
    found = list(_SENTENCE_END.finditer(text))
    starts, ends = [m.start() for m in found], [m.end() for m in found]
    before = bisect.bisect_right(ends, start) - 1
    left = ends[before] if before >= 0 and ends[before] >= start - _REACH else max(0, start - _REACH)
    after = bisect.bisect_left(starts, end)
    if after < len(starts) and starts[after] <= end + _REACH:
        stop = starts[after] if found[after].group().startswith("\n") else ends[after]
    else:
        stop = min(len(text), end + _REACH)
    stop = max(stop, end)
    cut_left = "…" if start - left > _LONGEST_SIDE else ""
    cut_right = "…" if stop - end > _LONGEST_SIDE else ""
    left, stop = max(left, start - _LONGEST_SIDE), min(stop, end + _LONGEST_SIDE)
    return cut_left + " ".join(text[left:stop].split()) + cut_right


PIECES = ["Mr.", "Mrs.", "Ms.", "Dr.", "St.", "U.S.", "talks", "ended.", "now!", "why?", 'said."', "agreed.”", "(it.)",
          " ", "   ", "\n", "\n\n", " \n \n ", "\t", "\u00a0", "x" * 90, ".", "?!", "'"]


@settings(max_examples=300, deadline=None)
@given(pieces=st.lists(st.sampled_from(PIECES), max_size=400), at=st.floats(0, 1), width=st.integers(0, 80))
def test_the_sentence_found_near_the_span_is_the_one_the_whole_text_gives(pieces, at, width):
    text = "".join(pieces)
    start = int(at * len(text))
    assert sentence_around(text, start, start + width) == _around_by_whole_text(text, start, start + width)


def test_a_span_far_into_a_long_document_gets_its_own_sentence():
    filler = "Delegates met again and talked for hours. " * 2000
    text = filler + "The envoy said the truce would hold. " + filler
    start = text.index("the truce")
    assert sentence_around(text, start, start + len("the truce")) == "The envoy said the truce would hold."


def test_a_paragraph_break_of_a_thousand_blanks_still_ends_the_sentence_before():
    # The break starts far beyond the reach before the span and ends inside it: the scan must start before it.
    text = "Intro.\n" + " " * 1000 + "\nThe talks began in Geneva."
    start = text.index("Geneva")
    assert sentence_around(text, start, start + len("Geneva")) == "The talks began in Geneva."


@pytest.mark.parametrize("text, words, sentence", [
    ("Mr. Lavrov met Dr. Zarif. Then they left.", "met", "Mr. Lavrov met Dr. Zarif."),
    ("Mrs. Ode and Ms. Amin spoke. Later, rain.", "spoke", "Mrs. Ode and Ms. Amin spoke."),
    ("Talks in St. Petersburg ended. Next week, Vienna.", "ended", "Talks in St. Petersburg ended."),
    ("U.S. officials agreed. Others did not.", "agreed", "U.S. officials agreed."),
    ('He said: "We will sign." Then he left.', "sign", 'He said: "We will sign."'),
    ("No stop here\n\nA new paragraph starts.", "paragraph", "A new paragraph starts."),
    ("Why now? Because the deadline passed!", "deadline", "Because the deadline passed!"),
])
def test_titles_and_initials_do_not_end_a_sentence_and_closing_quotes_stay_with_it(text, words, sentence):
    start = text.index(words)
    assert sentence_around(text, start, start + len(words)) == sentence


def test_a_sentence_without_stops_is_cut_around_the_span():
    text = " ".join(["word"] * 400) + " TARGET " + " ".join(["word"] * 400)
    start = text.index("TARGET")
    shown = sentence_around(text, start, start + len("TARGET"))
    assert shown.startswith("…") and shown.endswith("…") and "TARGET" in shown
    assert len(shown) <= 2 * _LONGEST_SIDE + len("TARGET") + 2
