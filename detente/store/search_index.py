"""The full-text index of documents and quotes, kept current by the database itself.

Because the database updates the index on every insert, update and delete,
it is incremental by construction: nothing rebuilds it after an ingest or an
extraction, and it can never be stale.

- SQLite: external-content FTS5 tables `documents_fts` (title, text) and
  `quotes_fts` (content, speaker_text, speaker) over the rows of `documents`
  and `quotes`, kept in step by triggers. Table and trigger names and the
  `content="…"` spelling are those of sqlite-utils' `enable_fts`, which is what
  Datasette and `sqlite-utils search` look for, so both search the store as it
  is. The index stores no second copy of the text.
- PostgreSQL: a stored, generated `tsvector` column `search_vector` on each
  table, with a GIN index; PostgreSQL computes it whenever the row changes.

Quotes index their speaker's id too ("amara-okafor"), so a quote is found by
its speaker's name even where the text calls them "he"; the id is a column of
the quote's own row, so the triggers always delete exactly what they indexed.
"""

from __future__ import annotations

from sqlalchemy import Connection, Engine, inspect, text

from detente.store.schema import schema_info

TOKENIZER = "unicode61 remove_diacritics 2"
# The text search configuration of PostgreSQL: no stemming and no stop words, as FTS5's unicode61.
PG_CONFIG = "simple"

# (table, its FTS5 table, the indexed columns, the row id column)
SQLITE_INDEXES = (
    ("documents", "documents_fts", ("title", "text"), "rowid"),
    ("quotes", "quotes_fts", ("content", "speaker_text", "speaker"), "id"),
)

# (table, the weighted tsvector of a row): weight A for the words searched first, B for the rest.
PG_VECTORS = (
    ("documents", f"setweight(to_tsvector('{PG_CONFIG}', coalesce(title, '')), 'A')"
                  f" || setweight(to_tsvector('{PG_CONFIG}', coalesce(text, '')), 'B')"),
    ("quotes", f"setweight(to_tsvector('{PG_CONFIG}', coalesce(content, '')), 'A')"
               f" || setweight(to_tsvector('{PG_CONFIG}', coalesce(speaker_text, '') || ' ' || coalesce(speaker, '')), 'B')"),
)

# What detente before the external-content index kept: a contentless FTS5 table rebuilt after every extraction.
LEGACY_TABLES = ("search_index", "search_keys")
LEGACY_KEY = "search_index"


def install_search_index(conn: Connection) -> bool:
    """Create the index, its triggers (SQLite) and fill it where missing; True when anything was made.

    Idempotent: an up-to-date store is left as it is, so every open calls it.
    A store of an older detente loses its contentless index and gets this one.
    """
    if conn.dialect.name == "sqlite":
        return _install_sqlite(conn)
    if conn.dialect.name == "postgresql":
        return _install_postgresql(conn)
    return False


def refresh_search_index(engine: Engine) -> bool:
    """Rebuild the whole index from the tables: only needed after a VACUUM (which may renumber
    the rowids of `documents` on SQLite) or a hand edit with triggers off. True when rebuilt."""
    with engine.begin() as conn:
        install_search_index(conn)
        if conn.dialect.name != "sqlite":
            return conn.dialect.name == "postgresql"  # generated columns cannot be out of step
        for _table, fts, _columns, _rowid in SQLITE_INDEXES:
            conn.execute(text(f"INSERT INTO {fts} ({fts}) VALUES ('rebuild')"))
    return True


def ensure_search_index(engine: Engine) -> bool:
    """Kept for callers of the rebuilt-after-extraction index: the index is now always current,
    so this only makes sure it exists (True when it had to be made)."""
    with engine.begin() as conn:
        return install_search_index(conn)


def has_search_index(conn: Connection) -> bool:
    """True when this store has the index (a store of an older detente opened read-only may not)."""
    if conn.dialect.name == "sqlite":
        names = {fts for _t, fts, _c, _r in SQLITE_INDEXES}
        found = conn.execute(text("SELECT name FROM sqlite_master WHERE type = 'table' AND name IN ('documents_fts', 'quotes_fts')"))
        return {row.name for row in found} == names
    if conn.dialect.name == "postgresql":
        inspector = inspect(conn)
        return all(
            "search_vector" in {c["name"] for c in inspector.get_columns(table)} for table, _v in PG_VECTORS
        )
    return False


# ------------------------------------------------------------------------------ SQLite


def _install_sqlite(conn: Connection) -> bool:
    made = _drop_legacy(conn)
    existing = {row.name for row in conn.execute(text("SELECT name FROM sqlite_master WHERE type IN ('table', 'trigger')"))}
    for table, fts, columns, rowid in SQLITE_INDEXES:
        new_table = fts not in existing
        if new_table:
            conn.execute(text(
                f"CREATE VIRTUAL TABLE {fts} USING fts5({', '.join(columns)},"
                f""" content="{table}", content_rowid="{rowid}", tokenize='{TOKENIZER}')"""
            ))
        for name, statement in _sqlite_triggers(table, fts, columns, rowid).items():
            if name not in existing:
                conn.execute(text(statement))
                made = True
        if new_table:
            conn.execute(text(f"INSERT INTO {fts} ({fts}) VALUES ('rebuild')"))
            made = True
    return made


def _sqlite_triggers(table: str, fts: str, columns: tuple[str, ...], rowid: str) -> dict[str, str]:
    """The three triggers of an external-content FTS5 table, as SQLite's FTS5 documentation gives them.

    A delete passes the row's old values, which FTS5 needs to find the terms
    to remove; an update only re-indexes when an indexed column changed.
    """
    names = ", ".join(columns)
    new = ", ".join(f"new.{c}" for c in columns)
    old = ", ".join(f"old.{c}" for c in columns)
    insert = f"INSERT INTO {fts} (rowid, {names}) VALUES (new.{rowid}, {new});"
    delete = f"INSERT INTO {fts} ({fts}, rowid, {names}) VALUES ('delete', old.{rowid}, {old});"
    return {
        f"{table}_ai": f"CREATE TRIGGER {table}_ai AFTER INSERT ON {table} BEGIN {insert} END",
        f"{table}_ad": f"CREATE TRIGGER {table}_ad AFTER DELETE ON {table} BEGIN {delete} END",
        f"{table}_au": f"CREATE TRIGGER {table}_au AFTER UPDATE OF {names} ON {table} BEGIN {delete} {insert} END",
    }


def _drop_legacy(conn: Connection) -> bool:
    found = {row.name for row in conn.execute(text("SELECT name FROM sqlite_master WHERE type = 'table'"))}
    legacy = [name for name in LEGACY_TABLES if name in found]
    for name in legacy:
        conn.execute(text(f"DROP TABLE {name}"))
    if legacy:
        conn.execute(schema_info.delete().where(schema_info.c.key == LEGACY_KEY))
    return bool(legacy)


# -------------------------------------------------------------------------- PostgreSQL


def _install_postgresql(conn: Connection) -> bool:
    inspector = inspect(conn)
    made = False
    for table, vector in PG_VECTORS:
        if "search_vector" in {c["name"] for c in inspector.get_columns(table)}:
            continue
        conn.execute(text(
            f"ALTER TABLE {table} ADD COLUMN IF NOT EXISTS search_vector tsvector GENERATED ALWAYS AS ({vector}) STORED"
        ))
        conn.execute(text(f"CREATE INDEX IF NOT EXISTS ix_{table}_search ON {table} USING GIN (search_vector)"))
        made = True
    return made
