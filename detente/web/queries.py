"""The app's listings as SQL that pages and counts in the database, whatever the size of the store.

The CLI's store functions return every matching row, which is what a listing
on a terminal or an export wants; the app wants one page and a total. Each
function here takes the store functions' own queries (so filters and order are
the CLI's), adds what the CLI filters in Python (date windows, actors of an
event) as SQL, and reads only the page: `LIMIT`/`OFFSET` for the rows,
`COUNT` for the total, and names for the actors on the page only.
"""

from __future__ import annotations

from collections.abc import Iterable

from sqlalchemy import Connection, Integer, Select, String, and_, case, cast, false, func, literal, or_, select, true
from sqlalchemy.ext.compiler import compiles
from sqlalchemy.sql.expression import ColumnElement, FunctionElement

from detente.store.claims import claim_query, dispute_query, dispute_rows, reporter
from detente.store.events import event_query
from detente.store.extraction import quote_query, roles_of
from detente.store.schema import actors, claims, documents, events, mentions, quotes, stances
from detente.store.stances import stance_page, stance_query

MAX_NAMED_ACTORS = 200  # an actor filter naming more ids than this (one letter typed) is matched by a join instead


class position(FunctionElement):  # noqa: N801 (a SQL function, named as SQL names it)
    """Where `needle` starts in `text` (1-based; 0 when absent): `instr` in SQLite, `strpos` in PostgreSQL."""

    type = Integer()
    inherit_cache = True


@compiles(position)
def _position_default(element, compiler, **kw):
    return "instr(%s)" % compiler.process(element.clauses, **kw)


@compiles(position, "postgresql")
def _position_postgresql(element, compiler, **kw):
    return "strpos(%s)" % compiler.process(element.clauses, **kw)


# ----------------------------------------------------------------------------- building blocks


def page_rows(conn: Connection, query: Select, limit: int, offset: int, key: ColumnElement | None = None
              ) -> tuple[list[dict], int]:
    """One page of `query` (already ordered) and the number of rows it has in all, both counted by SQL.

    With `key`, the id column of the table the rows come from, the page is
    read as `rows_of_page` reads it.
    """
    narrow = query.with_only_columns(key) if key is not None else query
    total = conn.execute(select(func.count()).select_from(narrow.order_by(None).subquery())).scalar_one()
    return (rows_of_page(conn, query, limit, offset, key) if offset < total else []), total


def rows_of_page(conn: Connection, query: Select, limit: int, offset: int, key: ColumnElement | None = None) -> list[dict]:
    """The rows of one page of `query` (already ordered); see `page_query`."""
    return [dict(r._mapping) for r in conn.execute(page_query(query, limit, offset, key))]


def page_query(query: Select, limit: int, offset: int, key: ColumnElement | None = None) -> Select:
    """One page of `query` (already ordered).

    With `key`, the id column of the table the rows come from, the database
    sorts only the keys and reads whole rows for the page alone (a deferred
    join): a page deep in 60,000 events no longer drags every column of every
    row (and every figure's words cut from its document) through the sort.
    """
    if key is None:
        return query.limit(limit).offset(offset)
    return query.where(key.in_(query.with_only_columns(key).limit(limit).offset(offset)))


def names_of(conn: Connection, ids: Iterable[str]) -> dict[str, str]:
    """Display names of these actors only (a page's worth), not of the whole store."""
    wanted = sorted({i for i in ids if i})
    if not wanted:
        return {}
    return dict(conn.execute(select(actors.c.id, actors.c.name).where(actors.c.id.in_(wanted))).all())


def dated_within(query, table, since: str | None, until: str | None):
    """`query` kept to the rows of `table` whose date (else their document's) falls in the window, if one is asked."""
    window = within(func.coalesce(table.c.date, documents.c.published), since, until)
    return query if window is None else query.where(window)


