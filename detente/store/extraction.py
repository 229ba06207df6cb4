"""Writing one document's extracted records, and reading actors and quotes back.

An extractor owns its rows: re-extracting a document with a new version
deletes that extractor's rows for the document and writes the new ones, and
never touches rows written by anything else.
"""

from __future__ import annotations

from collections.abc import Iterable

from sqlalchemy import Connection, Engine, Select, and_, delete, func, insert, select, update
from sqlalchemy.dialects.postgresql import insert as postgresql_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert

from detente.nlp.records import ActorRecord
from detente.store.documents import now_iso
from detente.store.locks import hold_records_lock
from detente.store.schema import (
    actors,
    affiliations,
    claims,
    dates,
    dispute_coverage,
    documents,
    events,
    extractions,
    mentions,
    quotes,
    stances,
    timeline_coverage,
)

OWNED_TABLES = (mentions, dates, quotes, affiliations, events, stances, claims)


def pending_documents(engine: Engine, extractor: str, version: str, only: Iterable[str] = ()) -> list[dict]:
    """Documents this extractor version has not done yet (id, text, published)."""
    done = select(extractions.c.doc).where(
        and_(extractions.c.extractor == extractor, extractions.c.version == version)
    )
    query = select(documents.c.id, documents.c.text, documents.c.published).where(documents.c.id.not_in(done))
    only = list(only)
    if only:
        query = query.where(documents.c.id.in_(only))
    with engine.connect() as conn:
        return [dict(r._mapping) for r in conn.execute(query.order_by(documents.c.id))]


def known_actors(engine: Engine) -> list[ActorRecord]:
    with engine.connect() as conn:
        rows = conn.execute(
            select(actors.c.id, actors.c.name, actors.c.kind, actors.c.country, actors.c.aliases).order_by(actors.c.id)
        )
        return [ActorRecord(r.id, r.name, r.kind, r.country, list(r.aliases or [])) for r in rows]


def clear_document(conn: Connection, doc: str, extractor: str) -> None:
    """Remove the rows any version of `extractor` wrote for `doc` (rows are tagged "name/version").

    It opens the writing of a document's records, so it first takes the
    records lock: a second process extracting the same document waits for the
    first to commit, then deletes its rows and writes its own, never both.
    """
    hold_records_lock(conn)
    for table in OWNED_TABLES:
        conn.execute(delete(table).where(and_(table.c.doc == doc, table.c.extractor.like(f"{extractor}/%"))))
    conn.execute(delete(dispute_coverage).where(dispute_coverage.c.doc == doc))  # its disputes are stale now
    conn.execute(delete(timeline_coverage).where(timeline_coverage.c.doc == doc))  # and its timeline entries


def upsert_actor(conn: Connection, record: ActorRecord, origin: str = "extracted") -> None:
    """Insert a new actor, or add the aliases this source used to the existing one.

    Safe with concurrent writers: the insert yields to a row another process
    added meanwhile, and the existing row is locked (PostgreSQL) while its
    aliases are merged, so neither a duplicate nor a lost alias can result.
    """
    new = _insert_ignoring_conflict(conn, actors).values(
        id=record.id, name=record.name, kind=record.kind, country=record.country,
        aliases=sorted(set(record.aliases)), origin=origin,
    )
    inserted = conn.execute(new.on_conflict_do_nothing(index_elements=[actors.c.id]).returning(actors.c.id)).first()
    if inserted is not None:
        return
    row = conn.execute(select(actors.c.aliases).where(actors.c.id == record.id).with_for_update()).one()
    merged = sorted(set(row.aliases or []) | set(record.aliases))
    if merged != sorted(row.aliases or []):
        conn.execute(update(actors).where(actors.c.id == record.id).values(aliases=merged))


def _insert_ignoring_conflict(conn: Connection, table):
    """INSERT … ON CONFLICT, which both SQLite and PostgreSQL speak (SQLAlchemy builds it per dialect)."""
    return (postgresql_insert if conn.dialect.name == "postgresql" else sqlite_insert)(table)


def insert_rows(conn: Connection, table, rows: list[dict]) -> None:
    if rows:
        conn.execute(insert(table), rows)


def mark_extracted(conn: Connection, doc: str, extractor: str, version: str) -> None:
    conn.execute(delete(extractions).where(and_(extractions.c.doc == doc, extractions.c.extractor == extractor)))
    conn.execute(insert(extractions).values(doc=doc, extractor=extractor, version=version, at=now_iso()))


def actor_rows(engine: Engine) -> list[dict]:
    """Every actor with its mention count and roles, for `detente actors`."""
    with engine.connect() as conn:
        rows = [dict(r._mapping) for r in conn.execute(actor_rows_query())]
        roles = _roles_by_actor(conn)
    for row in rows:
        row["roles"] = roles.get(row["id"], [])
    return rows


