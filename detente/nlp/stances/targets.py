"""The stance target registry: what an actor can be for or against, under every name a report uses.

Reports rarely name a conference the same way twice: "the Moscow meeting",
"the Russian-hosted talks", "the talks in Moscow" and "Russia's effort" are
one event in January 2015, and "the talks in Geneva" are Geneva II in 2014 but
Geneva III in 2016. So a target is declared once, as data
(`detente/nlp/stances/targets.yaml`, extended by a user's file with the same shape),
with its aliases, the words that place it ("Moscow", "Russian-hosted") and the
dates between which those words mean it. Issues that reports state as clauses
rather than names ("Assad had to go", "a government that did not include
Assad") are declared as patterns, with the patterns of their reverse ("keeping
Assad in place") beside them, so a stance against the reverse counts as a
stance for the issue.

Everything is matched on folded words (lower case, no accents, no dots, no
possessive "'s"), so "U.N." meets "UN" and "Russia's" meets "Russia".
"""

from __future__ import annotations

import dataclasses
import importlib.resources
import re
from collections.abc import Callable, Collection, Iterable
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from typing import Any

import yaml

from detente.data_files import load_yaml
from detente.nlp.actors.identity import fold

BUILTIN_FILE = "targets.yaml"
KINDS = ("conference", "initiative", "issue", "other")
_ISO_PREFIX = re.compile(r"^\d{4}(-\d{2}(-\d{2})?)?$")
_ID = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")
_WORD = re.compile(r"[a-z0-9]+")
_POSSESSIVE = re.compile(r"'s?\b")
_ACTOR_SLOT = "{actor}"
# Words that open a phrase without telling which target it is.
DETERMINERS = frozenset(
    "the a an this that these those its their his her our my your any such every all some each another".split()
)
# Words that join a name's parts without telling targets apart: "cessation of hostilities".
FUNCTION_WORDS = frozenset("of on for in to with and at by from between".split())

# How sure a match is, by the way it was found.
SCORE_EXACT = 1.0
SCORE_GENERIC = 0.9
SCORE_PATTERN = 0.85
SCORE_CONTAINED = 0.8
SCORE_PLACE = 0.7


class TargetFileError(ValueError):
    """A targets file that cannot be read; the message names the file, the entry and the fix."""


@dataclass(frozen=True)
class Alias:
    words: tuple[str, ...]
    generic: bool  # "the truce": one common word, so it must be the whole phrase
    distinctive: bool = True  # has a word of its own ("Geneva"), not only common ones ("the peace talks")


@dataclass
class Target:
    id: str
    name: str
    kind: str = "other"
    aliases: list[str] = field(default_factory=list)
    window: tuple[str, str] | None = None
    places: list[str] = field(default_factory=list)
    actor: str | None = None
    actor_names: list[str] = field(default_factory=list)
    patterns: list[str] = field(default_factory=list)
    opposite: list[str] = field(default_factory=list)
    scope: str | None = None  # the conflict it belongs to (a key of the registry's `scopes`)


@dataclass(frozen=True)
class TargetMatch:
    """A phrase read as a target; `reverse` when it names the target's opposite ("keep Assad in place")."""

    id: str
    score: float
    reverse: bool = False
    how: str = "alias"  # alias | generic | contained | place | pattern
    distinctive: bool = True  # named by words of its own, not only by "the deal" or "the peace talks"


@dataclass(frozen=True)
class TargetHit:
    """Where a longer text states a target: character offsets into that (folded) text."""

    id: str
    start: int
    end: int
    reverse: bool = False
    how: str = "pattern"


@dataclass
class _Compiled:
    target: Target
    aliases: list[Alias]
    places: list[tuple[str, ...]]
    patterns: list[re.Pattern]
    opposite: list[re.Pattern]
    alias_regex: re.Pattern | None = None


def words(text: str) -> list[str]:
    """The folded words of a phrase: no case, accents, dots or possessive "'s"; hyphens split words."""
    return _WORD.findall(_POSSESSIVE.sub("", fold(text)))


def content_words(text: str) -> list[str]:
    """Words of a phrase without the determiners that open it ("the", "its", "any")."""
    found = words(text)
    while found and found[0] in DETERMINERS:
        found = found[1:]
    return found


