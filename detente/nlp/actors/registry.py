"""The actor registry: who the actors are, under every name a report may use.

A registry fixes what the tagger cannot know: that "Kerry" is John Kerry, that
"the Kremlin" speaks for Russia, that "Sergey V. Lavrov" and "Sergei Lavrov"
are one man, and which roles a person held when. The built-in registry
(`detente/nlp/actors/collective_actors.yaml`: states, governments, international
bodies, the collective actors of the Syrian war) is always loaded first; a
user's file extends it and wins where both name the same actor or alias.

A user's file is our YAML format, or a PETRARCH/Phoenix actor dictionary (the
text format of the Open Event Data Alliance coders), which
`read_phoenix_dictionary` converts on the way in.
"""

from __future__ import annotations

import copy
import importlib.resources
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime
from functools import lru_cache
from pathlib import Path
from typing import Any, Generic, TypeVar

import yaml

_Loader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)

from detente.nlp.actors.identity import fold, person_key, same_person
from detente.nlp.records import ACTOR_KINDS
from detente.nlp.token_table import token_table

BUILTIN_FILE = "collective_actors.yaml"
TITLES_FILE = "titles.yaml"
_ISO_PREFIX = re.compile(r"^\d{4}(-\d{2}(-\d{2})?)?$")
_COUNTRY = re.compile(r"^[A-Z]{3}$")
_PHRASE_SPACES = re.compile(r"\s*([-/])\s*")
_PIECES = re.compile(r"\w+|[^\w\s]")
_FIRST_PIECE = re.compile(r"[^\s\-'/]+|\S")
_TIGHT = ("-", "/")


class RegistryError(ValueError):
    """A registry file that cannot be read; the message names the file and the entry."""


@dataclass
class RegistryRole:
    role: str
    organization: str | None = None
    start: str | None = None
    end: str | None = None


@dataclass
class RegistryActor:
    id: str
    name: str
    kind: str
    country: str | None = None
    aliases: list[str] = field(default_factory=list)
    roles: list[RegistryRole] = field(default_factory=list)
    # Adjectives naming the actor's people ("Russian"): "Russian officials".
    demonyms: list[str] = field(default_factory=list)
    # Places that stand for the actor only as subject or possessive ("Moscow").
    seats: list[str] = field(default_factory=list)
    # The actor that speaks for this state, when it is not the state itself.
    government: str | None = None
    # Classes of description ("rebels", "army", "opposition": described_actors.yaml `sides`)
    # that name this actor in a report about its country, and only there.
    described_as: list[str] = field(default_factory=list)


# -- names and phrases ------------------------------------------------------


def slugify(name: str, person: bool = False) -> str:
    """An id from a name: "Sergey V. Lavrov" → "sergey-lavrov" (a person's initials are dropped)."""
    words = re.sub(r"'s\b", "", fold(name)).replace("'", "").split()
    if person:
        words = [w for w in words if len(w.strip("-")) > 1] or words
    elif words and words[0] == "the" and len(words) > 1:
        words = words[1:]
    slug = re.sub(r"[^a-z0-9]+", "-", " ".join(words)).strip("-")
    return slug or "actor"


def phrase_key(text: str) -> str:
    """The form an alias and a span of text are compared in: folded, hyphens and slashes tight."""
    return _PHRASE_SPACES.sub(r"\1", fold(text))


def strip_the(key: str) -> str:
    return key[4:] if key.startswith("the ") else key


@dataclass
class TokenText:
    """A text's tokens as phrase tables see them: raw words, folded words, and the spaces between."""

    raw: list[str]
    norm: list[str]
    space_after: list[bool]
    is_space: list[bool]

    @classmethod
    def from_doc(cls, doc) -> TokenText:
        table = token_table(doc)
        text, starts, ends = table.text, table.starts, table.ends
        raw = [text[a:b] for a, b in zip(starts, ends)]
        following = starts[1:] + [len(text)]
        return cls(
            raw=raw,
            norm=[fold(t) for t in raw],
            space_after=[end < after for end, after in zip(ends, following)],
            is_space=list(table.space),
        )

    def __len__(self) -> int:
        return len(self.raw)


V = TypeVar("V")


@dataclass
class _Entry(Generic[V]):
    value: V
    cased: bool
    capitals: bool
    article: bool = False  # written "the regime": only matches after "the"


