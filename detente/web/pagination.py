"""One page of a listing: the items, the total, and where the next page starts."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from pydantic import BaseModel

DEFAULT_LIMIT = 50
MAX_LIMIT = 500


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
