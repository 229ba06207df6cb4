"""Event patterns as data: which words report which PLOVER event, compiled into lookups.

The patterns live in `detente/nlp/events/event_patterns.yaml` so an analyst can
teach the extractor a new wording without touching code. Here they become
dictionaries keyed by the head word, so finding events costs one dictionary
probe per token; the rest of a pattern is checked in the parse only when the
head word is there.
"""

from __future__ import annotations

import importlib.resources
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path

import yaml

PATTERN_FILE = "event_patterns.yaml"

EVENT_TYPES = (
    "AGREE", "CONSULT", "SUPPORT", "CONCEDE", "COOPERATE", "AID", "RETREAT", "REQUEST",
    "ACCUSE", "REJECT", "THREATEN", "PROTEST", "SANCTION", "MOBILIZE", "COERCE", "ASSAULT",
)
STATUSES = ("reported", "planned", "cancelled", "denied", "hypothetical")
_IGNORED_WORDS = frozenset({"a", "an", "the"})
# A noun phrase's head is its last word before a preposition: "round of talks" is a round.
_NOUN_PREPOSITIONS = frozenset({"of", "for", "with", "between", "among", "to", "on", "by"})


class PatternError(ValueError):
    """An event pattern file that cannot be used; the message names the entry and the fix."""


@dataclass(frozen=True)
class Meaning:
    type: str
    mode: str | None = None


@dataclass(frozen=True)
class Pattern:
    """One wording of an event: a head word and the words that must hang below it."""

    phrase: str
    head: str
    words: tuple[str, ...]
    noun: bool
    meaning: Meaning | None
    negated: Meaning | None = None
    planned: Meaning | None = None
    subject: frozenset[str] = frozenset()
    order: int = 0
    unnamed: Meaning | None = None  # what it means when no known actor does it
    status: str | None = None  # the status it always has ("withdraw an invitation": cancelled)
    blocks: bool = False  # the phrase is not an event ("news conference"), and hides the shorter ones

    @property
    def content(self) -> Meaning | None:
        """What the pattern means when it is what another event is about."""
        return self.meaning or self.negated


@dataclass(frozen=True)
class StatusWords:
    """The words that move an event off `reported`, by the status they give."""

    verbs: dict[str, frozenset[str]]  # status → governing verbs (lemmas, or "verb particle")
    auxiliaries: dict[str, frozenset[str]]
    modifiers: dict[str, frozenset[str]]
    marks: frozenset[str]
    periphrastic: dict[str, frozenset[str]] = field(default_factory=dict)  # "going to", "has to"
    attempts: frozenset[str] = field(default=frozenset())  # "sought to mediate": in the past, the attempt was made


@dataclass(frozen=True)
class PatternBook:
    verbs: dict[str, tuple[Pattern, ...]]
    nouns: dict[str, tuple[Pattern, ...]]
    nominal_verbs: frozenset[str]
    planned_as: dict[str, str]
    absorb: dict[str, dict[str, str]]
    status: StatusWords
    speech_verbs: frozenset[str]
    agent_nouns: frozenset[str]
    person_pronouns: frozenset[str]
    group_pronouns: frozenset[str]
    object_control: frozenset[str] = field(default=frozenset())
    negated_future_as: str | None = None
    negated_future_types: frozenset[str] = field(default=frozenset())
    speech_complements: frozenset[str] = field(default=frozenset())
    demand_modals: frozenset[str] = field(default=frozenset())
    blame_words: tuple[tuple[str, ...], ...] = ()  # "war crime", "sham": a statement using them accuses
    blame_types: frozenset[str] = field(default=frozenset())  # "said the regime bombed …" accuses the regime
    praise_words: tuple[tuple[str, ...], ...] = ()
    done_when_past: frozenset[str] = field(default=frozenset())
    judging_verbs: frozenset[str] = field(default=frozenset())
    speech_nouns: frozenset[str] = field(default=frozenset())  # "said in a statement that …"  # "called the meeting promising": judges like a statement  # "announced … in March": the cue reports a done act  # "hopeful", "a step forward": a statement using them supports
    joint_types: frozenset[str] = field(default=frozenset())
    recipient_preps: dict[str, frozenset[str]] = field(default_factory=dict)
    heads: frozenset[str] = field(default=frozenset())

    @property
    def size(self) -> int:
        return sum(len(p) for p in self.verbs.values()) + sum(len(p) for p in self.nouns.values())

    def recipient_prepositions(self, event_type: str | None) -> frozenset[str]:
        extra = self.recipient_preps.get(event_type or "", frozenset())
        return self.recipient_preps.get("all", frozenset()) | extra


