"""Stances: who is for, against, or conditionally for which deal, talks, plan, policy, issue or actor.

The readings of each document, all on the parse the caller already made:

- **Cues** (`detente/nlp/stances/stance_patterns.yaml`): a verb, noun or
  adjective that states a stance ("backed", "refused to join", "voiced
  support for", "his refusal", "was ready to comply"), its holder (see
  holders.py: subjects, "Russia, which backs ...", pronouns, the speaker the
  quote finder gave the words) and its target (objects.py): a registered
  target, an actor, or what the report names itself ("the Pretoria
  agreement", and "the deal" after it; see open_targets.py). A verb whose
  target is a clause ("wants to amend the constitution", "urged both sides to
  seek a settlement", "agreed to extend it") is about the policy the clause
  does or what it seeks; wanting a measure ended ("sanctions lifted") also
  opposes the measure.
- **Polarity**: negation and refusal flip support to opposition; failing to
  press someone is no stance; an obligation ("must be implemented") is
  support, a fear ("may fail") none.
- **Conditions**: a clause opened by "unless", "if", "only if", "as long
  as", "on condition that" (or "until"/"before" after a refusal), a demand
  set before a target ("demands X before any talks"), terms asked of the
  target at hand ("needed clear guarantees"), terms set for it ("wants any
  truce to cover the whole country"), or a precondition named as such ("X, a
  key rebel precondition for the talks"), with the condition's words.
- **Judgements**: "hoped the meeting would prove useful", "said the deal was
  the best possible solution", and a speaker's own sentence judging a target
  inside a direct quote ("This agreement will open a new period of
  stability").
- **Quotes**: a speaker's words that state an issue ("Assad would still have
  to go") are that speaker's support for the issue, or the support of the
  actor the words say holds it, and the speaker's opposition when the words
  call the decision a fault ("the US made a mistake by deciding that Assad had
  to go"); words stating its reverse ("keeping Assad in place") are
  opposition to it.

How the assad-departure issue maps (support = wants Assad out): "Assad had to
go" and "would not accept any arrangement that kept Assad in power" are
support; "backed away from the position that Assad had to step down" is
opposition (a withdrawn position reads as opposition on that date, so the
actor's series shows the shift); "would not negotiate unless Assad was
removed" is a *condition* on the negotiations (the conference they are about),
with the clause as condition text, and, because the clause itself states the
issue, also support for assad-departure.

A stance's span is the clause that states it (with the verb of speech above
it; a relative clause with the actor it describes). Its date is that of its
statement: a date on the verb of speech ("said on Wednesday") or on the cue,
else the date of the quote it sits in, else the document's publication date.
Dates after publication are plans, not statements, and are skipped. One
statement gives one stance per actor, target and sentence.
"""

from __future__ import annotations

from spacy.tokens import Doc, Token

