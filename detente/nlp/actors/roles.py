"""Titles and appositions around a name, read as affiliations.

News reports introduce people by their office, in a handful of shapes:

    Russia's Foreign Minister Sergei Lavrov          title before the name
    Minister of National Reconciliation Ali Haider    title with an "of" phrase
    Hrair Balian, director of the Carter Center's …   apposition after the name
    the foreign minister of Iran, Mohammad Javad Zarif   title, then the name
    former President Jimmy Carter                     a role that has ended

and later refer back to the holder by the title alone ("the secretary", "the
Russian Foreign Minister"). This module finds those shapes on the token
sequence with precompiled title tables (`detente/nlp/actors/titles.yaml`), using
the actor spans the caller has already found to name the organisation: a
demonym, a possessive, a name before the title or an "of"/"at" phrase after.
"""

from __future__ import annotations

import importlib.resources
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from functools import lru_cache


from detente.data_files import load_yaml
from detente.nlp.actors.identity import fold
from detente.nlp.records import AffiliationRecord
from detente.nlp.actors.registry import PhraseTable, RegistryRole, TokenText, phrase_key
from detente.nlp.token_table import children_of, token_table

TITLES_FILE = "titles.yaml"
MAX_GAP = 12  # tokens between a title and the name, or in an "of" phrase
MAX_PREFIX = 7  # tokens between the apposition comma and the title

_DETERMINERS = frozenset({"a", "an", "the", "its", "his", "her", "their"})
_POSSESSIVE = frozenset({"'s", "'"})
_ORG_PREPOSITIONS = frozenset({"of", "at"})
_COMPLEMENT_PREPOSITIONS = frozenset({"of", "at", "to", "for", "on", "in"})
_BOUNDARY_WORDS = frozenset({
    "who", "whose", "which", "that", "and", "or", "but", "of", "at", "for", "on", "from", "in", "with", "to",
    "since", "until", "after", "before", "during", "said", "says", "told", "was", "is", "has", "had", "will",
    "would", "who's", "as", "by",
})
_BOUNDARY_PUNCT = frozenset({",", ".", ";", ":", ")", "(", "!", "?", '"', "'", "—", "–", "-", "“", "”"})

CONFIDENCE_BEFORE = 0.9
CONFIDENCE_APPOSITION = 0.85
CONFIDENCE_REVERSED = 0.8
CONFIDENCE_PREDICATE = 0.7
CONFIDENCE_FORMER = 0.6
CONFIDENCE_REFERENCE = 0.7


@dataclass(frozen=True)
class Title:
    role: str
    organization: str | None = None


@dataclass
class TitleLexicon:
    """The titles file, compiled: forms and short references as phrase tables."""

    forms: PhraseTable[Title]
    references: PhraseTable[frozenset[str]]
    honorifics: frozenset[str]
    former: frozenset[str]
    chief_words: frozenset[str] = frozenset()
    chief_roles: frozenset[str] = frozenset()

    @classmethod
    def load(cls) -> TitleLexicon:
        return _load_titles()

    def is_honorific(self, word: str) -> bool:
        return fold(word) in self.honorifics


@lru_cache(maxsize=1)
def _load_titles() -> TitleLexicon:
    text = (importlib.resources.files("detente.nlp.actors") / TITLES_FILE).read_text(encoding="utf-8")
    data = load_yaml(text) or {}
    forms: PhraseTable[Title] = PhraseTable()
    roles_by_reference: dict[str, set[str]] = {}
    for entry in data.get("titles") or []:
        title = Title(entry["role"], entry.get("organization"))
        for form in entry.get("forms") or []:
            forms.add(str(form), title)
            if entry.get("short"):  # a title without short references is never one on its own ("the official")
                roles_by_reference.setdefault(phrase_key(str(form)), set()).add(title.role)
        for short in entry.get("short") or []:
            key = phrase_key(str(short))
            key = key[4:] if key.startswith("the ") else key
            roles_by_reference.setdefault(key, set()).add(title.role)
    references: PhraseTable[frozenset[str]] = PhraseTable()
    for key, roles in roles_by_reference.items():
        references.add(key, frozenset(roles))
    return TitleLexicon(
        forms=forms,
        references=references,
        honorifics=frozenset(fold(str(h)) for h in data.get("honorifics") or []),
        former=frozenset(fold(str(w)) for w in data.get("former") or []),
        chief_words=frozenset(fold(str(w)) for w in data.get("chief_words") or []),
        chief_roles=frozenset(fold(str(w)) for w in data.get("chief_roles") or []),
    )


