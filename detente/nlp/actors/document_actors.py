"""The actors of one document: every mention, the actor it denotes, and the roles the text gives.

The tagger's entities are the starting point, but not the last word. A small
model tags "Staffan de Mistura" as an organisation, "Balian" as a
nationality, "Aleppo" as a person, and misses "Kerry" in a headline. So the
entities are checked against the registry and against what the text itself
says about them (an honorific, a title before the name, an apposition after
it), people are gathered under their full name ("Mr. Kerry", "Kerry",
"Secretary Kerry", "the secretary" are John Kerry), and collective actors are
read from the words news uses for them ("Russian officials", "the Assad
regime", "Moscow" when Moscow acts, but not "talks in Moscow").

Everything here is a walk over tokens with precompiled lookup tables: no
model runs beyond the spaCy pass the caller already made.
"""

from __future__ import annotations

import bisect
import re
from collections import Counter
from dataclasses import dataclass, field

from spacy.tokens import Doc

from detente.nlp.actors.described import DescriptionWords, Known, find_described
from detente.nlp.actors.identity import fold, name_parts, org_key, same_person, surname_key
from detente.nlp.records import ActorRecord, AffiliationRecord, Mention
from detente.nlp.token_table import children_of, token_table
from detente.nlp.actors.registry import ActorRegistry, RegistryActor, TokenText, plural_demonym, slugify
from detente.nlp.actors.roles import (
    CONFIDENCE_REFERENCE,
    ActorSpan,
    Holder,
    RoleContext,
    TitleLexicon,
    TitleMatch,
    affiliation,
    title_after,
    title_before,
    title_predicates,
    title_references,
    title_reversed,
)

LABELS = frozenset({"PERSON", "ORG", "GPE", "NORP"})
MAX_ENTITY_TOKENS = 12
NAME_PARTICLES = frozenset({"de", "al", "el", "ad", "van", "von", "der", "bin", "ibn", "da", "di", "du", "la", "le", "-"})
_POSSESSIVE = frozenset({"'s", "'"})
_ARTICLES = frozenset({"the"})
_PRIORITY = {"registry": 0, "honorific": 1, "ner": 2, "demonym": 3, "seat": 4}
_SUBJECT_DEPS = frozenset({"nsubj", "nsubjpass", "csubj"})
# Prepositions after which a country is only a place: "talks in Turkey".
_LOCATIVE = frozenset({"in", "inside", "at", "near", "across", "into", "throughout", "within", "around", "toward",
                       "towards", "outside", "via", "through"})
_INDEFINITE = frozenset({"a", "an"})
# What a person's possessive turns into the government they lead: "Assad's government".
_GOVERNMENT_OF_PERSON = frozenset({"government", "regime", "administration", "forces", "troops", "army"})
# A dateline opening a line: "BEIRUT, Lebanon —", "SANAA:", "Juba, August 26, 2015 (SSNA) —". Its place
# and its agency's credit are where and by whom the report was filed, not actors of it.
_DATELINE = re.compile(
    r"^[ \t]*(?P<place>[A-Z][\w'’.\-]*(?:[ \t]+[A-Z][\w'’.\-]*){0,2})(?P<rest>,[^\n:—–()]{0,60}?)?"
    r"[ \t]*(?P<credit>\([^()\n]{1,40}\))?[ \t]*(?::|—|–|--|-(?=\s))", re.MULTILINE)
_ACRONYM = re.compile(r"^[A-Z][A-Z0-9&.\-]{1,9}$")
# What follows a title word inside a title: "the Conference on Cyprus", "the Joint Plan of Action".
_TITLE_LINKS = frozenset({"on", "of", "for", "between"})
# Small words inside an organisation's name: "Coordination of Azawad Movements".
_NAME_LINKS = frozenset({"of", "for", "and", "the", "de", "du", "des", "la", "al", "-", "&"})

# How sure a mention is, by the evidence behind it.
CONFIDENCE = {
    "registry": 0.95,
    "ner-registry": 1.0,
    "ner-person": 0.9,
    "ner-organization": 0.8,
    "corrected-person": 0.8,
    "honorific": 0.85,
    "untagged": 0.75,
    "surname": 0.9,
    "surname-scan": 0.85,
    "demonym-collective": 0.85,
    "demonym-plural": 0.6,
    "seat": 0.8,
    "short-reference": 0.6,
    "described": 0.55,
}


@dataclass
class DocumentActors:
    mentions: list[Mention]
    actors: dict[str, ActorRecord]
    affiliations: list[AffiliationRecord]


@dataclass
class _Span:
    """A stretch of tokens that may name an actor, and what has been learnt about it."""

    start: int
    end: int
    source: str
    label: str | None = None
    actor: str | None = None
    kind: str | None = None
    plural: bool = False
    evidence: str | None = None  # why a non-PERSON entity is a person
    mention: bool = True
    mention_start: int | None = None
    mention_end: int | None = None
    confidence: float = 1.0
    name: str = ""
    undecided: str | None = None  # "org" | "drop" until surnames are known; "acronym" until its name is
    via_state: bool = False  # a state's name standing for its government ("Syria")
    alias: str | None = None  # the text's words to keep among the actor's names ("Azeri forces")

    @property
    def first(self) -> int:
        return self.start if self.mention_start is None else self.mention_start

    @property
    def last(self) -> int:
        return self.end if self.mention_end is None else self.mention_end


@dataclass
class _Person:
    """One person of the document, under all the names the text uses."""

    registry: RegistryActor | None = None
    full_names: list[str] = field(default_factory=list)
    short_names: list[str] = field(default_factory=list)
    positions: list[int] = field(default_factory=list)
    full_positions: list[int] = field(default_factory=list)
    id: str = ""

    @property
    def surnames(self) -> set[str]:
        names = self.full_names or self.short_names
        keys = {surname_key(n) for n in names}
        if self.registry is not None:
            keys |= {surname_key(n) for n in [self.registry.name, *self.registry.aliases] if len(name_parts(n)) >= 2}
        return {k for k in keys if k}

    @property
    def name(self) -> str:
        if self.registry is not None:
            return self.registry.name
        if self.full_names:
            return max(self.full_names, key=lambda n: (len(name_parts(n)), -self.full_names.index(n)))
        return self.short_names[0] if self.short_names else ""


def find_actors(doc: Doc, registry: ActorRegistry | None, published: str | None) -> DocumentActors:
    """Mentions, actors and affiliations of one parsed document (offsets index `doc.text`)."""
    if len(doc) == 0:
        return DocumentActors([], {}, [])
    return _Finder(doc, registry or ActorRegistry.builtin(), _day(published)).run()


def _day(published: str | None) -> str | None:
    if not published:
        return None
    text = str(published).strip()
    return text[:10] if re.match(r"^\d{4}-\d{2}-\d{2}", text) else text or None


