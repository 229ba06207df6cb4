"""Opening a store: a SQLite file by default, any SQLAlchemy URL (PostgreSQL) for teams."""

from __future__ import annotations

from pathlib import Path

from sqlalchemy import Connection, Engine, create_engine, event, inspect, select, text, update
from sqlalchemy.exc import OperationalError

from detente.store.schema import SCHEMA_VERSION, disputes, metadata, schema_info
from detente.store.search_index import install_search_index

# pg_advisory_xact_lock key held while a PostgreSQL store's schema is made or upgraded ("detente" in ASCII).
SCHEMA_LOCK = 0x64657465_6E7465


class StoreError(RuntimeError):
    pass


def database_url(db: str) -> str:
    """A bare path means a SQLite file; anything with '://' is used as an SQLAlchemy URL."""
    if "://" in db:
        return db
    if db == ":memory:":
        return "sqlite://"
    return f"sqlite:///{Path(db).expanduser()}"


def _tune_sqlite(dbapi_connection, _record) -> None:
    cursor = dbapi_connection.cursor()
    cursor.execute("PRAGMA foreign_keys=ON")
    cursor.execute("PRAGMA journal_mode=WAL")
    cursor.execute("PRAGMA synchronous=NORMAL")
    cursor.close()


def open_engine(db: str) -> Engine:
    """Connect, create the schema if the store is new, and refuse a store from a newer detente."""
    url = database_url(db)
    engine = create_engine(url, future=True)
    if engine.dialect.name == "sqlite":
        event.listen(engine, "connect", _tune_sqlite)
    try:
        with engine.begin() as conn:
            _serialise_schema_changes(conn)
            _upgrade(conn)
            metadata.create_all(conn)
            _add_missing_indexes(conn)
            install_search_index(conn)
    except OperationalError as err:
        raise StoreError(f"Cannot open the store {db!r}: {err.orig}. Check the path and permissions.") from err
    _check_version(engine, db)
    return engine


def _add_missing_indexes(conn: Connection) -> None:
    """An index added in a later version is made on an older store too (create_all skips existing tables)."""
    for table in metadata.sorted_tables:
        for index in table.indexes:
            index.create(conn, checkfirst=True)


def _serialise_schema_changes(conn: Connection) -> None:
    """Two processes opening one new PostgreSQL store at once would both CREATE TABLE; the second waits here.

    SQLite needs nothing: its writers are serialised by the file lock.
    """
    if conn.dialect.name == "postgresql":
        conn.execute(text("SELECT pg_advisory_xact_lock(:key)"), {"key": SCHEMA_LOCK})


def _upgrade(conn: Connection) -> None:
    """Bring a store of an older schema up to this one before anything reads it.

    Version 2 gave disputes their sides' spans. Disputes are derived from the
    other tables and rebuilt after every extraction, so the old table is
    dropped and made anew rather than altered (SQLite cannot drop NOT NULL).
    Later versions only add nullable columns, which are added in place. The
    search index (search_index.py) is not versioned: every open makes whatever
    of it is missing, so a store of any version gets it, filled, on first open.
    """
    if not inspect(conn).has_table(schema_info.name):
        return
    row = conn.execute(select(schema_info.c.value).where(schema_info.c.key == "schema_version")).first()
    if row is None or int(row.value) >= SCHEMA_VERSION:
        return
    if int(row.value) < 2:
        disputes.drop(conn, checkfirst=True)
        disputes.create(conn)
    _add_missing_columns(conn)
    conn.execute(
        update(schema_info).where(schema_info.c.key == "schema_version").values(value=str(SCHEMA_VERSION))
    )


def _add_missing_columns(conn) -> None:
    """ALTER TABLE … ADD COLUMN for each nullable column a store's tables lack (SQLite and PostgreSQL alike)."""
    inspector = inspect(conn)
    for table in metadata.sorted_tables:
        if not inspector.has_table(table.name):
            continue
        present = {column["name"] for column in inspector.get_columns(table.name)}
        for column in table.columns:
            if column.name in present or not column.nullable:
                continue
            kind = column.type.compile(dialect=conn.dialect)
            conn.exec_driver_sql(f'ALTER TABLE {table.name} ADD COLUMN "{column.name}" {kind}')


def _check_version(engine: Engine, db: str) -> None:
    with engine.begin() as conn:
        row = conn.execute(select(schema_info.c.value).where(schema_info.c.key == "schema_version")).first()
        if row is None:
            conn.execute(schema_info.insert().values(key="schema_version", value=str(SCHEMA_VERSION)))
            return
        found = int(row.value)
    if found > SCHEMA_VERSION:
        raise StoreError(
            f"The store {db!r} has schema version {found}, newer than this detente ({SCHEMA_VERSION}). "
            "Upgrade detente (pip install -U detente) to read it."
        )
