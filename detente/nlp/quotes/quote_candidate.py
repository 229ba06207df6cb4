"""A quotation found in a document, before its speaker is linked to an actor."""

from __future__ import annotations

from dataclasses import dataclass

DIRECT, INDIRECT, MIXED = "direct", "indirect", "mixed"


@dataclass
class QuoteCandidate:
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