class _Finder:
    def __init__(self, doc: Doc, registry: ActorRegistry, published: str | None) -> None:
        self.doc = doc
        table = token_table(doc)
        self.text = table.text
        self.starts = table.starts
        self.registry = registry
        self.published = published
        self.tokens = TokenText.from_doc(doc)
        self.titles = TitleLexicon.load()
        self.ctx = RoleContext.build(doc, self.tokens, self.titles, registry.government_of)
        self.lexicon = registry.lexicon
        self.taken: list[_Span | None] = [None] * len(doc)
        self.spans: list[_Span] = []
        self.persons: list[_Person] = []
        self.person_of: dict[int, _Person] = {}  # id(span) → person
        self.words = DescriptionWords.load()
        self.defined: dict[str, _Span] = {}  # an acronym the text spells out → the span of its full name
        self.place_names: set[str] = set()
        self.groups: dict[str, tuple[str, str | None]] = {}  # a described group's id → (name, country)
        self.org_names: dict[str, tuple[str, str, str | None]] = {}  # org key → (id, name, country)
        self.used_titles: set[tuple[int, int]] = set()
        self.affiliations: list[AffiliationRecord] = []
        self.references: list[_Span] = []

    # -- the steps -----------------------------------------------------------

    def run(self) -> DocumentActors:
        self.spans = self._select(self._ner_candidates() + self._registry_candidates())
        self._honorific_names()
        self._untagged_names()
        self.spans.sort(key=lambda s: s.start)
        self.datelines = self._dateline_spans() + self._credit_spans()
        self._acronym_definitions()
        self.place_names = {fold(s.name or self._name(s.start, s.end)) for s in self.spans
                            if s.source in ("ner", "honorific") and self._named_as_place(s)}
        self.ctx.set_actors(self._known_actor_spans())
        for span in self.spans:
            self._classify(span)
        self._group_people()
        self._decide_rest()
        self._scan_surnames()
        self._extend_mentions()
        self.ctx.set_actors(self._actor_spans())
        self._find_affiliations()
        self._find_references()
        self._find_described()
        return self._result()

    # -- candidates ------------------------------------------------------------

    def _ner_candidates(self) -> list[_Span]:
        found = []
        for ent in self.doc.ents:
            if ent.label_ in LABELS:
                found.extend(self._clean_entity(ent.start, ent.end, ent.label_))
        return found

    def _clean_entity(self, start: int, end: int, label: str) -> list[_Span]:
        """Trim an entity to its name: no article, title, possessive or stray punctuation."""
        toks = self.tokens
        if any(toks.is_space[k] and "\n\n" in toks.raw[k] for k in range(start, end)):
            return []
        while start < end and (toks.is_space[start] or not _has_alnum(toks.raw[start]) or toks.norm[start] in _ARTICLES):
            start += 1
        while start < end and self.titles.is_honorific(toks.raw[start]):
            start += 1
        title = self.ctx.title_starting_at(start)
        if title is not None and title[1] < end:
            start = title[1]
        end = next((k for k in range(start, end) if toks.raw[k] in ("(", ")")), end)  # "National League (NLD"
        while end > start and (toks.is_space[end - 1] or toks.norm[end - 1] in _POSSESSIVE or not _has_alnum(toks.raw[end - 1])):
            end -= 1
        if end <= start or end - start > MAX_ENTITY_TOKENS:
            return []
        if any(a <= start and end <= b for a, b, _ in self.ctx.title_spans):
            return []
        if not any(c.isupper() for k in range(start, end) for c in toks.raw[k]):
            return []
        if label == "ORG":
            owner = next((k for k in range(start + 1, end) if toks.norm[k] in _POSSESSIVE), None)
            if owner is not None:
                return self._clean_entity(start, owner, label)
            known = self.registry.tables.names.match_at(toks, start, limit=end)
            if known is not None and known[0] < end and toks.raw[known[0]].islower():
                return [_Span(start, known[0], "ner", label=label)]  # "the Arab League for Syria"
            split = self._person_tail(start, end)
            if split is not None:
                return [_Span(start, split, "ner", label="ORG"), _Span(split, end, "ner", label="PERSON")]
        return [_Span(start, end, "ner", label=label)]

    def _person_tail(self, start: int, end: int) -> int | None:
        """Where an organisation's name ends and a person's begins ("… Opposition Forces Moaz al-Khatib")."""
        cuts = [k + 1 for k in range(start, end) if self.tokens.norm[k] in self.lexicon.organization_heads]
        known = self.registry.tables.names.match_at(self.tokens, start, limit=end)
        if known is not None:
            cuts.append(known[0])
        for cut in sorted(set(cuts), reverse=True):
            tail = range(cut, end)
            capitals = sum(self.tokens.raw[k][:1].isupper() for k in tail)
            if capitals >= 2 and all(self.tokens.raw[k][:1].isupper() or self.tokens.norm[k] in NAME_PARTICLES for k in tail):
                return cut
        return None

    def _registry_candidates(self) -> list[_Span]:
        tables = self.registry.tables
        found = []
        for table, source in ((tables.names, "registry"), (tables.demonyms, "demonym"), (tables.seats, "seat")):
            for start, end, value in table.scan(self.tokens):
                if self._hyphen_attached(start):
                    continue
                span = _Span(start, end, source)
                if source == "demonym":
                    span.actor, span.plural = value
                else:
                    span.actor = value
                found.append(span)
        return found

    def _hyphen_attached(self, start: int) -> bool:
        """'pro-opposition': a name glued to a prefix by a hyphen is part of another word."""
        return start >= 2 and self.tokens.raw[start - 1] == "-" and not self.tokens.space_after[start - 2]

    def _select(self, candidates: list[_Span]) -> list[_Span]:
        """Longest spans first; on a tie the registry beats the tagger."""
        chosen = []
        for span in sorted(candidates, key=lambda s: (-(s.end - s.start), _PRIORITY[s.source], s.start)):
            if all(self.taken[k] is None for k in range(span.start, span.end)):
                self._claim(span)
                chosen.append(span)
        return chosen

    def _claim(self, span: _Span) -> None:
        for k in range(span.start, span.end):
            self.taken[k] = span

    def _honorific_names(self) -> None:
        """'Mr. de Mistura': the words after an honorific are a person's name, tagged or not."""
        toks = self.tokens
        n = len(toks)
        for i in range(n - 1):
            if not self.titles.is_honorific(toks.raw[i]) or not toks.raw[i][:1].isupper():
                continue
            first = i + 1
            if self.taken[first] is not None:
                span = self.taken[first]
                if span.start == first:
                    span.evidence = span.evidence or "honorific"
                    self._attach_honorific(span)
                continue
            end = first
            while end < n and end - first < 5 and self.taken[end] is None and not toks.is_space[end] and (
                toks.raw[end][:1].isupper() or toks.norm[end] in NAME_PARTICLES
            ) and not self.titles.is_honorific(toks.raw[end]):
                end += 1
            while end > first and not toks.raw[end - 1][:1].isupper():
                end -= 1
            if end > first:
                span = _Span(first, end, "honorific", evidence="honorific")
                self._claim(span)
                self._attach_honorific(span)
                self.spans.append(span)

    def _attach_honorific(self, span: _Span) -> bool:
        """Let the mention start at the honorific before the name ("Mr. Kerry"), if no other span has it."""
        k = span.start - 1
        if k < 0 or not self.titles.is_honorific(self.tokens.raw[k]) or self.taken[k] not in (None, span):
            return False
        span.mention_start = k
        self.taken[k] = span
        return True

    # -- classification ------------------------------------------------------------

    def _known_actor_spans(self) -> list[ActorSpan]:
        """Registry and demonym spans, known before any person is: the qualifiers titles lean on."""
        spans = []
        for span in self.spans:
            actor = self.registry.get(span.actor) if span.actor else None
            if actor is None and span.source == "ner":
                actor = self.registry.lookup(self._text(span.start, span.end))
            if actor is not None and actor.kind != "person":
                spans.append(ActorSpan(span.start, span.end, actor.id, actor.kind, self._text(span.start, span.end)))
        return spans

    def _classify(self, span: _Span) -> None:
        span.name = self._name(span.start, span.end)
        long = self.defined.get(span.name)
        if long is not None and long is not span and span.source != "demonym":
            span.undecided = "acronym"  # its full name decides what it is
            return
        if span.source in ("ner", "honorific") and span.evidence != "honorific" and self._a_place_or_a_dateline(span):
            span.mention = False
            return
        if span.source == "honorific":
            self._make_person(span, CONFIDENCE["honorific"] if span.evidence == "honorific" else CONFIDENCE["untagged"])
            return
        if span.source in ("demonym", "seat"):
            self._set_registry(span, self.registry.get(span.actor), CONFIDENCE[span.source if span.source == "seat" else "demonym-plural"])
            return
        if span.source == "registry":
            actor = self.registry.get(span.actor)
            if actor is not None and actor.kind != "person" and span.evidence == "honorific":
                self._make_person(span, CONFIDENCE["honorific"])
                return
            if actor is not None and actor.kind != "person" and self.registry.by_seat(span.name) is not None:
                span.source = "seat"  # an alias that is a capital ("Riyadh") names the state only when it acts
            self._set_registry(span, actor, CONFIDENCE["registry"])
            return
        self._classify_entity(span)

    def _classify_entity(self, span: _Span) -> None:
        text = span.name
        actor = self.registry.lookup(text)
        if actor is None and self._not_an_actor(span):
            span.mention = False
            return
        evidence = span.evidence or self._person_evidence(span)
        if actor is not None and not (evidence and actor.kind != "person"):
            self._set_registry(span, actor, CONFIDENCE["ner-registry"])
            return
        demonym = self.registry.by_demonym(text)
        if demonym is not None and not evidence:
            span.source, span.actor, span.plural = "demonym", demonym[0].id, demonym[1]
            self._set_registry(span, demonym[0], CONFIDENCE["demonym-plural"])
            return
        seat = self.registry.by_seat(text)
        if seat is not None and not evidence:
            span.source, span.actor = "seat", seat.id
            self._set_registry(span, seat, CONFIDENCE["seat"])
            return
        if span.label == "PERSON":
            if fold(self.tokens.raw[span.end - 1]) in self.lexicon.organization_heads:
                self._make_organization(span)
            elif not evidence and self._in_headline(span):
                span.undecided = "drop"  # kept only if the body names that person
            else:
                self._make_person(span, CONFIDENCE["ner-person"])
        elif evidence:
            span.evidence = evidence
            self._make_person(span, CONFIDENCE["corrected-person"])
        else:
            span.undecided = "org" if span.label == "ORG" else "drop"

    def _person_evidence(self, span: _Span) -> str | None:
        """What says an entity the tagger did not call a person is one: an honorific, a title."""
        if self._attach_honorific(span):
            return "honorific"
        self._extend_left_to_title(span)
        if self.ctx.title_ending_at(span.start) is not None:
            return "title"
        if span.label != "GPE" and (title_after(self.ctx, span.end) is not None or title_reversed(self.ctx, span.start) is not None):
            return "apposition"
        return None

    def _extend_left_to_title(self, span: _Span) -> None:
        """'UN Envoy Lakhdar Brahimi': the tagger kept only 'Brahimi'; the name starts after the title."""
        k = span.start
        for _ in range(2):
            k = self.ctx.prev(k)
            if k <= 0 or not self._name_word(k) or not self.tokens.raw[k][:1].isupper():
                return
            if self.ctx.title_ending_at(k) is not None or self.titles.is_honorific(self.ctx.raw(self.ctx.prev(k))):
                for j in range(k, span.start):
                    self.taken[j] = span
                span.start = k
                span.name = self._name(span.start, span.end)
                return

    def _name_word(self, k: int) -> bool:
        """An untagged word that can be part of a person's name."""
        toks = self.tokens
        if k < 0 or k >= len(toks) or self.taken[k] is not None or toks.is_space[k] or self.ctx.in_title(k):
            return False
        if toks.norm[k] in NAME_PARTICLES:
            return True
        raw = toks.raw[k]
        return raw[:1].isupper() and raw[1:2].islower() and self.doc[k].pos_ == "PROPN" and not self.titles.is_honorific(raw)

    def _untagged_names(self) -> None:
        """Names the tagger missed, found by their shape: 'X Y, director of ...'; 'Foreign Minister X Y said'."""
        toks = self.tokens
        n = len(toks)
        for k in range(1, n):
            if toks.raw[k] != "," or self.taken[k - 1] is not None:
                continue
            start = k
            while start > 0 and k - start < 4 and self._name_word(start - 1):
                start -= 1
            while start < k and toks.norm[start] in NAME_PARTICLES:
                start += 1
            if sum(toks.raw[j][:1].isupper() for j in range(start, k)) >= 2 and title_after(self.ctx, k) is not None:
                self._add_untagged(start, k, "apposition")
        for _, end, _ in self.ctx.title_spans:
            first = end + 1 if self.ctx.is_break(end) else end
            stop = first
            while stop < n and stop - first < 3 and self._name_word(stop):
                stop += 1
            while stop > first and not toks.raw[stop - 1][:1].isupper():
                stop -= 1
            after = stop + 1 if self.ctx.is_break(stop) else stop
            if after < n and (toks.raw[after][:1].isupper() or self.taken[after] is not None):
                continue  # the name goes on (an entity the tagger cut short, or a capitalised headline)
            if stop > first:
                self._add_untagged(first, stop, "title")

    def _add_untagged(self, start: int, end: int, evidence: str) -> None:
        if any(self.taken[k] is not None for k in range(start, end)):
            return
        span = _Span(start, end, "honorific", evidence=evidence, confidence=CONFIDENCE["untagged"])
        self._claim(span)
        self.spans.append(span)

    def _set_registry(self, span: _Span, actor: RegistryActor | None, confidence: float) -> None:
        if actor is None:
            span.mention = False
            return
        government = self.registry.get(actor.government) if actor.government else None
        if government is not None and span.source != "demonym":
            # A state whose government is a party of its own ("Syria") is a place,
            # except where it acts: then it is that government, like a seat.
            span.source, span.via_state, actor = "seat", True, government
        span.actor, span.kind, span.confidence = actor.id, actor.kind, confidence
        if actor.kind == "person":
            span.source = "registry" if span.source == "registry" else span.source
            self._make_person(span, confidence, registry=actor)

    def _make_person(self, span: _Span, confidence: float, registry: RegistryActor | None = None) -> None:
        span.kind, span.confidence = "person", confidence
        span.actor = registry.id if registry is not None else None

    def _make_organization(self, span: _Span) -> None:
        name = _strip_article(span.name)
        key = org_key(name)
        if not key:
            span.mention = False
            return
        known = self.org_names.get(key)
        if known is None:
            known = (slugify(name), name, self._country_of(span))
            self.org_names[key] = known
        span.actor, span.kind, span.confidence = known[0], "organization", CONFIDENCE["ner-organization"]

    # -- acronyms, datelines, places -------------------------------------------------

    def _acronym_definitions(self) -> None:
        """'Rapid Support Forces (RSF)': the capitals in parentheses after a name are that name, here and later.

        A name the tagger missed is read from its capitalised words; one that
        names a text ("the Union Peace Accord (UPA)") makes its acronym no actor.
        """
        toks = self.tokens
        for span in self.spans:
            k = span.end
            if span.source in ("demonym", "seat") or span.end - span.start < 2 or k + 2 >= len(toks):
                continue
            if toks.raw[k] == "(" and toks.raw[k + 2] == ")" and _spells(toks.raw[k + 1], self._name(span.start, span.end)):
                self.defined.setdefault(toks.raw[k + 1], span)
        for k in range(1, len(toks) - 2):
            if toks.raw[k] == "(" and toks.raw[k + 2] == ")" and toks.raw[k + 1] not in self.defined:
                self._define_by_capitals(k)
        self.spans.sort(key=lambda s: s.start)

    def _define_by_capitals(self, paren: int) -> None:
        """The capitalised words before '(ACRONYM)' as a name, when the tagger found none there."""
        toks = self.tokens
        start = paren
        while start > 0 and paren - start < MAX_ENTITY_TOKENS and self.taken[start - 1] is None and (
                toks.raw[start - 1][:1].isupper() or toks.norm[start - 1] in _NAME_LINKS):
            start -= 1
        while start < paren and (not toks.raw[start][:1].isupper() or toks.norm[start] in _ARTICLES):
            start += 1
        name = self._name(start, paren)
        if paren - start < 2 or not _spells(toks.raw[paren + 1], name):
            return
        span = _Span(start, paren, "ner", label="ORG")
        if self._is_title(name):
            span.mention = False  # the acronym of a text names no one either
        else:
            self._claim(span)
            self.spans.append(span)
        self.defined[toks.raw[paren + 1]] = span

    def _link_acronyms(self) -> None:
        """Each use of a spelled-out acronym denotes what its full name denotes (or, like a title, nothing)."""
        toks = self.tokens
        for acronym, long in self.defined.items():
            actor = long.actor if long.mention and long.actor and long.kind not in (None, "person") else None
            for span in self.spans:
                if span.undecided == "acronym" and span.name == acronym:
                    span.undecided = None
                    span.actor, span.kind, span.mention = actor, long.kind if actor else None, actor is not None
                    span.source, span.confidence = "acronym", long.confidence
            if actor is None:
                continue
            for k in range(len(toks)):
                if toks.raw[k] == acronym and self.taken[k] is None:
                    span = _Span(k, k + 1, "acronym", actor=actor, kind=long.kind, confidence=long.confidence, name=acronym)
                    self._claim(span)
                    self.spans.append(span)
        self.spans.sort(key=lambda s: s.start)

    def _dateline_spans(self) -> list[tuple[int, int]]:
        """The character ranges of datelines: a line opening with a place in capitals, a date or an agency's credit."""
        found = []
        for match in _DATELINE.finditer(self.text):
            place, rest, credit = match.group("place"), match.group("rest"), match.group("credit")
            letters = [c for c in place if c.isalpha()]
            shouted = len(letters) >= 3 and all(c.isupper() for c in letters)
            if not (shouted or credit or (rest and any(c.isdigit() for c in rest))):
                continue
            known = self.registry.lookup(place)
            if known is not None and known.kind != "state" and self.registry.by_seat(place) is None:
                continue  # "NATO: allies agree": a headline, not a dateline
            found.append((match.start("place"), match.end()))
        return found

    def _credit_spans(self) -> list[tuple[int, int]]:
        """The character ranges of photo credits: after a credit word, or an agency's name in parentheses."""
        found = []
        words = "|".join(re.escape(w) for w in sorted(self.words.credit_words, key=len, reverse=True))
        if words:
            for match in re.finditer(rf"(?i)\b(?:{words})\s*(?::|by\b)[^\n)]{{0,60}}", self.text):
                found.append((match.start(), match.end()))
        for match in re.finditer(r"\(([^()\n]{2,60}/[^()\n]{2,60})\)", self.text):
            parts = [p.strip() for p in match.group(1).split("/")]
            if any(self.lexicon.is_not_actor(p) or p.lower().endswith(("images", "photo")) for p in parts):
                found.append((match.start(), match.end()))
        return found

    def _a_place_or_a_dateline(self, span: _Span) -> bool:
        """A name the document introduced as a place ("the town of X"), or the words of its dateline."""
        if self._in_dateline_prefix(span):
            return True
        return fold(span.name) in self.place_names and self.registry.lookup(span.name) is None

    def _in_dateline_prefix(self, span: _Span) -> bool:
        if not self.datelines:
            return False
        start = self.starts[span.start]
        return any(a <= start < b for a, b in self.datelines)

    def _named_as_place(self, span: _Span) -> bool:
        """'the city of Ghadames', 'the capital Naypyitaw', 'Stepanakert, the region's main city'."""
        places = self.words.places
        root = self.doc[span.end - 1]
        while span.start <= root.head.i < span.end and root.head.i != root.i:
            root = root.head
        head = root
        while head.dep_ == "conj" and head.head.i != head.i:
            head = head.head  # "the cities of Ghadames and Sabha"
        if head.dep_ == "pobj" and head.head.lower_ == "of" and fold(head.head.head.text) in places:
            return True
        if head.dep_ == "appos" and fold(head.head.text) in places:
            return True
        if any(c.dep_ == "appos" and fold(c.text) in places for c in children_of(root)):
            return True
        k = span.start - 1
        if k >= 0 and self.tokens.norm[k] in places and self.doc[k].pos_ == "NOUN" and self.tokens.raw[k].islower():
            return True
        return self._place_after_comma(span.end)

    def _place_after_comma(self, k: int) -> bool:
        """'X, the region's main city': a place noun heading the words after the name's comma."""
        toks = self.tokens
        if k >= len(toks) or toks.raw[k] != ",":
            return False
        for j in range(k + 1, min(k + 7, len(toks))):
            if toks.norm[j] in self.words.places and self.doc[j].pos_ == "NOUN":
                return j + 1 >= len(toks) or self.doc[j + 1].pos_ not in ("NOUN", "PROPN")  # not "the city council"
            if self.doc[j].pos_ not in ("DET", "ADJ", "NOUN", "PROPN", "PART") and toks.norm[j] not in ("'s", "'"):
                return False
        return False

    def _country_of(self, span: _Span) -> str | None:
        """'Syrian Democratic Forum' is Syrian: an organisation named after a state belongs to it."""
        tables = self.registry.tables
        for table in (tables.demonyms, tables.names):
            hit = table.match_at(self.tokens, span.start, limit=span.end)
            if hit is not None:
                value = hit[1][0] if isinstance(hit[1], tuple) else hit[1]
                actor = self.registry.get(value)
                if actor is not None and actor.kind == "state":
                    return actor.country
        return None

    # -- people ----------------------------------------------------------------

    def _group_people(self) -> None:
        """Full names first, then bare surnames and honorific forms to the nearest full name."""
        people = [s for s in self.spans if s.kind == "person"]
        short = []
        for span in people:
            if span.actor and self.registry.get(span.actor) and len(name_parts(span.name)) >= 2:
                self._join(self._registry_person(self.registry.get(span.actor)), span, full=True)
            elif len(name_parts(span.name)) >= 2 and not _starts_with_particle(span.name):
                self._join(self._person_for_full_name(span.name), span, full=True)
            else:
                short.append(span)
        for span in self._undecided_with_surnames():
            short.append(span)
        for span in short:
            person = self._person_for_surname(span)
            if person is None:
                if span.undecided or not span.mention:
                    continue
                person = _Person()
                self.persons.append(person)
            span.undecided = None
            if span.kind != "person":
                span.kind, span.confidence = "person", CONFIDENCE["surname"]
            self._join(person, span, full=False)

    def _undecided_with_surnames(self) -> list[_Span]:
        """Entities the tagger mislabelled ('Balian' as a nationality) that are a known person's surname.

        A full name found only in a title-case headline is kept when the body
        names the same person.
        """
        keys = {k for p in self.persons for k in p.surnames}
        found = []
        for span in self.spans:
            if not span.undecided:
                continue
            if len(name_parts(span.name)) == 1 and surname_key(span.name) in keys:
                found.append(span)
            elif span.label == "PERSON":
                person = next((p for p in self.persons if any(same_person(span.name, n) for n in p.full_names)), None)
                if person is not None:
                    span.undecided, span.kind, span.confidence = None, "person", CONFIDENCE["ner-person"]
                    self._join(person, span, full=True)
        return found

    def _registry_person(self, actor: RegistryActor) -> _Person:
        for person in self.persons:
            if person.registry is not None and person.registry.id == actor.id:
                return person
        person = _Person(registry=actor)
        self.persons.append(person)
        return person

    def _person_for_full_name(self, name: str) -> _Person:
        actor = self.registry.lookup(name)
        if actor is not None and actor.kind == "person":
            return self._registry_person(actor)
        for person in self.persons:
            if any(same_person(name, known) for known in person.full_names):
                return person
        person = _Person()
        self.persons.append(person)
        return person

    def _person_for_surname(self, span: _Span) -> _Person | None:
        key = surname_key(span.name)
        candidates = [p for p in self.persons if key in p.surnames and p.full_positions]
        registry_actor = self.registry.get(span.actor) if span.actor else None
        if registry_actor is not None and registry_actor.kind == "person":
            # A full name of this document with the surname beats the registry's
            # bearer of it ("Hafez al-Assad" here, though "Assad" is Bashar there).
            rivals = [p for p in candidates if p.registry is None or p.registry.id != registry_actor.id]
            if not rivals or len(rivals) < len(candidates):
                return self._registry_person(registry_actor)
            candidates = rivals
        if candidates:
            before = [p for p in candidates if min(p.full_positions) < span.start]
            if before:
                return max(before, key=lambda p: max(q for q in p.full_positions if q < span.start))
            return min(candidates, key=lambda p: min(p.full_positions))
        actor = self.registry.lookup(span.name)
        if actor is not None and actor.kind == "person":
            return self._registry_person(actor)
        for person in self.persons:
            if not person.full_names and key in person.surnames:
                return person
        if span.undecided:
            return None
        if span.label == "PERSON" and not span.evidence and self._mostly_not_a_person(span):
            span.mention = False
            return None
        return None

    def _mostly_not_a_person(self, span: _Span) -> bool:
        """'Aleppo' tagged a person once and a place three times is not a person."""
        key = fold(span.name)
        labels = Counter(e.label_ for e in self.doc.ents if fold(e.text).strip("'s ") == key)
        return labels["PERSON"] < sum(v for k, v in labels.items() if k != "PERSON")

    def _join(self, person: _Person, span: _Span, full: bool) -> None:
        if not span.mention:
            return
        self.person_of[id(span)] = person
        person.positions.append(span.start)
        if full:
            person.full_positions.append(span.start)
            if span.name not in person.full_names:
                person.full_names.append(span.name)
        elif span.name not in person.short_names:
            person.short_names.append(span.name)

    def _decide_rest(self) -> None:
        """Entities still undecided: organisations stay (cleaned), places and nationalities go."""
        for span in self.spans:
            if span.kind == "person" and id(span) not in self.person_of:
                span.mention = False
            if not span.undecided or span.undecided == "acronym":
                continue
            if span.undecided == "org" and _plausible_org(span.name) and not self._in_headline(span) and not self._only_a_place(span):
                self._make_organization(span)
            else:
                span.mention = False
            span.undecided = None
        self._link_acronyms()
        used: dict[str, object] = {s.actor: s for s in self.spans if s.actor and s.kind != "person"}
        for person in self.persons:
            base = person.registry.id if person.registry else slugify(person.name, person=True)
            actor_id, n = base, 2
            while (actor_id in used and used[actor_id] is not person) or self._registered_as_other(actor_id, person):
                actor_id, n = f"{base}-{n}", n + 1
            used[actor_id] = person
            person.id = actor_id
        for span in self.spans:
            person = self.person_of.get(id(span))
            if person is not None:
                span.actor = person.id

    def _registered_as_other(self, actor_id: str, person: _Person) -> bool:
        """An id the registry gives to someone or something else (a person called 'Jordan' is not jordan)."""
        known = self.registry.get(actor_id)
        return known is not None and (known.kind != "person" or person.registry is None or person.registry.id != actor_id)

    def _scan_surnames(self) -> None:
        """Later references the tagger missed: a known person's surname anywhere in the text."""
        keys: dict[str, list[_Person]] = {}
        for person in self.persons:
            for key in person.surnames:
                keys.setdefault(key, []).append(person)
        if not keys:
            return
        toks = self.tokens
        for k in range(len(toks)):
            if self.taken[k] is not None or not toks.raw[k][:1].isupper() or not toks.raw[k][1:2].islower():
                continue
            key = surname_key(toks.raw[k])
            people = keys.get(key)
            if not people:
                continue
            start = k
            while start > 0 and self.taken[start - 1] is None and toks.norm[start - 1] in NAME_PARTICLES and toks.raw[start - 1][:1].islower():
                start -= 1
            if k + 1 < len(toks) and fold(toks.raw[k + 1]) in self.lexicon.organization_heads and toks.raw[k + 1][:1].isupper():
                continue
            span = _Span(start, k + 1, "surname", kind="person", name=self._name(start, k + 1), confidence=CONFIDENCE["surname-scan"])
            person = self._nearest(people, start)
            span.actor = person.id
            self.person_of[id(span)] = person
            self._claim(span)
            self._attach_honorific(span)
            self.spans.append(span)
        self.spans.sort(key=lambda s: s.start)

    @staticmethod
    def _nearest(people: list[_Person], position: int) -> _Person:
        before = [p for p in people if p.positions and min(p.positions) < position]
        if before:
            return max(before, key=lambda p: max(q for q in p.positions if q < position))
        return people[0]

    # -- collective actors -----------------------------------------------------

    def _extend_mentions(self) -> None:
        """'Russian officials', 'Syria's government', 'the Huthi rebels', 'the French'; seats only when they act.

        The words of a state's forces or a group's members stay among the
        actor's names ("Azeri forces" on Azerbaijan), so a reader sees them.
        """
        for span in self.spans:
            if span.mention and self._in_dateline_prefix(span):
                span.mention = False  # "SANAA:", "BEIRUT, Lebanon —": where the report was filed
            if not span.mention or span.kind in (None, "person"):
                continue
            noun_end = self._collective_noun_end(span.end)
            if noun_end is None and span.kind in ("organization", "group"):
                noun_end = self._noun_end(span.end, self.words.domestic_groups)  # "the Huthi rebels", "FARC insurgents"
            if noun_end is None and span.source == "demonym":
                noun_end = self._noun_end(span.end, self.words.military)  # "the Sudanese army"
            if span.source == "seat":
                span.mention = self._seat_acts(span)
                if span.mention and noun_end is None:
                    continue
            if noun_end is not None and span.source == "demonym" and self._describes_someone(span, noun_end):
                noun_end = None  # "Brahimi, a veteran Algerian diplomat": a nationality, not Algeria
            if noun_end is None and span.kind == "state" and span.source in ("registry", "ner") and self._only_a_place(span):
                span.mention = False
                continue
            if noun_end is not None:
                noun = self.tokens.norm[noun_end - 1]
                span.mention_end = noun_end
                for k in range(span.end, noun_end):
                    self.taken[k] = span
                if noun in self.words.military or noun in self.words.domestic_groups:
                    span.alias = self._name(span.start, noun_end)  # "Azeri forces" is among Azerbaijan's names
                if span.kind == "state" and (noun in self.lexicon.government_nouns or noun in self.words.military):
                    government = self.registry.government_of(span.actor)
                    if government != span.actor:
                        actor = self.registry.get(government)
                        span.actor, span.kind = government, actor.kind if actor else span.kind
                span.confidence = max(span.confidence, CONFIDENCE["demonym-collective"])
                span.mention = True
            elif span.source == "demonym" and self._agent_of_participle(span):
                government = self.registry.government_of(span.actor)  # "Saudi-drafted", "Russian-backed"
                actor = self.registry.get(government)
                span.actor, span.kind = government, actor.kind if actor else span.kind
                span.confidence = CONFIDENCE["demonym-collective"]
            elif span.source == "demonym" and self._the_people(span) and not self._has_government(span.actor):
                span.mention_start, span.alias = span.start - 1, self._name(span.start - 1, span.end)  # "the French"
                self.taken[span.start - 1] = span
            elif span.source == "demonym" and (not span.plural or self._has_government(span.actor)):
                span.mention = False

    def _noun_end(self, k: int, nouns: frozenset[str]) -> int | None:
        """The end of one of `nouns` at token k that closes the phrase ("the Huthi rebels", "the Sudanese army").

        Not when it modifies a noun after it: "Russian military police", "the
        Turkish army chief".
        """
        toks = self.tokens
        if k >= len(toks) or self.taken[k] is not None or not toks.raw[k].islower() or toks.norm[k] not in nouns:
            return None
        after = k + 1
        if after < len(toks) and (toks.raw[after] == "-" or (self.doc[after].pos_ in ("NOUN", "PROPN") and toks.raw[after].islower())):
            return None
        return after

    def _the_people(self, span: _Span) -> bool:
        """'the French', 'the Chinese': a nationality word that is its own plural, standing for its state."""
        toks = self.tokens
        k = span.start - 1
        if k < 0 or toks.norm[k] != "the" or self.taken[k] is not None or span.end - span.start != 1 or span.plural:
            return False
        if plural_demonym(toks.raw[span.start]) is not None:
            return False  # "the Russian" needs a noun; "the Russians" is already a plural
        after = span.end
        if after < len(toks) and toks.raw[after][:1].isalpha() and self.doc[after].pos_ in ("NOUN", "PROPN", "ADJ"):
            return False  # "the French foreign minister", "the French delegation"
        return self.doc[span.start].dep_ in _SUBJECT_DEPS | {"conj", "pobj", "dobj", "appos"}

    def _agent_of_participle(self, span: _Span) -> bool:
        """'a Saudi-drafted resolution': the state did the drafting."""
        toks = self.tokens
        k = span.end
        return (k + 1 < len(toks) and toks.raw[k] == "-" and not toks.space_after[k - 1]
                and toks.norm[k + 1].endswith("ed") and toks.raw[k + 1].islower())

    def _has_government(self, actor_id: str) -> bool:
        return self.registry.government_of(actor_id) != actor_id

    def _describes_someone(self, span: _Span, noun_end: int) -> bool:
        """'a veteran Algerian diplomat', 'the Swedish-Italian diplomat': one person's nationality, not a state."""
        toks = self.tokens
        if toks.norm[noun_end - 1].endswith("s") or toks.norm[noun_end - 1] in self.words.military:
            return False  # "the Sudanese army" is no one's nationality
        if span.start > 0 and toks.raw[span.start - 1] == "-":
            return True
        for k in range(span.start - 1, max(span.start - 4, 0) - 1, -1):
            if toks.norm[k] == "the":
                return True
            if toks.norm[k] in _INDEFINITE:
                return k > 0 and toks.norm[k - 1] == ","
            if self.doc[k].pos_ not in ("ADJ", "ADV"):
                break
        return False

    def _only_a_place(self, span: _Span) -> bool:
        """'talks in Turkey', 'at a Foreign Ministry mansion', 'BEIRUT, Lebanon': a location, not an actor."""
        head = self.doc[span.end - 1]
        while span.start <= head.head.i < span.end and head.head.i != head.i:
            head = head.head  # "government in Damascus" is headed by "government", not by the place
        while head.dep_ in ("compound", "conj") and head.head.i != head.i:
            head = head.head
        if head.dep_ == "pobj" and head.head.lower_ in _LOCATIVE:
            return True
        return self._in_dateline(span)

    def _in_dateline(self, span: _Span) -> bool:
        """'BEIRUT, Lebanon — ...': the place a report was filed from."""
        toks = self.tokens
        comma = self.ctx.prev(span.start)
        city = self.ctx.prev(comma)
        if city < 0 or toks.raw[comma] != ",":
            return False
        while city > 0 and not toks.is_space[city - 1] and toks.raw[city - 1][:1].isupper():
            city -= 1
        at_line_start = city == 0 or self.text[self.starts[city] - 1] == "\n" or toks.is_space[city - 1]
        dash = toks.raw[span.end] if span.end < len(toks) else ""
        return at_line_start and dash in ("—", "–", "-", "(", "--")

    def _in_headline(self, span: _Span) -> bool:
        """A line in title case ('Syrian Opposition Leaders Shun ...'), where the tagger takes any capital for a name."""
        text = self.text
        start = text.rfind("\n", 0, self.starts[span.start]) + 1
        end = text.find("\n", self.starts[span.start])
        words = [w for w in re.findall(r"[A-Za-z][\w'’-]*", text[start:end if end >= 0 else len(text)]) if len(w) > 3]
        return len(words) >= 3 and sum(w[0].isupper() for w in words) >= 0.8 * len(words)

    def _not_an_actor(self, span: _Span) -> bool:
        """News outlets, time zones, reporters' credits: named in a report, but not actors in it."""
        name = span.name
        if self.lexicon.is_not_actor(name):
            return True
        words = name.split()
        if any(self.lexicon.is_not_actor(" ".join(words[:n])) for n in range(1, len(words))):
            return True  # "AFP News Agency", "Reuters Television"
        if span.label == "ORG" and fold(name).split()[-1:] and fold(name).split()[-1] in self.lexicon.outlet_words:
            return True
        if self._is_title(name):
            return True
        if _ACRONYM.match(name) and sum(c.isalpha() for c in name) <= 2 and span.label != "PERSON":
            return True  # two unexplained capitals ("FE") name no one the registry does not know
        after = " ".join(self.tokens.norm[span.end:span.end + 2])
        return after in ("contributed reporting", "contributed to")

    def _is_title(self, name: str) -> bool:
        """'the Nationwide Ceasefire Agreement', 'the Conference on Cyprus': a text or a meeting, not a party to it."""
        words = org_key(name).split()
        if not words:
            return False
        titles = self.words.titles
        if words[-1] in titles:
            return True  # "the Nationwide Ceasefire Agreement"
        return any(word in titles and after in _TITLE_LINKS for word, after in zip(words, words[1:]))  # "Plan of Action"

    def _collective_noun_end(self, k: int) -> int | None:
        toks = self.tokens
        if k < len(toks) and toks.norm[k] in _POSSESSIVE:
            k += 1
        if k < len(toks) and self.taken[k] is None and toks.raw[k].islower() and toks.norm[k] in self.lexicon.collective_nouns:
            return k + 1
        return None

    def _seat_acts(self, span: _Span) -> bool:
        """'Moscow opposes' and 'Moscow's plan' name the government; 'talks in Moscow' a place.

        A state standing for its government ("Syria") needs more than a
        possessive: "Syria's foreign minister" is the government, "Syria's
        borders" and "Syria's opposition" are not.
        """
        toks = self.tokens
        if span.end < len(toks) and toks.norm[span.end] in _POSSESSIVE:
            if not span.via_state:
                return True
            k = span.end + 1
            if self.ctx.title_starting_at(k) is not None or (k < len(toks) and toks.norm[k] in self.lexicon.government_nouns):
                return True
            return False
        head = self.doc[span.end - 1]
        while head.dep_ in ("compound", "conj") and head.head.i != head.i:
            head = head.head
        if head.dep_ in _SUBJECT_DEPS or head.dep_ == "poss":
            return True
        if head.dep_ == "pobj":
            prep = head.head
            if prep.dep_ == "agent":
                return True  # "backed by Moscow"
            # "orders from Riyadh", "no reaction from Damascus", "talks with Moscow",
            # "taking its orders from Riyadh"; not "announced from Cairo"
            if prep.lower_ == "from" and prep.head.pos_ == "VERB":
                return prep.head.lemma_ in self.lexicon.receiving_verbs
            noun = prep.head
            if noun.pos_ != "NOUN" or prep.lower_ not in ("from", "with"):
                return False
            # "a cleric from Damascus", "officials from Moscow": where people come from
            people = self.ctx.in_title(noun.i) or fold(noun.text) in self.lexicon.collective_nouns
            return not people
        return False

    # -- roles -------------------------------------------------------------------

    def _actor_spans(self) -> list[ActorSpan]:
        spans = []
        for span in self.spans:
            if span.actor and span.kind and (span.mention or span.source == "demonym"):
                spans.append(ActorSpan(span.start, span.end, span.actor, span.kind, self._text(span.start, span.end), span.mention))
        return spans

    def _find_affiliations(self) -> None:
        self._seen_roles: set[tuple[str, str, str | None]] = set()
        person_at: dict[int, _Span] = {}
        for span in self.spans:
            if span.kind != "person" or not span.mention or not span.actor:
                continue
            for k in range(span.start, span.end):
                person_at[k] = span
            roles = self.registry.roles_of(span.actor)
            for finder in (title_before, title_reversed):
                self._add_affiliation(span, finder(self.ctx, span.start), roles)
            self._add_affiliation(span, title_after(self.ctx, span.end), roles)
        by_name = {(s.start, s.end): s for s in person_at.values()}
        located = lambda k: (person_at[k].start, person_at[k].end) if k in person_at else None  # noqa: E731
        for name, match in title_predicates(self.ctx, located):
            if (match.title_start, match.title_end) not in self.used_titles:
                span = by_name[name]
                self._add_affiliation(span, match, self.registry.roles_of(span.actor))
        self._possessed_governments()

    def _add_affiliation(self, span: _Span, match: TitleMatch | None, roles) -> None:
        if match is None:
            return
        self.used_titles.add((match.title_start, match.title_end))
        if match.organization == span.actor:
            match.organization = None
        record = affiliation(span.actor, (span.start, span.end), match, self.ctx, self.published, roles)
        key = (record.actor, fold(record.role), record.organization)
        if key in self._seen_roles:
            return
        self._seen_roles.add(key)
        self.affiliations.append(record)

    def _possessed_governments(self) -> None:
        """'Assad's government', 'Obama's administration': the government the person leads."""
        toks = self.tokens
        for span in [s for s in self.spans if s.kind == "person" and s.mention and s.actor]:
            k = span.end
            if k + 1 >= len(toks) or toks.norm[k] not in _POSSESSIVE or self.taken[k + 1] is not None:
                continue
            if toks.norm[k + 1] not in _GOVERNMENT_OF_PERSON or not toks.raw[k + 1].islower():
                continue
            led = self._led_by(span.actor)
            if led is not None:
                actor = self.registry.get(led)
                noun = _Span(k + 1, k + 2, "registry", actor=led, kind=actor.kind if actor else "state",
                             confidence=CONFIDENCE["demonym-collective"], name=toks.raw[k + 1])
                self._claim(noun)
                self.spans.append(noun)
        self.spans.sort(key=lambda s: s.start)

    def _led_by(self, person: str) -> str | None:
        """The state (or its government) a person holds office in, by this document or the registry."""
        organizations = [a.organization for a in self.affiliations if a.actor == person and not _former(a)]
        organizations += [r.organization for r in self.registry.roles_of(person, on=self.published)]
        for organization in organizations:
            actor = self.registry.get(organization) if organization else None
            if actor is not None and actor.kind == "state":
                return self.registry.government_of(actor.id)
        return None

    def _find_references(self) -> None:
        """'the secretary', 'the Russian Foreign Minister'; 'the center' for an organisation named before."""
        holders = self._holders()
        mentioned = [s for s in self.spans if s.mention and s.actor]

        def taken(start: int, end: int) -> bool:
            if any(a < end and start < b for a, b in self.used_titles):
                return True
            return any(s.first < end and start < s.last for s in mentioned)

        for ref in title_references(self.ctx, holders, taken, self._last_person):
            person = next((p for p in self.persons if p.id == ref.actor), None)
            confidence = CONFIDENCE_REFERENCE if ref.role is None else CONFIDENCE["described"]
            self.references.append(_Span(ref.start, ref.end, "reference", actor=ref.actor, kind="person",
                                         confidence=confidence, name=person.name if person else ""))
            if ref.role is not None:
                match = TitleMatch(ref.role, ref.start, ref.end, ref.start, ref.end, ref.organization, ref.organization_text,
                                   shape="reference")
                self._add_affiliation(self.references[-1], match, self.registry.roles_of(ref.actor))
        self._short_org_references(mentioned)

    def _last_person(self, k: int, organization: str | None) -> str | None:
        """The person named in the sentence before token k's, if the description can be theirs.

        "John Kerry insisted ... . '...,' the US secretary of state said": a
        description opening a new sentence refers back to the person just
        named; not when its own sentence names someone first ("Jubeir said the
        Syrian leader would leave"), nor when that person is known to serve
        another state.
        """
        if not hasattr(self, "_sentence_starts"):
            self._sentence_starts = [s.start for s in self.doc.sents] if self.doc.has_annotation("SENT_START") else [0]
        n = bisect.bisect_right(self._sentence_starts, k) - 1
        if n < 1:
            return None
        floor, ceiling = self._sentence_starts[n - 1], self._sentence_starts[n]
        people = [s for s in self.spans if s.kind == "person" and s.mention and s.actor and floor <= s.start and s.end <= k]
        if not people or max(s.end for s in people) > ceiling:
            return None
        last = max(people, key=lambda s: s.end)
        if self.doc[last.end - 1].dep_ not in _SUBJECT_DEPS:
            return None  # only the subject of the sentence before ("By X" in a byline is not)
        actor = last.actor
        serves = {a.organization for a in self.affiliations if a.actor == actor and a.organization and not _former(a)}
        states = {o for o in serves if (self.registry.get(o) or RegistryActor(o, o, "organization")).kind == "state"}
        if organization and states and organization not in states:
            return None
        return actor

    def _holders(self) -> list[Holder]:
        holders = []
        for record in self.affiliations:
            if _former(record):
                continue
            holders.append(Holder(self._token_at(record.span_start), record.actor, record.role, record.organization))
        if self.published:
            for person in self.persons:
                if person.registry is None or not person.positions:
                    continue
                for role in self.registry.roles_of(person.registry.id, on=self.published):
                    holders.append(Holder(min(person.positions), person.id, role.role, role.organization, attested=False))
        return holders

    def _short_org_references(self, mentioned: list[_Span]) -> None:
        heads: dict[str, list[tuple[int, str]]] = {}
        for span in mentioned:
            if span.kind not in ("organization", "group") or span.source == "reference":
                continue
            names = [self._text(span.start, span.end)]
            actor = self.registry.get(span.actor)
            if actor is not None:
                names.append(actor.name)
            for name in names:
                words = fold(name).split()
                if words and words[-1] in self.lexicon.organization_heads and not words[-1].endswith("s"):
                    heads.setdefault(words[-1], []).append((span.start, span.actor))
        if not heads:
            return
        toks = self.tokens
        for k in range(len(toks) - 1):
            if toks.norm[k] != "the" or self.taken[k] is not None or self.taken[k + 1] is not None:
                continue
            noun = toks.norm[k + 1]
            if noun not in heads or not toks.raw[k + 1].islower():
                continue
            after = toks.raw[k + 2] if k + 2 < len(toks) else ""
            if after[:1].isupper() or fold(after) in ("of", "-") or (k + 2 < len(toks) and self.doc[k + 2].pos_ in ("NOUN", "PROPN")):
                continue
            earlier = [(pos, actor) for pos, actor in heads[noun] if pos < k]
            if not earlier:
                continue
            actor = max(earlier)[1]
            kind = next(s.kind for s in mentioned if s.actor == actor)
            span = _Span(k, k + 2, "reference", actor=actor, kind=kind, confidence=CONFIDENCE["short-reference"])
            self._claim(span)
            self.references.append(span)

    def _find_described(self) -> None:
        """'the government', 'its opponents', 'the two ministers', 'committee members' (see described_actors)."""
        referenced = {k for ref in self.references for k in range(ref.first, ref.last)}
        known = [Known(s.first, s.last, s.actor, s.kind, s.mention, s.source)
                 for s in self.spans + self.references if s.actor and s.kind]
        def is_free(k: int) -> bool:
            span = self.taken[k]  # a word the tagger took for a name but no actor came of ("Islamists") is free
            return (span is None or (not span.mention and not span.actor)) and k not in referenced

        for found in find_described(self.doc, self.tokens, self.registry, known, is_free, self._led_by,
                                    self._organizations_ending_in):
            if found.name is not None and self.registry.get(found.actor) is None:
                self.groups.setdefault(found.actor, (found.name, found.country))
            self.references.append(_Span(found.start, found.end, "reference", actor=found.actor, kind=found.kind,
                                         confidence=CONFIDENCE["described"], name=self._text(found.start, found.end),
                                         alias=found.alias))

    def _organizations_ending_in(self, word: str) -> list[tuple[int, str, str]]:
        """Organisations named so far whose name ends in `word` ("committee"), as (position, actor, kind)."""
        found = []
        for span in self.spans + self.references:
            if not span.mention or not span.actor or span.kind not in ("organization", "group") or span.source == "reference":
                continue
            actor = self.registry.get(span.actor)
            names = [self._text(span.start, span.end)] + ([actor.name] if actor else [])
            if any(fold(name).split()[-1:] == [word] for name in names):
                found.append((span.start, span.actor, span.kind))
        return found

    # -- output -------------------------------------------------------------------

    def _result(self) -> DocumentActors:
        text = self.text
        mentions: list[Mention] = []
        records: dict[str, ActorRecord] = {}
        for span in sorted(self.spans + self.references, key=lambda s: (s.first, s.last)):
            if not span.mention or not span.actor or not span.kind:
                continue
            start_char, end_char = self.starts[span.first], self._end_char(span.last - 1)
            mentions.append(Mention(start_char, end_char, text[start_char:end_char], span.actor, span.kind, round(span.confidence, 2)))
            if span.actor not in records:
                records[span.actor] = self._record(span)
            if span.source != "reference":
                _add_alias(records[span.actor], self._name(span.start, span.end))
            if span.alias:
                _add_alias(records[span.actor], span.alias)
        for record in self.affiliations:
            if record.organization and record.organization not in records:
                actor = self.registry.get(record.organization)
                if actor is not None:
                    records[actor.id] = ActorRecord(actor.id, actor.name, actor.kind, actor.country, [])
        self._infer_countries(records)
        for record in records.values():
            record.aliases = sorted(a for a in set(record.aliases) if a != record.name)
        return DocumentActors(mentions, records, self.affiliations)

    def _record(self, span: _Span) -> ActorRecord:
        actor = self.registry.get(span.actor)
        if actor is not None and actor.kind == span.kind:
            return ActorRecord(actor.id, actor.name, actor.kind, actor.country, [])
        if span.kind == "person":
            person = next((p for p in self.persons if p.id == span.actor), None)
            return ActorRecord(span.actor, person.name if person else span.name, "person", None, [])
        if span.actor in self.groups:
            name, country = self.groups[span.actor]
            return ActorRecord(span.actor, name, span.kind, country, [])
        for actor_id, name, country in self.org_names.values():
            if actor_id == span.actor:
                return ActorRecord(actor_id, name, span.kind, country, [])
        return ActorRecord(span.actor, span.name, span.kind, None, [])

    def _infer_countries(self, records: dict[str, ActorRecord]) -> None:
        """A person holding a current office of a state is of that state (Lavrov, Russia's minister)."""
        for record in self.affiliations:
            person = records.get(record.actor)
            if person is None or person.country or _former(record) or not record.organization:
                continue
            organization = records.get(record.organization) or self.registry.get(record.organization)
            if organization is not None and organization.kind == "state" and organization.country:
                person.country = organization.country

    # -- text helpers -------------------------------------------------------------

    def _token_at(self, char: int) -> int:
        return max(bisect.bisect_right(self.starts, char) - 1, 0)

    def _end_char(self, k: int) -> int:
        return self.starts[k] + len(self.tokens.raw[k])

    def _text(self, start: int, end: int) -> str:
        if start >= end:
            return ""
        return self.text[self.starts[start]:self._end_char(end - 1)]

    def _name(self, start: int, end: int) -> str:
        """A span's words as a name: one line, no possessive."""
        text = " ".join(self._text(start, end).split())
        return re.sub(r"\s*['’]s$", "", text).strip()