def _case_ok(words: Sequence[str], entry: _Entry) -> bool:
    if not entry.cased:
        return True
    letters = [c for w in words for c in w if c.isalpha()]
    if entry.capitals:
        return bool(letters) and all(c.isupper() for c in letters)
    return any(c.isupper() for c in letters)


class PhraseTable(Generic[V]):
    """Phrases (names, aliases, titles) matched against a token sequence, longest first.

    Matching is on folded text, so "U.S." and "US", "Assad’s" and "Assad's"
    meet; a phrase written with capitals needs a capital in the text, and a
    short all-capital one ("US", "UN") needs the text in capitals too, so the
    pronoun "us" is never the United States.
    """

    def __init__(self) -> None:
        self._entries: dict[str, _Entry[V]] = {}
        self._first: set[str] = set()
        self._max_tokens = 1

    def __len__(self) -> int:
        return len(self._entries)

    def add(self, phrase: str, value: V, override: bool = True) -> None:
        full = phrase_key(phrase)
        key = strip_the(full)
        if not key or (not override and key in self._entries):
            return
        letters = [c for c in phrase if c.isalpha()]
        article = key != full
        known = self._entries.get(key)
        if known is not None and known.value == value:
            article = article and known.article
        self._entries[key] = _Entry(
            value,
            cased=any(c.isupper() for c in letters),
            capitals=0 < len(letters) <= 3 and all(c.isupper() for c in letters),
            article=article,
        )
        self._first.add(_FIRST_PIECE.match(key).group())
        self._max_tokens = max(self._max_tokens, len(_PIECES.findall(key)) + 1)

    def get(self, text: str) -> V | None:
        """The value of a phrase, a leading "the" on either side forgiven."""
        entry = self._entries.get(strip_the(phrase_key(text)))
        return entry.value if entry is not None and _case_ok([text], entry) else None

    def _longest(self, tokens: TokenText, i: int, limit: int | None) -> tuple[int, _Entry[V]] | None:
        if i >= len(tokens) or tokens.norm[i] not in self._first or tokens.is_space[i]:
            return None
        stop = min(len(tokens), i + self._max_tokens, limit if limit is not None else len(tokens))
        best = None
        key = ""
        for j in range(i, stop):
            if tokens.is_space[j] or not tokens.norm[j]:
                break
            key += tokens.norm[j]
            entry = self._entries.get(key)
            if entry is not None and _case_ok(tokens.raw[i:j + 1], entry):
                best = (j + 1, entry)
            tight = tokens.norm[j] in _TIGHT or (j + 1 < len(tokens) and tokens.norm[j + 1] in _TIGHT)
            if tokens.space_after[j] and not tight:
                key += " "
        return best

    def match_at(self, tokens: TokenText, i: int, limit: int | None = None) -> tuple[int, V] | None:
        """The longest phrase starting at token i, as (end token, value)."""
        hit = self._longest(tokens, i, limit)
        return (hit[0], hit[1].value) if hit else None

    def match_span(self, tokens: TokenText, i: int) -> tuple[int, int, V] | None:
        """The longest phrase at token i, an article before it included when the phrase was written with one."""
        if tokens.norm[i] == "the":
            hit = self._longest(tokens, i + 1, None)
            if hit is not None:
                return (i if hit[1].article else i + 1), hit[0], hit[1].value
        hit = self._longest(tokens, i, None)
        if hit is None or hit[1].article:
            return None
        return i, hit[0], hit[1].value

    def scan(self, tokens: TokenText) -> list[tuple[int, int, V]]:
        """Every longest, non-overlapping match, left to right."""
        found = []
        i = 0
        while i < len(tokens):
            hit = self.match_span(tokens, i)
            if hit is None:
                i += 1
                continue
            found.append(hit)
            i = hit[1]
        return found


# -- the registry -----------------------------------------------------------


LEXICON_KEYS = ("collective_nouns", "government_nouns", "organization_heads", "not_actors", "outlet_words", "receiving_verbs")