@dataclass
class ActorSpan:
    """An actor found on tokens [start, end): what titles lean on for their organisation."""

    start: int
    end: int
    actor: str
    kind: str
    text: str = ""
    mention: bool = True  # False for words that only qualify a title ("Syrian" in "Syrian Foreign Minister")


@dataclass
class TitleMatch:
    """A title found next to a name, with what it says about the organisation."""

    role: str
    title_start: int
    title_end: int
    start: int  # first token of the whole pattern
    end: int  # token after the pattern
    organization: str | None = None
    organization_text: str | None = None
    former: bool = False
    shape: str = "before"


@dataclass
class RoleContext:
    """What the finders need: the tokens, the title spans, and the actor spans found so far."""

    doc: object
    tokens: TokenText
    titles: TitleLexicon
    government_of: Callable[[str], str]
    title_spans: list[tuple[int, int, Title]] = field(default_factory=list)
    actors: list[ActorSpan] = field(default_factory=list)
    _title_end: dict[int, tuple[int, int, Title]] = field(default_factory=dict)
    _title_start: dict[int, tuple[int, int, Title]] = field(default_factory=dict)
    _actor_end: dict[int, ActorSpan] = field(default_factory=dict)
    _actor_start: dict[int, ActorSpan] = field(default_factory=dict)
    _text: str | None = None
    _in_title: set[int] = field(default_factory=set)

    @classmethod
    def build(cls, doc, tokens: TokenText, titles: TitleLexicon, government_of: Callable[[str], str]) -> RoleContext:
        ctx = cls(doc, tokens, titles, government_of)
        ctx.title_spans = titles.forms.scan(tokens)
        ctx._title_end = {span[1]: span for span in ctx.title_spans}
        ctx._title_start = {span[0]: span for span in ctx.title_spans}
        ctx._in_title = {k for a, b, _ in ctx.title_spans for k in range(a, b)}
        return ctx

    def set_actors(self, spans: Iterable[ActorSpan]) -> None:
        self.actors = sorted(spans, key=lambda s: (s.start, s.end))
        self._actor_end = {s.end: s for s in self.actors}
        self._actor_start = {s.start: s for s in self.actors}

    def title_ending_at(self, k: int) -> tuple[int, int, Title] | None:
        """The title whose last word comes right before token k (a line break between is allowed)."""
        found = self._title_end.get(k)
        if found is None and self.is_break(k - 1):
            found = self._title_end.get(k - 1)
        return found

    def is_break(self, k: int) -> bool:
        """A whitespace token inside a sentence: a wrapped line, not a paragraph break."""
        return 0 <= k < len(self.tokens) and self.tokens.is_space[k] and "\n\n" not in self.tokens.raw[k]

    def prev(self, k: int) -> int:
        """The nearest token before k that is not a line break (-1 at the start)."""
        k -= 1
        while self.is_break(k):
            k -= 1
        return k

    def title_starting_at(self, k: int) -> tuple[int, int, Title] | None:
        return self._title_start.get(k)

    def actor_ending_at(self, k: int) -> ActorSpan | None:
        return self._actor_end.get(k)

    def actor_starting_at(self, k: int) -> ActorSpan | None:
        return self._actor_start.get(k)

    def in_title(self, k: int) -> bool:
        return k in self._in_title

    def norm(self, k: int) -> str:
        return self.tokens.norm[k] if 0 <= k < len(self.tokens) else ""

    def raw(self, k: int) -> str:
        return self.tokens.raw[k] if 0 <= k < len(self.tokens) else ""

    def text(self, start: int, end: int) -> str:
        if start >= end:
            return ""
        if self._text is None:
            self._text = token_table(self.doc).text
        last = self.doc[end - 1]
        return self._text[self.doc[start].idx:last.idx + len(last.text)]


# -- the shapes -------------------------------------------------------------


def title_before(ctx: RoleContext, start: int) -> TitleMatch | None:
    """A title right before a name, maybe with an "of" phrase between: "NCC head X", "Minister of Y X"."""
    span = ctx.title_ending_at(start)
    complement: tuple[int, int] | None = None
    if span is None:
        span, complement = _title_with_complement(ctx, start)
        if span is None:
            return None
    t_start, t_end, title = span
    match = TitleMatch(title.role, t_start, t_end, t_start, start, organization=title.organization)
    _read_qualifier(ctx, match, t_start)
    if complement is not None:
        _read_complement(ctx, match, complement[0], complement[1], name_the_role=True)
    return match


