"""The store's facts as the draft needs them, read once, and each row cited by its sentence.

A drafted number is only as good as the sentence behind it, so every part of
the draft names its rows through `StoreFacts.cite`: "claim 8 (doc b6f3…):
“… comprise 26 votes.”". The sentence is cut from the document's clean text
around the row's span, so a reviewer reads what the extractor read.
"""

from __future__ import annotations

import bisect
import re
import sys
from dataclasses import dataclass, field

from sqlalchemy import Engine, select

from detente.store.schema import actors as actors_table
from detente.store.schema import affiliations as affiliations_table
from detente.store.schema import claims as claims_table
from detente.store.schema import documents as documents_table
from detente.store.schema import events as events_table
from detente.store.schema import mentions as mentions_table
from detente.store.schema import stances as stances_table

SENTENCE_LIMIT = 240  # characters of a cited sentence; longer ones are cut around the span
# A sentence ends at . ! ? (and closing quotes) before a space, unless the dot closes an abbreviation
# ("Jan.", "Mr.", "U.S.", an initial); a blank line ends one too.
_ABBREVIATION = r"(?<!\b[A-Z])(?<!\bMr)(?<!\bMrs)(?<!\bMs)(?<!\bDr)(?<!\bSt)(?<!\bJan)(?<!\bFeb)(?<!\bMar)(?<!\bApr)" \
                r"(?<!\bJun)(?<!\bJul)(?<!\bAug)(?<!\bSep)(?<!\bSept)(?<!\bOct)(?<!\bNov)(?<!\bDec)(?<!\bGen)(?<!\bGov)(?<!\bSen)(?<!\bRep)(?<!\bNo)"
# The lookahead first: the abbreviation lookbehinds then run only where a full stop is, not at every character.
_SENTENCE_END = re.compile(rf"(?:[!?]|(?=\.){_ABBREVIATION}\.)[\"”’')\]]*\s+|\n\s*\n")


def _shared(values) -> tuple:
    """The row's strings as one shared copy each: every row from the database brings its own copy of each
    actor id, document id, type and date, which on a store of 10,000 documents is most of the draft's memory."""
    return tuple(sys.intern(v) if isinstance(v, str) else v for v in values)


@dataclass(frozen=True, slots=True)
class ActorRow:
    id: str
    name: str
    kind: str
    country: str | None


@dataclass(frozen=True, slots=True)
class StanceRow:
    id: int
    actor: str
    target: str
    target_name: str | None
    polarity: str
    condition: str | None
    date: str | None
    doc: str
    start: int
    end: int


@dataclass(frozen=True, slots=True)
class ClaimRow:
    id: int
    subject: str
    property: str
    value: float | None
    low: float | None
    high: float | None
    unit: str | None
    date: str | None
    doc: str
    start: int
    end: int


@dataclass(frozen=True, slots=True)
class EventRow:
    id: int
    type: str
    mode: str | None
    actors: tuple[str, ...]
    recipients: tuple[str, ...]
    status: str
    date: str | None
    date_text: str | None
    location: str | None
    text: str
    doc: str
    start: int
    end: int


@dataclass(frozen=True, slots=True)
class RoleRow:
    actor: str
    role: str
    organization: str | None
    doc: str | None
    start: int | None
    end: int | None


