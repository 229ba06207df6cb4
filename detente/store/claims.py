"""Reading figures and disputes back for `detente claims` and `detente disputes`.

A claim is shown with the words it was read from and with who reports it:
the quoted actor's name when there is one, else the outlet that printed it,
so a death-toll series reads as "70,000 (UN, via Reuters), 93,000 (UN, via
Levant Ledger) ...". A dispute is shown with both statements' words and
sources, whatever table each side lives in.
"""

from __future__ import annotations

from sqlalchemy import Connection, Engine, Select, case, func, select

from detente.store.schema import actors, claims, disputes, documents, events, quotes
from detente.store.sentences import sentence_around

_SIDES = {"quote": quotes, "claim": claims, "event": events}
_CONTEXT = 600  # characters searched on each side for the sentence's ends


def _span_text(table):
    """The statement's own words, cut from its document (SQL substr is 1-based)."""
    return func.substr(documents.c.text, table.c.start + 1, table.c.end - table.c.start)


def claim_rows(engine: Engine, property: str | None = None, subject: str | None = None) -> list[dict]:
    """Figures in date order, each with its words, its source document and who reports it.

    `property` and `subject` match exactly ("death_toll", "syrian-civil-war");
    a figure's date is its own date, else its document's publication date.
    `qualifier` keeps the words that hedge the figure ("more than", "hundreds
    of"), and `reported_by` names its source even when no actor matches it.
    """
    with engine.connect() as conn:
        rows = [dict(r._mapping) for r in conn.execute(claim_query(property, subject))]
    for row in rows:
        row["reported_by"] = reporter(row)
    return rows


def claim_query(property: str | None = None, subject: str | None = None) -> Select:
    """The query behind `claim_rows` (without `reported_by`, which `reporter` adds), for callers that page it."""
    when = func.coalesce(claims.c.date, documents.c.published)
    query = (
        select(
            claims.c.id, when.label("date"), claims.c.subject, claims.c.property,
            claims.c.value, claims.c.low, claims.c.high, claims.c.qualifier, claims.c.unit,
            claims.c.attributed_to, actors.c.name.label("attributed_name"), claims.c.source_text,
            _span_text(claims).label("text"),
            claims.c.doc, documents.c.outlet, documents.c.published, documents.c.title.label("doc_title"),
            claims.c.start, claims.c.end, claims.c.extractor, claims.c.confidence,
        )
        .join(documents, documents.c.id == claims.c.doc)
        .outerjoin(actors, actors.c.id == claims.c.attributed_to)
        .order_by(claims.c.property, claims.c.subject, when.is_(None), when, documents.c.published.is_(None),
                  documents.c.published, claims.c.start, claims.c.id)
    )
    if property:
        query = query.where(claims.c.property == property)
    if subject:
        query = query.where(claims.c.subject == subject)
    return query


def reporter(row: dict) -> str | None:
    """'Syrian Observatory for Human Rights (via AFP)', or the outlet alone for its own figures."""
    who = row.get("attributed_name") or row.get("attributed_to") or row.get("source_text")
    outlet = row.get("outlet")
    if who and outlet:
        return f"{who} (via {outlet})"
    return who or outlet


def dispute_rows(engine: Engine, kind: str | None = None, limit: int | None = None, offset: int = 0) -> list[dict]:
    """Each dispute with both statements: kind, words, document, outlet and date of each side.

    Keys are the dispute's `id`, `kind`, `confidence`, `extractor`, then for
    each side (`a_`, the earlier statement; `b_`, the one disputing it):
    `statement` (quote / claim / event), `id`, `text` (the statement's own
    words), `sentence` (the sentence around them: a death toll's row may stand
    for a sentence whose other claim is what is disputed), `by` and `by_name`
    (the speaker or source), `doc`, `outlet`, `published`, `doc_title`,
    `start`, `end`.
    """
    with engine.connect() as conn:
        found = [dict(r._mapping) for r in conn.execute(dispute_query(kind).limit(limit).offset(offset))]
        sides = _sides(conn, found)
    rows = []
    for d in found:
        a, b = (sides.get(_side_key(d, prefix)) for prefix in ("a", "b"))
        if a is None or b is None:
            continue  # a side was re-extracted away; `detente disputes` after extraction rebuilds them
        row = {"id": d["id"], "kind": d["kind"], "confidence": d["confidence"], "extractor": d["extractor"]}
        for prefix, side in (("a", a), ("b", b)):
            row |= {f"{prefix}_{key}": value for key, value in side.items()}
        rows.append(row)
    return rows


