"""What a stance is about: the target a phrase points at.

In order: a registered target the phrase names ("the talks in Moscow"), an
actor ("backed the Syrian government"), the real target behind a light noun
("the possibility of a truce", "an attempt to convene talks"), a policy named
by a noun of doing ("the extension of the grain deal"), a plan named by its
proposer ("Khatib's initiative", kept under a slug), a meeting named by its
place ("will not travel to Moscow"), the conference "the talks" last named, and
finally the open target the document names by that phrase ("the Pretoria
agreement", and "the deal" after it; see open_targets.py). Issues a phrase
states as a clause ("a government that did not include Assad") come with it.

A clause of doing is a target too ("to amend the constitution", "sanctions to
be lifted"): a registered issue it states, what a pursuit verb seeks ("seek
de-escalation" is about de-escalation), or else the policy itself, verb and
object. Ending a measure ("lift the sanctions") is also opposition to it.
"""

from __future__ import annotations

from dataclasses import dataclass

from spacy.tokens import Span, Token

from detente.nlp.actors.identity import fold
from detente.nlp.stances.context import DocumentContext, core_phrase, full_phrase, head_phrase, is_anaphor
from detente.nlp.stances.holders import one_actor
from detente.nlp.stances.open_targets import display, key_words, name_tokens, policy
from detente.nlp.stances.patterns import CueMatch
from detente.nlp.stances.targets import slug
from detente.nlp.token_table import children_of, children_with

# How much confidence survives each kind of indirect evidence.
IMPLICIT_TARGET = 0.75
SLUG = 0.5
PROPOSED = 0.6
ISSUE = 0.85
POLICY = 0.55


@dataclass(frozen=True)
class Target:
    """A target id, how sure we are of it, and whether the phrase names its reverse ("keep Assad in place").

    `name` is how a reader knows it when the registry does not ("Black Sea
    grain deal"); `text` the words this statement names it by ("the deal").
    """

    id: str
    score: float
    reverse: bool = False
    name: str | None = None
    text: str | None = None


def turned(target: Target, score: float = 1.0) -> Target:
    """The same target with the stance on it turned round: stopping the arms flow opposes arming."""
    return Target(target.id, target.score * score, not target.reverse, target.name, target.text)


def cue_object(match: CueMatch) -> Token | None:
    """The token the target hangs from: the preposition's object, else the direct object (or passive subject)."""
    anchor = match.anchor
    if match.cue.urging:
        return None  # "urged Netanyahu to ...": Netanyahu is pressed, not the target
    if match.cue.prep:
        found = next(iter(children_with(anchor, ("pobj", "pcomp"))), None)
        if found is not None or anchor.dep_ != "prt":
            return found
        anchor = match.verb  # "declared it over": the particle has no object, the verb does
    for dep in ("dobj", "nsubjpass", "attr", "oprd"):  # by label: a run-on verb's children are hundreds
        for child in children_with(anchor, (dep,)):
            return child if child.pos_ not in ("VERB", "AUX") or child.tag_ == "VBG" else None
    if anchor.dep_ == "relcl" and anchor.head.pos_ in ("NOUN", "PROPN"):
        subject = next(iter(children_with(anchor, ("nsubj", "nsubjpass"))), None)
        if subject is not None and subject.tag_ not in ("WDT", "WP"):
            return anchor.head  # "a demand that the government has rejected" (not "Norway, which backs ...")
    return None


def complement(verb: Token) -> Token | None:
    """The clause a verb governs as its content: "wants [to amend ...]", "wanted [sanctions to be lifted]"."""
    for child in children_of(verb):
        if child.dep_ == "xcomp" and child.pos_ in ("VERB", "AUX"):
            return child
    for child in children_of(verb):
        if child.dep_ in ("ccomp", "advcl") and child.pos_ in ("VERB", "AUX") and any(
            c.dep_ == "aux" and c.lower_ == "to" for c in children_of(child)
        ):
            return child
    return None


