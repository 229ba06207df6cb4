"""What the store's derived tables (disputes, the merged timeline) were computed with.

Each derived table saves a fingerprint of the code or data that made it
under its own key in `schema_info`; when the fingerprint of the running
version differs, the table is out of date as a whole, whatever the
per-document coverage says.
"""

from __future__ import annotations

from sqlalchemy import Connection, delete, insert, select

from detente.store.schema import schema_info


def method_changed(conn: Connection, key: str, method: str) -> bool:
    """Whether the rows under `key` were made by something other than `method` (or never made)."""
    return conn.execute(select(schema_info.c.value).where(schema_info.c.key == key)).scalar() != method


def save_method(conn: Connection, key: str, method: str) -> None:
    """Record that the rows under `key` are now those `method` makes, in the caller's transaction."""
    conn.execute(delete(schema_info).where(schema_info.c.key == key))
    conn.execute(insert(schema_info).values(key=key, value=method))
