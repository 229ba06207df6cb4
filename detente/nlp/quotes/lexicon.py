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

import yaml

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


@lru_cache(maxsize=1)
def load_lexicon() -> SpeechLexicon:
    """Read the packaged cue lexicon once per process."""
    source = resources.files("detente.nlp.quotes") / LEXICON_FILE
    raw = yaml.safe_load(source.read_text(encoding="utf-8")) or {}
    return SpeechLexicon(
        verbs={str(k).lower(): float(v) for k, v in (raw.get("verbs") or {}).items()},
        phrasal_verbs={
            tuple(str(k).lower().split()[:2]): float(v)
            for k, v in (raw.get("phrasal_verbs") or {}).items() if len(str(k).split()) >= 2
        },
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
        position_verbs={str(k).lower(): float(v) for k, v in (raw.get("position_verbs") or {}).items()},
        complements={
            str(k).lower(): frozenset(str(kind).lower() for kind in v or ())
            for k, v in (raw.get("complements") or {}).items()
        },
        genre_labels=frozenset(str(n).lower() for n in raw.get("genre_labels") or ()),
        source_nouns=frozenset(str(n).lower() for n in raw.get("source_nouns") or ()),
    )



def cue_weight(tok: Token, lexicon: SpeechLexicon) -> float | None:
    """How surely a token reports speech: None for no cue at all.

    A single verb ("said") or a verb with its particle ("made clear",
    "pointed out"); the weight comes from the lexicon.
    """
    if tok.pos_ not in ("VERB", "AUX"):
        return None
    lemma = tok.lemma_.lower()
    weight = looked_up(tok, lexicon.verbs)
    if weight is None and lexicon.phrasal_verbs:
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
    return looked_up(tok, lexicon.position_verbs)


def looked_up(tok: Token, table: Mapping[str, T]) -> T | None:
    """A verb's entry by its lemma, or by its own form when the lemmatizer errs ("hoped" -> "hop")."""
    found = table.get(tok.lemma_.lower())
    if found is not None:
        return found
    for lemma in _stems(tok.lower_):
        found = table.get(lemma)
        if found is not None:
            return found
    return None


def _stems(word: str) -> list[str]:
    """Dictionary forms a verb form may come from: hoped/hopes/hoping -> hope, worries -> worry."""
    out = []
    for ending, replacements in (("ing", ("e", "")), ("ied", ("y",)), ("ies", ("y",)), ("ed", ("e", "")),
                                 ("es", ("e", "")), ("s", ("",))):
        if word.endswith(ending) and len(word) > len(ending) + 2:
            out += [word[: -len(ending)] + r for r in replacements]
    return out
