"""A store filled row by row from short texts of our own, for the tests of what reads a store.

Subclasses write `_fill` (documents, then rows located by their words) and
set `names` (surface → actor id), from which every document's mentions are
made. No extractor runs, so these tests depend only on the schema.
"""

from __future__ import annotations

from typing import ClassVar

from sqlalchemy import Engine, insert

from detente.store.schema import actors, mentions, stances


class RowStore:
    names: ClassVar[dict[str, str]] = {}
    extractor: ClassVar[str] = "core/2"  # the tag the subclass's rows carry

    def __init__(self, engine: Engine) -> None:
        self.engine = engine
        self.texts: dict[str, str] = {}
        self.ids: dict[str, int] = {}
        self._fill()

    def _fill(self) -> None:
        raise NotImplementedError

    def span(self, doc: str, words: str, after: int = 0) -> tuple[int, int]:
        start = self.texts[doc].index(words, after)
        return start, start + len(words)

    def _actors(self, table: dict[str, tuple[str, str, str | None]]) -> None:
        """Actors by id → (name, kind, country), then every document's mentions of them."""
        for actor_id, (name, kind, country) in table.items():
            self._insert(actors, id=actor_id, name=name, kind=kind, country=country, aliases=[])
        for doc in self.texts:
            self._mentions(doc)

    def _mentions(self, doc: str) -> None:
        """Each surface name where it occurs, longest first, never overlapping."""
        text, taken = self.texts[doc], []
        for surface in sorted(self.names, key=len, reverse=True):
            at = text.find(surface)
            while at >= 0:
                if not any(a < at + len(surface) and at < b for a, b in taken):
                    taken.append((at, at + len(surface)))
                    self._insert(mentions, doc=doc, actor=self.names[surface], text=surface, start=at,
                                 end=at + len(surface), extractor="core/1", confidence=0.9)
                at = text.find(surface, at + 1)

    def _stance(self, doc, words, actor, target, polarity, condition=None) -> int:
        start, end = self.span(doc, words)
        return self._insert(stances, doc=doc, start=start, end=end, actor=actor, target=target, polarity=polarity,
                            condition=condition, date=None, extractor=self.extractor, confidence=0.7)

    def _insert(self, table, **values):
        with self.engine.begin() as conn:
            return conn.execute(insert(table).values(**values)).inserted_primary_key[0]
