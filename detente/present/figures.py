"""The figures of the report and the web app, drawn on the server as inline SVG.

A figure is a function of a page's data that returns SVG markup (see
`detente.present.svg`, which escapes every word). Hovering a mark shows its
<title>; a mark that stands for a record is a link (made by the page's `link`
function, so the report gets anchors and the web app paths); the page's
script only hides and shows marks for the filters. Coordinates are rounded, so
the same store always gives the same bytes.

Why SVG and not a charting library: the six figures are simple (points on a
date axis, a small network, a line, bars), and the library they used weighed
4.8 MB of a 6.3 MB report. SVG drawn here costs kilobytes, needs no script to
read, and prints.
"""

from __future__ import annotations

import math
from collections.abc import Callable
from datetime import date, timedelta
from functools import lru_cache

import networkx as nx
from markupsafe import Markup

from detente.analysis.timeline import date_bounds
from detente.present.svg import element, number, svg, title

Link = Callable[..., str]
WIDTH = 1100  # the width of a figure's coordinates; the figure scales to its box
FONT = 12
CHAR = 7.0  # the width of a character at FONT, generous enough to keep labels apart
NETWORK_NODES = 30  # the most connected actors a network draws
NETWORK_EDGES = 60  # and the strongest links among them; the table lists more
NETWORK_SEED = 7
NETWORK_LABEL = 22  # characters of a name written beside its node; the tooltip has it whole
POLARITY_COLOURS = {"support": "#2ca02c", "oppose": "#d62728", "condition": "#ff7f0e"}
# How each event status is drawn: what happened solid, what was only expected hollow
# and dashed, what was denied or called off crossed out.
STATUS_STYLE = {"reported": "happened", "planned": "expected", "hypothetical": "expected",
                "denied": "not", "cancelled": "not"}
STATUS_WORDS = {"happened": "happened (reported)", "expected": "planned or hypothetical", "not": "denied or cancelled"}
INK, MUTED, GRID = "#1d2733", "#5d6b7a", "#e8ebf0"


def figure(kind: str, data, link: Link) -> Markup | None:
    """The SVG of figure `kind` for a page's data, or None when there is nothing to draw."""
    maker = _MAKERS.get(kind)
    if maker is None:
        raise KeyError(f"no figure {kind!r}; figures: {', '.join(sorted(_MAKERS))}")
    return maker(data, link)


def status_style(status: str | None) -> str:
    return STATUS_STYLE.get(status or "reported", "happened")


@lru_cache(maxsize=4096)  # a figure asks for each point's day several times (filter, axis, order, place)
def _day(value: str | None) -> date | None:
    bounds = date_bounds(value)
    return bounds[0] if bounds else None


def _short(name: str, limit: int = NETWORK_LABEL) -> str:
    return name if len(name) <= limit else name[:limit - 1].rstrip() + "…"


def _text(x: float, y: float, words: str, anchor: str = "start", **attrs) -> Markup:
    return element("text", words, x=float(x), y=float(y), text_anchor=anchor if anchor != "start" else None, **attrs)


# -- a date axis ---------------------------------------------------------------------------------