def clause_object(verb: Token, pursuit: frozenset[str] = frozenset()) -> Token | None:
    """What a clause of doing acts on: its object, its passive subject, or what a pursuit verb works towards."""
    for dep in ("dobj", "nsubjpass"):
        found = next((c for c in children_of(verb) if c.dep_ == dep), None)
        if found is not None:
            return found
    if verb.tag_ == "VBN" and not any(c.dep_ in ("aux", "auxpass") for c in children_of(verb)):
        # "wants the truce extended": the subject of a bare participle is what is acted on
        found = next((c for c in children_of(verb) if c.dep_ == "nsubj"), None)
        if found is not None:
            return found
    if verb.lemma_.lower() not in pursuit:
        return None
    for prep in children_of(verb):
        if prep.dep_ == "prep" and prep.lower_ in ("towards", "toward", "for", "on", "at"):
            found = next((c for c in children_of(prep) if c.dep_ in ("pobj", "pcomp")), None)
            if found is not None:
                return found
    return None


def targets_of(ctx: DocumentContext, tok: Token | None, depth: int = 0, verb: Token | None = None) -> list[Target]:  # noqa: C901
    """What a phrase points at: a registered target, an actor, the conference "the talks" means, or a slug.

    Issues the phrase also states as a clause ("a government that did not
    include Assad") come with it.
    """
    if tok is None or depth > 3:
        return []
    if tok.pos_ in ("VERB", "AUX"):
        # A gerund ("demands for releasing the detainees", "backs arming the rebels") is a clause of doing,
        # and so is "a way to stop the fighting".
        clausal = tok.tag_ == "VBG" or tok.dep_ == "acl"
        return clause_targets(ctx, tok, depth + 1, through_cues=True) if clausal else []
    if tok.lower_ in ("it", "this", "that") and tok.dep_ in ("dobj", "nsubjpass", "nsubj", "pobj"):
        recent = ctx.recent(tok)
        return [Target(recent, IMPLICIT_TARGET * IMPLICIT_TARGET, name=ctx.target_name(recent), text=tok.text)] if recent else []
    if tok.lemma_.lower() in ctx.lexicon.policy_anaphors and _pointing(tok):
        recent = ctx.recent(tok, issues=True)
        return [Target(recent, IMPLICIT_TARGET * IMPLICIT_TARGET, name=ctx.target_name(recent), text=core_phrase(tok).text)] if recent else []
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
    text = core_phrase(tok).text
    found = ctx.match(text) or ctx.match(head_phrase(tok).text)
    if found is not None and found.score >= 1.0:
        return [_registered(ctx, found.id, found.score, found.reverse, text)]
    mention = ctx.mention(tok)
    if mention is not None and (ctx.mention_head(tok) or tok.pos_ == "PROPN") and not ctx.names_target(tok):
        return [Target(mention.actor, mention.confidence, name=ctx.actor_names.get(mention.actor), text=mention.text)]
    if found is not None:
        return [_registered(ctx, found.id, found.score, found.reverse, text)]
    lemma = tok.lemma_.lower()
    if lemma in ctx.lexicon.light_nouns:
        for child in _inner(tok):
            deeper = targets_of(ctx, child, depth + 1)
            if deeper:
                return deeper
    whole = ctx.match(full_phrase(tok).text)
    if whole is not None and whole.how != "pattern":
        return [_registered(ctx, whole.id, whole.score * 0.95, whole.reverse, text)]
    if lemma in ctx.lexicon.action_nouns:
        # "the extension of the grain deal", "a renegotiation": doing something is the target.
        obj = next((c for p in children_of(tok) if p.dep_ == "prep" and p.lower_ in ("of", "on") for c in children_of(p) if c.dep_ == "pobj"), None)
        verb_form = ctx.lexicon.action_nouns[lemma]
        if obj is None and verb_form in ctx.lexicon.obligation_verbs:
            return salient_targets(ctx, tok, conference=False, kind="agreement")  # "Signing is only the first step"
        return policy_targets(ctx, verb_form, obj, depth, text)
    if lemma in ctx.lexicon.target_nouns and ctx.lexicon.target_kinds.get(lemma) in ("plan", None):
        proposer = _proposer(ctx, tok)  # one proposes a plan; the owner of "its deal" is only a party to it
        if proposer:
            # "his plan" of Annan is "Kofi Annan plan": a registered target when one has that alias.
            named = ctx.match(f"{proposer.replace('-', ' ')} {lemma}")
            if named is not None and named.score >= 1.0:
                return [_registered(ctx, named.id, named.score, named.reverse, text)]
            proposed = f"{ctx.actor_names.get(proposer, proposer.replace('-', ' '))}'s {lemma}"
            return [Target(slug(f"{proposer} {lemma}"), PROPOSED, name=proposed, text=text)]
    if verb is not None:
        venue = venue_target(ctx, verb)
        if venue:
            return venue
    kind = ctx.lexicon.target_kinds.get(lemma) or ctx.lexicon.target_kinds.get(tok.lower_)
    meeting = kind == "talks" or kind != "plan" and (lemma in ctx.targets.meeting_nouns or tok.lower_ in ctx.targets.meeting_nouns)
    if is_anaphor(ctx, tok):
        salient = salient_targets(ctx, tok, conference=meeting, known=True)
        if salient:
            return salient
    opened = ctx.open_at.get(tok.i)
    if opened is not None and tok.i in ctx.plain and verb is not None and opened.kind == "talks":
        # "will convene talks ... in Moscow": the talks the report names by that place
        placed = _placed_talks(ctx, verb)
        if placed is not None:
            return [Target(placed.id, SLUG, name=placed.name, text=text)]
    if opened is not None and tok.i in ctx.plain and ctx.registered_conflict():
        # In a report on a conflict the registry knows, "the peace talks" are its talks, and a
        # common name that fits none of its targets ("political talks") is too vague to stand alone.
        talks = opened.kind == "talks"
        if talks or not _indefinite(tok):
            salient = salient_targets(ctx, tok, conference=talks, known=True)
            return [Target(t.id, SLUG, t.reverse, t.name, t.text) for t in salient]
        return []
    if opened is not None:
        return [Target(opened.id, SLUG, name=opened.name, text=text)]
    return []


