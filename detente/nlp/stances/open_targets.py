"""Targets nobody registered: named by the report itself, merged within the document.

A report names a deal once by words of its own ("the Pretoria agreement",
"the Black Sea grain deal") and then by its kind alone ("the deal", "the peace
agreement", "this accord"). The phrase with words of its own gives the target
its id and its readable name; a phrase of common words only (`common_words` in
targets.yaml, the target nouns and `throwaway` words of stance_patterns.yaml)
stands for the nearest target of its kind the document names that way, before
it or else after it. A kind the document never names by words of its own
keeps a plain id ("peace-deal", "ceasefire"), so a store merges such targets
only where their names agree.

A policy ("lifting the sanctions", "the extension of the grain deal", "to
amend the constitution") is a target too: its id is the verb and what it acts
on ("lift-sanctions", "extend-black-sea-grain-deal"), so the noun and the verb
forms of one policy meet.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass

from spacy.tokens import Token

from detente.nlp.stances.targets import DETERMINERS, slug, words
from detente.nlp.token_table import children_of

# Dependents left of a head noun that belong to its name: "the Black Sea grain deal", "Russia's proposal".
NAME_DEPS = frozenset({"compound", "amod", "nmod", "poss", "nummod", "npadvmod"})
_QUOTE_MARKS = frozenset("\"'\u201c\u201d\u2018\u2019`")


@dataclass(frozen=True)
class OpenTarget:
    """An unregistered target: a stable id, the name a reader knows it by, and its kind (agreement, talks …)."""

    id: str
    name: str
    kind: str


@dataclass(frozen=True)
class Phrase:
    """One naming of an unregistered target in a document."""

    token: int
    kind: str
    key: tuple[str, ...]  # the words its id is made of
    own: frozenset[str]  # the words of its own, not common to every conflict
    name: str


def name_tokens(tok: Token, named_by_of: frozenset[str]) -> list[Token]:
    """The tokens of a target's name: its head, the modifiers before it, and "of hostilities" for a few heads.

    A word joined by hyphens ("de-escalation", "cease-fire") comes whole.
    """
    keep: dict[int, Token] = {t.i: t for t in _hyphenated(tok)}
    for child in tok.lefts:
        if child.dep_ in NAME_DEPS and not (child.dep_ == "poss" and child.pos_ == "PRON"):
            keep.update({t.i: t for t in child.subtree})
    if tok.lemma_.lower() in named_by_of or tok.lower_ in named_by_of:
        prep = next((c for c in tok.rights if c.dep_ == "prep" and c.lower_ == "of"), None)
        if prep is not None:
            keep.update({t.i: t for t in prep.subtree})
    tokens = [keep[i] for i in sorted(keep)]
    while tokens and (tokens[0].lower_ in DETERMINERS or tokens[0].is_punct):
        tokens = tokens[1:]
    return [t for t in tokens if t.text not in _QUOTE_MARKS and t.tag_ != "POS" and t.dep_ not in ("cc", "punct") or t.text == "-"]


def _hyphenated(tok: Token) -> list[Token]:
    """A token with the words hyphens join to it: "de" "-" "escalation" is one word."""
    doc, first, last = tok.doc, tok.i, tok.i
    while first >= 2 and doc[first - 1].text == "-" and not doc[first - 1].whitespace_ and not doc[first - 2].whitespace_:
        first -= 2
    while last + 2 < len(doc) and doc[last + 1].text == "-" and not doc[last].whitespace_ and not doc[last + 1].whitespace_:
        last += 2
    return list(doc[first : last + 1])


def display(tokens: list[Token]) -> str:
    """The words as the text writes them, without the quote marks around a name."""
    parts = []
    for k, tok in enumerate(tokens):
        parts.append(tok.text)
        following = tokens[k + 1] if k + 1 < len(tokens) else None
        if following is not None and (tok.whitespace_ or following.i > tok.i + 1 and tok.doc[following.i - 1].whitespace_):
            parts.append(" ")
    return "".join(parts).strip(" ,;:")


def key_words(tokens: list[Token], throwaway: frozenset[str]) -> tuple[str, ...]:
    """The words an id is made of: no article, no plain adjective ("comprehensive"), no throwaway word ("so-called")."""
    dropped = {t.i for t in tokens if _plain_adjective(t)}
    dropped |= {t.i for t in tokens if t.dep_ == "conj" and t.head.i in dropped}
    for tok in tokens:
        joined = _hyphenated(tok)
        if "".join(t.lower_ for t in joined) in throwaway:
            dropped |= {t.i for t in joined}  # "so-called", but not the "last" of "last-ditch"
    kept = [t for t in tokens if t.i not in dropped]
    return tuple(words(display(kept)))


def _plain_adjective(tok: Token) -> bool:
    """A lower-case adjective or adverb standing alone ("a comprehensive settlement", "its recently signed
    deal"); "short-term" and "Nationwide" name."""
    if not tok.tag_.startswith(("JJ", "RB", "VBN")) or not tok.is_alpha or tok.text[:1].isupper() or tok.dep_ == "compound":
        return False
    doc = tok.doc
    joined_after = tok.i + 1 < len(doc) and not tok.whitespace_ and doc[tok.i + 1].text == "-"
    joined_before = tok.i > 0 and doc[tok.i - 1].text == "-" and not doc[tok.i - 1].whitespace_
    return not (joined_after or joined_before)


def phrase_at(tok: Token, kind: str, common: frozenset[str], throwaway: frozenset[str], named_by_of: frozenset[str]) -> Phrase:
    tokens = name_tokens(tok, named_by_of)
    key = key_words(tokens, throwaway) or tuple(words(tok.lemma_)) or (tok.lower_,)
    place = _place(tok) if kind == "talks" else []
    if place:
        # "peace talks in Moscow" are named by their place: moscow-peace-talks
        key = tuple(words(display(place))) + key
        tokens = tokens + [t for t in tok.doc[place[0].i - 1 : place[-1].i + 1] if t.i > tokens[-1].i]
    own = frozenset(w for w in key if w not in common and not w.isdigit())
    capitals = [t for t in tokens if t.is_alpha and len(t) > 3]
    if not own and len(capitals) >= 2 and all(t.text[:1].isupper() for t in capitals) and tok.i > tok.sent.start:
        own = frozenset(key)  # "the Nationwide Ceasefire Agreement" is a name, though every word is common
    return Phrase(tok.i, kind, key, own, display(tokens) or tok.text)


def _place(tok: Token) -> list[Token]:
    """The named place of a meeting: "talks in Moscow", "the summit at Sochi"."""
    for prep in tok.rights:
        if prep.dep_ == "prep" and prep.lower_ in ("in", "at"):
            pobj = next((c for c in children_of(prep) if c.dep_ == "pobj" and c.pos_ == "PROPN"), None)
            if pobj is not None:
                return [t for t in pobj.subtree if t.pos_ == "PROPN"]
    return []


def merge(phrases: list[Phrase]) -> dict[int, OpenTarget]:
    """Each phrase's target: phrases with words of their own group by those words; the rest join the nearest group.

    "the grain deal" and "the Black Sea grain deal" are one group (one's own
    words hold the other's); the group takes the fullest name. "the deal"
    takes the nearest group of its kind named before it, else the first after
    it; with no group of its kind, the plain phrases of that kind are one
    target named by the most specific of them.
    """
    by_kind: dict[str, list[Phrase]] = defaultdict(list)
    for phrase in sorted(phrases, key=lambda p: p.token):
        by_kind[phrase.kind].append(phrase)
    result: dict[int, OpenTarget] = {}
    for kind, group in by_kind.items():
        groups: list[list[Phrase]] = []
        for phrase in (p for p in group if p.own):
            home = next((g for g in groups if any(phrase.own <= p.own or p.own <= phrase.own for p in g)), None)
            if home is None:
                groups.append([phrase])
            else:
                home.append(phrase)
        targets = [(g, _target(g, kind)) for g in groups]
        plain = [p for p in group if not p.own]
        fallback = _target(plain, kind) if plain and not targets else None
        for g, target in targets:
            for phrase in g:
                result[phrase.token] = target
        for phrase in plain:
            result[phrase.token] = fallback or _nearest(phrase, targets)
    return result


def _target(group: list[Phrase], kind: str) -> OpenTarget:
    best = max(group, key=lambda p: (len(p.own), len(p.key), -p.token))
    return OpenTarget(slug(" ".join(best.key)), best.name, kind)


def _nearest(phrase: Phrase, targets: list[tuple[list[Phrase], OpenTarget]]) -> OpenTarget:
    before = [(max(p.token for p in g if p.token < phrase.token), t) for g, t in targets if any(p.token < phrase.token for p in g)]
    if before:
        return max(before, key=lambda pair: pair[0])[1]
    return min(((min(p.token for p in g), t) for g, t in targets), key=lambda pair: pair[0])[1]


def gerund(verb: str) -> str:
    """ "lift" → "lifting", "remove" → "removing", "stop" → "stopping": enough English for a readable name."""
    if verb.endswith("ie"):
        return verb[:-2] + "ying"
    if verb.endswith("e") and not verb.endswith(("ee", "ye", "oe")):
        return verb[:-1] + "ing"
    if len(verb) >= 3 and verb[-1] not in "aeiouwxy" and verb[-2] in "aeiou" and verb[-3] not in "aeiou" and len(verb) <= 4:
        return verb + verb[-1] + "ing"
    return verb + "ing"


def policy(verb: str, obj_id: str | None, obj_name: str | None) -> OpenTarget:
    """What doing something to a target is called: ("lift", "sanctions") → lift-sanctions, "lifting sanctions"."""
    first, *rest = words(verb) or [verb]
    verb_words = " ".join([first, *rest])
    target_id = slug(f"{verb_words} {obj_id.replace('-', ' ')}") if obj_id else slug(verb_words)
    doing = " ".join([gerund(first), *rest])
    name = f"{doing} {obj_name}" if obj_name else doing
    return OpenTarget(target_id, name, "policy")