def actor_rows_query() -> Select:
    """Actors with mention and document counts, most mentioned first (`actor_rows` without the roles)."""
    counts = (
        select(mentions.c.actor, func.count().label("mentions"), func.count(func.distinct(mentions.c.doc)).label("documents"))
        .group_by(mentions.c.actor)
        .subquery()
    )
    return (
        select(actors, func.coalesce(counts.c.mentions, 0).label("mentions"), func.coalesce(counts.c.documents, 0).label("documents"))
        .outerjoin(counts, counts.c.actor == actors.c.id)
        .order_by(func.coalesce(counts.c.mentions, 0).desc(), actors.c.id)
    )


def roles_of(conn: Connection, ids: list[str]) -> dict[str, list[str]]:
    """The role lines of these actors only (one page of a listing)."""
    return _roles_by_actor(conn, ids) if ids else {}


def _roles_by_actor(conn: Connection, only: list[str] | None = None) -> dict[str, list[str]]:
    """'Foreign Minister, Russia (2013-05-07…2015-01-14)': one line per distinct role and organisation.

    The organisation is shown by its display name, which people read; its id stays in the affiliation rows.
    """
    organization = actors.alias("organization")
    query = (
        select(
            affiliations.c.actor, affiliations.c.role, affiliations.c.organization,
            func.min(func.coalesce(organization.c.name, affiliations.c.organization_text, affiliations.c.organization)).label("shown"),
            func.min(func.coalesce(affiliations.c.start, "")).label("first"),
            func.max(func.coalesce(affiliations.c.end, affiliations.c.start, "")).label("last"),
        )
        .outerjoin(organization, organization.c.id == affiliations.c.organization)
        .group_by(affiliations.c.actor, affiliations.c.role, affiliations.c.organization)
        .order_by(affiliations.c.actor, "first", affiliations.c.role, affiliations.c.organization.is_(None),
                  affiliations.c.organization)
    )
    if only is not None:
        query = query.where(affiliations.c.actor.in_(sorted(set(only))))
    out: dict[str, list[str]] = {}
    for r in conn.execute(query):
        where = f", {r.shown}" if r.organization else ""
        span = _attested(r.first, r.last)
        out.setdefault(r.actor, []).append(f"{r.role}{where}{span}")
    return out


def _attested(first: str | None, last: str | None) -> str:
    """' (2013-05-07…2015-01-14)', ' (2013-05-07)' for one day, ' (until 2015-01-14)' with no start."""
    if not first and not last:
        return ""
    if not first:
        return f" (until {last})"
    if not last or last == first:
        return f" ({first})"
    return f" ({first}…{last})"


def actor_detail(engine: Engine, actor_id: str, limit: int | None = None, offset: int = 0) -> dict | None:
    """One actor with roles, mentions and quotes, each with its source document.

    `limit` and `offset` cut the mentions and the quotes to one page (an
    actor named everywhere has tens of thousands); `mentions_total` and
    `quotes_total` count them all.
    """
    with engine.connect() as conn:
        row = conn.execute(select(actors).where(actors.c.id == actor_id)).first()
        if row is None:
            return None
        detail = dict(row._mapping)
        detail["affiliations"] = _rows(conn, select(affiliations).where(affiliations.c.actor == actor_id).order_by(
            affiliations.c.start.is_(None), affiliations.c.start, affiliations.c.id))
        for key, table, column in (("mentions", mentions, mentions.c.actor), ("quotes", quotes, quotes.c.speaker)):
            detail[key] = _rows(conn, _with_source(table).where(column == actor_id).limit(limit).offset(offset))
            detail[f"{key}_total"] = conn.execute(select(func.count()).select_from(table).where(column == actor_id)).scalar_one()
    return detail


def quote_rows(engine: Engine, speaker: str | None = None, doc: str | None = None) -> list[dict]:
    """Quotes with their speaker's name and source; `speaker` matches an id or part of a name."""
    with engine.connect() as conn:
        return _rows(conn, quote_query(speaker, doc))


def quote_query(speaker: str | None = None, doc: str | None = None) -> Select:
    """The query behind `quote_rows`, for callers that page it in SQL (the web app)."""
    query = _with_source(quotes).add_columns(actors.c.name.label("speaker_name")).outerjoin(actors, actors.c.id == quotes.c.speaker)
    if speaker:
        needle = speaker.lower()  # `%` and `_` are matched as themselves, not as wildcards
        query = query.where(
            (quotes.c.speaker == speaker)
            | func.lower(actors.c.name).contains(needle, autoescape=True)
            | func.lower(quotes.c.speaker).contains(needle, autoescape=True)
        )
    if doc:
        query = query.where(quotes.c.doc.startswith(doc, autoescape=True))
    return query


def _with_source(table):
    """Rows of `table` joined to their document's outlet, date and title, ordered by date.

    Undated rows come first on either store (PostgreSQL sorts NULL last, SQLite first), and the id ends every
    tie, so both list the same rows in the same order.
    """
    when = func.coalesce(table.c.date, documents.c.published) if "date" in table.c else documents.c.published
    return (
        select(table, documents.c.outlet, documents.c.published, documents.c.title.label("doc_title"))
        .join(documents, documents.c.id == table.c.doc)
        .order_by(when.is_(None), when, table.c.doc, table.c.start, table.c.id)
    )


def _rows(conn: Connection, query) -> list[dict]:
    return [dict(r._mapping) for r in conn.execute(query)]
