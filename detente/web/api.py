"""The JSON API under /api/: the CLI's listings as paginated JSON, with the CLI's filters.

Each listing returns a `Page` (items, total, limit, offset, next_offset);
records follow the JSON export contract (`detente/present/export.py`). Every
value a user sends reaches SQL as a bound parameter, through the same store
functions the CLI uses.
"""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, HTTPException, Query, Request, Response
from sqlalchemy import Engine, func, select

from detente.store.events import EventQueryError, timeline_page
from detente.store.extraction import actor_detail
from detente.store.schema import documents, mentions
from detente.store.search import KINDS, search
from detente.store.stances import matching_actors
from detente.web.adding import ExtractorMissing, NewReport, ReportRejected, add_report
from detente.web.pagination import (
    DEFAULT_LIMIT,
    MAX_FILTER_LENGTH,
    MAX_ID_LENGTH,
    MAX_LIMIT,
    MAX_OFFSET,
    Page,
    page_from,
)
from detente.web.queries import (
    actor_page,
    claim_page,
    dispute_page,
    event_page,
    names_of,
    quote_page,
    stance_listing,
)
from detente.web.records import contract_record

router = APIRouter(prefix="/api", tags=["api"])

ISO_PREFIX = r"^\d{4}(-\d{2}(-\d{2})?)?$"
Limit = Annotated[int, Query(ge=1, le=MAX_LIMIT, description=f"Items per page (at most {MAX_LIMIT}).")]
Offset = Annotated[int, Query(ge=0, le=MAX_OFFSET, description="Items to skip; the previous page's next_offset.")]
Since = Annotated[str | None, Query(pattern=ISO_PREFIX, description="From this date (ISO prefix: 2013, 2013-05, 2013-05-07).")]
Until = Annotated[str | None, Query(pattern=ISO_PREFIX, description="Up to this date (ISO prefix).")]
ActorFilter = Annotated[str | None, Query(max_length=MAX_FILTER_LENGTH, description="Actor id, or part of a name.")]


def text_filter(description: str):
    """A free-text filter: bounded, since a 50,000-character value is no one's query and SQLite refuses its pattern."""
    return Query(max_length=MAX_FILTER_LENGTH, description=description)


def engine_of(request: Request) -> Engine:
    return request.app.state.engine


def not_found(what: str, listing: str) -> HTTPException:
    return HTTPException(status_code=404, detail=f"No {what}. List what there is at {listing}.")


# ------------------------------------------------------------------------------ documents


def _document_columns():
    return [c for c in documents.c if c.name != "content_hash"]


@router.get("/documents", response_model=Page, summary="Documents by publication date")
def list_documents(
    request: Request, since: Since = None, until: Until = None, actor: ActorFilter = None,
    outlet: Annotated[str | None, text_filter("Outlet name (any case).")] = None,
    limit: Limit = DEFAULT_LIMIT, offset: Offset = 0,
) -> Page:
    query = select(*_document_columns())
    if since:
        query = query.where(func.substr(documents.c.published, 1, len(since)) >= since)
    if until:
        query = query.where(func.substr(documents.c.published, 1, len(until)) <= until)
    if outlet:
        query = query.where(func.lower(documents.c.outlet) == outlet.lower())
    engine = engine_of(request)
    with engine.connect() as conn:
        if actor:
            wanted = matching_actors(conn, actor)
            query = query.where(documents.c.id.in_(select(mentions.c.doc).where(mentions.c.actor.in_(wanted))))
        total = conn.execute(select(func.count()).select_from(query.subquery())).scalar_one()
        ordered = query.order_by(documents.c.published.is_(None), documents.c.published, documents.c.id)
        rows = [dict(r._mapping) for r in conn.execute(ordered.limit(limit).offset(offset))]
    return page_from(rows, total, limit, offset)


@router.get("/documents/{doc_id}", summary="One document: metadata, clean text, removed lines")
def get_document(request: Request, doc_id: str) -> dict[str, Any]:
    found = find_document(engine_of(request), doc_id) if len(doc_id) <= MAX_ID_LENGTH else None
    if found is None:
        raise not_found(f"document {doc_id!r}", "/api/documents")
    return found


