"""What a stance is about: the target a phrase points at.

In order: a registered target the phrase names ("the talks in Moscow"), an
actor ("backed the Syrian government"), the real target behind a light noun
("the possibility of a truce", "an attempt to convene talks"), a plan named by
its proposer ("Khatib's initiative", kept under a slug), a meeting named by its
place ("will not travel to Moscow"), the conference "the talks" last named, and
finally a slug for an unregistered target noun. Issues a phrase states as a
clause ("a government that did not include Assad") come with it.
"""

from __future__ import annotations

from dataclasses import dataclass

from spacy.tokens import Span, Token

from detente.nlp.actors.identity import fold
from detente.nlp.stances.context import DocumentContext, core_phrase, full_phrase, head_phrase, is_anaphor
from detente.nlp.stances.holders import one_actor
from detente.nlp.stances.targets import slug

# How much confidence survives each kind of indirect evidence.
IMPLICIT_TARGET = 0.75
SLUG = 0.5
PROPOSED = 0.6
ISSUE = 0.85


@dataclass(frozen=True)
class Target:
    """A target id, how sure we are of it, and whether the phrase names its reverse ("keep Assad in place")."""

    id: str
    score: float
    reverse: bool = False


def targets_of(ctx: DocumentContext, tok: Token | None, depth: int = 0, verb: Token | None = None) -> list[Target]:
    """What a phrase points at: a registered target, an actor, the conference "the talks" means, or a slug.

    Issues the phrase also states as a clause ("a government that did not
    include Assad") come with it.
    """
    if tok is None or depth > 3:
        return []
    if tok.pos_ in ("VERB", "AUX"):
        # A gerund ("demands for releasing the detainees") can only state an issue.
        return issues_in(ctx, tok) if tok.tag_ == "VBG" and tok.dep_ in ("pobj", "pcomp") else []
    if tok.lower_ in ("it", "this") and tok.dep_ in ("dobj", "nsubjpass"):
        recent = ctx.recent(tok)
        return [Target(recent, IMPLICIT_TARGET * IMPLICIT_TARGET)] if recent else []
    base = _main_target(ctx, tok, depth, verb)
    if base and base[0].id and is_actor(ctx, base[0].id):
        return base
    stated = issues_in(ctx, tok, patterns_only=True)
    if not base:
        return stated or issues_in(ctx, tok)
    if stated and all(b.score <= SLUG for b in base):
        return stated  # "any arrangement that kept Assad in power" is about Assad, not "arrangement"
    # "talks whose purpose was to keep Assad in place" are still the talks; only what the phrase asks for is added.
    return base + [t for t in stated if t.id not in {b.id for b in base} and not t.reverse]


def _main_target(ctx: DocumentContext, tok: Token, depth: int, verb: Token | None) -> list[Target]:
    found = ctx.targets.match(core_phrase(tok).text, ctx.published, ctx.prefer)
    if found is None:
        found = ctx.targets.match(head_phrase(tok).text, ctx.published, ctx.prefer)
    if found is not None and found.score >= 1.0:
        return [Target(found.id, found.score, found.reverse)]
    mention = ctx.mention(tok)
    if mention is not None and (ctx.mention_head(tok) or tok.pos_ == "PROPN"):
        return [Target(mention.actor, mention.confidence)]
    if found is not None:
        return [Target(found.id, found.score, found.reverse)]
    lemma = tok.lemma_.lower()
    if lemma in ctx.lexicon.light_nouns:
        for child in _inner(tok):
            deeper = targets_of(ctx, child, depth + 1)
            if deeper:
                return deeper
    whole = ctx.targets.match(full_phrase(tok).text, ctx.published, ctx.prefer)
    if whole is not None and whole.how != "pattern":
        return [Target(whole.id, whole.score * 0.95, whole.reverse)]
    if lemma in ctx.lexicon.target_nouns:
        proposer = _proposer(ctx, tok)
        if proposer:
            # "his plan" of Annan is "Kofi Annan plan": a registered target when one has that alias.
            named = ctx.targets.match(f"{proposer.replace('-', ' ')} {lemma}", ctx.published, ctx.prefer)
            if named is not None and named.score >= 1.0:
                return [Target(named.id, named.score, named.reverse)]
            return [Target(slug(f"{proposer} {lemma}"), PROPOSED)]
    if verb is not None:
        venue = venue_target(ctx, verb)
        if venue:
            return venue
    meeting = lemma in ctx.targets.meeting_nouns or tok.lower_ in ctx.targets.meeting_nouns
    if is_anaphor(ctx, tok):
        return salient_targets(ctx, tok, conference=meeting)
    if lemma in ctx.lexicon.target_nouns and not meeting:
        return [Target(slug(head_phrase(tok).text), SLUG)]
    return []


