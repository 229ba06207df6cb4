"""Stances: who is for, against, or conditionally for which initiative, conference, issue or actor.

Two readings of each document, both on the parse the caller already made:

- **Cues** (`detente/data/stance_patterns.yaml`): a verb or noun that states a
  stance ("backed", "refused to join", "voiced support for", "his refusal",
  "hoped the meeting would prove useful"), its holder (see `stance_holders`)
  and its target (the object, read by the target registry; "the talks" with
  no name is the conference last named). Negation and refusal flip support to
  opposition; a clause opened by "unless", "only if", "provided that" (or by
  "until"/"before" after a refusal) makes it a condition, with that clause as
  the condition text.
- **Quotes**: a speaker's words that state an issue ("Assad would still have
  to go", "a government that did not include Assad") are that speaker's
  support for the issue, or the support of the actor the words say holds it
  ("the US made a mistake by deciding that Assad had to go"); words stating
  its reverse ("keeping Assad in place") are opposition to it.

How the assad-departure issue maps (support = wants Assad out): "Assad had to
go" and "would not accept any arrangement that kept Assad in power" are
support; "backed away from the position that Assad had to step down" is
opposition (a withdrawn position reads as opposition on that date, so the
actor's series shows the shift); "would not negotiate unless Assad was
removed" is a *condition* on the negotiations (the conference they are about),
with the clause as condition text, and, because the clause itself states the
issue, also support for assad-departure.

A stance's date is that of its statement: a date on the verb of speech ("said
on Wednesday") or on the cue, else the date of the quote it sits in, else the
document's publication date. Dates after publication are plans, not
statements, and are skipped.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache

from spacy.tokens import Doc, Span, Token

from detente.nlp.actors import DocumentActors
from detente.nlp.dates import TimeExpression
from detente.nlp.identity import fold
from detente.nlp.quotes import load_lexicon as load_speech_lexicon
from detente.nlp.records import QuoteRecord, StanceRecord
from detente.nlp.stance_context import DocumentContext, core_phrase, full_phrase, head_phrase, is_anaphor
from detente.nlp.stance_holders import (
    FIRST_PERSON,
    SUBJECTS,
    Holder,
    actor_of,
    agents,
    conjuncts,
    one_actor,
    owner,
    speaker,
)
from detente.nlp.stance_patterns import (
    CONDITION,
    OPPOSE,
    PARTICIPATE,
    SUPPORT,
    CueMatch,
    StanceLexicon,
    lemmas,
    load_lexicon,
)
from detente.nlp.targets import TargetRegistry, slug

_HYPOTHETICAL = frozenset({"if", "whether"})
NEGOTIATIONS = "negotiations"  # the target of "will not negotiate unless ..." when no talks are named
_CLAUSES = frozenset({"xcomp", "conj", "advcl", "pcomp", "acomp", "ccomp", "relcl"})

# How much confidence survives each kind of indirect evidence.
_IMPLICIT_TARGET = 0.75
_NEGATED_SUPPORT = 0.8
_QUOTE_ISSUE = 0.7
_CONDITION_ISSUE = 0.8
_THREAT = 0.7
_ADOPTED = 0.7
_JUDGED = 0.75
_SLUG = 0.5
_PROPOSED = 0.6


@dataclass(frozen=True)
class _Target:
    id: str
    score: float
    reverse: bool = False


def find_stances(
    doc: Doc,
    actors: DocumentActors,
    dates: list[TimeExpression],
    quotes: list[QuoteRecord],
    targets: TargetRegistry,
    published: str | None,
    lexicon: StanceLexicon | None = None,
) -> list[StanceRecord]:
    """Every stance one parsed document states, with offsets into `doc.text`."""
    if len(doc) == 0 or not doc.has_annotation("DEP"):
        return []
    ctx = DocumentContext.build(doc, lexicon or load_lexicon(), targets, published, dates, actors.mentions, quotes)
    found: list[StanceRecord] = []
    for tok in doc:
        if tok.pos_ in ("VERB", "AUX"):
            found += _verb_stances(ctx, tok)
        elif tok.pos_ in ("NOUN", "PROPN"):
            found += _noun_stances(ctx, tok)
    found += _quote_stances(ctx, found)
    return _dedupe(found)


# -- verbs ----------------------------------------------------------------------------


def _verb_stances(ctx: DocumentContext, verb: Token) -> list[StanceRecord]:
    cues = ctx.lexicon.cues_at(verb)
    forms = set(lemmas(verb))
    naming = bool(forms & ctx.lexicon.naming)
    if not cues or naming and any(c.dep_ == "oprd" for c in verb.children):
        if naming or forms & ctx.lexicon.judging:
            return _judgements(ctx, verb)
        return []
    match = cues[0]
    cue = match.cue
    if _hypothetical(verb) or ctx.mention(verb) is not None:
        return []
    if cue.polarity == PARTICIPATE and any(c.dep_ == "xcomp" for c in verb.children):
        return []  # "going to happen", "came to believe": not taking part in anything
    negated = _negated(ctx, verb)
    condition = _condition(ctx, verb, negated)
    obj = _object(match)
    found = _targets_of(ctx, obj, verb=verb) if obj is not None else []
    if not found or all(_is_actor(ctx, t.id) for t in found):
        # "criticized outside powers for pouring weapons into Syria": the stance is on what they did.
        found = _for_clause(ctx, verb) or found
    if cue.polarity == PARTICIPATE:
        # One hosts or attends a meeting, not an actor, and an unnamed meeting says nothing.
        found = [t for t in found if not _is_actor(ctx, t.id) and t.id in ctx.targets]
    if cue.explicit and (obj is None or not found or found[0].score <= _IMPLICIT_TARGET):
        return []
    if cue.polarity == PARTICIPATE:
        if cue.weak and not (negated or condition):
            return []  # "came to Geneva", "went to Moscow": travel, not a position
        if not found:
            found = _venue_target(ctx, verb)
        if not found and obj is None:
            found = _salient(ctx, verb, conference=True)
        if not found and condition:
            # "will not negotiate unless Assad leaves" with no talks named: a condition on negotiating at all.
            found = [_Target(NEGOTIATIONS, _SLUG)]
        negated = negated != cue.inverted
    if not found:
        return []
    polarity = _polarity(cue.polarity, negated, condition)
    if polarity is None:
        return []
    holders = agents(ctx, verb)
    weight = cue.weight * (_NEGATED_SUPPORT if negated and cue.polarity == SUPPORT else 1.0)
    if any(t.lemma_.lower() == "threaten" for t in _clause_chain(verb)[1:]):
        weight *= _THREAT  # "threatened to stay away" is leverage, not yet a position
    records = _records(ctx, verb, holders, found, polarity, condition, weight, planned=cue.polarity == PARTICIPATE)
    if condition:
        records += _condition_issues(ctx, verb, holders, condition, weight)
    return records


def _polarity(kind: str, negated: bool, condition: str | None) -> str | None:
    if condition:
        return CONDITION
    if kind == OPPOSE:
        return None if negated else OPPOSE  # "careful not to dismiss" is no stance we can name
    return OPPOSE if negated else SUPPORT


def _object(match: CueMatch) -> Token | None:
    """The token the target hangs from: the preposition's object, else the direct object (or passive subject)."""
    anchor = match.anchor
    if match.cue.prep:
        found = next((c for c in anchor.children if c.dep_ in ("pobj", "pcomp")), None)
        if found is not None or anchor.dep_ != "prt":
            return found
        anchor = match.verb  # "declared it over": the particle has no object, the verb does
    for dep in ("dobj", "nsubjpass", "attr", "oprd"):
        for child in anchor.children:
            if child.dep_ == dep:
                return child if child.pos_ not in ("VERB", "AUX") else None
    if anchor.dep_ == "relcl" and anchor.head.pos_ in ("NOUN", "PROPN"):
        return anchor.head  # "a demand that the government has rejected"
    return None


