"""Server-rendered pages: the report's pages from the shared views and templates, plus search.

The report and the app render the same templates from the same data; the
app only differs in `app_link` (paths instead of in-file anchors), in
serving its stylesheet from /static, and in a search page of its own.
Every response carries a Content-Security-Policy that allows the page's own
inline scripts by hash and nothing else.
"""

from __future__ import annotations

import re
from functools import lru_cache
from pathlib import Path
from typing import Annotated
from urllib.parse import quote, urlencode

import jinja2
from fastapi import APIRouter, HTTPException, Query, Request
from fastapi.responses import HTMLResponse

from detente.present.render import render_page, template_environment
from detente.present.views import PAGES, page
from detente.present.views.negotiation_draft import store_fingerprint
from detente.store.search import KINDS, search
from detente.web import views
from detente.web.pagination import MAX_FILTER_LENGTH, MAX_ID_LENGTH, MAX_OFFSET
from detente.web.security import content_security_policy

router = APIRouter(include_in_schema=False)

SEARCH_LIMIT = 20
_PLAIN = re.compile(r"[A-Za-z0-9_.~-]*\Z")  # what quote(safe="") leaves as it is
_PAGE_NAMES = {p.name for p in PAGES}


def app_link(kind: str, id: str | None = None) -> str:
    """Where a link of the shared templates points in the app (see `detente.present.render`)."""
    if kind == "overview":
        return "/"
    if kind in _PAGE_NAMES or kind == "search":
        return f"/{kind}"
    if kind == "fact":
        doc, _, fact = str(id).partition("/")
        return f"/documents/{_quoted(doc)}#fact-{_quoted(fact)}"
    ident = _quoted(str(id or ""))
    if kind == "actor":
        return f"/actors/{ident}"
    if kind == "document":
        return f"/documents/{ident}"
    if kind == "event":
        return f"/timeline#{ident}"
    raise KeyError(f"no link for {kind!r}")


def _quoted(ident: str) -> str:
    """`ident` as a path segment; ids are nearly always plain already, and a page links thousands of them."""
    return ident if _PLAIN.match(ident) else quote(ident, safe="")


def environment(with_model: bool) -> jinja2.Environment:
    """The shared environment, reading this package's templates too, with a nav for what the app serves."""
    env = template_environment(app_link)
    env.loader = jinja2.ChoiceLoader([env.loader, jinja2.PackageLoader("detente.web", "templates")])
    env.globals["nav"] = [
        {"name": p.name, "title": p.title} for p in PAGES if with_model or p.needs != "model"
    ] + [{"name": "search", "title": "Search"}]
    return env


def _env(request: Request) -> jinja2.Environment:
    state = request.app.state
    if getattr(state, "templates", None) is None:
        state.templates = environment(with_model=state.model is not None or _drafted(state.engine) is not None)
    return state.templates


def html_page(request: Request, name: str, data: dict, title: str, status: int = 200, nav: str | None = None) -> HTMLResponse:
    html = render_page(_env(request), name, data, title=f"{title} · detente", **({"nav_page": nav} if nav else {}))
    return HTMLResponse(html, status_code=status, headers={"content-security-policy": content_security_policy(html)})


def not_found(request: Request, message: str, listing: str) -> HTMLResponse:
    data = {"message": message, "listing": listing}
    return html_page(request, "not_found", data, "Not found", status=404)


# ------------------------------------------------------------------------------- routes


# The pages that list the whole store are built here a page at a time (detente/web/views.py);
# the others from the report's builders, which read only what they show.
Offset = Annotated[int, Query(ge=0, le=MAX_OFFSET)]


@router.get("/", response_class=HTMLResponse)
def overview(request: Request) -> HTMLResponse:
    with request.app.state.engine.connect() as conn:
        data = views.overview(conn)
    return html_page(request, "overview", data, page("overview").title)


@router.get("/timeline", response_class=HTMLResponse)
def timeline(
    request: Request,
    actor: Annotated[str | None, Query(max_length=MAX_FILTER_LENGTH)] = None,
    type: Annotated[str | None, Query(max_length=MAX_FILTER_LENGTH)] = None,
    week: Annotated[str | None, Query(pattern=r"^\d{4}-\d{2}-\d{2}$", description="Any day of the week to show.")] = None,
) -> HTMLResponse:
    if week is not None and not views.showable_day(week):
        raise HTTPException(status_code=422, detail=f"week={week!r} is not a day the timeline can show; give one like 2013-05-07.")
    with request.app.state.engine.connect() as conn:
        data = views.timeline_week(conn, week, actor or None, type or None)
    return html_page(request, "app_timeline", data, page("timeline").title, nav="timeline")


@router.get("/actors", response_class=HTMLResponse)
def actors(request: Request, offset: Offset = 0) -> HTMLResponse:
    with request.app.state.engine.connect() as conn:
        data = views.actor_list(conn, offset)
    return html_page(request, "app_actors", data, page("actors").title, nav="actors")