def _title_with_complement(ctx: RoleContext, start: int) -> tuple[tuple[int, int, Title] | None, tuple[int, int] | None]:
    for k in range(start - 1, max(start - MAX_GAP, 0) - 1, -1):
        word = ctx.norm(k)
        if word in _COMPLEMENT_PREPOSITIONS and ctx.title_ending_at(k):
            return (ctx.title_ending_at(k), (k, start)) if k + 1 < start else (None, None)
        if not _name_phrase_token(ctx, k):
            return None, None
    return None, None


def title_after(ctx: RoleContext, end: int) -> TitleMatch | None:
    """An apposition after a name: ", Russia's foreign minister", ", a cleric from Damascus"."""
    if ctx.norm(end) != ",":
        return None
    k = end + 1
    limit = min(len(ctx.tokens), end + 1 + MAX_PREFIX)
    while k < limit:
        span = ctx.title_starting_at(k)
        if span is not None and _ends_apposition(ctx, span[1]):
            t_start, t_end, title = span
            match = TitleMatch(title.role, t_start, t_end, end, t_end, organization=title.organization, shape="apposition")
            _read_qualifier(ctx, match, t_start, floor=end + 1)
            if ctx.norm(t_end) in _ORG_PREPOSITIONS:
                stop = _phrase_end(ctx, t_end + 1)
                if stop > t_end + 1:
                    _read_complement(ctx, match, t_end, stop, name_the_role=False)
            return match
        actor = ctx.actor_starting_at(k)
        if actor is not None and actor.kind != "person":
            inner = next((j for j in range(k + 1, actor.end) if ctx.title_starting_at(j)), None)
            k = inner if inner is not None else actor.end
            continue
        if not _prefix_token(ctx, k):
            return None
        k += 1
    return None


def title_reversed(ctx: RoleContext, start: int) -> TitleMatch | None:
    """A title, a comma, then the name: "the foreign minister of Iran, Mohammad Javad Zarif"."""
    if start < 2 or ctx.norm(start - 1) != ",":
        return None
    comma = start - 1
    span = ctx.title_ending_at(comma)
    complement = None
    if span is None:
        for k in range(comma - 1, max(comma - MAX_GAP, 0) - 1, -1):
            if ctx.norm(k) in _COMPLEMENT_PREPOSITIONS and ctx.title_ending_at(k):
                span, complement = ctx.title_ending_at(k), (k, comma)
                break
            if not _name_phrase_token(ctx, k):
                return None
        if span is None:
            return None
    t_start, t_end, title = span
    match = TitleMatch(title.role, t_start, t_end, t_start, start, organization=title.organization, shape="reversed")
    qualifier_start = _read_qualifier(ctx, match, t_start)
    lead = qualifier_start - 1
    while lead >= 0 and ctx.doc[lead].pos_ == "ADJ" and lead > qualifier_start - 3:
        lead -= 1  # "Its new president, ..."
    opener = ctx.norm(lead)
    if opener not in _DETERMINERS and opener not in _POSSESSIVE and qualifier_start == t_start:
        return None
    if complement is not None:
        if complement[1] - complement[0] < 2:
            return None
        _read_complement(ctx, match, complement[0], complement[1], name_the_role=False)
    match.start = lead if opener in _DETERMINERS else qualifier_start
    return match


def _read_qualifier(ctx: RoleContext, match: TitleMatch, t_start: int, floor: int = 0) -> int:
    """Words before a title: "former", a demonym or name ("Syrian", "UN"), a possessive ("Russia's")."""
    k = t_start
    for _ in range(4):
        j = ctx.prev(k)
        if j < floor:
            break
        word = ctx.norm(j)
        if word in ctx.titles.former:
            match.former, k = True, j
            continue
        if word == "-" and ctx.norm(ctx.prev(j)) in ctx.titles.former:
            match.former, k = True, ctx.prev(j)
            continue
        if j != k - 1:  # only "former" reaches across a line break; names of organisations do not
            break
        if word in _POSSESSIVE:
            owner = ctx.actor_ending_at(j)
            if owner is not None and owner.start >= floor:
                _set_organization(ctx, match, owner)
                k = owner.start
                continue
            break
        actor = ctx.actor_ending_at(j + 1)
        if actor is not None and actor.start >= floor and actor.kind != "person":
            _set_organization(ctx, match, actor)
            k = actor.start
            continue
        break
    match.start = min(match.start, k)
    return k