def _placed_talks(ctx: DocumentContext, verb: Token):
    """The open talks named by the place a verb gives ("convene talks on Jan. 26 in Moscow")."""
    for prep in children_of(verb):
        if prep.dep_ == "prep" and prep.lower_ in ("in", "at"):
            place = [w for c in children_of(prep) if c.dep_ == "pobj" and c.pos_ == "PROPN" for w in key_words([c], frozenset())]
            for target in ctx.open_at.values():
                if place and target.kind == "talks" and set(place) <= set(target.id.split("-")):
                    return target
    return None


def _indefinite(tok: Token) -> bool:
    return any(c.dep_ == "det" and c.lower_ in ("a", "an", "another") for c in children_of(tok))


def _registered(ctx: DocumentContext, target_id: str, score: float, reverse: bool, text: str) -> Target:
    return Target(target_id, score, reverse, ctx.target_name(target_id), text)


def salient_targets(ctx: DocumentContext, tok: Token, conference: bool, known: bool = False, kind: str | None = None) -> list[Target]:
    """The target "the talks" or "his refusal" means; with `known`, only a registered one; with `kind`, a
    registered one that is no conference or issue, or an open one of that kind."""
    salient = ctx.salient(tok, conference, frozenset({kind}) if kind else None)
    if salient is None or (known or kind is not None and ctx.registered_conflict()) and salient not in ctx.targets:
        return []
    if kind is not None and (ctx.open_kind(salient) or "") != kind and salient not in ctx.targets:
        return []
    return [Target(salient, IMPLICIT_TARGET, name=ctx.target_name(salient), text=core_phrase(tok).text)]


def _pointing(tok: Token) -> bool:
    """ "such a move", "this step", "the idea": a phrase that points back rather than saying what it is."""
    dets = [c.lower_ for c in children_of(tok) if c.dep_ in ("det", "predet", "amod")]
    return any(d in ("such", "this", "that", "the") for d in dets) and not any(c.dep_ in ("prep", "acl", "relcl") for c in children_of(tok))


