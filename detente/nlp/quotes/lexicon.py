"""The speech lexicon: which words report speech, and how surely.

Cue words live in `speech_verbs.yaml` beside this module, so a user can teach
the extractor new reporting styles without code.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import lru_cache
from importlib import resources
from collections.abc import Mapping
from typing import TYPE_CHECKING, TypeVar

from detente.data_files import load_yaml


if TYPE_CHECKING:
    from spacy.tokens import Token

LEXICON_FILE = "speech_verbs.yaml"
T = TypeVar("T")


@dataclass(frozen=True)
class SpeechLexicon:
    """Cue words as data, so a user can teach new reporting styles without code."""

    verbs: dict[str, float]
    phrasal_verbs: dict[tuple[str, str], float]
    naming_verbs: frozenset[str]
    attribution_phrases: tuple[tuple[str, ...], ...]
    channel_phrases: tuple[str, ...]
    utterance_nouns: frozenset[str]
    speaker_pronouns: dict[str, str]
    description_kinds: dict[str, str]
    person_roles: frozenset[str]
    partitives: frozenset[str]
    addressee_nouns: frozenset[str]
    refusals: frozenset[str]
    position_verbs: dict[str, float] = field(default_factory=dict)
    complements: dict[str, frozenset[str]] = field(default_factory=dict)
    genre_labels: frozenset[str] = frozenset()
    source_nouns: frozenset[str] = frozenset()
    closing_cue_words: frozenset[str] = frozenset()
    verb_forms: dict[str, str] = field(default_factory=dict)  # "hoped" -> "hope", for lemmatizer slips
    phrasal_heads: frozenset[str] = frozenset()  # "make" of "make clear"

    def lemma_of(self, tok: Token) -> str:
        """The lexicon's lemma for a verb: the parser's, unless only the word's own form is listed."""
        lemma = tok.lemma_.lower()
        if lemma in self.verbs or lemma in self.position_verbs or lemma in self.complements:
            return lemma
        return self.verb_forms.get(tok.lower_, lemma)


@lru_cache(maxsize=1)
def load_lexicon() -> SpeechLexicon:
    """Read the packaged cue lexicon once per process."""
    source = resources.files("detente.nlp.quotes") / LEXICON_FILE
    raw = load_yaml(source.read_text(encoding="utf-8")) or {}
    verbs = {str(k).lower(): float(v) for k, v in (raw.get("verbs") or {}).items()}
    phrasal = {
        tuple(str(k).lower().split()[:2]): float(v)
        for k, v in (raw.get("phrasal_verbs") or {}).items() if len(str(k).split()) >= 2
    }
    position_verbs = {str(k).lower(): float(v) for k, v in (raw.get("position_verbs") or {}).items()}
    return SpeechLexicon(
        verbs=verbs,
        phrasal_verbs=phrasal,
        naming_verbs=frozenset(n.lower() for n in raw.get("naming_verbs") or ()),
        attribution_phrases=tuple(
            tuple(p.lower().split()) for p in raw.get("attribution_phrases") or ()
        ),
        channel_phrases=tuple(p.lower() for p in raw.get("channel_phrases") or ()),
        utterance_nouns=frozenset(n.lower() for n in raw.get("utterance_nouns") or ()),
        speaker_pronouns={
            str(k).lower(): str(v) for k, v in (raw.get("speaker_pronouns") or {}).items()
        },
        description_kinds={
            str(k).lower(): str(v) for k, v in (raw.get("description_kinds") or {}).items()
        },
        person_roles=frozenset(n.lower() for n in raw.get("person_roles") or ()),
        partitives=frozenset(n.lower() for n in raw.get("partitives") or ()),
        addressee_nouns=frozenset(n.lower() for n in raw.get("addressee_nouns") or ()),
        refusals=frozenset(n.lower() for n in raw.get("refusals") or ()),
        position_verbs=position_verbs,
        complements={
            str(k).lower(): frozenset(str(kind).lower() for kind in v or ())
            for k, v in (raw.get("complements") or {}).items()
        },
        genre_labels=frozenset(str(n).lower() for n in raw.get("genre_labels") or ()),
        source_nouns=frozenset(str(n).lower() for n in raw.get("source_nouns") or ()),
        closing_cue_words=frozenset(str(n).lower() for n in raw.get("closing_cue_words") or ()),
        phrasal_heads=frozenset(head for head, _ in phrasal),
        verb_forms={form: lemma for lemma in [*verbs, *position_verbs] for form in _inflections(lemma)},
    )


def _inflections(lemma: str) -> list[str]:
    """The forms a verb takes in news text: hope -> hopes, hoped, hoping; plan -> planned; worry -> worried."""
    if lemma.endswith("e"):
        return [lemma + "s", lemma + "d", (lemma if lemma.endswith("ee") else lemma[:-1]) + "ing"]
    if lemma.endswith("y") and lemma[-2:-1] not in "aeiou":
        return [lemma[:-1] + "ies", lemma[:-1] + "ied", lemma + "ing"]
    forms = [lemma + ("es" if lemma.endswith(("s", "sh", "ch", "x", "z")) else "s"), lemma + "ed", lemma + "ing"]
    if len(lemma) > 2 and lemma[-1] not in "aeiouwxy" and lemma[-2] in "aeiou" and lemma[-3] not in "aeiou":
        forms += [lemma + lemma[-1] + "ed", lemma + lemma[-1] + "ing"]  # plan -> planned
    return forms


def cue_weight(tok: Token, lexicon: SpeechLexicon) -> float | None:
    """How surely a token reports speech: None for no cue at all.

    A single verb ("said") or a verb with its particle ("made clear",
    "pointed out"); the weight comes from the lexicon.
    """
    if tok.pos_ not in ("VERB", "AUX"):
        return None
    lemma = lexicon.lemma_of(tok)
    weight = lexicon.verbs.get(lemma)
    if weight is None and lemma in lexicon.phrasal_heads:
        for child in tok.rights:
            weight = lexicon.phrasal_verbs.get((lemma, child.lower_))
            if weight is not None:
                break
    return weight


def is_cue(tok: Token, lexicon: SpeechLexicon) -> bool:
    return cue_weight(tok, lexicon) is not None


def position_weight(tok: Token, lexicon: SpeechLexicon) -> float | None:
    """How surely a verb of thought, intention or judgement ("believes", "condemned") states a position."""
    if tok.pos_ not in ("VERB", "AUX"):
        return None
    return looked_up(tok, lexicon.position_verbs, lexicon)


def looked_up(tok: Token, table: Mapping[str, T], lexicon: SpeechLexicon) -> T | None:
    """A verb's entry in one of the lexicon's tables, by the lexicon's lemma for it."""
    return table.get(lexicon.lemma_of(tok))
