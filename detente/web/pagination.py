"""One page of a listing: the items, the total, and where the next page starts."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from pydantic import BaseModel

DEFAULT_LIMIT = 50
MAX_LIMIT = 500
MAX_OFFSET = 1_000_000_000  # beyond any store, and far inside the 64-bit integers SQL takes
MAX_FILTER_LENGTH = 500  # a name, an id or a list of types; SQLite refuses LIKE patterns over 50,000 bytes
MAX_ID_LENGTH = 500  # document ids are 16 hex digits, actor ids short slugs


class Page(BaseModel):
    items: list[dict[str, Any]]
    total: int
    limit: int
    offset: int
    next_offset: int | None  # None on the last page


def page_of(rows: Sequence[dict], limit: int, offset: int) -> Page:
    """A page cut from rows already filtered and ordered (the CLI's own queries)."""
    return page_from(list(rows[offset : offset + limit]), len(rows), limit, offset)


def page_from(items: list[dict], total: int, limit: int, offset: int) -> Page:
    following = offset + limit
    return Page(items=items, total=total, limit=limit, offset=offset, next_offset=following if following < total else None)