def clause_targets(ctx: DocumentContext, verb: Token, depth: int = 0, through_cues: bool = False) -> list[Target]:
    """What a clause of doing is about: a registered issue it states, what it seeks, or the policy itself.

    "stop sending arms" turns round the issue of arming; "wants to attend the
    talks" is left to the cue "attend" (it states its own stance) unless
    `through_cues`, for one who urges others to attend.
    """
    if depth > 4:
        return []
    lemma = verb.lemma_.lower()
    obj = clause_object(verb, ctx.lexicon.pursuit)
    inner = complement(verb) if obj is None else None
    if lemma in ctx.lexicon.reversal and (obj is not None or inner is not None):
        ended = [t for t in targets_of(ctx, obj if obj is not None else inner, depth + 1) if not is_actor(ctx, t.id)]
        if ended and all(t.id in ctx.targets for t in ended):
            return [turned(t) for t in ended]  # "stop sending arms to Syria" opposes arming
        if obj is not None and (obj.lemma_.lower() in ctx.lexicon.violence or obj.lower_ in ctx.lexicon.violence):
            truce = salient_targets(ctx, verb, conference=False, kind="truce")
            if truce:
                return truce  # "willing to stop the shelling of Aleppo": for the truce at hand
    cues = ctx.lexicon.cues_at(verb)
    if obj is None and inner is None and lemma in ctx.lexicon.obligation_verbs and verb.dep_ in ("nsubj", "csubj", "nsubjpass", "pobj"):
        # "Signing is only the first step": the act names the agreement at hand.
        return salient_targets(ctx, verb, conference=False, kind="agreement")
    if cues and lemma not in ctx.lexicon.pursuit:
        if not through_cues or cues[0].cue.urging:
            return []  # "wants to attend the talks": "attend" states its own stance
        within = targets_of(ctx, cue_object(cues[0]), depth + 1)
        return [turned(t) for t in within] if cues[0].cue.polarity == "oppose" else within
    stated = issues_in(ctx, verb)
    if stated:
        return stated
    if lemma in ctx.lexicon.pursuit:
        # "seek de-escalation": what is sought is the target, named or not ("find a way" names nothing).
        if obj is None:
            return []
        light = obj.lemma_.lower() in ctx.lexicon.light_nouns
        return targets_of(ctx, obj, depth + 1) or ([] if light else named_by_words(ctx, obj))
    if inner is not None and lemma not in ctx.lexicon.no_policy:
        return []
    if obj is None or lemma not in ctx.lexicon.policy_verbs:
        return []  # a policy acts on something ("to sit" names none), and "cutting supply lines" is war, not policy
    return policy_targets(ctx, lemma, obj, depth, full_phrase(verb).text)


def named_by_words(ctx: DocumentContext, tok: Token) -> list[Target]:
    """A target named only by its own words ("de-escalation"), for what a pursuit verb seeks."""
    if tok.pos_ not in ("NOUN", "PROPN") or ctx.mention(tok) is not None:
        return []
    tokens = name_tokens(tok, ctx.lexicon.named_by_of)
    key = key_words(tokens, ctx.lexicon.throwaway)
    return [Target(slug(" ".join(key)), POLICY, name=display(tokens), text=display(tokens))] if key else []


def policy_targets(ctx: DocumentContext, lemma: str, obj: Token | None, depth: int, text: str) -> list[Target]:
    """A policy as a target: ("lift", "the sanctions") is lift-sanctions; ending a measure also opposes it."""
    if obj is not None and obj.pos_ in ("PRON",) and obj.lower_ not in ("it", "this", "that"):
        return []  # "wants to write a new one" keeps its words; "help them" names nothing
    if obj is not None and (obj.lemma_.lower() in ctx.lexicon.quantity_nouns or obj.lower_ in ctx.lexicon.quantity_nouns):
        counted = next((c for p in children_of(obj) if p.dep_ == "prep" and p.lower_ == "of" for c in children_of(p) if c.dep_ == "pobj"), None)
        obj = counted if counted is not None else obj  # "to swap hundreds of prisoners" swaps prisoners
    obj_id = obj_name = None
    found: list[Target] = []
    if obj is not None:
        inner = targets_of(ctx, obj, depth + 1)
        if inner:
            obj_id, obj_name = inner[0].id, inner[0].name or ctx.target_name(inner[0].id) or inner[0].id.replace("-", " ")
        else:
            tokens = name_tokens(obj, ctx.lexicon.named_by_of)
            key = key_words(tokens, ctx.lexicon.throwaway)
            if not key:
                return []
            obj_id, obj_name = slug(" ".join(key)), display(tokens)
            measure = obj.lemma_.lower() in ctx.lexicon.measures or obj.lower_ in ctx.lexicon.measures
            if lemma in ctx.lexicon.reversal and measure:
                found.append(Target(obj_id, POLICY * 0.9, True, obj_name, core_phrase(obj).text))
    made = policy(lemma, obj_id, obj_name)
    return [Target(made.id, POLICY, name=made.name, text=text), *found]