class _UniqueKeyLoader(getattr(yaml, "CSafeLoader", yaml.SafeLoader)):
    """A YAML loader that refuses a key given twice: the second would silently replace the first.

    Built on libyaml's C parser when PyYAML has it (ten times faster; the same safe subset).
    """


def _unique_mapping(loader: yaml.SafeLoader, node: yaml.MappingNode, deep: bool = False) -> dict:
    seen: set = set()
    for key_node, _ in node.value:
        key = loader.construct_object(key_node, deep=deep)
        if key in seen:
            raise PatternError(
                f"{key!r} appears twice (line {key_node.start_mark.line + 1}); the second entry would "
                "replace the first. Keep one and merge what they say."
            )
        seen.add(key)
    return yaml.SafeLoader.construct_mapping(loader, node, deep)


_UniqueKeyLoader.add_constructor(yaml.resolver.BaseResolver.DEFAULT_MAPPING_TAG, _unique_mapping)


def parse_meaning(value: object, where: str) -> Meaning:
    """'CONSULT/phone' → Meaning('CONSULT', 'phone'); the type must be one of PLOVER's."""
    text = str(value).strip()
    kind, _, mode = text.partition("/")
    kind = kind.strip().upper()
    if kind not in EVENT_TYPES:
        raise PatternError(f"{where}: {text!r} is not a PLOVER event type; use one of {', '.join(EVENT_TYPES)}.")
    return Meaning(kind, mode.strip() or None)


def _words(phrase: str) -> list[str]:
    return [w for w in phrase.lower().split() if w not in _IGNORED_WORDS]


def _noun_head(words: list[str]) -> int:
    cut = next((i for i, w in enumerate(words) if w in _NOUN_PREPOSITIONS and i > 0), len(words))
    return cut - 1


def compile_pattern(phrase: str, value: object, noun: bool, order: int) -> Pattern:
    where = f"{'nouns' if noun else 'verbs'}: {phrase!r}"
    words = _words(str(phrase))
    if not words:
        raise PatternError(f"{where}: the pattern has no words.")
    head_at = _noun_head(words) if noun else 0
    rest = tuple(words[:head_at] + words[head_at + 1:])
    if value is None:
        return Pattern(str(phrase), words[head_at], rest, noun, None, order=order, blocks=True)
    if isinstance(value, dict):
        meaning = _meaning_from_mapping(value, where)
        negated = parse_meaning(value["negated"], where) if value.get("negated") else None
        planned = parse_meaning(value["planned"], where) if value.get("planned") else None
        unnamed = parse_meaning(value["unnamed"], where) if value.get("unnamed") else None
        status = value.get("status")
        if status is not None and status not in STATUSES:
            raise PatternError(f"{where}: status {status!r} is not one of {', '.join(STATUSES)}.")
        subject = frozenset(_words(s)[_noun_head(_words(s))] for s in value.get("subject") or () if _words(s))
        if meaning is None and negated is None:
            raise PatternError(f"{where}: give a `type` (or a `negated` meaning).")
    else:
        meaning, negated, planned, subject, unnamed, status = parse_meaning(value, where), None, None, frozenset(), None, None
    return Pattern(str(phrase), words[head_at], rest, noun, meaning, negated, planned, subject, order, unnamed, status)


def _meaning_from_mapping(value: dict, where: str) -> Meaning | None:
    if not value.get("type"):
        return None
    meaning = parse_meaning(value["type"], where)
    if "mode" in value:
        return Meaning(meaning.type, value["mode"] or None)
    return meaning


def _index(patterns: list[Pattern]) -> dict[str, tuple[Pattern, ...]]:
    """Head word → its patterns, the most specific (most words) first, then file order."""
    table: dict[str, list[Pattern]] = {}
    for pattern in patterns:
        table.setdefault(pattern.head, []).append(pattern)
    return {head: tuple(sorted(found, key=lambda p: (-len(p.words) - bool(p.subject), p.order))) for head, found in table.items()}


def _phrases(values) -> tuple[tuple[str, ...], ...]:
    return tuple(sorted({tuple(str(v).lower().split()) for v in values or () if str(v).strip()}))


def _word_set(values) -> frozenset[str]:
    return frozenset(str(v).lower() for v in values or ())


def _compile_all(entries: dict, noun: bool) -> list[Pattern]:
    """A phrase's value may be a list of readings that differ by subject: "begin" is a truce taking
    effect with [truce], a meeting with [talks]."""
    patterns = []
    for order, (phrase, value) in enumerate(entries.items()):
        for reading in value if isinstance(value, list) else [value]:
            patterns.append(compile_pattern(phrase, reading, noun, order))
    return patterns


