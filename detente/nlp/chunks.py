"""Texts longer than the parser's limit, parsed in paragraph chunks and joined back into one Doc.

spaCy refuses a text over `nlp.max_length` (1,000,000 characters) because the
parser's memory grows with it; ingest accepts documents up to 5 MB, so one such
document used to fail every extraction of the store. A long text is cut at
paragraph breaks (else line breaks, sentence ends, spaces, and only as a last
resort mid-word) into chunks that end on their separator, each chunk is parsed
alone, and `Doc.from_docs` joins them: the joined text is the original text
character for character, so every span found later points into the whole text.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator
from typing import Any

from spacy.language import Language
from spacy.tokens import Doc

# Small enough that one chunk's parse stays in a few hundred MiB, large enough that cuts are rare.
CHUNK_CHARS = 100_000
# Where a cut may fall, best first: after a blank line, a line break, a sentence end, any space.
_CUTS = (re.compile(r"\n[ \t]*\n\s*"), re.compile(r"\n\s*"), re.compile(r"[.!?][\"'”’)]*\s+"), re.compile(r"\s+"))


def needs_chunks(nlp: Language, text: str) -> bool:
    return len(text) > nlp.max_length


def split_text(text: str, size: int = CHUNK_CHARS) -> list[str]:
    """Consecutive pieces of `text`, each at most `size` characters, that join back to `text` exactly."""
    pieces, start = [], 0
    while len(text) - start > size:
        end = _cut(text, start, start + size)
        pieces.append(text[start:end])
        start = end
    pieces.append(text[start:])
    return pieces


def _cut(text: str, start: int, limit: int) -> int:
    """The last good cut in text[start:limit]: past the separator, so the next chunk starts on a word."""
    window = text[start:limit]
    for pattern in _CUTS:
        last = None
        for last in pattern.finditer(window):
            pass
        if last is not None and last.end() > len(window) // 2:
            return start + last.end()
    return limit


def parse_long(nlp: Language, text: str) -> Doc:
    """One Doc over the whole text, parsed chunk by chunk."""
    docs = list(nlp.pipe(split_text(text, min(CHUNK_CHARS, nlp.max_length))))
    joined = Doc.from_docs(docs, ensure_whitespace=False)
    if joined.text != text:  # from_docs would silently shift every offset after a mismatch
        raise RuntimeError("chunked parse lost characters; offsets would not point into the text")
    return joined


def parse_all(nlp: Language, items: Iterable[tuple[str, Any]], batch_size: int = 16) -> Iterator[tuple[Doc, Any]]:
    """`nlp.pipe(items, as_tuples=True)` in order, with texts over the limit parsed in chunks.

    Short texts still go through `nlp.pipe` in batches, so an ordinary corpus is
    parsed exactly as before; a long one waits for the batch before it.
    """
    batch: list[tuple[str, Any]] = []
    for text, context in items:
        if not needs_chunks(nlp, text):
            batch.append((text, context))
            continue
        yield from nlp.pipe(batch, as_tuples=True, batch_size=batch_size)
        batch = []
        yield parse_long(nlp, text), context
    yield from nlp.pipe(batch, as_tuples=True, batch_size=batch_size)


def parse_text(nlp: Language, text: str) -> Doc:
    """`nlp(text)`, or the chunked parse when the text is over the parser's limit."""
    return parse_long(nlp, text) if needs_chunks(nlp, text) else nlp(text)