def find_document(engine: Engine, doc_id: str) -> dict | None:
    """By whole id, or by an unambiguous prefix of hex digits (as `detente show` takes it)."""
    with engine.connect() as conn:
        rows = conn.execute(select(*_document_columns()).where(documents.c.id == doc_id)).all()
        if not rows and doc_id and all(c in "0123456789abcdef" for c in doc_id):
            rows = conn.execute(select(*_document_columns()).where(documents.c.id.startswith(doc_id)).limit(2)).all()
    return dict(rows[0]._mapping) if len(rows) == 1 else None


# --------------------------------------------------------------------------------- actors


@router.get("/actors", response_model=Page, summary="Actors with kind, country, roles and mention counts")
def list_actors(
    request: Request,
    type: Annotated[str | None, text_filter("Kind: person, organization, state or group.")] = None,
    limit: Limit = DEFAULT_LIMIT, offset: Offset = 0,
) -> Page:
    with engine_of(request).connect() as conn:
        rows, total = actor_page(conn, type, limit, offset)
    return page_from(rows, total, limit, offset)


@router.get("/actors/{actor_id}", summary="One actor: roles over time, mentions and quotes, with sources")
def get_actor(request: Request, actor_id: str, limit: Limit = 100, offset: Offset = 0) -> dict[str, Any]:
    """`limit`/`offset` page the mentions and quotes; `mentions_total` and `quotes_total` count them all."""
    engine = engine_of(request)
    detail = actor_detail(engine, actor_id, limit=limit, offset=offset) if len(actor_id) <= MAX_ID_LENGTH else None
    if detail is None:
        raise not_found(f"actor {actor_id!r}", "/api/actors")
    with engine.connect() as conn:
        names = names_of(conn, [actor_id, *(a.get("organization") for a in detail["affiliations"]),
                                *(q.get("speaker") for q in detail["quotes"])])
    detail["affiliations"] = [contract_record("affiliations", a, names) for a in detail["affiliations"]]
    detail["mentions"] = [contract_record("mentions", m, names) for m in detail["mentions"]]
    detail["quotes"] = [contract_record("quotes", q, names) for q in detail["quotes"]]
    return detail


# ------------------------------------------------------------------------ events, timeline


EventType = Annotated[str | None, text_filter("PLOVER type(s), e.g. CONSULT or consult,agree.")]


@router.get("/events", response_model=Page, summary="Events as each source reports them")
def list_events(
    request: Request, actor: ActorFilter = None, since: Since = None, until: Until = None, type: EventType = None,
    limit: Limit = DEFAULT_LIMIT, offset: Offset = 0,
) -> Page:
    with engine_of(request).connect() as conn:
        rows, total = event_page(conn, actor, since, until, type, limit, offset)
    names = {a: n for r in rows for a, n in zip(r["actors"] + r["recipients"], r["actor_names"] + r["recipient_names"])}
    return page_from([contract_record("events", r, names) for r in rows], total, limit, offset)


@router.get("/timeline", response_model=Page, summary="One entry per real-world event, with all its sources")
def list_timeline(
    request: Request, actor: ActorFilter = None, since: Since = None, until: Until = None, type: EventType = None,
    min_sources: Annotated[int, Query(ge=1, le=MAX_OFFSET, description="Only events carried by at least this many documents.")] = 1,
    limit: Limit = DEFAULT_LIMIT, offset: Offset = 0,
) -> Page:
    try:
        rows, total = timeline_page(engine_of(request), actor=actor, since=since, until=until, type=type,
                                    min_sources=min_sources, limit=limit, offset=offset, counted=True)
    except EventQueryError as err:
        raise HTTPException(status_code=400, detail=str(err)) from err
    return page_from(rows, total, limit, offset)


# ------------------------------------------------------------- quotes, stances, claims, disputes


