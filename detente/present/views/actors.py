"""The actors pages: the list with both networks, and one actor's profile.

A profile gathers what the store says about one actor, each item with its
source: roles and affiliations over time, what it said, the stances it took,
the events it took part in.

The networks come from `detente.analysis.networks`, the same graphs the
Gephi exports write; `actor_networks` shapes them for a figure and a table.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable
from itertools import combinations
from dataclasses import dataclass

from sqlalchemy import Engine, func, select

from detente.analysis.networks import comention_network, network_as_dict
from detente.present.figures import STATUS_WORDS, status_style
from detente.present.views.sources import (
    document_briefs,
    document_texts,
    engine_of,
    fact_key,
    source_of,
)
from detente.store.extraction import actor_detail, actor_rows
from detente.store.schema import actors, documents, events, stances
from detente.store.sentences import sentence_around
from detente.store.stances import stance_rows


LINK_ROWS = 50  # strongest links listed under the networks


def build_actors(conn, rows_shown: int | None = None, **_params) -> dict:
    """Every actor, most mentioned first (the first `rows_shown` of them when given; `total` counts all), and both networks."""
    engine = engine_of(conn)
    rows = actor_rows(engine)
    return {
        "actors": [
            {"id": r["id"], "name": r["name"], "kind": r["kind"], "country": r["country"], "roles": r["roles"],
             "mentions": r["mentions"], "documents": r["documents"], "aliases": sorted(r.get("aliases") or [])}
            for r in (rows if rows_shown is None else rows[:rows_shown])
        ],
        "total": len(rows),
        "networks": actor_networks(engine),
    }


@dataclass
class ActorContext:
    """What the profiles of some actors read from the store, read once for all of them (the report builds many)."""

    names: dict[str, str]
    events: dict[str, list[dict]]  # actor id → the (most recent) events it acts in or receives, in date order
    stances: dict[str, list[dict]]  # actor id → its (most recent) stances, in date order
    totals: dict[str, dict[str, int]]  # actor id → how many events and stances it has in all
    covers: frozenset[str] | None = None  # the actors read (None: every actor)


def actor_context(conn, actor_ids: Iterable[str] | None = None, items: int | None = None) -> ActorContext:
    """Events and stances of `actor_ids` (every actor when None), each list its `items` most recent when given.

    One streamed pass over the events and one over the stances, newest
    first, keeping at most `items` per actor: memory stays bounded however
    large the store.
    """
    engine = engine_of(conn)
    wanted = None if actor_ids is None else set(actor_ids)
    events_of: dict[str, list[dict]] = {}
    stances_of: dict[str, list[dict]] = {}
    totals: dict[str, dict[str, int]] = {}
    names = _names(engine)
    when = func.coalesce(events.c.date, documents.c.published)
    query = (select(events, documents.c.outlet, documents.c.published, documents.c.title.label("doc_title"))
             .join(documents, documents.c.id == events.c.doc).order_by(when.desc(), events.c.id.desc()))
    with engine.connect() as conn_:
        for r in conn_.execution_options(yield_per=2000).execute(query):
            people = dict.fromkeys(list(r.actors or []) + list(r.recipients or []))
            row = None
            for a in people:
                if wanted is not None and a not in wanted:
                    continue
                count = totals.setdefault(a, {"events": 0, "stances": 0})
                count["events"] += 1
                if items is None or count["events"] <= items:
                    row = row or _event_row(r, names)
                    events_of.setdefault(a, []).append(row)
    for row in reversed(stance_rows(engine) if wanted is None else _stances_of(engine, wanted)):
        count = totals.setdefault(row["actor"], {"events": 0, "stances": 0})
        count["stances"] += 1
        if items is None or count["stances"] <= items:
            stances_of.setdefault(row["actor"], []).append(row)
    for lists in (events_of, stances_of):
        for found in lists.values():
            found.reverse()
    return ActorContext(names, events_of, stances_of, totals, None if wanted is None else frozenset(wanted))


def _event_row(r, names: dict[str, str]) -> dict:
    row = dict(r._mapping)
    row["actors"], row["recipients"] = list(row["actors"] or []), list(row["recipients"] or [])
    row["actor_names"] = [names.get(a, a) for a in row["actors"]]
    row["recipient_names"] = [names.get(a, a) for a in row["recipients"]]
    return row


def _stances_of(engine: Engine, actor_ids: set[str]) -> list[dict]:
    """The stances of these actors, in date order: one query for one actor, else one pass over all stances."""
    if len(actor_ids) == 1:
        (actor,) = actor_ids
        return [s for s in stance_rows(engine, actor=actor) if s["actor"] == actor]
    return [s for s in stance_rows(engine) if s["actor"] in actor_ids]


def build_actor(conn, actor: str, context: ActorContext | None = None, items: int | None = None,
                **_params) -> dict | None:
    """One actor's profile, or None when the store has no such actor.

    Building many profiles, pass one `actor_context(conn, ids, items)` to all
    of them. With `items`, each list (quotes, stances, events, documents)
    holds only its `items` most recent entries, and `earlier` counts what
    each list leaves out.
    """
    engine = engine_of(conn)
    detail = actor_detail(engine, actor)
    if detail is None:
        return None
    if context is None or (context.covers is not None and actor not in context.covers):
        context = actor_context(engine, [actor], items)
    totals = context.totals.get(actor, {"events": 0, "stances": 0})
    earlier = {}
    if items is not None:
        earlier = {"events": totals["events"] - len(context.events.get(actor, [])),
                   "stances": totals["stances"] - len(context.stances.get(actor, [])),
                   "quotes": max(0, len(detail["quotes"]) - items)}
        detail["quotes"] = detail["quotes"][-items:] if items else []
    names = context.names
    events = [e for e in context.events.get(actor, []) if actor in e["actors"] or actor in e["recipients"]]
    stances = [s for s in context.stances.get(actor, []) if s["actor"] == actor]
    texts = document_texts(engine, {e["doc"] for e in events} | {s["doc"] for s in stances})
    mentioned = {m["doc"] for m in detail["mentions"]}
    briefs = document_briefs(engine, mentioned | {q["doc"] for q in detail["quotes"]} | {e["doc"] for e in events}
                             | {s["doc"] for s in stances} | {a["doc"] for a in detail["affiliations"] if a.get("doc")})
    documents = sorted(mentioned, key=lambda d: ((briefs.get(d) or {}).get("published") or "", d))
    if items is not None:
        earlier["documents"] = max(0, len(documents) - items)
        documents = documents[-items:] if items else []
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
        "documents_total": len(mentioned),
        "documents": [source_of(briefs.get(d), d) for d in documents],
        "earlier": earlier,
    }


def actor_networks(engine: Engine) -> dict:
    """{"interaction": network, "comention": network}, each {"nodes", "edges", "unit"}, as `detente.analysis.networks` builds them.

    Each interaction edge also counts its records by how their status is
    drawn (`by_style`: happened, expected, not), so a reader can tell talks
    that took place from talks only planned or denied, and filter them.
    """
    interaction, styles = interaction_counts(engine)
    comention = network_as_dict(comention_network(engine))
    shown = _for_display(interaction, "events and stances", "interaction")
    for e in shown["edges"]:
        e["by_style"] = dict(sorted(styles.get((e["source"], e["target"]), Counter()).items()))
    shown["styles"] = sorted({s for counts in styles.values() for s in counts}, key=list(STATUS_WORDS).index)
    return {"interaction": shown, "comention": _for_display(comention, "sentences", "comention")}


def interaction_counts(engine: Engine) -> tuple[dict, dict[tuple[str, str], Counter]]:
    """`interaction_summary(interaction_network(engine))` as a plain dict, and each edge's records by status style.

    The same edges by the same rules (copies left out; an event links each
    doer to each receiver, or its doers pairwise when it has no receiver; a
    stance links its holder to the actor it targets), counted in one
    streamed pass instead of a graph holding every record: a store of ten
    thousand documents has a hundred thousand of them.
    """
    pairs: dict[tuple[str, str], dict] = {}
    styles: dict[tuple[str, str], Counter] = {}

    def add(source: str, target: str, bucket: str, label: str, status: str | None) -> None:
        edge = pairs.setdefault((source, target), {"source": source, "target": target, "weight": 0,
                                                   "types": {}, "stances": {}})
        edge["weight"] += 1
        edge[bucket][label] = edge[bucket].get(label, 0) + 1
        styles.setdefault((source, target), Counter())[status_style(status)] += 1

    with engine.connect() as conn:
        names = dict(conn.execute(select(actors.c.id, actors.c.name)).all())
        copies = set(conn.execute(select(documents.c.id).where(documents.c.relation == "copy")).scalars())
        query = select(events.c.doc, events.c.type, events.c.status, events.c.actors, events.c.recipients).order_by(events.c.id)
        for r in conn.execution_options(yield_per=5000).execute(query):
            if r.doc in copies:
                continue
            doers, receivers = list(dict.fromkeys(r.actors or [])), list(dict.fromkeys(r.recipients or []))
            links = ([(a, b) for a in doers for b in receivers if a != b] if receivers
                     else list(combinations(doers, 2)))
            for a, b in links:
                add(a, b, "types", r.type, r.status)
        query = select(stances.c.doc, stances.c.actor, stances.c.target, stances.c.polarity).order_by(stances.c.id)
        for r in conn.execution_options(yield_per=5000).execute(query):
            if r.doc not in copies and r.target in names and r.target != r.actor:
                add(r.actor, r.target, "stances", r.polarity, None)
    ids = sorted({a for pair in pairs for a in pair})
    network = {"directed": True, "nodes": [{"id": i, "name": names.get(i, i)} for i in ids],
               "edges": [{**pairs[key], "types": dict(sorted(pairs[key]["types"].items())),
                          "stances": dict(sorted(pairs[key]["stances"].items()))} for key in sorted(pairs)]}
    return network, styles


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


def _for_display(network: dict, unit: str, name: str) -> dict:
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
    return {"name": name, "nodes": nodes, "edges": edges, "unit": unit, "directed": network["directed"]}
