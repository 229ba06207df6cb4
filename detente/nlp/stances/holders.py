"""Who holds a stance: the actor behind a cue's subject, possessor or pronoun.

The subject of a stance verb is often not a name: "X has refused to join"
hides it behind an auxiliary chain, "Russia, which has backed ..." behind a
relative pronoun, "they will not go" behind a pronoun whose antecedent is the
subject of the reporting verb ("figures have said they ..."), "we hope" behind
the speaker of a quote. This module follows those links to an actor id from
the document's mentions, and gives up (returns nothing) rather than guess when
the words point at someone no mention names ("those who decide", "Assad's
foes").
"""

from __future__ import annotations

from dataclasses import dataclass

from spacy.tokens import Token

from detente.nlp.records import Mention
from detente.nlp.stances.clauses import speech_verbs
from detente.nlp.stances.context import DocumentContext
from detente.nlp.token_table import children_of

FIRST_PERSON = frozenset({"i", "we", "me", "us", "my", "our"})
PERSON_PRONOUNS = frozenset({"he", "she", "him", "her", "his"})
GROUP_PRONOUNS = frozenset({"they", "them", "their", "it", "its"})
PLURAL_PRONOUNS = frozenset({"they", "them", "their"})
RELATIVE = frozenset({"which", "who", "that", "whom", "whose"})
SUBJECTS = ("nsubj", "csubj")
# Dependencies a verb's subject is inherited through: "has refused to join", "and have refused".
CLIMB = frozenset({"xcomp", "conj", "advcl", "pcomp", "acomp"})
# Prepositions after which a body's name still names the speaker: "leaders of the coalition".
MEMBER_PREPS = frozenset({"of", "among", "from", "within", "inside"})
LOOKBACK = 600  # characters searched back for a pronoun's antecedent

# How much confidence survives each kind of indirect evidence.
PRONOUN = 0.85
VOICE = 0.9
MEMBERS = 0.85
SPEAKER = 0.9
ADOPTED = 0.7


@dataclass(frozen=True)
class Holder:
    actor: str
    score: float


def agents(ctx: DocumentContext, verb: Token) -> list[Holder]:
    """Who does what the verb says: its subject, followed up chains of "has refused to", "which", "by"."""
    tok = verb
    for _ in range(8):
        if any(c.dep_ == "auxpass" for c in children_of(tok)):
            agent = next((c for c in children_of(tok) if c.dep_ == "agent"), None)
            if agent is not None:
                pobj = next((c for c in children_of(agent) if c.dep_ == "pobj"), None)
                return actor_of(ctx, pobj) if pobj is not None else []
            patient = next((c for c in children_of(tok) if c.dep_ == "nsubjpass"), None)
            if patient is not None and patient.pos_ != "PRON" and not actor_of(ctx, patient) and ctx.quote(tok) is not None:
                # "any process must be based on the communique", in reported speech: the speaker's demand
                return [Holder(h.actor, h.score * ADOPTED) for h in speaker(ctx, tok)]
        subjects = sorted((c for c in children_of(tok) if c.dep_ in SUBJECTS), key=lambda c: abs(c.i - tok.i))
        if subjects:
            # A headline run into the first sentence can leave two subjects; the nearer one is the verb's.
            for subject in subjects:
                found = actor_of(ctx, subject)
                if found:
                    return found
            return _adopted(ctx, verb, subjects[0])
        if tok.dep_ == "relcl":
            # "Russia, which backs the plan": the outlet tells Russia's position. "the groups that took
            # part" only says which groups; that is no statement of anyone's position.
            return actor_of(ctx, tok.head) if _non_restrictive(tok) else []
        if tok.head.i == tok.i:
            break
        if tok.dep_ == "xcomp" and any(c.dep_ == "dobj" for c in children_of(tok.head)):
            return []  # "pushing both sides to attend": the sides are pushed, they state nothing
        if tok.dep_ == "advcl" and any(c.dep_ == "mark" for c in children_of(tok)):
            return []
        if tok.dep_ == "acl":
            poss = next((c for c in children_of(tok.head) if c.dep_ == "poss"), None)
            if poss is not None and poss.pos_ != "PRON":
                return actor_of(ctx, poss)
            if tok.tag_ == "VBG" and not ctx.names_target(tok.head):
                return actor_of(ctx, tok.head)  # "any party refusing to implement it": the party, whoever it is
        if tok.dep_ in CLIMB or tok.dep_ in ("acl", "prep", "pobj"):
            tok = tok.head
            continue
        if tok.pos_ in ("NOUN", "PROPN") and tok.lemma_.lower() in ctx.lexicon.position_nouns and tok.i != verb.i:
            # "opposed the American stance of calling for ...": the call is the stance's owner's
            return _position_owner(ctx, tok)
        if tok.pos_ in ("NOUN", "PROPN") and tok.dep_ in ("dobj", "pobj", "attr"):
            tok = tok.head
            continue
        break
    return speaker(ctx, verb) if not any(c.dep_ in ("nsubj", "nsubjpass", "csubj") for c in children_of(verb)) else []


