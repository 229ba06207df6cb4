"""Plain records passed between the extraction steps of one document.

They mirror the store's rows but carry character offsets into the document's
clean text, so every fact can point back at its sentence.
"""

from __future__ import annotations

from dataclasses import dataclass, field

ACTOR_KINDS = ("person", "organization", "state", "group")


@dataclass
class ActorRecord:
    id: str
    name: str
    kind: str
    country: str | None = None
    aliases: list[str] = field(default_factory=list)


@dataclass
class Mention:
    start: int
    end: int
    text: str
    actor: str
    kind: str
    confidence: float = 1.0


@dataclass
class AffiliationRecord:
    actor: str
    role: str
    organization: str | None
    organization_text: str | None
    start: str | None
    span_start: int
    span_end: int
    end: str | None = None
    confidence: float = 1.0


@dataclass
class QuoteRecord:
    start: int
    end: int
    content: str
    kind: str
    speaker: str | None
    speaker_text: str | None
    cue: str | None
    confidence: float
    date: str | None = None
    date_text: str | None = None