def slug(phrase: str) -> str:
    """A stable id for a target the registry does not know: "Khatib's initiative" → "khatib-initiative"."""
    kept = [w for w in words(phrase) if w not in DETERMINERS]
    return "-".join(kept) or "target"


def in_window(on: str | None, window: tuple[str, str] | None) -> bool:
    """Whether a date (an ISO prefix or "A/B" range) can fall in a window of ISO prefixes.

    A date less precise than the window's ends is compared at its own
    precision: "2015" is inside [2014-11, 2015-04].
    """
    if window is None or not on:
        return True
    day = on.split("/")[0]
    first, last = window
    return day[: len(first)] >= first[: len(day)] and day[: len(last)] <= last[: len(day)]


def _contains(haystack: list[str], needle: tuple[str, ...]) -> bool:
    n = len(needle)
    if n == 0 or n > len(haystack):
        return False
    first = needle[0]
    return any(haystack[i] == first and tuple(haystack[i : i + n]) == needle for i in range(len(haystack) - n + 1))


class TargetRegistry:
    """Targets by id, and the reading of a phrase as one of them on a given date."""

    def __init__(
        self,
        targets: Iterable[Target] = (),
        meeting_nouns: Iterable[str] = (),
        modifiers: Iterable[str] = (),
        common_words: Iterable[str] = (),
    ) -> None:
        self._targets: dict[str, _Compiled] = {}
        self.meeting_nouns: set[str] = set()
        self.modifiers: set[str] = set()
        self.common_words: set[str] = set()  # words any conflict's targets share: deal, talks, peace
        self.scopes: dict[str, frozenset[str]] = {}  # a conflict -> words that show a report is about it
        self._by_word: dict[str, set[str]] = {}  # a word of an alias or place -> targets using it
        self._with_patterns: set[str] = set()
        self._memo: dict[tuple[str, str | None], list[TargetMatch]] = {}
        self.extend(targets, meeting_nouns, modifiers, common_words)

    # -- building -------------------------------------------------------------

    @classmethod
    def builtin(cls) -> TargetRegistry:
        """The targets shipped with detente (a copy: callers may extend it without touching others')."""
        return _builtin_registry().copy()

    def copy(self) -> TargetRegistry:
        """A registry with the same targets; compiled patterns are shared, the tables are not."""
        twin = TargetRegistry()
        twin._targets = dict(self._targets)
        twin.meeting_nouns = set(self.meeting_nouns)
        twin.modifiers = set(self.modifiers)
        twin.common_words = set(self.common_words)
        twin.scopes = dict(self.scopes)
        twin._index()
        return twin

    @classmethod
    def load(cls, path: str | Path | None = None) -> TargetRegistry:
        """The built-in targets, extended (and overridden by id) by a user's YAML file when given."""
        registry = cls.builtin()
        if path is None:
            return registry
        path = Path(path)
        try:
            raw = load_yaml(path.read_text(encoding="utf-8"))
        except OSError as err:
            raise TargetFileError(f"Cannot read the targets file {path}: {err.strerror}. Check the path.") from err
        except yaml.YAMLError as err:
            raise TargetFileError(f"The targets file {path} is not valid YAML ({err}). Fix the syntax and try again.") from err
        user = cls.from_data(raw, str(path))
        registry.extend(user.targets(), user.meeting_nouns, user.modifiers, user.common_words)
        registry.scopes.update(user.scopes)
        return registry

    @classmethod
    def from_data(cls, raw: Any, source: str) -> TargetRegistry:
        if raw is None:
            raw = {}
        if not isinstance(raw, dict) or not isinstance(raw.get("targets", []), list):
            raise TargetFileError(
                f"{source}: expected a mapping with a `targets:` list (see detente/nlp/stances/{BUILTIN_FILE} for the shape)."
            )
        targets = [_parse_target(entry, k, source) for k, entry in enumerate(raw.get("targets") or [], start=1)]
        registry = cls(
            targets,
            _word_list(raw, "meeting_nouns", source),
            _word_list(raw, "modifiers", source),
            _word_list(raw, "common_words", source),
        )
        registry.scopes = _scopes(raw, source)
        return registry

    def extend(
        self,
        targets: Iterable[Target],
        meeting_nouns: Iterable[str] = (),
        modifiers: Iterable[str] = (),
        common_words: Iterable[str] = (),
    ) -> None:
        """Add targets; one with a known id replaces the old entry."""
        for word in meeting_nouns:
            self.meeting_nouns.update(words(word))
        for word in modifiers:
            self.modifiers.update(words(word))
        for word in common_words:
            self.common_words.update(words(word))
        common = self.common_vocabulary()
        for tid, compiled in self._targets.items():
            # A new common word can make an old alias common; compiled entries are shared with copies, so replace them.
            self._targets[tid] = dataclasses.replace(compiled, aliases=[_with_distinction(a, common) for a in compiled.aliases])
        for target in targets:
            self._targets[target.id] = _compile(target, common)
        self._index()

    def common_vocabulary(self) -> frozenset[str]:
        """Words that do not tell one conflict's targets from another's: meeting nouns, modifiers, common words."""
        return frozenset(self.meeting_nouns | self.modifiers | self.common_words | DETERMINERS | FUNCTION_WORDS)

    def windowed(self, target_id: str) -> bool:
        """Whether a target belongs to a time (and so to one conflict): its common names need corroboration."""
        compiled = self._targets.get(target_id)
        return compiled is not None and compiled.target.window is not None

    def scopes_of(self, folded_words: Collection[str]) -> frozenset[str]:
        """The conflicts a text is about, by the words it uses ("Syrian", "Damascus")."""
        present = set(folded_words)
        return frozenset(name for name, cue_words in self.scopes.items() if cue_words & present)

    def _index(self) -> None:
        """Which targets a word can point at, so a phrase is only compared with those."""
        self._by_word.clear()
        self._with_patterns.clear()
        self._memo.clear()
        for tid, compiled in self._targets.items():
            for alias in compiled.aliases:
                for word in alias.words:
                    self._by_word.setdefault(word, set()).add(tid)
            for place in compiled.places:
                for word in place:
                    self._by_word.setdefault(word, set()).add(tid)
            if compiled.patterns or compiled.opposite:
                self._with_patterns.add(tid)

    # -- reading --------------------------------------------------------------

    def __contains__(self, target_id: object) -> bool:
        return target_id in self._targets

    def __len__(self) -> int:
        return len(self._targets)

    def targets(self) -> list[Target]:
        return [c.target for c in self._targets.values()]

    def get(self, target_id: str) -> Target | None:
        compiled = self._targets.get(target_id)
        return compiled.target if compiled else None

    def name(self, target_id: str) -> str:
        """A target's display name; an unknown id (a slug or an actor id) reads as its words."""
        target = self.get(target_id)
        return target.name if target else target_id.replace("-", " ")

    def resolve(self, phrase: str, on: str | None = None, prefer: Collection[str] = ()) -> str | None:
        """The id of the target a phrase names on date `on`, or None when it names none (or several equally)."""
        found = self.match(phrase, on, prefer)
        return found.id if found else None

    def match(
        self,
        phrase: str,
        on: str | None = None,
        prefer: Collection[str] = (),
        accept: Callable[[TargetMatch], bool] | None = None,
    ) -> TargetMatch | None:
        """The best reading of a phrase; ties go to `prefer` (targets the document already names).

        `accept` filters readings first: a document that never names the Geneva
        talks by a name of their own does not mean them by "the peace talks".
        """
        found = self.matches(phrase, on)
        if accept is not None:
            found = [m for m in found if accept(m)]
        if not found:
            return None
        best = [m for m in found if m.score == found[0].score]
        if len(best) > 1:
            preferred = [m for m in best if m.id in prefer]
            if len(preferred) == 1:
                return preferred[0]
            if not on:
                return None
        return best[0]

    def matches(self, phrase: str, on: str | None = None) -> list[TargetMatch]:
        """Every target the phrase can name on date `on`, best first (registry order breaks ties)."""
        memo_key = (phrase, on)
        if memo_key in self._memo:
            return self._memo[memo_key]
        key = content_words(phrase)
        if not key:
            return []
        bare = [w for w in key if w not in self.modifiers]
        text = fold(phrase)
        candidates = set(self._with_patterns)
        for word in key:
            candidates |= self._by_word.get(word, set())
        found: dict[str, TargetMatch] = {}
        for k, (tid, compiled) in enumerate(self._targets.items()):
            if tid not in candidates or not in_window(on, compiled.target.window):
                continue
            hit = self._match_one(compiled, key, bare, text)
            if hit is not None:
                found[tid] = hit
        order = {tid: k for k, tid in enumerate(self._targets)}
        result = sorted(found.values(), key=lambda m: (-m.score, order[m.id]))
        if len(self._memo) > 4096:
            self._memo.clear()
        self._memo[memo_key] = result
        return result

    def _match_one(self, compiled: _Compiled, key: list[str], bare: list[str], text: str) -> TargetMatch | None:
        tid = compiled.target.id
        best: TargetMatch | None = None
        for alias in compiled.aliases:
            if list(alias.words) == key:
                return TargetMatch(tid, SCORE_EXACT, distinctive=alias.distinctive)
            if alias.generic:
                if list(alias.words) == bare:
                    best = _better(best, TargetMatch(tid, SCORE_GENERIC, how="generic", distinctive=False))
            elif _contains(key, alias.words):
                score = min(SCORE_CONTAINED + 0.02 * len(alias.words), SCORE_GENERIC - 0.01)
                best = _better(best, TargetMatch(tid, score, how="contained", distinctive=alias.distinctive))
        if best is None and compiled.places and any(w in self.meeting_nouns for w in key):
            if any(_contains(key, place) for place in compiled.places):
                best = TargetMatch(tid, SCORE_PLACE, how="place", distinctive=False)  # "the Moscow meeting" recurs
        if best is None or best.score < SCORE_PATTERN:
            if any(p.search(text) for p in compiled.patterns):
                best = TargetMatch(tid, SCORE_PATTERN, how="pattern")
            elif best is None and any(p.search(text) for p in compiled.opposite):
                best = TargetMatch(tid, SCORE_PATTERN, reverse=True, how="pattern")
        return best

    def search(self, text: str, on: str | None = None, kinds: Collection[str] = ("issue",)) -> list[TargetHit]:
        """Every place a longer text (a quote, a clause) states a target of these kinds, in text order.

        `text` is expected as `fold` leaves it (lower case, no dots or accents),
        with an actor's mention written @actor-id where the caller knows it.
        Only multi-word aliases and patterns are searched: a lone "truce" in a
        quote says nothing about which truce.
        """
        hits = []
        for compiled in self._targets.values():
            if compiled.target.kind not in kinds or not in_window(on, compiled.target.window):
                continue
            tid = compiled.target.id
            for regexes, reverse, how in ((compiled.patterns, False, "pattern"), (compiled.opposite, True, "pattern")):
                hits += [TargetHit(tid, m.start(), m.end(), reverse, how) for p in regexes for m in p.finditer(text)]
            if compiled.alias_regex is not None:
                hits += [TargetHit(tid, m.start(), m.end(), False, "alias") for m in compiled.alias_regex.finditer(text)]
        return sorted(hits, key=lambda h: (h.start, -h.end))

    def issue_actors(self) -> frozenset[str]:
        """Actors whose mentions issue patterns refer to ("{actor}" in assad-departure)."""
        return frozenset(c.target.actor for c in self._targets.values() if c.target.actor)

    def scan_words(self) -> frozenset[str]:
        """Last words of every alias and the meeting nouns: a phrase ending otherwise names no target by alias."""
        heads = set(self.meeting_nouns)
        for compiled in self._targets.values():
            heads.update(a.words[-1] for a in compiled.aliases)
        return frozenset(heads)


