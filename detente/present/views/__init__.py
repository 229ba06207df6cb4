"""The pages of the report and the web app, each a builder of plain data from the store.

A builder takes the store (an Engine or a Connection) and keyword parameters
and returns JSON-serialisable data, sorted, with no HTML in it; the templates
in `detente/present/templates/pages/` turn that data into HTML. The report
and the web app render the same pages from the same data.

`PAGES` lists the top-level pages in navigation order; `RECORD_PAGES` the
pages of one record (an actor, a document), whose builder also takes the
record's id and returns None when there is no such record.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from detente.present.views.actors import build_actor, build_actors
from detente.present.views.claims import build_claims
from detente.present.views.documents import build_document, build_documents
from detente.present.views.negotiation import build_negotiation
from detente.present.views.overview import build_overview
from detente.present.views.stances import build_stances
from detente.present.views.timeline import build_timeline


@dataclass(frozen=True)
class Page:
    name: str  # the template is pages/<name>.html.j2; the link kind is the name
    title: str
    builder: Callable[..., dict | None]
    needs: str | None = None  # the parameter without which the page is left out ("model")


PAGES: tuple[Page, ...] = (
    Page("overview", "Overview", build_overview),
    Page("timeline", "Timeline", build_timeline),
    Page("actors", "Actors", build_actors),
    Page("stances", "Stances", build_stances),
    Page("claims", "Claims and disputes", build_claims),
    Page("documents", "Documents", build_documents),
    Page("negotiation", "Negotiation", build_negotiation, needs="model"),
)

RECORD_PAGES: dict[str, Page] = {
    "actor": Page("actor", "Actor", build_actor, needs="actor"),
    "document": Page("document", "Document", build_document, needs="doc"),
}


def page(name: str) -> Page:
    for p in (*PAGES, *RECORD_PAGES.values()):
        if p.name == name:
            return p
    raise KeyError(f"no page {name!r}; pages: {', '.join(p.name for p in PAGES)}, actor, document")


__all__ = [
    "PAGES",
    "RECORD_PAGES",
    "Page",
    "build_actor",
    "build_actors",
    "build_claims",
    "build_document",
    "build_documents",
    "build_negotiation",
    "build_overview",
    "build_stances",
    "build_timeline",
    "page",
]
