"""Issues stated in a speaker's own words, as that speaker's stance (or the stance of whom the words name).

"Assad would still have to go" in Clinton's mouth is Clinton's support for
assad-departure; "the US made a mistake by deciding that Assad had to go" is
the US's; "no outsider should set a timetable for Assad's departure" turns it
round; "their efforts to remove Assad" or "any contact must serve a transfer
of power" are about someone or something else and are left alone.
"""

from __future__ import annotations

from spacy.tokens import Token

from detente.nlp.records import QuoteRecord, StanceRecord
from detente.nlp.stances.clauses import marked_clause, speech_verbs, stating_span
from detente.nlp.stances.context import DocumentContext, record_at
from detente.nlp.stances.holders import FIRST_PERSON, SUBJECTS, Holder, actor_of, one_actor, owner
from detente.nlp.stances.objects import folded
from detente.nlp.stances.patterns import OPPOSE, SUPPORT, lemmas
from detente.nlp.token_table import children_of, token_table

_QUOTE_ISSUE = 0.7
_FAULTED = 0.8


def quote_stances(ctx: DocumentContext, found: list[StanceRecord]) -> list[StanceRecord]:
    """Issues a speaker's own words state ("Assad would still have to go") as a stance."""
    records = []
    seen = {(r.actor, r.target, ctx.sentence_of(r.start)) for r in found}
    # "wants any truce to be tied to a political transition": what a condition names is part of the condition
    conditioned = {(r.actor, ctx.sentence_of(r.start)) for r in found if r.condition}
    for quote in ctx.quotes:
        if not quote.speaker:
            continue
        span = ctx.doc.char_span(quote.start, quote.end, alignment_mode="contract")
        if span is None or not len(span):
            continue
        text, owner_of = folded(ctx, span)
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
            span, date = stating_span(root), quote.date or ctx.published
            name, words = ctx.target_name(hit.id), token_table(ctx.doc).text[root.left_edge.idx : root.right_edge.idx + len(root.right_edge)]
            polarity = OPPOSE if hit.reverse != flipped else SUPPORT
            made = [record_at(span, holder.actor, hit.id, polarity, None, date, quote.confidence * holder.score * _QUOTE_ISSUE, name, words)]
            if _faulted(ctx, root) and holder.actor not in ctx.speakers(quote):
                # "the US made a huge mistake by deciding that Assad had to go": the speaker is against it
                turned = SUPPORT if polarity == OPPOSE else OPPOSE
                made += [record_at(span, actor, hit.id, turned, None, date, quote.confidence * _QUOTE_ISSUE * _FAULTED, name, words)
                         for actor in ctx.speakers(quote)]
            for record in made:
                key = (record.actor, record.target, ctx.sentence_of(record.start))
                if hit.how != "pattern" and (record.actor, key[2]) in conditioned:
                    continue
                if key not in seen:
                    seen.add(key)
                    records.append(record)
    return records


def _faulted(ctx: DocumentContext, root: Token) -> bool:
    """Whether the words above an issue call the decision for it a fault: "made a mistake by deciding that ..."."""
    tok, sent = root, root.sent
    while tok.head.i != tok.i and sent.start <= tok.head.i < sent.end:
        tok = tok.head
        if tok.lemma_.lower() in speech_verbs():
            return False
        for child in children_of(tok):
            if child.dep_ in ("dobj", "attr", "acomp") and {child.lemma_.lower(), child.lower_} & ctx.lexicon.bad:
                return True
    return False


def _hit_root(ctx: DocumentContext, hit, owner_of: list[int | None]) -> Token | None:
    tokens = sorted({owner_of[k] for k in range(hit.start, hit.end) if owner_of[k] is not None})
    return ctx.doc[tokens[0] : tokens[-1] + 1].root if tokens else None


def _under_condition(ctx: DocumentContext, tok: Token) -> bool:
    sent = tok.sent
    while tok.head.i != tok.i and sent.start <= tok.head.i < sent.end:
        if tok.dep_ in ("advcl", "prep", "pcomp") and marked_clause(ctx, tok, True):
            return True
        tok = tok.head
    return False


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
        if not (sent.start <= tok.i < sent.end) or tok.lemma_.lower() in speech_verbs():
            break
        if child.dep_ in ("appos", "npadvmod"):
            return None, False  # "a reference to the handover of power": a gloss, not a position
        crossed = crossed or child.dep_ == "conj"
        flips += _denials(ctx, tok)
        if decided:
            continue
        poss = next((c for c in children_of(tok) if c.dep_ == "poss"), None)
        if poss is not None and tok.pos_ in ("NOUN", "PROPN"):
            if poss.pos_ == "PRON" and tok.lemma_.lower() not in ctx.lexicon.position_nouns:
                return None, False  # "their efforts to remove Assad": whose, we cannot tell
            owners = actor_of(ctx, poss)
            holder, decided = (owners[0] if owners else None), True
            continue
        subject = next((c for c in children_of(tok) if c.dep_ in (*SUBJECTS, "nsubjpass")), None)
        if subject is None or tok.pos_ not in ("VERB", "AUX"):
            continue
        if child.dep_ == "conj" and any(c.dep_ in ("nsubj", "nsubjpass") for c in children_of(child)):
            continue  # "Russia halted attacks and sieges were lifted": the second clause is not Russia's
        if any(c.dep_ == "det" and c.lower_ == "no" for c in children_of(subject)):
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
    if any(c.dep_ == "det" and c.lower_ == "no" for c in children_of(tok)):
        return 1
    if any(c.dep_ == "neg" for c in children_of(tok)):
        return 0 if set(lemmas(tok)) & ctx.lexicon.withdrawal else 1
    return 0
