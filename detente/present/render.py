"""Turning a page's data into HTML: one Jinja2 environment, autoescaped, shared by the report and the web app.

The two differ only in where links point and in how the page is wrapped:

- `link(kind, id=None)` makes every href. Kinds are the page names of
  `detente.present.views.PAGES` ("overview", "timeline", …) and the records
  `actor` (id: actor id), `document` (id: document id), `event` (id: a
  timeline entry's key) and `fact` (id: "DOC/FACT", e.g.
  "2249028f9174886c/quote-12", a highlighted span in its document). The
  report passes anchors (`#actor-john-kerry`), the web app paths
  (`/actors/john-kerry`). Templates make links only through `link`.
- `render_page(env, page, data, layout=…)`: the page template extends
  `layout`; `base.html.j2` gives a whole HTML page (the web app), the
  report's `partials/section.html.j2` one section of its single file.

Figures are inline SVG drawn on the server (`plot(...)` in templates, see
`detente.present.figures`), so neither the report nor the web app loads a
charting library. Anything written inside a <script> goes through
`script_json`, which escapes `<`, `>` and `&` so no text from an article can
close the script.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from importlib import resources

import jinja2
from markupsafe import Markup

from detente.present import figures
from detente.present.views import PAGES

TEMPLATES = "templates"
RECORD_KINDS = ("actor", "document", "event", "fact")
# What each event status means, for the tooltip of its chip.
STATUS_HELP = {
    "reported": "reported as having happened",
    "planned": "announced or scheduled: had not happened when reported",
    "hypothetical": "only possible or conditional: had not happened when reported",
    "denied": "reported, and denied by a party: may not have happened",
    "cancelled": "was planned and then called off: did not happen",
}
NAV_OF = {"actor": "actors", "document": "documents"}  # the navigation entry a record's page belongs under


def template_environment(link: Callable[..., str]) -> jinja2.Environment:
    env = jinja2.Environment(
        loader=jinja2.PackageLoader("detente.present", TEMPLATES),
        autoescape=True,
        undefined=jinja2.StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
    )
    env.globals.update(
        link=link,
        fact_link=lambda doc, fact: link("fact", f"{doc}/{fact}"),
        plot=lambda kind, data, plot_id: plot(kind, data, plot_id, link),
        nav=[{"name": p.name, "title": p.title} for p in PAGES],
        asset=asset,
        STATUS_HELP=STATUS_HELP,
        STATUS_WORDS=figures.STATUS_WORDS,
    )
    env.filters["script_json"] = script_json
    env.filters["number"] = number
    env.filters["percent"] = percent
    return env


def render_page(env: jinja2.Environment, page: str, data: dict, layout: str = "base.html.j2", **context) -> str:
    """One page's HTML from its data; `layout` is what the page template extends."""
    template = env.get_template(f"pages/{page}.html.j2")
    context.setdefault("nav_page", NAV_OF.get(page, page))
    return template.render(data=data, layout=layout, page=page, **context)


def asset(name: str) -> Markup:
    """Our own CSS or JavaScript from templates/partials/, inlined as written (it is not a template)."""
    return Markup(resources.files("detente.present").joinpath(TEMPLATES, "partials", name).read_text(encoding="utf-8"))


def script_json(value) -> Markup:
    """JSON safe inside a <script> element: sorted keys, and no character that could end the element."""
    text = json.dumps(value, sort_keys=True, ensure_ascii=False, separators=(",", ":"), allow_nan=False)
    text = text.replace("<", "\\u003c").replace(">", "\\u003e").replace("&", "\\u0026")
    text = text.replace("\u2028", "\\u2028").replace("\u2029", "\\u2029")
    return Markup(text)


def plot(kind: str, data, plot_id: str, link: Callable[..., str]) -> Markup:
    """A figure as inline SVG in a box of its own; nothing when there is nothing to draw."""
    drawn = figures.figure(kind, data, link)
    if drawn is None:
        return Markup("")
    return Markup('<div class="plot" id="{0}">{1}</div>').format(plot_id, drawn)


def number(value, digits: int = 1) -> str:
    """12.0 → '12', 12.345 → '12.3', None → '—': numbers as a reader wants them in a table."""
    if value is None:
        return "—"
    if isinstance(value, (int, float)) and float(value).is_integer():
        return f"{int(value):,}"
    return f"{value:,.{digits}f}"


def percent(value, digits: int = 1) -> str:
    return "—" if value is None else f"{100 * value:.{digits}f}%"
