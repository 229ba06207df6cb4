"""Linking each quotation's speaker words to an actor.

`quotes.find_quotes` knows *which words* name the speaker ("Mr. Kerry", "he",
"the official", "the State Department"); this module decides *who* that is,
using the actor mentions found in the same document. It only relies on the
Mention record, so any actor finder can feed it.

Order of evidence, strongest first: a mention on the speaker's head word
("Mr. Kerry"); for a pronoun, the last speaker or the person last named as a
subject in the narrative (names inside quoted words are what someone said, not
who is speaking); for "they" or "one of them", the group last named; for a
definite description ("the official", "the envoy"), whoever that description
last referred to or the titled name it stands for; for an utterance ("the
statement"), whoever issued it; then a mention elsewhere in the speaker's words
("Syrian opposition sources"). Anything else keeps its speaker words, no actor,
and a lower confidence.
"""

from __future__ import annotations

import bisect
import re
from dataclasses import dataclass
from typing import TYPE_CHECKING

from detente.nlp.quotes.candidates import QuoteCandidate, SpeechLexicon, load_lexicon, speaker_span
from detente.nlp.records import Mention, QuoteRecord
from detente.nlp.token_table import children_of, token_table

if TYPE_CHECKING:
    from spacy.tokens import Doc, Token

# How much of a candidate's confidence survives each way of finding the speaker.
_BY_MENTION = 1.0
_BY_PRONOUN = 0.9
_BY_DESCRIPTION = 0.8
_BY_ROLE = 0.7  # "the secretary said", read as "he said"
_BY_UTTERANCE = 0.8
_ANONYMOUS = 0.85  # "an official said": we know there is no named speaker
_UNRESOLVED = 0.6
_NO_SPEAKER = 0.7
_PLURAL_LOOKBACK = 80  # tokens searched back for the group a "they" refers to


@dataclass
class _Context:
    doc: Doc
    text: str
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
        while tok.dep_ in ("compound", "flat", "conj", "appos") and tok.head.i != tok.i:
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
    if not people and head is not None and head.pos_ == "PROPN" and all(m.end <= head.idx for m in hits):
        return None  # "U.S. President Roe": an unknown person, not the country before the name
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
        return _by_plural(ctx, pos, last)
    if kind != "person":
        return last.actor if last is not None and ctx.kind_of(last.actor) not in (None, "person") else None
    before = [m for m in ctx.mentions_before(pos) if m.kind == "person"]
    person = next((m for m in before if ctx.is_subject(m)), None) or next(iter(before), None)
    if last is not None and not last.plural and (person is None or last.candidate.speaker_end > person.end):
        return last.actor
    return person.actor if person is not None else None


def _by_plural(ctx: _Context, pos: int, last: _Resolved | None) -> str | None:
    """'they said', 'one of them said': the group last named as a subject.

    "Commanders of the rebel army met ... One of them said": the commanders,
    hence the army their phrase names. A plural speaker quoted more recently
    than that subject wins instead.
    """
    subject = _plural_subject(ctx, pos)
    if last is not None and last.plural and (subject is None or last.candidate.speaker_end > subject[0]):
        return last.actor
    return subject[1] if subject is not None else None


def _plural_subject(ctx: _Context, pos: int) -> tuple[int, str | None] | None:
    """End offset and actor of the nearest plural subject before `pos`, outside quotes."""
    doc = ctx.doc
    anchor = doc.char_span(pos, pos + 1, alignment_mode="expand")
    if anchor is None:
        return None
    for tok in reversed(doc[max(0, anchor.start - _PLURAL_LOOKBACK):anchor.start]):
        if tok.dep_ not in ("nsubj", "nsubjpass") or tok.tag_ not in ("NNS", "NNPS"):
            continue
        if any(a <= tok.idx < b for a, b in ctx.quoted):
            continue
        start, end = speaker_span(tok)
        hits = [m for m in ctx.mentions if m.start < end and m.end > start]
        return end, (hits[0].actor if hits else None)
    return None


