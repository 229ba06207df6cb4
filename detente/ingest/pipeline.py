"""The ingest job: read → clean → metadata → near-duplicates → store.

Two passes over the input. The first only counts short lines per outlet, so a
line that one outlet prints under every article (its menu, its footer) can be
recognised as boilerplate; the second cleans and stores. Writes go in small
transactions: an interrupted run keeps what it committed, and a re-run skips
what is already stored.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field

from sqlalchemy import Engine

from detente.ingest.clean import clean_text, repeatable_lines
from detente.ingest.metadata import guess_outlet
from detente.ingest.decode import DecodeError, decode_bytes
from detente.ingest.dedup import (
    MAX_PASSAGE_CANDIDATES,
    MIN_SHARED_PASSAGES,
    overlap,
    passage_fingerprints,
    relation_for,
    shingles,
    band_hashes,
    signature,
)
from detente.ingest.html import HtmlError, read_html
from detente.ingest.published import normalise_published
from detente.ingest.repeats import OutletLineCounts
from detente.ingest.sources import DEFAULT_MAX_BYTES, SourceError, SourceItem, iter_sources
from detente.store import documents as store

BATCH_SIZE = 50


class SkipItem(ValueError):
    """This item cannot become a document; the message says why."""


@dataclass
class IngestReport:
    added: int = 0
    already_stored: int = 0
    duplicates: list[tuple[str, str, str]] = field(default_factory=list)  # (doc, original, relation)
    errors: list[SourceError] = field(default_factory=list)

    @property
    def read(self) -> int:
        return self.added + self.already_stored


@dataclass
class PreparedDocument:
    row: dict
    shingles: set[bytes]


def ingest(
    engine: Engine,
    paths: Iterable[str],
    max_bytes: int = DEFAULT_MAX_BYTES,
    stdin=None,
    on_item: Callable[[str], None] | None = None,
) -> IngestReport:
    paths = list(paths)
    sources = _replayable_sources(paths, max_bytes, stdin)
    repeated = _repeated_lines_by_outlet(sources())
    report = IngestReport()
    pending: list[SourceItem | SourceError] = []
    for item in sources():
        pending.append(item)
        if len(pending) >= BATCH_SIZE:
            _write_batch(engine, pending, repeated, report, on_item)
            pending = []
    if pending:
        _write_batch(engine, pending, repeated, report, on_item)
    return report


def _replayable_sources(paths: list[str], max_bytes: int, stdin) -> Callable[[], Iterable]:
    """Files can be read twice; standard input only once, so it is kept (it is size-limited)."""
    if "-" in paths:
        items = list(iter_sources(paths, max_bytes, stdin))
        return lambda: items
    return lambda: iter_sources(paths, max_bytes)


def _repeated_lines_by_outlet(items: Iterable[SourceItem | SourceError]) -> OutletLineCounts:
    counts = OutletLineCounts()
    for item in items:
        if not isinstance(item, SourceItem) or item.reader == "html":
            continue
        try:
            raw = _raw_text(item)
        except DecodeError:
            continue
        outlet = item.fields.get("outlet") or guess_outlet(raw)
        if outlet:
            counts.add(outlet, repeatable_lines(raw))
    return counts


def _write_batch(engine, items, repeated, report: IngestReport, on_item) -> None:
    with engine.begin() as conn:
        for item in items:
            if on_item:
                on_item(item.uri)
            if isinstance(item, SourceError):
                _fail(conn, report, item)
                continue
            try:
                prepared = _prepare(item, repeated)
            except (DecodeError, HtmlError, SkipItem) as err:
                _fail(conn, report, SourceError(item.uri, str(err)))
                continue
            row = prepared.row
            if store.content_known(conn, row["content_hash"], row["id"]):
                report.already_stored += 1
                continue
            bands = band_hashes(signature(prepared.shingles))
            passages = passage_fingerprints(row["text"])
            candidates = set(store.documents_sharing_bands(conn, bands))
            candidates.update(store.documents_sharing_passages(conn, passages, MIN_SHARED_PASSAGES, MAX_PASSAGE_CANDIDATES))
            store.insert_document(conn, row, bands, passages)
            _link_duplicate(conn, row, prepared.shingles, sorted(candidates), report)
            report.added += 1


def _fail(conn, report: IngestReport, error: SourceError) -> None:
    store.record_error(conn, error.uri, error.reason)
    report.errors.append(error)


def _raw_text(item: SourceItem) -> str:
    if item.text is not None:
        return item.text
    return decode_bytes(item.data or b"")


def _prepare(item: SourceItem, repeated: OutletLineCounts) -> PreparedDocument:
    raw = _raw_text(item)
    fields = dict(item.fields)
    if item.reader == "html":
        article = read_html(raw, url=None)
        raw, fields = article.text, {**article.fields, **fields}
    outlet_hint = fields.get("outlet") or guess_outlet(raw)
    cleaned = clean_text(raw, repeated.repeated(outlet_hint))
    if not cleaned.text.strip():
        raise SkipItem("nothing left after removing web boilerplate")
    meta = cleaned.metadata
    published, published_text = _published(fields, meta)
    row = {
        "id": _stable_id(cleaned.text),
        "content_hash": hashlib.sha256(raw.encode("utf-8")).hexdigest(),
        "uri": fields.get("url") or item.uri,
        "title": fields.get("title") or meta.title,
        "outlet": fields.get("outlet") or meta.outlet,
        "author": fields.get("author") or meta.author,
        "published": published,
        "published_text": published_text,
        "text": cleaned.text,
        "removed": cleaned.removed,
        "attributed_to": meta.attributed_to,
        "reader": item.reader,
        "ingested_at": store.now_iso(),
    }
    return PreparedDocument(row=row, shingles=shingles(cleaned.text))


def _published(fields: dict[str, str], meta) -> tuple[str | None, str | None]:
    """A field's date (JSONL `published`, HTML markup) over the text's own; a field that cannot be read
    as a date ("n/a", "last week") leaves the text to say it. Returns the date and the words it came from."""
    given = fields.get("published")
    found = normalise_published(given) if given else None
    if found:
        return found, fields.get("published_text") or given
    return meta.published, meta.published_text


def _stable_id(clean: str) -> str:
    return hashlib.sha256(clean.encode("utf-8")).hexdigest()[:16]


def _link_duplicate(conn, row: dict, mine: set[bytes], candidates: list[str], report: IngestReport) -> None:
    best = None
    for other_id in candidates:
        if other_id == row["id"]:
            continue
        other = store.document_brief(conn, other_id)
        text = store.document_text(conn, other_id)
        if other is None or text is None:
            continue
        found = overlap(mine, shingles(text))
        relation = relation_for(found, _credits(row, other) or _credits(other, row))
        if relation and (best is None or found.containment > best[2].containment):
            best = (other, relation, found)
    if best is None:
        return
    other, relation, found = best
    later, original = _order(row, other)
    similarity = round(found.jaccard if relation == "copy" else found.containment, 3)
    store.mark_duplicate(conn, later["id"], original["id"], relation, similarity)
    report.duplicates.append((later["id"], original["id"], relation))


def _credits(doc: dict, other: dict) -> bool:
    """Does `doc` say it is retelling `other` ("according to <other's outlet>")?"""
    return bool(doc.get("attributed_to") and other.get("outlet") and doc["attributed_to"] == other["outlet"])


def _order(new: dict, old: dict) -> tuple[dict, dict]:
    """(later, original): the one that credits the other is the retelling; else the later date; else the new one."""
    if _credits(new, old):
        return new, old
    if _credits(old, new):
        return old, new
    if new.get("published") and old.get("published") and new["published"] < old["published"]:
        return old, new
    return new, old
