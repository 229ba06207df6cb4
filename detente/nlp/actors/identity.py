"""One actor per real entity, across documents.

Each document names its actors its own way: "Sergei Lavrov" in one report,
"Sergey V. Lavrov" in the next, "Mohammed" here and "Mohammad" there. This
module decides when two names denote the same actor. It errs on the side of
keeping actors apart, because a wrong merge silently mixes two people's
statements, while a missed merge only shows up as a near-duplicate a user can
fix in the registry:

- a person is only matched on a given name *and* a surname, so "Hafez
  al-Assad" and "Bashar al-Assad" stay two people; a bare surname ("Assad",
  in a report that never gives the full name) joins a known person only
  when exactly one known person has that surname;
- spelling variants are folded (accents, "al-" prefixes, middle initials,
  doubled letters, "Sergey"/"Sergei") and only then compared with rapidfuzz,
  with thresholds high enough to keep "al-Khatib" and "al-Khair" apart;
- actors of different kinds or different countries never merge.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass, field
from functools import lru_cache

from rapidfuzz import fuzz, process

from detente.nlp.records import ActorRecord

# Prefixes that attach to a name part without being a name of their own.
_PARTICLES = frozenset(
    "al el ad ad- ash as at az ul de del della der den di da du van von le la bin ibn".split()
)
_HYPHEN_PREFIX = re.compile(r"^(al|el|ad|ash|as|at|az|an|ar)-(?=\w)")
_HONORIFICS = frozenset(
    "mr mrs ms miss dr prof professor sir dame sheikh shaikh rev lord lady madame mme monsieur".split()
)
_QUOTES = str.maketrans({"’": "'", "‘": "'", "`": "'", "´": "'", "‐": "-", "‑": "-", "–": "-", "—": "-"})
_NON_WORD = re.compile(r"[^\w\s'-]")
_SPACES = re.compile(r"\s+")

FIRST_NAME_RATIO = 80.0
SURNAME_RATIO = 88.0
ORG_RATIO = 94.0
ORG_MIN_LENGTH = 10


@lru_cache(maxsize=65536)
def fold(text: str) -> str:
    """Lower case, no accents, straight quotes, no dots: the form every name comparison starts from."""
    text = unicodedata.normalize("NFKD", text.translate(_QUOTES))
    text = "".join(c for c in text if not unicodedata.combining(c))
    return _SPACES.sub(" ", text.replace(".", "").lower()).strip()


@lru_cache(maxsize=65536)
def _fold_part(part: str) -> str:
    """A name part reduced to a spelling-neutral form: the same for Sergey/Sergei, Mohammed/Mohammad."""
    part = _HYPHEN_PREFIX.sub("", part).replace("-", "").replace("'", "")
    part = re.sub(r"(.)\1+", r"\1", part)  # doubled letters: Mohammed → Mohamed
    part = part.replace("ou", "u").replace("ee", "i").replace("ph", "f").replace("q", "k")
    if len(part) > 3 and part.endswith("y"):
        part = part[:-1] + "i"
    return part


@lru_cache(maxsize=65536)
def name_parts(name: str) -> tuple[str, ...]:
    """The folded parts of a person's name, without honorifics, particles or initials."""
    words = _NON_WORD.sub(" ", fold(name)).split()
    parts = []
    for word in words:
        word = word.strip("-'")
        if not word or word in _HONORIFICS or word in _PARTICLES:
            continue
        if len(word.replace("-", "")) == 1:  # a middle initial
            continue
        if word.endswith("'s"):
            word = word[:-2]
        parts.append(_fold_part(word))
    return tuple(p for p in parts if p)


def surname_key(name: str) -> str:
    """The folded last name part; a within-document key only, never a cross-document one."""
    parts = name_parts(name)
    return parts[-1] if parts else ""


def person_key(name: str) -> str | None:
    """Given name + surname, folded; None for a bare surname, which identifies no one on its own."""
    parts = name_parts(name)
    if len(parts) < 2:
        return None
    return f"{parts[0]} {parts[-1]}"


def _parts_compatible(a: str, b: str, ratio: float) -> bool:
    if a == b:
        return True
    return min(len(a), len(b)) >= 5 and a[0] == b[0] and fuzz.ratio(a, b) >= ratio


def same_person(a: str, b: str) -> bool:
    """True when two full names plausibly denote one person.

    Both names need a given name and a surname, the surnames must agree
    closely and so must the given names; extra middle names are allowed on
    one side only ("Mohammad Javad Zarif" ~ "Mohammad Zarif").
    """
    pa, pb = name_parts(a), name_parts(b)
    if len(pa) < 2 or len(pb) < 2:
        return False
    if not _parts_compatible(pa[-1], pb[-1], SURNAME_RATIO):
        return False
    if not _parts_compatible(pa[0], pb[0], FIRST_NAME_RATIO):
        return False
    middle_a, middle_b = pa[1:-1], pb[1:-1]
    if middle_a and middle_b:
        return any(_parts_compatible(x, y, FIRST_NAME_RATIO) for x in middle_a for y in middle_b)
    return True


@lru_cache(maxsize=65536)
def org_key(name: str) -> str:
    """An organisation's or state's name for exact comparison: no article, punctuation or possessive."""
    text = fold(name).replace("&", " and ")
    text = re.sub(r"'s\b", "", text)
    text = _NON_WORD.sub(" ", text).replace("-", " ").replace("'", "")
    words = text.split()
    if words and words[0] == "the":
        words = words[1:]
    return " ".join(words)