def within(value: ColumnElement, since: str | None, until: str | None) -> ColumnElement | None:
    """SQL for "the date `value` can fall between `since` and `until`", as `detente.web.records.in_window` reads it.

    `value` is an ISO prefix of any precision ("2013", "2013-05-07") or a
    range "A/B"; `since` and `until` are ISO prefixes. Two prefixes compared
    on their common length order their periods: "2013-05" ends on or after
    "2013-05-20" begins because "2013-05" >= "2013-05". NULL never matches.
    """
    if not since and not until:
        return None
    slash = position(value, "/")
    first = func.substr(case((slash > 0, func.substr(value, 1, slash - 1)), else_=value), 1, 10)
    last = func.substr(case((slash > 0, func.substr(value, slash + 1)), else_=value), 1, 10)
    conditions = []
    if since:
        conditions.append(func.substr(last, 1, len(since)) >= func.substr(literal(since), 1, func.length(last)))
    if until:
        conditions.append(func.substr(first, 1, len(until)) <= func.substr(literal(until), 1, func.length(first)))
    return and_(*conditions)


def event_names_actor(text: str, conn: Connection) -> ColumnElement:
    """SQL for "the event's actors or recipients include an actor `text` names", as `detente events --actor`
    reads it: an id, else every actor whose id or name contains the text (any case), else the text as an id."""
    needle = text.strip().lower()
    if conn.execute(select(actors.c.id).where(actors.c.id == needle)).scalar() is not None:
        return _lists_any({needle})
    named = func.lower(actors.c.id).contains(needle, autoescape=True) | func.lower(actors.c.name).contains(needle, autoescape=True)
    found = set(conn.execute(select(actors.c.id).where(named).limit(MAX_NAMED_ACTORS + 1)).scalars())
    if not found:
        return _lists_any({needle})
    if len(found) <= MAX_NAMED_ACTORS:
        return _lists_any(found)
    # A word most names hold ("a"): one correlated test per event instead of thousands of ORs.
    listed = '"' + actors.c.id + '"'
    return select(actors.c.id).where(
        named, or_(position(cast(events.c.actors, String), listed) > 0, position(cast(events.c.recipients, String), listed) > 0)
    ).exists()


def _lists_any(ids: set[str]) -> ColumnElement:
    """Whether an event's actors or recipients hold any of `ids` (JSON lists: '"id"' occurs in their text only as an item)."""
    both = [cast(events.c.actors, String), cast(events.c.recipients, String)]
    return or_(false(), *(text.contains(f'"{i}"', autoescape=True) for i in sorted(ids) for text in both))


# ------------------------------------------------------------------------------- listings


def event_page(conn: Connection, actor: str | None, since: str | None, until: str | None, type: str | None,
               limit: int, offset: int) -> tuple[list[dict], int]:
    """Events as `event_rows` gives them, one page."""
    query = event_query(type=type)
    query = dated_within(query, events, since, until)
    if actor:
        query = query.where(event_names_actor(actor, conn))
    rows, total = page_rows(conn, query, limit, offset, key=events.c.id)
    names = names_of(conn, (a for r in rows for a in [*(r["actors"] or []), *(r["recipients"] or [])]))
    for row in rows:
        row["actors"] = list(row.get("actors") or [])
        row["recipients"] = list(row.get("recipients") or [])
        row["actor_names"] = [names.get(a, a) for a in row["actors"]]
        row["recipient_names"] = [names.get(a, a) for a in row["recipients"]]
    return rows, total


def quote_page(conn: Connection, actor: str | None, doc: str | None, since: str | None, until: str | None,
               limit: int, offset: int) -> tuple[list[dict], int]:
    query = quote_query(speaker=actor, doc=doc)
    query = dated_within(query, quotes, since, until)
    return page_rows(conn, query, limit, offset, key=quotes.c.id)


def stance_listing(conn: Connection, actor: str | None, target: str | None, since: str | None, until: str | None,
                   limit: int, offset: int) -> tuple[list[dict], int]:
    query = stance_query(conn, target=target, actor=actor)
    query = dated_within(query, stances, since, until)
    total = conn.execute(select(func.count()).select_from(query.with_only_columns(stances.c.id).order_by(None).subquery())).scalar_one()
    rows = stance_page(conn, page_query(query, limit, offset, key=stances.c.id)) if offset < total else []
    return rows, total