@dataclass
class StoreFacts:
    """Everything the draft reads, as plain rows; `texts` holds each document's clean text for citing."""

    actors: dict[str, ActorRow] = field(default_factory=dict)
    stances: list[StanceRow] = field(default_factory=list)
    claims: list[ClaimRow] = field(default_factory=list)
    events: list[EventRow] = field(default_factory=list)
    roles: list[RoleRow] = field(default_factory=list)
    mentions: dict[tuple[str, str], list[int]] = field(default_factory=dict)  # (doc, actor) → mention offsets
    texts: dict[str, str] = field(default_factory=dict)
    published: dict[str, str | None] = field(default_factory=dict)
    _break_cache: dict[str, tuple[list[int], list[int]]] = field(default_factory=dict, repr=False)

    @classmethod
    def read(cls, engine: Engine) -> StoreFacts:
        facts = cls()
        with engine.connect() as conn:
            for row in conn.execute(select(actors_table.c.id, actors_table.c.name, actors_table.c.kind, actors_table.c.country)):
                facts.actors[row.id] = ActorRow(row.id, row.name, row.kind, row.country)
            s = stances_table.c
            facts.stances = [StanceRow(*_shared(r)) for r in conn.execute(
                select(s.id, s.actor, s.target, s.target_name, s.polarity, s.condition, s.date, s.doc, s.start, s.end)
                .order_by(s.id))]
            c = claims_table.c
            facts.claims = [ClaimRow(*r) for r in conn.execute(
                select(c.id, c.subject, c.property, c.value, c.low, c.high, c.unit, c.date, c.doc, c.start, c.end)
                .order_by(c.id))]
            e = events_table.c
            facts.events = [
                EventRow(r.id, *_shared((r.type, r.mode)), _shared(r.actors or ()), _shared(r.recipients or ()),
                         *_shared((r.status, r.date, r.date_text, r.location)), r.text or "", _shared((r.doc,))[0],
                         r.start, r.end)
                for r in conn.execute(select(e.id, e.type, e.mode, e.actors, e.recipients, e.status, e.date, e.date_text,
                                             e.location, e.text, e.doc, e.start, e.end).order_by(e.id))
            ]
            a = affiliations_table.c
            facts.roles = [RoleRow(*_shared(r)) for r in conn.execute(
                select(a.actor, a.role, a.organization, a.doc, a.span_start, a.span_end).order_by(a.id))]
            m = mentions_table.c
            for r in conn.execute(select(m.doc, m.actor, m.start).order_by(m.doc, m.start)):
                facts.mentions.setdefault((r.doc, r.actor), []).append(r.start)
            d = documents_table.c
            for r in conn.execute(select(d.id, d.text, d.published)):
                facts.texts[r.id] = r.text
                facts.published[r.id] = r.published
        return facts

    def name(self, actor: str) -> str:
        row = self.actors.get(actor)
        return row.name if row else actor.replace("-", " ")

    def sentence(self, doc: str, start: int | None, end: int | None) -> str:
        """The sentence(s) around a span of a document, in one line, cut to SENTENCE_LIMIT characters."""
        text = self.texts.get(doc)
        if text is None or start is None:
            return ""
        begin, stop = self.sentence_bounds(doc, start, start if end is None else end)
        sentence = " ".join(text[begin:stop].split())
        if len(sentence) > SENTENCE_LIMIT:
            sentence = sentence[: SENTENCE_LIMIT - 1].rstrip() + "…"
        return sentence

    def cite(self, kind: str, row) -> str:
        """`kind id (doc …): “sentence”`, the form every source in a draft takes."""
        sentence = self.sentence(row.doc, row.start, row.end)
        quoted = f": “{sentence}”" if sentence else ""
        return f"{kind} {row.id} (doc {row.doc}){quoted}"

    def cite_all(self, kind: str, rows) -> str:
        return "; ".join(self.cite(kind, row) for row in rows)

    def mentioned_near(self, actor: str, doc: str, start: int, end: int) -> bool:
        """Whether the sentence holding a span also mentions `actor` ("15 votes in the coalition")."""
        sentence_start, sentence_end = self.sentence_bounds(doc, start, end)
        return any(sentence_start <= at < sentence_end for at in self.mentions.get((doc, actor), ()))

    def sentence_bounds(self, doc: str, start: int, end: int) -> tuple[int, int]:
        """The first and last character of the sentence(s) holding [start, end)."""
        marks, nexts = self._breaks(doc)  # where each sentence's final mark is, where the next sentence begins
        k = bisect.bisect_right(nexts, start)
        begin = nexts[k - 1] if k else 0
        k = bisect.bisect_left(marks, max(end - 1, start))
        stop = marks[k] + 1 if k < len(marks) else len(self.texts.get(doc, ""))
        return begin, stop

    def _breaks(self, doc: str) -> tuple[list[int], list[int]]:
        if doc not in self._break_cache:
            found = list(_SENTENCE_END.finditer(self.texts.get(doc, "")))
            self._break_cache[doc] = ([m.start() for m in found], [m.end() for m in found])
        return self._break_cache[doc]

    def same_sentence(self, a_doc: str, a_start: int, a_end: int, b_doc: str, b_start: int, b_end: int) -> bool:
        """Whether two spans of the store lie in the same sentence of the same document."""
        if a_doc != b_doc:
            return False
        return self.sentence_bounds(a_doc, a_start, a_end)[0] == self.sentence_bounds(b_doc, b_start, b_end)[0] or (
            a_start < b_end and b_start < a_end)