def _for_clause(ctx: DocumentContext, verb: Token) -> list[_Target]:
    for prep in verb.children:
        if prep.dep_ == "prep" and prep.lower_ == "for":
            for gerund in prep.children:
                if gerund.dep_ in ("pcomp", "pobj"):
                    return _issues_in(ctx, gerund)
    return []


def _venue_target(ctx: DocumentContext, verb: Token) -> list[_Target]:
    """ "will not travel to Moscow", "convene talks ... in Moscow": a meeting named by its place."""
    for child in verb.children:
        if child.dep_ == "prep" and child.lower_ in ("to", "in", "at"):
            for place in child.children:
                if place.dep_ == "pobj":
                    found = ctx.targets.match(f"talks in {place.text}", ctx.published, ctx.prefer)
                    if found is not None:
                        return [_Target(found.id, found.score * _IMPLICIT_TARGET)]
    return []


def _judgements(ctx: DocumentContext, verb: Token) -> list[StanceRecord]:
    """ "hoped the Moscow meeting would prove useful", "said the plan was ambiguous", "called the meeting promising".

    A judged clause with a condition ("said the agreement would mean little
    unless ...") is a condition on its subject. A naming verb may judge an
    actor ("consider Jaysh al-Islam to be terrorists"); other judgements are
    about targets only ("said Russia would help" is about Russia's conduct).
    """
    if _negated(ctx, verb) or _hypothetical(verb):
        return []
    forms = set(lemmas(verb))
    naming = bool(forms & ctx.lexicon.naming)
    for clause in verb.children:
        subject, words = _judged(verb, clause, naming, bool(forms & ctx.lexicon.judging))
        if subject is None or subject.pos_ == "PRON" or ctx.mention(subject) is not None and not naming:
            continue
        condition = _condition(ctx, clause, False) if clause.dep_ == "ccomp" else None
        said = {t.lemma_.lower() for t in words} | {t.lower_ for t in words}
        good, bad = said & ctx.lexicon.good, said & ctx.lexicon.bad
        if not condition and bool(good) == bool(bad):
            continue
        polarity = CONDITION if condition else SUPPORT if good else OPPOSE
        if not condition and any(c.dep_ == "neg" for c in clause.children):
            polarity = OPPOSE if polarity == SUPPORT else SUPPORT
        found: list[_Target] = []
        for part in (subject, *conjuncts(subject)):
            found += [t for t in _targets_of(ctx, part) if naming or not _is_actor(ctx, t.id)]
        if naming:
            found += _named_actors(ctx, clause, subject)
        return _records(ctx, verb, agents(ctx, verb), _unique(found), polarity, condition, _JUDGED)
    return []


