"""Whether an event happened, is planned, was called off, is denied, or is only supposed.

A report of a meeting is not a meeting: "will travel", "plans to convene",
"broke a promise to host", "denied meeting", "could meet if" all name an event
that did not (yet) take place, and a timeline that showed them as facts would
mislead. The status is read from the words around the event's verb in the
parse: its auxiliaries, its negation, a conditional mark, and the verbs that
govern it ("plan to", "called off", "deny"), climbing a few steps up the tree.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from spacy.tokens import Token

from detente.nlp.events.patterns import StatusWords
from detente.nlp.token_table import children_of, children_with, has_child_with

# The only labels of a verb's children that `_status_at` reads.
_STATUS_DEPS = ("neg", "det", "nsubj", "nsubjpass", "aux", "auxpass", "mark", "advcl", "advmod", "acl", "amod", "compound")
# Tokens either side of a verb where the rest of a phrasal entry may stand: "called the meeting off".
PARTICLE_REACH = 5

# The dependencies through which a governing word speaks about an event below it.
_CLIMB_DEPS = frozenset({"xcomp", "dobj", "pobj", "prep", "acl", "pcomp", "nsubjpass", "nsubj", "attr", "oprd",
                         "ccomp", "conj", "advcl", "amod", "acomp", "compound"})
_MAX_STEPS = 5
# A negation reaches the event only down these links: "did not plan to attend",
# "did not hold talks"; not "is not aware of the trip" or "does not mean that".
_NEGATION_DEPS = frozenset({"xcomp", "dobj", "pobj", "prep", "nsubjpass"})
# Prepositions through which a governing word speaks of an event: "plans for talks", "promise of a visit".
_ABOUT_PREPS = frozenset({"for", "of", "to", "on", "about", "into", "with"})  # "hopes to start with local truces"
# Marks of a clause that sets a condition on the clause it hangs from.
_CONDITIONS = frozenset({"if", "unless"})
_RANK = {"cancelled": 4, "denied": 3, "hypothetical": 2, "planned": 1, "reported": 0}


@dataclass
class StatusReading:
    status: str  # reported | planned | cancelled | denied | hypothetical
    negated: bool = False
    under_speech: bool = False  # the event is what someone said ("said they would attend")
    cue: str | None = None  # the word that set the status, for the record's confidence and for debugging


def governing_chain(token: Token, words: StatusWords, speech_verbs: frozenset[str], block: Sequence[int] | None = None) -> list[Token]:
    """The event's own token, then the words that govern it, up to the clause of a speech verb.

    An infinitive of purpose ("travelled to Moscow to meet") is governed by its
    main verb; a finite adverbial clause ("after he met") is not. A relative
    clause is climbed only into a word that sets a status ("broke a promise
    they had made to host"); a preposition only when it introduces what the
    governing word is about ("plans for talks", not "announced after talks").
    `block` numbers each token's paragraph: the parser sometimes hangs one
    paragraph from the next, and a status never crosses that line.
    """
    chain = [token]
    current = token
    for _ in range(_MAX_STEPS):
        if current.head.i == current.i:
            break
        dep, parent = current.dep_, current.head
        if dep == "relcl":
            if not _status_word(parent.lemma_.lower(), words):
                break
        elif dep not in _CLIMB_DEPS or (dep in ("advcl", "acl") and not _infinitive(current)):
            break
        if dep == "prep" and current.lower_ not in _ABOUT_PREPS:
            break
        if block is not None and block[parent.i] != block[current.i]:
            break
        chain.append(parent)
        if parent.lemma_.lower() in speech_verbs and dep == "ccomp":
            break
        current = parent
    return chain


def _status_word(lemma: str, words: StatusWords) -> bool:
    return any(lemma in found for found in words.verbs.values())


def _infinitive(token: Token) -> bool:
    return any(c.lower_ == "to" for c in children_with(token, ("aux",)))


def read_status(
    token: Token,
    words: StatusWords,
    speech_verbs: frozenset[str],
    skip: frozenset[int] = frozenset(),
    block: Sequence[int] | None = None,
) -> StatusReading:
    """The status of the event whose head is `token`; `skip` holds tokens that are part of its pattern."""
    chain = governing_chain(token, words, speech_verbs, block)
    under_speech = len(chain) > 1 and chain[-1].lemma_.lower() in speech_verbs and chain[-2].dep_ == "ccomp"
    best = StatusReading("reported", under_speech=under_speech)
    negation_reaches = True
    for depth, node in enumerate(chain):
        if under_speech and node.i == chain[-1].i:
            break  # what the speaker did (say) does not set what was said
        if depth > 0 and chain[depth - 1].dep_ not in _NEGATION_DEPS:
            negation_reaches = False
        below = chain[depth - 1] if depth > 0 else None
        for status, cue in _status_at(node, below, words, under_speech, skip):
            if status == "negated":
                if negation_reaches:
                    best.negated = True
                    best.cue = best.cue or cue
            elif _RANK[status] > _RANK[best.status]:
                best.status, best.cue = status, cue
    if best.status == "reported" and _headline_infinitive(token):
        best.status, best.cue = "planned", "to"
    return best


def _headline_infinitive(token: Token) -> bool:
    """'Carter Center envoys to visit Syria': a headline's bare infinitive announces what will happen."""
    if not _infinitive(token):
        return False
    return not any(a.pos_ in ("VERB", "AUX") for a in token.ancestors)


def _status_at(node: Token, below: Token | None, words: StatusWords, under_speech: bool, skip: frozenset[int]) -> list[tuple[str, str]]:
    found: list[tuple[str, str]] = []
    lemma = node.lemma_.lower()
    # A first conjunct does not govern the second: in "agreed to the pause and signalled acceptance" the
    # acceptance is not agreed to; their shared auxiliaries ("will travel and meet") still count below.
    if below is not None and node.i not in skip and below.dep_ != "conj":
        for status in ("cancelled", "denied", "hypothetical", "planned"):
            cue = _governing_verb(node, lemma, words.verbs[status])
            if cue and status == "planned" and _attempt_made(node, lemma, words, under_speech):
                continue
            if cue:
                found.append((status, cue))
            if below.dep_ == "xcomp" and _infinitive(below) and lemma in words.periphrastic.get(status, ()):
                if status == "hypothetical" and node.tag_ == "VBD" and not under_speech:
                    continue  # "had to plead with the speakers": told as past, the obligation was met
                found.append((status, f"{lemma} to"))  # "are going to meet", "had to step down"
    for child in children_with(node, _STATUS_DEPS):  # not every child: a run-on verb can have hundreds
        dep, word = child.dep_, child.lower_
        if dep == "neg" or (dep == "det" and word == "no"):
            found.append(("negated", word))
        elif dep in ("nsubj", "nsubjpass") and any(g.lower_ == "neither" for g in child.subtree):
            found.append(("negated", "neither"))  # "Neither Finnish nor Estonian jets had struck the town"
        elif dep in ("aux", "auxpass"):
            found.extend(_auxiliary(child, words, under_speech))
        elif dep == "mark" and word in words.marks:
            found.append(("hypothetical", word))
        elif dep == "advcl" and any(m.dep_ == "mark" and m.lower_ in _CONDITIONS for m in children_of(child)):
            found.append(("hypothetical", "on condition"))  # "would respect a truce only if Russia stops bombing"
        elif dep == "advmod" and word == "soon" and any(
            g.dep_ == "advcl" and any(m.dep_ == "mark" and m.lower_ == "as" for m in children_of(g)) for g in children_of(child)
        ):
            found.append(("hypothetical", "on condition"))  # "ready to convene as soon as the powers agree"
        elif dep == "acl" and below is None and child.tag_ == "VBN":  # "a conference proposed in May"
            for status in ("cancelled", "planned"):
                if _governing_verb(child, child.lemma_.lower(), words.verbs[status]):
                    found.append((status, word))
        elif dep in ("amod", "compound") and below is None:
            for status in ("cancelled", "hypothetical", "planned"):
                if word in words.modifiers[status] or child.lemma_.lower() in words.modifiers[status]:
                    found.append((status, word))
    return found


def _attempt_made(node: Token, lemma: str, words: StatusWords, under_speech: bool) -> bool:
    """'Egypt and Qatar sought to mediate': a past attempt is told as an act; 'is seeking to' still plans."""
    if lemma not in words.attempts or under_speech or node.tag_ != "VBD":
        return False
    return not has_child_with(node, ("aux",))


def _auxiliary(aux: Token, words: StatusWords, under_speech: bool) -> list[tuple[str, str]]:
    """'would' tells a plan or the terms of a deal ("forces would pull back"); 'would have' a counterfactual.

    A condition on it ("would hold their fire if …") is read from the clause's own "if"-clause.
    """
    word, lemma = aux.lower_, aux.lemma_.lower()
    if word in ("would", "'d"):
        perfect = any(c.dep_ == "aux" and c.lower_ == "have" and c.i > aux.i for c in children_of(aux.head))
        return [("hypothetical" if perfect else "planned", word)]
    if word in words.auxiliaries["hypothetical"] or lemma in words.auxiliaries["hypothetical"]:
        return [("hypothetical", word)]
    if word in words.auxiliaries["planned"] or lemma in words.auxiliaries["planned"]:
        return [("planned", word)]
    return []


def _governing_verb(node: Token, lemma: str, entries: frozenset[str]) -> str | None:
    """'call off' matches "called the meeting off"; a one-word entry matches the lemma, but not the same
    verb with a particle that changes it ("set a date" plans, "set up a committee" does not)."""
    phrasal = has_child_with(node, ("prt",))
    if (lemma in entries or node.lower_ in entries) and not phrasal:
        return lemma
    for entry in entries:
        parts = entry.split()
        if len(parts) > 1 and parts[0] == lemma:
            # the words the verb governs near it; not its whole subtree, which can be the whole sentence
            doc = node.doc
            near = range(max(node.i - PARTICLE_REACH, 0), min(node.i + PARTICLE_REACH + 1, len(doc)))
            below = {doc[k].lower_ for k in near if k != node.i and node.is_ancestor(doc[k])}
            below |= {c.lemma_.lower() for c in children_of(node)}
            if all(p in below for p in parts[1:]):
                return entry
    return None


def is_future(value: str | None, published: str | None) -> bool:
    """Whether a date (an ISO prefix or "A/B" range) starts after the publication day."""
    if not value or not published:
        return False
    start = value.split("/")[0]
    day = published[:10]
    size = min(len(start), len(day))
    return start[:size] > day[:size]


def is_past(value: str | None, published: str | None) -> bool:
    if not value or not published:
        return False
    end = value.split("/")[-1]
    day = published[:10]
    size = min(len(end), len(day))
    return end[:size] < day[:size]