def _better(old: TargetMatch | None, new: TargetMatch) -> TargetMatch:
    return new if old is None or new.score > old.score else old


# -- reading the YAML ------------------------------------------------------------


@lru_cache(maxsize=1)
def _builtin_registry() -> TargetRegistry:
    """Read and compile the packaged targets once per process."""
    text = (importlib.resources.files("detente.nlp.stances") / BUILTIN_FILE).read_text(encoding="utf-8")
    return TargetRegistry.from_data(load_yaml(text), f"detente/nlp/stances/{BUILTIN_FILE}")


def _scopes(raw: dict, source: str) -> dict[str, frozenset[str]]:
    value = raw.get("scopes") or {}
    if not isinstance(value, dict) or not all(isinstance(v, list) for v in value.values()):
        raise TargetFileError(f"{source}: `scopes` must map a conflict to a list of words, like syria: [Syria, Damascus].")
    return {str(name): frozenset(w for phrase in cue_words for w in words(str(phrase))) for name, cue_words in value.items()}


def _word_list(raw: dict, key: str, source: str) -> list[str]:
    value = raw.get(key) or []
    if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
        raise TargetFileError(f"{source}: `{key}` must be a list of words, like [talks, meeting].")
    return value


def _parse_target(entry: Any, k: int, source: str) -> Target:
    where = f"{source}: target {k}"
    if not isinstance(entry, dict) or not isinstance(entry.get("id"), str):
        raise TargetFileError(f"{where} needs an `id` (a slug like moscow-talks-2015) and a `name`.")
    tid = entry["id"]
    where = f"{where} ({tid!r})"
    if not _ID.match(tid):
        raise TargetFileError(f"{where}: the id must be lower-case words joined by hyphens, like moscow-talks-2015.")
    kind = entry.get("kind") or "other"
    if kind not in KINDS:
        raise TargetFileError(f"{where}: kind {kind!r} is not one of {', '.join(KINDS)}.")
    lists = {}
    for key in ("aliases", "places", "actor_names", "patterns", "opposite"):
        value = entry.get(key) or []
        if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
            raise TargetFileError(f"{where}: `{key}` must be a list of strings.")
        lists[key] = value
    return Target(
        id=tid,
        name=str(entry.get("name") or tid.replace("-", " ")),
        kind=kind,
        window=_parse_window(entry.get("window"), where),
        actor=entry.get("actor"),
        scope=str(entry["scope"]) if entry.get("scope") else None,
        **lists,
    )


