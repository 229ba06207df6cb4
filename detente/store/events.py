"""Reading events back: each report with its source, and the merged timeline.

`event_rows` is one row per report (what `detente events` lists), each with
the document's outlet and publication date and the actors' display names, so
a reader never needs a join. `timeline_rows` merges the reports of one
real-world event into one row (see `detente.analysis.timeline`), read from
the entries the store keeps merged (`detente.analysis.timeline_refresh`).

Filters work on what a user types: an actor by id or by part of its name;
dates as ISO prefixes of any precision, where an event matches when its date
can fall in the range (an event dated "2013-05" is in `--since 2013-05-20`).
"""

from __future__ import annotations

from datetime import date

from sqlalchemy import Connection, Engine, Select, bindparam, func, select

from detente.analysis.timeline import build_timeline, date_bounds
from detente.analysis.timeline_refresh import ensure_timeline, first_report
from detente.store.schema import actors, documents, events, timeline_actors, timeline_entries, timeline_reports


class EventQueryError(ValueError):
    """A filter the user gave that cannot be read; the message says what to type instead."""


def event_rows(
    engine: Engine,
    actor: str | None = None,
    since: str | None = None,
    until: str | None = None,
    type: str | None = None,
    status: str | None = None,
    doc: str | None = None,
) -> list[dict]:
    """Events as their sources report them, in date order, with source and actor names."""
    window = _window(since, until)
    query = event_query(type=type, status=status, doc=doc)
    with engine.connect() as conn:
        rows = [dict(r._mapping) for r in conn.execute(query)]
        names = _names(conn)
    wanted = _matching_actors(actor, names) if actor else None
    out = []
    for row in rows:
        row["actors"] = list(row.get("actors") or [])
        row["recipients"] = list(row.get("recipients") or [])
        if wanted is not None and not (wanted & (set(row["actors"]) | set(row["recipients"]))):
            continue
        if window is not None and not _in_window(row.get("date") or row.get("published"), window):
            continue
        row["actor_names"] = [names.get(a, a) for a in row["actors"]]
        row["recipient_names"] = [names.get(a, a) for a in row["recipients"]]
        out.append(row)
    return out


def event_query(type: str | None = None, status: str | None = None, doc: str | None = None) -> Select:
    """The events with their document's outlet, date, title and link, in date order, filtered by the
    filters SQL can apply as they are; the web app pages this query in SQL."""
    query = (
        select(events, documents.c.outlet, documents.c.published, documents.c.title.label("doc_title"), documents.c.uri)
        .join(documents, documents.c.id == events.c.doc)
        .order_by(func.coalesce(events.c.date, documents.c.published).is_(None), func.coalesce(events.c.date, documents.c.published),
                  events.c.doc, events.c.start, events.c.id)
    )
    types = _types(type)
    if types:
        query = query.where(events.c.type.in_(types))
    if status:
        query = query.where(events.c.status == status.strip().lower())
    if doc:
        query = query.where(events.c.doc.startswith(doc, autoescape=True))
    return query


def timeline_rows(
    engine: Engine,
    actor: str | None = None,
    since: str | None = None,
    until: str | None = None,
    type: str | None = None,
    status: str | None = None,
    min_sources: int = 1,
) -> list[dict]:
    """One row per real-world event: date, type, mode, actors, recipients, status, and every source."""
    return timeline_page(engine, actor, since, until, type, status, min_sources)[0]


def timeline_page(
    engine: Engine,
    actor: str | None = None,
    since: str | None = None,
    until: str | None = None,
    type: str | None = None,
    status: str | None = None,
    min_sources: int = 1,
    limit: int | None = None,
    offset: int = 0,
    counted: bool = False,
) -> tuple[list[dict], int | None]:
    """`limit` rows of the timeline from `offset`, filtered as `timeline_rows`, and (when `counted`) how many
    match in all. The rows are the stored merged entries (kept current by `refresh_timeline`), filtered,
    ordered and paged in SQL; a store this process cannot write and no extraction has brought up to
    date (a read-only app over an older store) is merged in memory instead."""
    window = _window(since, until)
    if not ensure_timeline(engine):
        rows = _merged_in_memory(engine, actor, window, type, status, min_sources)
        return rows[offset:None if limit is None else offset + limit], len(rows) if counted else None
    with engine.connect() as conn:
        query = timeline_query(conn, actor, window, type, status, min_sources)
        total = conn.execute(select(func.count()).select_from(query.subquery())).scalar_one() if counted else None
        ordered = query.order_by(*TIMELINE_ORDER).limit(limit).offset(offset)
        if limit is None:  # the whole timeline (the report): streamed, with every actor's name read once
            names = _names(conn)
            return [stored_timeline_row(r._mapping, names) for r in conn.execute(ordered.execution_options(yield_per=1000))], total
        found = [r._mapping for r in conn.execute(ordered)]
        names = _names_of(conn, {a for r in found for a in [*r["actors"], *r["recipients"]]})
        return [stored_timeline_row(r, names) for r in found], total


