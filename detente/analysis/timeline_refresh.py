"""Keeping the stored timeline current: after every extraction, for what changed, and on first need.

Merging every event of a 10,000-document store took 14 s and most of the
report's memory, on every read. The merged entries are stored instead
(`timeline_groups`, `timeline_entries`, with `timeline_reports` saying which
event rows report each), and a change re-merges only the groups it can
touch (`detente.analysis.timeline.independent_groups`): those holding the
changed documents' old reports, and those their new reports' windows reach.

Whether the entries are current is read from the store itself, as for the
disputes (`detente.analysis.dispute_refresh`): a document whose extraction
is rewritten loses its `timeline_coverage` row in that transaction, so a run
killed before the refresh leaves work the next `extract`, `run` or reader
finds. A coverage row whose document is gone marks a deleted document. A
store that never had the tables, or whose merge method changed (any edit of
`detente/analysis/timeline.py`), is merged whole on first need.

The refresh reads and writes in one transaction holding the records lock, so
two writers never merge from each other's half-written state.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterable
from functools import lru_cache
from importlib import resources
from itertools import groupby

from sqlalchemy import Connection, Engine, delete, func, insert, select
from sqlalchemy.exc import DBAPIError

from detente.analysis.timeline import (
    TimelineEntry,
    TimelineGroup,
    build_timeline,
    date_bounds,
    entry_lead,
    independent_groups,
    report_bounds,
    report_order,
)
from detente.store.batches import ID_BATCH, id_batches
from detente.store.locks import hold_records_lock
from detente.store.methods import method_changed, save_method
from detente.store.schema import (
    documents,
    events,
    extractions,
    schema_info,
    timeline_actors,
    timeline_coverage,
    timeline_entries,
    timeline_groups,
    timeline_reports,
)

METHOD_KEY = "timeline_method"
# What a merge needs of a report; the sentence is read only for each entry's first report.
_REPORT_COLUMNS = (
    events.c.id, events.c.doc, events.c.start, events.c.type, events.c.mode, events.c.status, events.c.actors,
    events.c.recipients, events.c.date, events.c.date_text, events.c.location, events.c.confidence,
    documents.c.outlet, documents.c.published,
)


def refresh_timeline(engine: Engine) -> int:
    """Bring the stored timeline up to date with the events; the number of entries stored."""
    with engine.begin() as conn:
        refresh_in(conn)
    with engine.connect() as conn:
        return conn.execute(select(func.count()).select_from(timeline_entries)).scalar_one()


def refresh_in(conn: Connection) -> None:
    """The refresh in the caller's transaction: whole when most documents changed, else group by group."""
    _hold_write(conn)
    if _method_changed(conn):
        _rebuild(conn)
        return
    stale = _stale_documents(conn)
    if not stale:
        return
    extracted = conn.execute(select(func.count(func.distinct(extractions.c.doc)))).scalar() or 0
    if 2 * len(stale) > extracted:
        _rebuild(conn)
    else:
        _remerge(conn, stale)


def timeline_current(engine: Engine) -> bool:
    """Whether the stored entries hold every event as it is now (cheap: two anti-joins on document ids)."""
    with engine.connect() as conn:
        return not _method_changed(conn) and not _stale_documents(conn)


def ensure_timeline(engine: Engine) -> bool:
    """Make the stored timeline current if it is not; False when the store cannot be written (a read-only
    app over a store no `extract` of this version has touched), where readers merge in memory instead."""
    try:
        if timeline_current(engine):
            return True
        refresh_timeline(engine)
    except DBAPIError:  # a read-only connection, or a store without the tables that cannot make them
        return False
    return True


def stale_documents(engine: Engine) -> set[str]:
    """Documents whose events the stored timeline does not hold as they are (every one when it was never built)."""
    with engine.connect() as conn:
        if _method_changed(conn):
            return set(conn.execute(select(documents.c.id)).scalars())
        return _stale_documents(conn)


# -- what is stale -------------------------------------------------------------------------


def _stale_documents(conn: Connection) -> set[str]:
    covered = select(timeline_coverage.c.doc)
    rewritten = select(extractions.c.doc).where(extractions.c.doc.not_in(covered))
    gone = select(timeline_coverage.c.doc).where(timeline_coverage.c.doc.not_in(select(documents.c.id)))
    return set(conn.execute(rewritten.union(gone)).scalars())


@lru_cache(maxsize=1)
def _method() -> str:
    """What the stored entries were merged with: the merging module's own text."""
    source = resources.files("detente.analysis").joinpath("timeline.py").read_bytes()
    return hashlib.sha256(source).hexdigest()[:16]