def _named_actors(ctx: DocumentContext, clause: Token, subject: Token) -> list[_Target]:
    """Every actor a naming clause names as its subject: "consider Jaysh al-Islam and Ahrar al-Sham to be ..."."""
    if clause.i == subject.i:
        return []
    first = min(c.left_edge.i for c in clause.children if c.dep_ in ("nsubj", "nsubjpass", "appos"))
    found = []
    for tok in clause.doc[first : clause.i]:
        mention = ctx.mention(tok)
        if mention is not None and tok.dep_ != "poss":
            found.append(_Target(mention.actor, mention.confidence))
    return found


def _judged(verb: Token, clause: Token, naming: bool, judging: bool) -> tuple[Token | None, list[Token]]:
    """The judged thing and the words said of it, or (None, [])."""
    if naming and clause.dep_ in ("dobj", "oprd"):
        # "called the meeting a sham": the first object is judged by what follows it.
        objects = sorted((c for c in verb.children if c.dep_ in ("dobj", "oprd")), key=lambda c: c.i)
        if clause.i != objects[0].i:
            return None, []
        judged = objects[1:] + [c for c in verb.children if c.dep_ in ("xcomp", "acomp") or c.dep_ == "prep" and c.lower_ == "as"]
        return clause, [t for j in judged for t in j.subtree]
    if clause.dep_ in ("ccomp", "xcomp") and (judging or naming):
        subject = next((c for c in clause.children if c.dep_ in ("nsubj", "nsubjpass")), None)
        if subject is None:
            return None, []
        inside = range(subject.left_edge.i, subject.right_edge.i + 1)
        return subject, [t for t in clause.subtree if t.i not in inside]
    return None, []


# -- nouns ----------------------------------------------------------------------------


def _noun_stances(ctx: DocumentContext, noun: Token) -> list[StanceRecord]:
    if ctx.mention(noun) is not None:
        return []  # "the opposition" is an actor here, not a stance
    lemma = noun.lemma_.lower()
    if lemma in ctx.lexicon.nouns:
        return _stance_noun(ctx, noun, *ctx.lexicon.nouns[lemma])
    if lemma in ctx.lexicon.condition_nouns:
        return _unmet_conditions(ctx, noun)
    return []


