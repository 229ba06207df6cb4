"""The one-file HTML report: every page of the store in a single self-contained file.

The file carries its own CSS, its own small script and Plotly's JavaScript
(from the installed plotly package, once), so it opens offline and can be
sent by e-mail; nothing is fetched. Pages are sections of the file; links
are anchors (`#timeline`, `#actor-john-kerry`, `#fact-quote-12`), and the
script shows one section at a time. Without JavaScript every section shows,
one after the other, and every link still works.

The same store gives the same bytes: no timestamps, everything sorted, plot
ids fixed.
"""

from __future__ import annotations

import os
import tempfile
from pathlib import Path

from markupsafe import Markup
from plotly.offline import get_plotlyjs
from sqlalchemy import Engine

from detente.negotiation.model import Negotiation
from detente.present.render import render_page, template_environment
from detente.present.views import PAGES, build_actor, build_document, build_timeline
from detente.present.views.actors import actor_context
from detente.present.views.documents import document_context

SECTION = "partials/section.html.j2"


def report_link(kind: str, id: str | None = None) -> str:
    """Anchors inside the report file (see `detente.present.render` for the kinds)."""
    if kind == "actor":
        return f"#actor-{id}"
    if kind == "document":
        return f"#doc-{id}"
    if kind == "event":
        return f"#{id}"
    if kind == "fact":
        return f"#fact-{str(id).rpartition('/')[2]}"
    return f"#{kind}"


def render_report(engine: Engine, negotiation: str | Path | Negotiation | None = None) -> str:
    env = template_environment(report_link)
    sections: list[str] = []
    shown = []
    actors_data = documents_data = None
    timeline = build_timeline(engine)  # built once: the overview counts its entries
    for page in PAGES:
        if page.name == "timeline":
            data = timeline
        else:
            data = page.builder(engine, model=negotiation, timeline_entries=len(timeline["entries"]))
        if data is None:
            continue
        shown.append({"name": page.name, "title": page.title})
        sections.append(render_page(env, page.name, data, layout=SECTION, section_id=page.name))
        if page.name == "actors":
            actors_data = data
        elif page.name == "documents":
            documents_data = data
    context = actor_context(engine) if actors_data else None
    for actor in (actors_data or {}).get("actors", []):
        profile = build_actor(engine, actor=actor["id"], context=context)
        if profile is not None:
            sections.append(render_page(env, "actor", profile, layout=SECTION, section_id=f"actor-{actor['id']}"))
    facts = document_context(engine) if documents_data else None
    for doc in (documents_data or {}).get("documents", []):
        detail = build_document(engine, doc=doc["id"], context=facts)
        if detail is not None:
            sections.append(render_page(env, "document", detail, layout=SECTION, section_id=f"doc-{doc['id']}"))
    env.globals["nav"] = shown
    env.globals["plotly_inline"] = Markup(get_plotlyjs())
    title = "detente report"
    if documents_data is not None:
        title += f": {len(documents_data['documents'])} documents"
    return env.get_template("report.html.j2").render(
        sections=[Markup(s) for s in sections], title=title, heading=title.removeprefix("detente ").capitalize(),
    )


def write_report(engine: Engine, path: str | Path, negotiation: str | Path | Negotiation | None = None) -> Path:
    """Write the report to `path` (replacing it whole, so a reader never sees half a file); return the path."""
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    html = render_report(engine, negotiation)
    fd, tmp = tempfile.mkstemp(prefix=".report-", suffix=".html", dir=path.parent)
    try:
        with os.fdopen(fd, "w", encoding="utf-8", newline="\n") as out:
            out.write(html)
        os.chmod(tmp, 0o666 & ~_umask())  # mkstemp makes it private; a report is meant to be shared
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise
    return path


def _umask() -> int:
    mask = os.umask(0)
    os.umask(mask)
    return mask
