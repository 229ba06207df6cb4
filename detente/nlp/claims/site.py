"""Where a figure sits in the parse: the noun it counts and the verb that says what happened.

Everything here is fenced to the figure's own sentence: the small model
sometimes parses two paragraphs as one tree ("... the US says" + the next
paragraph's figure), and climbing past the sentence would read a figure with
the words of the paragraph before.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from detente.nlp.claims.numbers import Figure
from detente.nlp.token_table import children_of

if TYPE_CHECKING:
    from spacy.tokens import Span, Token

NOUN_DEPS = {"nummod", "quantmod", "compound", "amod", "predet", "nmod", "npadvmod", "det"}
CLIMB_DEPS = {
    "pobj", "prep", "dobj", "nsubj", "nsubjpass", "nummod", "quantmod", "appos", "npadvmod",
    "attr", "acomp", "agent", "compound", "amod", "det", "predet", "poss", "conj", "cc", "nmod", "oprd",
}


@dataclass
class Site:
    """One figure and the parse around it."""

    figure: Figure
    sent: Span
    span: Span  # the figure's own tokens
    anchor: Token  # the head of those tokens
    noun: Token | None = None
    own: frozenset[int] = frozenset()  # the figure's words and its noun: never part of a subject's name

    def inside(self, token: Token) -> bool:
        return self.sent.start <= token.i < self.sent.end

    def up(self, token: Token) -> Token | None:
        head = token.head
        return head if head.i != token.i and self.inside(head) else None

    def top(self) -> Token:
        """The highest token of the counted phrase: the noun, or the number when it heads it."""
        if self.noun is not None and self.noun.i not in {t.i for t in self.anchor.subtree}:
            return self.noun
        return self.anchor

    def tokens(self) -> set[int]:
        found = {t.i for t in self.anchor.subtree}
        if self.noun is not None:
            found |= {t.i for t in self.noun.subtree}
        return found

    def before(self, n: int = 1) -> Token | None:
        """The token n places before the figure (hedge and currency included), inside the sentence."""
        i = self.span.start - n
        return self.sent.doc[i] if i >= self.sent.start else None

    def after(self, n: int = 1) -> Token | None:
        """The token n places after the figure's own tokens, inside the sentence."""
        i = self.span.end - 1 + n
        return self.sent.doc[i] if i < self.sent.end else None


def counted_noun(site: Site) -> Token | None:
    """The noun the number counts: "70,000 [lives]", "41 of the 70 [members]", "half [the population]"."""
    anchor, span = site.anchor, site.span
    head = site.up(anchor)
    if anchor.dep_ in NOUN_DEPS and head is not None and head.pos_ in ("NOUN", "PROPN", "ADJ"):
        return head
    of = of_object(anchor, span)
    if of is not None:
        return of
    for token in span:  # "one in [five] Syrians": the last number word counts the noun
        if token.dep_ == "nummod" and not span.start <= token.head.i < span.end and token.head.pos_ in ("NOUN", "PROPN"):
            return token.head
    nxt = site.after()
    if nxt is not None and nxt.text == "-":  # "40-year", "17-nation": the hyphen joins number and noun
        nxt = site.after(2)
    if nxt is not None and nxt.pos_ in ("NOUN", "ADJ", "PROPN") and (nxt.head.i in (anchor.i, nxt.i) or anchor.head.i == nxt.i):
        return nxt
    if nxt is not None and nxt.dep_ == "compound" and nxt.head.i > nxt.i and anchor.head.i == nxt.head.i:
        return nxt.head  # "ten swing [States]"
    return None


def of_object(token: Token, span: Span) -> Token | None:
    """Follow "of" chains out of the figure: "hundreds of thousands of [people]"."""
    for _ in range(4):
        prep = next((c for c in children_of(token) if c.dep_ == "prep" and c.lower_ == "of"), None)
        obj = next((c for c in children_of(prep) if c.dep_ == "pobj"), None) if prep is not None else None
        if obj is None:
            return None
        if not span.start <= obj.i < span.end:
            return obj
        token = obj
    return None


def noun_words(noun: Token) -> set[str]:
    """The noun and its modifiers, as words and as the phrase they make ("death toll")."""
    mods = [c for c in children_of(noun) if c.dep_ in ("compound", "amod") and c.i < noun.i]
    words = {noun.lower_, noun.lemma_.lower()} | {m.lower_ for m in mods} | {m.lemma_.lower() for m in mods}
    if mods:
        words.add(" ".join([m.lower_ for m in mods] + [noun.lower_]))
        words.add(f"{mods[-1].lower_} {noun.lower_}")
    return words


def governing_verb(site: Site, token: Token) -> Token | None:
    """The first verb above the counted phrase (the predicate that says what happened)."""
    for _ in range(12):
        head = site.up(token)
        if head is None:
            return None
        if head.pos_ in ("VERB", "AUX"):
            return head
        if token.dep_ not in CLIMB_DEPS:
            return None
        token = head
    return None


def predicate_words(site: Site, verb: Token, skip: set[int]) -> set[str]:
    """Lemmas of the verb, its particles, prepositions and their objects, outside the figure."""
    words = {verb.lemma_.lower(), verb.lower_}
    for child in children_of(verb):
        if child.i in skip or not site.inside(child):
            continue
        if child.dep_ in ("prt", "acomp", "attr", "oprd", "agent", "neg"):
            words |= {child.lemma_.lower(), child.lower_}
        elif child.dep_ == "prep":
            words |= {child.lower_} | {g.lemma_.lower() for g in child.subtree if g.i not in skip}
        elif child.dep_ == "xcomp":
            words |= predicate_words(site, child, skip)
        elif child.dep_ == "dobj" and not {t.i for t in child.subtree} & skip:
            words |= {g.lemma_.lower() for g in child.subtree}
    return words


def clause_words(site: Site) -> set[str]:
    """What the sentence says happened to what is counted.

    With no counted noun ("the death toll has risen to 150,000") the
    subject of the verb names what is counted, so its words count too.
    """
    skip = site.tokens()
    words: set[str] = set()
    verb = governing_verb(site, site.top())
    if verb is not None:
        words |= predicate_words(site, verb, skip - {verb.i})
        parent = site.up(verb) if verb.dep_ in ("ccomp", "xcomp") else None
        if parent is not None and parent.pos_ == "VERB":  # "allowed [1,000 civilians to leave]"
            words |= {parent.lemma_.lower()}
        if site.noun is None:
            for child in children_of(verb):
                if child.dep_ in ("nsubj", "nsubjpass") and child.i not in skip:
                    words |= {g.lemma_.lower() for g in child.subtree if site.inside(g)}
    for child in children_of(site.noun or site.anchor):  # "people killed", "people who fled", "people under siege"
        if child.dep_ in ("acl", "relcl", "amod") and child.pos_ in ("VERB", "ADJ", "AUX"):
            words |= predicate_words(site, child, set())
        elif child.dep_ == "prep" and child.i > child.head.i:
            words |= {g.lemma_.lower() for g in child.subtree}
    return words


def event_verb(site: Site) -> Token | None:
    """The verb that says what happened to what is counted: "[released]" in "50 prisoners were released",
    "[fired]" in "rockets fired at the city", "[signed]" in "eight groups signed"."""
    noun = site.noun or site.anchor
    for child in children_of(noun):
        if child.dep_ in ("acl", "relcl") and child.pos_ == "VERB":
            return child
    return governing_verb(site, site.top())