def _stance_noun(ctx: DocumentContext, noun: Token, polarity: str, weight: float) -> list[StanceRecord]:
    """ "Kerry's support for X", "voiced support for X", "a demand that Assad hand over his powers"."""
    governor = _governing_verb(noun)
    if governor is not None and _hypothetical(governor):
        return []
    found: list[_Target] = []
    for child in noun.children:
        if child.dep_ == "prep" and child.lower_ in ctx.lexicon.target_preps:
            if child.lower_ == "of" and polarity == SUPPORT:
                continue  # "the support of Saif" names the supporter
            obj = next((c for c in child.children if c.dep_ in ("pobj", "pcomp")), None)
            if obj is not None:
                found = _targets_of(ctx, obj)
                break
        elif child.dep_ in ("acl", "ccomp", "relcl") and polarity == SUPPORT:
            found = _issues_in(ctx, child)
            if found:
                break
    if not found and noun.dep_ == "nsubj" and noun.head.lemma_ == "be":
        attr = next((c for c in noun.head.children if c.dep_ == "attr"), None)
        found = _targets_of(ctx, attr) if attr is not None else []
    if not found and governor is not None and governor.lemma_ == "give":
        other = next((c for c in governor.children if c.dep_ in ("dative", "dobj") and c.i != noun.i), None)
        found = _targets_of(ctx, other) if other is not None else []
    if not found and noun.lemma_.lower() in ctx.lexicon.implicit_nouns and not any(c.dep_ in ("acl", "prep") for c in noun.children):
        found = _salient(ctx, noun, conference=True)
    if not found:
        return []
    negated = governor is not None and _negated(ctx, governor)
    if governor is not None and noun.dep_ == "pobj" and _opposing(ctx, governor):
        negated = not negated  # "backed away from the demand that Assad step down"
    final = _polarity(polarity, negated, None)
    if final is None:
        return []
    holders = owner(ctx, noun)
    if not holders and governor is not None and noun.dep_ in ("dobj", "pobj", "attr", "nsubjpass"):
        holders = agents(ctx, governor)
    return _records(ctx, noun, holders, found, final, None, weight)


def _opposing(ctx: DocumentContext, verb: Token) -> bool:
    cues = ctx.lexicon.cues_at(verb)
    return bool(cues) and cues[0].cue.polarity == OPPOSE


def _unmet_conditions(ctx: DocumentContext, noun: Token) -> list[StanceRecord]:
    """ "the conditions for a successful meeting had not been met": opposition to that meeting."""
    verb = noun.head
    if noun.dep_ not in ("nsubjpass", "dobj", "nsubj") or verb.lemma_.lower() not in ctx.lexicon.unmet_verbs:
        return []
    if not _negated(ctx, verb):
        return []
    prep = next((c for c in noun.children if c.dep_ == "prep" and c.lower_ == "for"), None)
    obj = next((c for c in prep.children if c.dep_ == "pobj"), None) if prep is not None else None
    found = _targets_of(ctx, obj) if obj is not None else []
    if not found:
        return []
    holders = agents(ctx, verb) if noun.dep_ == "dobj" else speaker(ctx, verb)
    return _records(ctx, noun, holders, found, OPPOSE, None, 0.7)


# -- quotes ---------------------------------------------------------------------------


