"""Who deals with whom: the interaction network and the co-mention network.

Both are built straight from the store, as plain networkx graphs, so the
report, the web app and the Gephi exports draw the same picture. Nodes are
actors (id, name, kind, country, mentions); only actors the corpus mentions
or that take part in an edge are nodes, so a large imported registry does not
flood the graph with people nobody wrote about.

Documents that are verbatim copies of another (`relation == "copy"`) add
nothing: the same sentence reprinted by a second site is not a second
meeting or a second co-mention. Rewrites (another outlet retelling the story)
do count, as independent reports.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import date
from itertools import combinations

import networkx as nx
from sqlalchemy import Connection, Engine, func, select

from detente.analysis.disputes import load_cues, split_sentences
from detente.analysis.timeline import date_bounds
from detente.store.schema import actors, documents, events, mentions, stances

COMENTION_UNITS = ("sentence", "document")
Window = tuple[date, date] | None


class NetworkQueryError(ValueError):
    """A filter that cannot be read; the message says what to type instead."""


# ------------------------------------------------------------------------ interaction


def interaction_network(
    engine_or_conn: Engine | Connection, since: str | None = None, until: str | None = None
) -> nx.MultiDiGraph:
    """One directed edge per reported interaction, keyed "event-<id>" or "stance-<id>".

    An event gives an edge from each actor to each recipient. An event with
    several actors and no recipient ("Kerry and Lavrov met") is reciprocal,
    as PLOVER codes it: it gives an edge between each pair of its actors, in
    the order the text names them, marked `reciprocal`. A stance whose target
    is an actor ("Turkey rejects any role for the YPG") gives an edge from the
    holder to that actor. Each edge carries what a reader needs to find its
    sentence: relation, type or polarity, mode, date, status, confidence, the
    record id, the document and the span (`span_start`, `span_end`).

    `since`/`until` are ISO prefixes; a record is kept when its date (its
    document's publication date when it has none) can fall in the window, and
    node mention counts then come from the documents published in it.
    """
    window = _window(since, until)
    graph = nx.MultiDiGraph(kind="interaction", since=since, until=until)
    with _connected(engine_or_conn) as conn:
        known = _actor_rows(conn)
        copies = _copy_documents(conn)
        for row in _event_rows(conn):
            if row["doc"] in copies or not _in_window(row["date"] or row["published"], window):
                continue
            for source, target, reciprocal in _event_pairs(row):
                graph.add_edge(source, target, key=f"event-{row['id']}", **_event_edge(row, reciprocal))
        for row in _stance_rows(conn, set(known)):
            if row["doc"] in copies or not _in_window(row["date"] or row["published"], window):
                continue
            graph.add_edge(row["actor"], row["target"], key=f"stance-{row['id']}", **_stance_edge(row))
        counts = _mention_counts(conn, window, copies)
    _add_actor_nodes(graph, known, counts)
    return graph


def interaction_summary(graph: nx.MultiDiGraph) -> nx.DiGraph:
    """One edge per ordered pair, for display: `weight` (all records) and counts per type.

    `types` counts events by PLOVER type ({"CONSULT": 3, "ACCUSE": 1}) and
    `stances` counts stances by polarity; `edges` lists the keys of the
    records behind the edge, so a click can open them.
    """
    summary = nx.DiGraph(**graph.graph)
    summary.add_nodes_from(graph.nodes(data=True))
    for source, target, key, data in sorted(graph.edges(keys=True, data=True), key=lambda e: (e[0], e[1], e[2])):
        if not summary.has_edge(source, target):
            summary.add_edge(source, target, weight=0, types={}, stances={}, edges=[])
        edge = summary.edges[source, target]
        edge["weight"] += 1
        bucket, label = ("types", data["type"]) if data["relation"] == "event" else ("stances", data["polarity"])
        edge[bucket][label] = edge[bucket].get(label, 0) + 1
        edge["edges"].append(key)
    return summary


# ------------------------------------------------------------------------ co-mention


def comention_network(
    engine_or_conn: Engine | Connection,
    since: str | None = None,
    until: str | None = None,
    unit: str = "sentence",
) -> nx.Graph:
    """Actors named together, weighted by how often.

    The default unit is the sentence: in a news report nearly every party to
    a negotiation appears somewhere in the article, so document-level
    co-mention links almost everyone and says little, while two actors named
    in one sentence are usually being related to each other (met, accused,
    sided with). `unit="document"` is there for short texts such as wire
    briefs. Sentences come from a plain splitter over the stored clean text
    (the one disputes use), so this needs no parse. `weight` counts the
    sentences (or documents) the pair shares; `documents` counts distinct
    documents and `docs` lists them. A window keeps the documents whose
    publication date can fall in it (undated documents drop out).
    """
    if unit not in COMENTION_UNITS:
        raise NetworkQueryError(f"Unknown co-mention unit {unit!r}; use one of: {', '.join(COMENTION_UNITS)}.")
    window = _window(since, until)
    graph = nx.Graph(kind="comention", unit=unit, since=since, until=until)
    with _connected(engine_or_conn) as conn:
        known = _actor_rows(conn)
        copies = _copy_documents(conn)
        together: dict[tuple[str, str], int] = Counter()
        docs_of: dict[tuple[str, str], set[str]] = defaultdict(set)
        for doc, text, spans in _mentions_by_document(conn, window, copies):
            for group in _groups(text, spans, unit):
                for pair in combinations(sorted(group), 2):
                    together[pair] += 1
                    docs_of[pair].add(doc)
        counts = _mention_counts(conn, window, copies)
    for (a, b), weight in sorted(together.items()):
        graph.add_edge(a, b, weight=weight, documents=len(docs_of[(a, b)]), docs=sorted(docs_of[(a, b)]))
    _add_actor_nodes(graph, known, counts)
    return graph


# ------------------------------------------------------------------------ plain form


def network_as_dict(graph: nx.Graph) -> dict:
    """Nodes and edges as sorted lists of plain dicts: the same graph gives the same JSON.

    Node dicts carry `id` first; edge dicts carry `source`, `target` and, in
    a multigraph, `key`. An undirected edge is written once, with the smaller
    id as source.
    """
    nodes = [{"id": node, **data} for node, data in sorted(graph.nodes(data=True), key=lambda n: n[0])]
    edges = []
    if graph.is_multigraph():
        for source, target, key, data in graph.edges(keys=True, data=True):
            edges.append({"source": source, "target": target, "key": key, **data})
    else:
        for source, target, data in graph.edges(data=True):
            if not graph.is_directed() and target < source:
                source, target = target, source
            edges.append({"source": source, "target": target, **data})
    edges.sort(key=lambda e: (e["source"], e["target"], str(e.get("key", ""))))
    return {
        "directed": graph.is_directed(),
        "multigraph": graph.is_multigraph(),
        "graph": dict(graph.graph),
        "nodes": nodes,
        "edges": edges,
    }


# ------------------------------------------------------------------------ store reads


@contextmanager
def _connected(engine_or_conn: Engine | Connection) -> Iterator[Connection]:
    if isinstance(engine_or_conn, Connection):
        yield engine_or_conn
    else:
        with engine_or_conn.connect() as conn:
            yield conn


def _actor_rows(conn: Connection) -> dict[str, dict]:
    query = select(actors.c.id, actors.c.name, actors.c.kind, actors.c.country).order_by(actors.c.id)
    return {r.id: dict(r._mapping) for r in conn.execute(query)}


def _copy_documents(conn: Connection) -> set[str]:
    return set(conn.execute(select(documents.c.id).where(documents.c.relation == "copy")).scalars())


def _event_rows(conn: Connection) -> list[dict]:
    query = (
        select(events, documents.c.published)
        .join(documents, documents.c.id == events.c.doc)
        .order_by(events.c.id)
    )
    return [dict(r._mapping) for r in conn.execute(query)]


def _stance_rows(conn: Connection, actor_ids: set[str]) -> list[dict]:
    if not actor_ids:
        return []
    query = (
        select(stances, documents.c.published)
        .join(documents, documents.c.id == stances.c.doc)
        .where(stances.c.target.in_(sorted(actor_ids)))
        .order_by(stances.c.id)
    )
    return [dict(r._mapping) for r in conn.execute(query) if r.target != r.actor]


def _mention_counts(conn: Connection, window: Window, copies: set[str]) -> Counter:
    query = (
        select(mentions.c.actor, mentions.c.doc, documents.c.published, func.count().label("n"))
        .join(documents, documents.c.id == mentions.c.doc)
        .group_by(mentions.c.actor, mentions.c.doc, documents.c.published)
    )
    counts: Counter = Counter()
    for r in conn.execute(query):
        if r.doc not in copies and _in_window(r.published, window):
            counts[r.actor] += r.n
    return counts


def _mentions_by_document(
    conn: Connection, window: Window, copies: set[str]
) -> Iterator[tuple[str, str, list[tuple[int, str]]]]:
    """(doc, clean text, [(start, actor)…]) for each document with at least two mentioned actors."""
    query = select(mentions.c.doc, mentions.c.start, mentions.c.actor).order_by(mentions.c.doc, mentions.c.start)
    by_doc: dict[str, list[tuple[int, str]]] = defaultdict(list)
    for r in conn.execute(query):
        if r.doc not in copies:
            by_doc[r.doc].append((r.start, r.actor))
    wanted = [d for d, spans in by_doc.items() if len({a for _, a in spans}) > 1]
    for chunk in range(0, len(wanted), 500):
        ids = wanted[chunk:chunk + 500]
        query = select(documents.c.id, documents.c.text, documents.c.published).where(documents.c.id.in_(ids))
        for r in conn.execute(query.order_by(documents.c.id)):
            if _in_window(r.published, window):
                yield r.id, r.text, by_doc[r.id]


def _groups(text: str, spans: list[tuple[int, str]], unit: str) -> list[set[str]]:
    """The sets of actors named together in each sentence (or the whole document)."""
    if unit == "document":
        return [{actor for _, actor in spans}]
    sentences = split_sentences(text, load_cues().abbreviations)
    groups: list[set[str]] = [set() for _ in sentences]
    index = 0
    for start, actor in spans:  # spans and sentences are both in text order
        while index < len(sentences) - 1 and start >= sentences[index][1]:
            index += 1
        if sentences:
            groups[index].add(actor)
    return [g for g in groups if len(g) > 1]


# ------------------------------------------------------------------------ edges and nodes


def _event_pairs(row: dict) -> list[tuple[str, str, bool]]:
    doers = list(dict.fromkeys(row.get("actors") or []))
    receivers = list(dict.fromkeys(row.get("recipients") or []))
    if receivers:
        return [(a, r, False) for a in doers for r in receivers if a != r]
    return [(a, b, True) for a, b in combinations(doers, 2)]


def _event_edge(row: dict, reciprocal: bool) -> dict:
    return {
        "relation": "event",
        "type": row["type"],
        "mode": row["mode"],
        "polarity": None,
        "date": row["date"] or row["published"],
        "status": row["status"],
        "reciprocal": reciprocal,
        "confidence": row["confidence"],
        "record": row["id"],
        "doc": row["doc"],
        "span_start": row["start"],
        "span_end": row["end"],
    }


def _stance_edge(row: dict) -> dict:
    return {
        "relation": "stance",
        "type": None,
        "mode": None,
        "polarity": row["polarity"],
        "date": row["date"] or row["published"],
        "status": None,
        "reciprocal": False,
        "confidence": row["confidence"],
        "record": row["id"],
        "doc": row["doc"],
        "span_start": row["start"],
        "span_end": row["end"],
    }


def _add_actor_nodes(graph: nx.Graph, known: dict[str, dict], counts: Counter) -> None:
    """Every actor with a mention or an edge; an id with no stored actor keeps its id as name."""
    wanted = set(graph.nodes) | {a for a, n in counts.items() if n}
    for actor_id in sorted(wanted):
        row = known.get(actor_id, {})
        graph.add_node(
            actor_id,
            name=row.get("name") or actor_id,
            kind=row.get("kind"),
            country=row.get("country"),
            mentions=int(counts.get(actor_id, 0)),
        )


# ------------------------------------------------------------------------ dates


def _window(since: str | None, until: str | None) -> Window:
    if not since and not until:
        return None
    return (_bound(since, "since")[0] if since else date.min, _bound(until, "until")[1] if until else date.max)


def _bound(value: str, name: str) -> tuple[date, date]:
    bounds = date_bounds(value)
    if bounds is None:
        raise NetworkQueryError(f"--{name} {value!r} is not a date; give an ISO prefix such as 2013, 2013-05 or 2013-05-07.")
    return bounds


def _in_window(value: str | None, window: Window) -> bool:
    if window is None:
        return True
    bounds = date_bounds(value)
    return bounds is not None and bounds[0] <= window[1] and window[0] <= bounds[1]