def _kinds_compatible(a: str, b: str) -> bool:
    if a == b:
        return True
    return a != "person" and b != "person" and {a, b} != {"state", "group"}


def _countries_compatible(a: str | None, b: str | None) -> bool:
    return a is None or b is None or a == b


def _digits(text: str) -> str:
    return "".join(c for c in text if c.isdigit())


@dataclass
class _Known:
    record: ActorRecord
    names: list[str] = field(default_factory=list)


class ActorIndex:
    """Actors seen so far (in the store and earlier documents), keyed for matching new ones.

    `resolve` answers with the id of the known actor a record denotes, or
    with the record's own id, which is then remembered for later documents.
    """

    def __init__(self, known: Iterable[ActorRecord] = ()) -> None:
        self._known: dict[str, _Known] = {}
        self._person_keys: dict[str, list[str]] = {}
        self._surnames: dict[str, list[str]] = {}
        self._org_keys: dict[str, list[str]] = {}
        self._merged: dict[str, str] = {}  # a record id already resolved to another actor → that actor
        for record in known:
            self._remember(record.id, record)

    def __contains__(self, actor_id: str) -> bool:
        return actor_id in self._known

    def resolve(self, record: ActorRecord) -> str:
        if record.id in self._merged:
            return self._merged[record.id]
        known = self._known.get(record.id)
        if known is not None:
            if _kinds_compatible(known.record.kind, record.kind):
                self._learn(record.id, record)
                return record.id
            own_id = f"{record.id}-{record.kind}"
            return self.resolve(ActorRecord(own_id, record.name, record.kind, record.country, list(record.aliases)))
        match = self._match_person(record) if record.kind == "person" else self._match_other(record)
        if match is not None:
            self._learn(match, record)
            self._merged[record.id] = match
            return match
        self._remember(record.id, record)
        return record.id

    # -- matching ---------------------------------------------------------

    def _compatible(self, actor_id: str, record: ActorRecord) -> bool:
        other = self._known[actor_id].record
        return _kinds_compatible(other.kind, record.kind) and _countries_compatible(other.country, record.country)

    def _match_person(self, record: ActorRecord) -> str | None:
        names = [n for n in [record.name, *record.aliases] if person_key(n)]
        for name in names:
            for actor_id in self._person_keys.get(person_key(name) or "", []):
                if self._compatible(actor_id, record):
                    return actor_id
        for name in names:
            for actor_id in self._surname_candidates(surname_key(name)):
                if not self._compatible(actor_id, record):
                    continue
                if any(same_person(name, known) for known in self._known[actor_id].names):
                    return actor_id
        if not names:
            return self._sole_bearer(record)
        return None

    def _sole_bearer(self, record: ActorRecord) -> str | None:
        """The one known person whose surname a bare-surname record carries; None if none or several."""
        bearers = {
            actor_id
            for name in [record.name, *record.aliases]
            for actor_id in self._surnames.get(surname_key(name), [])
            if self._compatible(actor_id, record)
        }
        return bearers.pop() if len(bearers) == 1 else None

    def _surname_candidates(self, key: str) -> list[str]:
        """Persons whose surname is spelled alike: the only ones worth a full comparison."""
        if not key:
            return []
        found = list(self._surnames.get(key, []))
        if len(key) >= 5:
            for other, _score, _ in process.extract_iter(key, list(self._surnames), scorer=fuzz.ratio, score_cutoff=SURNAME_RATIO):
                if other != key:
                    found.extend(self._surnames[other])
        return found

    def _match_other(self, record: ActorRecord) -> str | None:
        keys = [k for k in (org_key(n) for n in [record.name, *record.aliases]) if k]
        for key in keys:
            for actor_id in self._org_keys.get(key, []):
                if self._compatible(actor_id, record):
                    return actor_id
        for key in keys:
            if len(key) < ORG_MIN_LENGTH:
                continue
            for other, ids in self._org_keys.items():
                if len(other) < ORG_MIN_LENGTH or _digits(other) != _digits(key):
                    continue
                if fuzz.token_sort_ratio(key, other) >= ORG_RATIO:
                    for actor_id in ids:
                        if self._compatible(actor_id, record):
                            return actor_id
        return None

    # -- memory -----------------------------------------------------------

    def _remember(self, actor_id: str, record: ActorRecord) -> None:
        self._known[actor_id] = _Known(record)
        self._learn(actor_id, record)

    def _learn(self, actor_id: str, record: ActorRecord) -> None:
        """Add a record's names to a known actor, so later spellings match it directly."""
        known = self._known[actor_id]
        for name in [record.name, *record.aliases]:
            if not name or name in known.names:
                continue
            known.names.append(name)
            if known.record.kind == "person":
                key = person_key(name)
                if key:
                    _add(self._person_keys, key, actor_id)
                    _add(self._surnames, surname_key(name), actor_id)
            else:
                key = org_key(name)
                if key:
                    _add(self._org_keys, key, actor_id)


def _add(index: dict[str, list[str]], key: str, actor_id: str) -> None:
    ids = index.setdefault(key, [])
    if actor_id not in ids:
        ids.append(actor_id)