def timeline_count(engine: Engine) -> int:
    """How many entries the merged timeline holds."""
    return timeline_page(engine, limit=0, counted=True)[1] or 0


# The order of one merge of the whole store (see `detente.analysis.timeline.entry_order`).
TIMELINE_ORDER = tuple(timeline_entries.c[name] for name in (
    "undated", "first", "date", "type", "when_missing", "undated_when", "lead_from", "lead_to", "lead_doc",
    "lead_start", "lead_when_missing", "lead_when", "lead_event"))


def timeline_query(conn: Connection, actor: str | None = None, window: tuple[date, date] | None = None,
                   type: str | None = None, status: str | None = None, min_sources: int = 1) -> Select:
    """The stored entries matching the filters, unordered (callers order by `TIMELINE_ORDER`)."""
    query = select(timeline_entries)
    types = _types(type)
    if types:
        query = query.where(timeline_entries.c.type.in_(types))
    if status:
        query = query.where(timeline_entries.c.status == status.strip().lower())
    if min_sources > 1:
        query = query.where(timeline_entries.c.sources >= min_sources)
    if window is not None:
        query = query.where(timeline_entries.c.date_from <= window[1].isoformat(),
                            timeline_entries.c.date_to >= window[0].isoformat())
    if actor:
        query = query.where(timeline_entries.c.id.in_(select(timeline_actors.c.entry).where(_taking_part(conn, actor))))
    return query


def _taking_part(conn: Connection, actor: str):
    """The `timeline_actors` rows of the actors `actor` names (see `_matching_actors`)."""
    wanted = sorted(_wanted_actors(conn, actor))
    # Inlined, not bound: a short needle may match more actors than a statement may have parameters.
    return timeline_actors.c.actor.in_(bindparam("wanted", wanted, expanding=True, literal_execute=True))


def stored_timeline_rows_between(conn: Connection, first_day: str, last_day: str, actor: str | None = None,
                                 type: str | None = None) -> list[dict]:
    """The stored entries shown on the days from `first_day` to `last_day` (their date's first day, else the day
    they were first reported), by that day and dated first, in the timeline's order otherwise."""
    day = timeline_entries.c.day
    query = timeline_query(conn, actor, None, type).where(day >= first_day, day <= last_day).order_by(*TIMELINE_ORDER)
    found = [dict(r._mapping) for r in conn.execute(query)]
    found.sort(key=lambda r: (r["day"], r["date"] is None))
    names = _names_of(conn, {a for r in found for a in [*r["actors"], *r["recipients"]]})
    return [stored_timeline_row(r, names) for r in found]


def stored_report_days(conn: Connection, actor: str | None = None, type: str | None = None) -> Select:
    """The day of each report of the stored entries of these types that `actor` takes part in (the first ten
    characters of its date, else of its document's publication date), for paging the timeline by weeks of
    reports. Each filter is a probe per report, so a query in day order stops at the rows it needs."""
    query = select(timeline_reports.c.day)
    if actor:
        query = query.where(select(timeline_actors.c.entry).where(
            timeline_actors.c.entry == timeline_reports.c.entry, _taking_part(conn, actor)).exists())
    if _types(type):
        query = query.where(select(timeline_entries.c.id).where(
            timeline_entries.c.id == timeline_reports.c.entry, timeline_entries.c.type.in_(_types(type))).exists())
    return query


def stored_timeline_row(row, names: dict[str, str]) -> dict:
    """A stored entry (a row or mapping of `timeline_entries`) as `timeline_rows` gives it, with the actors' names."""
    actors_, recipients = row["actors"], row["recipients"]
    return {
        "date": row["date"],
        "type": row["type"],
        "mode": row["mode"],
        "status": row["status"],
        "actors": actors_,
        "actor_names": [names.get(a, a) for a in actors_],
        "recipients": recipients,
        "recipient_names": [names.get(a, a) for a in recipients],
        "location": row["location"],
        "sources": row["sources"],
        "docs": row["docs"],
        "outlets": row["outlets"],
        "events": row["events"],
        "text": row["text"],
        "first_reported": row["first_reported"],
        "confidence": row["confidence"],
    }