# "Hrair Balian, director of ..." / "State Department officials"
_AFTER_NAME = re.compile(r"^(?:\s*|,\s+(?:[\w’'.-]+\s+){0,5})$")
# "the envoy for Syria, Staffan de Mistura"
_APPOSED_NAME = re.compile(r"^(?:\s+(?:of|for|to|in|on|[A-Z][\w’'.-]*)){0,4},\s+$")
# "envoy Lakhdar Brahimi" / "Secretary of State John Kerry"
_BEFORE_NAME = re.compile(r"^(?:\s+|(?:\s+(?:of|for|to|[A-Z][\w’'.-]*)){0,4},?\s+)$")


def _attached_mention(ctx: _Context, lo: int, hi: int, person: bool) -> Mention | None:
    """A mention that the role word at [lo, hi) describes, in a title or apposition.

    For a person's title ("envoy") only a person will do: in "the UN envoy"
    the UN is whom the envoy serves, not the envoy.
    """
    text = ctx.text
    capitalised = text[lo:lo + 1].isupper()
    for m in ctx.mentions_before(hi + 80):
        if person and m.kind != "person":
            continue
        if m.end <= lo and lo - m.end <= 60 and _AFTER_NAME.match(text[m.end:lo]):
            return m
        if m.start >= hi and m.start - hi <= 40:
            gap = text[hi:m.start]
            if gap.isspace() or (capitalised and _BEFORE_NAME.match(gap)) or _APPOSED_NAME.match(gap):
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
    # up to the speaker's own words: "The UN envoy for Syria, Staffan de Mistura, said"
    for match in reversed(list(pattern.finditer(ctx.text, 0, cand.speaker_end))):
        word_span = ctx.doc.char_span(match.start(), match.end(), alignment_mode="expand")
        if word_span is None or word_span.root.pos_ not in ("NOUN", "PROPN"):
            continue  # "Russia plan talks": the verb is no description
        mention = _attached_mention(ctx, match.start(), match.end(), word in ctx.lexicon.person_roles)
        if mention is not None:
            return True, mention.actor
    kind = ctx.lexicon.description_kinds.get(word)
    if kind is not None:
        recent = next((m for m in ctx.mentions_before(cand.speaker_start) if m.kind == kind), None)
        if recent is not None:
            return True, recent.actor
    return False, None


def _is_definite(head: Token) -> bool:
    """'the official', 'this envoy', 'the department's spokesman', 'its president'."""
    return any(c.dep_ == "poss" or (c.dep_ == "det" and c.lower_ in ("the", "this", "that", "these", "those"))
               for c in children_of(head))


def _resolve(ctx: _Context, cand: QuoteCandidate, head: Token | None,
             history: list[_Resolved]) -> tuple[str | None, float]:
    """The actor id for one candidate and how far to trust it."""
    if cand.speaker_start is None:
        return None, _NO_SPEAKER
    if head is None:
        mention = _overlapping(ctx, cand, None)
        return (mention.actor, _BY_MENTION) if mention else (None, _UNRESOLVED)
    pronoun_kind = ctx.lexicon.speaker_pronouns.get(head.lower_)
    if pronoun_kind is not None and head.pos_ == "PRON":
        actor = _by_pronoun(ctx, cand.speaker_start, pronoun_kind, history)
        return actor, (_BY_PRONOUN if actor else _UNRESOLVED)
    word = head.lemma_.lower()
    mention = _overlapping(ctx, cand, head)
    if mention is None and head.lower_ in ctx.lexicon.partitives:
        # "One of them said", "Another said": a member of the group last named.
        actor = _by_plural(ctx, cand.speaker_start, _previous_speaker(history, cand.speaker_start))
        return actor, (_BY_PRONOUN if actor else _UNRESOLVED)
    definite = _is_definite(head) and head.tag_ == "NN"
    # "the Swedish-Italian diplomat" is one person, even where a mention makes
    # the phrase stand for a country: the person wins if one can be found.
    person_title = definite and word in ctx.lexicon.person_roles
    if mention is not None and _on_head(mention, head) and not (person_title and mention.kind != "person"):
        return mention.actor, _BY_MENTION
    if word in ctx.lexicon.utterance_nouns:
        actor = _by_utterance(ctx, cand, head, history)
        return actor, (_BY_UTTERANCE if actor else _UNRESOLVED)
    if definite:
        found, actor = _by_description(ctx, cand, head, history)
        if found and (actor is not None or mention is None):
            return actor, (_BY_DESCRIPTION if actor else _ANONYMOUS)
        if person_title:
            # "John Kerry insisted ... “...,” the secretary of state said."
            actor = _by_pronoun(ctx, cand.speaker_start, "person", history)
            if actor is not None:
                return actor, _BY_ROLE
    if mention is not None:
        return mention.actor, _BY_MENTION
    return (None, _UNRESOLVED) if _is_definite(head) else (None, _ANONYMOUS)