def _method_changed(conn: Connection) -> bool:
    return method_changed(conn, METHOD_KEY, _method())


def _hold_write(conn: Connection) -> None:
    """Hold the store for writing before reading anything: the records lock on PostgreSQL; on SQLite a
    statement that writes nothing, which takes the file's write lock (reads before it would run outside
    the transaction)."""
    hold_records_lock(conn)
    conn.execute(delete(schema_info).where(schema_info.c.key == METHOD_KEY, schema_info.c.value.is_(None)))


# -- merging ---------------------------------------------------------------------------------


def _rebuild(conn: Connection) -> None:
    """Merge the whole store, one type and status at a time so memory holds one of them at most."""
    for table in (timeline_actors, timeline_reports, timeline_entries, timeline_groups, timeline_coverage):
        conn.execute(delete(table))
    writer = _Writer(conn)
    query = select(*_REPORT_COLUMNS).join(documents, documents.c.id == events.c.doc).order_by(events.c.type, events.c.status)
    streamed = conn.execute(query.execution_options(yield_per=2000))
    for _kind, rows in groupby(streamed, key=lambda r: (r.type, r.status)):
        writer.write(independent_groups(sorted((_report(r) for r in rows), key=report_order)))
    for batch in id_batches(conn.execute(select(documents.c.id)).scalars()):
        conn.execute(insert(timeline_coverage), [{"doc": doc} for doc in batch])
    save_method(conn, METHOD_KEY, _method())


def _remerge(conn: Connection, stale: set[str]) -> None:
    """Re-merge the groups the stale documents' old and new reports touch, and mark the documents current."""
    fresh = _reports_where(conn, id_batches(stale), lambda batch: events.c.doc.in_(batch))
    affected = _groups_holding(conn, stale) | _groups_reached(conn, fresh)
    kept_ids = _reports_of_groups(conn, affected, stale)
    kept = _reports_where(conn, id_batches(kept_ids), lambda batch: events.c.id.in_(batch))
    _delete_groups(conn, affected)
    _Writer(conn).write(independent_groups(sorted(kept + fresh, key=report_order)))
    for batch in id_batches(stale):
        conn.execute(delete(timeline_coverage).where(timeline_coverage.c.doc.in_(batch)))
        present = sorted(set(conn.execute(select(documents.c.id).where(documents.c.id.in_(batch))).scalars()))
        if present:
            conn.execute(insert(timeline_coverage), [{"doc": doc} for doc in present])


def _groups_holding(conn: Connection, docs: set[str]) -> set[int]:
    found: set[int] = set()
    for batch in id_batches(docs):
        query = (select(timeline_entries.c.group_id).join(timeline_reports, timeline_reports.c.entry == timeline_entries.c.id)
                 .where(timeline_reports.c.doc.in_(batch)).distinct())
        found.update(conn.execute(query).scalars())
    return found


def _groups_reached(conn: Connection, rows: list[dict]) -> set[int]:
    """The stored groups a new report could merge with: its type and status, and its window (or undated)."""
    found: set[int] = set()
    kinds = sorted({(r["type"], r["status"]) for r in rows})
    for kind, status in kinds:
        spans = conn.execute(select(timeline_groups.c.id, timeline_groups.c.first, timeline_groups.c.last)
                             .where(timeline_groups.c.type == kind, timeline_groups.c.status == status)).all()
        for row in (r for r in rows if (r["type"], r["status"]) == (kind, status)):
            bounds = report_bounds(row)
            if bounds is None:
                found.update(s.id for s in spans if s.first is None)
            else:
                low, high = bounds[0].isoformat(), bounds[1].isoformat()
                found.update(s.id for s in spans if s.first is not None and s.first <= high and low <= s.last)
    return found


def _reports_of_groups(conn: Connection, groups: set[int], stale: set[str]) -> set[int]:
    """The event ids the groups hold from documents that did not change (the changed ones are read afresh)."""
    found: set[int] = set()
    for batch in id_batches(groups):
        query = (select(timeline_reports.c.event, timeline_reports.c.doc)
                 .join(timeline_entries, timeline_entries.c.id == timeline_reports.c.entry)
                 .where(timeline_entries.c.group_id.in_(batch)))
        found.update(r.event for r in conn.execute(query) if r.doc not in stale)
    return found


