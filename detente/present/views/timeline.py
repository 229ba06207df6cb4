"""The timeline page: one entry per real-world event, each with the sentence of every report that carried it.

Entries come from `detente.store.events.timeline_rows` (the merging lives in
`detente.analysis.timeline`); this module adds, for each listed entry, its
reports' sentences and sources, the figure's marks, and the lists the filters
offer (types, statuses and actors). A long timeline is aggregated by week.
"""

from __future__ import annotations

from collections import Counter
from datetime import timedelta

from sqlalchemy import select

from detente.analysis.timeline import date_bounds
from detente.present.figures import status_style
from detente.present.views.sources import (
    document_briefs,
    document_texts,
    engine_of,
    fact_key,
    source_of,
)
from detente.store.events import timeline_rows
from detente.store.schema import events
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


ALL_ENTRIES = 500  # up to this many entries, the plot marks each one and the page can list them all
STATUSES = ("reported", "planned", "hypothetical", "denied", "cancelled")
SUMMARY_CHARS = 140  # the words of an entry's first report shown on its row, before it is opened


def build_timeline(conn, actor: str | None = None, type: str | None = None, status: str | None = None,
                   densest: int | None = None, sources_shown: int | None = None, **_params) -> dict:
    """Entries in date order, filtered like `detente timeline --actor … --type … --status …`.

    `date` is what the reports say (None when nothing in them dates the
    event); `when` is that date or else the day the event was first reported.

    A timeline of more than `ALL_ENTRIES` entries is aggregated: the plot
    draws one mark per week, type and status, and with `densest` the page
    lists only the `densest` most reported entries of each week (`weeks`
    says how many each week holds). `sources_shown` caps the sources written
    out per entry (`more_sources` counts the rest). Only the listed entries'
    reports and documents are read, so the page stays bounded however large
    the store.
    """
    engine = engine_of(conn)
    rows = timeline_rows(engine, actor=actor, type=type, status=status)
    return timeline_data(engine, rows, actor, type, status, densest, sources_shown)


def timeline_data(engine, rows: list[dict], actor: str | None = None, type: str | None = None, status: str | None = None,
                  densest: int | None = None, sources_shown: int | None = None) -> dict:
    """The timeline page's data for these merged rows (`timeline_rows`' shape), as `build_timeline` describes;
    the web app passes the rows of the weeks it shows."""
    # An event its reports leave undated sits at the day it was first reported, marked as such:
    # a reader scanning by date still finds it near what it belongs to.
    rows = sorted(rows, key=lambda r: (_first_day(r["date"] or r["first_reported"]), r["date"] is None))
    numbered = [(f"event-{n}", row) for n, row in enumerate(rows, start=1)]
    aggregated = len(rows) > ALL_ENTRIES
    listed = _densest_by_week(numbered, densest) if aggregated and densest is not None else numbered
    reports = _reports([event_id for _key, row in listed for event_id in row["events"]], engine)
    texts = document_texts(engine, {r["doc"] for r in reports.values()})
    briefs = document_briefs(engine, {r["doc"] for r in reports.values()})
    entries = [_entry(key, row, reports, texts, briefs, sources_shown) for key, row in listed]
    types = sorted({row["type"] for row in rows})
    people = {p["id"]: p["name"] for e in entries for p in e["actors"] + e["recipients"]}
    return {
        "entries": entries,
        "total": len(rows),
        "aggregated": aggregated,
        "weeks": _weeks(numbered, {e["key"] for e in entries}) if aggregated else [],
        "plot": _plot(numbered, aggregated),
        "types": [{"type": t, "colour": TYPE_COLOURS.get(t, OTHER_COLOUR)} for t in types],
        "statuses": [s for s in STATUSES if any(row["status"] == s for row in rows)],
        "actors": [{"id": i, "name": n} for i, n in sorted(people.items(), key=lambda kv: (kv[1].lower(), kv[0]))],
        "filters": {"actor": actor, "type": type, "status": status},
        # What the page's filter script needs: each listed entry's type, status and everyone taking part.
        "index": [{"key": e["key"], "type": e["type"], "status": e["status"],
                   "actors": sorted({p["id"] for p in e["actors"] + e["recipients"]})} for e in entries],
    }


