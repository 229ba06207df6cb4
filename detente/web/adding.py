"""Adding one report from the app, the one write `--writable` allows: ingest it, extract it, index it.

It goes through the same pipeline as `detente ingest -` and `detente
extract`: the report is read as one JSONL line, so cleaning, metadata,
near-duplicate detection and the actor registry stored with `detente actors
import` all apply, and the search index is rebuilt at the end. One report is
added at a time, whatever the number of requests.
"""

from __future__ import annotations

import io
import json
import threading

from pydantic import BaseModel, Field
from sqlalchemy import Engine, select

from detente.ingest.sources import DEFAULT_MAX_BYTES
from detente.store.schema import documents

_one_at_a_time = threading.Lock()


class NewReport(BaseModel):
    """A news report as a user pastes it: the text, and what they know about where it came from."""

    text: str = Field(min_length=1, max_length=DEFAULT_MAX_BYTES, description="The report's text (plain text).")
    title: str | None = Field(None, max_length=1000)
    published: str | None = Field(None, max_length=40, description="Publication date, e.g. 2015-01-14; relative dates are read against it.")
    url: str | None = Field(None, max_length=4000)
    outlet: str | None = Field(None, max_length=500)
    author: str | None = Field(None, max_length=500)


class ReportRejected(ValueError):
    """The report could not be read; the message says why (as `detente errors` would)."""


class ExtractorMissing(RuntimeError):
    """No spaCy model is installed, so the report was stored but nothing was read from it yet."""


def add_report(engine: Engine, report: NewReport) -> dict:
    """{"added": [ids], "already_stored": n, "duplicates": [...], "extracted": {counts}}."""
    # The NLP stack loads only when a report is added, not for every app that just reads.
    from detente.ingest.pipeline import ingest
    from detente.nlp.extract import extract_store
    from detente.nlp.pipeline import ModelNotFound
    from detente.nlp.actors.registry import ActorRegistry
    from detente.store.registry import stored_registry_actors

    line = json.dumps(report.model_dump(exclude_none=True), ensure_ascii=False) + "\n"
    with _one_at_a_time:
        before = _document_ids(engine)
        read = ingest(engine, ["-"], stdin=io.BytesIO(line.encode("utf-8")))
        if read.errors:
            raise ReportRejected(read.errors[0].reason)
        added = sorted(_document_ids(engine) - before)
        registry = ActorRegistry.load(None).with_actors(stored_registry_actors(engine), override=False)
        try:
            extracted = extract_store(engine, registry, only=added) if added else None
        except ModelNotFound as err:
            raise ExtractorMissing(f"{err} The report is stored; `detente extract` reads it once a model is installed.") from err
    return {
        "added": added,
        "already_stored": read.already_stored,
        "duplicates": [{"doc": doc, "original": original, "relation": relation} for doc, original, relation in read.duplicates],
        "extracted": None if extracted is None else {
            "documents": extracted.documents, "mentions": extracted.mentions, "quotes": extracted.quotes,
            "events": extracted.events, "stances": extracted.stances, "claims": extracted.claims,
            "disputes": extracted.disputes,
        },
    }


def _document_ids(engine: Engine) -> set[str]:
    with engine.connect() as conn:
        return set(conn.execute(select(documents.c.id)).scalars())
