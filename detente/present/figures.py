"""Plotly figures from page data, where interaction helps: the timeline, the networks, figures over time,
the sensitivity tornado.

Each function returns a plain figure spec (data, layout, config) that
Plotly's JavaScript draws; nothing here touches HTML. Text shown in hover
labels is escaped, because Plotly reads a few HTML tags in labels and an
article's words must show as written. Coordinates are rounded so the same
store always gives the same bytes.
"""

from __future__ import annotations

import html
from collections.abc import Callable

import networkx as nx
import plotly.graph_objects as go

from detente.analysis.timeline import date_bounds

FONT = "system-ui, -apple-system, 'Segoe UI', Roboto, 'Helvetica Neue', Arial, sans-serif"
CONFIG = {"displaylogo": False, "responsive": True, "modeBarButtonsToRemove": ["select2d", "lasso2d", "toImage"]}
MARGIN = {"l": 10, "r": 10, "t": 30, "b": 10}  # a figure may set its own sides
NETWORK_NODES = 40
NETWORK_SEED = 7
NETWORK_LABEL = 24  # characters of a name written beside its node; the hover label has it whole
NETWORK_SIDE_ROOM = 0.18  # share of the layout's width added on each side for the names
TIMELINE_LEFT = 110  # room for the longest event type ("COOPERATE") when a filter leaves only short ones
# A date axis zoomed to less than a day would label hours and milliseconds; events have no time of day.
DAY_TICKS = [{"dtickrange": [None, 86_400_000], "value": "%Y-%m-%d"}]
POLARITY_COLOURS = {"support": "#2ca02c", "oppose": "#d62728", "condition": "#ff7f0e"}


def figure(kind: str, data) -> dict | None:
    """{"figure": spec, "label": words for screen readers}, or None when there is nothing to draw."""
    maker = _MAKERS.get(kind)
    if maker is None:
        raise KeyError(f"no figure {kind!r}; figures: {', '.join(sorted(_MAKERS))}")
    made = maker(data)
    if made is None:
        return None
    fig, label = made
    fig.update_layout(
        font={"family": FONT, "size": 13},
        margin={side: value for side, value in MARGIN.items() if getattr(fig.layout.margin, side) is None},
        hoverlabel={"align": "left"},
    )
    fig.update_xaxes(automargin=True)
    fig.update_yaxes(automargin=True)
    spec = fig.to_plotly_json()
    spec["layout"].pop("template", None)
    spec["layout"]["template"] = _TEMPLATE
    return {"figure": {"data": spec["data"], "layout": spec["layout"], "config": CONFIG}, "label": label}


def _text(value) -> str:
    return html.escape(str(value or ""), quote=False)


def _short(name: str) -> str:
    return name if len(name) <= NETWORK_LABEL else name[:NETWORK_LABEL - 1].rstrip() + "…"


def _day(value: str | None) -> str | None:
    bounds = date_bounds(value)
    return bounds[0].isoformat() if bounds else None


# -- timeline -----------------------------------------------------------------------------------


def timeline_figure(data: dict):
    entries = [e for e in data["entries"] if _day(e["when"])]
    if not entries:
        return None
    fig = go.Figure()
    for t in data["types"]:
        mine = [e for e in entries if e["type"] == t["type"]]
        if not mine:
            continue
        fig.add_trace(go.Scatter(
            x=[_day(e["when"]) for e in mine], y=[t["type"]] * len(mine), mode="markers", name=t["type"],
            marker={"color": t["colour"], "size": [8 + 3 * min(len(e["sources"]), 5) for e in mine],
                    "symbol": ["circle" if e["date"] else "circle-open" for e in mine], "line": {"width": 1.5, "color": t["colour"]}},
            text=[_text(f"{e['date'] or 'undated, first reported ' + (e['first_reported'] or '?')} · "
                        f"{e['type']}{' (' + e['mode'] + ')' if e['mode'] else ''} · {e['status']}") + "<br>" +
                  _text(e["summary"]) + "<br>" + _text(f"{len(e['sources'])} source(s)") for e in mine],
            customdata=[e["key"] for e in mine], hovertemplate="%{text}<extra></extra>",
        ))
    fig.update_layout(height=120 + 28 * len(data["types"]), showlegend=False, margin={"l": TIMELINE_LEFT},
                      xaxis={"type": "date", "title": None, "tickformatstops": DAY_TICKS},
                      yaxis={"title": None, "categoryorder": "category descending", "ticksuffix": " "})
    return fig, "Events by date, one row per event type; open circles are undated events, placed when first reported"


# -- networks -------------------------------------------------------------------------------------