def _spells(acronym: str, name: str) -> bool:
    """'RSF' for 'Rapid Support Forces', 'CMA' for 'Coordination of Azawad Movements' (letters in any order)."""
    if not _ACRONYM.match(acronym):
        return False
    initials = [w[0].upper() for w in re.findall(r"[\w’']+", name) if w[:1].isupper()]
    letters = [c for c in acronym if c.isalpha()]
    return bool(initials) and len(letters) >= 2 and (letters[0] == initials[0] or set(letters) <= set(initials))


def _has_alnum(text: str) -> bool:
    return any(c.isalnum() for c in text)


def _strip_article(name: str) -> str:
    return name[4:] if name[:4].lower() == "the " else name


def _starts_with_particle(name: str) -> bool:
    first = fold(name).split("-")[0].split()
    return bool(first) and first[0] in NAME_PARTICLES


def _plausible_org(name: str) -> bool:
    """Tagger organisations worth keeping: a short capitalised name, not a stray line of a web page."""
    words = name.split()
    return 0 < len(words) <= 8 and any(c.isupper() for c in name) and len(name) >= 2


def _add_alias(record: ActorRecord, name: str) -> None:
    if name and name != record.name and name not in record.aliases:
        record.aliases.append(name)


def _former(record: AffiliationRecord) -> bool:
    """A role the text says has ended ("former President"): attested only by its end."""
    return record.start is None and record.end is not None