def _delete_groups(conn: Connection, groups: set[int]) -> None:
    for batch in id_batches(groups):
        entries = select(timeline_entries.c.id).where(timeline_entries.c.group_id.in_(batch))
        conn.execute(delete(timeline_actors).where(timeline_actors.c.entry.in_(entries)))
        conn.execute(delete(timeline_reports).where(timeline_reports.c.entry.in_(entries)))
        conn.execute(delete(timeline_entries).where(timeline_entries.c.group_id.in_(batch)))
        conn.execute(delete(timeline_groups).where(timeline_groups.c.id.in_(batch)))


def _reports_where(conn: Connection, batches: Iterable[list], condition) -> list[dict]:
    rows: list[dict] = []
    for batch in batches:
        query = select(*_REPORT_COLUMNS).join(documents, documents.c.id == events.c.doc).where(condition(batch))
        rows += [_report(r) for r in conn.execute(query)]
    return rows


def _report(row) -> dict:
    report = dict(row._mapping)
    report["actors"] = list(report["actors"] or [])
    report["recipients"] = list(report["recipients"] or [])
    return report


class _Writer:
    """Writes merged groups with ids after the largest stored, in the caller's transaction."""

    def __init__(self, conn: Connection) -> None:
        self.conn = conn
        self.group_id = conn.execute(select(func.max(timeline_groups.c.id))).scalar() or 0
        self.entry_id = conn.execute(select(func.max(timeline_entries.c.id))).scalar() or 0

    def write(self, groups: list[TimelineGroup]) -> None:
        group_rows, entry_rows, report_rows, actor_rows = [], [], [], []
        merged = []
        for group in groups:
            self.group_id += 1
            group_rows.append({"id": self.group_id, "type": group.type, "status": group.status or "reported",
                               "first": _iso(group.first), "last": _iso(group.last)})
            for entry in build_timeline(group.rows):
                self.entry_id += 1
                merged.append((self.group_id, self.entry_id, entry))
        texts = self._first_texts(entry for _group, _id, entry in merged)
        for group_id, entry_id, entry in merged:
            entry_rows.append(entry_record(entry, entry_id, group_id, texts))
            report_rows += [{"entry": entry_id, "event": r["id"], "doc": r["doc"], "day": _report_day(r)} for r in entry.reports]
            actor_rows += [{"entry": entry_id, "actor": a} for a in dict.fromkeys(entry.actors + entry.recipients)]
        for table, rows in ((timeline_groups, group_rows), (timeline_entries, entry_rows),
                            (timeline_reports, report_rows), (timeline_actors, actor_rows)):
            for first in range(0, len(rows), 5 * ID_BATCH):
                self.conn.execute(insert(table), rows[first:first + 5 * ID_BATCH])

    def _first_texts(self, entries: Iterable[TimelineEntry]) -> dict[int, str | None]:
        wanted = sorted({first_report(entry)["id"] for entry in entries})
        texts: dict[int, str | None] = {}
        for batch in id_batches(wanted):
            texts.update((r.id, r.text) for r in self.conn.execute(select(events.c.id, events.c.text).where(events.c.id.in_(batch))))
        return texts


def first_report(entry: TimelineEntry) -> dict:
    """The report published first (the earliest in its document on a tie): its words summarise the entry."""
    return min(entry.reports, key=lambda r: (r.get("published") or "9999", r["start"]))


def entry_record(entry: TimelineEntry, entry_id: int, group_id: int, texts: dict[int, str | None]) -> dict:
    """A merged entry as its `timeline_entries` row."""
    docs = entry.docs
    first = first_report(entry)
    bounds = date_bounds(entry.date)
    shown = date_bounds(entry.date or first.get("published"))
    return {
        "id": entry_id, "group_id": group_id, "type": entry.type, "mode": entry.mode, "status": entry.status,
        "date": entry.date, "first": _iso(entry.first), "last": _iso(entry.last),
        "date_from": _iso(bounds[0]) if bounds else None, "date_to": _iso(bounds[1]) if bounds else None,
        "day": _iso(shown[0]) if shown else None,
        "actors": entry.actors, "recipients": entry.recipients, "location": entry.location,
        "sources": len(docs), "docs": docs,
        "outlets": list(dict.fromkeys(r.get("outlet") for r in entry.reports if r.get("outlet"))),
        "events": [r["id"] for r in entry.reports],
        "text": texts.get(first["id"]), "first_reported": first.get("published"), "confidence": entry.confidence,
        **entry_lead(entry),
    }


def _report_day(report: dict) -> str | None:
    when = report["date"] if report.get("date") is not None else report.get("published")
    return None if when is None else when[:10]


def _iso(day) -> str | None:
    return day.isoformat() if day is not None else None

