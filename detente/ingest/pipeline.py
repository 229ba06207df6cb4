"""The ingest job: read → clean → metadata → near-duplicates → store.

Three passes over the input. The first hashes each input as read and finds
those already stored (one query per thousand), which the others then skip
before cleaning: a re-run over a stored folder costs a read, not a clean. The
second counts short lines per outlet, so a line that one outlet prints under
every article (its menu, its footer) can be recognised as boilerplate; it is
left out when every input is stored. The third cleans and stores. Each pass
does its per-document work on worker processes (parallel.py) and keeps the
input order.
Each batch is written in one transaction, with one query per kind of lookup
(stored already? copy or rewrite candidates?) rather than one per document:
an interrupted run keeps what it committed.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field

from sqlalchemy import Engine

from detente.ingest.clean import clean_units, repeatable_units, split_units
from detente.ingest.decode import DecodeError, decode_bytes
from detente.ingest.dedup import band_hashes, passage_fingerprints_of_words, shingles_of_words, signature, words_of
from detente.ingest.duplicates import NewDocument, find_candidates, link_duplicates
from detente.ingest.metadata import outlet_of_units, read_header
from detente.ingest.parallel import default_processes, ordered_map
from detente.ingest.html import HtmlError, read_html
from detente.ingest.published import normalise_published
from detente.ingest.repeats import OutletLineCounts
from detente.ingest.sources import DEFAULT_MAX_BYTES, SourceError, SourceItem, iter_sources
from detente.store import documents as store

# Documents per write transaction. A commit writes every index page the batch's fingerprints touched
# (hashes, so spread over the whole index); at 50 documents a batch shared few pages, and the commit's
# cost grew with the store. SQLite's other writers wait for a batch up to their busy timeout (5 s):
# a batch of 250 takes well under a second of CPU.
BATCH_SIZE = 250
IN_PROCESS_FIRST = 50  # done here before any worker starts: a small input never pays for starting them
# Content hashes per "stored already?" query between the passes.
KNOWN_CHUNK = 1000


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
    bands: list[int]
    passages: set[int]


def ingest(
    engine: Engine,
    paths: Iterable[str],
    max_bytes: int = DEFAULT_MAX_BYTES,
    stdin=None,
    on_item: Callable[[str], None] | None = None,
    processes: int | None = None,
) -> IngestReport:
    """`processes`: how many processes clean and fingerprint documents (default: the cores, up to four);
    the store is written by this one, in input order, so the result does not depend on it."""
    paths = list(paths)
    processes = default_processes() if processes is None else processes
    sources = _replayable_sources(paths, max_bytes, stdin)
    stored, fresh = _stored_inputs(engine, sources(), processes)
    repeated = _repeated_lines_by_outlet(sources(), processes) if fresh else OutletLineCounts()
    report = IngestReport()
    pending: list[tuple[SourceItem | SourceError | StoredInput, PreparedDocument | SourceError | StoredInput]] = []
    try:
        for done in ordered_map(_prepare_or_error, _unstored(sources(), stored), repeated, processes, IN_PROCESS_FIRST):
            pending.append(done)
            if len(pending) >= BATCH_SIZE:
                _write_batch(engine, pending, report, on_item)
                pending = []
        if pending:
            _write_batch(engine, pending, report, on_item)
    finally:  # what runs next on this engine (`detente run` extracts) does not keep ingest's cache
        with engine.connect() as conn:
            store.narrow_page_cache(conn)
    return report


@dataclass
class StoredInput:
    """An input the first pass found stored: it goes through the later passes as its source alone."""

    uri: str


def _unstored(items: Iterable[SourceItem | SourceError], stored: dict[int, int]) -> Iterator:
    """The items, those the first pass found stored as a StoredInput.

    An item is matched to the first pass's by its position and its source and size (`_identity`), so
    a folder that gains or loses a file between the passes skips nothing it should not.
    """
    for position, item in enumerate(items):
        yield StoredInput(item.uri) if stored.get(position) == _identity(item) else item


def _identity(item: SourceItem | SourceError) -> int:
    size = len(item.data) if getattr(item, "data", None) is not None else len(getattr(item, "text", None) or "")
    return hash((item.uri, size))


def _replayable_sources(paths: list[str], max_bytes: int, stdin) -> Callable[[], Iterable]:
    """Files can be read twice; standard input only once, so it is kept (it is size-limited)."""
    if "-" in paths:
        items = list(iter_sources(paths, max_bytes, stdin))
        return lambda: items
    return lambda: iter_sources(paths, max_bytes)


def _stored_inputs(engine: Engine, items: Iterable[SourceItem | SourceError], processes: int) -> tuple[dict[int, int], bool]:
    """The inputs already stored (position -> `_identity`), and whether any input is to be cleaned.

    Stored means that a stored document has this input's content hash: the check the last pass
    makes after cleaning, made here on the text as read, so that the passes after this one skip
    those inputs before cleaning them. The hash is of the whole input, so a file changed in any way is
    cleaned and stored anew (a path, size and time would miss an edit within the clock's tick, and
    see a copied or touched file as new); and it is the hash every stored document already has,
    so a store of an older version gains too. HTML pages are not skipped: theirs is the hash of
    the article text, found only by reading the page.
    """
    stored: dict[int, int] = {}
    fresh = False
    waiting: dict[str, list[tuple[int, int]]] = {}  # content hash -> (position, identity) of its inputs
    hashed = ordered_map(_content_hash_of, items, None, processes, IN_PROCESS_FIRST)
    for position, (item, content_hash) in enumerate(hashed):
        if content_hash is not None:
            waiting.setdefault(content_hash, []).append((position, _identity(item)))
        elif isinstance(item, SourceItem):  # an HTML page, or an input the last pass will report
            fresh = True
        if len(waiting) >= KNOWN_CHUNK:
            fresh |= _collect_stored(engine, waiting, stored)
            waiting = {}
    if waiting:
        fresh |= _collect_stored(engine, waiting, stored)
    return stored, fresh


def _collect_stored(engine: Engine, waiting: dict[str, list[tuple[int, int]]], stored: dict[int, int]) -> bool:
    """Add the stored ones among `waiting` to `stored`; True when some are not stored."""
    with engine.connect() as conn:
        found = store.stored_content_hashes(conn, waiting)
    stored.update(entry for content_hash in found for entry in waiting[content_hash])
    return len(found) < len(waiting)


def _content_hash_of(item: SourceItem | SourceError, _state=None) -> str | None:
    """The content hash the document made of this input will have; None where that needs the
    cleaning itself: an HTML page's hash is of the article text trafilatura finds in it."""
    if not isinstance(item, SourceItem) or item.reader == "html":
        return None
    try:
        return _content_hash(_raw_text(item))
    except Exception:  # unreadable input is reported by the last pass, which reads it again
        return None


