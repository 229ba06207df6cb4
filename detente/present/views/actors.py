"""The actors pages: the list with both networks, and one actor's profile.

A profile gathers what the store says about one actor, each item with its
source: roles and affiliations over time, what it said, the stances it took,
the events it took part in.

The networks come from `detente.analysis.networks`, the same graphs the
Gephi exports write; `actor_networks` shapes them for a figure and a table.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass

from sqlalchemy import Engine, select

from detente.analysis.networks import (
    comention_network,
    interaction_network,
    interaction_summary,
    network_as_dict,
)
from detente.present.views.sources import (
    document_briefs,
    document_texts,
    engine_of,
    fact_key,
    source_of,
)
from detente.store.events import event_rows
from detente.store.extraction import actor_detail, actor_rows
from detente.store.schema import actors
from detente.store.sentences import sentence_around
from detente.store.stances import stance_rows


def build_actors(conn, **_params) -> dict:
    engine = engine_of(conn)
    rows = actor_rows(engine)
    return {
        "actors": [
            {"id": r["id"], "name": r["name"], "kind": r["kind"], "country": r["country"], "roles": r["roles"],
             "mentions": r["mentions"], "documents": r["documents"], "aliases": sorted(r.get("aliases") or [])}
            for r in rows
        ],
        "networks": actor_networks(engine),
    }


@dataclass
class ActorContext:
    """What every profile reads from the whole store, read once when many profiles are built (the report)."""

    names: dict[str, str]
    briefs: dict[str, dict]
    events: dict[str, list[dict]]  # actor id → the events it acts in or receives
    stances: dict[str, list[dict]]  # actor id → its stances


def actor_context(conn) -> ActorContext:
    engine = engine_of(conn)
    events: dict[str, list[dict]] = {}
    for e in event_rows(engine):
        for a in dict.fromkeys(e["actors"] + e["recipients"]):
            events.setdefault(a, []).append(e)
    stances: dict[str, list[dict]] = {}
    for row in stance_rows(engine):
        stances.setdefault(row["actor"], []).append(row)
    return ActorContext(_names(engine), document_briefs(engine), events, stances)


def build_actor(conn, actor: str, context: ActorContext | None = None, **_params) -> dict | None:
    """One actor's profile, or None when the store has no such actor.

    Building many profiles, pass one `actor_context(conn)` to all of them.
    """
    engine = engine_of(conn)
    detail = actor_detail(engine, actor)
    if detail is None:
        return None
    if context is None:
        context = ActorContext(_names(engine), document_briefs(engine),
                               {actor: event_rows(engine, actor=actor)}, {actor: stance_rows(engine, actor=actor)})
    briefs, names = context.briefs, context.names
    events = [e for e in context.events.get(actor, []) if actor in e["actors"] or actor in e["recipients"]]
    stances = [s for s in context.stances.get(actor, []) if s["actor"] == actor]
    texts = document_texts(engine, {e["doc"] for e in events} | {s["doc"] for s in stances})
    return {
        "actor": {"id": detail["id"], "name": detail["name"], "kind": detail["kind"], "country": detail["country"],
                  "aliases": sorted(detail.get("aliases") or []), "origin": detail.get("origin")},
        "affiliations": _affiliations(detail["affiliations"], names, briefs),
        "quotes": [
            {"fact": fact_key("quote", q["id"]), "date": q.get("date") or q.get("published"), "content": q["content"],
             "kind": q["kind"], "cue": q.get("cue"), "confidence": q["confidence"], **source_of(briefs.get(q["doc"]), q["doc"])}
            for q in detail["quotes"]
        ],
        "stances": [
            {"fact": fact_key("stance", s["id"]), "date": s.get("date") or s.get("published"), "polarity": s["polarity"],
             "target": s["target"], "target_name": s["target_name"], "condition": s.get("condition"),
             "sentence": sentence_around(texts.get(s["doc"], ""), s["start"], s["end"]),
             **source_of(briefs.get(s["doc"]), s["doc"])}
            for s in stances
        ],
        "events": [
            {"fact": fact_key("event", e["id"]), "date": e.get("date") or e.get("published"), "type": e["type"],
             "mode": e.get("mode"), "status": e["status"], "role": "actor" if actor in e["actors"] else "recipient",
             "others": [{"id": a, "name": names.get(a, a)} for a in e["actors"] + e["recipients"] if a != actor],
             "sentence": sentence_around(texts.get(e["doc"], ""), e["start"], e["end"]),
             **source_of(briefs.get(e["doc"]), e["doc"])}
            for e in events
        ],
        "mentions": len(detail["mentions"]),
        "documents": [source_of(briefs.get(d), d) for d in sorted({m["doc"] for m in detail["mentions"]},
                                                                  key=lambda d: ((briefs.get(d) or {}).get("published") or "", d))],
    }


def actor_networks(engine: Engine) -> dict:
    """{"interaction": network, "comention": network}, each {"nodes", "edges", "unit"}, from `detente.analysis.networks`."""
    interaction = network_as_dict(interaction_summary(interaction_network(engine)))
    comention = network_as_dict(comention_network(engine))
    return {"interaction": _for_display(interaction, "events and stances"), "comention": _for_display(comention, "sentences")}


def _affiliations(rows: list[dict], names: dict[str, str], briefs: dict[str, dict]) -> list[dict]:
    """One line per role and organisation, first and last attested date, with every source attesting it."""
    grouped: dict[tuple[str, str], dict] = {}
    for a in rows:
        org = a.get("organization") or ""
        line = grouped.setdefault((a["role"], org), {
            "role": a["role"], "organization": org or None,
            "organization_name": names.get(org, a.get("organization_text") or org) or None,
            "organization_is_actor": org in names, "first": None, "last": None, "sources": [],
        })
        for day in (a.get("start"), a.get("end")):
            if day:
                line["first"] = min(line["first"] or day, day)
                line["last"] = max(line["last"] or day, day)
        if a.get("doc") and a["doc"] not in {s["doc"] for s in line["sources"]}:
            line["sources"].append(source_of(briefs.get(a["doc"]), a["doc"]))
    for line in grouped.values():
        line["sources"].sort(key=lambda s: (s["published"] or "", s["doc"]))
    return sorted(grouped.values(), key=lambda r: (r["first"] or "9999", r["role"], r["organization"] or ""))


def _names(engine: Engine) -> dict[str, str]:
    with engine.connect() as conn:
        return dict(conn.execute(select(actors.c.id, actors.c.name)).all())


def _for_display(network: dict, unit: str) -> dict:
    """Nodes by how connected they are, edges by weight, each edge with both names: what a figure and a table show."""
    names = {n["id"]: n.get("name") or n["id"] for n in network["nodes"]}
    degree: Counter[str] = Counter()
    for e in network["edges"]:
        degree[e["source"]] += e["weight"]
        degree[e["target"]] += e["weight"]
    nodes = [{"id": i, "name": names.get(i, i), "weight": w} for i, w in sorted(degree.items(), key=lambda kv: (-kv[1], kv[0]))]
    edges = [
        {"source": e["source"], "target": e["target"], "source_name": names.get(e["source"], e["source"]),
         "target_name": names.get(e["target"], e["target"]), "weight": e["weight"],
         "types": dict(sorted({**e.get("types", {}), **e.get("stances", {})}.items()))}
        for e in sorted(network["edges"], key=lambda e: (-e["weight"], e["source"], e["target"]))
    ]
    return {"nodes": nodes, "edges": edges, "unit": unit, "directed": network["directed"]}
