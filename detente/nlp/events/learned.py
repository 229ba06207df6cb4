"""What the learned event-type model adds to the rules: the event a sentence's rules missed, and which comes first.

The patterns know the wordings someone wrote down; news finds others ("the
forces overran three villages", "the ministry summoned the envoy" in words no
list has). The model (`model/`, trained on news sentences with CAMEO classes
and PLOVER types) reads every sentence and says which class of event it
reports. Two things follow:

- A sentence that reports an event, by the model's reading, but where no
  pattern matched gets one event on the word the sentence's event stands on
  (its main verb, or the verb of what a reporting verb reports), typed by the
  model within the class it reads. Its arguments, status, date and place come
  from the parse exactly as for a pattern's event; its confidence is the
  model's and lower than a pattern's. So does a sentence whose patterns found
  only events of a class the model, quite sure of itself, reads as unlikely
  ("officials said the ministry had summoned the envoy": the summons, not a
  statement).
- Where a sentence holds several events, the one the model's class agrees
  with is listed first: a reader (or a scorer) who takes "the sentence's
  event" takes the principal one, not the reporting around it.

When the artefact cannot be read, extraction goes on with the rules alone and
says so once.
"""

from __future__ import annotations

import logging
from collections.abc import Iterator
from dataclasses import dataclass

from spacy.tokens import Doc, Span, Token

from detente.nlp.events.model.labels import NONE, QUAD_OF_TYPE
from detente.nlp.events.patterns import Meaning, Pattern

log = logging.getLogger(__name__)

LEARNED_PHRASE = "(learned)"
# The model's class must be at least this likely before it adds an event no pattern found. Chosen with
# 5-fold models on the training sentences and checked on the real-news set (where 0.3 found 7 more gold
# events than 0.6, for 13 more events in all); below 0.3 nothing changes, as the likeliest of five
# classes is rarely less likely than that.
NEW_EVENT_SHARE = 0.3
# The model overrules the patterns' events of a sentence when it reads another class with at least this
# probability and gives the patterns' classes less than OVERRULE_FIT: the first event then is its own.
OVERRULE_SHARE = 0.7
OVERRULE_FIT = 0.3
# Where the patterns' event stands on the very word the model reads, the model's type replaces theirs
# only when it is this sure: on the training sentences (5-fold) this traded 0.81 → 0.82 in class
# agreement against 0.72 → 0.71 in PLOVER type, where the patterns' types are the better ones.
RETYPE_SHARE = 0.9
# A learned event's confidence: the model's probability, scaled below a pattern's.
CONFIDENCE_SCALE = 0.6
_EVENT_POS = frozenset({"VERB"})


@dataclass(frozen=True)
class SentenceReading:
    sentence: Span
    quad: tuple[float, ...]  # probability of each quad class 0–4
    types: dict[str, float]  # probability of each PLOVER type (and NONE)
    head: Token | None

    @property
    def quad_class(self) -> int:
        return max(range(len(self.quad)), key=lambda c: self.quad[c])

    def best_type(self) -> tuple[str, float] | None:
        """The likeliest type within the likeliest class, with the class's probability."""
        wanted = self.quad_class
        found = [(p, t) for t, p in self.types.items() if t != NONE and QUAD_OF_TYPE.get(t) == wanted]
        if not found:
            return None
        return max(found)[1], self.quad[wanted]

    def agreement(self, event_type: str) -> float:
        """How well a type fits the model's reading: the probability of its class (a REQUEST is an
        appeal, class 0, or a demand, class 3: whichever the model reads)."""
        if event_type == "REQUEST":
            return max(self.quad[0], self.quad[3])
        return self.quad[QUAD_OF_TYPE.get(event_type, 0)]


def read_sentences(doc: Doc) -> Iterator[SentenceReading]:
    """The model's reading of each sentence of a parsed document (none when the model cannot load)."""
    model = _model()
    if model is None:
        return
    from detente.nlp.events.model.features import event_head

    for sentence in doc.sents:
        if not any(t.is_alpha for t in sentence):
            continue
        head = event_head(sentence)
        reading = model.read(sentence, head)
        yield SentenceReading(
            sentence,
            tuple(float(p) for p in reading.quad),
            {t: float(p) for t, p in zip(reading.type_classes, reading.types)},
            head,
        )


def missed_event(reading: SentenceReading) -> tuple[Token, Pattern] | None:
    """The event word and its meaning where the model reads an event in a sentence no pattern matched."""
    head = reading.head
    if head is None or head.pos_ not in _EVENT_POS or reading.quad_class == 0:
        return None
    best = reading.best_type()
    if best is None or best[1] < NEW_EVENT_SHARE:
        return None
    event_type, _ = best
    return head, Pattern(LEARNED_PHRASE, head.lemma_.lower(), (), False, Meaning(event_type))


def overruled(reading: SentenceReading, rule_types: list[str]) -> bool:
    """The model reads another class of event, sure of it, where the patterns' events fit it badly."""
    if reading.quad_class == 0 or reading.quad[reading.quad_class] < OVERRULE_SHARE:
        return False
    return max(reading.agreement(t) for t in rule_types) < OVERRULE_FIT


def retyped(reading: SentenceReading) -> bool:
    return reading.quad[reading.quad_class] >= RETYPE_SHARE


def learned_confidence(reading: SentenceReading) -> float:
    best = reading.best_type()
    return round(CONFIDENCE_SCALE * (best[1] if best else 0.0), 2)


_warned = False


def _model():
    """The event-type model, or None (said once per process) when its file cannot be read."""
    global _warned
    from detente.nlp.events.model.model import ModelFormatError, event_type_model

    try:
        return event_type_model()
    except ModelFormatError as err:
        if not _warned:
            log.warning("Events from the patterns only: %s", err)
            _warned = True
        return None