@router.get("/actors/{actor_id}", response_class=HTMLResponse)
def actor(request: Request, actor_id: str) -> HTMLResponse:
    data = None
    if len(actor_id) <= MAX_ID_LENGTH:
        with request.app.state.engine.connect() as conn:
            data = views.actor_profile(conn, actor_id)
    if data is None:
        return not_found(request, f"There is no actor {actor_id!r} in this store.", "actors")
    return html_page(request, "app_actor", data, data["actor"]["name"], nav="actors")


@router.get("/stances", response_class=HTMLResponse)
def stances(request: Request, offset: Offset = 0) -> HTMLResponse:
    with request.app.state.engine.connect() as conn:
        data = views.stances_page(conn, offset)
    return html_page(request, "app_stances", data, page("stances").title, nav="stances")


@router.get("/claims", response_class=HTMLResponse)
def claims(request: Request, offset: Offset = 0) -> HTMLResponse:
    with request.app.state.engine.connect() as conn:
        data = views.claims_page(conn, offset)
    return html_page(request, "app_claims", data, page("claims").title, nav="claims")


@router.get("/documents", response_class=HTMLResponse)
def documents(request: Request, offset: Offset = 0) -> HTMLResponse:
    with request.app.state.engine.connect() as conn:
        data = views.document_list(conn, offset)
    return html_page(request, "app_documents", data, page("documents").title, nav="documents")


@router.get("/documents/{doc_id}", response_class=HTMLResponse)
def document(request: Request, doc_id: str) -> HTMLResponse:
    data = None
    if len(doc_id) <= MAX_ID_LENGTH:
        with request.app.state.engine.connect() as conn:
            data = views.document_view(conn, doc_id)
    if data is None:
        return not_found(request, f"There is no document {doc_id!r} in this store.", "documents")
    return html_page(request, "document", data, data["document"]["title"] or data["document"]["id"])


@router.get("/negotiation", response_class=HTMLResponse)
def negotiation(request: Request) -> HTMLResponse:
    model = request.app.state.model
    if model is None:  # no file: the negotiation drafted from the store, if it holds enough to draft one
        drafted = _drafted(request.app.state.engine)
        if drafted is None:
            return not_found(request, "No negotiation file was given and the store holds no stances, claims or events to "
                             "draft one from: start the app with `detente serve --negotiation FILE`.", "overview")
        return html_page(request, "negotiation", drafted, page("negotiation").title)
    return html_page(request, "negotiation", _negotiation(model, Path(model).stat().st_mtime), page("negotiation").title)


def _drafted(engine) -> dict | None:
    return _drafted_for(engine, store_fingerprint(engine))


@lru_cache(maxsize=4)
def _drafted_for(engine, _fingerprint: tuple) -> dict | None:
    """The drafted page, once per state of the store (a writable app's new reports change the fingerprint)."""
    return page("negotiation").builder(engine)


@lru_cache(maxsize=4)
def _negotiation(model: str, _mtime: float) -> dict:
    """The models run once per version of the file (Monte Carlo takes a moment), not on every visit."""
    return page("negotiation").builder(None, model=model)


@router.get("/search", response_class=HTMLResponse)
def search_page(
    request: Request,
    q: Annotated[str, Query(max_length=500)] = "",
    kind: Annotated[str, Query(pattern="^(|document|quote)$")] = "",
    offset: Annotated[int, Query(ge=0, le=MAX_OFFSET)] = 0,
) -> HTMLResponse:
    with request.app.state.engine.connect() as conn:
        found = search(conn, q, kinds=[kind] if kind else KINDS, limit=SEARCH_LIMIT, offset=offset)
    data = {
        "query": q,
        "kind": kind,
        "total": found.total,
        "engine": found.engine,
        "offset": offset,
        "hits": [_shown_hit(hit) for hit in found.hits],
        "previous": _search_href(q, kind, offset - SEARCH_LIMIT) if offset > 0 else None,
        "next": _search_href(q, kind, offset + SEARCH_LIMIT) if offset + SEARCH_LIMIT < found.total else None,
    }
    return html_page(request, "search", data, f"Search: {q}" if q else "Search")


def _search_href(q: str, kind: str, offset: int) -> str:
    return "/search?" + urlencode({"q": q, "kind": kind, "offset": max(offset, 0)})


def _shown_hit(hit: dict) -> dict:
    """A hit with its snippet cut into plain segments, marked or not, for the template to escape."""
    segments, at = [], 0
    text = hit["snippet"]
    for start, end in hit["matches"]:
        segments += [{"text": text[at:start], "match": False}, {"text": text[start:end], "match": True}]
        at = end
    segments.append({"text": text[at:], "match": False})
    return {**hit, "segments": [s for s in segments if s["text"]]}