def build_book(raw: dict) -> PatternBook:
    """Compile the parsed YAML; every problem is reported with the entry that causes it."""
    if not isinstance(raw, dict) or not isinstance(raw.get("verbs"), dict):
        raise PatternError("An event pattern file needs a `verbs:` mapping (phrase: TYPE or TYPE/mode).")
    verbs = _compile_all(raw["verbs"], False)
    nouns = _compile_all(raw.get("nouns") or {}, True)
    status_raw = raw.get("status") or {}
    for name in status_raw:
        if name not in STATUSES:
            raise PatternError(f"status: {name!r} is not a status; use one of {', '.join(STATUSES)}.")
    status = StatusWords(
        verbs={s: _word_set((status_raw.get(s) or {}).get("verbs")) for s in STATUSES},
        auxiliaries={s: _word_set((status_raw.get(s) or {}).get("auxiliaries")) for s in STATUSES},
        modifiers={s: _word_set((status_raw.get(s) or {}).get("modifiers")) for s in STATUSES},
        marks=_word_set((status_raw.get("hypothetical") or {}).get("marks")),
        periphrastic={s: _word_set((status_raw.get(s) or {}).get("periphrastic")) for s in STATUSES},
        attempts=_word_set((status_raw.get("planned") or {}).get("attempts")),
    )
    planned_as = {k.upper(): parse_meaning(v, f"planned_as: {k}").type for k, v in (raw.get("planned_as") or {}).items()}
    absorb = {k.upper(): {i.upper(): str(m) for i, m in (v or {}).items()} for k, v in (raw.get("absorb") or {}).items()}
    pronouns = raw.get("pronouns") or {}
    refusal = raw.get("negated_future") or {}
    verb_index, noun_index = _index(verbs), _index(nouns)
    return PatternBook(
        verbs=verb_index,
        nouns=noun_index,
        nominal_verbs=_word_set(raw.get("nominal_verbs")),
        planned_as=planned_as,
        absorb=absorb,
        status=status,
        speech_verbs=_word_set(raw.get("speech_verbs")),
        agent_nouns=_word_set(raw.get("agent_nouns")),
        person_pronouns=_word_set(pronouns.get("person")),
        group_pronouns=_word_set(pronouns.get("group")),
        object_control=_word_set(raw.get("object_control")),
        negated_future_as=parse_meaning(refusal["as"], "negated_future").type if refusal.get("as") else None,
        negated_future_types=frozenset(parse_meaning(t, "negated_future").type for t in refusal.get("types") or ()),
        speech_complements=_word_set(raw.get("speech_complements")),
        demand_modals=_word_set(raw.get("demand_modals")),
        blame_words=_phrases(raw.get("blame_words")),
        blame_types=frozenset(parse_meaning(t, "blame_types").type for t in raw.get("blame_types") or ()),
        praise_words=_phrases(raw.get("praise_words")),
        done_when_past=_word_set((status_raw.get("planned") or {}).get("done_when_past")),
        judging_verbs=_word_set(raw.get("judging_verbs")),
        speech_nouns=_word_set(raw.get("speech_nouns")),
        joint_types=frozenset(parse_meaning(t, "joint_types").type for t in raw.get("joint_types") or ()),
        recipient_preps={str(k).upper() if k != "all" else "all": _word_set(v) for k, v in (raw.get("recipient_preps") or {}).items()},
        heads=frozenset(verb_index) | frozenset(noun_index),
    )


def read_patterns(text: str, source: str = PATTERN_FILE) -> PatternBook:
    try:
        raw = yaml.load(text, Loader=_UniqueKeyLoader)
    except PatternError as err:
        raise PatternError(f"{source}: {err}") from None
    except yaml.YAMLError as err:
        raise PatternError(f"{source} is not valid YAML ({err}); fix the line it names.") from None
    try:
        return build_book(raw)
    except PatternError as err:
        raise PatternError(f"{source}: {err}") from None


@lru_cache(maxsize=4)
def load_patterns(path: str | None = None) -> PatternBook:
    """The packaged patterns, or a user's file in the same format; read once per process."""
    if path is None:
        text = (importlib.resources.files("detente.nlp.events") / PATTERN_FILE).read_text(encoding="utf-8")
        return read_patterns(text)
    file = Path(path)
    if not file.is_file():
        raise PatternError(f"No event pattern file at {path}; copy detente/nlp/events/{PATTERN_FILE} and edit it.")
    return read_patterns(file.read_text(encoding="utf-8"), str(file))
