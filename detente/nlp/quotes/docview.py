"""One parsed document seen by character offset, with its paragraphs and quoted words."""

from __future__ import annotations

import bisect
from typing import TYPE_CHECKING

from detente.nlp.quotes.marks import MarkSpan, Paragraphs
from detente.nlp.token_table import token_table

if TYPE_CHECKING:
    from spacy.tokens import Doc, Span, Token


class DocView:
    """Token lookups by character offset plus which tokens are quoted words."""

    def __init__(self, doc: Doc, text: str) -> None:
        self.doc = doc
        self.text = text  # Doc.text is rebuilt on every access; read it once
        self.starts = token_table(doc).starts
        self.paras = Paragraphs.of(text)
        self.quoted = [False] * len(doc)
        self.in_fragment = [False] * len(doc)  # inside a quoted phrase ("called it “a farce”")

    def mark_quoted(self, spans: list[MarkSpan]) -> None:
        """Remember which tokens are quoted words, so they never count as narrative."""
        for span in spans:
            marks = self.in_fragment if span.fragment else self.quoted
            for t in self.tokens_in(span.open, span.end):
                marks[t.i] = True

    def token_at(self, char: int) -> Token | None:
        k = bisect.bisect_right(self.starts, char) - 1
        return self.doc[k] if 0 <= k < len(self.doc) else None

    def tokens_in(self, start: int, end: int) -> list[Token]:
        lo = bisect.bisect_left(self.starts, start)
        hi = bisect.bisect_left(self.starts, end)
        return [t for t in self.doc[lo:hi] if t.idx + len(t) <= end]

    def sentence_of(self, char: int) -> Span | None:
        tok = self.token_at(char)
        return tok.sent if tok is not None else None
