"""What a figure is about: its subject, and whether a name anchors it.

- a count of people killed, displaced, besieged ... is about the conflict the
  report covers, or the town or attack its clause names;
- seats, votes and members belong to whoever holds them, or to the body
  whose members they are;
- a count of delegations is about the conference it names;
- any other count is whose it is ("Turkey's 3,000 troops", "3,000 members of
  the force"), else about the conflict;
- a time, a distance or a share is about what it measures ("six weeks of
  [fighting]", "the [corridor] will extend six kilometers", "98% of [polling
  stations]").

A subject is *anchored* when a name fixes it: an actor, a conference, a
named place, or the conflict for a toll. A subject read from a common noun
("talks", "corridor") may mean different things in two reports, and so may
a share (of which poll, which voters?), so such a figure is given a lower
confidence, and disputes never set it against another report's figure.
"""

from __future__ import annotations

import re
from collections import Counter
from functools import lru_cache
from importlib import resources
from typing import TYPE_CHECKING


from detente.data_files import load_yaml
from detente.nlp.claims.measures import Measure
from detente.nlp.claims.patterns import ClaimPatterns, alternation
from detente.nlp.claims.site import Site, event_verb, governing_verb, of_object
from detente.nlp.token_table import children_of, token_table

if TYPE_CHECKING:
    from spacy.tokens import Token

    from detente.nlp.claims.context import ClaimContext

TARGETS_FILE = "targets.yaml"
Subject = tuple[str, bool]  # (id or slug, anchored by a name)


def slug(text: str) -> str:
    """'eastern Aleppo' → 'eastern-aleppo': a readable id for a subject no registry names."""
    words = re.findall(r"[a-z0-9]+", text.lower().replace("'s", "").replace("’s", ""))
    return "-".join(w for w in words if w not in ("the", "a", "an"))[:64] or "unknown"


def subject_of(found: Measure, site: Site, ctx: ClaimContext) -> Subject:
    """The subject of a figure by what it measures."""
    if found.kind == "conference":
        conference = _conference(site, ctx)
        return (conference, True) if conference else (slug(found.property), False)
    if found.kind == "holder":
        return _holder_subject(found, site, ctx)
    if found.kind == "people":
        return _place_subject(site, ctx)
    if found.kind == "count":
        return _owner(site, found.measured or site.noun, ctx) or (ctx.conflict(), False)
    return _measured(found, site, ctx)


# --------------------------------------------------------------------------- names


def _phrase_tokens(token: Token) -> list[Token]:
    """A noun with the modifiers before it (not its relative clauses): "the main opposition [bloc]"."""
    lefts = [c.left_edge.i for c in token.lefts if c.dep_ in ("compound", "amod", "det", "poss", "nmod", "nummod")]
    return list(token.doc[min([token.i, *lefts]):token.i + 1])


def name_of(token: Token, ctx: ClaimContext, skip: set[int] = frozenset()) -> Subject:
    """An actor id when a mention covers the phrase, else a slug of its core words.

    Generic collectives say nothing ("a group of representatives of local
    councils"): their "of" phrase names the holder. `skip` holds the figure's
    own tokens, so "the 47-member council" is "council", not "member-council".
    """
    generic = ctx.patterns.generic_holders
    for _ in range(4):
        words = [t for t in _phrase_tokens(token) if t.i not in skip or t.i == token.i]
        end = token.idx + len(token.text)
        actor = ctx.actor_at(token.idx, end) or ctx.actor_at(words[0].idx, end)
        if actor:
            return actor, True
        if token.lemma_.lower() in generic or token.lower_ in generic:
            inner = of_object(token, token.doc[token.i:token.i + 1])
            if inner is not None:
                token = inner
                continue
        core = [
            t for t in words
            if t.i == token.i or (t.pos_ not in ("DET", "NUM", "PUNCT", "PRON") and t.dep_ not in ("poss", "case"))
        ]
        named = any(t.pos_ == "PROPN" for t in core)
        return slug(" ".join(t.text for t in core) or token.text), named
    return slug(token.text), token.pos_ == "PROPN"


# --------------------------------------------------------------------------- seats, votes, members