def _on_head(mention: Mention, head: Token) -> bool:
    return mention.start <= head.idx < mention.end


def _by_utterance(ctx: _Context, cand: QuoteCandidate, head: Token, history: list[_Resolved]) -> str | None:
    """'the statement said' speaks for whoever issued it.

    With a modifier ("the army statement") that is the last speaker or actor
    the modifier names; without one, the last speaker.
    """
    modifiers = [c.lower_ for c in head.lefts if c.dep_ in ("compound", "poss", "amod") and c.pos_ != "PRON"]
    if not modifiers:
        last = _previous_speaker(history, cand.speaker_start)
        return last.actor if last is not None else None
    for past in reversed(history):
        if past.actor and any(w in (past.candidate.speaker_text or "").lower() for w in modifiers):
            return past.actor
    named = next((m for m in ctx.mentions_before(cand.speaker_start)
                  if any(w in m.text.lower().split() for w in modifiers)), None)
    return named.actor if named is not None else None


def attribute_quotes(doc: Doc, candidates: list[QuoteCandidate], mentions: list[Mention]) -> list[QuoteRecord]:
    """Quote records with `speaker` set to an actor id where the evidence allows.

    Records come back in the order of `candidates`, one per candidate, except
    that a joint statement ("Kerry and Lavrov said") gives one record per
    speaker. A speaker that cannot be linked keeps its words in `speaker_text`
    and gets a lower confidence.
    """
    ordered = sorted(mentions, key=lambda m: (m.start, m.end))
    ctx = _Context(
        doc=doc, text=token_table(doc).text, mentions=ordered, starts=[m.start for m in ordered],
        quoted=[(c.content_start, c.content_end) for c in candidates], lexicon=load_lexicon(),
    )
    history: list[_Resolved] = []
    resolved: list[tuple[list[str | None], float]] = [([None], 1.0)] * len(candidates)
    # In reading order of the speakers, so every look-back sees what came before.
    order = sorted(range(len(candidates)), key=lambda k: _reading_position(candidates[k]))
    for k in order:
        cand = candidates[k]
        head = _speaker_head(doc, cand)
        actor, trust = _resolve(ctx, cand, head, history)
        actors = [actor] + (_co_speakers(ctx, head, actor) if actor is not None else [])
        if head is not None and head.pos_ != "PRON":
            plural = head.tag_ in ("NNS", "NNPS") or any(c.dep_ == "conj" for c in children_of(head))
            history.append(_Resolved(cand, actor, head.lemma_.lower(), plural))
        elif head is not None:
            history.append(_Resolved(cand, actor, None, head.lower_ in ("they", "we")))
        resolved[k] = (actors, trust)
    records = []
    for cand, (actors, trust) in zip(candidates, resolved):
        records.extend(QuoteRecord(
            start=cand.start, end=cand.end, content=cand.content, kind=cand.kind,
            speaker=actor, speaker_text=cand.speaker_text, cue=cand.cue,
            confidence=round(cand.confidence * trust, 3), date_text=cand.date_text,
        ) for actor in actors)
    return records


def _reading_position(cand: QuoteCandidate) -> int:
    return cand.speaker_start if cand.speaker_start is not None else cand.start


def _co_speakers(ctx: _Context, head: Token | None, actor: str) -> list[str]:
    """Further actors in a joint statement: "The United States and Russia said".

    Each gets its own record, because each is on record as saying it.
    """
    if head is None:
        return []
    others: list[str] = []
    for tok in head.conjuncts:
        hit = next((m for m in ctx.mentions if m.start <= tok.idx < m.end), None)
        if hit is not None and hit.actor != actor and hit.actor not in others:
            others.append(hit.actor)
    return others
