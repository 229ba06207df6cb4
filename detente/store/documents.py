"""Reading and writing documents, their duplicate fingerprints and ingest errors."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Iterator
from datetime import datetime, timezone

from sqlalchemy import Connection, Engine, bindparam, delete, func, select, update

from detente.store.locks import hold_lock
from detente.store.schema import document_bands, document_passages, documents, ingest_errors


def now_iso() -> str:
    return datetime.now(timezone.utc).replace(microsecond=0).isoformat()


# Values per IN (...) list: under SQLite's and PostgreSQL's limits on bound parameters.
IN_CHUNK = 2000


def _chunks(values: Iterable, size: int = IN_CHUNK) -> Iterator[list]:
    values = list(values)
    for start in range(0, len(values), size):
        yield values[start : start + size]


def known_documents(conn: Connection, content_hashes: Iterable[str], ids: Iterable[str]) -> tuple[set[str], set[str]]:
    """(content hashes, ids) among these that are already stored: one query per batch, not per document.

    The answer must hold until the batch is written, so the ingest lock is
    taken first and kept to the end of the transaction: a second ingest of the
    same files waits, then finds them stored, instead of adding them twice.
    """
    hold_lock(conn, "ingest")
    hashes, found_ids = set(), set()
    for chunk in _chunks(set(content_hashes)):
        hashes.update(conn.execute(select(documents.c.content_hash).where(documents.c.content_hash.in_(chunk))).scalars())
    for chunk in _chunks(set(ids)):
        found_ids.update(conn.execute(select(documents.c.id).where(documents.c.id.in_(chunk))).scalars())
    return hashes, found_ids


def stored_content_hashes(conn: Connection, content_hashes: Iterable[str]) -> set[str]:
    """Those of these content hashes that a stored document has (a re-run's inputs, before cleaning)."""
    found: set[str] = set()
    for chunk in _chunks(set(content_hashes)):
        found.update(conn.execute(select(documents.c.content_hash).where(documents.c.content_hash.in_(chunk))).scalars())
    return found


# SQLite's page cache for ingest's connection (its default is 2 MiB). Fingerprints are hashes, so each
# batch touches index pages all over the store; with the default cache nearly every one was read
# again from the file, and the cost per document grew with the store. The cache is allocated as it
# fills, up to this bound, so memory stays bounded however large the store grows.
BULK_WRITE_CACHE_MIB = 64


def widen_page_cache(conn: Connection) -> None:
    """Give this connection (SQLite) the page cache of a bulk writer; PostgreSQL's is the server's."""
    if conn.dialect.name == "sqlite":
        conn.exec_driver_sql(f"PRAGMA cache_size = -{BULK_WRITE_CACHE_MIB * 1024}")


def narrow_page_cache(conn: Connection) -> None:
    """Back to SQLite's default page cache (2 MiB), which frees the rest."""
    if conn.dialect.name == "sqlite":
        conn.exec_driver_sql("PRAGMA cache_size = -2000")


def insert_documents(
    conn: Connection, rows: list[dict], bands: list[tuple[str, int]], passages: list[tuple[str, int]]
) -> None:
    """Documents with their band hashes (doc, band) and passage fingerprints (doc, fingerprint), in bulk."""
    if rows:
        conn.execute(documents.insert(), rows)
    _insert_pairs(conn, document_bands.name, ("doc", "band"), bands)
    _insert_pairs(conn, document_passages.name, ("doc", "fingerprint"), passages)


_PLACEHOLDERS = {"qmark": "?", "format": "%s", "pyformat": "%s", "numeric": ":{}", "named": ":p{}"}


def _placeholders(conn: Connection, count: int) -> list[str]:
    """The driver's own parameter markers (SQLite: ?, PostgreSQL: %s), for SQL sent to it directly."""
    return [_PLACEHOLDERS[conn.dialect.paramstyle].format(n) for n in range(1, count + 1)]


def _driver_params(conn: Connection, values: tuple | list):
    if conn.dialect.paramstyle == "named":
        return {f"p{n}": v for n, v in enumerate(values, start=1)}
    return tuple(values)


def _insert_pairs(conn: Connection, table: str, columns: tuple[str, str], pairs: list[tuple]) -> None:
    """Plain (str, int) pairs straight to the driver's executemany.

    A document has a hundred-odd fingerprints; SQLAlchemy's per-row parameter
    processing of a Core insert cost more than the whole SQLite insert.
    """
    if not pairs:
        return
    marks = ", ".join(_placeholders(conn, len(columns)))
    rows = [_driver_params(conn, pair) for pair in pairs]
    conn.exec_driver_sql(f"INSERT INTO {table} ({', '.join(columns)}) VALUES ({marks})", rows)


def documents_by_band(conn: Connection, bands: Iterable[int]) -> dict[int, list[str]]:
    """The stored documents holding each of these LSH band hashes."""
    return _holders(conn, document_bands.name, "band", bands)


def documents_by_passage(conn: Connection, fingerprints: Iterable[int]) -> dict[int, list[str]]:
    """The stored documents holding each of these passage fingerprints (ingest caps how many hold one)."""
    return _holders(conn, document_passages.name, "fingerprint", fingerprints)


HOLDER_CHUNK = 500  # values per lookup, always this many, so the driver prepares one statement


def _holders(conn: Connection, table: str, column: str, values: Iterable[int]) -> dict[int, list[str]]:
    """value -> the documents holding it.

    A batch asks for thousands of hashes. SQLAlchemy's per-value binding made
    that the slowest step of ingest, and an IN list of varying length is a new
    statement each time (the driver's statement cache then holds megabytes of
    them), so the SQL goes to the driver directly, HOLDER_CHUNK values at a
    time, the last chunk padded with a repeated value.
    """
    found: dict[int, list[str]] = defaultdict(list)
    wanted = sorted({int(v) for v in values})
    if not wanted:
        return found
    marks = ", ".join(_placeholders(conn, HOLDER_CHUNK))
    statement = f"SELECT {column}, doc FROM {table} WHERE {column} IN ({marks})"
    for chunk in _chunks(wanted, HOLDER_CHUNK):
        padded = chunk + [chunk[-1]] * (HOLDER_CHUNK - len(chunk))
        for value, doc in conn.exec_driver_sql(statement, _driver_params(conn, padded)).fetchall():
            found[value].append(doc)
    return found


def dedup_views(conn: Connection, ids: Iterable[str]) -> dict[str, dict]:
    """What dedup compares: the text, and the fields that decide which of two documents is the original."""
    columns = (documents.c.id, documents.c.outlet, documents.c.published, documents.c.attributed_to, documents.c.text)
    found: dict[str, dict] = {}
    for chunk in _chunks(set(ids)):
        for row in conn.execute(select(*columns).where(documents.c.id.in_(chunk))):
            found[row.id] = dict(row._mapping)
    return found


def mark_duplicates(conn: Connection, marks: list[dict]) -> None:
    """Each mark: {doc, original, relation, similarity}; applied in order, so a later mark of a document wins."""
    statement = (
        update(documents)
        .where(documents.c.id == bindparam("doc"))
        .values(duplicate_of=bindparam("original"), relation=bindparam("relation"), similarity=bindparam("similarity"))
    )
    for mark in marks:  # one by one: executemany would not keep the order of two marks of one document
        conn.execute(statement, mark)


def record_errors(conn: Connection, errors: list[tuple[str, str]]) -> None:
    """(source, reason) pairs; a pair already recorded is not recorded again, so re-runs do not pile up rows."""
    if not errors:
        return
    recorded: set[tuple[str, str]] = set()
    for chunk in _chunks({source for source, _ in errors}):
        query = select(ingest_errors.c.source, ingest_errors.c.reason).where(ingest_errors.c.source.in_(chunk))
        recorded.update((row.source, row.reason) for row in conn.execute(query))
    fresh = []
    for source, reason in errors:
        if (source, reason) not in recorded:
            recorded.add((source, reason))
            fresh.append({"source": source, "reason": reason, "at": now_iso()})
    if fresh:
        conn.execute(ingest_errors.insert(), fresh)


def forget_errors(conn: Connection, sources: Iterable[str]) -> None:
    """Sources that have now been read: their earlier errors no longer describe the store."""
    for chunk in _chunks(set(sources)):
        conn.execute(delete(ingest_errors).where(ingest_errors.c.source.in_(chunk)))


def list_documents(engine: Engine) -> list[dict]:
    columns = [
        documents.c.id,
        documents.c.published,
        documents.c.outlet,
        documents.c.title,
        documents.c.author,
        documents.c.duplicate_of,
        documents.c.relation,
        documents.c.similarity,
        documents.c.uri,
    ]
    query = select(*columns).order_by(documents.c.published.is_(None), documents.c.published, documents.c.id)
    with engine.connect() as conn:
        return [dict(row._mapping) for row in conn.execute(query)]


def find_document(engine: Engine, id_or_prefix: str) -> dict | None:
    """Whole ids and unambiguous prefixes both work, as with git commits.

    The prefix is matched literally: `%` and `_` typed by a user are escaped, not wildcards.
    """
    if not id_or_prefix:
        return None
    with engine.connect() as conn:
        rows = conn.execute(
            select(documents).where(documents.c.id.startswith(id_or_prefix, autoescape=True)).limit(2)
        ).all()
    if len(rows) != 1:
        return None
    return dict(rows[0]._mapping)


def count_documents(engine: Engine) -> int:
    with engine.connect() as conn:
        return conn.execute(select(func.count()).select_from(documents)).scalar_one()


def list_errors(engine: Engine) -> list[dict]:
    with engine.connect() as conn:
        return [dict(r._mapping) for r in conn.execute(select(ingest_errors).order_by(ingest_errors.c.id))]
