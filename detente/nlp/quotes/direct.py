"""Direct quotes: quoted words standing as speech of their own, and the cue that owns each."""

from __future__ import annotations

from typing import TYPE_CHECKING

from detente.nlp.quotes.docview import DocView
from detente.nlp.quotes.labels import label_speaker
from detente.nlp.quotes.lexicon import SpeechLexicon, is_cue
from detente.nlp.quotes.marks import (
    DOUBLE_MARK, SENTENCE_END, MarkSpan, last_char, looks_like_title, next_char, prev_char,
)
from detente.nlp.quotes.quote_candidate import DIRECT, QuoteCandidate
from detente.nlp.quotes.speakers import (
    PHRASE_WEIGHT, Speaker, attribution_phrase_at, phrase_chars, phrase_head, phrase_speaker, speaker_of, with_words,
)
from detente.nlp.token_table import children_of

if TYPE_CHECKING:
    from spacy.tokens import Span, Token


def classify_fragments(spans: list[MarkSpan], view: DocView, lexicon: SpeechLexicon) -> None:
    """Mark quoted phrases that sit inside a sentence ("called it a “farce” and").

    Such phrases are scare quotes, titles or the quoted part of a mixed quote,
    never a direct quote of their own.
    """
    text = view.text
    for span in spans:
        if span.labelled:
            continue  # the label before it already makes it a quote, whatever its casing
        floor = view.paras.start_before(span.open)
        j, before = prev_char(text, span.open, floor)
        ceiling = view.paras.end_after(span.end, len(text))
        k, after = next_char(text, span.end, ceiling)
        first = text[span.content_start:span.content_end].lstrip("'‘ \t\n")[:1]
        # A line break around the marks ends a sentence, whatever precedes it.
        open_left = not before or not (before.isalnum() or before in "%$") or "\n" in text[j:span.open]
        if not open_left and not first.islower():
            # 'said "We will ..."' quotes a sentence; 'stressed "the need ..."' a phrase.
            word = view.token_at(j)
            open_left = word is not None and is_cue(word, lexicon)
        last = last_char(text, span.content_start, span.content_end)
        open_right = (not after or not after.isalnum() or last in ",?!" or "\n" in text[span.end:k]
                      or (last in SENTENCE_END and after.isupper())  # '..." Then the talks'
                      or _cue_within(view, span.end, 5, lexicon))
        span.fragment = not (open_left and open_right) or looks_like_title(text, span)


def _cue_within(view: DocView, pos: int, n: int, lexicon: SpeechLexicon) -> bool:
    tok = view.token_at(pos)
    if tok is None:
        return False
    k = tok.i if tok.idx >= pos else tok.i + 1
    return any(is_cue(t, lexicon) for t in view.doc[k:k + n])



def _frames(span: MarkSpan, prev_end: int, next_start: int, view: DocView) -> tuple[list[Token], list[Token]]:
    """The narrative words before and after a quote that may hold its cue."""
    text = view.text
    floor = max(view.paras.start_before(span.open), prev_end)
    left: list[Token] = []
    j, before = prev_char(text, span.open, floor)
    if before and before not in SENTENCE_END:
        sent = view.sentence_of(j)
        lo = max(floor, sent.start_char if sent is not None else floor)
        left = [t for t in view.tokens_in(lo, span.open) if not view.quoted[t.i]]
    ceiling = min(view.paras.end_after(span.end, len(text)), next_start)
    right: list[Token] = []
    k, after = next_char(text, span.end, ceiling)
    last = last_char(text, span.content_start, span.content_end)
    if after and not (last in SENTENCE_END and not after.islower()):
        sent = view.sentence_of(k)
        hi = min(ceiling, sent.end_char if sent is not None else ceiling)
        right = [t for t in view.tokens_in(span.end, hi) if not view.quoted[t.i]]
    return left, right



def _frame_cue(tokens: list[Token], from_right: bool, view: DocView,
               lexicon: SpeechLexicon) -> tuple[int, Speaker] | None:
    """The cue nearest the quote in one frame, with its distance in tokens."""
    order = range(len(tokens) - 1, -1, -1) if from_right else range(len(tokens))
    for distance, k in enumerate(order):
        tok = tokens[k]
        if is_cue(tok, lexicon):
            return distance, speaker_of(tok, view, lexicon)
        found = attribution_phrase_at(tokens, k, lexicon)
        if found is not None:
            return distance, phrase_speaker(found[1], tok, view, found[0], PHRASE_WEIGHT)
    return None


def _direct_cue(span: MarkSpan, left: list[Token], right: list[Token], view: DocView,
                lexicon: SpeechLexicon) -> Speaker | None:
    """Pick the cue that belongs to this quote: the one the punctuation points to."""
    after = _frame_cue(right, False, view, lexicon)
    before = _frame_cue(left, True, view, lexicon)
    last = last_char(view.text, span.content_start, span.content_end)
    if after and (last in ",?!—–-:;" or after[0] <= 3):
        if after[1].start is None:
            return _leading_name(right, after[1], view, lexicon) or after[1]
        return after[1]
    if before:
        return before[1]
    return after[1] if after else _colon_cue(left, view, lexicon)


_COLON_WEIGHT = 0.75  # the verb before the colon is not a cue of ours ("Trump boomed:")