def _reports(ids: list[int], engine) -> dict[int, dict]:
    """The listed entries' reports by id, read in bounded batches."""
    wanted, out = sorted(set(ids)), {}
    with engine.connect() as c:
        for n in range(0, len(wanted), 500):
            query = select(events.c.id, events.c.doc, events.c.start, events.c.end, events.c.date_text,
                           events.c.status, events.c.text).where(events.c.id.in_(wanted[n:n + 500]))
            out.update({r.id: dict(r._mapping) for r in c.execute(query)})
    return out


def _entry(key: str, row: dict, reports: dict, texts: dict, briefs: dict, sources_shown: int | None) -> dict:
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
    shown = sources if sources_shown is None else sources[:sources_shown]
    return {
        "key": key,
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
        "gist": _gist(row.get("text")),
        "reports": len(row["events"]),
        "sources": shown,
        "more_sources": len(sources) - len(shown),
    }


def _week(row: dict) -> str:
    """The Monday of the entry's week, or "undated"."""
    bounds = date_bounds(row["date"] or row["first_reported"])
    if bounds is None:
        return "undated"
    return (bounds[0] - timedelta(days=bounds[0].weekday())).isoformat()


def _densest_by_week(numbered: list[tuple[str, dict]], per_week: int) -> list[tuple[str, dict]]:
    """The `per_week` entries of each week with the most reports (ties: earliest first), in date order."""
    weeks: dict[str, list[tuple[str, dict]]] = {}
    for key, row in numbered:
        weeks.setdefault(_week(row), []).append((key, row))
    keep = set()
    for week in weeks.values():
        ranked = sorted(week, key=lambda kr: (-len(kr[1]["events"]), int(kr[0].split("-")[1])))
        keep.update(key for key, _row in ranked[:per_week])
    return [(key, row) for key, row in numbered if key in keep]


def _weeks(numbered: list[tuple[str, dict]], listed: set[str]) -> list[dict]:
    """Each week's count of entries and which of them the page lists."""
    weeks: dict[str, dict] = {}
    for key, row in numbered:
        week = weeks.setdefault(_week(row), {"week": _week(row), "entries": 0, "listed": []})
        week["entries"] += 1
        if key in listed:
            week["listed"].append(key)
    return list(weeks.values())


def _plot(numbered: list[tuple[str, dict]], aggregated: bool) -> dict:
    """The timeline figure's marks: one per entry, or one per week, type and way of drawing the status."""
    if not aggregated:
        return {"mode": "entries", "marks": [
            {"key": key, "day": row["date"] or row["first_reported"], "type": row["type"], "status": row["status"],
             "dated": row["date"] is not None, "weight": min(len(row["docs"]), 5),
             "label": _mark_label(row)} for key, row in numbered]}
    groups: dict[tuple, list[dict]] = {}
    for _key, row in numbered:
        week = _week(row)
        if week != "undated":
            groups.setdefault((week, row["type"], status_style(row["status"])), []).append(row)
    marks = []
    for (week, kind, _style), rows in sorted(groups.items()):
        statuses = Counter(r["status"] for r in rows)
        undated = sum(1 for r in rows if r["date"] is None)
        reports = sum(len(r["events"]) for r in rows)
        marks.append({"key": None, "day": week, "type": kind, "status": " ".join(sorted(statuses)),
                      "dated": undated < len(rows), "weight": len(rows),
                      "label": f"week of {week}: {len(rows)} {kind} ("
                               + ", ".join(f"{n} {s}" for s, n in sorted(statuses.items()))
                               + (f"; {undated} undated" if undated else "") + f"), {reports} reports"})
    return {"mode": "weeks", "marks": marks}


def _mark_label(row: dict) -> str:
    when = row["date"] or f"undated, first reported {row['first_reported'] or '?'}"
    mode = f" ({row['mode']})" if row["mode"] else ""
    return (f"{when} · {row['type']}{mode} · {row['status']}\n{_summary(row)}\n"
            f"{len(row['docs'])} source{'' if len(row['docs']) == 1 else 's'}")


def _gist(text: str | None) -> str | None:
    """The first report's words on one line, cut at a word near `SUMMARY_CHARS`."""
    words = " ".join((text or "").split())
    if len(words) <= SUMMARY_CHARS:
        return words or None
    return words[:SUMMARY_CHARS].rsplit(" ", 1)[0] + " …"


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
