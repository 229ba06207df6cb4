"""Linking each quotation's speaker words to an actor.

`quotes.find_quotes` knows *which words* name the speaker ("Mr. Kerry", "he",
"the official", "the State Department"); this module decides *who* that is,
using the actor mentions found in the same document. It only relies on the
Mention record, so any actor finder can feed it.

Order of evidence, strongest first: a mention overlapping the speaker's words;
for a pronoun, the person most recently named in the narrative (names inside
quoted words are what someone said, not who is speaking); for a definite
description ("the official", "the envoy"), whoever that description last
referred to; for an utterance ("the statement"), whoever issued it. Anything
else keeps its speaker words, no actor, and a lower confidence.
"""

from __future__ import annotations

import bisect
import re
from dataclasses import dataclass
from typing import TYPE_CHECKING

from detente.nlp.quotes import QuoteCandidate, SpeechLexicon, load_lexicon
from detente.nlp.records import Mention, QuoteRecord

if TYPE_CHECKING:
    from spacy.tokens import Doc, Token

# How much of a candidate's confidence survives each way of finding the speaker.
_BY_MENTION = 1.0
_BY_PRONOUN = 0.9
_BY_DESCRIPTION = 0.8
_BY_UTTERANCE = 0.8
_ANONYMOUS = 0.85  # "an official said": we know there is no named speaker
_UNRESOLVED = 0.6
_NO_SPEAKER = 0.7
_ROLE_WINDOW = 60  # characters between a role word and the name it describes


@dataclass
class _Context:
    doc: Doc
    mentions: list[Mention]
    starts: list[int]
    quoted: list[tuple[int, int]]
    lexicon: SpeechLexicon

    def mentions_before(self, pos: int) -> list[Mention]:
        """Mentions ending before `pos`, nearest first, skipping quoted words."""
        k = bisect.bisect_left(self.starts, pos)
        found = [m for m in self.mentions[:k] if m.end <= pos and not self.is_quoted(m)]
        return sorted(found, key=lambda m: m.end, reverse=True)

    def is_quoted(self, mention: Mention) -> bool:
        return any(a <= mention.start and mention.end <= b for a, b in self.quoted)

    def is_subject(self, mention: Mention) -> bool:
        """Whether the mention is the subject of its clause, the likeliest antecedent."""
        span = self.doc.char_span(mention.start, mention.end, alignment_mode="expand")
        if span is None or not len(span):
            return False
        tok = span.root
        while tok.dep_ in ("compound", "flat", "conj", "appos") and tok.head is not tok:
            tok = tok.head
        return tok.dep_ in ("nsubj", "nsubjpass")

    def kind_of(self, actor: str | None) -> str | None:
        return next((m.kind for m in self.mentions if m.actor == actor), None)


@dataclass
class _Resolved:
    candidate: QuoteCandidate
    actor: str | None
    head: str | None  # lemma of the speaker's head word, for "the official" look-backs
    plural: bool


def _speaker_head(doc: Doc, cand: QuoteCandidate) -> Token | None:
    if cand.speaker_start is None or cand.speaker_end is None:
        return None
    span = doc.char_span(cand.speaker_start, cand.speaker_end, alignment_mode="expand")
    return span.root if span is not None and len(span) else None


def _overlapping(ctx: _Context, cand: QuoteCandidate, head: Token | None) -> Mention | None:
    """The mention that names the speaker: the one on the head word wins.

    In "Russia's foreign minister" a mention of Russia overlaps, but the head
    word is "minister"; a mention on the head is more specific.
    """
    lo, hi = cand.speaker_start, cand.speaker_end
    hits = [m for m in ctx.mentions if m.start < hi and m.end > lo]
    if not hits:
        return None
    if head is not None:
        on_head = [m for m in hits if m.start <= head.idx < m.end]
        if on_head:
            return on_head[0]
    people = [m for m in hits if m.kind == "person"]
    return (people or hits)[0]


def _previous_speaker(history: list[_Resolved], pos: int) -> _Resolved | None:
    for past in reversed(history):
        end = past.candidate.speaker_end
        if end is not None and end <= pos:
            return past
    return None


def _by_pronoun(ctx: _Context, pos: int, kind: str, history: list[_Resolved]) -> str | None:
    """'he said' means the last speaker or the person last named as a subject.

    Whichever is nearer wins, so a pronoun after "a source said ..." stays
    with that (anonymous) source, and a name that is only an object ("met
    Mr. Zarif") does not capture it.
    """
    last = _previous_speaker(history, pos)
    if kind == "plural":
        return last.actor if last is not None and last.plural else None
    if kind != "person":
        return last.actor if last is not None and ctx.kind_of(last.actor) not in (None, "person") else None
    before = [m for m in ctx.mentions_before(pos) if m.kind == "person"]
    person = next((m for m in before if ctx.is_subject(m)), None) or next(iter(before), None)
    if last is not None and not last.plural and (person is None or last.candidate.speaker_end > person.end):
        return last.actor
    return person.actor if person is not None else None


