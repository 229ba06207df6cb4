"""The stances page: who is for or against what (a matrix), and each actor's series, so shifts stand out.

A matrix cell shows an actor's latest stance on a target and how many
sources reported each polarity; a series lists every dated statement of one
actor on one target, with a shift marked where the polarity changes, and the
words each statement named the target by ("the deal"), since targets the
reports name themselves are merged under one name.
"""

from __future__ import annotations

from collections import Counter

from detente.present.views.sources import engine_of, fact_key, quote_sentences
from detente.store.stances import stance_rows

POLARITIES = ("support", "oppose", "condition")
MATRIX_TARGETS = 30  # most-discussed targets as columns; the series list every target


def stance_point(row: dict, before: str | None) -> dict:
    """One statement of a series; `before` is the polarity of the statement before it, so a shift shows."""
    return {
        "fact": fact_key("stance", row["id"]), "date": row.get("date") or row.get("published"), "polarity": row["polarity"],
        "changed_from": before if before is not None and before != row["polarity"] else None,
        "condition": row.get("condition"), "doc": row["doc"], "outlet": row.get("outlet"), "title": row.get("doc_title"),
        "named": row.get("target_text"),
    }


def build_stances(conn, series_shown: int | None = None, matrix_rows: int | None = None,
                  points_shown: int | None = None, **_params) -> dict:
    """The matrix and every series; with caps, the `matrix_rows` actors with the most stances on the matrix's
    targets, the `series_shown` series with the most shifts, then the most statements (`series_total` counts
    all), each with its `points_shown` latest statements (`points_total` counts all; shifts count them all).
    Only the listed statements' sentences are read."""
    engine = engine_of(conn)
    rows = stance_rows(engine)
    series: dict[tuple[str, str], list[dict]] = {}
    names: dict[str, str] = {}
    target_names: dict[str, str] = {}
    for r in rows:  # already in date order
        names[r["actor"]] = r["actor_name"]
        target_names[r["target"]] = r["target_name"] or r["target"]
        points = series.setdefault((r["actor"], r["target"]), [])
        points.append({**stance_point(r, points[-1]["polarity"] if points else None), "span": (r["start"], r["end"])})
    counts = Counter(t for _a, t in series)
    targets = sorted(counts, key=lambda t: (-counts[t], target_names[t].lower(), t))[:MATRIX_TARGETS]
    actor_ids = sorted(names, key=lambda a: (names[a].lower(), a))
    matrix = []
    for a in actor_ids:
        cells = []
        for t in targets:
            points = series.get((a, t))
            if not points:
                cells.append(None)
                continue
            tally = Counter(p["polarity"] for p in points)
            cells.append({"target": t, "latest": points[-1]["polarity"], "latest_date": points[-1]["date"],
                          "counts": {p: tally.get(p, 0) for p in POLARITIES},
                          "shifts": sum(1 for p in points if p["changed_from"])})
        if any(cells):
            matrix.append({"actor": a, "name": names[a], "cells": cells})
    matrix_total = len(matrix)
    if matrix_rows is not None and len(matrix) > matrix_rows:
        busiest = sorted(matrix, key=lambda row: (-sum(sum(c["counts"].values()) for c in row["cells"] if c),
                                                  row["name"].lower(), row["actor"]))[:matrix_rows]
        keep = {row["actor"] for row in busiest}
        matrix = [row for row in matrix if row["actor"] in keep]
    chosen = list(series.items())
    if series_shown is not None and len(chosen) > series_shown:
        ranked = sorted(chosen, key=lambda kv: (-sum(1 for p in kv[1] if p["changed_from"]), -len(kv[1]),
                                                names[kv[0][0]].lower(), kv[0][0], kv[0][1]))[:series_shown]
        keep = {key for key, _points in ranked}
        chosen = [(key, points) for key, points in chosen if key in keep]
    totals = {key: len(points) for key, points in chosen}
    shifts = {key: sum(1 for p in points if p["changed_from"]) for key, points in chosen}
    if points_shown is not None:
        chosen = [(key, points[-points_shown:]) for key, points in chosen]
    quote_sentences(engine, chosen)
    return {
        "polarities": list(POLARITIES),
        "targets": [{"id": t, "name": target_names[t], "actors": counts[t]} for t in targets],
        "matrix": matrix,
        "matrix_total": matrix_total,
        "series_total": len(series),
        "series": [
            {"actor": a, "actor_name": names[a], "target": t, "target_name": target_names[t], "points": points,
             "points_total": totals[(a, t)], "shifts": shifts[(a, t)]}
            for (a, t), points in sorted(chosen, key=lambda kv: (names[kv[0][0]].lower(), kv[0][0],
                                                                 target_names[kv[0][1]].lower(), kv[0][1]))
        ],
    }
