"""The actor networks as GEXF and GraphML files, for Gephi, Cytoscape or yEd.

Both formats type every attribute, and Gephi rejects what they cannot type,
so the written copy of a graph is made safe first: a missing value is left
out (not written as "None"), a list or mapping becomes JSON text, and the
names GEXF reserves for itself are renamed: an edge's `type` (GEXF's
directed/undirected flag) becomes `event_type`, and nothing is called
`start` or `end` (GEXF's time spells). Every node gets a `label` (the actor's
name), which Gephi shows, and every edge a `weight` (1 per record in the
interaction network, the shared sentences in the co-mention network). Nodes
and edges are written in sorted order and the GEXF carries no date of
writing, so the same store gives the same file.

GEXF is written dynamic: an edge whose record is dated gets GEXF's
`start`/`end` (the first and last day its date can mean, "2013-05" →
2013-05-01 … 2013-05-31), so Gephi's timeline plays the network over time;
an undated edge has no spell and shows throughout.
"""

from __future__ import annotations

import io
import json
import re
from typing import BinaryIO

import networkx as nx

from detente import __version__
from detente.analysis.timeline import date_bounds

GRAPH_FORMATS = ("gexf", "graphml")
# Attribute names the file formats reserve, and what we write instead.
# Characters XML 1.0 cannot hold at all, even escaped; a stray one in a name would spoil the whole file.
_NOT_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")
RENAMED = {"type": "event_type", "start": "span_start", "end": "span_end", "id": "record_id", "label": "label_text"}


def gephi_safe(graph: nx.Graph, spells: bool = False) -> nx.Graph:
    """A copy with only str, int, float and bool values, reserved names renamed, in sorted order.

    With `spells`, dated edges also get `start`/`end` days and the graph is marked dynamic.
    """
    safe = graph.__class__()
    safe.graph.update({k: _value(v) for k, v in graph.graph.items() if v is not None})
    for node, data in sorted(graph.nodes(data=True), key=lambda n: n[0]):
        attrs = _attributes(data)
        attrs["label"] = _value(data.get("name") or node)
        safe.add_node(node, **attrs)
    if graph.is_multigraph():
        for source, target, key, data in sorted(graph.edges(keys=True, data=True), key=lambda e: (e[0], e[1], str(e[2]))):
            safe.add_edge(source, target, key=key, **_edge_attributes(data, spells))
    else:
        for source, target, data in sorted(graph.edges(data=True), key=lambda e: (e[0], e[1])):
            safe.add_edge(source, target, **_edge_attributes(data, spells))
    if spells and any("start" in data for *_, data in safe.edges(data=True)):
        safe.graph["mode"] = "dynamic"
    return safe


def write_graph(graph: nx.Graph, fmt: str, out: BinaryIO) -> None:
    """Write the graph as `gexf` or `graphml` (UTF-8 XML) to a binary stream."""
    safe = gephi_safe(graph, spells=fmt == "gexf")
    if fmt == "gexf":
        out.write(_gexf_bytes(safe))
    elif fmt == "graphml":
        nx.write_graphml(safe, out, encoding="utf-8", prettyprint=True)
    else:
        raise ValueError(f"Unknown graph format {fmt!r}; use one of: {', '.join(GRAPH_FORMATS)}.")


def _gexf_bytes(graph: nx.Graph) -> bytes:
    buffer = io.BytesIO()
    nx.write_gexf(graph, buffer, encoding="utf-8", prettyprint=True)
    text = buffer.getvalue()
    # networkx stamps today's date; a file that changes every day cannot be compared or cached.
    text = re.sub(rb'<meta lastmodifieddate="[^"]*">', b"<meta>", text, count=1)
    return re.sub(rb"<creator>[^<]*</creator>", f"<creator>detente {__version__}</creator>".encode(), text, count=1)


def _edge_attributes(data: dict, spells: bool = False) -> dict:
    attrs = _attributes(data)
    attrs.setdefault("weight", 1.0)
    attrs["weight"] = float(attrs["weight"])
    bounds = date_bounds(data.get("date")) if spells else None
    if bounds is not None:
        attrs["start"], attrs["end"] = bounds[0].isoformat(), bounds[1].isoformat()
    return attrs


def _attributes(data: dict) -> dict:
    return {RENAMED.get(k, k): _value(v) for k, v in data.items() if v is not None}


def _value(value):
    if isinstance(value, (bool, int, float)):
        return value
    if isinstance(value, (list, tuple, dict, set)):
        items = sorted(value) if isinstance(value, set) else value
        value = json.dumps(items, ensure_ascii=False, sort_keys=True)
    return _NOT_XML.sub("", str(value))
