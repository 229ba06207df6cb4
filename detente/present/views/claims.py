"""The claims and disputes page: figures over time with their sources, and each dispute side by side.

Figures are grouped into series by what they measure (property, subject,
unit), so a death toll reads as one rising line with a source on every point.
"""

from __future__ import annotations

from detente.present.views.sources import engine_of, fact_key, quote_sentences
from detente.store.claims import claim_rows, dispute_rows

PROPERTY_LABELS = {
    "death_toll": "Death toll",
    "displaced": "Displaced people",
    "refugees": "Refugees",
    "seats": "Seats",
    "votes": "Votes",
}


def build_claims(conn, series_shown: int | None = None, points_shown: int | None = None,
                 disputes_shown: int | None = None, disputes: list[dict] | None = None, **_params) -> dict:
    """Series longest first and disputes; with caps, the `series_shown` longest series, each with its
    `points_shown` latest points, and the `disputes_shown` most confident disputes (the totals count all).
    `disputes`: the store's `dispute_rows` when the caller has read them already."""
    engine = engine_of(conn)
    rows = claim_rows(engine)
    series: dict[tuple[str, str, str], list[dict]] = {}
    for r in rows:  # ordered by property, subject, date
        series.setdefault((r["property"], r["subject"], r.get("unit") or ""), []).append({
            "fact": fact_key("claim", r["id"]), "date": r["date"], "value": r["value"], "low": r["low"], "high": r["high"],
            "reported_by": r.get("reported_by"), "words": " ".join((r.get("text") or "").split()),
            "span": (r["start"], r["end"]), "doc": r["doc"], "outlet": r.get("outlet"), "title": r.get("doc_title"), "published": r.get("published"),
            "confidence": r["confidence"],
        })
    # Longest series first: a death toll reported ten times matters more than a one-off figure.
    ranked = sorted(series.items(), key=lambda kv: (-len(kv[1]), kv[0]))
    shown = ranked if series_shown is None else ranked[:series_shown]
    if points_shown is not None:
        shown = [(key, points[-points_shown:]) for key, points in shown]
    quote_sentences(engine, shown)
    disputes = dispute_rows(engine) if disputes is None else disputes
    listed = disputes
    if disputes_shown is not None and len(disputes) > disputes_shown:
        keep = {d["id"] for d in sorted(disputes, key=lambda d: (-d["confidence"], d["id"]))[:disputes_shown]}
        listed = [d for d in disputes if d["id"] in keep]
    return {
        "series": [
            {"key": f"claims-{n}", "property": prop, "label": PROPERTY_LABELS.get(prop, prop.replace("_", " ").capitalize()),
             "subject": subject.replace("-", " "), "unit": unit or None, "points_total": len(series[(prop, subject, unit)]),
             "points": points}
            for n, ((prop, subject, unit), points) in enumerate(shown, start=1)
        ],
        "series_total": len(series),
        "disputes": [_dispute(d) for d in listed],
        "disputes_total": len(disputes),
    }


def _dispute(row: dict) -> dict:
    def side(prefix: str) -> dict:
        return {
            "statement": row[f"{prefix}_statement"],
            # A side may be a bare sentence with no stored row: it links to its document, not to a fact.
            "fact": fact_key(row[f"{prefix}_statement"], row[f"{prefix}_id"]) if row.get(f"{prefix}_id") is not None else None,
            "words": " ".join((row[f"{prefix}_text"] or "").split()), "sentence": row[f"{prefix}_sentence"],
            "by": row.get(f"{prefix}_by"), "by_name": row.get(f"{prefix}_by_name"), "doc": row[f"{prefix}_doc"],
            "outlet": row.get(f"{prefix}_outlet"), "published": row.get(f"{prefix}_published"),
            "title": row.get(f"{prefix}_doc_title"),
        }

    return {"id": row["id"], "kind": row["kind"], "confidence": row["confidence"], "a": side("a"), "b": side("b")}