def _parse_window(value: Any, where: str) -> tuple[str, str] | None:
    if value is None:
        return None
    if (
        not isinstance(value, list)
        or len(value) != 2
        or not all(_ISO_PREFIX.match(str(v)) for v in value)
        or str(value[0]) > str(value[1])
    ):
        raise TargetFileError(f"{where}: `window` must be [from, to] as ISO dates, like [2014-11, 2015-04], from before to.")
    return str(value[0]), str(value[1])


def _with_distinction(alias: Alias, common: frozenset[str]) -> Alias:
    return Alias(alias.words, alias.generic, distinctive=not alias.generic and any(w not in common for w in alias.words))


def _compile(target: Target, common: frozenset[str] = frozenset()) -> _Compiled:
    aliases = []
    for alias in target.aliases:
        raw = words(alias)
        key = content_words(alias)
        if key:
            generic = len(key) == 1 and len(raw) > 1 and raw[0] in DETERMINERS
            aliases.append(_with_distinction(Alias(tuple(key), generic), common))
    actor_slot = _actor_regex(target)
    long_aliases = sorted({a.words for a in aliases if len(a.words) > 1}, key=len, reverse=True)
    alias_regex = None
    if long_aliases:
        options = "|".join(r"[\s-]+".join(re.escape(w) for w in alias) for alias in long_aliases)
        alias_regex = re.compile(r"(?<![\w@-])(?:" + options + r")(?![\w-])")
    return _Compiled(
        target=target,
        aliases=aliases,
        places=[tuple(words(p)) for p in target.places if words(p)],
        patterns=[_regex(p, actor_slot, target.id) for p in target.patterns],
        opposite=[_regex(p, actor_slot, target.id) for p in target.opposite],
        alias_regex=alias_regex,
    )


def _actor_regex(target: Target) -> str:
    """`{actor}` in a pattern: the actor's mention (@id) or any of its names, longest first."""
    names = sorted({fold(n) for n in target.actor_names if n.strip()}, key=len, reverse=True)
    options = [re.escape(f"@{target.actor}")] if target.actor else []
    options += [re.escape(n) for n in names]
    return "(?:" + "|".join(options) + ")" if options else "(?!)"


def _regex(pattern: str, actor_slot: str, tid: str) -> re.Pattern:
    try:
        return re.compile(r"(?<![\w@-])" + pattern.replace(_ACTOR_SLOT, actor_slot) + r"(?![\w-])")
    except re.error as err:
        raise TargetFileError(f"target {tid!r}: the pattern {pattern!r} is not a valid regular expression ({err}).") from err