def _repeated_lines_by_outlet(items: Iterable[SourceItem | SourceError], processes: int) -> OutletLineCounts:
    """Over every input, stored ones too, so a new document is cleaned as in a run over the whole folder."""
    counts = OutletLineCounts()
    for _, found in ordered_map(_outlet_lines, items, None, processes, IN_PROCESS_FIRST):
        if found is not None:
            counts.add(*found)
    return counts


def _outlet_lines(item: SourceItem | SourceError, _state=None) -> tuple[str, set[str]] | None:
    """The outlet of a text file or JSONL record and its lines that could be its boilerplate."""
    if not isinstance(item, SourceItem) or item.reader == "html":
        return None
    try:
        raw = _raw_text(item)
        units = split_units(raw)
        outlet = item.fields.get("outlet") or outlet_of_units(units)
    except Exception:  # unreadable input is reported by the last pass, which reads it again
        return None
    return (outlet, repeatable_units(units)) if outlet else None


def _prepare_or_error(
    item: SourceItem | SourceError | StoredInput, repeated: OutletLineCounts
) -> PreparedDocument | SourceError | StoredInput:
    if isinstance(item, (SourceError, StoredInput)):
        return item
    try:
        return _prepare(item, repeated)
    except (DecodeError, HtmlError, SkipItem) as err:
        return SourceError(item.uri, str(err))
    except Exception as err:  # a bug met by one odd input must not cost the batch its good documents
        return SourceError(item.uri, f"could not be processed ({type(err).__name__}: {err}); please report it")