def salient_targets(ctx: DocumentContext, tok: Token, conference: bool) -> list[Target]:
    salient = ctx.salient(tok, conference)
    return [Target(salient, IMPLICIT_TARGET)] if salient else []


def _proposer(ctx: DocumentContext, noun: Token) -> str | None:
    """Whose plan a phrase names: "Khatib's initiative", "the initiative of ... Moaz al-Khatib", "his plan"."""
    for child in noun.children:
        if child.dep_ == "poss":
            found = one_actor(ctx, child)
            if found is not None:
                return found.actor
        if child.dep_ == "prep" and child.lower_ in ("of", "by"):
            for pobj in child.children:
                if pobj.dep_ != "pobj":
                    continue
                for named in (pobj, *[c for c in pobj.children if c.dep_ == "appos"]):
                    if ctx.mention(named) is not None and ctx.mention_head(named):
                        return ctx.mention(named).actor
    return None


def _inner(tok: Token) -> list[Token]:
    """Where the real target of a light noun is: "the possibility of a truce", "an attempt to convene talks"."""
    found = []
    for child in tok.children:
        if child.dep_ == "prep" and child.lower_ in ("of", "for", "on"):
            found += [c for c in child.children if c.dep_ == "pobj"]
        elif child.dep_ in ("acl", "relcl") and child.pos_ == "VERB":
            found += [c for c in child.children if c.dep_ == "dobj"]
    return found


def venue_target(ctx: DocumentContext, verb: Token) -> list[Target]:
    """ "will not travel to Moscow", "convene talks ... in Moscow": a meeting named by its place."""
    for child in verb.children:
        if child.dep_ == "prep" and child.lower_ in ("to", "in", "at"):
            for place in child.children:
                if place.dep_ == "pobj":
                    found = ctx.targets.match(f"talks in {place.text}", ctx.published, ctx.prefer)
                    if found is not None:
                        return [Target(found.id, found.score * IMPLICIT_TARGET)]
    return []


def for_clause(ctx: DocumentContext, verb: Token) -> list[Target]:
    """Issues in a "for" clause: "criticized outside powers for pouring weapons into Syria"."""
    for prep in verb.children:
        if prep.dep_ == "prep" and prep.lower_ == "for":
            for gerund in prep.children:
                if gerund.dep_ in ("pcomp", "pobj"):
                    return issues_in(ctx, gerund)
    return []


def issues_in(ctx: DocumentContext, tok: Token, patterns_only: bool = False) -> list[Target]:
    """Issues a phrase states: by pattern ("Assad must go"), and unless `patterns_only` by alias ("prisoner releases")."""
    text, _ = folded(ctx, full_phrase(tok))
    hits = ctx.targets.search(text, ctx.published)
    return unique([Target(h.id, ISSUE, h.reverse) for h in hits if h.how == "pattern" or not patterns_only])


def folded(ctx: DocumentContext, span: Span) -> tuple[str, list[int | None]]:
    """The span as `fold` writes it, with the token behind every character.

    Mentions of the actors issue patterns name ("{actor}") are written @actor-id,
    so "the Syrian President" and "Mr. al-Assad" meet the same pattern.
    """
    pieces: list[str] = []
    owner_of: list[int | None] = []
    k = 0
    while k < len(span):
        tok = span[k]
        mention = ctx.mention(tok)
        if mention is not None and mention.actor in ctx.issue_actors:
            last = k
            while last + 1 < len(span) and ctx.mention(span[last + 1]) is mention:
                last += 1
            piece, tail = f"@{mention.actor}", span[last].whitespace_
            k = last + 1
        else:
            piece, tail = ("" if tok.tag_ == "POS" else fold(tok.text)), tok.whitespace_
            k += 1
        pieces.append(piece + (" " if tail else ""))
        owner_of += [tok.i] * len(piece) + [None] * (1 if tail else 0)
    return "".join(pieces), owner_of


def is_actor(ctx: DocumentContext, target_id: str) -> bool:
    return target_id in ctx.actor_ids


def unique(found: list[Target]) -> list[Target]:
    seen, kept = set(), []
    for target in found:
        if target.id not in seen:
            seen.add(target.id)
            kept.append(target)
    return kept