def claim_page(conn: Connection, property: str | None, subject: str | None, since: str | None, until: str | None,
               limit: int, offset: int) -> tuple[list[dict], int]:
    query = claim_query(property=property, subject=subject)
    query = dated_within(query, claims, since, until)
    rows, total = page_rows(conn, query, limit, offset, key=claims.c.id)
    for row in rows:
        row["reported_by"] = reporter(row)
    return rows, total


def dispute_page(engine, kind: str | None, limit: int, offset: int) -> tuple[list[dict], int]:
    """Stored disputes, one page; a dispute whose side was re-extracted away is left out of its page."""
    with engine.connect() as conn:
        total = conn.execute(select(func.count()).select_from(dispute_query(kind).order_by(None).subquery())).scalar_one()
    return dispute_rows(engine, kind=kind, limit=limit, offset=offset) if offset < total else [], total


def actor_page(conn: Connection, kind: str | None, limit: int, offset: int) -> tuple[list[dict], int]:
    """Actors by mentions, as `detente actors` lists them, one page, with the roles of that page's actors.

    The ranking carries only ids and counts; whole rows, and the documents
    each actor is named in (a DISTINCT count, the costly one), are read for
    the page alone.
    """
    ranking = _ranked_by_mentions(conn)
    if kind:
        ranking = ranking.where(actors.c.kind == kind.lower())
    total = conn.execute(select(func.count()).select_from(actors).where(actors.c.kind == kind.lower() if kind else true())).scalar_one()
    ranked = conn.execute(ranking.limit(limit).offset(offset)).all() if offset < total else []
    ids = [actor_id for actor_id, _ in ranked]
    found = {r.id: dict(r._mapping) for r in conn.execute(select(actors).where(actors.c.id.in_(ids)))} if ids else {}
    rows = [{**found[actor_id], "mentions": n} for actor_id, n in ranked]
    documents_of = _documents_named_in(conn, ids)
    roles = roles_of(conn, ids)
    for row in rows:
        row["documents"] = documents_of.get(row["id"], 0)
        row["roles"] = roles.get(row["id"], [])
    return rows, total


def _ranked_by_mentions(conn: Connection) -> Select:
    """Actor ids and their mentions, most named first, in the form the database counts fastest (10,000
    documents, 164,000 mentions): SQLite counts one range of the (actor, doc) index per actor (23 ms; grouping
    every mention and joining the groups back took 46 ms); PostgreSQL hashes the grouped mentions (35 ms;
    one count per actor took 60 ms)."""
    if conn.dialect.name == "postgresql":
        grouped = select(mentions.c.actor, func.count().label("n")).group_by(mentions.c.actor).subquery()
        counted = func.coalesce(grouped.c.n, 0).label("mentions")
        return (select(actors.c.id, counted).outerjoin(grouped, grouped.c.actor == actors.c.id)
                .order_by(counted.desc(), actors.c.id))
    counted = select(func.count()).where(mentions.c.actor == actors.c.id).scalar_subquery().label("mentions")
    return select(actors.c.id, counted).order_by(counted.desc(), actors.c.id)


def _documents_named_in(conn: Connection, ids: list[str]) -> dict[str, int]:
    """How many documents name each of these actors, in the form its database counts fastest (the 100 busiest
    of 10,000 documents): SQLite's count(DISTINCT) reads the (actor, doc) index in order (16 ms; 54 ms over a
    DISTINCT subquery), PostgreSQL de-duplicates the index's pairs first (20 ms; count(DISTINCT) sorts, 48 ms)."""
    if not ids:
        return {}
    if conn.dialect.name == "postgresql":
        pairs = select(mentions.c.actor, mentions.c.doc).where(mentions.c.actor.in_(ids)).distinct().subquery()
        return dict(conn.execute(select(pairs.c.actor, func.count()).group_by(pairs.c.actor)).all())
    return dict(conn.execute(
        select(mentions.c.actor, func.count(func.distinct(mentions.c.doc))).where(mentions.c.actor.in_(ids)).group_by(mentions.c.actor)
    ).all())