def network_figure(network: dict):
    nodes = network["nodes"][:NETWORK_NODES]
    keep = {n["id"] for n in nodes}
    edges = [e for e in network["edges"] if e["source"] in keep and e["target"] in keep]
    if not edges:
        return None
    graph = nx.Graph()
    graph.add_nodes_from(sorted(keep))
    graph.add_weighted_edges_from((e["source"], e["target"], e["weight"]) for e in edges)
    graph.remove_nodes_from([n for n in sorted(keep) if graph.degree(n) == 0])
    position = nx.spring_layout(graph, seed=NETWORK_SEED, weight="weight", k=1.2 / max(len(graph), 1) ** 0.5)
    xy = {n: (round(float(p[0]), 4), round(float(p[1]), 4)) for n, p in position.items()}
    fig = go.Figure()
    heaviest = max(e["weight"] for e in edges)
    for e in edges:
        (x0, y0), (x1, y1) = xy[e["source"]], xy[e["target"]]
        fig.add_trace(go.Scatter(x=[x0, x1], y=[y0, y1], mode="lines", hoverinfo="skip", showlegend=False,
                                 line={"width": 0.6 + 4 * e["weight"] / heaviest, "color": "rgba(90,110,140,0.45)"}))
    shown = [n for n in nodes if n["id"] in xy]
    largest = max(n["weight"] for n in shown)
    partners: dict[str, list[str]] = {}
    for e in edges:
        partners.setdefault(e["source"], []).append(f"{e['target_name']} ({e['weight']})")
        partners.setdefault(e["target"], []).append(f"{e['source_name']} ({e['weight']})")
    fig.add_trace(go.Scatter(
        x=[xy[n["id"]][0] for n in shown], y=[xy[n["id"]][1] for n in shown], mode="markers+text",
        text=[_text(_short(n["name"])) for n in shown], textposition="top center", showlegend=False, cliponaxis=False,
        marker={"size": [10 + 22 * n["weight"] / largest for n in shown], "color": "#3b6ea8", "line": {"width": 1, "color": "#fff"}},
        customdata=[n["id"] for n in shown],
        hovertext=[_text(f"{n['name']}: {n['weight']} {network['unit']}") + "<br>" +
                   "<br>".join(_text(p) for p in partners.get(n["id"], [])[:8]) for n in shown],
        hovertemplate="%{hovertext}<extra></extra>",
    ))
    hidden = {"visible": False, "showgrid": False, "zeroline": False}
    xs = [x for x, _y in xy.values()]
    pad = max(max(xs) - min(xs), 0.2) * NETWORK_SIDE_ROOM  # a name centred on a node at the edge stays inside
    fig.update_layout(height=560, xaxis={**hidden, "range": [round(min(xs) - pad, 4), round(max(xs) + pad, 4)]},
                      yaxis=hidden)
    return fig, f"Network of {len(shown)} actors"


# -- figures over time -------------------------------------------------------------------------------


def claims_figure(series: dict):
    points = [p for p in series["points"] if _day(p["date"]) and (p["value"] is not None or p["low"] is not None)]
    if len({_day(p["date"]) for p in points}) < 2:
        return None  # one date is a number, not a trend: the table says it
    def mid(p):
        return p["value"] if p["value"] is not None else ((p["low"] or 0) + (p["high"] if p["high"] is not None else p["low"] or 0)) / 2
    y = [mid(p) for p in points]
    fig = go.Figure(go.Scatter(
        x=[_day(p["date"]) for p in points], y=y, mode="lines+markers", name=series["label"],
        error_y={"type": "data", "symmetric": False,
                 "array": [max(0, (p["high"] if p["high"] is not None else v) - v) for p, v in zip(points, y)],
                 "arrayminus": [max(0, v - (p["low"] if p["low"] is not None else v)) for p, v in zip(points, y)]},
        text=[_text(f"{p['date']}: {p['words']}<br>{p['reported_by'] or p['outlet'] or ''}") for p in points],
        customdata=[p["fact"] for p in points], hovertemplate="%{text}<extra></extra>",
    ))
    fig.update_layout(height=320, xaxis={"type": "date"}, yaxis={"title": _text(series["unit"] or series["label"]), "rangemode": "tozero"})
    return fig, f"{series['label']} over time"


# -- sensitivity ----------------------------------------------------------------------------------


def tornado_figure(issue: dict):
    """Each input swung low and high, per model: one horizontal bar per input, models as toggled traces."""
    tables = [t for t in issue["tornado"] if t["rows"]]
    if not tables:
        return None
    fig = go.Figure()
    for n, table in enumerate(tables):
        rows = list(reversed(table["rows"]))  # widest at the top
        lows = [min(r["forecast_low"] or 0, r["forecast_high"] or 0) for r in rows]
        highs = [max(r["forecast_low"] or 0, r["forecast_high"] or 0) for r in rows]
        fig.add_trace(go.Bar(
            y=[_text(r["input"]) for r in rows], x=[round(h - lo, 4) for lo, h in zip(lows, highs)], base=lows,
            orientation="h", name=_text(table["title"]), visible=True if n == 0 else "legendonly",
            text=[_text(f"{r['input']} from {r['low']:g} to {r['high']:g}{' (assumed)' if r['assumed'] else ''}: "
                        f"forecast {r['forecast_low']} → {r['forecast_high']}") for r in rows],
            textposition="none", hovertemplate="%{text}<extra></extra>",
        ))
    fig.update_layout(height=170 + 26 * max(len(t["rows"]) for t in tables), barmode="overlay",
                      xaxis={"title": "forecast as each input goes from its low to its high end (0–100 scale)"},
                      legend={"orientation": "h", "x": 0, "y": 1.02, "yanchor": "bottom", "title": "model (click to switch):"},
                      margin={"t": 60})
    return fig, f"Sensitivity of the forecasts on {issue['name']}"


_MAKERS: dict[str, Callable] = {
    "timeline": timeline_figure,
    "network": network_figure,
    "claims": claims_figure,
    "tornado": tornado_figure,
}
# A small fixed look instead of Plotly's template, which would repeat several kilobytes in every figure.
_TEMPLATE = {"layout": {"paper_bgcolor": "#ffffff", "plot_bgcolor": "#ffffff", "colorway": [
    "#1f77b4", "#ff7f0e", "#2ca02c", "#d62728", "#9467bd", "#8c564b", "#e377c2", "#7f7f7f", "#bcbd22", "#17becf"],
    "xaxis": {"gridcolor": "#e8ebf0", "zerolinecolor": "#d0d5dd"}, "yaxis": {"gridcolor": "#e8ebf0", "zerolinecolor": "#d0d5dd"}}}