@dataclass
class _Lexicon:
    """Word lists that go with a registry (see the comments of collective_actors.yaml)."""

    collective_nouns: set[str] = field(default_factory=set)
    government_nouns: set[str] = field(default_factory=set)
    organization_heads: set[str] = field(default_factory=set)
    not_actors: set[str] = field(default_factory=set)
    outlet_words: set[str] = field(default_factory=set)
    receiving_verbs: set[str] = field(default_factory=set)

    def update(self, data: dict) -> None:
        for name in LEXICON_KEYS:
            words = data.get(name) or []
            if not isinstance(words, list):
                raise RegistryError(f"{name} must be a list of words")
            normalise = (lambda w: strip_the(phrase_key(w))) if name == "not_actors" else fold
            getattr(self, name).update(normalise(str(w)) for w in words)

    def is_not_actor(self, name: str) -> bool:
        return strip_the(phrase_key(name)) in self.not_actors


@dataclass
class _Tables:
    names: PhraseTable[str]
    demonyms: PhraseTable[tuple[str, bool]]
    seats: PhraseTable[str]
    persons: dict[str, list[str]]


class ActorRegistry:
    """Known actors with their names, aliases, demonyms, seats and dated roles."""

    def __init__(self, actors: Iterable[RegistryActor] = (), lexicon: _Lexicon | None = None) -> None:
        self._actors: dict[str, RegistryActor] = {}
        self._order: list[str] = []  # lowest priority first: later names win a shared alias
        self.lexicon = lexicon or _Lexicon()
        self._tables: _Tables | None = None
        for actor in actors:
            self.add(actor)

    # -- building ----------------------------------------------------------

    @classmethod
    def builtin(cls) -> ActorRegistry:
        actors, lexicon = _builtin()
        return cls(copy.deepcopy(actors), copy.deepcopy(lexicon))

    @classmethod
    def load(cls, path: str | Path | None) -> ActorRegistry:
        registry = cls.builtin()
        if path is None:
            return registry
        actors, extra = _read_file(Path(path))
        registry.lexicon.update(extra)
        for actor in actors:
            registry.add(actor)
        return registry

    def with_actors(self, actors: Iterable[RegistryActor], override: bool = True) -> ActorRegistry:
        """A copy with more actors; with override=False the ones already here keep their names and fields."""
        other = ActorRegistry(lexicon=copy.deepcopy(self.lexicon))
        other._actors = copy.deepcopy(self._actors)
        other._order = list(self._order)
        for actor in actors:
            other.add(actor, override=override)
        return other

    def add(self, actor: RegistryActor, override: bool = True) -> None:
        """Add an actor, or merge it into the one with the same id (names and roles are pooled)."""
        self._tables = None
        known = self._actors.get(actor.id)
        if known is None:
            self._actors[actor.id] = actor
            if override:
                self._order.append(actor.id)
            else:
                self._order.insert(0, actor.id)
            return
        new, old = (actor, known) if override else (known, actor)
        merged = RegistryActor(
            id=known.id,
            name=new.name or old.name,
            kind=new.kind or old.kind,
            country=new.country or old.country,
            aliases=_union(new.aliases, old.aliases, [old.name] if old.name != new.name else []),
            roles=_union_roles(new.roles, old.roles),
            demonyms=_union(new.demonyms, old.demonyms),
            seats=_union(new.seats, old.seats),
            government=new.government or old.government,
            described_as=_union(new.described_as, old.described_as),
        )
        self._actors[actor.id] = merged
        if override:
            self._order.remove(actor.id)
            self._order.append(actor.id)

    # -- reading -----------------------------------------------------------

    def actors(self) -> list[RegistryActor]:
        return [self._actors[i] for i in self._order]

    def get(self, actor_id: str) -> RegistryActor | None:
        return self._actors.get(actor_id)

    def __contains__(self, actor_id: str) -> bool:
        return actor_id in self._actors

    def __len__(self) -> int:
        return len(self._actors)

    def lookup(self, name: str) -> RegistryActor | None:
        """The actor a name or alias denotes ("the Kremlin" is not one: it is a seat)."""
        if not name or not name.strip():
            return None
        tables = self.tables
        text = re.sub(r"['’]s?$", "", name.strip())
        found = tables.names.get(text)
        if found is not None:
            return self._actors[found]
        key = person_key(text)
        if key:
            for actor_id in tables.persons.get(key, []):
                return self._actors[actor_id]
            for actor_id in tables.persons.get("~" + key.split()[-1], []):
                actor = self._actors[actor_id]
                if any(same_person(text, n) for n in [actor.name, *actor.aliases]):
                    return actor
        return None

    def by_demonym(self, word: str) -> tuple[RegistryActor, bool] | None:
        """("Russians") → (russia, plural=True)."""
        found = self.tables.demonyms.get(word)
        return (self._actors[found[0]], found[1]) if found else None

    def by_seat(self, place: str) -> RegistryActor | None:
        found = self.tables.seats.get(place)
        return self._actors[found] if found else None

    def government_of(self, actor_id: str) -> str:
        """The actor speaking for a state: Syria's is syria-government; Russia speaks for itself."""
        actor = self._actors.get(actor_id)
        if actor is not None and actor.government and actor.government in self._actors:
            return actor.government
        return actor_id

    def state_governed_by(self, actor_id: str) -> str | None:
        """The state whose `government` this actor is ("syria-government" → "syria"), if any."""
        for actor in self._actors.values():
            if actor.government == actor_id and actor.id != actor_id:
                return actor.id
        return None

    def state_of_country(self, country: str) -> str | None:
        """The state actor of an ISO 3166 alpha-3 code ("SYR" → "syria"), not its government."""
        for actor in self._actors.values():
            if actor.kind == "state" and actor.country == country and self.state_governed_by(actor.id) is None:
                return actor.id
        return None

    def described_in(self, state_id: str, description: str) -> str | None:
        """The one actor of a state's country that a class of description names ("rebels" in a report on Syria)."""
        state = self._actors.get(state_id)
        if state is None or not state.country:
            return None
        found = [a.id for a in self._actors.values() if a.country == state.country and description in a.described_as]
        return found[0] if len(found) == 1 else None

    def opposition_of(self, state_id: str) -> str | None:
        """A country's registered opposition: the one group of that country named "... opposition".

        "its opponents" after "Syria's government" is the Syrian opposition;
        with no such group registered, or several, nothing is guessed.
        """
        state = self._actors.get(state_id)
        if state is None or not state.country:
            return None
        found = [a for a in self._actors.values()
                 if a.kind == "group" and a.country == state.country and fold(a.name).split()[-1:] == ["opposition"]]
        return found[0].id if len(found) == 1 else None

    def roles_of(self, actor_id: str, on: str | None = None) -> list[RegistryRole]:
        """The actor's roles, only those held on a date when one is given."""
        actor = self._actors.get(actor_id)
        if actor is None:
            return []
        return [r for r in actor.roles if on is None or _covers(r, on)]

    @property
    def tables(self) -> _Tables:
        if self._tables is None:
            self._tables = self._build_tables()
        return self._tables

    def _build_tables(self) -> _Tables:
        names: PhraseTable[str] = PhraseTable()
        demonyms: PhraseTable[tuple[str, bool]] = PhraseTable()
        seats: PhraseTable[str] = PhraseTable()
        persons: dict[str, list[str]] = {}
        for actor in self.actors():
            for alias in [*actor.aliases, actor.name]:
                names.add(alias, actor.id)
                if actor.kind == "person":
                    key = person_key(alias)
                    if key:
                        _prepend(persons, key, actor.id)
                        _prepend(persons, "~" + key.split()[-1], actor.id)
            for word in actor.demonyms:
                demonyms.add(word, (actor.id, False))
                plural = plural_demonym(word)
                if plural:
                    demonyms.add(plural, (actor.id, True))
            for seat in actor.seats:
                seats.add(seat, actor.id)
        return _Tables(names, demonyms, seats, persons)

    # -- writing -----------------------------------------------------------

    def to_yaml(self) -> str:
        """The registry in the YAML format `load` reads (builtin actors included)."""
        return yaml.safe_dump({"actors": [actor_to_dict(a) for a in self.actors()]}, sort_keys=False, allow_unicode=True)