def dispute_query(kind: str | None = None) -> Select:
    """The stored disputes in listing order, of one kind or all (`limit`/`offset` of `dispute_rows` page it)."""
    query = select(disputes).order_by(disputes.c.kind, disputes.c.id)
    return query.where(disputes.c.kind == kind) if kind else query


def _sides(conn: Connection, found: list[dict]) -> dict[tuple[str, int], dict]:
    """The rows the disputes point at, read in one query per table."""
    wanted: dict[str, set] = {}
    for d in found:
        for prefix in ("a", "b"):
            kind, key = _side_key(d, prefix)
            wanted.setdefault(kind, set()).add(key)
    out: dict[tuple, dict] = {}
    out |= _sentence_sides(conn, wanted.pop("sentence", set()))
    for kind, ids in wanted.items():
        table = _SIDES.get(kind)
        if table is None:
            continue
        who = table.c.speaker if kind == "quote" else table.c.attributed_to if kind == "claim" else None
        columns = [
            table.c.id, _span_text(table).label("text"), table.c.doc, table.c.start, table.c.end,
            documents.c.outlet, documents.c.published, documents.c.title.label("doc_title"),
        ]
        if who is not None:
            columns += [who.label("by"), actors.c.name.label("by_name")]
        left = case((table.c.start > _CONTEXT, table.c.start - _CONTEXT), else_=0)  # GREATEST is not portable
        columns.append(func.substr(documents.c.text, left + 1, table.c.end - left + _CONTEXT).label("around"))
        query = select(*columns).join(documents, documents.c.id == table.c.doc).where(table.c.id.in_(sorted(ids)))
        if who is not None:
            query = query.outerjoin(actors, actors.c.id == who)
        for r in conn.execute(query):
            side = {"statement": kind, "by": None, "by_name": None, **dict(r._mapping)}
            around = side.pop("around") or ""
            offset = side["start"] - max(side["start"] - _CONTEXT, 0)
            side["sentence"] = sentence_around(around, offset, offset + side["end"] - side["start"])
            out[(kind, side["id"])] = side
    return out


def _side_key(dispute: dict, prefix: str) -> tuple:
    """A row side is found by its id; a sentence side, which has none, by its span."""
    kind = dispute[f"{prefix}_kind"]
    if kind == "sentence":
        return kind, (dispute[f"{prefix}_doc"], dispute[f"{prefix}_start"], dispute[f"{prefix}_end"])
    return kind, dispute[f"{prefix}_id"]


def _sentence_sides(conn: Connection, spans: set[tuple[str, int, int]]) -> dict[tuple, dict]:
    """Sides that are bare sentences: their words are cut from the document."""
    if not spans:
        return {}
    query = select(
        documents.c.id, documents.c.text, documents.c.outlet, documents.c.published, documents.c.title
    ).where(documents.c.id.in_(sorted({doc for doc, _, _ in spans})))
    docs = {r.id: r for r in conn.execute(query)}
    out = {}
    for doc, start, end in spans:
        if doc not in docs:
            continue
        d = docs[doc]
        text = " ".join(d.text[start:end].split())
        out[("sentence", (doc, start, end))] = {
            "statement": "sentence", "by": None, "by_name": None, "id": None, "text": text, "doc": doc,
            "start": start, "end": end, "outlet": d.outlet, "published": d.published, "doc_title": d.title,
            "sentence": text,
        }
    return out