# "Hrair Balian, director of ..." / "State Department officials"
_AFTER_NAME = re.compile(r"^(?:\s*|,\s+(?:[\w’'.-]+\s+){0,5})$")
# "envoy Lakhdar Brahimi" / "Secretary of State John Kerry"
_BEFORE_NAME = re.compile(r"^(?:\s+|(?:\s+(?:of|[A-Z][\w’'.-]*)){0,3}\s+)$")


def _attached_mention(ctx: _Context, lo: int, hi: int) -> Mention | None:
    """A mention that the role word at [lo, hi) describes, in a title or apposition."""
    text = ctx.doc.text
    capitalised = text[lo:lo + 1].isupper()
    for m in ctx.mentions_before(hi + 80):
        if m.end <= lo and lo - m.end <= 60 and _AFTER_NAME.match(text[m.end:lo]):
            return m
        if m.start >= hi and m.start - hi <= 40:
            gap = text[hi:m.start]
            if gap.isspace() or (capitalised and _BEFORE_NAME.match(gap)):
                return m
    return None


def _by_description(ctx: _Context, cand: QuoteCandidate, head: Token,
                    history: list[_Resolved]) -> tuple[bool, str | None]:
    """'the official' refers back to the last speaker so described, or a titled name."""
    word = head.lemma_.lower()
    for past in reversed(history):
        if past.head == word:
            return True, past.actor
    pattern = re.compile(rf"\b{re.escape(word)}\w{{0,2}}\b", re.IGNORECASE)
    for match in reversed(list(pattern.finditer(ctx.doc.text, 0, cand.speaker_start))):
        word_span = ctx.doc.char_span(match.start(), match.end(), alignment_mode="expand")
        if word_span is None or word_span.root.pos_ not in ("NOUN", "PROPN"):
            continue  # "Russia plan talks": the verb is no description
        mention = _attached_mention(ctx, match.start(), match.end())
        if mention is not None:
            return True, mention.actor
    kind = ctx.lexicon.description_kinds.get(word)
    if kind is not None:
        recent = next((m for m in ctx.mentions_before(cand.speaker_start) if m.kind == kind), None)
        if recent is not None:
            return True, recent.actor
    return False, None


def _is_definite(head: Token) -> bool:
    return any(c.dep_ in ("det", "poss") and c.lower_ in ("the", "this", "that", "these", "those")
               for c in head.children)


def _resolve(ctx: _Context, cand: QuoteCandidate, head: Token | None,
             history: list[_Resolved]) -> tuple[str | None, float]:
    """The actor id for one candidate and how far to trust it."""
    if cand.speaker_start is None:
        return None, _NO_SPEAKER
    mention = _overlapping(ctx, cand, head)
    if mention is not None:
        return mention.actor, _BY_MENTION
    if head is None:
        return None, _UNRESOLVED
    pronoun_kind = ctx.lexicon.speaker_pronouns.get(head.lower_)
    if pronoun_kind is not None and head.pos_ == "PRON":
        actor = _by_pronoun(ctx, cand.speaker_start, pronoun_kind, history)
        return actor, (_BY_PRONOUN if actor else _UNRESOLVED)
    word = head.lemma_.lower()
    if word in ctx.lexicon.utterance_nouns:
        last = _previous_speaker(history, cand.speaker_start)
        actor = last.actor if last is not None else None
        return actor, (_BY_UTTERANCE if actor else _UNRESOLVED)
    if _is_definite(head):
        found, actor = _by_description(ctx, cand, head, history)
        if found:
            return actor, (_BY_DESCRIPTION if actor else _ANONYMOUS)
        return None, _UNRESOLVED
    return None, _ANONYMOUS


def attribute_quotes(doc: Doc, candidates: list[QuoteCandidate], mentions: list[Mention]) -> list[QuoteRecord]:
    """Quote records with `speaker` set to an actor id where the evidence allows.

    Records come back in the order of `candidates`. A speaker that cannot be
    linked keeps its words in `speaker_text` and gets a lower confidence.
    """
    ordered = sorted(mentions, key=lambda m: (m.start, m.end))
    ctx = _Context(
        doc=doc, mentions=ordered, starts=[m.start for m in ordered],
        quoted=[(c.content_start, c.content_end) for c in candidates], lexicon=load_lexicon(),
    )
    history: list[_Resolved] = []
    by_id: dict[int, tuple[str | None, float]] = {}
    for cand in sorted(candidates, key=lambda c: (c.speaker_start if c.speaker_start is not None else c.start)):
        head = _speaker_head(doc, cand)
        actor, trust = _resolve(ctx, cand, head, history)
        if head is not None and head.pos_ != "PRON":
            plural = head.tag_ in ("NNS", "NNPS") or any(c.dep_ == "conj" for c in head.children)
            history.append(_Resolved(cand, actor, head.lemma_.lower(), plural))
        elif head is not None:
            history.append(_Resolved(cand, actor, None, head.lower_ in ("they", "we")))
        by_id[id(cand)] = (actor, trust)
    records = []
    for cand in candidates:
        actor, trust = by_id[id(cand)]
        records.append(QuoteRecord(
            start=cand.start, end=cand.end, content=cand.content, kind=cand.kind,
            speaker=actor, speaker_text=cand.speaker_text, cue=cand.cue,
            confidence=round(cand.confidence * trust, 3), date_text=cand.date_text,
        ))
    return records