@router.get("/quotes", response_model=Page, summary="Who said what, when, where")
def list_quotes(
    request: Request, actor: ActorFilter = None, since: Since = None, until: Until = None,
    doc: Annotated[str | None, text_filter("Only quotes from this document (id or prefix).")] = None,
    limit: Limit = DEFAULT_LIMIT, offset: Offset = 0,
) -> Page:
    with engine_of(request).connect() as conn:
        rows, total = quote_page(conn, actor, doc, since, until, limit, offset)
        names = names_of(conn, (r["speaker"] for r in rows))
    return page_from([contract_record("quotes", r, names) for r in rows], total, limit, offset)


@router.get("/stances", response_model=Page, summary="Who supports, opposes or sets conditions on what")
def list_stances(
    request: Request, actor: ActorFilter = None, since: Since = None, until: Until = None,
    target: Annotated[str | None, text_filter("Target id (e.g. moscow-talks-2015), an actor id, or part of a name.")] = None,
    limit: Limit = DEFAULT_LIMIT, offset: Offset = 0,
) -> Page:
    with engine_of(request).connect() as conn:
        rows, total = stance_listing(conn, actor, target, since, until, limit, offset)
        names = names_of(conn, (r["actor"] for r in rows))
    return page_from([contract_record("stances", r, names) for r in rows], total, limit, offset)


@router.get("/claims", response_model=Page, summary="Figures over time, with who reported them")
def list_claims(
    request: Request, since: Since = None, until: Until = None,
    property: Annotated[str | None, text_filter("e.g. death_toll, displaced, seats.")] = None,
    subject: Annotated[str | None, text_filter("e.g. syrian-civil-war or an actor id.")] = None,
    limit: Limit = DEFAULT_LIMIT, offset: Offset = 0,
) -> Page:
    with engine_of(request).connect() as conn:
        rows, total = claim_page(conn, property, subject, since, until, limit, offset)
        names = names_of(conn, (r["attributed_to"] for r in rows))
    return page_from([contract_record("claims", r, names) for r in rows], total, limit, offset)


@router.get("/disputes", response_model=Page, summary="Statements that contradict, correct or rebut each other")
def list_disputes(
    request: Request,
    type: Annotated[str | None, text_filter("contradiction, correction or rebuttal.")] = None,
    limit: Limit = DEFAULT_LIMIT, offset: Offset = 0,
) -> Page:
    rows, total = dispute_page(engine_of(request), type.lower() if type else None, limit, offset)
    return page_from(rows, total, limit, offset)


# --------------------------------------------------------------------------------- search


class SearchPage(Page):
    query: str
    engine: str  # "fts5", or "like" while the index is missing or out of date


@router.get("/search", response_model=SearchPage, summary="Full-text search over documents and quotes")
def search_store(
    request: Request,
    q: Annotated[str, Query(max_length=500, description='Words, "a phrase", or a prefix*; every word must match.')],
    kind: Annotated[list[str] | None, Query(description="document and/or quote (default: both).")] = None,
    limit: Annotated[int, Query(ge=1, le=100)] = 20, offset: Offset = 0,
) -> SearchPage:
    with engine_of(request).connect() as conn:
        found = search(conn, q, kinds=kind or KINDS, limit=limit, offset=offset)
    page = page_from(found.hits, found.total, limit, offset)
    return SearchPage(**page.model_dump(), query=q, engine=found.engine)


@router.post("/documents", status_code=201, summary="Add one report: ingest, extract and index it (only with --writable)")
def add_document(request: Request, report: NewReport, response: Response) -> dict[str, Any]:
    if not request.app.state.writable:
        raise HTTPException(
            status_code=403, detail="The app is read-only. Restart it with `detente serve --writable` to add reports."
        )
    try:
        added = add_report(engine_of(request), report)
    except ReportRejected as err:
        raise HTTPException(status_code=422, detail=f"The report could not be read: {err}") from err
    except ExtractorMissing as err:
        raise HTTPException(status_code=503, detail=str(err)) from err
    if not added["added"]:
        response.status_code = 200  # the same text was stored before: nothing new
    return added
