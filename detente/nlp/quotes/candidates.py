"""Finding quotations in a parsed document: direct, indirect and mixed.

The steps live in a module each: `marks` pairs quotation marks, `labels`
reads headline and sign-off labels, `speakers` finds who a cue gives the
words to, `direct` and `indirect` (with `complements`) find the quotes; the
cue words are data in `speech_verbs.yaml`, read by `lexicon`.

A quotation is the backbone of "who said what": the orchestrator turns every
candidate found here into a quote record once `attribution` has linked its
speaker to an actor.

Span convention (the same for every kind): `start`/`end` cover the quoted
words only, never the cue clause. For a direct quote that is the text from the
opening mark to the closing mark, both included (to the paragraph end when the
closing mark is missing); `content` is the text between the marks. For an
indirect or mixed quote it is the reported clause ("said that <clause>"), and
`content` is that same text, so any quotation marks of a mixed quote's quoted
fragment are part of it. The one exception is a cue set inside the words it
reports ("The talks, she said, will resume"): the span runs over the whole
sentence and `content` leaves the cue out ("The talks will resume"). Otherwise
`content == text[content_start:content_end]`.

The speaker is kept as the words that name it (`speaker_text`, appositions
included) and the name inside them (`speaker_start`/`speaker_end`), which
`attribution` links to an actor.

The work reuses the parse already in the Doc (dependency tree and sentences);
quotation marks are found with one precompiled regular expression. Nothing here
runs the model again.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from detente.nlp.quotes.direct import classify_fragments, direct_quotes
from detente.nlp.quotes.docview import DocView
from detente.nlp.quotes.indirect import indirect_quotes
from detente.nlp.quotes.labels import single_marked_spans
from detente.nlp.quotes.lexicon import SpeechLexicon, cue_weight, load_lexicon
from detente.nlp.quotes.marks import pair_marks
from detente.nlp.quotes.quote_candidate import DIRECT, INDIRECT, MIXED, QuoteCandidate
from detente.nlp.quotes.speakers import speaker_span
from detente.nlp.token_table import token_table

if TYPE_CHECKING:
    from spacy.tokens import Doc

__all__ = ["DIRECT", "INDIRECT", "MIXED", "QuoteCandidate", "SpeechLexicon", "cue_weight", "find_quotes",
           "load_lexicon", "speaker_span"]


def find_quotes(doc: Doc) -> list[QuoteCandidate]:
    """All quotations in a parsed document, each with its speaker's words if found.

    The speaker is left as text here; `attribution.attribute_quotes` links it
    to an actor once the document's actor mentions are known.
    """
    lexicon = load_lexicon()
    text = token_table(doc).text
    if not text.strip():
        return []
    view = DocView(doc, text)
    spans = pair_marks(text, view.paras, lexicon.closing_cue_words)
    spans = sorted(spans + single_marked_spans(text, spans), key=lambda s: s.open)
    classify_fragments(spans, view, lexicon)
    view.mark_quoted(spans)
    indirect = indirect_quotes(spans, view, lexicon)
    direct = direct_quotes(spans, indirect, view, lexicon)
    found = sorted(indirect + direct, key=lambda c: (c.start, c.end))
    _carry_speakers(found, view)
    return found


def _carry_speakers(found: list[QuoteCandidate], view: DocView) -> None:
    """'“We will not give up,” he said, adding that the truce would hold': the gerund's words are his too.

    A cue in "-ing" with no subject of its own goes on with the speaker of the
    quote just before it in the same paragraph.
    """
    for k, cand in enumerate(found):
        if cand.speaker_start is not None or not (cand.cue or "").endswith("ing"):
            continue
        para = view.paras.start_before(cand.start)
        before = [c for c in found[:k] if c.speaker_start is not None and c.start >= para and c.end <= cand.start]
        if before:
            last = before[-1]
            cand.speaker_start, cand.speaker_end, cand.speaker_text = last.speaker_start, last.speaker_end, last.speaker_text
            cand.speaker_text_start, cand.speaker_text_end = last.speaker_text_start, last.speaker_text_end
            cand.confidence = round(cand.confidence * 0.9, 3)