def _colon_cue(left: list[Token], view: DocView, lexicon: SpeechLexicon) -> Speaker | None:
    """'Cruz called them on it: “...”': a clause ending in a colon hands the quote to its subject.

    Whatever the verb, newsroom style gives a colon-introduced quote to the
    subject of the clause before the colon.
    """
    if not left or left[-1].text != ":":
        return None
    first = left[0].i
    verb = next((t for t in reversed(left) if t.pos_ == "VERB"
                 and any(c.dep_ == "nsubj" and c.i >= first for c in children_of(t))), None)
    if verb is None:
        return None
    found = speaker_of(verb, view, lexicon, _COLON_WEIGHT)
    return found if found.start is not None else None


def _leading_name(frame: list[Token], cue: Speaker, view: DocView, lexicon: SpeechLexicon) -> Speaker | None:
    """`"...," Moaz al-Khatib, a cleric who ..., said`: the name opening the frame."""
    verb = next((t for t in frame if is_cue(t, lexicon)), frame[-1])
    for tok in frame[:3]:
        if tok.pos_ in ("PROPN", "PRON"):
            top = phrase_head(tok)
            start, end, text = phrase_chars(view.doc, top)
            named = Speaker(start, end, text, cue.cue, cue.date_text, 0.8)
            return with_words(named, top, verb, view) if top.i < verb.i else named
    return None


def _sentence_cue(sent: Span, view: DocView, lexicon: SpeechLexicon) -> Speaker | None:
    """A short narrative sentence next to a lone quote ("He added.")."""
    if len(sent) > 15 or any(view.quoted[t.i] for t in sent) or DOUBLE_MARK.search(sent.text):
        return None
    for tok in sent:
        if is_cue(tok, lexicon):
            found = speaker_of(tok, view, lexicon)
            return found if found.start is not None else None
    return None


def _inherit(span: MarkSpan, found: list[QuoteCandidate], view: DocView,
             lexicon: SpeechLexicon) -> tuple[Speaker, float] | None:
    """A quote standing alone belongs to the speaker the narrative last named.

    Newsroom style attributes a run of quotes once; the next sentence ("he
    added") or the quote before it in the paragraph carries the attribution.
    """
    text = view.text
    para_start = view.paras.start_before(span.open)
    para_end = view.paras.end_after(span.end, len(text))
    k, _ = next_char(text, span.end, para_end)
    if k >= 0:
        sent = view.sentence_of(k)
        if sent is not None and sent.start_char >= span.end - 1:
            nxt = _sentence_cue(sent, view, lexicon)
            if nxt is not None:
                return nxt, 0.8
    previous = [c for c in found if c.end <= span.open and c.speaker_start is not None]
    if previous:
        last = max(previous, key=lambda c: c.end)
        same_para = last.start >= para_start
        if same_para or (span.open - para_start < 3 and last.start >= view.paras.start_before(para_start - 1)):
            inherited = Speaker(last.speaker_start, last.speaker_end, last.speaker_text, last.cue,
                                last.date_text, 1.0, last.speaker_text_start, last.speaker_text_end)
            return inherited, 0.8 if same_para else 0.65
    return None


def _carried(cue: Speaker, inherited: tuple[Speaker, float] | None) -> Speaker:
    """'“...,” adding that ...': a subjectless gerund goes on with the speaker before it."""
    if inherited is None:
        return cue
    last, confidence = inherited
    return Speaker(last.start, last.end, last.text, cue.cue, cue.date_text, cue.weight * confidence,
                   last.text_start, last.text_end)


def _direct_candidate(span: MarkSpan, speaker: Speaker | None, confidence: float,
                      text: str) -> QuoteCandidate:
    if not span.closed:
        confidence *= 0.6
    if span.odd and span.closed:
        confidence *= 0.9
    s = speaker or Speaker(None, None, None, None, None, 1.0)
    return QuoteCandidate(
        start=span.open, end=span.end,
        content=text[span.content_start:span.content_end],
        content_start=span.content_start, content_end=span.content_end,
        kind=DIRECT, cue=s.cue, speaker_start=s.start, speaker_end=s.end,
        speaker_text=s.text, speaker_text_start=s.text_start, speaker_text_end=s.text_end,
        confidence=round(min(confidence, 1.0), 3), date_text=s.date_text,
    )


def _utterance_like(text: str, span: MarkSpan) -> bool:
    """Whether quoted words with no cue still read as something someone said."""
    words = text[span.content_start:span.content_end].split()
    return len(words) >= 5 and last_char(text, span.content_start, span.content_end) in SENTENCE_END | {","}


def direct_quotes(spans: list[MarkSpan], found: list[QuoteCandidate], view: DocView,
                   lexicon: SpeechLexicon) -> list[QuoteCandidate]:
    standalone = [s for s in spans if not s.fragment]
    out: list[QuoteCandidate] = []
    for n, span in enumerate(standalone):
        prev_end = standalone[n - 1].end if n else 0
        next_start = standalone[n + 1].open if n + 1 < len(standalone) else len(view.text)
        left, right = _frames(span, prev_end, next_start, view)
        speaker = _direct_cue(span, left, right, view, lexicon) or label_speaker(span, view)
        if speaker is not None and speaker.start is None and (speaker.cue or "").endswith("ing"):
            speaker = _carried(speaker, _inherit(span, sorted(found + out, key=lambda c: c.start), view, lexicon))
        if speaker is not None:
            out.append(_direct_candidate(span, speaker, 0.92 * speaker.weight, view.text))
            continue
        inherited = _inherit(span, sorted(found + out, key=lambda c: c.start), view, lexicon)
        if inherited is not None:
            speaker, confidence = inherited
            out.append(_direct_candidate(span, speaker, confidence * speaker.weight, view.text))
        elif _utterance_like(view.text, span):
            out.append(_direct_candidate(span, None, 0.45, view.text))
    return out