def _merged_in_memory(engine: Engine, actor: str | None, window: tuple[date, date] | None, type: str | None,
                      status: str | None, min_sources: int) -> list[dict]:
    """The timeline merged from every event row, for a store whose stored entries are not current and
    cannot be made so here (as every read did before the entries were stored)."""
    reports = event_rows(engine, type=type, status=status)
    names = {a: n for r in reports for a, n in zip(r["actors"] + r["recipients"], r["actor_names"] + r["recipient_names"])}
    wanted = _matching_actors(actor, _all_names(engine)) if actor else None
    rows = []
    for entry in build_timeline(reports):
        if wanted is not None and not (wanted & (set(entry.actors) | set(entry.recipients))):
            continue
        if window is not None and not _in_window(entry.date, window):
            continue
        if len(entry.docs) < min_sources:
            continue
        rows.append(timeline_row(entry, names))
    return rows


def timeline_row(entry, names: dict[str, str]) -> dict:
    """A merged timeline entry as a row: date, type, mode, actors (with names), status, and every source."""
    docs = entry.docs
    first = first_report(entry)
    return {
        "date": entry.date,
        "type": entry.type,
        "mode": entry.mode,
        "status": entry.status,
        "actors": entry.actors,
        "actor_names": [names.get(a, a) for a in entry.actors],
        "recipients": entry.recipients,
        "recipient_names": [names.get(a, a) for a in entry.recipients],
        "location": entry.location,
        "sources": len(docs),
        "docs": docs,
        "outlets": list(dict.fromkeys(r.get("outlet") for r in entry.reports if r.get("outlet"))),
        "events": [r["id"] for r in entry.reports],
        "text": first.get("text"),
        "first_reported": first.get("published"),
        "confidence": entry.confidence,
    }


# -- filters ------------------------------------------------------------------------------


def _types(value: str | None) -> list[str]:
    """'consult,agree' → ['CONSULT', 'AGREE']."""
    if not value:
        return []
    return [t.strip().upper() for t in str(value).split(",") if t.strip()]


def _window(since: str | None, until: str | None) -> tuple[date, date] | None:
    if not since and not until:
        return None
    low = _bound(since, "since")[0] if since else date.min
    high = _bound(until, "until")[1] if until else date.max
    return low, high


def _bound(value: str, name: str) -> tuple[date, date]:
    bounds = date_bounds(value)
    if bounds is None:
        raise EventQueryError(f"--{name} {value!r} is not a date; give an ISO prefix such as 2013, 2013-05 or 2013-05-07.")
    return bounds


def _in_window(value: str | None, window: tuple[date, date]) -> bool:
    bounds = date_bounds(value)
    return bounds is not None and bounds[0] <= window[1] and window[0] <= bounds[1]


def _names(conn) -> dict[str, str]:
    return {r.id: r.name for r in conn.execute(select(actors.c.id, actors.c.name))}


def _names_of(conn, ids: set[str]) -> dict[str, str]:
    ordered, names = sorted(ids), {}
    for first in range(0, len(ordered), 500):
        names.update((r.id, r.name) for r in conn.execute(select(actors.c.id, actors.c.name).where(actors.c.id.in_(ordered[first:first + 500]))))
    return names


def _all_names(engine: Engine) -> dict[str, str]:
    with engine.connect() as conn:
        return _names(conn)


def _wanted_actors(conn, text: str) -> set[str]:
    """`_matching_actors` over the store's actors, reading them all only when the text is not an id."""
    needle = text.strip().lower()
    if conn.execute(select(actors.c.id).where(actors.c.id == needle)).first() is not None:
        return {needle}
    return _matching_actors(text, _names(conn))


def _matching_actors(text: str, names: dict[str, str]) -> set[str]:
    """An id, or every actor whose id or name contains the text ("lavrov" → sergei-lavrov)."""
    needle = text.strip().lower()
    if needle in names:
        return {needle}
    found = {i for i, n in names.items() if needle in i.lower() or needle in (n or "").lower()}
    return found or {needle}