def _holder(site: Site) -> Token | None:
    """Who holds the seats or votes: the subject of the verb that governs them."""
    verb = governing_verb(site, site.top())
    for _ in range(3):
        if verb is None:
            return None
        subject = next((c for c in children_of(verb) if c.dep_ in ("nsubj", "nsubjpass")), None)
        if subject is not None and subject.pos_ != "PRON":
            return subject
        if verb.dep_ == "relcl":
            return site.up(verb)
        if verb.dep_ not in ("advcl", "xcomp", "conj", "acl"):
            return None
        verb = site.up(verb)
    return None


def _body(site: Site, noun: Token) -> Token | None:
    """The body whose members (seats, votes) these are: "the coalition's 70 members", "the 17-nation group"."""
    possessor = next((c for c in children_of(noun) if c.dep_ == "poss"), None)
    if possessor is not None:
        return possessor
    of = next((c for c in children_of(noun) if c.dep_ == "prep" and c.lower_ in ("of", "in", "on")), None)
    if of is not None:
        return next((c for c in children_of(of) if c.dep_ == "pobj"), None)
    head = site.up(noun)
    if noun.dep_ in ("compound", "amod", "nmod") and head is not None and head.i > noun.i:
        return head
    return None


def _holder_subject(found: Measure, site: Site, ctx: ClaimContext) -> Subject:
    """Whose seats, votes or members these are.

    "the council's 70 seats" and the whole of "12 of the [30] seats on the
    committee" belong to the body; "[41] of the council's 70 seats" and "15
    votes in the council" to whoever holds them (the subject of the verb);
    "70 members of the council" are the council's.
    """
    anchor, noun = site.anchor, site.noun
    skip = set(site.own)
    partitive = noun is not None and noun.i > anchor.i and any(c.dep_ == "prep" and c.lower_ == "of" for c in children_of(anchor))
    possessor = next((c for c in children_of(noun) if c.dep_ == "poss"), None) if noun is not None and not partitive else None
    if possessor is not None:
        return name_of(possessor, ctx, skip)
    body = _body(site, noun) if noun is not None and not partitive else None
    whole = noun is not None and noun.head.lower_ == "of" and noun.head.head.like_num  # "12 of the [30] seats"
    if body is not None and (whole or found.unit == "members"):
        return name_of(body, ctx, skip)
    holder = _holder(site)
    if holder is not None:
        return name_of(holder, ctx, skip)
    if body is not None:
        return name_of(body, ctx, skip)
    return found.property.replace("_", "-"), False


# --------------------------------------------------------------------------- people: a place or the conflict


def _place_subject(site: Site, ctx: ClaimContext) -> Subject:
    """The whole conflict, or the town or attack a local figure is about."""
    patterns, figure = ctx.patterns, site.figure
    words = {t.lower_ for t in site.sent} | {t.lemma_.lower() for t in site.sent}
    conflict = _sentence_conflict(site, ctx) or ctx.conflict()
    if words & patterns.conflict_words:
        return conflict, True
    place = _local_place(site, ctx)
    if place is not None:
        return place, True
    if figure.share or (figure.amount or 0) >= patterns.conflict_min_people:
        return conflict, True
    verb = governing_verb(site, site.top())
    agent = next((c for c in children_of(verb) if c.dep_ == "nsubj"), None) if verb is not None else None
    if agent is None or agent.pos_ == "PRON" or agent.i in site.tokens():
        return ctx.conflict(), True  # "3,000 prisoners remain in jail": no narrower subject is named
    return name_of(agent, ctx)  # "the attack killed 30 people": the attack


def _local_place(site: Site, ctx: ClaimContext) -> str | None:
    """A town or region named in the figure's own clause ("struck near Aleppo, killing 20")."""
    verb = governing_verb(site, site.top())
    scope = verb if verb is not None else site.top()
    if verb is not None and verb.dep_ in ("advcl", "relcl", "acl") and site.up(verb) is not None:
        scope = site.up(verb)
    patterns = ctx.patterns
    places = []
    for token in [scope, *scope.subtree]:
        if not site.inside(token) or token.dep_ != "pobj" or not _spatial(token.head, patterns):
            continue
        if token.pos_ != "PROPN" and token.ent_type_ not in ("GPE", "LOC", "FAC"):
            continue
        if token.lower_ in patterns.country_places or ctx.is_country(token):
            continue
        places.append(token)
    if not places:
        return None
    nearest = min(places, key=lambda t: abs(t.i - site.anchor.i))
    return slug(" ".join(t.text for t in _phrase_tokens(nearest) if t.pos_ != "DET"))


