"""The clause around a stance cue: is it negated, hypothetical, conditional, and when was it said.

"did not back", "refused to join", "oppose returning" are negations of what
the cue verb says; "if they skipped the meeting" is no stance at all; "unless
Assad steps down", "only if Russia stops its strikes", and "until" or "while"
after a refusal make a stance a condition. The date of a statement is the one
on its verb of speech or its cue, not one inside what is reported.
"""

from __future__ import annotations

from functools import lru_cache

from spacy.tokens import Span, Token

from detente.nlp.quotes.candidates import load_lexicon as load_speech_lexicon
from detente.nlp.stances.context import DocumentContext
from detente.nlp.token_table import children_of, children_with

_HYPOTHETICAL = frozenset({"if", "whether"})
_CLAUSES = frozenset({"xcomp", "conj", "advcl", "pcomp", "acomp", "ccomp", "relcl"})


def clause_chain(verb: Token) -> list[Token]:
    """The verb and the verbs it is the complement of: "refused" over "to join", "said" over "would not go"."""
    chain = [verb]
    tok = verb
    while tok.dep_ in ("xcomp", "ccomp", "conj", "acl", "advcl") and tok.head.i != tok.i and len(chain) < 5:
        tok = tok.head
        chain.append(tok)
    return chain


def is_negated(ctx: DocumentContext, verb: Token) -> bool:
    """Whether a negation or a refusal governs the verb: "did not back", "refused to join", "oppose returning"."""
    count = 0
    tok = verb
    for _ in range(6):
        count += sum(1 for c in children_of(tok) if c.dep_ == "neg" or c.lower_ == "never" and c.dep_ == "advmod")
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


def is_hypothetical(verb: Token) -> bool:
    """Whether the verb sits in an "if" clause: "they would lose influence if they skipped the meeting"."""
    tok = verb
    for _ in range(5):
        if tok.dep_ == "advcl" and any(c.dep_ == "mark" and c.lower_ in _HYPOTHETICAL for c in children_of(tok)):
            return True
        if tok.head.i == tok.i or tok.dep_ not in _CLAUSES:
            return False
        tok = tok.head
    return False


def governing_verb(noun: Token) -> Token | None:
    tok = noun
    for _ in range(4):
        if tok.head.i == tok.i:
            return None
        tok = tok.head
        if tok.pos_ in ("VERB", "AUX"):
            return tok
    return None


def condition_text(ctx: DocumentContext, verb: Token, negated: bool) -> str | None:
    """The text of a clause that makes the stance conditional ("unless Assad steps down"), if any."""
    for head in clause_chain(verb):
        for child in children_with(head, ("advcl", "prep")):
            if child.i < verb.i:
                continue
            text = marked_clause(ctx, child, negated)
            if text:
                return text
    if negated and verb.dep_ == "conj" and any(c.lower_ == "or" for c in children_of(verb.head)):
        # "We will go as one delegation, or we will not go at all": go only on that term.
        first = verb.head
        end = min((c.i for c in children_of(first) if c.lower_ == "or"), default=first.right_edge.i)
        return verb.doc[first.left_edge.i : end].text.strip(" ,.;:\u201c\u201d\"")
    return None


def marked_clause(ctx: DocumentContext, clause: Token, negated: bool) -> str | None:
    doc = clause.doc
    left, right = clause.left_edge.i, clause.right_edge.i + 1
    for phrase in ctx.lexicon.not_conditions:
        n = len(phrase)
        if any(tuple(ctx.words[s : s + n]) == phrase for s in range(max(left - n + 1, 0), left + 1)):
            return None  # "even if the talks fail" sets no condition
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


def statement_date(ctx: DocumentContext, cue: Token, planned: bool = False) -> str | None:
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
            rank = (0 if tok.lemma_.lower() in speech_verbs() else 1, abs(span.root.i - cue.i), date.value)
            best = rank if best is None or rank < best else best
    if best is not None:
        return best[2]
    quote = ctx.quote(cue)
    if quote is not None and quote.date:
        return quote.date
    return ctx.published


@lru_cache(maxsize=1)
def speech_verbs() -> frozenset[str]:
    return frozenset(load_speech_lexicon().verbs)


# Clauses beside the one stating a stance that have a subject of their own: "While Damascus hoped to amend
# the constitution, the opposition wants a new one" states two stances, each in its clause.
_SIBLING_CLAUSES = frozenset({"conj", "advcl", "parataxis"})
_EDGE_WORDS = frozenset({"and", "but", "while", "whereas", "or", "although", "though"})
# A clause opened by one of these may be the stance's condition ("unless ...", "as long as ..."): never cut off.
_CONDITION_OPENERS = frozenset({"unless", "until", "if", "provided", "providing", "only", "as", "so", "on", "before"})


def stating_span(cue: Token) -> Span:
    """The clause that states a stance: the cue's clause with the verbs above it, within its sentence.

    A stance in a relative clause ("Russia, which backs the plan, ...") is
    that clause with the noun it describes; clauses beside it with subjects of
    their own are left out.
    """
    doc, sent = cue.doc, cue.sent
    top, path = cue, [cue]
    while top.head.i != top.i and sent.start <= top.head.i < sent.end:
        if top.dep_ == "relcl":
            return _trimmed(doc, path, top.head.left_edge.i, top.right_edge.i)
        if top.dep_ in _SIBLING_CLAUSES and any(c.dep_ in ("nsubj", "nsubjpass", "csubj") for c in children_of(top)):
            return _trimmed(doc, path, top.left_edge.i, top.right_edge.i)
        top = top.head
        path.append(top)
    return _trimmed(doc, path, sent.start, sent.end - 1)


def _trimmed(doc, path: list[Token], left: int, right: int) -> Span:
    on_path = {t.i for t in path}
    cue = path[0]
    for node in path:
        for child in children_of(node):
            if child.dep_ not in _SIBLING_CLAUSES or child.i in on_path:
                continue
            if child.dep_ == "advcl" and doc[child.left_edge.i].lower_ in _CONDITION_OPENERS:
                continue
            if not any(c.dep_ in ("nsubj", "nsubjpass", "csubj") for c in children_of(child)):
                continue
            if child.right_edge.i < cue.i:
                left = max(left, child.right_edge.i + 1)
            elif child.left_edge.i > cue.i:
                right = min(right, child.left_edge.i - 1)
    while left < right and (doc[left].is_punct or doc[left].lower_ in _EDGE_WORDS) and doc[left].i != cue.i:
        left += 1
    while right > left and doc[right].dep_ in ("cc", "punct") and doc[right].text not in (".", "!", "?", "\u201d", '"'):
        right -= 1
    return doc[left : right + 1]
