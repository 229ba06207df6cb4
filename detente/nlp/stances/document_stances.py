"""Stances: who is for, against, or conditionally for which initiative, conference, issue or actor.

Two readings of each document, both on the parse the caller already made:

- **Cues** (`detente/nlp/stances/stance_patterns.yaml`): a verb or noun that states a
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

from spacy.tokens import Doc, Token

from detente.nlp.actors.document_actors import DocumentActors
from detente.nlp.dates.expressions import TimeExpression
from detente.nlp.actors.identity import fold
from detente.nlp.records import QuoteRecord, StanceRecord
from detente.nlp.stances.clauses import clause_chain, condition_text, governing_verb, is_hypothetical, is_negated, statement_date
from detente.nlp.stances.context import DocumentContext, record_at
from detente.nlp.stances.holders import Holder, agents, conjuncts, owner, speaker
from detente.nlp.stances.objects import (
    IMPLICIT_TARGET,
    SLUG,
    Target,
    for_clause,
    is_actor,
    issues_in,
    salient_targets,
    targets_of,
    unique,
    venue_target,
)
from detente.nlp.stances.patterns import (
    CONDITION,
    OPPOSE,
    PARTICIPATE,
    SUPPORT,
    CueMatch,
    StanceLexicon,
    lemmas,
    load_lexicon,
)
from detente.nlp.stances.quoted_issues import quote_stances
from detente.nlp.stances.targets import TargetRegistry

NEGOTIATIONS = "negotiations"  # the target of "will not negotiate unless ..." when no talks are named

# How much confidence survives each kind of indirect evidence.
_NEGATED_SUPPORT = 0.8
_CONDITION_ISSUE = 0.8
_THREAT = 0.7
_JUDGED = 0.75


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
    found += quote_stances(ctx, found)
    return _dedupe(found)


def _verb_stances(ctx: DocumentContext, verb: Token) -> list[StanceRecord]:
    cues = ctx.lexicon.cues_at(verb)
    forms = set(lemmas(verb))
    naming = bool(forms & ctx.lexicon.naming)
    if not cues or naming and any(c.dep_ == "oprd" for c in verb.children):
        return _judgements(ctx, verb) if naming or forms & ctx.lexicon.judging else []
    match = cues[0]
    cue = match.cue
    if is_hypothetical(verb) or ctx.mention(verb) is not None:
        return []
    if cue.polarity == PARTICIPATE and any(c.dep_ == "xcomp" for c in verb.children):
        return []  # "going to happen", "came to believe": not taking part in anything
    negated = is_negated(ctx, verb)
    condition = condition_text(ctx, verb, negated)
    obj = _object(match)
    found = targets_of(ctx, obj, verb=verb) if obj is not None else []
    if not found or all(is_actor(ctx, t.id) for t in found):
        # "criticized outside powers for pouring weapons into Syria": the stance is on what they did.
        found = for_clause(ctx, verb) or found
    if cue.polarity == PARTICIPATE:
        if cue.weak and not (negated or condition):
            return []  # "came to Geneva", "went to Moscow": travel, not a position
        found = _meeting(ctx, match, obj, found, condition)
        negated = negated != cue.inverted
    polarity = _polarity(cue.polarity, negated, condition)
    if not found or polarity is None:
        return []
    holders = agents(ctx, verb)
    weight = cue.weight * (_NEGATED_SUPPORT if negated and cue.polarity == SUPPORT else 1.0)
    if any(t.lemma_.lower() == "threaten" for t in clause_chain(verb)[1:]):
        weight *= _THREAT  # "threatened to stay away" is leverage, not yet a position
    records = _records(ctx, verb, holders, found, polarity, condition, weight, planned=cue.polarity == PARTICIPATE)
    if condition:
        records += _condition_issues(ctx, verb, holders, condition, weight)
    return records


def _meeting(ctx: DocumentContext, match: CueMatch, obj: Token | None, found: list[Target], condition: str | None) -> list[Target]:
    """What one takes part in: a registered meeting named, placed ("travel to Moscow") or last mentioned.

    One hosts or attends a meeting, not an actor, and an unregistered "meeting"
    says nothing. A hosting cue ("convene") needs its meeting named.
    """
    found = [t for t in found if not is_actor(ctx, t.id) and t.id in ctx.targets]
    if match.cue.explicit:
        return found if obj is not None and found and found[0].score > IMPLICIT_TARGET else []
    if not found:
        found = venue_target(ctx, match.verb)
    if not found and obj is None:
        found = salient_targets(ctx, match.verb, conference=True)
    if not found and condition:
        # "will not negotiate unless Assad leaves" with no talks named: a condition on negotiating at all.
        found = [Target(NEGOTIATIONS, SLUG)]
    return found


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


def _judgements(ctx: DocumentContext, verb: Token) -> list[StanceRecord]:
    """ "hoped the Moscow meeting would prove useful", "said the plan was ambiguous", "called the meeting promising".

    A judged clause with a condition ("said the agreement would mean little
    unless ...") is a condition on its subject. A naming verb may judge an
    actor ("consider Jaysh al-Islam to be terrorists"); other judgements are
    about targets only ("said Russia would help" is about Russia's conduct).
    """
    if is_negated(ctx, verb) or is_hypothetical(verb):
        return []
    forms = set(lemmas(verb))
    naming = bool(forms & ctx.lexicon.naming)
    for clause in verb.children:
        subject, words = _judged(verb, clause, naming, bool(forms & ctx.lexicon.judging))
        if subject is None or subject.pos_ == "PRON" or ctx.mention(subject) is not None and not naming:
            continue
        condition = condition_text(ctx, clause, False) if clause.dep_ == "ccomp" else None
        said = {t.lemma_.lower() for t in words} | {t.lower_ for t in words}
        good, bad = said & ctx.lexicon.good, said & ctx.lexicon.bad
        if not condition and bool(good) == bool(bad):
            continue
        polarity = CONDITION if condition else SUPPORT if good else OPPOSE
        if not condition and any(c.dep_ == "neg" for c in clause.children):
            polarity = OPPOSE if polarity == SUPPORT else SUPPORT
        found: list[Target] = []
        for part in (subject, *conjuncts(subject)):
            found += [t for t in targets_of(ctx, part) if naming or not is_actor(ctx, t.id)]
        if naming:
            found += _named_actors(ctx, clause, subject)
        return _records(ctx, verb, agents(ctx, verb), unique(found), polarity, condition, _JUDGED)
    return []


def _named_actors(ctx: DocumentContext, clause: Token, subject: Token) -> list[Target]:
    """Every actor a naming clause names as its subject: "consider Jaysh al-Islam and Ahrar al-Sham to be ..."."""
    if clause.i == subject.i:
        return []
    first = min(c.left_edge.i for c in clause.children if c.dep_ in ("nsubj", "nsubjpass", "appos"))
    found = []
    for tok in clause.doc[first : clause.i]:
        mention = ctx.mention(tok)
        if mention is not None and tok.dep_ != "poss":
            found.append(Target(mention.actor, mention.confidence))
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
    governor = governing_verb(noun)
    if governor is not None and is_hypothetical(governor):
        return []
    found: list[Target] = []
    for child in noun.children:
        if child.dep_ == "prep" and child.lower_ in ctx.lexicon.target_preps:
            if child.lower_ == "of" and polarity == SUPPORT:
                continue  # "the support of Saif" names the supporter
            obj = next((c for c in child.children if c.dep_ in ("pobj", "pcomp")), None)
            if obj is not None:
                found = targets_of(ctx, obj)
                break
        elif child.dep_ in ("acl", "ccomp", "relcl") and polarity == SUPPORT:
            found = issues_in(ctx, child)
            if found:
                break
    if not found and noun.dep_ == "nsubj" and noun.head.lemma_ == "be":
        attr = next((c for c in noun.head.children if c.dep_ == "attr"), None)
        found = targets_of(ctx, attr) if attr is not None else []
    if not found and governor is not None and governor.lemma_ == "give":
        other = next((c for c in governor.children if c.dep_ in ("dative", "dobj") and c.i != noun.i), None)
        found = targets_of(ctx, other) if other is not None else []
    if not found and noun.lemma_.lower() in ctx.lexicon.implicit_nouns and not any(c.dep_ in ("acl", "prep") for c in noun.children):
        found = salient_targets(ctx, noun, conference=True)
    if not found:
        return []
    negated = governor is not None and is_negated(ctx, governor)
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
    if not is_negated(ctx, verb):
        return []
    prep = next((c for c in noun.children if c.dep_ == "prep" and c.lower_ == "for"), None)
    obj = next((c for c in prep.children if c.dep_ == "pobj"), None) if prep is not None else None
    found = targets_of(ctx, obj) if obj is not None else []
    if not found:
        return []
    holders = agents(ctx, verb) if noun.dep_ == "dobj" else speaker(ctx, verb)
    return _records(ctx, noun, holders, found, OPPOSE, None, 0.7)


def _condition_issues(ctx: DocumentContext, verb: Token, holders: list[Holder], condition: str, weight: float) -> list[StanceRecord]:
    """A condition that states an issue ("unless Assad was removed") is also support for that issue."""
    hits = ctx.targets.search(fold(condition), ctx.published)
    found = unique([Target(h.id, _CONDITION_ISSUE, h.reverse) for h in hits if h.how == "pattern"])
    return _records(ctx, verb, holders, found, SUPPORT, None, weight)


def _records(
    ctx: DocumentContext,
    cue: Token,
    holders: list[Holder],
    found: list[Target],
    polarity: str,
    condition: str | None,
    weight: float,
    planned: bool = False,
) -> list[StanceRecord]:
    if not holders or not found:
        return []
    date = statement_date(ctx, cue, planned)
    records = []
    for holder in holders:
        for target in found:
            if target.id == holder.actor:
                continue
            final = polarity
            if target.reverse and polarity != CONDITION:
                final = SUPPORT if polarity == OPPOSE else OPPOSE
            confidence = weight * holder.score * target.score
            records.append(record_at(cue.sent, holder.actor, target.id, final, condition, date, confidence))
    return records


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
