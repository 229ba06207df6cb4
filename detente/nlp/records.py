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


@dataclass
class EventRecord:
    """A PLOVER event as one source reports it; `actors`/`recipients` hold actor ids."""

    start: int
    end: int
    type: str
    mode: str | None
    actors: list[str]
    recipients: list[str]
    status: str  # reported | planned | cancelled | denied | hypothetical
    text: str
    date: str | None = None
    date_text: str | None = None
    location: str | None = None
    confidence: float = 1.0
    # The words for each doer and receiver, resolved or not ("the two sides").
    actors_text: list[str] = field(default_factory=list)
    recipients_text: list[str] = field(default_factory=list)


@dataclass
class StanceRecord:
    """An actor's stance toward a target (initiative, conference, issue or actor id)."""

    start: int
    end: int
    actor: str
    target: str
    polarity: str  # support | oppose | condition
    condition: str | None = None
    date: str | None = None
    confidence: float = 1.0
    target_name: str | None = None  # how a reader knows the target
    target_text: str | None = None  # the words this statement names it by


@dataclass
class ClaimRecord:
    """A figure as one source states it: value, or a low/high range."""

    start: int
    end: int
    subject: str
    property: str
    value: float | None
    low: float | None
    high: float | None
    unit: str | None
    date: str | None = None
    attributed_to: str | None = None
    confidence: float = 1.0
    # The words naming who states the figure ("activists", "the UN"), kept even
    # when no registered actor matches them, so "who reports it" is never lost.
    source_text: str | None = None
    qualifier: str | None = None  # "more than", "about", "at least", "up to"


@dataclass
class DisputeRecord:
    """Two stored statements that disagree; `b` is the later one, the one that rebuts or corrects.

    `a_kind`/`b_kind` name the table the ids point into ("quote", "claim", or
    "event" when a disputed sentence holds neither), or are "sentence" (no id)
    when the disputed words hold no stored row at all; `kind` is contradiction,
    correction or rebuttal.
    """

    a_kind: str
    a_id: int | None
    b_kind: str
    b_id: int | None
    kind: str
    confidence: float = 1.0
    a_span: tuple[str, int, int] | None = None  # (document, start, end) of each side
    b_span: tuple[str, int, int] | None = None
