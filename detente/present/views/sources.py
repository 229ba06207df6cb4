"""What every page needs to point a fact back at its source: the store handle and the documents.

Pages receive whatever the caller holds (the report an Engine, the web app
maybe a Connection); the store's read functions want an Engine, so `engine_of`
accepts both. The sentence around a fact comes from `detente.store.sentences`.
"""

from __future__ import annotations

from sqlalchemy import Connection, Engine, select

from detente.store.batches import id_batches
from detente.store.schema import documents
from detente.store.sentences import sentence_around

LOW_CONFIDENCE = 0.5  # facts below this are listed for a human look


def engine_of(conn: Engine | Connection) -> Engine:
    """The Engine behind whatever handle a caller passed."""
    return conn.engine if isinstance(conn, Connection) else conn


def document_briefs(engine: Engine, ids: set[str] | None = None) -> dict[str, dict]:
    """id → title, outlet, published, uri: what a source line shows; of every document, or of `ids` only."""
    query = select(documents.c.id, documents.c.title, documents.c.outlet, documents.c.published, documents.c.uri)
    with engine.connect() as conn:
        if ids is None:
            return {r.id: dict(r._mapping) for r in conn.execute(query)}
        return {r.id: dict(r._mapping) for batch in id_batches(ids) for r in conn.execute(query.where(documents.c.id.in_(batch)))}


def document_texts(engine: Engine, ids: set[str] | None = None) -> dict[str, str]:
    """id → clean text, of every document or of `ids` only (read in batches: a long IN list is slow)."""
    query = select(documents.c.id, documents.c.text)
    with engine.connect() as conn:
        if ids is None:
            return {r.id: r.text for r in conn.execute(query)}
        return {r.id: r.text for batch in id_batches(ids) for r in conn.execute(query.where(documents.c.id.in_(batch)))}


def quote_sentences(engine: Engine, series: list[tuple[object, list[dict]]]) -> None:
    """Give each shown point its sentence in place of its span: the texts of the shown points' documents only."""
    texts = document_texts(engine, {p["doc"] for _key, points in series for p in points})
    for _key, points in series:
        for p in points:
            p["sentence"] = sentence_around(texts.get(p["doc"], ""), *p.pop("span"))


def source_of(brief: dict | None, doc: str) -> dict:
    """The fields a source line shows, for a document that may have been deleted meanwhile."""
    brief = brief or {}
    return {
        "doc": doc,
        "title": brief.get("title") or doc,
        "outlet": brief.get("outlet"),
        "published": brief.get("published"),
    }


def fact_key(kind: str, row_id: int | str) -> str:
    """A fact's anchor name, unique across the store: 'quote-12'."""
    return f"{kind}-{row_id}"
