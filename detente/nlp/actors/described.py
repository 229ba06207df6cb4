"""Actors a report names by description: "the government", "the two ministers", "the rebels", "world powers".

A report names the parties in full once and then writes "the government",
"its opponents", "the two delegations", "Syrian warplanes" or "committee
members"; it calls a conflict's sides "the rebels", "the army", "the
opposition"; and it names some doers only by description ("seven ethnic armed
groups", "Libyan political rivals"). Without these, an event or a stance whose
doer is described has no actor. Each rule here reads only what the document
has already established (its mentions, which state it is about, which actors
it names together, which groups it describes), and gives up when that is not
clear: a wrong actor is worse than none. Generic words are never registry
aliases, because "the rebels" of a report on Yemen are not those of a report
on Syria.

The words are data (`detente/nlp/actors/described_actors.yaml`).
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field
from functools import lru_cache
from importlib import resources

from spacy.tokens import Doc

from detente.data_files import load_yaml
from detente.nlp.actors.identity import fold
from detente.nlp.actors.registry import ActorRegistry, TokenText, slugify
from detente.nlp.token_table import children_of

# A state is "the" state of a report when it has at least this many mentions and this many times the next one's.
DOMINANT_MIN_COUNT = 3
DOMINANT_RATIO = 2.0
_DETERMINERS = frozenset({"the"})
_INDEFINITE = frozenset({"a", "an"})
_COORDINATORS = frozenset({"and", "or", "nor", ",", "neither", "either"})
_OWN_PREPS = frozenset({"of", "in", "at"})  # "the government of President X", "the government in Damascus"
_PAIR_DETERMINERS = frozenset({"the", "these", "those"})
_MODIFIER_DEPS = frozenset({"compound", "amod", "nmod"})
_PIECES = re.compile(r"\w+|[^\w\s]")
# How a word before a group noun hangs on it when it says which group: "ethnic armed groups", "world powers".
_GROUP_MODIFIER_DEPS = frozenset({"amod", "compound", "nummod", "det", "quantmod", "nmod", "npadvmod", "advmod",
                                  "predet"})
_GROUP_MODIFIER_POS = frozenset({"ADJ", "NOUN", "PROPN", "NUM", "DET", "VERB", "ADV"})


@dataclass(frozen=True)
class Known:
    """A span the actor finder has decided, mention or not (a demonym, a place)."""

    start: int
    end: int
    actor: str
    kind: str
    mention: bool
    source: str


@dataclass
class Described:
    start: int
    end: int
    actor: str
    kind: str
    rule: str
    # A group the text describes ("seven ethnic armed groups") is no registry actor:
    # its name and country come from the words.
    name: str | None = None
    country: str | None = None
    # The text's own words, kept among the actor's aliases ("Azeri forces" on Azerbaijan).
    alias: str | None = None


@dataclass(frozen=True)
class DescriptionWords:
    government: frozenset[str]
    military: frozenset[str]
    pairs: dict[tuple[str, ...], str]  # words → "person" / "state" / "other"
    opponents: frozenset[str]
    members: frozenset[str]
    adopted_texts: frozenset[str] = frozenset()
    adopting_bodies: tuple[str, ...] = ()
    repeated: frozenset[str] = frozenset()
    sides: dict[tuple[str, ...], str] = field(default_factory=dict)  # phrase pieces → class ("rebels")
    sides_by_first: dict[str, list[tuple[tuple[str, ...], str]]] = field(default_factory=dict)  # longest first
    side_words: dict[str, frozenset[str]] = field(default_factory=dict)  # class → its one-word phrases
    domestic_groups: frozenset[str] = frozenset()
    foreign_groups: frozenset[str] = frozenset()
    self_naming: frozenset[str] = frozenset()
    vague: frozenset[str] = frozenset()
    places: frozenset[str] = frozenset()
    titles: frozenset[str] = frozenset()
    foreign_modifiers: frozenset[str] = frozenset()
    side_adjectives: frozenset[str] = frozenset()
    person_nouns: frozenset[str] = frozenset()
    side_modifiers: frozenset[str] = frozenset()
    actor_roles: frozenset[str] = frozenset()
    credit_words: frozenset[str] = frozenset()

    @classmethod
    def load(cls) -> DescriptionWords:
        return _load_words()


@lru_cache(maxsize=1)
def _load_words() -> DescriptionWords:
    data = load_yaml(resources.files("detente.nlp.actors").joinpath("described_actors.yaml").read_text(encoding="utf-8"))
    pairs = {tuple(fold(w) for w in str(phrase).split()): kind
             for kind, phrases in (data.get("pair_nouns") or {}).items() for phrase in phrases}

    def words(key: str) -> frozenset[str]:
        return frozenset(fold(str(w)) for w in data.get(key) or [])

    sides = {tuple(_PIECES.findall(fold(str(phrase)))): side
             for side, phrases in (data.get("sides") or {}).items() for phrase in phrases}
    side_words = {side: frozenset(fold(str(p)) for p in phrases if " " not in str(p))
                  for side, phrases in (data.get("sides") or {}).items()}
    groups = data.get("group_nouns") or {}

    def last_words(values) -> frozenset[str]:
        return frozenset(fold(str(w)).split()[-1] for w in values or [])

    return DescriptionWords(
        words("government_words"), words("military_nouns"), pairs, words("opponent_nouns"), words("member_nouns"),
        words("adopted_texts"), tuple(data.get("adopting_bodies") or []), words("repeated_nouns"),
        sides=sides, sides_by_first=_by_first_word(sides), side_words=side_words,
        domestic_groups=last_words(groups.get("domestic")), foreign_groups=last_words(groups.get("foreign")),
        self_naming=words("self_naming_nouns"),
        vague=words("vague_modifiers"), places=words("place_nouns"), titles=words("title_words"),
        foreign_modifiers=words("foreign_modifiers"), side_adjectives=words("side_adjectives"),
        person_nouns=words("person_nouns"), side_modifiers=words("side_modifiers"), actor_roles=words("group_roles"),
        credit_words=words("credit_words"),
    )


def _by_first_word(phrases: dict[tuple[str, ...], str]) -> dict[str, list[tuple[tuple[str, ...], str]]]:
    index: dict[str, list[tuple[tuple[str, ...], str]]] = {}
    for words, value in sorted(phrases.items(), key=lambda item: -len(item[0])):
        index.setdefault(words[0], []).append((words, value))
    return index


def find_described(
    doc: Doc,
    tokens: TokenText,
    registry: ActorRegistry,
    known: list[Known],
    is_free: Callable[[int], bool],
    led_by: Callable[[str], str | None],
    organization_heads: Callable[[str], list[tuple[int, str, str]]],
) -> list[Described]:
    """Every described actor of the document, none overlapping a span the finder already has.

    `led_by(person)` gives the government a person leads; `organization_heads(word)`
    the (position, actor, kind) of organisations named before whose name ends in
    that word ("committee" → the High Negotiations Committee).
    """
    reader = _Reader(doc, tokens, registry, known, is_free, DescriptionWords.load())
    reader.military_lists()
    reader.opponents()
    reader.governments(led_by)
    reader.members(organization_heads)
    reader.adopted_texts()
    reader.repeated()
    reader.pairs()
    reader.groups()
    reader.sides()
    return reader.found


class _Reader:
    def __init__(self, doc: Doc, tokens: TokenText, registry: ActorRegistry, known: list[Known],
                 is_free: Callable[[int], bool], words: DescriptionWords) -> None:
        self.doc = doc
        self.tokens = tokens
        self.registry = registry
        self.known = sorted(known, key=lambda s: s.start)
        self.is_free = is_free
        self.words = words
        self.found: list[Described] = []
        self.claimed: set[int] = set()
        self._states: dict[str, str | None] = {}
        self._state_of: dict[str, str | None] = {}
        self.starting: dict[int, Known] = {}
        for span in self.known:
            self.starting.setdefault(span.start, span)

    # -- helpers -----------------------------------------------------------------

    def free(self, start: int, end: int) -> bool:
        return all(self.is_free(k) and k not in self.claimed for k in range(start, end))

    def add(self, start: int, end: int, actor: str, rule: str, alias: str | None = None) -> None:
        entry = self.registry.get(actor)
        kind = entry.kind if entry is not None else self._kind(actor)
        self.found.append(Described(start, end, actor, kind, rule, alias=alias))
        self.claimed.update(range(start, end))

    def lower(self, k: int) -> bool:
        return 0 <= k < len(self.tokens) and self.tokens.raw[k].islower()

    def norm(self, k: int) -> str:
        return self.tokens.norm[k] if 0 <= k < len(self.tokens) else ""

    def state_of(self, actor: str) -> str | None:
        """The state an actor is or governs ("syria-government" → "syria")."""
        if actor not in self._state_of:
            entry = self.registry.get(actor)
            state = None
            if entry is not None and entry.kind == "state":
                state = self.registry.state_governed_by(actor) or actor
            self._state_of[actor] = state
        return self._state_of[actor]

    def country_of(self, span: Known) -> str | None:
        """The state a span is about: a state named (places included), or the country of an actor mentioned."""
        state = self.state_of(span.actor)
        if state is not None or not span.mention:
            return state
        entry = self.registry.get(span.actor)
        if entry is None or not entry.country:
            return None
        if entry.country not in self._states:
            self._states[entry.country] = self.registry.state_of_country(entry.country)
        return self._states[entry.country]

    # -- "the government" ----------------------------------------------------------

    def dominant_state(self) -> str | None:
        """The state the report is about, when its mentions make one clearly first.

        Every state named counts (places included), and every other actor
        mentioned counts for its country: the Syrian opposition meeting in
        Riyadh is a report about Syria.

        Near a tie, a state whose government the registry keeps as an actor
        of its own (a party to a civil war) wins over the others: "the
        government" of a report on that war is that one.
        """
        if not hasattr(self, "_dominant"):
            counts = Counter(s for s in (self.country_of(span) for span in self.known) if s)
            self._dominant = None
            if counts and max(counts.values()) >= DOMINANT_MIN_COUNT:
                top = max(counts.values())
                contenders = sorted(s for s, n in counts.items() if n * DOMINANT_RATIO > top)
                if len(contenders) > 1:
                    contenders = [s for s in contenders if self.registry.government_of(s) != s and counts[s] == top]
                self._dominant = contenders[0] if len(contenders) == 1 else None
        return self._dominant

    def governments(self, led_by: Callable[[str], str | None]) -> None:
        """'the government', 'the government in Damascus', 'a government delegation', 'the government of President X'."""
        toks = self.tokens
        for k in range(1, len(toks)):
            if toks.norm[k] not in self.words.government or not self.lower(k) or not self.free(k - 1, k + 1):
                continue
            det = toks.norm[k - 1]
            end = k + 1
            if self.norm(end) in self.registry.lexicon.collective_nouns and self.lower(end) and self.free(end, end + 1):
                end += 1  # "a government delegation", "the government side"
            elif det not in _DETERMINERS:
                continue  # "a government" is any government
            if det not in _DETERMINERS | _INDEFINITE:
                continue  # "the present government", "any government"
            if end < len(toks) and self.doc[end].pos_ in ("NOUN", "PROPN") and self.lower(end):
                continue  # "the government shutdown": a modifier of something else
            government = self._government_named_after(end, led_by)
            if government is None:
                if self.norm(end) in ("of", "'s") or self.norm(end) == "-":
                    continue  # "the government of national unity"
                state = self.dominant_state()
                government = self.registry.government_of(state) if state else None
            if government is not None:
                self.add(k - 1, end, government, "government")

    def _government_named_after(self, k: int, led_by: Callable[[str], str | None]) -> str | None:
        """'in Damascus', 'of Syria', 'of President Bashar al-Assad': the phrase says whose government."""
        if self.norm(k) not in _OWN_PREPS:
            return None
        for j in range(k + 1, min(k + 5, len(self.tokens))):
            span = self.starting.get(j)
            if span is not None:
                if span.kind == "person":
                    return led_by(span.actor)
                state = self.state_of(span.actor)
                return self.registry.government_of(state) if state else None
            if not self.tokens.raw[j][:1].isupper():
                return None  # only a title may stand between: "of President ..."
        return None

    # -- "neither Russian nor Syrian aircraft" --------------------------------------------

    def military_lists(self) -> None:
        """Nationalities listed before one military noun: each state's government commands its share."""
        for span in [s for s in self.known if s.source == "demonym" and not s.mention]:
            k = span.end
            listed = [span]
            while k < len(self.tokens) and (self.norm(k) in _COORDINATORS or (k in self.starting and self.starting[k].source == "demonym")):
                if k in self.starting and self.starting[k].source == "demonym":
                    listed.append(self.starting[k])
                    k = self.starting[k].end
                else:
                    k += 1
            carried = self.norm(listed[-1].end - 1) in self.words.military  # "Syrian aircraft" is already one mention
            if len(listed) < 2 or not (carried or (self.norm(k) in self.words.military and self.lower(k))):
                continue
            for member in listed:
                # the demonym's own span holds the tokens; a member already a mention needs nothing
                if not member.mention and not self.claimed.intersection(range(member.start, member.end)):
                    state = self.state_of(member.actor) or member.actor
                    self.add(member.start, member.end, self.registry.government_of(state), "military")

    # -- "its opponents" -------------------------------------------------------------

    def opponents(self) -> None:
        """'its opponents' after a government, 'the government's opponents': that country's opposition."""
        toks = self.tokens
        for k in range(1, len(toks)):
            if toks.norm[k] not in self.words.opponents or not self.lower(k) or not self.free(k - 1, k + 1):
                continue
            owner = self._owner(k - 1)
            if owner is None:
                continue
            state = self.state_of(owner)
            opposition = self.registry.opposition_of(state) if state else None
            if opposition is not None:
                self.add(k - 1, k + 1, opposition, "opponents")

    def _owner(self, k: int) -> str | None:
        """The actor a possessive before an opponent noun points at: 'its' is the last actor named."""
        if self.norm(k) == "its":
            earlier = [s for s in self.known if s.mention and s.end <= k and s.kind != "person"]
            sentence_start = self.doc[k].sent.start
            earlier = [s for s in earlier if s.start >= sentence_start]
            return earlier[-1].actor if earlier else None
        if self.norm(k) in ("'s", "'"):
            span = next((s for s in self.known if s.end == k and s.mention), None)
            return span.actor if span else None
        return None

    # -- "committee members" ----------------------------------------------------------

    def members(self, organization_heads: Callable[[str], list[tuple[int, str, str]]]) -> None:
        """'Committee members said', 'coalition leaders': people who speak for a body named before."""
        toks = self.tokens
        for k in range(len(toks) - 1):
            word, noun = toks.norm[k], toks.norm[k + 1]
            if noun not in self.words.members or not self.lower(k + 1) or not self.free(k, k + 2):
                continue
            if toks.raw[k][:1].isupper() and k > 0 and not self._sentence_start(k):
                continue  # "Security Council members" is a name, found by the registry or not at all
            earlier = [(pos, actor) for pos, actor, kind in organization_heads(word) if pos < k]
            actors = {actor for _, actor in earlier}
            if len(actors) != 1:
                continue  # two committees named: which one is unclear
            start = k - 1 if k > 0 and toks.norm[k - 1] == "the" and self.free(k - 1, k) else k
            self.add(start, k + 2, earlier[-1][1], "members")

    def _sentence_start(self, k: int) -> bool:
        return self.doc[k].is_sent_start or (k > 0 and self.tokens.raw[k - 1] in ("\n", "“", '"'))

    # -- "the delegation" ------------------------------------------------------------

    def repeated(self) -> None:
        """'a government delegation ... the delegation': the noun again, with "the", is the same actor's."""
        toks = self.tokens
        for k in range(1, len(toks)):
            noun = toks.norm[k]
            if noun not in self.words.repeated or toks.norm[k - 1] != "the" or not self.lower(k) or not self.free(k - 1, k + 1):
                continue
            if k + 1 < len(toks) and (self.norm(k + 1) in ("of", "from", "'s") or self.doc[k + 1].pos_ in ("NOUN", "PROPN")):
                continue  # "the delegation of the opposition" names its own owner
            named = [s for s in self.known if s.mention and s.end <= k - 1 and self.tokens.norm[s.end - 1] == noun]
            named += [Known(d.start, d.end, d.actor, d.kind, True, "described") for d in self.found
                      if d.end <= k - 1 and self.tokens.norm[d.end - 1] == noun]
            if named:
                self.add(k - 1, k + 1, max(named, key=lambda s: s.start).actor, "repeated")

    # -- "Resolution 2254 asks" ---------------------------------------------------------

    def adopted_texts(self) -> None:
        """'Resolution 2254 calls for': the one body of the document that adopts resolutions."""
        bodies = {s.actor for s in self.known if s.mention and s.actor in self.words.adopting_bodies}
        if len(bodies) != 1:
            return
        body = bodies.pop()
        toks = self.tokens
        for k in range(len(toks) - 1):
            numbered = toks.norm[k] in self.words.adopted_texts and toks.raw[k][:1].isupper() and toks.raw[k + 1].isdigit()
            if numbered and self.free(k, k + 2):
                self.add(k, k + 2, body, "adopted")

    # -- "the two ministers" ----------------------------------------------------------

    def pairs(self) -> None:
        """'the two ministers', 'both sides': the two actors of that kind last named together.

        Only a pair named in an earlier sentence: within its own sentence the
        names are there to be read ("X and Y signed a pact between the two
        countries"), and "sources on both sides" are not the sides.
        """
        toks = self.tokens
        for k in range(len(toks) - 1):
            word = toks.norm[k]
            if word == "two" and k > 0 and toks.norm[k - 1] in _PAIR_DETERMINERS:
                start = k - 1
            elif word == "both":
                start = k
            else:
                continue
            hit = self._pair_noun(k + 1)
            if hit is None or not self.free(start, hit[0]):
                continue
            end, kind = hit
            pair = self._last_pair(self.doc[start].sent.start, kind)
            if pair is not None:
                for actor in pair:
                    self.found.append(Described(start, end, actor, self._kind(actor), "pair"))
                self.claimed.update(range(start, end))

    def _pair_noun(self, k: int) -> tuple[int, str] | None:
        for words, kind in sorted(self.words.pairs.items(), key=lambda item: -len(item[0])):
            end = k + len(words)
            if tuple(self.norm(j) for j in range(k, end)) == words and all(self.lower(j) for j in range(k, end)):
                return end, kind
        return None

    def _kind(self, actor: str) -> str:
        span = next((s for s in self.known if s.actor == actor), None)
        span = span or next((d for d in self.found if d.actor == actor), None)
        return span.kind if span else "state"

    def _last_pair(self, before: int, kind: str) -> tuple[str, str] | None:
        """The last two actors of the kind joined by 'and' (their heads conjoined in the parse), and only two."""
        mentions = [s for s in self.known if s.mention and s.end <= before and _fits(s.kind, kind)]
        mentions += [Known(d.start, d.end, d.actor, d.kind, True, "described") for d in self.found
                     if d.end <= before and d.rule != "pair" and _fits(d.kind, kind)]
        root_of = {self._root(s).i: s for s in mentions}
        best: tuple[int, tuple[str, str]] | None = None
        for i, span in root_of.items():
            head = self.doc[i]
            if head.dep_ != "conj" or head.head.i not in root_of:
                continue
            first = root_of[head.head.i]
            first_root = self._root(first)
            if self._describes_another(first_root):
                continue
            if first_root.dep_ == "conj" or sum(c.dep_ == "conj" for c in children_of(first_root)) > 1 or any(
                    c.dep_ == "conj" for c in children_of(head)):
                continue  # a longer list ("Turkey, Qatar, Iraq and the Arab League") is not a pair
            if first.actor != span.actor and (best is None or span.start > best[0]):
                best = (span.start, (first.actor, span.actor))
        return best[1] if best else None

    @staticmethod
    def _describes_another(root) -> bool:
        """'the UN-Arab League envoy', 'joint envoy of the United Nations and the Arab League': a pair named
        to say who someone else is, not as two actors."""
        if root.dep_ in _MODIFIER_DEPS:
            return True
        return root.dep_ == "pobj" and root.head.lower_ == "of" and root.head.head.pos_ in ("NOUN", "PROPN")

    def _root(self, span: Known):
        token = self.doc[span.end - 1]
        while span.start <= token.head.i < span.end and token.head.i != token.i:
            token = token.head
        return token

    # -- "seven ethnic armed groups", "Libyan political rivals", "world powers" ------------------

    def groups(self) -> None:
        """A plural group noun whose modifiers say which group it is: a group actor named by those words.

        The numbers and ranking words before it ("seven", "all 15", "five other")
        are dropped from the name, so the same description merges however it is
        counted; the words as written stay an alias. A nationality word gives the
        group its country ("Libyan delegations"); a domestic group without one
        ("ethnic armed groups") is of the state the report is about. A
        nationality before a military noun ("Sudanese security forces") is that
        state's forces, as everywhere in detente: its government. A group is
        kept when one of its mentions does, says or agrees something.
        """
        candidates: list[Described] = []
        acting: set[str] = set()
        for k in range(len(self.tokens)):
            if not self._group_noun(k):
                continue
            found = self._group_at(k)
            if found is not None:
                candidates.append(found)
                if self._in_actor_role(k):
                    acting.add(found.actor)
        for found in candidates:
            if found.actor in acting and all(self.free(j, j + 1) or self._demonym_at(j) is not None
                                             for j in range(found.start, found.end)):
                self.found.append(found)
                self.claimed.update(range(found.start, found.end))

    def _group_noun(self, k: int) -> bool:
        """A free plural group noun heading its phrase ("groups", "Islamists"), not modifying another noun."""
        noun = self.norm(k)
        if noun not in self.words.domestic_groups and noun not in self.words.foreign_groups or not self.free(k, k + 1):
            return False
        if self.doc[k].pos_ not in ("NOUN", "PROPN"):
            return False
        if not (self.lower(k) or noun in self.words.self_naming or self.doc[k].is_sent_start):
            return False
        after = k + 1
        return not (after < len(self.tokens) and (self.tokens.raw[after] == "-" or (
            self.doc[after].pos_ in ("NOUN", "PROPN") and self.lower(after))))

    def _group_at(self, k: int) -> Described | None:
        """The group the words before the noun at k describe; a side or a state's forces are added at once."""
        found = self._group_words(k)
        if found is None:
            return None
        first, states = found
        start = self._first_named(first, k)
        noun = self.norm(k)
        side = self.words.sides.get(tuple(self.norm(j) for j in range(start, k + 1)))
        if side is not None:
            armed = self.norm(start) in self.words.side_adjectives  # "armed groups": a side, else a group
            registered = self._registered_side(side) if armed else None
            if registered is not None and self.free(start, k + 1):
                self.add(start, k + 1, registered, "side")
            if registered is not None or not armed:
                return None  # "government forces", "rebel groups": a side, read by `sides`
        if start == k and noun not in self.words.self_naming:
            return None  # "the parties", "the two sides", "officials": nobody in particular
        words = " ".join(self.doc[start:k + 1].text.split())
        if self.doc[start].is_sent_start and self.tokens.raw[start].lower() in self._lower_words():
            words = words[:1].lower() + words[1:]  # "International powers said": the report writes "international"
        if states and noun in self.words.military:
            if self.free(start, k + 1):
                self.add(start, k + 1, self.registry.government_of(states[0]), "military", alias=words)
            return None
        while first < start and self.norm(first) in _PAIR_DETERMINERS:
            first += 1
        alias = " ".join(self.doc[first:k + 1].text.split()) if first < start else None
        country = self._country(states[0]) if states else None
        scope = None
        if country is None and self.norm(k) in self.words.domestic_groups and not any(
                self.norm(j) in self.words.foreign_modifiers for j in range(start, k)):
            dominant = self.dominant_state()
            country = scope = self._country(dominant) if dominant else None
        actor = slugify(words) + (f"-{scope.lower()}" if scope else "")
        known = self.registry.get(actor)  # a user may register a described group under its id
        kind = known.kind if known is not None else "group"
        return Described(start, k + 1, actor, kind, "group", name=words, country=country, alias=alias)

    def _in_actor_role(self, k: int) -> bool:
        """Whether the noun at k does, says or agrees something (described_actors.yaml `group_roles`)."""
        roles = self.words.actor_roles
        token = self.doc[k]
        for _ in range(8):
            if token.dep_ in roles and token.dep_ in ("conj", "appos") and token.head.i != token.i:
                token = token.head
                continue
            if (token.dep_ == "pobj" and token.head.lower_ == "of" and "of" in roles
                    and fold(token.head.head.text) in self.words.members):
                token = token.head.head  # "representatives of eight armed groups signed"
                continue
            break
        if token.dep_ in roles:
            return True
        if token.dep_ == "pobj":
            prep = token.head
            return (prep.dep_ == "agent" and "agent" in roles) or (prep.lower_ in roles and prep.lower_ != "of")
        return False

    def _lower_words(self) -> set[str]:
        """The words the report writes in lower case somewhere: not names, whatever a sentence start makes them."""
        if not hasattr(self, "_lowered"):
            self._lowered = {w for w in self.tokens.raw if w.islower()}
        return self._lowered

    def _group_words(self, k: int) -> tuple[int, list[str]] | None:
        """Where the words before the group noun at k begin, and the states their nationality words name.

        None when a possessive owns the group ("its fighters", "the country's
        armed groups"): whose they are is the owner's business. A name inside
        the words ends them: "Al Qaeda-linked jihadists" are "jihadists" here.
        """
        head = self.doc[k]
        start = k
        states: list[str] = []
        j = k - 1
        while j >= 0:
            token = self.doc[j]
            if token.tag_ == "PRP$" or token.dep_ == "poss" or self.norm(j) in ("'s", "'"):
                return None
            within = head.i >= token.head.i > j
            hyphen = self.tokens.raw[j] == "-" and j > 0 and not self.tokens.space_after[j - 1]
            modifier = within and token.dep_ in _GROUP_MODIFIER_DEPS and token.pos_ in _GROUP_MODIFIER_POS
            coordinated = token.dep_ in ("conj", "cc") and self._modifies(token.head, k)
            if not (hyphen or modifier or coordinated or (within and self.norm(j) in self.words.vague)):
                break
            if token.tag_ in ("NNS", "NNPS") and self.free(j, j + 1):
                return None  # "countries parties": two noun phrases run together
            if not self.free(j, j + 1):
                demonym = self._demonym_at(j)
                if demonym is None:
                    if not hyphen and start == j + 1:
                        return None  # "Huthi insurgent fighters" are the Huthis' own
                    break
                states.append(demonym.actor)
                start = demonym.start
                j = demonym.start - 1
                continue
            start = j
            j -= 1
        if start > 0 and not self.free(start - 1, start) and self._demonym_at(start - 1) is None:
            while start < k and (self.tokens.raw[start] == "-" or self.doc[start].pos_ == "VERB"):
                start += 1  # "-linked" hangs on the name before it
        return start, states

    def _modifies(self, token, k: int) -> bool:
        """'pro-government and rebel militias': the word a conjoined modifier joins hangs on the noun at k."""
        return token.i < k and token.head.i == k and token.dep_ in _GROUP_MODIFIER_DEPS

    def _first_named(self, start: int, k: int) -> int:
        """The first word that says which group it is: the counts and ranks before it are not its name."""
        while start < k and not self._says_which(start):
            start += 1
        return start

    def _says_which(self, j: int) -> bool:
        token = self.doc[j]
        if self._demonym_at(j) is not None:
            return True
        if self.tokens.raw[j] == "-" or self.norm(j) in self.words.vague or token.like_num or token.pos_ in ("NUM", "DET"):
            return False
        return token.pos_ in ("ADJ", "NOUN", "PROPN", "VERB")

    def _demonym_at(self, j: int) -> Known | None:
        """The nationality word covering token j ("Libyan"), read as a word, not as a mention."""
        for span in self.known:
            if span.start <= j < span.end and span.source == "demonym" and not span.mention:
                return span
            if span.start > j:
                break
        return None

    def _country(self, state: str | None) -> str | None:
        entry = self.registry.get(state) if state else None
        return entry.country if entry is not None else None

    # -- "the rebels", "the army", "government forces" ---------------------------------

    def sides(self) -> None:
        """A side of a conflict named by a generic word, read against the report (see described_actors.yaml `sides`).

        "the rebels", "armed opposition groups", "government forces", and the
        side word before an act or a hold ("a rebel siege", "rebel-held
        towns"), but not before a person's noun ("the army chief", "opposition
        leader X"): that is a person.
        """
        toks = self.tokens
        k = 0
        while k < len(toks):
            hit = self._side_phrase(k)
            if hit is None:
                k += 1
                continue
            end, side = hit
            start = self._side_start(k)
            if start is None or not self._is_side(start, k, end):
                k += 1
                continue
            actor = self._side_actor(side, start)
            if actor is not None:
                self.add(start, end, actor, "side")
            k = end

    def _side_phrase(self, k: int) -> tuple[int, str] | None:
        """The longest side phrase starting at token k, as (end, side)."""
        phrases = self.words.sides_by_first.get(self.norm(k))
        if not phrases or not self.free(k, k + 1):
            return None
        for words, side in phrases:
            end = k + len(words)
            if tuple(self.norm(j) for j in range(k, end)) == words:
                return end, side
        return None

    def _side_start(self, k: int) -> int | None:
        """Where the description of a side begins: its article and words like "armed" or "some" belong to it.

        None when a word before it says which group it is ("the Huthi rebels",
        "allied militias") or whose ("their army", "the country's rebels").
        """
        start = k
        while start > 0 and self._belongs_to_side(start - 1):
            start -= 1
        if start > 0:
            before = self.doc[start - 1]
            if before.tag_ == "PRP$" or self.norm(start - 1) in ("'s", "'"):
                return None
            if before.pos_ in ("ADJ", "PROPN", "NOUN") and before.head.i >= k and self.norm(start - 1) not in _COORDINATORS:
                return None
        while start < k and self.norm(start) not in _PAIR_DETERMINERS and self.norm(start) not in self.words.side_adjectives:
            start += 1  # "some", "most of": counts, not the side's name
        return start

    def _belongs_to_side(self, j: int) -> bool:
        lower = self.lower(j) or self.doc[j].is_sent_start
        return self.free(j, j + 1) and lower and (self.norm(j) in self.words.vague or self.norm(j) in self.words.side_adjectives)

    def _is_side(self, start: int, k: int, end: int) -> bool:
        """A generic phrase standing for a side: in lower case, whole, and not a person's noun's modifier."""
        if not self.free(start, end):
            return False
        if not all(self.lower(j) or self.tokens.raw[j] == "-" or (j == start and self.doc[j].is_sent_start)
                   for j in range(start, end)):
            return False
        if end < len(self.tokens):
            after = self.doc[end]
            if self.tokens.raw[end][:1].isupper() and after.pos_ == "PROPN":
                return False  # "the opposition National League": a name follows
            modifies = self.tokens.raw[end] == "-" or (after.pos_ in ("NOUN", "PROPN") and self.lower(end))
            named = self.norm(end) in self.words.person_nouns or self.norm(end) in self.registry.lexicon.organization_heads
            if modifies and (self.norm(end - 1) not in self.words.side_modifiers or named):
                return False  # "military aid"; "the army chief", "opposition leader X", "the rebel group X"
        return True

    def _side_actor(self, side: str, before: int) -> str | None:
        """Who a side is in this report (described_actors.yaml `sides` says in which order it is asked)."""
        state = self.dominant_state()
        if state is not None:
            registered = self.registry.described_in(state, side)
            if registered is not None:
                return registered
        if side != "government":
            named = self._named_side(side, before)
            if named is not None:
                return named
        return self._registered_side(side)

    def _registered_side(self, side: str) -> str | None:
        """The registry's actor for a side of the report's state (or its government), without the text's help."""
        state = self.dominant_state()
        if state is not None:
            registered = self.registry.described_in(state, side)
            if registered is not None:
                return registered
        if side != "government":
            registered = self._registered_side_of_a_named_state(side)
            if registered is not None:
                return registered
        if state is not None and side in ("army", "government"):
            return self.registry.government_of(state)
        return None

    def _names_next(self, j: int, span: Known) -> bool:
        """'the main opposition National League', 'the rebel M23': the side word and the name are one thing."""
        if self.doc[j].dep_ in _MODIFIER_DEPS and span.start <= self.doc[j].head.i < span.end:
            return True
        return any(self.doc[x].head.i == j and self.doc[x].dep_ in ("appos", "compound") for x in range(span.start, span.end))

    def _registered_side_of_a_named_state(self, side: str) -> str | None:
        """With no state clearly first, the one state named more than once that has a registered actor for the side."""
        counts = Counter(s for s in (self.country_of(span) for span in self.known) if s)
        found = {self.registry.described_in(state, side) for state, n in counts.items() if n >= 2} - {None}
        return found.pop() if len(found) == 1 else None

    def _named_side(self, side: str, before: int) -> str | None:
        """The last actor the text named with a word of this side: 'the Huthi rebels', 'the opposition NLD'."""
        words = self.words.side_words.get(side, frozenset())
        spans = [s for s in self.known if s.mention and s.end <= before and s.kind != "person"]
        spans += [Known(d.start, d.end, d.actor, d.kind, True, "described") for d in self.found
                  if d.end <= before and d.rule in ("group", "military")]
        best: tuple[int, str] | None = None
        for span in spans:
            inside = any(self.norm(j) in words for j in range(span.start, span.end))
            before = any(self.norm(j) in words and self._names_next(j, span)
                         for j in range(max(span.start - 2, 0), span.start))  # "the opposition NLD"
            if (inside or before) and (best is None or span.start > best[0]):
                best = (span.start, span.actor)
        return best[1] if best else None


def _fits(actual: str, wanted: str) -> bool:
    if wanted == "person":
        return actual == "person"
    if wanted == "state":
        return actual == "state"
    return actual != "person"