def _spatial(prep: Token, patterns: ClaimPatterns) -> bool:
    """'in', 'near' ...; 'of' only after a place noun ("the town of Madaya")."""
    if prep.lower_ in patterns.spatial_preps:
        return True
    return prep.lower_ == "of" and prep.head.lemma_.lower() in patterns.place_nouns


# --------------------------------------------------------------------------- other counts: whose


def _owner(site: Site, noun: Token | None, ctx: ClaimContext) -> Subject | None:
    """Whose the counted things are: "Turkey's troops", "members of the force", "Turkish troops", "Russia sent 3,000"."""
    skip = set(site.own)
    if noun is None:
        return None
    for child in children_of(noun):
        if child.dep_ == "poss" and child.pos_ != "PRON":
            return name_of(child, ctx, skip)
    of = next((c for c in children_of(noun) if c.dep_ == "prep" and c.lower_ == "of" and c.i > noun.i), None)
    obj = next((c for c in children_of(of) if c.dep_ == "pobj"), None) if of is not None else None
    if obj is not None:
        return name_of(obj, ctx, skip)
    for child in children_of(noun):  # "Turkish troops", "Huthi fighters"
        if child.dep_ in ("amod", "compound", "nmod") and child.i < noun.i and child.i not in skip:
            actor = ctx.actor_at(child.idx, child.idx + len(child.text))
            if actor:
                return actor, True
    verb = event_verb(site)
    if verb is not None and noun.dep_ in ("dobj", "attr") and noun.head.i == verb.i:
        subject = next((c for c in children_of(verb) if c.dep_ == "nsubj"), None)
        if subject is not None and subject.pos_ != "PRON":
            return name_of(subject, ctx, skip)
    return None


# --------------------------------------------------------------------------- times, distances, shares, money


def _measured(found: Measure, site: Site, ctx: ClaimContext) -> Subject:
    """What a time, a distance, a share or a sum is of."""
    unit = found.measured if found.kind in ("time", "distance", "area") else None
    skip = set(site.own)
    if found.kind in ("share", "money") and found.measured is not None:
        return name_of(found.measured, ctx, skip)
    holder = unit if unit is not None else site.top()
    of = of_object(holder, holder.doc[holder.i:holder.i + 1])
    if of is not None:  # "six weeks of [fighting]"
        return name_of(of, ctx, skip)
    head = site.up(holder)
    if head is not None and head.pos_ in ("NOUN", "PROPN") and holder.dep_ in ("compound", "amod", "nmod", "npadvmod", "nummod"):
        return name_of(head, ctx, skip)  # "a 40-year [division]", "a two-day [truce]"
    if head is not None and head.lower_ == "of" and site.up(head) is not None and site.up(head).pos_ == "NOUN":
        return name_of(site.up(head), ctx, skip)  # "a [ceasefire] of up to 10 days"
    verb = event_verb(site)
    if verb is not None and verb.dep_ == "acl" and verb.head.pos_ == "NOUN" and site.inside(verb.head):
        return name_of(verb.head, ctx, skip)  # "a [siege] lasting well over a year"
    if verb is not None:
        subject = next((c for c in children_of(verb) if c.dep_ in ("nsubj", "nsubjpass") and c.i not in skip), None)
        if subject is not None and subject.pos_ in ("NOUN", "PROPN"):
            return name_of(subject, ctx, skip)  # "the [corridor] will extend six kilometers"
        obj = next((c for c in children_of(verb) if c.dep_ == "dobj" and c.i not in skip), None)
        if obj is not None and obj.pos_ in ("NOUN", "PROPN"):
            return name_of(obj, ctx, skip)
        return slug(verb.lemma_), False
    return found.property.replace("_", "-"), False