def _set_organization(ctx: RoleContext, match: TitleMatch, actor: ActorSpan) -> None:
    if match.organization is None:
        match.organization = ctx.government_of(actor.actor) if actor.kind == "state" else actor.actor
        match.organization_text = actor.text


def _read_complement(ctx: RoleContext, match: TitleMatch, prep: int, stop: int, name_the_role: bool) -> None:
    """The phrase after "of"/"at": an organisation, or part of the role ("Minister of National Reconciliation")."""
    inside = [a for a in ctx.actors if prep < a.start and a.end <= stop and a.kind != "person"]
    phrase_start = prep + 1
    text = ctx.text(phrase_start, stop)
    if inside and ctx.norm(prep) in _ORG_PREPOSITIONS:
        best = max(inside, key=lambda a: (a.end - a.start, -a.start))
        match.organization = ctx.government_of(best.actor) if best.kind == "state" else best.actor
        match.organization_text = text
    elif ctx.norm(prep) in _ORG_PREPOSITIONS and not inside:
        capitalised = all(ctx.raw(j)[:1].isupper() or ctx.norm(j) in {"and", "for", "of", "the", "-"} for j in range(phrase_start, stop))
        if name_the_role and capitalised:
            match.role = f"{match.role} {ctx.raw(prep)} {text}"
        elif match.organization_text is None:
            match.organization_text = text
    match.end = max(match.end, stop)


def _name_phrase_token(ctx: RoleContext, k: int) -> bool:
    """A word of a name-like "of" phrase between a title and a name ("of the opposition National Coalition")."""
    raw = ctx.raw(k)
    if not raw or "\n\n" in raw:
        return False
    if ctx.tokens.is_space[k] or raw[:1].isupper():
        return True
    if ctx.norm(k) in {"the", "of", "and", "for", "-", "'s", "'", "&"}:
        return True
    return any(a.start <= k < a.end and a.kind != "person" for a in ctx.actors)


def _prefix_token(ctx: RoleContext, k: int) -> bool:
    """A word allowed between the apposition comma and its title ("a Middle East-based analyst")."""
    raw = ctx.raw(k)
    word = ctx.norm(k)
    if not raw or raw in {",", ".", ";", ":", "(", ")", '"', "“", "”"}:
        return False
    if word in _DETERMINERS or word in ctx.titles.former or word in _POSSESSIVE or word in {"-", "'"}:
        return True
    token = ctx.doc[k]
    if token.pos_ in ("VERB", "AUX") and ctx.norm(k - 1) != "-":
        return False
    return token.pos_ in ("ADJ", "PROPN", "NOUN", "ADV", "NUM", "VERB", "PART", "PUNCT") and word not in _BOUNDARY_WORDS


def _ends_apposition(ctx: RoleContext, k: int) -> bool:
    """After the title comes the end of the apposition, not more of a noun phrase."""
    if k >= len(ctx.tokens):
        return True
    raw, word = ctx.raw(k), ctx.norm(k)
    if ctx.tokens.is_space[k] or raw in _BOUNDARY_PUNCT or word in _BOUNDARY_WORDS or word in _POSSESSIVE:
        return True
    return ctx.doc[k].pos_ in ("VERB", "AUX", "ADP", "CCONJ", "PUNCT")


def _phrase_end(ctx: RoleContext, k: int) -> int:
    """Where an "of" phrase after an apposition title ends: at a comma, a verb or a relative word."""
    limit = min(len(ctx.tokens), k + MAX_GAP)
    while k < limit:
        raw, word = ctx.raw(k), ctx.norm(k)
        if raw in {",", ".", ";", ":", ")", "(", '"', "“", "”"} or word in {"who", "which", "that", "said", "says", "told"}:
            break
        if ctx.tokens.is_space[k] and "\n\n" in raw:
            break
        if ctx.doc[k].pos_ in ("VERB", "AUX"):
            break
        k += 1
    return k


_PREDICATE_VERBS = frozenset({"be", "become", "remain", "serve", "name", "appoint", "elect", "pick", "choose",
                              "select", "designate", "make", "resign", "quit", "step", "work", "act"})
_ENDING_VERBS = frozenset({"resign", "quit", "step"})
_TAKING_OBJECT = frozenset({"name", "appoint", "elect", "pick", "choose", "select", "designate", "make"})