def _position_owner(ctx: DocumentContext, noun: Token) -> list[Holder]:
    """Whose position a noun is: "Kerry's demand", "the American stance"; nobody named, nobody."""
    for child in children_of(noun):
        if child.dep_ in ("poss", "amod", "compound", "nmod"):
            found = actor_of(ctx, child)
            if found:
                return found
    return []


def _non_restrictive(relcl: Token) -> bool:
    """A relative clause set off by a comma ("Russia, which has backed ...") adds a fact about a named actor."""
    start = relcl.left_edge.i
    return start > 0 and relcl.doc[start - 1].text in (",", "\u2014", "(", "-")


def _adopted(ctx: DocumentContext, verb: Token, subject: Token) -> list[Holder]:
    """ "Kerry said the meeting would build on the communique": a thing's stance, in reported speech, is the speaker's."""
    quote = ctx.quote(verb)
    if quote is None or quote.kind == "direct" or subject.tag_ != "NN" or subject.pos_ != "NOUN":
        return []
    return [Holder(h.actor, h.score * ADOPTED) for h in speaker(ctx, verb)]


def speaker(ctx: DocumentContext, tok: Token) -> list[Holder]:
    """The speakers of the quote a token sits in, for clauses with no subject of their own."""
    quote = ctx.quote(tok)
    return [Holder(actor, SPEAKER) for actor in ctx.speakers(quote)] if quote is not None else []


def owner(ctx: DocumentContext, noun: Token) -> list[Holder]:
    """The possessor of a noun ("Kerry's support", "the United States' goal", "his refusal")."""
    poss = next((c for c in children_of(noun) if c.dep_ == "poss"), None)
    return actor_of(ctx, poss) if poss is not None else []


def actor_of(ctx: DocumentContext, tok: Token) -> list[Holder]:
    """The actors a subject or possessor denotes; conjoined subjects ("the US and Russia") give several."""
    holders: list[Holder] = []
    quote = ctx.quote(tok)
    if tok.pos_ == "PRON" and tok.lower_ in PLURAL_PRONOUNS | {"we", "our", "us"} and quote is not None and len(ctx.speakers(quote)) > 1:
        return [Holder(actor, SPEAKER) for actor in ctx.speakers(quote)]
    if tok.lower_ in PLURAL_PRONOUNS and quote is None:
        reporter = _reporting_subject(tok)
        if reporter is not None and _agrees(reporter, tok.lower_):
            return [Holder(h.actor, h.score * PRONOUN) for h in actor_of(ctx, reporter)]
    for part in [tok, *conjuncts(tok)]:
        holder = one_actor(ctx, part)
        if holder is not None and holder.actor not in {h.actor for h in holders}:
            holders.append(holder)
    if len(holders) == 1 and tok.lower_ in PLURAL_PRONOUNS and ctx.quote(tok) is None:
        holders += [h for h in _partners(ctx, tok, holders[0]) if h.actor != holders[0].actor]
    return holders


def conjuncts(tok: Token) -> list[Token]:
    found = []
    for child in children_of(tok):
        if child.dep_ == "conj":
            found += [child, *conjuncts(child)]
    return found


def one_actor(ctx: DocumentContext, tok: Token) -> Holder | None:
    """The one actor a token names: its mention, its appositive's, its body's ("leaders of the coalition")."""
    lower = tok.lower_
    if lower in RELATIVE and tok.head.dep_ == "relcl":
        return one_actor(ctx, tok.head.head) if _non_restrictive(tok.head) else None
    if lower in FIRST_PERSON | PERSON_PRONOUNS | GROUP_PRONOUNS and tok.pos_ == "PRON":
        return pronoun(ctx, tok)  # "us", not "US"
    if tok.pos_ == "PRON":
        return None  # "that", "those who ...": nobody we can name
    mention = ctx.mention(tok)
    if mention is not None:
        return Holder(mention.actor, mention.confidence)
    for child in children_of(tok):
        if child.dep_ == "appos" and ctx.mention(child) is not None:
            return Holder(ctx.mention(child).actor, ctx.mention(child).confidence)
    if tok.lemma_.lower() in ctx.lexicon.voices or tok.lower_ in ctx.lexicon.voices:
        for child in children_of(tok):
            if child.dep_ in ("compound", "amod", "nmod", "poss") and ctx.mention(child) is not None:
                return Holder(ctx.mention(child).actor, ctx.mention(child).confidence * VOICE)
    for child in children_of(tok):
        if child.dep_ == "prep" and child.lower_ in MEMBER_PREPS:
            for pobj in children_of(child):
                if pobj.dep_ == "pobj" and ctx.mention(pobj) is not None and ctx.mention_head(pobj):
                    return Holder(ctx.mention(pobj).actor, ctx.mention(pobj).confidence * MEMBERS)
    return None


