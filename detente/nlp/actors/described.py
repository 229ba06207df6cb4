"""Actors a report names by description once it has named them: "the government", "the two ministers".

A report names the parties in full once and then writes "the government",
"its opponents", "the two delegations", "Syrian warplanes" or "committee
members". Without these, an event or a stance whose doer is described has no
actor. Each rule here reads only what the document has already established
(its mentions, which state it is about, which actors it names together), and
gives up when that is not clear: a wrong actor is worse than none.

The words are data (`detente/nlp/actors/described_actors.yaml`).
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources

import yaml
from spacy.tokens import Doc

from detente.nlp.actors.identity import fold
from detente.nlp.actors.registry import ActorRegistry, TokenText

# A state is "the" state of a report when it has at least this many mentions and this many times the next one's.
DOMINANT_MIN_COUNT = 3
DOMINANT_RATIO = 2.0
_DETERMINERS = frozenset({"the"})
_INDEFINITE = frozenset({"a", "an"})
_COORDINATORS = frozenset({"and", "or", "nor", ",", "neither", "either"})
_OWN_PREPS = frozenset({"of", "in", "at"})  # "the government of President X", "the government in Damascus"
_PAIR_DETERMINERS = frozenset({"the", "these", "those"})
_MODIFIER_DEPS = frozenset({"compound", "amod", "nmod"})


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

    @classmethod
    def load(cls) -> DescriptionWords:
        return _load_words()


@lru_cache(maxsize=1)
def _load_words() -> DescriptionWords:
    data = yaml.safe_load(resources.files("detente.nlp.actors").joinpath("described_actors.yaml").read_text(encoding="utf-8"))
    pairs = {tuple(fold(w) for w in str(phrase).split()): kind
             for kind, phrases in (data.get("pair_nouns") or {}).items() for phrase in phrases}

    def words(key: str) -> frozenset[str]:
        return frozenset(fold(str(w)) for w in data.get(key) or [])

    return DescriptionWords(words("government_words"), words("military_nouns"), pairs, words("opponent_nouns"),
                            words("member_nouns"), words("adopted_texts"), tuple(data.get("adopting_bodies") or []),
                            words("repeated_nouns"))


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

    def add(self, start: int, end: int, actor: str, rule: str) -> None:
        entry = self.registry.get(actor)
        kind = entry.kind if entry is not None else "state"
        self.found.append(Described(start, end, actor, kind, rule))
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
            if first_root.dep_ == "conj" or sum(c.dep_ == "conj" for c in first_root.children) > 1 or any(
                    c.dep_ == "conj" for c in head.children):
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


def _fits(actual: str, wanted: str) -> bool:
    if wanted == "person":
        return actual == "person"
    if wanted == "state":
        return actual == "state"
    return actual != "person"
