"""Each actor's capability with its source: a published index for states, votes for blocs, else a stated default.

For a state (an actor of kind `state` with an ISO3 country) the bundled
table `detente/data/negotiation/capabilities.csv` gives a published index value for the year of the
negotiation, or the nearest earlier year it holds; every row carries its
citation, which becomes the number's source. A group or organisation with
an extracted `votes`, `seats` or `members` claim about itself takes that
figure. Anyone else gets DEFAULT_CAPABILITY, and the source says it is a
default to replace. Values from different sources are on different scales;
the draft says so in its notes rather than pretending they compare.
"""

from __future__ import annotations

import csv
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from detente.negotiation.drafting.facts import StoreFacts
from detente.negotiation.model import Estimate

TABLE = Path(__file__).parents[2] / "data" / "negotiation" / "capabilities.csv"
DEFAULT_CAPABILITY = 1.0
SIZE_PROPERTIES = ("votes", "seats", "members")


@dataclass(frozen=True)
class IndexRow:
    country: str
    year: int
    value: float
    index: str
    citation: str


@lru_cache(maxsize=4)
def load_table(path: Path = TABLE) -> tuple[IndexRow, ...]:
    """The rows of a capability table; lines starting with # are comments (the file documents itself)."""
    lines = [line for line in path.read_text(encoding="utf-8").splitlines() if line.strip() and not line.startswith("#")]
    rows = []
    for record in csv.DictReader(lines):
        rows.append(IndexRow(record["country"].upper(), int(record["year"]), float(record["value"]),
                             record["index"], record["citation"]))
    return tuple(rows)


def state_capability(country: str, year: int | None, table: tuple[IndexRow, ...]) -> Estimate | None:
    rows = sorted((r for r in table if r.country == country), key=lambda r: r.year)
    if not rows:
        return None
    earlier = [r for r in rows if year is None or r.year <= year]
    row = earlier[-1] if earlier else rows[0]
    return Estimate(likely=row.value, source=f"{row.index} {row.year} for {row.country}: {row.citation}")


def draft_capability(facts: StoreFacts, actor: str, year: int | None, table: tuple[IndexRow, ...] | None = None) -> Estimate:
    table = load_table() if table is None else table
    row = facts.actors.get(actor)
    if row is not None and row.kind == "state" and row.country:
        found = state_capability(row.country, year, table)
        if found is not None:
            return found
    sizes = [c for c in facts.claims if c.subject == actor and c.property in SIZE_PROPERTIES and c.value]
    if sizes:
        latest = max(sizes, key=lambda c: (c.date or "", c.id))
        return Estimate(likely=float(latest.value or 0), source=f"its {latest.property}: {facts.cite('claim', latest)}")
    why = "no row in the capability table" if row is not None and row.kind == "state" else "no votes or seats reported"
    return Estimate(likely=DEFAULT_CAPABILITY, source=f"default {DEFAULT_CAPABILITY:g} ({why}): set by hand")
