"""What every page needs to point a fact back at its sentence: the store handle, documents, sentences.

Pages receive whatever the caller holds (the report an Engine, the web app
maybe a Connection); the store's read functions want an Engine, so `engine_of`
accepts both. Sentences are cut from the document's clean text around a
fact's span, so a reader sees the fact in its words without opening the
document.
"""

from __future__ import annotations

import bisect
import re
from functools import lru_cache

from sqlalchemy import Connection, Engine, select

from detente.store.schema import documents

# A sentence ends at . ! ? (and closing quotes) before whitespace, unless a title or an initial ends there.
_SENTENCE_END = re.compile(r"(?<!\bMr)(?<!\bMrs)(?<!\bMs)(?<!\bDr)(?<!\bSt)(?<![A-Z])[.!?][\"”’')]*(?=\s)|\n\s*\n")
_REACH = 800  # characters looked at on each side of a span for its sentence's ends
_LONGEST_SIDE = 300  # characters of context kept on each side of a span in a very long sentence
LOW_CONFIDENCE = 0.5  # facts below this are listed for a human look


def engine_of(conn: Engine | Connection) -> Engine:
    """The Engine behind whatever handle a caller passed."""
    return conn.engine if isinstance(conn, Connection) else conn


def document_briefs(engine: Engine) -> dict[str, dict]:
    """id → title, outlet, published, uri: what a source line shows."""
    query = select(documents.c.id, documents.c.title, documents.c.outlet, documents.c.published, documents.c.uri)
    with engine.connect() as conn:
        return {r.id: dict(r._mapping) for r in conn.execute(query)}


def document_texts(engine: Engine, ids: set[str] | None = None) -> dict[str, str]:
    query = select(documents.c.id, documents.c.text)
    if ids is not None:
        query = query.where(documents.c.id.in_(sorted(ids)))
    with engine.connect() as conn:
        return {r.id: r.text for r in conn.execute(query)}


def sentence_around(text: str, start: int, end: int) -> str:
    """The sentence (or sentences) holding text[start:end], on one line."""
    start, end = max(0, min(start, len(text))), max(0, min(end, len(text)))
    starts, ends, breaks = _sentence_ends(text)
    before = bisect.bisect_right(ends, start) - 1  # the last sentence end at or before the span
    left = ends[before] if before >= 0 and ends[before] >= start - _REACH else max(0, start - _REACH)
    after = bisect.bisect_left(starts, end)  # the first sentence end after it
    if after < len(starts) and starts[after] <= end + _REACH:
        stop = starts[after] if breaks[after] else ends[after]
    else:
        stop = min(len(text), end + _REACH)
    stop = max(stop, end)
    # A run-on "sentence" (a text without full stops) is cut to the span and some words either side.
    cut_left = "…" if start - left > _LONGEST_SIDE else ""
    cut_right = "…" if stop - end > _LONGEST_SIDE else ""
    left, stop = max(left, start - _LONGEST_SIDE), min(stop, end + _LONGEST_SIDE)
    return cut_left + " ".join(text[left:stop].split()) + cut_right


@lru_cache(maxsize=64)
def _sentence_ends(text: str) -> tuple[list[int], list[int], list[bool]]:
    """Where each sentence end starts and stops, and whether it is a paragraph break; found once per text."""
    found = list(_SENTENCE_END.finditer(text))
    return [m.start() for m in found], [m.end() for m in found], [m.group().startswith("\n") for m in found]


def source_of(brief: dict | None, doc: str) -> dict:
    """The fields a source line shows, for a document that may have been deleted meanwhile."""
    brief = brief or {}
    return {
        "doc": doc,
        "title": brief.get("title") or doc,
        "outlet": brief.get("outlet"),
        "published": brief.get("published"),
    }


def fact_key(kind: str, row_id: int | str) -> str:
    """A fact's anchor name, unique across the store: 'quote-12'."""
    return f"{kind}-{row_id}"