def _quote_stances(ctx: DocumentContext, found: list[StanceRecord]) -> list[StanceRecord]:
    """Issues a speaker's own words state ("Assad would still have to go") as a stance."""
    records = []
    seen = {(r.actor, r.target, r.start) for r in found}
    for quote in ctx.quotes:
        if not quote.speaker:
            continue
        span = ctx.doc.char_span(quote.start, quote.end, alignment_mode="contract")
        if span is None or not len(span):
            continue
        text, owner_of = _folded(ctx, span)
        hits = ctx.targets.search(text, ctx.published)
        roots = {id(h): _hit_root(ctx, h, owner_of) for h in hits}
        stated = {roots[id(h)].i for h in hits if h.how == "pattern" and roots[id(h)] is not None}
        for hit in hits:
            root = roots[id(hit)]
            if root is None:
                continue
            if hit.how != "pattern" and ({root.i} | {t.i for t in root.ancestors}) & stated:
                continue  # "Assad could not be part of a transitional government" is about Assad
            if _under_condition(ctx, root):
                continue  # "will not return until the humanitarian steps are carried out": a condition, read elsewhere
            holder, flipped = _issue_holder(ctx, root, quote)
            if holder is None:
                continue
            sent = root.sent
            record = _record(sent, holder.actor, hit.id, OPPOSE if hit.reverse != flipped else SUPPORT,
                             None, quote.date or ctx.published, quote.confidence * holder.score * _QUOTE_ISSUE)
            if (record.actor, record.target, record.start) not in seen:
                seen.add((record.actor, record.target, record.start))
                records.append(record)
    return records


def _hit_root(ctx: DocumentContext, hit, owner_of: list[int | None]) -> Token | None:
    tokens = sorted({owner_of[k] for k in range(hit.start, hit.end) if owner_of[k] is not None})
    return ctx.doc[tokens[0] : tokens[-1] + 1].root if tokens else None


def _under_condition(ctx: DocumentContext, tok: Token) -> bool:
    sent = tok.sent
    while tok.head.i != tok.i and sent.start <= tok.head.i < sent.end:
        if tok.dep_ in ("advcl", "prep", "pcomp") and _marked_clause(ctx, tok, True):
            return True
        tok = tok.head
    return False


def _folded(ctx: DocumentContext, span: Span) -> tuple[str, list[int | None]]:
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
        if mention is not None and mention.actor in ctx.targets.issue_actors():
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


def _issue_holder(ctx: DocumentContext, root: Token, quote: QuoteRecord) -> tuple[Holder | None, bool]:
    """Who states the issue, and whether a negation above it turns it round.

    The holder is the first actor subject above the issue, up to the verb of
    speech, else the speaker: "Pastor said the US made a mistake by deciding
    that Assad had to go" is the US's stance. "no sign that it is prepared to
    discuss a transfer of power" and "no outsider should set a timetable for
    Assad's departure" turn it round; "has not changed its view that ..." keeps
    it. Words about someone else ("their efforts to remove Assad", "any contact
    must serve a transfer of power") are no stance we can read.
    """
    holder: Holder | None = None
    decided = crossed = False
    flips = 0
    tok, sent = root, root.sent
    while tok.head.i != tok.i:
        child, tok = tok, tok.head
        if not (sent.start <= tok.i < sent.end) or tok.lemma_.lower() in _speech_verbs():
            break
        if child.dep_ in ("appos", "npadvmod"):
            return None, False  # "a reference to the handover of power": a gloss, not a position
        crossed = crossed or child.dep_ == "conj"
        flips += _denials(ctx, tok)
        if decided:
            continue
        poss = next((c for c in tok.children if c.dep_ == "poss"), None)
        if poss is not None and tok.pos_ in ("NOUN", "PROPN"):
            if poss.pos_ == "PRON" and tok.lemma_.lower() not in ctx.lexicon.position_nouns:
                return None, False  # "their efforts to remove Assad": whose, we cannot tell
            owners = actor_of(ctx, poss)
            holder, decided = (owners[0] if owners else None), True
            continue
        subject = next((c for c in tok.children if c.dep_ in (*SUBJECTS, "nsubjpass")), None)
        if subject is None or tok.pos_ not in ("VERB", "AUX"):
            continue
        if child.dep_ == "conj" and any(c.dep_ in ("nsubj", "nsubjpass") for c in child.children):
            continue  # "Russia halted attacks and sieges were lifted": the second clause is not Russia's
        if any(c.dep_ == "det" and c.lower_ == "no" for c in subject.children):
            flips += 1  # "no outsider should ...": nobody should
            continue
        found = one_actor(ctx, subject) or next(iter(owner(ctx, subject)), None)
        if found is not None or subject.lower_ in FIRST_PERSON or subject.pos_ in ("PRON", "PROPN"):
            holder, decided = found, True
        elif subject.lemma_.lower() not in ctx.lexicon.position_nouns and not crossed:
            return None, False  # "any outside contact must serve ...": a demand on something, not a stance
    if not decided:
        holder = Holder(quote.speaker, 1.0) if quote.speaker else None
    return holder, flips % 2 == 1


