"""Lines an outlet prints under many of its articles (menus, footers, promos).

The first ingest pass counts, per outlet, in how many documents each short
line occurs. Lines are kept as hashes, and each outlet's table is bounded
(Misra–Gries: when full, every count drops by one and the zeros go), so
memory stays flat however large the corpus: a line an outlet repeats under
most of its articles always survives; a line seen twice among thousands may
not, which costs nothing but a missed line of boilerplate.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable

CAPACITY_PER_OUTLET = 20_000
MIN_DOCUMENTS = 2


class RepeatedLines:
    """The lines seen in at least MIN_DOCUMENTS documents of one outlet; answers `line in repeated`."""

    def __init__(self, hashes: Iterable[int] = ()) -> None:
        self._hashes = frozenset(hashes)

    def __contains__(self, line: object) -> bool:
        return hash(line) in self._hashes

    def __bool__(self) -> bool:
        return bool(self._hashes)

    def __len__(self) -> int:
        return len(self._hashes)


class OutletLineCounts:
    def __init__(self, capacity: int = CAPACITY_PER_OUTLET) -> None:
        self._capacity = capacity
        self._counts: dict[str, dict[int, int]] = defaultdict(dict)
        self._frozen: dict[str, RepeatedLines] = {}

    def add(self, outlet: str, lines: Iterable[str]) -> None:
        counts = self._counts[outlet]
        for line in set(lines):
            key = hash(line)
            counts[key] = counts.get(key, 0) + 1
        if len(counts) > self._capacity:
            self._counts[outlet] = {k: c - 1 for k, c in counts.items() if c > 1}

    def repeated(self, outlet: str | None) -> RepeatedLines:
        """Asked once counting is over; the answer per outlet is kept."""
        key = outlet or ""
        if key not in self._frozen:
            counts = self._counts.get(key, {})
            self._frozen[key] = RepeatedLines(k for k, c in counts.items() if c >= MIN_DOCUMENTS)
        return self._frozen[key]