def _write_batch(engine, done: list[tuple], report: IngestReport, on_item) -> None:
    """Write a batch of prepared documents (and the errors among them) in one transaction."""
    prepared: list[tuple[str, PreparedDocument]] = []
    errors: list[SourceError] = []
    skipped: list[str] = []  # found stored by the first pass: counted, and cleared of old errors
    for item, result in done:
        if on_item:
            on_item(item.uri)
        if isinstance(result, SourceError):
            errors.append(result)
        elif isinstance(result, StoredInput):
            skipped.append(result.uri)
        else:
            prepared.append((item.uri, result))
    report.already_stored += len(skipped)
    with engine.begin() as conn:
        store.widen_page_cache(conn)
        batch = _new_documents(conn, [doc for _, doc in prepared], report)
        find_candidates(conn, batch)
        marks = link_duplicates(conn, batch)
        store.insert_documents(
            conn,
            [doc.row for doc in batch],
            [(doc.row["id"], band) for doc in batch for band in doc.bands],
            [(doc.row["id"], f) for doc in batch for f in doc.stored_passages],
        )
        store.mark_duplicates(
            conn, [{"doc": m.later, "original": m.original, "relation": m.relation, "similarity": m.similarity} for m in marks]
        )
        store.forget_errors(conn, [uri for uri, _ in prepared] + skipped)
        store.record_errors(conn, [(error.uri, error.reason) for error in errors])
    report.added += len(batch)
    report.duplicates.extend((m.later, m.original, m.relation) for m in marks)
    report.errors.extend(errors)


def _new_documents(conn, prepared: list[PreparedDocument], report: IngestReport) -> list[NewDocument]:
    """The prepared documents not stored yet (same input, or input cleaning to the same text), each once."""
    hashes, ids = store.known_documents(conn, [p.row["content_hash"] for p in prepared], [p.row["id"] for p in prepared])
    batch = []
    for doc in prepared:
        row = doc.row
        if row["content_hash"] in hashes or row["id"] in ids:
            report.already_stored += 1
            continue
        hashes.add(row["content_hash"])
        ids.add(row["id"])
        batch.append(NewDocument(row, doc.bands, doc.passages))
    return batch


def _raw_text(item: SourceItem) -> str:
    if item.text is not None:
        return item.text
    return decode_bytes(item.data or b"")


def _prepare(item: SourceItem, repeated: OutletLineCounts) -> PreparedDocument:
    """Everything that needs no store: decoding, cleaning, metadata and the duplicate fingerprints."""
    raw = _raw_text(item)
    fields = dict(item.fields)
    if item.reader == "html":
        article = read_html(raw, url=None)
        raw, fields = article.text, {**article.fields, **fields}
    units = split_units(raw)
    header = read_header(units)
    outlet_hint = fields.get("outlet") or header.metadata.outlet
    cleaned = clean_units(units, header, repeated.repeated(outlet_hint))
    if not cleaned.text.strip():
        raise SkipItem("nothing left after removing web boilerplate")
    meta = cleaned.metadata
    published, published_text = _published(fields, meta)
    row = {
        "id": _stable_id(cleaned.text),
        "content_hash": _content_hash(raw),
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
    words = words_of(cleaned.text)
    return PreparedDocument(row, band_hashes(signature(shingles_of_words(words))), passage_fingerprints_of_words(words))


def _published(fields: dict[str, str], meta) -> tuple[str | None, str | None]:
    """A field's date (JSONL `published`, HTML markup) over the text's own; a field that cannot be read
    as a date ("n/a", "last week") leaves the text to say it. Returns the date and the words it came from."""
    given = fields.get("published")
    found = normalise_published(given) if given else None
    if found:
        return found, fields.get("published_text") or given
    return meta.published, meta.published_text


def _content_hash(raw: str) -> str:
    """Of the text as read, before cleaning: the same input gives the same hash in both passes."""
    return hashlib.sha256(raw.encode("utf-8")).hexdigest()


def _stable_id(clean: str) -> str:
    return hashlib.sha256(clean.encode("utf-8")).hexdigest()[:16]