def _denials(ctx: DocumentContext, tok: Token) -> int:
    """Negations on a word above an issue: "no sign that", "not"; a negated "change its view" keeps the view."""
    if any(c.dep_ == "det" and c.lower_ == "no" for c in tok.children):
        return 1
    if any(c.dep_ == "neg" for c in tok.children):
        return 0 if set(lemmas(tok)) & ctx.lexicon.withdrawal else 1
    return 0


@lru_cache(maxsize=1)
def _speech_verbs() -> frozenset[str]:
    return frozenset(load_speech_lexicon().verbs)


# -- conditions -------------------------------------------------------------------------


def _condition(ctx: DocumentContext, verb: Token, negated: bool) -> str | None:
    """The text of a clause that makes the stance conditional ("unless Assad steps down"), if any."""
    for head in _clause_chain(verb):
        for child in head.children:
            if child.dep_ not in ("advcl", "prep") or child.i < verb.i:
                continue
            text = _marked_clause(ctx, child, negated)
            if text:
                return text
    if negated and verb.dep_ == "conj" and any(c.lower_ == "or" for c in verb.head.children):
        # "We will go as one delegation, or we will not go at all": go only on that term.
        first = verb.head
        end = min((c.i for c in first.children if c.lower_ == "or"), default=first.right_edge.i)
        return verb.doc[first.left_edge.i : end].text.strip(" ,.;:\u201c\u201d\"")
    return None


def _marked_clause(ctx: DocumentContext, clause: Token, negated: bool) -> str | None:
    doc = clause.doc
    left, right = clause.left_edge.i, clause.right_edge.i + 1
    for marker in ctx.lexicon.condition_markers:
        n = len(marker)
        for back in range(n):
            start = left - back
            if start < 0 or tuple(ctx.words[start : start + n]) != marker:
                continue
            after_negation = marker[0] in ctx.lexicon.after_negation
            if after_negation and not negated:
                return None  # "talks until Friday" is no condition; "will not return until ..." is
            # "unless X" reads as the condition X; "until X" and "while X" keep their word.
            body = doc[start + (0 if after_negation else n) : right]
            while len(body) and body[0].dep_ in ("mark", "punct"):
                body = body[1:]
            if len(body) <= int(after_negation) or all(t.ent_type_ in ("DATE", "TIME") or t.is_punct for t in body[int(after_negation):]):
                return None
            return body.text.strip(" ,.;:")
    return None


def _condition_issues(ctx: DocumentContext, verb: Token, holders: list[Holder], condition: str, weight: float) -> list[StanceRecord]:
    """A condition that states an issue ("unless Assad was removed") is also support for that issue."""
    hits = ctx.targets.search(fold(condition), ctx.published)
    found = _unique([_Target(h.id, _CONDITION_ISSUE, h.reverse) for h in hits if h.how == "pattern"])
    return _records(ctx, verb, holders, found, SUPPORT, None, weight)


def _issues_in(ctx: DocumentContext, tok: Token, patterns_only: bool = False) -> list[_Target]:
    text, _ = _folded(ctx, full_phrase(tok))
    hits = ctx.targets.search(text, ctx.published)
    return _unique([_Target(h.id, 0.85, h.reverse) for h in hits if h.how == "pattern" or not patterns_only])


# -- targets ----------------------------------------------------------------------------