class DateAxis:
    """Days mapped onto [left, right], at least `min_days` wide, with ticks a reader can use."""

    def __init__(self, days: list[date], left: float, right: float, min_days: int = 60) -> None:
        low, high = min(days), max(days)
        if (high - low).days < min_days:
            middle = low + (high - low) / 2
            low, high = middle - timedelta(days=min_days // 2), middle + timedelta(days=min_days // 2)
        pad = max(2, (high - low).days // 40)
        self.low, self.high = low - timedelta(days=pad), high + timedelta(days=pad)
        self.left, self.right = left, right

    def x(self, day: date) -> float:
        span = max((self.high - self.low).days, 1)
        return self.left + (day - self.low).days / span * (self.right - self.left)

    def ticks(self) -> list[tuple[date, str]]:
        span = (self.high - self.low).days
        if span > 1500:
            months, fmt = 12, "%Y"
        elif span > 400:
            months, fmt = 3, "%b %Y"
        elif span > 100:
            months, fmt = 1, "%b %Y"
        else:
            months, fmt = 0, "%d %b"
        out = []
        if months:
            year, month = self.low.year, self.low.month
            while True:
                month += 1
                if month > 12:
                    year, month = year + 1, 1
                day = date(year, month, 1)
                if day > self.high:
                    break
                if (month - 1) % months == 0:
                    out.append((day, day.strftime(fmt)))
        else:
            day = self.low + timedelta(days=(7 - self.low.weekday()) % 7)
            while day <= self.high:
                out.append((day, day.strftime(fmt)))
                day += timedelta(days=7)
        return out

    def draw(self, top: float, bottom: float) -> list[Markup]:
        parts = []
        for day, label in self.ticks():
            x = self.x(day)
            parts.append(element("line", x1=x, x2=x, y1=float(top), y2=float(bottom), stroke=GRID))
            parts.append(_text(x, bottom + 15, label, "middle", fill=MUTED, font_size=11))
        return parts


# -- timeline ---------------------------------------------------------------------------------------


def timeline_figure(data: dict, link: Link) -> Markup | None:
    """Events by date, one row per type: a mark per event, or per week, type and status when there are many.

    Filled marks happened; hollow dashed ones were planned or hypothetical;
    crossed ones were denied or cancelled; faint ones are undated (placed on
    the day first reported). A mark's area grows with its reports (or events).
    """
    marks = [m for m in data["plot"]["marks"] if _day(m["day"])]
    if not marks:
        return None
    types = [t for t in data["types"] if any(m["type"] == t["type"] for m in marks)]
    row_of = {t["type"]: n for n, t in enumerate(types)}
    colour = {t["type"]: t["colour"] for t in types}
    left, right, row, top = 110, WIDTH - 20, 26, 10
    height = top + row * len(types) + 30
    axis = DateAxis([_day(m["day"]) for m in marks], left, right)
    parts = axis.draw(top, top + row * len(types))
    for t in types:
        y = top + row * row_of[t["type"]] + row / 2
        parts.append(element("line", x1=float(left), x2=float(right), y1=y, y2=y, stroke=GRID))
        parts.append(_text(left - 8, y + 4, t["type"], "end", fill=INK, font_size=FONT))
    if data["plot"]["mode"] == "weeks":
        parts.extend(_week_bars(marks, axis, top, row, row_of, colour))
    else:
        largest = max(m["weight"] for m in marks)
        for m in sorted(marks, key=lambda m: (-m["weight"], m["day"], m["type"], m.get("key") or "")):
            x, y = axis.x(_day(m["day"])), top + row * row_of[m["type"]] + row / 2
            radius = 3.5 + 7.5 * math.sqrt(m["weight"] / largest)
            parts.append(_mark(m, x, y, radius, colour[m["type"]], link))
    mode = data["plot"]["mode"]
    label = ("Events by date, one row per event type" if mode == "entries" else
             "Events per week, one row per event type; a bar's height is the number of events that week")
    return svg(parts, WIDTH, height, label, class_="figure timeline-figure")


def _week_bars(marks: list[dict], axis: "DateAxis", top: float, row: float, row_of: dict, colour: dict) -> list[Markup]:
    """Each type's events per week as a small stacked bar: what happened solid at the foot, what was planned
    or hypothetical outlined above it, what was denied or cancelled grey on top."""
    width = max(1.5, axis.x(axis.low + timedelta(days=7)) - axis.x(axis.low) - 0.6)
    totals: dict[tuple[str, str], int] = {}
    for m in marks:
        totals[(m["day"], m["type"])] = totals.get((m["day"], m["type"]), 0) + m["weight"]
    unit = (row - 6) / max(totals.values())
    order = {"happened": 0, "expected": 1, "not": 2}
    stacked: dict[tuple[str, str], float] = {}
    rows: dict[str, list[Markup]] = {}
    for m in sorted(marks, key=lambda m: (m["day"], m["type"], order[status_style(m["status"].split(" ")[0])])):
        style = status_style(m["status"].split(" ")[0])
        foot = top + row * (row_of[m["type"]] + 1) - 3 - stacked.get((m["day"], m["type"]), 0.0)
        height = max(unit * m["weight"], 1.0)
        stacked[(m["day"], m["type"])] = stacked.get((m["day"], m["type"]), 0.0) + height
        fill = {"happened": colour[m["type"]], "expected": "#ffffff", "not": "#c4cad3"}[style]
        rows.setdefault(m["type"], []).append(element(
            "rect", [title(m["label"])], x=axis.x(_day(m["day"])), y=foot - height, width=width, height=height,
            fill=fill, stroke=colour[m["type"]] if style == "expected" else None,
            fill_opacity=None if m["dated"] else 0.5, class_=f"mark st-{style}", data_status=m["status"]))
    # A row's bars share their type, written once on the group (the filter script reads it there).
    return [element("g", bars, data_type=kind) for kind, bars in sorted(rows.items())]


def _mark(m: dict, x: float, y: float, r: float, fill: str, link: Link) -> Markup:
    style = status_style(m["status"].split(" ")[0])
    shape = [element("circle", cx=x, cy=y, r=r, fill=fill if style == "happened" else "#ffffff",
                     fill_opacity=0.35 if not m["dated"] else None, stroke=fill, stroke_width=1.6,
                     stroke_dasharray="3 2" if style == "expected" else None)]
    if style == "not":
        d = r * 0.7
        shape.append(element("path", d=f"M{number(x - d)} {number(y - d)}L{number(x + d)} {number(y + d)}"
                                        f"M{number(x - d)} {number(y + d)}L{number(x + d)} {number(y - d)}",
                             stroke=fill, stroke_width=1.6))
    body = [title(m["label"]), *shape]
    attrs = {"class_": f"mark st-{style}", "data_type": m["type"], "data_status": m["status"]}
    if m.get("key"):
        return element("a", body, href=link("event", m["key"]), data_key=m["key"], **attrs)
    return element("g", body, **attrs)


# -- networks -------------------------------------------------------------------------------------------


def network_figure(network: dict, link: Link) -> Markup | None:
    """The most connected actors and the strongest links among them; arrows on a directed network.

    Names are placed beside their node where they overlap no other name or
    node; a name that fits nowhere is left to the node's tooltip. In the
    interaction network a link is drawn once per kind of status (what
    happened solid, what was expected dashed, what was denied or called off
    dotted), so the page's filter can hide each kind.
    """
    nodes = network["nodes"][:NETWORK_NODES]
    keep = {n["id"] for n in nodes}
    edges = [e for e in network["edges"] if e["source"] in keep and e["target"] in keep][:NETWORK_EDGES]
    if not edges:
        return None
    graph = nx.Graph()
    graph.add_nodes_from(sorted({e["source"] for e in edges} | {e["target"] for e in edges}))
    for e in edges:
        weight = graph.get_edge_data(e["source"], e["target"], {"weight": 0})["weight"] + e["weight"]
        graph.add_edge(e["source"], e["target"], weight=weight)
    width, height = float(WIDTH), 520.0
    xy = _layout(graph, width, height)
    shown = [n for n in nodes if n["id"] in xy]
    largest = max(n["weight"] for n in shown)
    radius = {n["id"]: 4 + 10 * math.sqrt(n["weight"] / largest) for n in shown}
    heaviest = max(e["weight"] for e in edges)
    directed = network.get("directed", False)
    pairs = {(e["source"], e["target"]) for e in edges}
    parts = []
    if directed:
        parts.append(element("defs", [element("marker", [element("path", d="M0 0L10 5L0 10z", fill="#5a6e8c")],
                                              id=f"arrow-{network.get('name', 'net')}", viewBox="0 0 10 10", refX=9.0,
                                              refY=5.0, markerWidth=9.0, markerHeight=9.0, markerUnits="userSpaceOnUse",
                                              orient="auto")]))
    for e in sorted(edges, key=lambda e: (e["weight"], e["source"], e["target"])):
        parts.extend(_edge_paths(e, xy, radius, heaviest, directed, (e["target"], e["source"]) in pairs, network))
    labels = _place_labels(shown, xy, radius, width, height)
    for n in sorted(shown, key=lambda n: (n["weight"], n["id"])):
        x, y = xy[n["id"]]
        partners = [p for p in network["edges"] if n["id"] in (p["source"], p["target"])][:8]
        tip = f"{n['name']}: {n['weight']} {network['unit']}" + "".join(
            f"\n{p['source_name']} {'→' if directed else '—'} {p['target_name']} ({p['weight']})" for p in partners)
        body = [title(tip), element("circle", cx=x, cy=y, r=radius[n["id"]], fill="#3b6ea8", stroke="#ffffff", stroke_width=1.2)]
        if n["id"] in labels:
            lx, ly, anchor = labels[n["id"]]
            body.append(_text(lx, ly, _short(n["name"]), anchor, fill=INK, font_size=FONT))
        parts.append(element("a", body, href=link("actor", n["id"]), class_="node", data_actor=n["id"]))
    return svg(parts, width, height, f"Network of {len(shown)} actors, the {len(edges)} strongest links",
               class_="figure network-figure")


def _layout(graph: nx.Graph, width: float, height: float) -> dict[str, tuple[float, float]]:
    """Node positions: the largest cluster fills the figure, smaller ones sit in a row along its foot.

    A force layout of a graph in pieces pushes the pieces to the corners and
    squeezes the main cluster into the middle, where its names cannot fit.
    """
    pieces = sorted((sorted(c) for c in nx.connected_components(graph)), key=lambda c: (-len(c), c[0]))
    main, small = pieces[0], pieces[1:]
    foot = 90.0 if small else 0.0
    xy = _fit(_piece(graph, main), (30.0 + 60, 30.0, width - 30 - 60, height - 30 - foot))
    cell = min((width - 60) / max(len(small), 1), 260.0)
    for n, piece in enumerate(small):
        left = 30.0 + n * cell
        xy.update(_fit(_piece(graph, piece), (left + 40, height - foot + 10, left + cell - 40, height - 25)))
    return xy


def _piece(graph: nx.Graph, nodes: list[str]) -> nx.Graph:
    """The subgraph on `nodes`, with its nodes in the order given.

    `graph.subgraph` lists its nodes in the order of a set of names, which
    changes from one Python process to the next; the seeded layout gives each
    node the random start of its place in that order, so the figure would too.
    """
    piece = nx.Graph()
    piece.add_nodes_from(nodes)
    piece.add_edges_from(graph.subgraph(nodes).edges(data=True))
    return piece


def _fit(graph: nx.Graph, box: tuple[float, float, float, float]) -> dict[str, tuple[float, float]]:
    """A seeded force layout stretched over `box` (left, top, right, bottom), rounded so the bytes are stable."""
    left, top, right, bottom = box
    if len(graph) == 1:
        (node,) = graph.nodes
        return {node: (round((left + right) / 2, 1), round((top + bottom) / 2, 1))}
    position = nx.spring_layout(graph, seed=NETWORK_SEED, k=2.2 / len(graph) ** 0.5, iterations=200)
    xs = [float(p[0]) for p in position.values()]
    ys = [float(p[1]) for p in position.values()]
    span_x, span_y = max(max(xs) - min(xs), 1e-9), max(max(ys) - min(ys), 1e-9)
    return {n: (round(left + (float(p[0]) - min(xs)) / span_x * (right - left), 1),
                round(top + (float(p[1]) - min(ys)) / span_y * (bottom - top), 1)) for n, p in position.items()}


def _edge_paths(e: dict, xy: dict, radius: dict, heaviest: int, directed: bool, mutual: bool, network: dict) -> list[Markup]:
    """One path per status kind of the link (one for an undirected or stance-only link), curved when both ways exist."""
    (x0, y0), (x1, y1) = xy[e["source"]], xy[e["target"]]
    length = math.hypot(x1 - x0, y1 - y0) or 1.0
    ux, uy = (x1 - x0) / length, (y1 - y0) / length
    start = (x0 + ux * radius[e["source"]], y0 + uy * radius[e["source"]])
    end = (x1 - ux * (radius[e["target"]] + 1.5), y1 - uy * (radius[e["target"]] + 1.5))
    kinds = e.get("by_style") or {"happened": e["weight"]}
    out = []
    for n, (style, weight) in enumerate(sorted(kinds.items())):
        bend = (14.0 if mutual else 0.0) + 6.0 * n  # both directions and each status kind apart
        mx, my = (start[0] + end[0]) / 2 - uy * bend, (start[1] + end[1]) / 2 + ux * bend
        d = f"M{number(start[0])} {number(start[1])}Q{number(mx)} {number(my)} {number(end[0])} {number(end[1])}"
        what = ", ".join(f"{t} {c}" for t, c in e.get("types", {}).items())
        tip = (f"{e['source_name']} {'→' if directed else '—'} {e['target_name']}: {weight} {network['unit']}"
               + (f" {STATUS_WORDS[style]}" if e.get("by_style") else "") + (f" ({what})" if what else ""))
        out.append(element("path", [title(tip)], d=d, fill="none", stroke="#5a6e8c", stroke_opacity=0.6,
                           stroke_width=0.8 + 4.5 * weight / heaviest, class_=f"edge st-{style}",
                           stroke_dasharray={"expected": "6 4", "not": "1.5 3"}.get(style),
                           marker_end=f"url(#arrow-{network.get('name', 'net')})" if directed else None))
    return out


def _place_labels(nodes: list[dict], xy: dict, radius: dict, width: float, height: float) -> dict[str, tuple]:
    """Each name beside its node where it overlaps no placed name and no node, biggest nodes first."""
    boxes = [(x - radius[n["id"]], y - radius[n["id"]], x + radius[n["id"]], y + radius[n["id"]])
             for n in nodes for x, y in [xy[n["id"]]]]
    placed: dict[str, tuple] = {}
    for n in sorted(nodes, key=lambda n: (-n["weight"], n["id"])):
        x, y = xy[n["id"]]
        r, w, h = radius[n["id"]], len(_short(n["name"])) * CHAR + 4, FONT + 6
        candidates = [(x + r + 3, y + 4, "start"), (x - r - 3, y + 4, "end"), (x, y - r - 4, "middle"),
                      (x, y + r + FONT + 2, "middle"), (x + r, y - r - 2, "start"), (x - r, y - r - 2, "end"),
                      (x + r, y + r + FONT, "start"), (x - r, y + r + FONT, "end")]
        for lx, ly, anchor in candidates:
            left = lx if anchor == "start" else lx - w if anchor == "end" else lx - w / 2
            box = (left, ly - h + 3, left + w, ly + 3)
            if box[0] < 0 or box[2] > width or box[1] < 0 or box[3] > height:
                continue
            mine = (x - r, y - r, x + r, y + r)
            if any(_overlap(box, b) for b in boxes if b != mine):
                continue
            placed[n["id"]] = (round(lx, 1), round(ly, 1), anchor)
            boxes.append(box)
            break
    return placed


def _overlap(a: tuple, b: tuple) -> bool:
    return a[0] < b[2] and b[0] < a[2] and a[1] < b[3] and b[1] < a[3]


# -- figures over time --------------------------------------------------------------------------------


def claims_figure(series: dict, link: Link) -> Markup | None:
    """A figure's values over time, a range as a bar, each point linked to its sentence."""
    points = [p for p in series["points"] if _day(p["date"]) and (p["value"] is not None or p["low"] is not None)]
    if len({_day(p["date"]) for p in points}) < 2:
        return None  # one date is a number, not a trend: the table says it

    def ends(p):
        low = p["value"] if p["value"] is not None else p["low"]
        high = p["value"] if p["value"] is not None else (p["high"] if p["high"] is not None else p["low"])
        return float(low), float(high)

    top_value = max(max(ends(p)) for p in points) or 1.0
    left, right, top, bottom = 70, WIDTH - 20, 12, 220
    axis = DateAxis([_day(p["date"]) for p in points], left, right)
    parts = axis.draw(top, bottom)

    def y(v: float) -> float:
        return bottom - v / top_value * (bottom - top)

    for n in range(5):
        v = top_value * n / 4
        parts.append(element("line", x1=float(left), x2=float(right), y1=y(v), y2=y(v), stroke=GRID))
        parts.append(_text(left - 6, y(v) + 4, f"{v:,.0f}", "end", fill=MUTED, font_size=11))
    ordered = sorted(points, key=lambda p: (_day(p["date"]), p["fact"]))
    line = " ".join(f"{number(axis.x(_day(p['date'])))},{number(y(sum(ends(p)) / 2))}" for p in ordered)
    parts.append(element("polyline", points=line, fill="none", stroke="#3b6ea8", stroke_width=1.5))
    for p in ordered:
        x, (low, high) = axis.x(_day(p["date"])), ends(p)
        body = [title(f"{p['date']}: {p['words']}\n{p['reported_by'] or p['outlet'] or ''}")]
        if high > low:
            body.append(element("line", x1=x, x2=x, y1=y(low), y2=y(high), stroke="#3b6ea8", stroke_width=3.0))
        body.append(element("circle", cx=x, cy=y((low + high) / 2), r=4.5, fill="#3b6ea8", stroke="#ffffff"))
        parts.append(element("a", body, href=link("fact", f"{p['doc']}/{p['fact']}")))
    return svg(parts, WIDTH, bottom + 30, f"{series['label']} over time", class_="figure claims-figure")


# -- sensitivity ----------------------------------------------------------------------------------


def tornado_figure(issue: dict, link: Link) -> Markup | None:
    """Each input swung low and high: one bar per input, widest first, one panel per model."""
    tables = [t for t in issue["tornado"] if t["rows"]]
    if not tables:
        return None
    left, right, row = 230, WIDTH - 30, 20
    parts, y = [], 0.0

    def x(v: float) -> float:
        return left + max(0.0, min(100.0, v)) / 100 * (right - left)

    for table in tables:
        parts.append(_text(0, y + 15, table["title"], fill=INK, font_size=13, font_weight="600"))
        y += 24
        for v in (0, 25, 50, 75, 100):
            parts.append(element("line", x1=x(v), x2=x(v), y1=y, y2=y + row * len(table["rows"]), stroke=GRID))
            parts.append(_text(x(v), y + row * len(table["rows"]) + 13, str(v), "middle", fill=MUTED, font_size=11))
        for r in table["rows"]:
            low = min(r["forecast_low"] or 0, r["forecast_high"] or 0)
            high = max(r["forecast_low"] or 0, r["forecast_high"] or 0)
            tip = (f"{r['input']} from {r['low']:g} to {r['high']:g}{' (assumed)' if r['assumed'] else ''}: "
                   f"forecast {r['forecast_low']} → {r['forecast_high']}")
            parts.append(_text(left - 8, y + 14, _short(r["input"], 34), "end", fill=INK, font_size=FONT))
            parts.append(element("rect", [title(tip)], x=x(low), y=y + 4, width=max(x(high) - x(low), 1.5), height=float(row - 8),
                                 fill="#3b6ea8"))
            y += row
        y += 26
    return svg(parts, WIDTH, y, f"Sensitivity of the forecasts on {issue['name']}", class_="figure tornado-figure")


_MAKERS: dict[str, Callable] = {
    "timeline": timeline_figure,
    "network": network_figure,
    "claims": claims_figure,
    "tornado": tornado_figure,
}