def actor_to_dict(actor: RegistryActor) -> dict:
    entry: dict[str, Any] = {"id": actor.id, "name": actor.name, "kind": actor.kind, "country": actor.country}
    if actor.aliases:
        entry["aliases"] = list(actor.aliases)
    if actor.roles:
        entry["roles"] = [{k: v for k, v in vars(r).items() if v is not None} for r in actor.roles]
    for extra in ("demonyms", "seats"):
        if getattr(actor, extra):
            entry[extra] = list(getattr(actor, extra))
    if actor.government:
        entry["government"] = actor.government
    if actor.described_as:
        entry["described_as"] = list(actor.described_as)
    return entry


def _union(*lists: Sequence[str]) -> list[str]:
    seen: dict[str, str] = {}
    for items in lists:
        for item in items:
            seen.setdefault(phrase_key(item), item)
    return list(seen.values())


def _union_roles(*lists: Sequence[RegistryRole]) -> list[RegistryRole]:
    out: list[RegistryRole] = []
    for roles in lists:
        for role in roles:
            if role not in out:
                out.append(role)
    return out


def _prepend(index: dict[str, list[str]], key: str, actor_id: str) -> None:
    ids = index.setdefault(key, [])
    if actor_id in ids:
        ids.remove(actor_id)
    ids.insert(0, actor_id)


