"""Extraction of one document: actors and roles, dates, quotes, events, stances, claims.

`extract_doc` works on one parsed text and returns plain records (used by
`extract-text`, no store needed). `extract_store` runs it over every stored
document this extractor version has not done (here, in worker processes or on
a Dask cluster: see `work` and `dask_runs`), and writes each document in its
own transaction.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass, field

from sqlalchemy import Engine
from spacy.tokens import Doc

from detente.analysis.dispute_refresh import refresh_disputes
from detente.analysis.timeline_refresh import refresh_timeline
from detente.nlp.actors.document_actors import DocumentActors, find_actors
from detente.nlp.quotes.attribution import attribute_quotes
from detente.nlp.claims.figures import find_claims
from detente.nlp.dates.expressions import TimeExpression, find_dates
from detente.nlp.events.document_events import find_events
from detente.nlp.actors.identity import ActorIndex
from detente.nlp.quotes.candidates import find_quotes
from detente.nlp.records import ActorRecord, ClaimRecord, EventRecord, QuoteRecord, StanceRecord
from detente.nlp.actors.registry import ActorRegistry
from detente.nlp.stances.document_stances import find_stances
from detente.nlp.stances.targets import TargetRegistry
from detente.nlp.work import ExtractionJob, in_process, in_processes, items_of
from detente.store import extraction as store
from detente.store.schema import affiliations, claims, dates, events, mentions, quotes, stances

EXTRACTOR = "core"
EXTRACTOR_VERSION = "3"
EXTRACTOR_TAG = f"{EXTRACTOR}/{EXTRACTOR_VERSION}"


@dataclass
class DocumentExtraction:
    actors: DocumentActors
    dates: list[TimeExpression]
    quotes: list[QuoteRecord] = field(default_factory=list)
    events: list[EventRecord] = field(default_factory=list)
    stances: list[StanceRecord] = field(default_factory=list)
    claims: list[ClaimRecord] = field(default_factory=list)


@dataclass
class ExtractReport:
    documents: int = 0
    mentions: int = 0
    quotes: int = 0
    dates: int = 0
    events: int = 0
    stances: int = 0
    claims: int = 0
    disputes: int = 0
    actors: set[str] = field(default_factory=set)


def extract_doc(
    doc: Doc, registry: ActorRegistry, published: str | None, targets: TargetRegistry | None = None
) -> DocumentExtraction:
    found_actors = find_actors(doc, registry, published)
    found_dates = find_dates(doc, published)
    found_quotes = attribute_quotes(doc, find_quotes(doc), found_actors.mentions)
    for quote in found_quotes:
        _date_quote(quote, found_dates, published)
    return DocumentExtraction(
        found_actors,
        found_dates,
        found_quotes,
        events=find_events(doc, found_actors, found_dates, published),
        stances=find_stances(doc, found_actors, found_dates, found_quotes, targets or TargetRegistry.builtin(), published),
        claims=find_claims(doc, found_actors, found_dates, found_quotes, published),
    )


def _date_quote(quote: QuoteRecord, found: list[TimeExpression], published: str | None) -> None:
    """A statement is dated by the date on its cue ("said Wednesday"), else by the publication date.

    A date inside the quoted words dates what is reported, not the statement.
    """
    if quote.date_text:
        same_words = [d for d in found if d.text == quote.date_text]
        if same_words:
            nearest = min(same_words, key=lambda d: min(abs(d.start - quote.end), abs(quote.start - d.end)))
            quote.date = nearest.value
            return
        quote.date_text = None
    quote.date = published


def extract_store(
    engine: Engine,
    registry: ActorRegistry,
    targets: TargetRegistry | None = None,
    model: str | None = None,
    processes: int = 1,
    only: Iterable[str] = (),
    on_document: Callable[[str], None] | None = None,
    scheduler: str | None = None,
) -> ExtractReport:
    """Extract and write every pending document; the per-document work runs here, in `processes`
    worker processes, or on the Dask cluster at `scheduler` ("local" starts one), with the same records."""
    pending = store.pending_documents(engine, EXTRACTOR, EXTRACTOR_VERSION, only)
    report = ExtractReport()
    if not pending:
        # A run killed before its disputes or timeline were written left them stale: the store says so.
        report.disputes = refresh_disputes(engine)
        refresh_timeline(engine)
        return report
    job = ExtractionJob(registry, targets or TargetRegistry.builtin(), model)
    index = ActorIndex(store.known_actors(engine))
    written: set[str] = set()
    for doc_id, result in _extractions(job, items_of(pending), processes, scheduler):
        if doc_id in written:  # a retried task's second answer: the document is already stored
            continue
        if on_document:
            on_document(doc_id)
        with engine.begin() as conn:
            _write(conn, doc_id, result, index, report)
        written.add(doc_id)
        report.documents += 1
    # Disputes and the merged timeline span documents: what touches the new ones follows every batch.
    report.disputes = refresh_disputes(engine)
    refresh_timeline(engine)
    return report


def _extractions(job: ExtractionJob, items: list, processes: int, scheduler: str | None):
    if scheduler:
        from detente.nlp.dask_runs import on_dask  # Dask is imported only when asked for

        return on_dask(job, items, scheduler, workers=processes if processes > 1 else None)
    if processes > 1:
        return in_processes(job, items, processes)
    return in_process(job, items)


def _write(conn, doc_id: str, result: DocumentExtraction, index: ActorIndex, report: ExtractReport) -> None:
    store.clear_document(conn, doc_id, EXTRACTOR)
    ids = {}
    for local_id, record in result.actors.actors.items():
        global_id = index.resolve(record)
        ids[local_id] = global_id
        store.upsert_actor(conn, ActorRecord(global_id, record.name, record.kind, record.country, record.aliases))
        report.actors.add(global_id)
    common = {"doc": doc_id, "extractor": EXTRACTOR_TAG}
    store.insert_rows(conn, mentions, [
        {**common, "actor": ids.get(m.actor, m.actor), "text": m.text, "start": m.start, "end": m.end, "confidence": m.confidence}
        for m in result.actors.mentions if ids.get(m.actor)
    ])
    store.insert_rows(conn, affiliations, [
        {
            **common, "actor": ids[a.actor], "organization": ids.get(a.organization, a.organization),
            "organization_text": a.organization_text, "role": a.role, "start": a.start, "end": a.end,
            "span_start": a.span_start, "span_end": a.span_end, "confidence": a.confidence,
        }
        for a in result.actors.affiliations if a.actor in ids
    ])
    store.insert_rows(conn, dates, [
        {**common, "text": d.text, "value": d.value, "precision": d.precision, "start": d.start, "end": d.end, "confidence": d.confidence}
        for d in result.dates
    ])
    store.insert_rows(conn, quotes, [
        {
            **common, "speaker": ids.get(q.speaker) if q.speaker else None, "speaker_text": q.speaker_text,
            "cue": q.cue, "content": q.content, "kind": q.kind, "date": q.date, "date_text": q.date_text,
            "start": q.start, "end": q.end, "confidence": q.confidence,
        }
        for q in result.quotes
    ])
    store.insert_rows(conn, events, [
        {
            **common, "type": e.type, "mode": e.mode, "actors": _ids(e.actors, ids), "recipients": _ids(e.recipients, ids),
            "actors_text": e.actors_text or None, "recipients_text": e.recipients_text or None, "date": e.date, "date_text": e.date_text, "location": e.location, "status": e.status, "text": e.text,
            "start": e.start, "end": e.end, "confidence": e.confidence,
        }
        for e in result.events
    ])
    store.insert_rows(conn, stances, [
        {
            **common, "actor": ids[s.actor], "target": ids.get(s.target, s.target), "polarity": s.polarity,
            "target_name": s.target_name, "target_text": s.target_text,
            "condition": s.condition, "date": s.date, "start": s.start, "end": s.end, "confidence": s.confidence,
        }
        for s in result.stances if s.actor in ids
    ])
    store.insert_rows(conn, claims, [
        {
            **common, "subject": ids.get(c.subject, c.subject), "property": c.property, "value": c.value, "low": c.low,
            "high": c.high, "qualifier": c.qualifier, "unit": c.unit, "date": c.date,
            "attributed_to": ids.get(c.attributed_to, c.attributed_to) if c.attributed_to else None,
            "source_text": c.source_text, "start": c.start, "end": c.end, "confidence": c.confidence,
        }
        for c in result.claims
    ])
    store.mark_extracted(conn, doc_id, EXTRACTOR, EXTRACTOR_VERSION)
    report.mentions += len(result.actors.mentions)
    report.quotes += len(result.quotes)
    report.dates += len(result.dates)
    report.events += len(result.events)
    report.stances += len(result.stances)
    report.claims += len(result.claims)


def _ids(local: list[str], ids: dict[str, str]) -> list[str]:
    """Actor ids of this document mapped to the store's, in order, without repeats."""
    return list(dict.fromkeys(ids.get(actor, actor) for actor in local))


def text_records(result: DocumentExtraction) -> list[dict]:
    """One text's records in the export contract's shape, each tagged with its kind."""
    names = {actor_id: record.name for actor_id, record in result.actors.actors.items()}
    records: list[dict] = [{"record": "actor", **vars(a)} for a in result.actors.actors.values()]
    records += [{"record": "mention", **vars(m), "actor_name": names.get(m.actor)} for m in result.actors.mentions]
    records += [
        {"record": "affiliation", **vars(a), "actor_name": names.get(a.actor), "organization_name": names.get(a.organization or "")}
        for a in result.actors.affiliations
    ]
    records += [{"record": "date", **vars(d)} for d in result.dates]
    records += [{"record": "quote", **vars(q), "speaker_name": names.get(q.speaker or "")} for q in result.quotes]
    records += [
        {"record": "event", **vars(e), "actors_names": [names.get(a, a) for a in e.actors],
         "recipients_names": [names.get(a, a) for a in e.recipients]}
        for e in result.events
    ]
    records += [{"record": "stance", **vars(s), "actor_name": names.get(s.actor)} for s in result.stances]
    records += [{"record": "claim", **vars(c), "attributed_to_name": names.get(c.attributed_to or "")} for c in result.claims]
    return records