def _targets_of(ctx: DocumentContext, tok: Token | None, depth: int = 0, verb: Token | None = None) -> list[_Target]:
    """What a phrase points at: a registered target, an actor, the conference "the talks" means, or a slug.

    Issues the phrase also states as a clause ("a government that did not
    include Assad") come with it.
    """
    if tok is None or depth > 3:
        return []
    if tok.pos_ in ("VERB", "AUX"):
        # A gerund ("demands for releasing the detainees") can only state an issue.
        return _issues_in(ctx, tok) if tok.tag_ == "VBG" and tok.dep_ in ("pobj", "pcomp") else []
    if tok.lower_ in ("it", "this") and tok.dep_ in ("dobj", "nsubjpass"):
        recent = ctx.recent(tok)
        return [_Target(recent, _IMPLICIT_TARGET * _IMPLICIT_TARGET)] if recent else []
    base = _main_target(ctx, tok, depth, verb)
    if base and base[0].id and _is_actor(ctx, base[0].id):
        return base
    stated = _issues_in(ctx, tok, patterns_only=True)
    if not base:
        return stated or _issues_in(ctx, tok)
    if stated and all(b.score <= _SLUG for b in base):
        return stated  # "any arrangement that kept Assad in power" is about Assad, not "arrangement"
    # "talks whose purpose was to keep Assad in place" are still the talks; only what the phrase asks for is added.
    return base + [t for t in stated if t.id not in {b.id for b in base} and not t.reverse]


def _main_target(ctx: DocumentContext, tok: Token, depth: int, verb: Token | None) -> list[_Target]:
    found = ctx.targets.match(core_phrase(tok).text, ctx.published, ctx.prefer)
    if found is None:
        found = ctx.targets.match(head_phrase(tok).text, ctx.published, ctx.prefer)
    if found is not None and found.score >= 1.0:
        return [_Target(found.id, found.score, found.reverse)]
    mention = ctx.mention(tok)
    if mention is not None and (ctx.mention_head(tok) or tok.pos_ == "PROPN"):
        return [_Target(mention.actor, mention.confidence)]
    if found is not None:
        return [_Target(found.id, found.score, found.reverse)]
    lemma = tok.lemma_.lower()
    if lemma in ctx.lexicon.light_nouns or lemma == "success":
        for child in _inner(tok):
            deeper = _targets_of(ctx, child, depth + 1)
            if deeper:
                return deeper
    whole = ctx.targets.match(full_phrase(tok).text, ctx.published, ctx.prefer)
    if whole is not None and whole.how != "pattern":
        return [_Target(whole.id, whole.score * 0.95, whole.reverse)]
    if lemma in ctx.lexicon.target_nouns:
        proposer = _proposer(ctx, tok)
        if proposer:
            return [_Target(slug(f"{proposer} {lemma}"), _PROPOSED)]
    if verb is not None:
        venue = _venue_target(ctx, verb)
        if venue:
            return venue
    meeting = lemma in ctx.targets.meeting_nouns or tok.lower_ in ctx.targets.meeting_nouns
    if is_anaphor(ctx, tok):
        return _salient(ctx, tok, conference=meeting)
    if lemma in ctx.lexicon.target_nouns and not meeting:
        return [_Target(slug(head_phrase(tok).text), _SLUG)]
    return []


def _salient(ctx: DocumentContext, tok: Token, conference: bool) -> list[_Target]:
    salient = ctx.salient(tok, conference)
    return [_Target(salient, _IMPLICIT_TARGET)] if salient else []


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


def _is_actor(ctx: DocumentContext, target_id: str) -> bool:
    return any(m.actor == target_id for m in ctx.mentions)


def _unique(found: list[_Target]) -> list[_Target]:
    seen, kept = set(), []
    for target in found:
        if target.id not in seen:
            seen.add(target.id)
            kept.append(target)
    return kept


# -- negation, hypotheses, dates -------------------------------------------------------------


def _clause_chain(verb: Token) -> list[Token]:
    """The verb and the verbs it is the complement of: "refused" over "to join", "said" over "would not go"."""
    chain = [verb]
    tok = verb
    while tok.dep_ in ("xcomp", "ccomp", "conj", "acl", "advcl") and tok.head.i != tok.i and len(chain) < 5:
        tok = tok.head
        chain.append(tok)
    return chain


def _negated(ctx: DocumentContext, verb: Token) -> bool:
    """Whether a negation or a refusal governs the verb: "did not back", "refused to join", "oppose returning"."""
    count = 0
    tok = verb
    for _ in range(6):
        count += sum(1 for c in tok.children if c.dep_ == "neg" or c.lower_ == "never" and c.dep_ == "advmod")
        if tok.i != verb.i and (tok.lemma_.lower() in ctx.lexicon.refusal or ctx.lexicon.opposes(tok)):
            count += 1
        if tok.dep_ in ("xcomp", "acomp") or tok.dep_ == "acl" and tok.head.lemma_.lower() in ctx.lexicon.refusal:
            tok = tok.head
        elif tok.dep_ in ("dobj", "pcomp") and tok.pos_ == "VERB" and ctx.lexicon.opposes(tok.head):
            tok = tok.head
        elif tok.dep_ == "pcomp" and tok.head.head.lemma_.lower() in ctx.lexicon.refusal:
            tok = tok.head.head
        else:
            break
    return count % 2 == 1


