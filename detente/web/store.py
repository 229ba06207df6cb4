"""Opening the store for the web app: read-only unless the user asked otherwise.

A read-only app opens a SQLite file with `mode=ro` and `PRAGMA query_only`,
and PostgreSQL sessions as read-only transactions, so no route, bug or
crafted request can change the store; only `--writable` opens it as the CLI does.
"""

from __future__ import annotations

import sqlite3
from pathlib import Path
from urllib.parse import quote

from sqlalchemy import Engine, create_engine, event, inspect, select
from sqlalchemy.exc import OperationalError, ProgrammingError

from detente.store.database import StoreError, database_url, open_engine
from detente.store.schema import SCHEMA_VERSION, metadata, schema_info


def open_store(db: str, writable: bool = False) -> Engine:
    """An Engine on an existing store; StoreError (with what to do) when there is none."""
    url = database_url(db)
    path = _sqlite_path(url)
    if path is not None and not path.is_file():
        raise StoreError(
            f"No store at {db!r}. Build one first: `detente run REPORTS/ -o out/`, "
            "then `detente serve --db out/detente.db`."
        )
    engine = open_engine(db) if writable else _readonly_engine(url, path)
    _check_store(engine, db, writable)
    return engine


def _sqlite_path(url: str) -> Path | None:
    """The file behind a sqlite:/// URL; None for other databases or in-memory SQLite."""
    prefix = "sqlite:///"
    if not url.startswith(prefix) or url == "sqlite://":
        return None
    return Path(url[len(prefix):].split("?", 1)[0]).expanduser()


def _readonly_engine(url: str, path: Path | None) -> Engine:
    if path is not None:
        target = f"file:{quote(str(path.resolve()))}?mode=ro"
        engine = create_engine(
            "sqlite://", creator=lambda: sqlite3.connect(target, uri=True, check_same_thread=False)
        )
        event.listen(engine, "connect", _query_only)
        return engine
    engine = create_engine(url)
    if engine.dialect.name == "postgresql":
        event.listen(engine, "connect", _read_only_sessions)
    return engine


def _query_only(dbapi_connection, _record) -> None:
    cursor = dbapi_connection.cursor()
    cursor.execute("PRAGMA query_only=ON")
    cursor.close()


def _read_only_sessions(dbapi_connection, _record) -> None:
    cursor = dbapi_connection.cursor()
    cursor.execute("SET SESSION CHARACTERISTICS AS TRANSACTION READ ONLY")
    cursor.close()
    dbapi_connection.commit()


def _check_store(engine: Engine, db: str, writable: bool = False) -> None:
    try:
        with engine.connect() as conn:
            found = conn.execute(select(schema_info.c.value).where(schema_info.c.key == "schema_version")).scalar()
    except (OperationalError, ProgrammingError) as err:
        raise StoreError(f"{db!r} is not a detente store ({err.orig}). Build one with `detente run REPORTS/ -o out/`.") from err
    if found is not None and int(found) > SCHEMA_VERSION:
        raise StoreError(
            f"The store {db!r} has schema version {found}, newer than this detente ({SCHEMA_VERSION}). Upgrade detente to read it."
        )
    if found is not None and int(found) < SCHEMA_VERSION and not writable:
        raise StoreError(
            f"The store {db!r} has an older schema (version {found}). Upgrade it once with any command that opens it, "
            f"e.g. `detente docs --db {db}`, then serve it again."
        )


def missing_indexes(engine: Engine) -> list[str]:
    """Indexes this detente declares that the store lacks: a read-only app cannot add them, and without them
    the pages of a large store count and sort whole tables (any command that opens the store adds them)."""
    with engine.connect() as conn:
        inspector = inspect(conn)
        present = {index["name"] for table in metadata.sorted_tables if inspector.has_table(table.name)
                   for index in inspector.get_indexes(table.name)}
    return sorted(index.name for table in metadata.sorted_tables for index in table.indexes if index.name not in present)