def plural_demonym(demonym: str) -> str | None:
    """'Russian' → 'Russians'; none for 'Chinese', 'British', 'Swiss', 'Dutch'."""
    if demonym.lower().endswith(("ese", "sh", "ch", "s", "x", "z")):
        return None
    return demonym + "s"


def _covers(role: RegistryRole, on: str) -> bool:
    return (role.start is None or role.start[: len(on)] <= on) and (role.end is None or on[: len(role.end)] <= role.end)


# -- reading files ----------------------------------------------------------


@lru_cache(maxsize=1)
def _builtin() -> tuple[list[RegistryActor], _Lexicon]:
    text = (importlib.resources.files("detente.nlp.actors") / BUILTIN_FILE).read_text(encoding="utf-8")
    data = yaml.load(text, Loader=_Loader)
    lexicon = _Lexicon()
    lexicon.update(data)
    registry = ActorRegistry(_countries(data.get("countries") or [], BUILTIN_FILE))
    for actor in _parse_actors(data.get("actors") or [], BUILTIN_FILE):
        registry.add(actor)
    return registry.actors(), lexicon


@lru_cache(maxsize=1)
def builtin_country_ids() -> dict[str, str]:
    """ISO3 → the id of the state actor built from its countries row ("SYR" → "syria")."""
    data = yaml.load((importlib.resources.files("detente.nlp.actors") / BUILTIN_FILE).read_text(encoding="utf-8"), Loader=_Loader)
    return {row[0]: slugify(row[1]) for row in data.get("countries") or []}


def _countries(rows: list, source: str) -> list[RegistryActor]:
    actors = []
    for n, row in enumerate(rows):
        if not isinstance(row, list) or len(row) < 2:
            raise RegistryError(f"{source}: countries[{n}] must be [ISO3, name, demonym, seat, aliases]")
        code, name, demonyms, seats, aliases = (list(row) + [None, None, None])[:5]
        country = _country(code, f"{source}: countries[{n}]")
        actors.append(RegistryActor(
            id=slugify(str(name)), name=str(name), kind="state", country=country,
            aliases=_words(aliases), demonyms=_words(demonyms), seats=_words(seats),
        ))
    return actors


def _words(value) -> list[str]:
    if value is None:
        return []
    if isinstance(value, list):
        return [str(v) for v in value if v is not None]
    return [str(value)]


def read_registry_file(path: str | Path) -> list[RegistryActor]:
    """The actors of one user file, YAML or Phoenix, without the built-in ones."""
    return _read_file(Path(path))[0]


def _read_file(path: Path) -> tuple[list[RegistryActor], dict]:
    if not path.is_file():
        raise RegistryError(f"{path}: no such registry file")
    try:
        text = path.read_text(encoding="utf-8", errors="replace")
    except OSError as err:
        raise RegistryError(f"{path}: cannot be read ({err.strerror or err})") from err
    if _looks_like_phoenix(path, text):
        return parse_phoenix(text, str(path)), {}
    try:
        data = yaml.load(text, Loader=_Loader)
    except yaml.YAMLError as err:
        raise RegistryError(f"{path}: not valid YAML ({_yaml_problem(err)})") from err
    if data is None:
        return [], {}
    if isinstance(data, list):
        data = {"actors": data}
    if not isinstance(data, dict) or not isinstance(data.get("actors", []), list):
        raise RegistryError(f"{path}: expected a mapping with an `actors:` list")
    actors = _countries(data.get("countries") or [], str(path)) + _parse_actors(data.get("actors") or [], str(path))
    extra = {k: data[k] for k in LEXICON_KEYS if k in data}
    try:
        _Lexicon().update(extra)
    except RegistryError as err:
        raise RegistryError(f"{path}: {err}") from err
    return actors, extra