def title_predicates(ctx: RoleContext, person_at: Callable[[int], tuple[int, int] | None]) -> list[tuple[tuple[int, int], TitleMatch]]:
    """Roles given by a verb: "X was named joint special representative", "resigned as leader of", "picked X as".

    Read from the parse: the title's head word is the complement of a verb of
    being or appointing, and the holder is that verb's object (when it has one)
    or its subject.
    """
    found = []
    for t_start, t_end, title in ctx.title_spans:
        head = ctx.doc[t_end - 1]
        if head.dep_ == "pobj" and head.head.lower_ == "as":
            verb = head.head.head
        elif head.dep_ in ("attr", "oprd", "xcomp") and head.head.pos_ in ("VERB", "AUX"):
            verb = head.head
        else:
            continue
        if verb.lemma_ not in _PREDICATE_VERBS:
            continue
        holder = _holder_token(verb)
        name = None
        for _ in range(6):  # up an apposition to its name: "X, a preacher at Y who resigned as ..."
            if holder is None:
                break
            name = person_at(holder.i)
            if name is not None or holder.dep_ not in ("appos", "pobj", "prep", "compound") or holder.head.i == holder.i:
                break
            holder = holder.head
        if name is None:
            continue
        match = TitleMatch(title.role, t_start, t_end, t_start, t_end, organization=title.organization, shape="predicate")
        _read_qualifier(ctx, match, t_start)
        if ctx.norm(t_end) in _ORG_PREPOSITIONS:
            stop = _phrase_end(ctx, t_end + 1)
            if stop > t_end + 1:
                _read_complement(ctx, match, t_end, stop, name_the_role=False)
        match.former = match.former or verb.lemma_ in _ENDING_VERBS
        found.append((name, match))
    return found


def _holder_token(verb):
    children = list(children_of(verb))
    if verb.lemma_ in _TAKING_OBJECT:
        objects = [c for c in children if c.dep_ == "dobj"]
        if objects:
            obj = objects[0]
            if obj.lower_ in ("whom", "who") and verb.dep_ == "relcl":
                return verb.head
            return obj
    subjects = [c for c in children if c.dep_ in ("nsubj", "nsubjpass")]
    if subjects:
        subject = subjects[0]
        if subject.lower_ in ("who", "whom") and verb.dep_ == "relcl":
            return verb.head
        return subject
    if verb.dep_ in ("xcomp", "conj", "advcl") and verb.head.pos_ in ("VERB", "AUX"):
        return _holder_token(verb.head)
    return None


# -- affiliations -----------------------------------------------------------


def affiliation(
    actor: str,
    name: tuple[int, int],
    match: TitleMatch,
    ctx: RoleContext,
    published: str | None,
    registry_roles: list[RegistryRole],
) -> AffiliationRecord:
    """An AffiliationRecord for a title found next to a name.

    It is an attestation: the text shows the role held on the publication date
    (start = end = that date), or, for a "former" role, ended by then. The
    registry's own role dates stay on the registry's rows; here it only fills
    in an organisation the text leaves implicit.
    """
    confidence = {"before": CONFIDENCE_BEFORE, "apposition": CONFIDENCE_APPOSITION,
                  "predicate": CONFIDENCE_PREDICATE}.get(match.shape, CONFIDENCE_REVERSED)
    organization, start, end = match.organization, published, published
    if match.former:
        confidence, start = CONFIDENCE_FORMER, None
    known = _registry_role(match, registry_roles)
    if known is not None:
        organization = organization or known.organization
    if organization is None:
        confidence -= 0.1
    doc = ctx.doc
    start_token, end_token = min(match.start, name[0]), max(match.end, name[1])
    first, last = doc[start_token], doc[max(end_token - 1, start_token)]
    return AffiliationRecord(
        actor=actor,
        role=match.role,
        organization=organization,
        organization_text=match.organization_text,
        start=start,
        span_start=first.idx,
        span_end=last.idx + len(last.text),
        end=end,
        confidence=round(confidence, 2),
    )


def _registry_role(match: TitleMatch, roles: list[RegistryRole]) -> RegistryRole | None:
    role = fold(match.role)
    for known in roles:
        if fold(known.role) == role and (match.organization is None or known.organization in (None, match.organization)):
            return known
    return None


# -- references back to a holder --------------------------------------------


@dataclass
class Holder:
    """A person known to hold a role at a point of the document."""

    position: int
    actor: str
    role: str
    organization: str | None
    attested: bool = True  # False for a role known from the registry only


@dataclass
class TitleReference:
    start: int
    end: int
    actor: str
    role: str | None = None  # set when the reference itself is the evidence of the role
    organization: str | None = None
    organization_text: str | None = None


