"""One document as the claim finder sees it: its parse, actors, dates, quotes and conflict."""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass, field
from functools import lru_cache
from typing import TYPE_CHECKING

from detente.nlp.actors.registry import ActorRegistry
from detente.nlp.claims.patterns import ClaimPatterns
from detente.nlp.records import ActorRecord, Mention, QuoteRecord

if TYPE_CHECKING:
    from spacy.tokens import Doc, Token

    from detente.nlp.dates.expressions import TimeExpression

_ISO3 = re.compile(r"[A-Z]{3}")


@lru_cache(maxsize=1)
def _countries() -> ActorRegistry:
    """The built-in registry's states: names, demonyms and seats ("Syrian", "Khartoum") say which country."""
    return ActorRegistry.builtin()


@dataclass
class ClaimContext:
    doc: Doc
    patterns: ClaimPatterns
    mentions: list[Mention]
    dates: list[TimeExpression]
    quotes: list[QuoteRecord]
    published: str | None
    actors: dict[str, ActorRecord] = field(default_factory=dict)
    _conflict: str | None = None

    def mention_at(self, start: int, end: int) -> Mention | None:
        """The mention covering most of these characters."""
        best, best_overlap = None, 0
        for m in self.mentions:
            overlap = min(end, m.end) - max(start, m.start)
            if overlap > best_overlap:
                best, best_overlap = m, overlap
        return best

    def actor_at(self, start: int, end: int) -> str | None:
        mention = self.mention_at(start, end)
        return mention.actor if mention is not None else None

    # -- countries ---------------------------------------------------------------

    def _country_of(self, mention: Mention) -> str | None:
        """A mention's country: its actor's ISO code, or a state's own id when no record says more."""
        record = self.actors.get(mention.actor)
        if record is not None and record.country:
            return record.country
        return mention.actor if mention.kind == "state" else None

    def country_at(self, start: int, end: int) -> str | None:
        mention = self.mention_at(start, end)
        return self._country_of(mention) if mention is not None else None

    def country_of_word(self, token: Token) -> str | None:
        """The country a word names: through its mention, else as a state's name, demonym or seat."""
        found = self.country_at(token.idx, token.idx + len(token.text))
        if found or not token.text[:1].isupper():
            return found
        registry = _countries()
        demonym = registry.by_demonym(token.text)
        state = demonym[0] if demonym else registry.lookup(token.text) or registry.by_seat(token.text)
        return state.country if state is not None and state.kind == "state" else None

    def is_country(self, token: Token) -> bool:
        """A state named as a place ("in Syria"): the whole country, never a locality."""
        mention = self.mention_at(token.idx, token.idx + len(token.text))
        if mention is not None:
            return mention.kind == "state"
        state = _countries().lookup(token.text) if token.text[:1].isupper() else None
        return state is not None and state.kind == "state"

    def dominant_country(self) -> str | None:
        """The country the report names clearly most often: its state, and every actor of it, count."""
        counts = Counter(c for c in (self._country_of(m) for m in self.mentions) if c)
        ranked = counts.most_common(2)
        if not ranked or ranked[0][1] < self.patterns.conflict_min_mentions:
            return None
        if len(ranked) > 1 and ranked[0][1] < self.patterns.conflict_lead * ranked[1][1]:
            return None
        return ranked[0][0]

    def country_name(self, country: str) -> str:
        """A readable slug for a country: the id of its state actor ("sudan"), else its code in lower case."""
        if not _ISO3.fullmatch(country):
            return country
        return _countries().state_of_country(country) or country.lower()

    def conflict(self) -> str:
        """The conflict the report is about (computed once, when a figure first needs it)."""
        if self._conflict is None:
            from detente.nlp.claims.subjects import conflict_subject

            self._conflict = conflict_subject(self)
        return self._conflict