def _yaml_problem(err: yaml.YAMLError) -> str:
    mark = getattr(err, "problem_mark", None)
    problem = getattr(err, "problem", None) or str(err).splitlines()[0]
    return f"{problem} at line {mark.line + 1}" if mark else problem


def _looks_like_phoenix(path: Path, text: str) -> bool:
    if path.suffix.lower() in (".yaml", ".yml"):
        return False
    if path.suffix.lower() in (".txt", ".actors"):
        return True
    return bool(re.search(r"^[A-Z0-9.'-]+_\S*\s*(\[|#|$)", text, re.MULTILINE)) and "actors:" not in text


def _parse_actors(entries: list, source: str) -> list[RegistryActor]:
    return [_parse_actor(entry, f"{source}: actors[{n}]") for n, entry in enumerate(entries)]


def _parse_actor(entry: Any, where: str) -> RegistryActor:
    if not isinstance(entry, dict):
        raise RegistryError(f"{where}: each actor must be a mapping with at least a name")
    name = entry.get("name")
    if not isinstance(name, str) or not name.strip():
        raise RegistryError(f"{where}: missing `name`")
    where = f"{where} ({name})"
    kind = entry.get("kind", "person")
    if kind not in ACTOR_KINDS:
        raise RegistryError(f"{where}: kind must be one of {', '.join(ACTOR_KINDS)}, not {kind!r}")
    actor_id = entry.get("id") or slugify(name, person=kind == "person")
    if not isinstance(actor_id, str):
        raise RegistryError(f"{where}: id must be text")
    country = _country(entry.get("country"), where)
    lists = {}
    for key in ("aliases", "demonyms", "seats", "described_as"):
        value = entry.get(key) or []
        if isinstance(value, str):
            value = [value]
        if not isinstance(value, list) or not all(isinstance(v, (str, int, float)) for v in value):
            raise RegistryError(f"{where}: {key} must be a list of names")
        lists[key] = [str(v) for v in value]
    roles = entry.get("roles") or []
    if not isinstance(roles, list):
        raise RegistryError(f"{where}: roles must be a list")
    government = entry.get("government")
    if government is not None and not isinstance(government, str):
        raise RegistryError(f"{where}: government must be an actor id")
    return RegistryActor(
        id=actor_id, name=name.strip(), kind=kind, country=country,
        aliases=lists["aliases"], roles=[_parse_role(r, f"{where}: roles[{i}]") for i, r in enumerate(roles)],
        demonyms=lists["demonyms"], seats=lists["seats"], government=government, described_as=lists["described_as"],
    )


def _parse_role(entry: Any, where: str) -> RegistryRole:
    if not isinstance(entry, dict) or not isinstance(entry.get("role"), str):
        raise RegistryError(f"{where}: a role needs at least `role: <title>`")
    organization = entry.get("organization")
    if organization is not None and not isinstance(organization, str):
        raise RegistryError(f"{where}: organization must be an actor id")
    return RegistryRole(entry["role"], organization, _date(entry.get("start"), where), _date(entry.get("end"), where))


def _date(value: Any, where: str) -> str | None:
    if value is None or value == "":
        return None
    if isinstance(value, datetime):
        return value.date().isoformat()
    if isinstance(value, date):
        return value.isoformat()
    text = str(value).strip()
    if not _ISO_PREFIX.match(text):
        raise RegistryError(f"{where}: date {value!r} is not YYYY, YYYY-MM or YYYY-MM-DD")
    return text


def _country(value: Any, where: str) -> str | None:
    if value is None or value == "":
        return None
    text = str(value).strip().upper()
    if not _COUNTRY.match(text):
        raise RegistryError(f"{where}: country must be an ISO 3166 alpha-3 code like SYR, not {value!r}")
    return text


# -- PETRARCH / Phoenix actor dictionaries ----------------------------------

_CODE = re.compile(r"\[([^\]]*)\]")
_PARTICLE_WORDS = {"al", "el", "ad", "as", "ash", "de", "del", "da", "di", "du", "van", "von", "der", "den",
                   "bin", "ibn", "la", "le", "of", "the", "and", "for", "on", "in"}


