"""API records in the JSON export contract: every actor id has its display name beside it.

The API returns the rows of the CLI's own queries (which already carry
sources and names for a reader), plus the contract's `*_name` fields, so a
client that reads `detente export` reads the API the same way.
"""

from __future__ import annotations

from datetime import date

from detente.analysis.timeline import date_bounds
from detente.present.export import (
    ACTOR_LIST_REFERENCES,
    ACTOR_REFERENCES,
    INTERNAL_COLUMNS,
)


def contract_record(kind: str, row: dict, names: dict[str, str]) -> dict:
    """`row` with internal columns dropped and the contract's name fields added where missing."""
    out = {k: v for k, v in row.items() if k not in INTERNAL_COLUMNS.get(kind, ())}
    for key in ACTOR_REFERENCES.get(kind, ()):
        if key in out and f"{key}_name" not in out:
            out[f"{key}_name"] = names.get(out[key]) if out[key] else None
    for key in ACTOR_LIST_REFERENCES.get(kind, ()):
        if key in out:
            out[f"{key}_names"] = [names.get(v, v) for v in out[key] or []]
    return out


def in_window(value: str | None, since: str | None, until: str | None) -> bool:
    """Whether a date of any precision can fall between two ISO prefixes (as the CLI's filters read them)."""
    if not since and not until:
        return True
    bounds = date_bounds(value)
    if bounds is None:
        return False
    low = date_bounds(since)[0] if since else date.min
    high = date_bounds(until)[1] if until else date.max
    return bounds[0] <= high and low <= bounds[1]