# --------------------------------------------------------------------------- conferences


@lru_cache(maxsize=1)
def _conferences() -> tuple[tuple[str, re.Pattern, str, str], ...]:
    """(id, names, first month, last month) of each conference in the shared targets file."""
    source = resources.files("detente.nlp.stances") / TARGETS_FILE
    raw = load_yaml(source.read_text(encoding="utf-8")) or {}
    found = []
    for target in raw.get("targets") or ():
        if target.get("kind") != "conference":
            continue
        names = [str(n) for n in [*(target.get("aliases") or ()), *(target.get("places") or ())]]
        if not names:
            continue
        window = [str(w) for w in target.get("window") or ("0000", "9999")]
        pattern = re.compile(rf"(?<!\w)(?:{alternation(names)})(?!\w)", re.IGNORECASE)
        found.append((str(target["id"]), pattern, window[0], window[-1]))
    return tuple(found)


def _conference(site: Site, ctx: ClaimContext) -> str | None:
    """The conference a count of delegations is about: named in the sentence, else first in the report."""
    when = (ctx.published or "")[:7]
    usable = [c for c in _conferences() if not when or c[2][:7] <= when <= c[3][:7] + "~"]
    for text in (site.sent.text, token_table(ctx.doc).text):
        hits = [(m.start(), ident) for ident, names, _, _ in usable for m in [names.search(text)] if m]
        if hits:
            return min(hits)[1]
    return None


# --------------------------------------------------------------------------- the conflict of a report


def conflict_name(country: str | None, ctx: ClaimContext) -> str:
    """'syrian-civil-war' (a name of the data file), 'sudan-conflict', or plain 'conflict' without a country."""
    if country is None:
        return "conflict"
    return ctx.patterns.conflict_names.get(country.upper()) or f"{ctx.country_name(country)}-conflict"


def conflict_subject(ctx: ClaimContext) -> str:
    """The conflict a report is about, named after its country.

    The country of a conflict word's own modifier wins ("Syria's civil war",
    "the war in Yemen"); then the country of a party's ("the Sudanese army");
    else the country the report names clearly most often; else none is
    guessed and the subject is plain "conflict".
    """
    patterns = ctx.patterns
    conflicts: Counter[str] = Counter()
    parties: Counter[str] = Counter()
    for token in ctx.doc:
        lemma = token.lemma_.lower()
        if token.pos_ != "NOUN" or (lemma not in patterns.conflict_words and token.lower_ not in patterns.party_nouns):
            continue
        votes = conflicts if lemma in patterns.conflict_words else parties
        for near in _conflict_modifiers(token, votes is conflicts):
            country = ctx.country_of_word(near)
            if country:
                votes[country] += 1
    ranked = conflicts or parties
    return conflict_name(ranked.most_common(1)[0][0] if ranked else ctx.dominant_country(), ctx)


def _sentence_conflict(site: Site, ctx: ClaimContext) -> str | None:
    """The conflict the figure's own sentence names: "died in the [Syrian] conflict", "dead in [Syria]"."""
    patterns = ctx.patterns
    for token in site.sent:
        if token.pos_ == "NOUN" and token.lemma_.lower() in patterns.conflict_words:
            for near in _conflict_modifiers(token):
                country = ctx.country_of_word(near)
                if country:
                    return conflict_name(country, ctx)
    for token in site.sent:
        if token.dep_ == "pobj" and token.head.lower_ in patterns.spatial_preps and ctx.is_country(token):
            return conflict_name(ctx.country_of_word(token), ctx)
    return None


def _conflict_modifiers(token: Token, places: bool = True) -> list[Token]:
    """The words that say whose a conflict or a party is: "[Syria]'s war", "the [Sudanese] army", "the war in [Yemen]"."""
    found = [c for c in children_of(token) if c.dep_ in ("poss", "amod", "compound", "nmod") and c.i < token.i]
    if not places:
        return found
    for prep in children_of(token):
        if prep.dep_ == "prep" and prep.lower_ in ("in", "of", "over"):
            found += [c for c in children_of(prep) if c.dep_ == "pobj"]
    return found