def title_references(
    ctx: RoleContext,
    holders: list[Holder],
    taken: Callable[[int, int], bool],
    last_person: Callable[[int, str | None], str | None] = lambda _k, _org: None,
) -> list[TitleReference]:
    """"the secretary", "the Russian Foreign Minister": the most recent holder of that role before it.

    When no holder is known, a reference that names its organisation ("the US
    secretary of state said") is taken to describe the person just named
    (`last_person`), the way news writes a second reference.
    """
    found = []
    table = ctx.titles.references
    n = len(ctx.tokens)
    for i in range(n):
        if ctx.norm(i) != "the":
            continue
        k = i + 1
        qualifier = None
        actor = ctx.actor_starting_at(k)
        if actor is not None and actor.kind != "person":
            qualifier, k = actor, actor.end
            if ctx.norm(k) in _POSSESSIVE:
                k += 1
        hit = table.match_at(ctx.tokens, k)
        if hit is None:
            chief = _chief_reference(ctx, holders, qualifier, i, k, taken)
            if chief is not None:
                found.append(chief)
            continue
        end, roles = hit
        if end < n and not _ends_reference(ctx, end):
            continue
        # The reference starts at "the", or after a qualifier that is a mention of its own ("the US secretary").
        start = k if qualifier is not None and qualifier.mention else i
        if taken(start, end):
            continue
        holder = _latest_holder(ctx, holders, roles, qualifier, i)
        if holder is not None and holder.attested:
            found.append(TitleReference(start, end, holder.actor))
            continue
        if holder is not None:  # the registry knew the role; this text now states it
            organization = holder.organization
            if qualifier is not None:
                organization = ctx.government_of(qualifier.actor) if qualifier.kind == "state" else qualifier.actor
            found.append(TitleReference(start, end, holder.actor, holder.role, organization,
                                        qualifier.text if qualifier else None))
            continue
        title = ctx.titles.forms.match_at(ctx.tokens, k)
        if qualifier is None or title is None or title[0] != end:
            continue
        if ctx.doc[end - 1].dep_ not in ("nsubj", "nsubjpass"):
            continue  # only a description that is the subject ("..., the US secretary of state said")
        organization = ctx.government_of(qualifier.actor) if qualifier.kind == "state" else qualifier.actor
        actor = last_person(i, organization)
        if actor is not None:
            found.append(TitleReference(start, end, actor, title[1].role, organization, qualifier.text))
    return found


def _chief_reference(ctx: RoleContext, holders: list[Holder], qualifier: ActorSpan | None, i: int, k: int,
                     taken: Callable[[int, int], bool]) -> TitleReference | None:
    """'the United Nations chief': the one person known to lead that organisation.

    The registry's roles hold at the document's date wherever the person is
    first named, so a holder named only later in the text still counts; two
    possible leaders and the reference is left alone.
    """
    if qualifier is None or ctx.norm(k) not in ctx.titles.chief_words or not ctx.raw(k).islower():
        return None
    if k + 1 < len(ctx.tokens) and not _ends_reference(ctx, k + 1):
        return None
    start = k if qualifier.mention else i
    if taken(start, k + 1):
        return None
    wanted = {qualifier.actor, ctx.government_of(qualifier.actor)}
    leaders = {h.actor for h in holders
               if fold(h.role) in ctx.titles.chief_roles and h.organization in wanted and (h.position < i or not h.attested)}
    return TitleReference(start, k + 1, leaders.pop()) if len(leaders) == 1 else None


def _ends_reference(ctx: RoleContext, k: int) -> bool:
    raw, word = ctx.raw(k), ctx.norm(k)
    if word in ("of", "-") or raw[:1].isupper():
        return False
    if raw in _BOUNDARY_PUNCT or ctx.tokens.is_space[k] or word in _POSSESSIVE:
        return True
    return ctx.doc[k].pos_ in ("VERB", "AUX", "ADV", "ADP", "CCONJ", "PART", "SCONJ")


def _latest_holder(ctx: RoleContext, holders: list[Holder], roles: frozenset[str], qualifier: ActorSpan | None, before: int) -> Holder | None:
    wanted = {qualifier.actor, ctx.government_of(qualifier.actor)} if qualifier else None
    best = None
    for holder in holders:
        if holder.position >= before or holder.role not in roles:
            continue
        if wanted and holder.organization is not None and holder.organization not in wanted:
            continue
        if best is None or holder.position > best.position:
            best = holder
    return best