def pronoun(ctx: DocumentContext, tok: Token) -> Holder | None:
    """A pronoun's actor: the speaker for "we" and for "he"/"they" in reported speech, else the last fit subject."""
    lower = tok.lower_
    quote = ctx.quote(tok)
    if quote is not None and quote.speaker:
        inside = [m for m in ctx.mentions if quote.start <= m.start and m.end <= tok.idx and fits(m.kind, lower)]
        if lower in FIRST_PERSON:
            return Holder(quote.speaker, SPEAKER)
        if inside:
            return Holder(inside[-1].actor, inside[-1].confidence * PRONOUN)
        if quote.kind == "direct":
            return None
        if fits(ctx.kind_of(quote.speaker), lower):
            return Holder(quote.speaker, SPEAKER)
        # "Hijab, the committee's coordinator, said it would not return": "it" is the body named nearby.
        sent = tok.sent
        near = [m for m in ctx.mentions if sent.start_char <= m.start and m.end <= quote.start and fits(m.kind, lower)]
        return Holder(near[-1].actor, near[-1].confidence * PRONOUN) if near else None
    if lower in FIRST_PERSON:
        return None
    attributed = _attributed_speaker(ctx, tok)
    if attributed is not None:
        return Holder(attributed, SPEAKER)
    reporter = _reporting_subject(tok)
    if reporter is not None and _agrees(reporter, lower):
        found = one_actor(ctx, reporter)
        return Holder(found.actor, found.score * PRONOUN) if found else None
    previous = _previous_subject(tok)
    if previous is not None and lower not in PERSON_PRONOUNS and ctx.mention(previous) is None and _agrees(previous, lower):
        return None  # "Resolution 2254 asks ... It also calls for": the pronoun is the resolution
    for mention in ctx.mentions_before(tok.idx):
        if tok.idx - mention.end > LOOKBACK:
            break
        if fits(mention.kind, lower) and _is_subject(ctx, mention):
            return Holder(mention.actor, mention.confidence * PRONOUN)
    return None


def _attributed_speaker(ctx: DocumentContext, tok: Token) -> str | None:
    """ "He said the agreement was ...": the subject of a verb of speech is the speaker the quote finder gave its words."""
    verb = tok.head
    if tok.dep_ != "nsubj" or verb.lemma_.lower() not in speech_verbs():
        return None
    first, last = verb.left_edge.idx, verb.right_edge.idx + len(verb.right_edge)
    found = [q.speaker for q in ctx.quotes if q.speaker and first <= q.start and q.end <= last and not q.start <= tok.idx < q.end]
    return found[0] if len(set(found)) == 1 else None


def fits(kind: str, pronoun_text: str) -> bool:
    if pronoun_text in PERSON_PRONOUNS:
        return kind == "person"
    if pronoun_text in ("it", "its", "they", "them", "their"):
        return kind != "person"
    return True


def _reporting_subject(tok: Token) -> Token | None:
    """In "figures have said they will not go", the subject of the verb that reports the pronoun's clause."""
    verb = tok.head
    while verb.dep_ == "conj" and verb.head.i != verb.i:
        verb = verb.head
    if verb.dep_ != "ccomp":
        return None
    subject = next((c for c in children_of(verb.head) if c.dep_ == "nsubj"), None)
    return subject if subject is not None and subject.pos_ != "PRON" else None


def _previous_subject(tok: Token) -> Token | None:
    """The subject of the nearest earlier clause in this or the previous sentence."""
    sent = tok.sent
    start = sent.start
    if start > 0:
        start = tok.doc[start - 1].sent.start
    for k in range(tok.i - 1, start - 1, -1):
        cand = tok.doc[k]
        if cand.dep_ in ("nsubj", "nsubjpass") and cand.pos_ in ("NOUN", "PROPN"):
            return cand
    return None


def _agrees(subject: Token, pronoun_text: str) -> bool:
    plural = subject.tag_ in ("NNS", "NNPS") or any(c.dep_ == "conj" for c in children_of(subject))
    if pronoun_text in PLURAL_PRONOUNS:
        return plural
    return not plural


def _is_subject(ctx: DocumentContext, mention: Mention) -> bool:
    span = ctx.doc.char_span(mention.start, mention.end, alignment_mode="expand")
    if span is None or not len(span):
        return False
    tok = span.root
    while tok.dep_ in ("compound", "flat", "conj", "appos") and tok.head.i != tok.i:
        tok = tok.head
    return tok.dep_ in ("nsubj", "nsubjpass")


def _partners(ctx: DocumentContext, pronoun_tok: Token, first: Holder) -> list[Holder]:
    """ "The US and Russia said they ...": a plural pronoun stands for the whole conjoined subject."""
    for mention in ctx.mentions_before(pronoun_tok.idx):
        if mention.actor != first.actor:
            continue
        span = ctx.doc.char_span(mention.start, mention.end, alignment_mode="expand")
        if span is None or not len(span):
            return []
        root = span.root
        while root.dep_ == "conj":
            root = root.head
        group = [root, *conjuncts(root)]
        return [h for h in (one_actor(ctx, t) for t in group if ctx.mention(t) is not None) if h is not None]
    return []