@dataclass
class _PhoenixEntry:
    name: str
    line: int
    synonyms: list[str] = field(default_factory=list)
    codes: list[tuple[str, str | None, str | None]] = field(default_factory=list)


def read_phoenix_dictionary(path: str | Path) -> list[RegistryActor]:
    """Actors from a PETRARCH/Phoenix `.actors` text file (`JOHN_KERRY_`, `+ALIAS`, `[USAGOV 130201-170120]`)."""
    path = Path(path)
    try:
        text = path.read_text(encoding="utf-8", errors="replace")
    except OSError as err:
        raise RegistryError(f"{path}: cannot be read ({err.strerror or err})") from err
    return parse_phoenix(text, str(path))


def parse_phoenix(text: str, source: str = "<text>") -> list[RegistryActor]:
    entries: list[_PhoenixEntry] = []
    for number, raw in enumerate(text.splitlines(), start=1):
        if "---STOP---" in raw:
            break
        content = re.split(r"#|;|<!", raw, maxsplit=1)[0].rstrip()
        if not content.strip():
            continue
        codes = [_phoenix_code(c) for c in _CODE.findall(content)]
        words = _CODE.sub(" ", content).strip()
        if raw[:1] in (" ", "\t") and entries:
            entries[-1].codes.extend(c for c in codes if c)
        elif words.startswith("+") and entries:
            if words[1:].strip():
                entries[-1].synonyms.append(words[1:].strip())
            entries[-1].codes.extend(c for c in codes if c)
        elif words and not words.startswith("+"):
            entries.append(_PhoenixEntry(words, number, codes=[c for c in codes if c]))
    actors: dict[str, RegistryActor] = {}
    for entry in entries:
        actor = _phoenix_actor(entry)
        if actor is None:
            continue
        if actor.id in actors:
            known = actors[actor.id]
            known.aliases = _union(known.aliases, actor.aliases)
            known.roles = _union_roles(known.roles, actor.roles)
        else:
            actors[actor.id] = actor
    return list(actors.values())


def _phoenix_code(content: str) -> tuple[str, str | None, str | None] | None:
    """'USAGOV 130201-170120' → ('USAGOV', '2013-02-01', '2017-01-20'); None for a null or broken code."""
    parts = content.split(None, 1)
    if not parts or set(parts[0]) <= {"-", "~"}:
        return None
    code = re.sub(r"[^A-Z]", "", parts[0].upper())
    if not code:
        return None
    rest = parts[1].strip() if len(parts) > 1 else ""
    if not rest:
        return code, None, None
    try:
        if rest.startswith(">"):
            return code, _phoenix_date(rest[1:]), None
        if rest.startswith("<"):
            return code, None, _phoenix_date(rest[1:])
        if "-" in rest:
            start, end = rest.split("-", 1)
            return code, _phoenix_date(start), _phoenix_date(end)
    except ValueError:
        return None
    return code, None, None


def _phoenix_date(text: str) -> str:
    """PETRARCH dates: YYYYMMDD, or YYMMDD where 00–30 means 20YY and later years 19YY."""
    digits = text.strip()
    if not digits.isdigit() or len(digits) not in (6, 8):
        raise ValueError(text)
    if len(digits) == 6:
        year = int(digits[:2])
        digits = f"{2000 + year if year <= 30 else 1900 + year}{digits[2:]}"
    parsed = date(int(digits[:4]), int(digits[4:6]), int(digits[6:8]))
    return parsed.isoformat()


def _phoenix_actor(entry: _PhoenixEntry) -> RegistryActor | None:
    name = readable_name(entry.name)
    if not name:
        return None
    titles = _titles_data()
    sectors: dict = titles.get("cameo_sectors") or {}
    organizations: dict = titles.get("cameo_organizations") or {}
    countries = builtin_country_ids()
    decoded = [(_decode(code, countries, sectors, organizations), start, end) for code, start, end in entry.codes]
    dated = any(start or end for _, start, end in decoded)
    country = _main_country(decoded)
    kind = _phoenix_kind(name, decoded, dated, sectors)
    aliases = [a for a in _union([readable_name(s) for s in entry.synonyms]) if a and a != name]
    if kind == "state" and country in countries:
        return RegistryActor(countries[country], name, "state", country, aliases)
    roles = []
    if kind == "person":
        for (code_country, sector, organization), start, end in decoded:
            role = (sectors.get(sector) or {}).get("role") if sector else None
            org = organization or (countries.get(code_country) if code_country else None)
            if org and sector == "GOV":
                org = _builtin_government(org)
            roles.append(RegistryRole(role or "member", org, start, end))
    return RegistryActor(slugify(name, person=kind == "person"), name, kind, country, aliases, _union_roles(roles))


