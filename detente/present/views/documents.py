"""The documents pages: the list (with which document copies or rewrites which), and one document's text
with every extracted fact highlighted.

Highlighting is built here from spans, as plain segments of text, each with
the facts covering it; the template escapes each segment's text and wraps it.
No HTML is ever assembled from the document's own characters, so an article
holding markup or scripts shows them as text.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass
from itertools import pairwise

from sqlalchemy import Engine, func, select

from detente.present.views.sources import engine_of, fact_key
from detente.store.batches import id_batches
from detente.store.documents import find_document, list_documents
from detente.store.schema import (
    actors,
    claims,
    dates,
    documents,
    events,
    mentions,
    quotes,
    stances,
)

FACT_TABLES = {"mention": mentions, "date": dates, "quote": quotes, "event": events, "stance": stances, "claim": claims}
# Which highlight wins a segment's colour when facts overlap: the most specific fact first.
FACT_ORDER = ("claim", "date", "mention", "event", "stance", "quote")


def build_documents(conn, rows_shown: int | None = None, **_params) -> dict:
    """Every document by date (the `rows_shown` most recent when given; `total` counts all)."""
    engine = engine_of(conn)
    docs = list_documents(engine)
    total = len(docs)
    counts = _fact_counts(engine)
    titles = {d["id"]: d.get("title") or d["id"] for d in docs}
    copies: dict[str, list[dict]] = {}
    for d in docs:
        if d.get("duplicate_of"):
            copies.setdefault(d["duplicate_of"], []).append({"doc": d["id"], "title": titles[d["id"]], "relation": d["relation"]})
    if rows_shown is not None and total > rows_shown:
        newest = sorted(sorted(docs, key=lambda d: d["id"]), key=lambda d: d.get("published") or "", reverse=True)
        shown = {d["id"] for d in newest[:rows_shown]}
        docs = [d for d in docs if d["id"] in shown]
    return {
        "documents": [
            {"id": d["id"], "title": titles[d["id"]], "outlet": d.get("outlet"), "author": d.get("author"),
             "published": d.get("published"), "relation": d.get("relation"), "duplicate_of": d.get("duplicate_of"),
             "duplicate_title": titles.get(d.get("duplicate_of")), "similarity": d.get("similarity"),
             "copies": copies.get(d["id"], []), "facts": counts.get(d["id"], {})}
            for d in docs
        ],
        "total": total,
    }


@dataclass
class DocumentContext:
    """Every fact row of the store by document, read once when many documents are built (the report)."""

    names: dict[str, str]
    rows: dict[str, list[tuple[str, dict]]]  # doc id → (kind, row) for each fact
    briefs: dict[str, dict]  # doc id → title, relation, duplicate_of: who copies or rewrites whom


def document_context(conn, only: str | None = None, docs: Iterable[str] | None = None) -> DocumentContext:
    """The fact rows of every document, of the document `only`, or of the documents `docs` (read in batches)."""
    engine = engine_of(conn)
    rows: dict[str, list[tuple[str, dict]]] = {}
    batches: list[list[str] | None] = [None]
    if only is not None:
        batches = [[only]]
    elif docs is not None:
        batches = list(id_batches(docs))
    with engine.connect() as c:
        names = dict(c.execute(select(actors.c.id, actors.c.name)).all())
        for kind, table in FACT_TABLES.items():
            for batch in batches:
                query = select(table).order_by(table.c.doc, table.c.start, table.c.id)
                if batch is not None:
                    query = query.where(table.c.doc.in_(batch))
                for r in c.execute(query):
                    rows.setdefault(r.doc, []).append((kind, dict(r._mapping)))
        briefs = {r.id: dict(r._mapping) for r in c.execute(
            select(documents.c.id, documents.c.title, documents.c.relation, documents.c.duplicate_of).order_by(documents.c.id))}
    return DocumentContext(names, rows, briefs)


def build_document(conn, doc: str, context: DocumentContext | None = None, **_params) -> dict | None:
    """One document with its text as highlighted segments, its facts, its removed lines and its copies.

    Building many documents, pass one `document_context(conn)` to all of them.
    """
    engine = engine_of(conn)
    found = _exact_document(engine, doc) or find_document(engine, doc)  # a whole id is found by the index
    if found is None:
        return None
    context = context or document_context(engine, only=found["id"])
    facts = _facts(context.rows.get(found["id"], []), context.names, found["text"])
    related = [b for b in context.briefs.values() if b["duplicate_of"] == found["id"] or b["id"] == found.get("duplicate_of")]
    return {
        "document": {key: found.get(key) for key in ("id", "title", "outlet", "author", "published", "published_text",
                                                     "uri", "relation", "duplicate_of", "similarity")},
        "uri_is_web": str(found.get("uri") or "").startswith(("http://", "https://")),
        "segments": segments(found["text"], facts),
        "facts": facts,
        "removed": list(found.get("removed") or []),
        "original": next(({"doc": r["id"], "title": r["title"] or r["id"]} for r in related if r["id"] == found.get("duplicate_of")), None),
        "copies": [{"doc": r["id"], "title": r["title"] or r["id"], "relation": r["relation"]}
                   for r in related if r["duplicate_of"] == found["id"]],
    }


def segments(text: str, facts: list[dict]) -> list[dict]:
    """Cut `text` at every fact boundary; each piece lists the facts covering it and those starting there.

    Joining the pieces' text gives back `text` exactly.
    """
    cuts = {0, len(text)}
    for f in facts:
        cuts.update((f["start"], f["end"]))
    points = sorted(c for c in cuts if 0 <= c <= len(text))
    starting: dict[int, list[str]] = {}
    for f in facts:
        starting.setdefault(f["start"], []).append(f["key"])
    out = []
    for left, right in pairwise(points):
        covering = [f for f in facts if f["start"] <= left and right <= f["end"] and f["start"] < f["end"]]
        covering.sort(key=lambda f: (FACT_ORDER.index(f["kind"]), f["start"], f["key"]))
        actor = next((f["actor"] for f in covering if f["kind"] == "mention"), None)
        kinds = sorted({f["kind"] for f in covering}, key=FACT_ORDER.index)
        out.append({
            "text": text[left:right],
            "kinds": kinds,
            "classes": " ".join(f"k-{k}" for k in kinds),
            "facts": [f["key"] for f in covering],
            "label": "; ".join(f["label"] for f in covering),
            "actor": actor,
            "anchors": sorted(starting.get(left, [])),
        })
    return out


def _exact_document(engine: Engine, doc_id: str) -> dict | None:
    with engine.connect() as conn:
        row = conn.execute(select(documents).where(documents.c.id == doc_id)).first()
    return dict(row._mapping) if row else None


def _facts(rows: list[tuple[str, dict]], names: dict[str, str], text: str) -> list[dict]:
    found = []
    for kind, row in rows:
        start, end = max(0, row["start"]), min(len(text), row["end"])
        found.append({
            "kind": kind, "key": fact_key(kind, row["id"]), "start": start, "end": end,
            "confidence": row["confidence"], "actor": row.get("actor") if kind == "mention" else None,
            "label": _label(kind, row, names), "words": " ".join(text[start:end].split()),
        })
    found.sort(key=lambda f: (f["start"], -f["end"], FACT_ORDER.index(f["kind"]), f["key"]))
    return found


def _label(kind: str, row: dict, names: dict[str, str]) -> str:
    """A short reading of the fact for a tooltip and the fact list."""
    name = lambda i: names.get(i, i)
    if kind == "mention":
        return f"mention of {name(row['actor'])}"
    if kind == "date":
        return f"date {row['value']}"
    if kind == "quote":
        return f"{row['kind']} quote by {name(row['speaker']) if row.get('speaker') else 'an unknown speaker'}"
    if kind == "event":
        who = ", ".join(name(a) for a in row.get("actors") or []) or "someone"
        to = ", ".join(name(a) for a in row.get("recipients") or [])
        return f"{row['type']} event ({row['status']}): {who}" + (f" → {to}" if to else "") + (f", {row['date']}" if row.get("date") else "")
    if kind == "stance":
        return f"{name(row['actor'])} {row['polarity']}s {name(row['target'])}"
    value = row.get("value")
    figure = f"{value:g}" if value is not None else f"{row.get('low') or 0:g}–{row.get('high') or 0:g}"
    return f"{row['property'].replace('_', ' ')} {figure}" + (f" {row['unit']}" if row.get("unit") else "")


def _fact_counts(engine: Engine) -> dict[str, dict[str, int]]:
    counts: dict[str, Counter] = {}
    with engine.connect() as conn:
        for kind, table in FACT_TABLES.items():
            for doc, n in conn.execute(select(table.c.doc, func.count()).group_by(table.c.doc)):
                counts.setdefault(doc, Counter())[kind] = n
    return {doc: {k: c.get(k, 0) for k in FACT_TABLES} for doc, c in counts.items()}
