"""A quotation found in a document, before its speaker is linked to an actor."""

from __future__ import annotations

from dataclasses import dataclass

DIRECT, INDIRECT, MIXED = "direct", "indirect", "mixed"


@dataclass
class QuoteCandidate:
    """Where the quoted words are, and where the words naming the speaker are.

    `speaker_text` is everything the text spends on naming the speaker
    ("Jane Roe, a spokeswoman for the ministry", or just "she"), at
    `speaker_text_start`/`speaker_text_end`; `speaker_start`/`speaker_end`
    is the name inside it ("Jane Roe"), which attribution links to an actor.
    """

    start: int
    end: int
    content: str
    content_start: int
    content_end: int
    kind: str
    cue: str | None
    speaker_start: int | None
    speaker_end: int | None
    speaker_text: str | None
    confidence: float
    date_text: str | None = None
    speaker_text_start: int | None = None
    speaker_text_end: int | None = None