from detente.nlp.actors.document_actors import DocumentActors
from detente.nlp.dates.expressions import TimeExpression
from detente.nlp.actors.identity import fold
from detente.nlp.records import QuoteRecord, StanceRecord
from detente.nlp.stances.clauses import (
    marked_clause,
    speech_verbs,
    clause_chain,
    condition_text,
    governing_verb,
    is_hypothetical,
    is_negated,
    statement_date,
    stating_span,
)
from detente.nlp.stances.context import DocumentContext, core_phrase, record_at
from detente.nlp.stances.holders import Holder, actor_of, agents, conjuncts, owner, speaker
from detente.nlp.stances.objects import (
    IMPLICIT_TARGET,
    SLUG,
    Target,
    clause_object,
    clause_targets,
    named_by_words,
    complement,
    cue_object,
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
from detente.nlp.token_table import children_of

NEGOTIATIONS = "negotiations"  # the target of "will not negotiate unless ..." when no talks are named

# How much confidence survives each kind of indirect evidence.
_NEGATED_SUPPORT = 0.8
_CONDITION_ISSUE = 0.8
_THREAT = 0.7
_JUDGED = 0.75
_HEDGES = frozenset({"may", "might", "could"})


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
    names = {actor_id: record.name for actor_id, record in actors.actors.items()}
    ctx = DocumentContext.build(doc, lexicon or load_lexicon(), targets, published, dates, actors.mentions, quotes, names)
    found: list[StanceRecord] = []
    for tok in doc:
        if tok.pos_ in ("VERB", "AUX"):
            found += _before(ctx, tok) or _verb_stances(ctx, tok) or _terms(ctx, tok)
        elif tok.pos_ in ("NOUN", "PROPN"):
            found += _noun_stances(ctx, tok)
        elif tok.pos_ == "ADJ" and tok.lower_ in ctx.lexicon.readiness:
            found += _readiness(ctx, tok)
    found += quoted_judgements(ctx)
    found += quote_stances(ctx, found)
    return _dedupe(ctx, _without_echoes(ctx, found))


def _without_echoes(ctx: DocumentContext, found: list[StanceRecord]) -> list[StanceRecord]:
    """ "his refusal was a blow": a stance the report already gave, told again; kept only when it was not."""
    echoes = {id(r) for r in ctx.echoes}
    stated = [r for r in found if id(r) not in echoes]
    told = [r for r in found if id(r) in echoes and not any(
        s.actor == r.actor and s.target == r.target and s.polarity == r.polarity and s.start < r.start for s in stated)]
    return stated + told


def _verb_stances(ctx: DocumentContext, verb: Token) -> list[StanceRecord]:
    cues = ctx.lexicon.cues_at(verb)
    forms = set(lemmas(verb))
    naming = bool(forms & ctx.lexicon.naming)
    judging = bool(forms & ctx.lexicon.judging)
    if not cues or naming and any(c.dep_ == "oprd" for c in children_of(verb)):
        return _judgements(ctx, verb) if naming or judging else []
    match = cues[0]
    cue = match.cue
    if cue.clausal and judging and any(c.dep_ == "ccomp" for c in children_of(verb)) and complement(verb) is None:
        return _judgements(ctx, verb)  # "hoped it would be implemented": a judged clause, not a clause of doing
    if is_hypothetical(verb) or ctx.mention(verb) is not None:
        return []
    if cue.polarity == PARTICIPATE and any(c.dep_ == "xcomp" for c in children_of(verb)):
        return []  # "going to happen", "came to believe": not taking part in anything
    negated = is_negated(ctx, verb)
    condition = condition_text(ctx, verb, negated)
    obj = cue_object(match)
    clausal = any(c.cue.clausal for c in cues)
    if cue.clausal and not cue.urging and obj is not None and not cue.words and _clausal_only(ctx, verb):
        obj = None  # "agreed a deal" is read by its own cue; a bare "agree" only through its clause
    found = targets_of(ctx, obj, verb=verb) if obj is not None else []
    if not condition and obj is not None:
        # "will join the talks on condition that the port is reopened": the condition hangs on the talks
        condition = next((t for c in children_of(obj) if c.dep_ in ("prep", "acl", "relcl") and c.i > obj.i
                          for t in [marked_clause(ctx, c, negated)] if t), None)
    if cue.no_actor:
        found = [t for t in found if not is_actor(ctx, t.id)]
    if not condition and obj is not None and obj.pos_ in ("VERB", "AUX"):
        condition = condition_text(ctx, obj, negated)  # "reach an agreement on reviving the accord if ..."
    if not found or all(is_actor(ctx, t.id) for t in found):
        # "criticized outside powers for pouring weapons into Syria": the stance is on what they did.
        found = for_clause(ctx, verb) or found
    if not found and (clausal or obj is None) and cue.polarity != PARTICIPATE:
        inner = complement(verb)
        demanded = _demanded(ctx, inner) if inner is not None and clausal and not cue.urging else None
        if demanded is not None:
            found, terms = demanded
            condition = condition or terms
        elif inner is not None:
            found = clause_targets(ctx, inner, through_cues=cue.urging)
        if inner is not None and not condition:
            condition = condition_text(ctx, inner, negated)  # "threatens to impose sanctions if ..."
    if obj is not None and cue.polarity == SUPPORT and not negated and _asks_terms(ctx, obj):
        # "initialled the accord but is demanding concessions": terms set on the target at hand.
        found = salient_targets(ctx, verb, conference=False)
        condition = condition or core_phrase(obj).text
    if not found and obj is None and complement(verb) is None and set(lemmas(verb)) & ctx.lexicon.obligation_verbs:
        # "refused to sign": the deal at hand; "will not attend": the talks at hand
        talks = cue.polarity == PARTICIPATE
        found = salient_targets(ctx, verb, conference=talks, kind=None if talks else "agreement")
    if cue.lemma in ctx.lexicon.receiving:
        found = [t for t in found if not is_actor(ctx, t.id) or ctx.kind_of(t.id) != "person"]  # "will welcome Putin" hosts him
    if cue.polarity == PARTICIPATE:
        if cue.weak and not (negated or condition):
            return []  # "came to Geneva", "went to Moscow": travel, not a position
        found = _meeting(ctx, match, obj, found, condition)
        negated = negated != cue.inverted
    polarity = _polarity(cue.polarity, negated, condition)
    if not found or polarity is None or cue.urging and negated:
        return []  # "could not persuade them to ..." failed to press; it does not oppose
    holders = agents(ctx, verb)
    weight = cue.weight * (_NEGATED_SUPPORT if negated and cue.polarity == SUPPORT else 1.0)
    if any(t.lemma_.lower() == "threaten" for t in clause_chain(verb)[1:]):
        weight *= _THREAT  # "threatened to stay away" is leverage, not yet a position
    records = _records(ctx, verb, holders, found, polarity, condition, weight, planned=cue.polarity == PARTICIPATE)
    if condition:
        records += _condition_issues(ctx, verb, holders, condition, weight)
    return records


def _before(ctx: DocumentContext, verb: Token) -> list[StanceRecord]:
    """ "demands the release of its fighters before any talks": a condition on the talks, and support for the demand."""
    if verb.lemma_.lower() not in ctx.lexicon.terms_verbs or is_hypothetical(verb) or is_negated(ctx, verb):
        return []
    demand = next((c for c in children_of(verb) if c.dep_ in ("dobj", "ccomp", "xcomp")), None)
    if demand is None:
        return []
    # "before any talks" hangs on the verb, or on what is demanded ("the release ... before any talks")
    before = next((c for c in (*children_of(verb), *children_of(demand)) if c.dep_ in ("prep", "advcl")
                   and c.i > demand.i and ctx.words[c.left_edge.i] == "before"), None)
    if before is None:
        return []
    if before.dep_ == "prep":
        later = next((c for c in children_of(before) if c.dep_ in ("pobj", "pcomp")), None)
    else:
        later = next((c for c in children_of(before) if c.dep_ in ("nsubj", "nsubjpass")), None)
    found = [t for t in targets_of(ctx, later) if not is_actor(ctx, t.id)] if later is not None else []
    if not found:
        return []
    holders = agents(ctx, verb)
    end = before.left_edge.i if demand.left_edge.i < before.left_edge.i <= demand.right_edge.i else demand.right_edge.i + 1
    start = demand.left_edge.i + (1 if ctx.words[demand.left_edge.i] == "that" else 0)
    condition = ctx.doc[start:end].text.strip(" ,.;:")
    records = _records(ctx, verb, holders, found, CONDITION, condition, 0.75)
    demanded = [t for t in targets_of(ctx, demand) if not is_actor(ctx, t.id)] if demand.pos_ != "VERB" else clause_targets(ctx, demand)
    return records + _records(ctx, verb, holders, demanded, SUPPORT, None, 0.7)


def _terms(ctx: DocumentContext, verb: Token) -> list[StanceRecord]:
    """ "needed clear guarantees", "wanted guarantees, not promises": terms that make a condition on the target at hand."""
    if verb.lemma_.lower() not in ctx.lexicon.terms_verbs or is_hypothetical(verb) or is_negated(ctx, verb):
        return []
    objects = [c for c in children_of(verb) if c.dep_ == "dobj"]
    # A misread clause ("wanted "guarantees, not promises" that ...") still has the terms as its subject.
    objects += [s for c in children_of(verb) if c.dep_ == "ccomp" for s in children_of(c) if s.dep_ == "nsubj"]
    obj = next((c for c in objects if _asks_terms(ctx, c)), None)
    if obj is None:
        return []
    recent = ctx.recent(verb)
    found = [Target(recent, IMPLICIT_TARGET, name=ctx.target_name(recent))] if recent else salient_targets(ctx, verb, conference=False)
    return _records(ctx, verb, agents(ctx, verb), found, CONDITION, core_phrase(obj).text.strip(" \"'\u201c\u201d"), 0.7)


def _readiness(ctx: DocumentContext, adj: Token) -> list[StanceRecord]:
    """ "Damascus was ready to comply", "is unwilling to sign it": readiness is support for what one is ready to do."""
    clause = next((c for c in children_of(adj) if c.dep_ == "xcomp"), None)
    copula = adj.head if adj.dep_ in ("acomp", "amod") else None
    if clause is None or copula is None or is_hypothetical(copula) or copula.head.pos_ in ("NOUN", "PROPN"):
        return []  # "no sign that it is prepared to ...": what is denied is read with the issue
    found = clause_targets(ctx, clause, through_cues=True)
    cues = ctx.lexicon.cues_at(clause)
    if not found and not clause_object(clause) and set(lemmas(clause)) & ctx.lexicon.obligation_verbs | {c.cue.lemma for c in cues}:
        found = salient_targets(ctx, clause, conference=False)
    negated = is_negated(ctx, copula) != (adj.lower_ in ctx.lexicon.refusal)
    condition = condition_text(ctx, clause, negated) or condition_text(ctx, copula, negated)
    polarity = _polarity(SUPPORT, negated, condition)
    return _records(ctx, adj, agents(ctx, copula), found, polarity, condition, ctx.lexicon.readiness[adj.lower_])


def _asks_terms(ctx: DocumentContext, obj: Token) -> bool:
    return obj.lemma_.lower() in ctx.lexicon.condition_objects or obj.lower_ in ctx.lexicon.condition_objects


def _demanded(ctx: DocumentContext, clause: Token) -> tuple[list[Target], str | None] | None:
    """ "wants any truce to cover the whole country": terms set for a target are a condition on it.

    Wanting the target to do well ("wants the talks to succeed") is plain
    support; wanting something done to it ("wants the truce extended") is a
    policy, read as a clause of doing.
    """
    subject = next((c for c in children_of(clause) if c.dep_ == "nsubj"), None)
    if subject is None or clause.tag_ == "VBN" or clause.lemma_.lower() in ctx.lexicon.reversal:
        return None
    found = [t for t in targets_of(ctx, subject) if not is_actor(ctx, t.id)]
    if not found:
        return None
    inside = range(subject.left_edge.i, subject.right_edge.i + 1)
    said = [t for t in clause.subtree if t.i not in inside]
    good, bad = _tone(ctx, said)
    if good and not bad:
        return found, None
    terms = ctx.doc[subject.right_edge.i + 1 : clause.right_edge.i + 1].text.strip(" ,.;:")
    return found, terms or None


def _clausal_only(ctx: DocumentContext, verb: Token) -> bool:
    """Whether a verb is a cue only for the clause it governs ("agree", "hope"), not for an object."""
    return all(c.cue.clausal for c in ctx.lexicon.cues_at(verb))


def _meeting(ctx: DocumentContext, match: CueMatch, obj: Token | None, found: list[Target], condition: str | None) -> list[Target]:
    """What one takes part in: a meeting named, placed ("travel to Moscow") or last mentioned.

    One hosts or attends a meeting (registered, or talks the report names), not
    an actor or a plan. A hosting cue ("convene") needs its meeting named.
    """
    found = [t for t in found if not is_actor(ctx, t.id) and (t.id in ctx.targets or ctx.open_kind(t.id) == "talks")]
    if match.cue.explicit:
        named = found and (found[0].score > IMPLICIT_TARGET or found[0].id not in ctx.targets)
        return found if obj is not None and named else []
    if not found:
        found = venue_target(ctx, match.verb)
    if not found and obj is None:
        found = salient_targets(ctx, match.verb, conference=True)
    if not found and condition:
        # "will not negotiate unless Assad leaves" with no talks named: a condition on negotiating at all.
        found = [Target(NEGOTIATIONS, SLUG, name="negotiations")]
    return found


def _polarity(kind: str, negated: bool, condition: str | None) -> str | None:
    if condition:
        return CONDITION
    if kind == OPPOSE:
        return None if negated else OPPOSE  # "careful not to dismiss" is no stance we can name
    return OPPOSE if negated else SUPPORT


def _judgements(ctx: DocumentContext, verb: Token) -> list[StanceRecord]:
    """ "hoped the Moscow meeting would prove useful", "said the plan was ambiguous", "called the meeting promising".

    A judged clause with a condition ("said the agreement would mean little
    unless ...") is a condition on its subject. A naming verb may judge an
    actor ("consider Jaysh al-Islam to be terrorists"); other judgements are
    about targets only ("said Russia would help" is about Russia's conduct).
    Hoping is support on its own ("hoped it would be implemented"), and so is
    saying a target must be implemented.
    """
    if is_negated(ctx, verb) or is_hypothetical(verb):
        return []
    forms = set(lemmas(verb))
    naming = bool(forms & ctx.lexicon.naming)
    desire = bool(forms & ctx.lexicon.desire)
    records: list[StanceRecord] = []
    clauses = [c for child in children_of(verb) for c in (child, *(conjuncts(child) if child.dep_ == "ccomp" else ()))]
    for clause in clauses:
        subject, words = _judged(verb, clause, naming, bool(forms & ctx.lexicon.judging))
        if subject is None or _states_own(ctx, clause):
            continue  # "said it had agreed to the truce": the cue "agree" states that stance
        if clause.dep_ == "conj" and subject.pos_ == "PRON":
            continue  # "This is not the end and it is not ...": "it" goes on about the first subject
        found = judged_targets(ctx, subject, naming)
        if not found:
            continue
        verdict = _verdict(ctx, clause, words, desire)
        if verdict is None:
            continue
        polarity, condition = verdict
        if naming:
            found = unique(found + _named_actors(ctx, clause, subject))
        records += _records(ctx, verb, agents(ctx, verb), found, polarity, condition, _JUDGED)
        if naming:
            break  # "called the meeting a sham": one judged object
    return records


def _states_own(ctx: DocumentContext, clause: Token) -> bool:
    """Whether a clause's verb is a cue that states its own stance ("had agreed to the truce", "wants to go")."""
    if clause.pos_ not in ("VERB", "AUX"):
        return False
    cues = ctx.lexicon.cues_at(clause)
    if any(c.dep_ == "auxpass" for c in children_of(clause)) and not any(c.dep_ == "agent" for c in children_of(clause)):
        return False  # "hoped it would be implemented": nobody in the clause holds it; the one who hopes does
    return any(not c.cue.clausal for c in cues) or bool(cues) and complement(clause) is not None


def judged_targets(ctx: DocumentContext, subject: Token, naming: bool = False) -> list[Target]:
    """What a judged clause is about: its subject as a target ("the plan"), "it" for the target named just before.

    "This is not the end" judges an occasion, not a target, so "this" and "that" alone judge nothing.
    """
    if subject.pos_ in ("PRON", "DET") and subject.lower_ != "it":
        return []
    if ctx.mention(subject) is not None and not naming and not ctx.names_target(subject):
        return []
    found: list[Target] = []
    for part in (subject, *conjuncts(subject)):
        found += [t for t in targets_of(ctx, part) if naming or not is_actor(ctx, t.id)]
    return unique(found)


def _verdict(ctx: DocumentContext, clause: Token, words: list[Token], desire: bool) -> tuple[str, str | None] | None:
    """Support, opposition or a condition from the words said of a target, or None when they say neither."""
    condition = condition_text(ctx, clause, False) if clause.dep_ in ("ccomp", "ROOT") else None
    good, bad = _tone(ctx, words)
    negated = any(c.dep_ == "neg" for c in children_of(clause))
    if bad and not good and any(c.dep_ == "aux" and c.lower_ in _HEDGES for c in children_of(clause)):
        return None  # "it may fail" fears, it does not oppose
    if _obliged(ctx, clause):
        good = True  # "the agreement must be implemented"
    elif _required(ctx, clause) and not condition:
        # "any process must be based on the Geneva communique": terms set on the target
        subject = next((c for c in children_of(clause) if c.dep_ in ("nsubj", "nsubjpass")), None)
        if subject is not None:
            terms = ctx.doc[subject.right_edge.i + 1 : clause.right_edge.i + 1].text.strip(" ,.;:\"\u201c\u201d")
            return (CONDITION, terms) if terms else None
    if desire and not bad and not negated:
        good = True  # "hoped it would be implemented"
    if not condition and good == bad:
        return None
    polarity = CONDITION if condition else SUPPORT if good else OPPOSE
    if not condition and negated:
        polarity = OPPOSE if polarity == SUPPORT else SUPPORT
    return polarity, condition


def _tone(ctx: DocumentContext, words: list[Token]) -> tuple[bool, bool]:
    """Whether the words say something good and something bad of a target; "no legitimacy" is bad."""
    good = bad = False
    for tok in words:
        forms = {tok.lemma_.lower(), tok.lower_}
        denied = any(c.dep_ == "det" and c.lower_ == "no" for c in children_of(tok))
        if forms & ctx.lexicon.good:
            bad, good = (True, good) if denied else (bad, True)
        elif forms & ctx.lexicon.bad:
            good, bad = (True, bad) if denied else (good, True)
    return good, bad


def _required(ctx: DocumentContext, clause: Token) -> bool:
    """ "must be based on", "should include": a requirement on a target, not its carrying out."""
    modal = any(c.dep_ == "aux" and c.lower_ in ("must", "should") for c in children_of(clause))
    return modal and not set(lemmas(clause)) & ctx.lexicon.obligation_verbs and not any(c.dep_ == "neg" for c in children_of(clause))


def _obliged(ctx: DocumentContext, clause: Token) -> bool:
    """ "must be implemented", "should be respected": an obligation to carry a target out."""
    modal = any(c.dep_ == "aux" and c.lower_ in ctx.lexicon.obligation_modals for c in children_of(clause))
    return modal and bool(set(lemmas(clause)) & ctx.lexicon.obligation_verbs) and not any(c.dep_ == "neg" for c in children_of(clause))


def quoted_judgements(ctx: DocumentContext) -> list[StanceRecord]:
    """A speaker's own sentence judging a target: "This agreement will open a new period of stability."

    Only sentences inside a direct quote whose main verb is neither speech
    (read by `_judgements`) nor a stance cue (read by the cues) count; the
    holders are the quote's speakers.
    """
    records: list[StanceRecord] = []
    done: set[int] = set()
    for quote in ctx.quotes:
        if quote.kind != "direct" or not quote.speaker:
            continue
        span = ctx.doc.char_span(quote.start, quote.end, alignment_mode="expand")
        if span is None:
            continue
        for sent in span.sents:
            root = sent.root
            if root.i in done or ctx.quote(root) is None or ctx.quote(root).start != quote.start:
                continue
            done.add(root.i)
            if set(lemmas(root)) & speech_verbs() or ctx.lexicon.cues_at(root) or is_hypothetical(root):
                continue
            subject = next((c for c in children_of(root) if c.dep_ in ("nsubj", "nsubjpass")), None)
            if subject is None or subject.pos_ in ("PRON", "DET"):
                continue  # "This is not the end": what "this" is, the quote does not say
            found = judged_targets(ctx, subject)
            inside = range(subject.left_edge.i, subject.right_edge.i + 1)
            verdict = _verdict(ctx, root, [t for t in root.subtree if t.i not in inside], False) if found else None
            if verdict is None:
                continue
            holders = [Holder(actor, 1.0) for actor in ctx.speakers(quote)]
            records += _records(ctx, root, holders, found, verdict[0], verdict[1], _JUDGED * quote.confidence)
    return records


def _named_actors(ctx: DocumentContext, clause: Token, subject: Token) -> list[Target]:
    """Every actor a naming clause names as its subject: "consider Jaysh al-Islam and Ahrar al-Sham to be ..."."""
    if clause.i == subject.i:
        return []
    first = min(c.left_edge.i for c in children_of(clause) if c.dep_ in ("nsubj", "nsubjpass", "appos"))
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
        objects = sorted((c for c in children_of(verb) if c.dep_ in ("dobj", "oprd")), key=lambda c: c.i)
        if clause.i != objects[0].i:
            return None, []
        judged = objects[1:] + [c for c in children_of(verb) if c.dep_ in ("xcomp", "acomp") or c.dep_ == "prep" and c.lower_ == "as"]
        return clause, [t for j in judged for t in j.subtree]
    if (clause.dep_ in ("ccomp", "xcomp") or clause.dep_ == "conj" and clause.head.dep_ == "ccomp") and (judging or naming):
        subject = next((c for c in children_of(clause) if c.dep_ in ("nsubj", "nsubjpass")), None)
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
        return _unmet_conditions(ctx, noun) or _precondition(ctx, noun)
    return []


def _precondition(ctx: DocumentContext, noun: Token) -> list[StanceRecord]:
    """ "the release of the fighters, a key rebel precondition for the talks": a condition on the talks.

    The condition is what the noun is said of (the phrase it stands beside, or
    the subject of "was"); the holder is its owner ("rebel", "their") or the one
    who makes it so ("made X a precondition for Y").
    """
    prep = next((c for c in children_of(noun) if c.dep_ == "prep" and c.lower_ in ("for", "to", "of")), None)
    obj = next((c for c in children_of(prep) if c.dep_ == "pobj"), None) if prep is not None else None
    found = [t for t in targets_of(ctx, obj) if not is_actor(ctx, t.id)] if obj is not None else []
    if not found:
        return []
    if noun.dep_ == "appos":
        said_of = noun.head
    elif noun.dep_ in ("attr", "oprd"):
        said_of = next((c for c in children_of(noun.head) if c.dep_ in ("nsubj", "dobj") and c.i != noun.i), None)
    else:
        return []
    if said_of is None or said_of.pos_ == "PRON":
        return []
    skip = range(noun.left_edge.i, noun.right_edge.i + 1)
    words = [t for t in said_of.subtree if t.i not in skip and not (t.is_punct and t.i > said_of.i and t.i >= noun.left_edge.i - 1)]
    condition = ctx.doc[words[0].i : words[-1].i + 1].text.strip(" ,.;:\u2014-") if words else None
    holders = [h for child in children_of(noun) if child.dep_ in ("poss", "compound", "amod") for h in actor_of(ctx, child)]
    if not holders and noun.dep_ == "oprd":
        holders = agents(ctx, noun.head)
    return _records(ctx, noun, holders, found, CONDITION, condition or None, 0.75)


def _stance_noun(ctx: DocumentContext, noun: Token, polarity: str, weight: float) -> list[StanceRecord]:
    """ "Kerry's support for X", "voiced support for X", "a demand that Assad hand over his powers"."""
    governor = governing_verb(noun)
    if governor is not None and is_hypothetical(governor):
        return []
    found: list[Target] = []
    for child in children_of(noun):
        if child.dep_ == "prep" and child.lower_ in ctx.lexicon.target_preps:
            if child.lower_ == "of" and polarity == SUPPORT:
                continue  # "the support of Saif" names the supporter
            obj = next((c for c in children_of(child) if c.dep_ in ("pobj", "pcomp")), None)
            if obj is not None:
                found = targets_of(ctx, obj)
                break
        elif child.dep_ in ("acl", "ccomp", "relcl") and polarity == SUPPORT:
            found = issues_in(ctx, child)
            if found:
                break
    if not found and polarity == SUPPORT and noun.lemma_.lower() in ctx.lexicon.seeking_nouns:
        sought = next((c for p in children_of(noun) if p.dep_ == "prep" and p.lower_ == "for" for c in children_of(p) if c.dep_ == "pobj"), None)
        found = named_by_words(ctx, sought) if sought is not None else []  # "its desire for peace"
    if not found and noun.dep_ == "nsubj" and noun.head.lemma_ == "be":
        attr = next((c for c in children_of(noun.head) if c.dep_ == "attr"), None)
        found = targets_of(ctx, attr) if attr is not None else []
    if not found and governor is not None and governor.lemma_ == "give":
        other = next((c for c in children_of(governor) if c.dep_ in ("dative", "dobj") and c.i != noun.i), None)
        found = targets_of(ctx, other) if other is not None else []
    implicit = False
    if not found and noun.lemma_.lower() in ctx.lexicon.implicit_nouns and not any(c.dep_ in ("acl", "prep") for c in children_of(noun)):
        found = salient_targets(ctx, noun, conference=True)
        implicit = True
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
    records = _records(ctx, noun, holders, found, final, None, weight)
    if implicit:
        ctx.echoes += records
    return records


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
    prep = next((c for c in children_of(noun) if c.dep_ == "prep" and c.lower_ == "for"), None)
    obj = next((c for c in children_of(prep) if c.dep_ == "pobj"), None) if prep is not None else None
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
    span = stating_span(cue)
    records = []
    for holder in holders:
        for target in found:
            if target.id == holder.actor:
                continue
            final = polarity
            if target.reverse and polarity != CONDITION:
                final = SUPPORT if polarity == OPPOSE else OPPOSE
            confidence = weight * holder.score * target.score
            name = target.name or ctx.target_name(target.id)
            records.append(record_at(span, holder.actor, target.id, final, condition, date, confidence, name, target.text))
    return records


def _dedupe(ctx: DocumentContext, found: list[StanceRecord]) -> list[StanceRecord]:
    """One stance per actor, target and sentence: a condition beats a bare stance, then confidence."""
    best: dict[tuple[str, str, int], StanceRecord] = {}
    for record in found:
        key = (record.actor, record.target, ctx.sentence_of(record.start))
        old = best.get(key)
        if old is None or _rank(record) > _rank(old):
            best[key] = record
    return sorted(best.values(), key=lambda r: (r.start, r.actor, r.target))


def _rank(record: StanceRecord) -> tuple[int, float]:
    return (record.polarity == CONDITION, record.confidence)