def _decode(code: str, countries: dict, sectors: dict, organizations: dict) -> tuple[str | None, str | None, str | None]:
    """'USAGOV' → ('USA', 'GOV', None); 'IGOUNO' → (None, 'IGO', 'united-nations')."""
    country = code[:3] if code[:3] in countries else None
    rest = code[3:] if country else code
    chunks = [rest[i:i + 3] for i in range(0, len(rest), 3)]
    sector = next((c for c in chunks if c in sectors), None)
    organization = next((organizations[c] for c in chunks if c in organizations), None)
    return country, sector, organization


def _main_country(decoded: list) -> str | None:
    undated = [c for (c, _, _), start, end in decoded if c and not start and not end]
    if undated:
        return undated[0]
    dated = sorted(((start or end or "", c) for (c, _, _), start, end in decoded if c), reverse=True)
    return dated[0][1] if dated else None


def _phoenix_kind(name: str, decoded: list, dated: bool, sectors: dict) -> str:
    if decoded and all(c and not s and not o for (c, s, o), start, end in decoded) and not dated:
        return "state"
    if dated:
        return "person"
    if _looks_like_person(name):
        return "person"
    for (_, sector, _), _, _ in decoded:
        if sector and sector in sectors:
            return sectors[sector].get("kind", "organization")
    return "organization"


def _looks_like_person(name: str) -> bool:
    """Two to four plain words, none an organisation word or a title: an undated name is a person's."""
    words = [fold(w) for w in name.split()]
    if not 2 <= len(words) <= 4:
        return False
    blocked = _not_name_words()
    return not any(w in blocked for w in words)


@lru_cache(maxsize=1)
def _not_name_words() -> frozenset[str]:
    titles = {fold(w) for t in _titles_data().get("titles", []) for f in t.get("forms", []) for w in f.split()}
    connectors = _PARTICLE_WORDS - {"al", "el", "bin", "ibn", "de", "van", "von", "da", "di", "du", "der", "den", "la", "le"}
    return frozenset(titles | connectors | _builtin()[1].organization_heads)


def _builtin_government(state_id: str) -> str:
    for actor in _builtin()[0]:
        if actor.id == state_id and actor.government:
            return actor.government
    return state_id


def readable_name(token_name: str) -> str:
    """'JOHN_KERRY_' → 'John Kerry'; 'BASHAR_AL-ASSAD' → 'Bashar al-Assad'; 'U.N.' stays."""
    words = [w for w in re.split(r"[_\s]+", token_name.strip()) if w]
    if len(words) == 1 and len(words[0]) <= 4 and words[0].isupper():
        return words[0]  # a one-word short name is an acronym: FSA, NATO
    out = []
    for n, word in enumerate(words):
        out.append(_readable_word(word, first=n == 0))
    return " ".join(out)


def _readable_word(word: str, first: bool) -> str:
    if re.fullmatch(r"(?:[A-Za-z]\.)+[A-Za-z]?\.?", word) or len(word) <= 2 and word.isupper() and word.lower() not in _PARTICLE_WORDS:
        return word.upper()
    if "-" in word:
        parts = word.split("-")
        head = parts[0].lower()
        if head in ("al", "el", "ad", "as", "ash", "ibn", "bin"):
            return head + "-" + "-".join(_capital(p) for p in parts[1:])
        return "-".join(_capital(p) for p in parts)
    lower = word.lower()
    if lower in _PARTICLE_WORDS and not first:
        return lower
    return _capital(word)


def _capital(part: str) -> str:
    lower = part.lower()
    if lower.startswith("mc") and len(lower) > 3:
        return "Mc" + lower[2:].capitalize()
    return "'".join(p[:1].upper() + p[1:] for p in lower.split("'"))


@lru_cache(maxsize=1)
def _titles_data() -> dict:
    return yaml.load((importlib.resources.files("detente.nlp.actors") / TITLES_FILE).read_text(encoding="utf-8"), Loader=_Loader) or {}
