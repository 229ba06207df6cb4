"""Quotation marks and paragraphs: pairing marks into quoted spans as newsrooms use them."""

from __future__ import annotations

import bisect
import re
from dataclasses import dataclass, field

# Two apostrophes stand for a double mark in some archives ("''We will go,'' he said").
DOUBLE_MARK = re.compile(r"''|[\"“”„‟«»]")
_BLANK_LINE = re.compile(r"\n[^\S\n]*\n\s*")
_NEWLINE = re.compile(r"\n\s*")
_OPEN_SHAPES = "“„‟«"
_CLOSE_SHAPES = "”»"
# Characters that may sit right before an opening mark / right after a closing one.
_BEFORE_OPEN = set("([{<—–-/") | set(_OPEN_SHAPES) | {"‘", "'"}
_AFTER_CLOSE = set(".,;:!?)]}>—–-…") | set(_CLOSE_SHAPES) | {"’", "'"}
_OPEN, _CLOSE, _EITHER = "open", "close", "either"
SENTENCE_END = set(".!?…")
TRAILING_MARKS = "\"'’”»‘“ \t\n"


def _mark_role(text: str, i: int) -> str:
    """Decide from the neighbours whether a mark opens or closes.

    Flanking beats shape, because news text often has a straight or wrongly
    curled mark (a right curly mark used to open, say); shape only breaks ties.
    """
    prev = text[i - 1] if i > 0 else " "
    after = i + _width(text, i)
    nxt = text[after] if after < len(text) else " "
    loose_before = prev.isspace() or prev in _BEFORE_OPEN
    loose_after = nxt.isspace() or nxt in _AFTER_CLOSE
    if loose_before and not loose_after:
        return _OPEN
    if loose_after and not loose_before:
        return _CLOSE
    if text[i] in _OPEN_SHAPES:
        return _OPEN
    if text[i] in _CLOSE_SHAPES:
        return _CLOSE
    return _EITHER


@dataclass
class Paragraphs:
    """Paragraph boundaries: blank lines, or single newlines in a text without any."""

    ends: list[int]  # where each paragraph's text ends (exclusive)
    starts: list[int]  # where the next paragraph's text starts

    @classmethod
    def of(cls, text: str) -> Paragraphs:
        pattern = _BLANK_LINE if _BLANK_LINE.search(text) else _NEWLINE
        ends, starts = [], []
        for m in pattern.finditer(text):
            ends.append(m.start())
            starts.append(m.end())
        return cls(ends, starts)

    def end_after(self, pos: int, text_len: int) -> int:
        """The end of the paragraph holding `pos`."""
        k = bisect.bisect_left(self.ends, pos)
        return self.ends[k] if k < len(self.ends) else text_len

    def start_before(self, pos: int) -> int:
        """The start of the paragraph holding `pos`."""
        k = bisect.bisect_right(self.starts, pos) - 1
        return self.starts[k] if k >= 0 else 0

    def break_between(self, a: int, b: int) -> int | None:
        """Index of the first paragraph break in [a, b), if any."""
        k = bisect.bisect_left(self.ends, a)
        return k if k < len(self.ends) and self.ends[k] < b else None


@dataclass
class MarkSpan:
    open: int
    end: int  # exclusive; after the closing mark, or the paragraph end if unclosed
    content_start: int
    content_end: int
    closed: bool
    odd: bool = False  # mismatched mark shapes
    fragment: bool = False  # a phrase inside a sentence, not a quote of its own
    labelled: bool = False  # a headline quote after its speaker's name ("Kerry: ‘...’")
    used: bool = field(default=False, compare=False)  # taken into a mixed quote


def _width(text: str, i: int) -> int:
    """How many characters the mark at `i` takes: two for a doubled apostrophe."""
    return 2 if text.startswith("''", i) else 1


def _closed_span(text: str, opened: int, close: int) -> MarkSpan:
    odd = (text[opened] == '"') != (text[close] == '"') or text[opened] in _CLOSE_SHAPES
    return MarkSpan(opened, close + _width(text, close), opened + _width(text, opened), close, True, odd)


def _unclosed_span(text: str, opened: int, stop: int) -> MarkSpan | None:
    start, end = opened + _width(text, opened), stop
    while start < end and text[start].isspace():
        start += 1
    while end > start and text[end - 1].isspace():
        end -= 1
    return MarkSpan(opened, end, start, end, False, True) if end > start else None


_WORD = re.compile(r"[a-z]+")


def _runs_on(text: str, i: int, cue_words: frozenset[str]) -> bool:
    """'... the collapse “said Erdogan': an opening-shaped mark that a cue word follows closes the quote."""
    word = _WORD.match(text, i + _width(text, i))
    return word is not None and word.group() in cue_words


def pair_marks(text: str, paras: Paragraphs, cue_words: frozenset[str] = frozenset()) -> list[MarkSpan]:
    """Pair double quotation marks into spans, following newsroom conventions.

    A paragraph that ends inside a quotation continues it when the next
    paragraph opens with a mark. An opening mark left alone at a paragraph end
    becomes a quote up to that end (flagged unclosed); a second opening mark in
    the same paragraph makes the first one a stray, which is dropped, unless a
    cue word follows it ("... “said Kerry"): then it closes the quotation.
    """
    spans: list[MarkSpan] = []
    opened: int | None = None
    last_open = 0
    for m in DOUBLE_MARK.finditer(text):
        i = m.start()
        role = _mark_role(text, i)
        if opened is not None:
            k = paras.break_between(last_open, i)
            if k is not None:
                if role != _CLOSE and paras.starts[k] == i:
                    last_open = i  # the quotation goes on in this paragraph
                    continue
                span = _unclosed_span(text, opened, paras.ends[k])
                if span:
                    spans.append(span)
                opened = None
            elif role != _OPEN or _runs_on(text, i, cue_words):
                spans.append(_closed_span(text, opened, i))
                opened = None
                continue
            else:
                opened = None
        if role != _CLOSE:
            opened = last_open = i
    if opened is not None:
        span = _unclosed_span(text, opened, paras.end_after(last_open + 1, len(text)))
        if span:
            spans.append(span)
    return spans



def last_char(text: str, start: int, end: int) -> str:
    """The last meaningful character of quoted words, ignoring inner closing marks."""
    end_ = end
    while end_ > start and text[end_ - 1] in TRAILING_MARKS:
        end_ -= 1
    return text[end_ - 1] if end_ > start else ""


def prev_char(text: str, pos: int, floor: int) -> tuple[int, str]:
    j = pos - 1
    while j >= floor and text[j].isspace():
        j -= 1
    return (j, text[j]) if j >= floor else (-1, "")


def next_char(text: str, pos: int, ceiling: int) -> tuple[int, str]:
    k = pos
    while k < ceiling and text[k].isspace():
        k += 1
    return (k, text[k]) if k < ceiling else (-1, "")



def looks_like_title(text: str, span: MarkSpan) -> bool:
    """A quoted headline or name ("The Long Road Home") rather than speech."""
    words = re.findall(r"[^\W\d_][\w'’-]*", text[span.content_start:span.content_end])
    if len(words) < 3 or last_char(text, span.content_start, span.content_end) in SENTENCE_END:
        return False
    small = {"a", "an", "the", "of", "and", "or", "in", "on", "to", "for", "with", "at", "by", "is"}
    capital = sum(1 for w in words if w[0].isupper() or w.lower() in small)
    return capital / len(words) >= 0.85 and sum(1 for w in words if w[0].isupper()) >= 2
