"""Named locks that keep two detente processes writing one PostgreSQL store from duplicating rows.

Each is a transaction-level advisory lock: taken inside a write transaction,
held until it commits or rolls back, so a second writer waits, then sees the
first one's rows (READ COMMITTED gives every later statement a fresh snapshot)
and replaces or skips them instead of adding a second copy. The unique
constraints stay the last line of defence; the locks make the writers wait
rather than fail on them.

SQLite needs none of this: one writer at a time holds the file.
"""

from __future__ import annotations

from sqlalchemy import Connection, text


def hold_lock(conn: Connection, name: str) -> None:
    """Wait until no other transaction holds the lock `name`, then hold it until this one ends."""
    if conn.dialect.name == "postgresql":
        conn.execute(text("SELECT pg_advisory_xact_lock(hashtextextended(:name, 0))"), {"name": f"detente:{name}"})


def hold_records_lock(conn: Connection) -> None:
    """One writer of extracted records (a document's rows, the actors they add, the disputes) at a time.

    One lock for the store rather than one per document: two documents written
    at once may add the same new actors in different orders, and per-document
    locks would then deadlock on them. The model's work happens outside the
    transaction, so writers only queue for the short write itself.
    """
    hold_lock(conn, "records")
