"""The stance lexicon: cue words as data, and how a cue is found on the parse.

`detente/nlp/stances/stance_patterns.yaml` lists the words that state a stance ("back",
"reject", "refuse to attend", "voice support for", "only if"); this module
loads it once and answers the questions the extractor asks of a token: is it a
cue, with what polarity, and which token does its target hang from.
"""

from __future__ import annotations

import importlib.resources
from dataclasses import dataclass, field
from functools import lru_cache
from typing import TYPE_CHECKING, Any

from detente.data_files import load_yaml


from detente.nlp.token_table import children_of

if TYPE_CHECKING:
    from spacy.tokens import Token

PATTERNS_FILE = "stance_patterns.yaml"
SUPPORT, OPPOSE, CONDITION = "support", "oppose", "condition"
PARTICIPATE = "participate"  # support or oppose, decided by negation
PREPOSITIONS = frozenset(
    "for to of from in on at with by behind against about into over toward towards under".split()
)


@dataclass(frozen=True)
class Cue:
    """A lemma and the words that must hang off it: "pull out of" is pull + out + of."""

    lemma: str
    words: tuple[str, ...]
    polarity: str  # support | oppose | participate
    weight: float
    weak: bool = False  # counts only when negated, refused, conditioned or given a target
    explicit: bool = False  # needs a named target: "convene talks", never "convene" alone
    inverted: bool = False  # staying away: affirmed is opposition ("threatened to stay away")
    clausal: bool = False  # its target may be the clause it governs ("wants to amend the constitution")
    no_actor: bool = False  # its target is never an actor ("aimed at IS" is an attack, not support)
    urging: bool = False  # presses someone else: its object is the one pressed ("urged Netanyahu to ...")

    @property
    def prep(self) -> str | None:
        """The preposition whose object is the target ("call for X"), if the cue ends with one."""
        return self.words[-1] if self.words and self.words[-1] in PREPOSITIONS else None


@dataclass(frozen=True)
class CueMatch:
    cue: Cue
    verb: Token
    anchor: Token  # the token the target hangs from: the preposition, or the verb itself


@dataclass(frozen=True)
class StanceLexicon:
    verbs: dict[str, tuple[Cue, ...]]  # lemma -> cues, most specific first
    refusal: frozenset[str]
    judging: frozenset[str]
    naming: frozenset[str]
    good: frozenset[str]
    bad: frozenset[str]
    nouns: dict[str, tuple[str, float]]  # lemma -> (polarity, weight)
    implicit_nouns: frozenset[str]  # nouns whose target may go unsaid ("his refusal")
    target_preps: frozenset[str]
    condition_markers: tuple[tuple[str, ...], ...]
    after_negation: frozenset[str]
    condition_nouns: frozenset[str]
    unmet_verbs: frozenset[str]
    light_nouns: frozenset[str]
    target_nouns: frozenset[str]
    anaphors: frozenset[str]
    voices: frozenset[str]
    withdrawal: frozenset[str]
    position_nouns: frozenset[str]
    target_kinds: dict[str, str] = field(default_factory=dict)  # noun -> agreement | truce | talks | plan …
    named_by_of: frozenset[str] = frozenset()
    throwaway: frozenset[str] = frozenset()
    pursuit: frozenset[str] = frozenset()
    no_policy: frozenset[str] = frozenset()
    action_nouns: dict[str, str] = field(default_factory=dict)  # "extension" -> "extend"
    reversal: frozenset[str] = frozenset()
    measures: frozenset[str] = frozenset()
    policy_anaphors: frozenset[str] = frozenset()
    desire: frozenset[str] = frozenset()
    obligation_modals: frozenset[str] = frozenset()
    obligation_verbs: frozenset[str] = frozenset()
    not_conditions: tuple[tuple[str, ...], ...] = ()
    not_target_words: frozenset[str] = frozenset()
    quantity_nouns: frozenset[str] = frozenset()
    policy_verbs: frozenset[str] = frozenset()
    terms_verbs: frozenset[str] = frozenset()
    violence: frozenset[str] = frozenset()
    seeking_nouns: frozenset[str] = frozenset()
    receiving: frozenset[str] = frozenset()
    readiness: dict[str, float] = field(default_factory=dict)
    condition_objects: frozenset[str] = frozenset()

    def opposes(self, tok: Token) -> bool:
        """Whether a verb is an opposition cue by its lemma alone ("oppose returning to Geneva")."""
        return any(c.polarity == OPPOSE and not c.words for lemma in lemmas(tok) for c in self.verbs.get(lemma, ()))

    def cues_at(self, tok: Token) -> list[CueMatch]:
        """The cues a verb token carries, most specific first ("back away from" before "back")."""
        found = []
        for lemma in lemmas(tok):
            for cue in self.verbs.get(lemma, ()):
                anchor = _follow(tok, cue.words)
                if anchor is not None:
                    found.append(CueMatch(cue, tok, anchor))
            if found:
                break
        return sorted(found, key=lambda m: -len(m.cue.words))


