"""Reading and writing documents, their duplicate fingerprints and ingest errors."""

from __future__ import annotations

from datetime import datetime, timezone

from sqlalchemy import Connection, Engine, func, select, update

from detente.store.locks import hold_lock
from detente.store.schema import document_bands, document_passages, documents, ingest_errors


def now_iso() -> str:
    return datetime.now(timezone.utc).replace(microsecond=0).isoformat()


def content_known(conn: Connection, content_hash: str, doc_id: str) -> bool:
    """True when this exact input, or input cleaning to the same text, is already stored.

    The answer must hold until the document is written, so the ingest lock is
    taken first and kept to the end of the transaction: a second ingest of the
    same files waits, then finds them stored, instead of adding them twice.
    """
    hold_lock(conn, "ingest")
    query = select(documents.c.id).where(
        (documents.c.content_hash == content_hash) | (documents.c.id == doc_id)
    )
    return conn.execute(query.limit(1)).first() is not None


def insert_document(conn: Connection, row: dict, bands: list[int], passages: set[int]) -> None:
    conn.execute(documents.insert().values(**row))
    conn.execute(document_bands.insert(), [{"doc": row["id"], "band": band} for band in bands])
    if passages:
        conn.execute(document_passages.insert(), [{"doc": row["id"], "fingerprint": f} for f in passages])


def documents_sharing_bands(conn: Connection, bands: list[int]) -> list[str]:
    query = select(document_bands.c.doc).where(document_bands.c.band.in_(bands)).distinct()
    return [row.doc for row in conn.execute(query)]


def documents_sharing_passages(conn: Connection, passages: set[int], at_least: int, most: int) -> list[str]:
    """The `most` stored documents sharing the most (and at least `at_least`) of these passage fingerprints."""
    if not passages:
        return []
    shared = func.count().label("shared")
    query = (
        select(document_passages.c.doc, shared)
        .where(document_passages.c.fingerprint.in_(list(passages)))
        .group_by(document_passages.c.doc)
        .having(shared >= at_least)
        .order_by(shared.desc(), document_passages.c.doc)
        .limit(most)
    )
    return [row.doc for row in conn.execute(query)]


def mark_duplicate(conn: Connection, doc_id: str, original: str, relation: str, similarity: float) -> None:
    conn.execute(
        update(documents)
        .where(documents.c.id == doc_id)
        .values(duplicate_of=original, relation=relation, similarity=similarity)
    )


def record_error(conn: Connection, source: str, reason: str) -> None:
    conn.execute(ingest_errors.insert().values(source=source, reason=reason, at=now_iso()))


def document_text(conn: Connection, doc_id: str) -> str | None:
    return conn.execute(select(documents.c.text).where(documents.c.id == doc_id)).scalar()


def document_brief(conn: Connection, doc_id: str) -> dict | None:
    """The fields dedup needs to decide which of two documents is the original."""
    row = conn.execute(
        select(documents.c.id, documents.c.outlet, documents.c.published, documents.c.attributed_to).where(
            documents.c.id == doc_id
        )
    ).first()
    return dict(row._mapping) if row else None


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