def _proposer(ctx: DocumentContext, noun: Token) -> str | None:
    """Whose plan a phrase names: "Khatib's initiative", "the initiative of ... Moaz al-Khatib", "his plan"."""
    for child in children_of(noun):
        if child.dep_ == "poss":
            found = one_actor(ctx, child)
            if found is not None:
                return found.actor
        if child.dep_ == "prep" and child.lower_ in ("of", "by"):
            for pobj in children_of(child):
                if pobj.dep_ != "pobj":
                    continue
                for named in (pobj, *[c for c in children_of(pobj) if c.dep_ == "appos"]):
                    if ctx.mention(named) is not None and ctx.mention_head(named):
                        return ctx.mention(named).actor
    return None


def _inner(tok: Token) -> list[Token]:
    """Where the real target of a light noun is: "the possibility of a truce", "an attempt to convene talks"."""
    found = []
    for child in children_of(tok):
        if child.dep_ == "prep" and child.lower_ in ("of", "for", "on"):
            found += [c for c in children_of(child) if c.dep_ in ("pobj", "pcomp")]
        elif child.dep_ == "acl" and child.pos_ == "VERB" and any(c.dep_ == "aux" and c.lower_ == "to" for c in children_of(child)):
            found.append(child)  # "a way to stop the fighting": the clause says what it is a way to
        elif child.dep_ in ("acl", "relcl") and child.pos_ == "VERB":
            found += [c for c in children_of(child) if c.dep_ == "dobj"]
    return found


def venue_target(ctx: DocumentContext, verb: Token) -> list[Target]:
    """ "will not travel to Moscow", "convene talks ... in Moscow": a meeting named by its place."""
    for child in children_of(verb):
        if child.dep_ == "prep" and child.lower_ in ("to", "in", "at"):
            for place in children_of(child):
                if place.dep_ == "pobj":
                    found = ctx.match(f"talks in {place.text}")
                    if found is not None:
                        return [_registered(ctx, found.id, found.score * IMPLICIT_TARGET, False, place.text)]
    return []


def for_clause(ctx: DocumentContext, verb: Token) -> list[Target]:
    """Issues in a "for" clause: "criticized outside powers for pouring weapons into Syria"."""
    for prep in children_of(verb):
        if prep.dep_ == "prep" and prep.lower_ == "for":
            for gerund in children_of(prep):
                if gerund.dep_ in ("pcomp", "pobj"):
                    return issues_in(ctx, gerund)
    return []


def issues_in(ctx: DocumentContext, tok: Token, patterns_only: bool = False) -> list[Target]:
    """Issues a phrase states: by pattern ("Assad must go"), and unless `patterns_only` by alias ("prisoner releases").

    A clause's own words only: "refusing to enter talks until the sieges end"
    is not about the sieges (that is its condition).
    """
    span = _own_words(tok)
    text, _ = folded(ctx, span)
    hits = ctx.targets.search(text, ctx.published)
    words = span.text
    return unique([_registered(ctx, h.id, ISSUE, h.reverse, words) for h in hits if h.how == "pattern" or not patterns_only])


def _own_words(tok: Token) -> Span:
    """A phrase without the clauses that follow it as conditions or circumstances ("until ...", "after ...")."""
    span = full_phrase(tok)
    cut = min((c.left_edge.i for c in children_of(tok) if c.dep_ == "advcl" and c.i > tok.i), default=span.end)
    return tok.doc[span.start : max(min(cut, span.end), tok.i + 1)]


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