def lemmas(tok: Token) -> tuple[str, ...]:
    """The lemma, and the forms a regular inflection would come from.

    Small models lemmatise "hoped" as "hop"; a cue list should not depend on that.
    """
    found = [tok.lemma_.lower()]
    word = tok.lower_
    if word.endswith("ied"):
        found.append(word[:-3] + "y")
    elif word.endswith("ed"):
        found += [word[:-1], word[:-2]]
    elif word.endswith("ing"):
        found += [word[:-3], word[:-3] + "e"]
    elif word.endswith("es"):
        found += [word[:-1], word[:-2]]
    elif word.endswith("s"):
        found.append(word[:-1])
    found.append(word)
    return tuple(dict.fromkeys(found))


@lru_cache(maxsize=1)
def load_lexicon() -> StanceLexicon:
    text = (importlib.resources.files("detente.nlp.stances") / PATTERNS_FILE).read_text(encoding="utf-8")
    return lexicon_from(load_yaml(text))


def lexicon_from(raw: dict[str, Any]) -> StanceLexicon:
    verbs: dict[str, list[Cue]] = {}
    not_at_actors = {_split(p) for p in raw.get("not_at_actors") or ()}
    for polarity in (SUPPORT, OPPOSE):
        for phrase, weight in (raw.get("verbs", {}).get(polarity) or {}).items():
            _add(verbs, phrase, polarity, float(weight), weak=False, no_actor=_split(phrase) in not_at_actors)
    participation = raw.get("participation") or {}
    for strength in ("strong", "weak", "hosting", "abstain"):
        for phrase, weight in (participation.get(strength) or {}).items():
            cue = Cue(*_split(phrase), PARTICIPATE, float(weight), weak=strength == "weak",
                      explicit=strength == "hosting", inverted=strength == "abstain")
            verbs.setdefault(cue.lemma, []).append(cue)
    clausal = raw.get("clausal") or {}
    for strength, urging in (("support", False), ("urging", True)):
        for phrase, weight in (clausal.get(strength) or {}).items():
            cue = Cue(*_split(phrase), SUPPORT, float(weight), clausal=True, urging=urging)
            verbs.setdefault(cue.lemma, []).append(cue)
    nouns = {
        lemma: (polarity, float(weight))
        for polarity in (SUPPORT, OPPOSE)
        for lemma, weight in ((raw.get("nouns") or {}).get(polarity) or {}).items()
    }
    condition = raw.get("condition") or {}
    judge = raw.get("evaluation") or {}
    return StanceLexicon(
        verbs={lemma: tuple(sorted(cues, key=lambda c: -len(c.words))) for lemma, cues in verbs.items()},
        refusal=frozenset(raw.get("refusal") or ()),
        judging=frozenset(judge.get("verbs") or ()),
        naming=frozenset(judge.get("naming") or ()),
        good=frozenset(judge.get("good") or ()),
        bad=frozenset(judge.get("bad") or ()),
        nouns=nouns,
        implicit_nouns=frozenset(raw.get("implicit_nouns") or ()),
        target_preps=frozenset(raw.get("target_preps") or ()),
        condition_markers=tuple(sorted((tuple(m.lower().split()) for m in condition.get("markers") or ()), key=len, reverse=True)),
        after_negation=frozenset(condition.get("after_negation") or ()),
        condition_nouns=frozenset(condition.get("nouns") or ()),
        unmet_verbs=frozenset(condition.get("unmet_verbs") or ()),
        light_nouns=frozenset(raw.get("light_nouns") or ()),
        target_nouns=frozenset(raw.get("target_nouns") or ()),
        anaphors=frozenset(raw.get("anaphors") or ()),
        voices=frozenset(raw.get("voices") or ()),
        withdrawal=frozenset(raw.get("withdrawal") or ()),
        position_nouns=frozenset(raw.get("position_nouns") or ()),
        target_kinds={noun: kind for kind, nouns_of in (raw.get("target_kinds") or {}).items() for noun in nouns_of or ()},
        named_by_of=frozenset(raw.get("named_by_of") or ()),
        throwaway=frozenset(str(phrase).lower() for phrase in raw.get("throwaway") or ()),
        pursuit=frozenset(raw.get("pursuit") or ()),
        no_policy=frozenset(raw.get("no_policy") or ()),
        action_nouns={str(k): str(v) for k, v in (raw.get("action_nouns") or {}).items()},
        reversal=frozenset(raw.get("reversal") or ()),
        measures=frozenset(raw.get("measures") or ()),
        policy_anaphors=frozenset(raw.get("policy_anaphors") or ()),
        desire=frozenset(raw.get("desire") or ()),
        obligation_modals=frozenset((raw.get("obligation") or {}).get("modals") or ()),
        obligation_verbs=frozenset((raw.get("obligation") or {}).get("verbs") or ()),
        not_conditions=tuple(tuple(m.lower().split()) for m in condition.get("not_conditions") or ()),
        not_target_words=frozenset(raw.get("not_target_words") or ()),
        quantity_nouns=frozenset(raw.get("quantity_nouns") or ()),
        terms_verbs=frozenset(raw.get("terms_verbs") or ()),
        violence=frozenset(raw.get("violence") or ()),
        seeking_nouns=frozenset(raw.get("seeking_nouns") or ()),
        receiving=frozenset(raw.get("receiving") or ()),
        readiness={str(k): float(v) for k, v in (raw.get("readiness") or {}).items()},
        policy_verbs=frozenset(raw.get("policy_verbs") or ())
        | frozenset(str(v) for v in (raw.get("action_nouns") or {}).values())
        | frozenset(raw.get("reversal") or ())
        | frozenset((raw.get("obligation") or {}).get("verbs") or ()),
        condition_objects=frozenset(raw.get("condition_objects") or ()),
    )


def _add(verbs: dict[str, list[Cue]], phrase: str, polarity: str, weight: float, weak: bool, no_actor: bool = False) -> None:
    cue = Cue(*_split(phrase), polarity, weight, weak, no_actor=no_actor)
    verbs.setdefault(cue.lemma, []).append(cue)


def _split(phrase: str) -> tuple[str, tuple[str, ...]]:
    lemma, *rest = phrase.lower().split()
    return lemma, tuple(rest)


def _follow(verb: Token, words: tuple[str, ...]) -> Token | None:
    """The token reached by finding each word among the children of the last one found (or of the verb).

    Parsers hang "in" of "take part in" on "take" or on "part"; both are accepted.
    """
    node = verb
    for word in words:
        found = _child(node, word) or _child(verb, word)
        if found is None:
            return None
        node = found
    return node


def _child(tok: Token, word: str) -> Token | None:
    """A child spelling `word`; a preposition must be one in the parse too (not the "to" of "to go")."""
    for child in children_of(tok):
        if child.lower_ == word or child.lemma_.lower() == word:
            if word in PREPOSITIONS and child.dep_ not in ("prep", "dative", "agent", "prt", "advmod"):
                continue
            return child
    return None
