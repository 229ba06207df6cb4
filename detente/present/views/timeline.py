"""The timeline page: one entry per real-world event, each with the sentence of every report that carried it.

Entries come from `detente.store.events.timeline_rows` (the merging lives in
`detente.analysis.timeline`); this module adds, for each entry, its reports'
sentences and sources, and the lists the filters offer (types and actors).
"""

from __future__ import annotations

from detente.analysis.timeline import date_bounds
from detente.present.views.sources import (
    document_briefs,
    document_texts,
    engine_of,
    fact_key,
    source_of,
)
from detente.store.events import event_rows, timeline_rows
from detente.store.sentences import sentence_around

# One colour per PLOVER type, grouped by tone: talking and agreeing in blues and greens,
# pressure in ambers, force in reds. Readable on white and distinct for the common types.
TYPE_COLOURS = {
    "AGREE": "#1f77b4",
    "CONSULT": "#17becf",
    "SUPPORT": "#2ca02c",
    "CONCEDE": "#98df8a",
    "COOPERATE": "#9467bd",
    "AID": "#c5b0d5",
    "RETREAT": "#8c564b",
    "REQUEST": "#bcbd22",
    "ACCUSE": "#ff7f0e",
    "REJECT": "#e377c2",
    "THREATEN": "#d62728",
    "PROTEST": "#ffbb78",
    "SANCTION": "#7f7f7f",
    "MOBILIZE": "#c49c94",
    "COERCE": "#ad494a",
    "ASSAULT": "#843c39",
}
OTHER_COLOUR = "#555555"


def build_timeline(conn, actor: str | None = None, type: str | None = None, **_params) -> dict:
    """Entries in date order, filtered like `detente timeline --actor … --type …`.

    `date` is what the reports say (None when nothing in them dates the
    event); `when` is that date or else the day the event was first reported.
    """
    engine = engine_of(conn)
    reports = {r["id"]: r for r in event_rows(engine)}
    rows = timeline_rows(engine, actor=actor, type=type)
    texts = document_texts(engine, {doc for r in rows for doc in r["docs"]})
    briefs = document_briefs(engine)
    # An event its reports leave undated sits at the day it was first reported, marked as such:
    # a reader scanning by date still finds it near what it belongs to.
    rows = sorted(rows, key=lambda r: (_first_day(r["date"] or r["first_reported"]), r["date"] is None))
    entries = []
    for number, row in enumerate(rows, start=1):
        sources = []
        for event_id in row["events"]:
            report = reports.get(event_id)
            if report is None:
                continue
            text = texts.get(report["doc"], "")
            sources.append({
                **source_of(briefs.get(report["doc"]), report["doc"]),
                "fact": fact_key("event", event_id),
                "date_text": report.get("date_text"),
                "status": report.get("status"),
                "words": " ".join((report.get("text") or "").split()),
                "sentence": sentence_around(text, report["start"], report["end"]),
            })
        sources.sort(key=lambda s: (s["published"] or "9999", s["doc"], s["fact"]))
        entries.append({
            "key": f"event-{number}",
            "date": row["date"],
            "first_reported": row["first_reported"],
            "when": row["date"] or row["first_reported"],
            "type": row["type"],
            "mode": row["mode"],
            "status": row["status"],
            "location": row["location"],
            "confidence": row["confidence"],
            "actors": _named(row["actors"], row["actor_names"]),
            "recipients": _named(row["recipients"], row["recipient_names"]),
            "summary": _summary(row),
            "sources": sources,
        })
    types = sorted({e["type"] for e in entries})
    people = {p["id"]: p["name"] for e in entries for p in e["actors"] + e["recipients"]}
    return {
        "entries": entries,
        "types": [{"type": t, "colour": TYPE_COLOURS.get(t, OTHER_COLOUR)} for t in types],
        "actors": [{"id": i, "name": n} for i, n in sorted(people.items(), key=lambda kv: (kv[1].lower(), kv[0]))],
        "filters": {"actor": actor, "type": type},
        # What the page's filter script needs: each entry's type and everyone taking part.
        "index": [{"key": e["key"], "type": e["type"], "actors": sorted({p["id"] for p in e["actors"] + e["recipients"]})}
                  for e in entries],
    }


def _first_day(value: str | None) -> str:
    bounds = date_bounds(value)
    return bounds[0].isoformat() if bounds else "9999"


def _named(ids: list[str], names: list[str]) -> list[dict]:
    return [{"id": i, "name": n} for i, n in zip(ids, names)]


def _summary(row: dict) -> str:
    """'John Kerry → Sergei Lavrov': who did it to whom, readable on a plot's hover label."""
    who = ", ".join(row["actor_names"]) or "someone"
    if row["recipient_names"]:
        return f"{who} → {', '.join(row['recipient_names'])}"
    return who