def _hypothetical(verb: Token) -> bool:
    """Whether the verb sits in an "if" clause: "they would lose influence if they skipped the meeting"."""
    tok = verb
    for _ in range(5):
        if tok.dep_ == "advcl" and any(c.dep_ == "mark" and c.lower_ in _HYPOTHETICAL for c in tok.children):
            return True
        if tok.head.i == tok.i or tok.dep_ not in _CLAUSES:
            return False
        tok = tok.head
    return False


def _governing_verb(noun: Token) -> Token | None:
    tok = noun
    for _ in range(4):
        if tok.head.i == tok.i:
            return None
        tok = tok.head
        if tok.pos_ in ("VERB", "AUX"):
            return tok
    return None


def _statement_date(ctx: DocumentContext, cue: Token, planned: bool = False) -> str | None:
    """The date of the statement: on the verb of speech or the cue, else its quote's, else the publication date.

    For taking part (`planned`), a date on the cue itself is the meeting's
    ("attend the talks on Monday"), so only the verbs above it count.
    """
    chain = {t.i for t in cue.ancestors if t.pos_ in ("VERB", "AUX")} | ({cue.i} if not planned else set())
    sent = cue.sent
    best: tuple[int, int, str] | None = None
    for date in ctx.dates:
        if not (sent.start_char <= date.start < sent.end_char):
            continue
        if ctx.published and date.value.split("/")[0] > ctx.published:
            continue
        span = ctx.doc.char_span(date.start, date.end, alignment_mode="expand")
        if span is None or not len(span):
            continue
        tok = span.root
        while tok.pos_ not in ("VERB", "AUX") and tok.head.i != tok.i:
            tok = tok.head
        if tok.i in chain:
            rank = (0 if tok.lemma_.lower() in _speech_verbs() else 1, abs(span.root.i - cue.i), date.value)
            best = rank if best is None or rank < best else best
    if best is not None:
        return best[2]
    quote = ctx.quote(cue)
    if quote is not None and quote.date:
        return quote.date
    return ctx.published


# -- records ---------------------------------------------------------------------------------


def _records(
    ctx: DocumentContext,
    cue: Token,
    holders: list[Holder],
    found: list[_Target],
    polarity: str,
    condition: str | None,
    weight: float,
    planned: bool = False,
) -> list[StanceRecord]:
    if not holders or not found:
        return []
    date = _statement_date(ctx, cue, planned)
    records = []
    for holder in holders:
        for target in found:
            if target.id == holder.actor:
                continue
            final = polarity
            if target.reverse and polarity != CONDITION:
                final = SUPPORT if polarity == OPPOSE else OPPOSE
            confidence = weight * holder.score * target.score
            records.append(_record(cue.sent, holder.actor, target.id, final, condition, date, confidence))
    return records


def _record(sent: Span, actor: str, target: str, polarity: str, condition: str | None, date: str | None, confidence: float) -> StanceRecord:
    text = sent.text
    start = sent.start_char + (len(text) - len(text.lstrip()))
    end = sent.start_char + len(text.rstrip())
    return StanceRecord(start, end, actor, target, polarity, condition, date, round(min(confidence, 1.0), 3))


def _dedupe(found: list[StanceRecord]) -> list[StanceRecord]:
    """One stance per actor, target and sentence: a condition beats a bare stance, then confidence."""
    best: dict[tuple[str, str, int], StanceRecord] = {}
    for record in found:
        key = (record.actor, record.target, record.start)
        old = best.get(key)
        if old is None or _rank(record) > _rank(old):
            best[key] = record
    return sorted(best.values(), key=lambda r: (r.start, r.actor, r.target))


def _rank(record: StanceRecord) -> tuple[int, float]:
    return (record.polarity == CONDITION, record.confidence)
