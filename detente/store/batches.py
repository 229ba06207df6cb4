"""Ids cut into batches for `IN (...)` lists, so a query over thousands of documents stays within every
database's limit on bound parameters (SQLite's 32,766, PostgreSQL's 65,535) and its plans stay cheap."""

from __future__ import annotations

from collections.abc import Iterable, Iterator

ID_BATCH = 500


def id_batches(values: Iterable, size: int = ID_BATCH) -> Iterator[list]:
    """`values` sorted and cut into lists of at most `size`: sorted, so the same ids give the same statements."""
    ordered = sorted(values)
    for first in range(0, len(ordered), size):
        yield ordered[first:first + size]
