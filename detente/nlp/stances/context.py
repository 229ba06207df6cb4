"""What the stance extractor needs to know about a whole document before reading any cue.

A stance's parts are often far apart: "they" stands for a coalition named two
sentences back, "this meeting" for the Moscow talks named in the headline, and
the speaker of a quote is outside its words. This module indexes the
document once (mentions and quotes by token, the targets it names in reading
order) so each cue can be read with plain lookups.
"""

from __future__ import annotations

import bisect
from collections import Counter
from dataclasses import dataclass, field

from spacy.tokens import Doc, Span, Token

from detente.nlp.dates.expressions import TimeExpression
from detente.nlp.actors.identity import fold
from detente.nlp.records import Mention, QuoteRecord, StanceRecord
from detente.nlp.stances.patterns import StanceLexicon
from detente.nlp.stances.targets import TargetRegistry, content_words, slug

# Dependents that are part of a noun phrase's name, not a clause about it.
_CORE_RIGHT = frozenset({"prep", "nummod", "compound", "npadvmod", "amod", "nmod", "case"})
_SKIP_LEFT = frozenset({"punct", "cc", "preconj", "mark"})
MAX_PHRASE_TOKENS = 40
# A conference named earlier stands for "the talks" later only this many characters on.
SALIENCE_REACH = 4000


@dataclass(frozen=True)
class Named:
    """A target the document names, where, and whether the registry knows it."""

    token: int
    id: str
    known: bool


@dataclass
class DocumentContext:
    doc: Doc
    lexicon: StanceLexicon
    targets: TargetRegistry
    published: str | None
    dates: list[TimeExpression]
    mentions: list[Mention]
    quotes: list[QuoteRecord]
    mention_at: list[Mention | None] = field(default_factory=list)
    quote_at: list[QuoteRecord | None] = field(default_factory=list)
    named: list[Named] = field(default_factory=list)
    prefer: set[str] = field(default_factory=set)
    words: list[str] = field(default_factory=list)  # each token in lower case
    actor_ids: set[str] = field(default_factory=set)  # actors the document mentions
    issue_actors: frozenset[str] = frozenset()  # actors issue patterns are about ("{actor}")

    @classmethod
    def build(
        cls,
        doc: Doc,
        lexicon: StanceLexicon,
        targets: TargetRegistry,
        published: str | None,
        dates: list[TimeExpression],
        mentions: list[Mention],
        quotes: list[QuoteRecord],
    ) -> DocumentContext:
        ctx = cls(doc, lexicon, targets, published, dates, sorted(mentions, key=lambda m: m.start), quotes)
        ctx.words = [t.lower_ for t in doc]
        ctx.actor_ids = {m.actor for m in mentions}
        ctx.issue_actors = targets.issue_actors()
        ctx.mention_at = _by_token(doc, [(m.start, m.end, m) for m in ctx.mentions])
        ctx.quote_at = _by_token(doc, [(q.start, q.end, q) for q in quotes])
        ctx.named = _named_targets(ctx)
        ctx.prefer = {n.id for n in ctx.named if n.known}
        return ctx

    # -- mentions -----------------------------------------------------------------

    def mention(self, tok: Token) -> Mention | None:
        return self.mention_at[tok.i]

    def mention_head(self, tok: Token) -> bool:
        """Whether `tok` is the head word of the mention it lies in ("government" of "the Syrian government")."""
        mention = self.mention_at[tok.i]
        if mention is None:
            return False
        head = tok.head
        return head.i == tok.i or self.mention_at[head.i] is not mention

    def kind_of(self, actor: str) -> str:
        return next((m.kind for m in self.mentions if m.actor == actor), "person")

    def mentions_before(self, char: int) -> list[Mention]:
        """Mentions ending before `char`, nearest first, outside quoted words."""
        k = bisect.bisect_left([m.start for m in self.mentions], char)
        found = [m for m in self.mentions[:k] if m.end <= char and not self._quoted(m)]
        return sorted(found, key=lambda m: m.end, reverse=True)

    def _quoted(self, mention: Mention) -> bool:
        span = self.doc.char_span(mention.start, mention.end, alignment_mode="expand")
        return span is not None and len(span) > 0 and self.quote_at[span[0].i] is not None

    # -- quotes -------------------------------------------------------------------

    def quote(self, tok: Token) -> QuoteRecord | None:
        return self.quote_at[tok.i]

    def speakers(self, quote: QuoteRecord) -> list[str]:
        """Everyone a quote is attributed to: "the US and Russia said ..." is one quote per speaker."""
        found = [q.speaker for q in self.quotes if q.start == quote.start and q.end == quote.end and q.speaker]
        return list(dict.fromkeys(found))

    # -- targets ------------------------------------------------------------------

    def recent(self, tok: Token) -> str | None:
        """The target named last before `tok`, in this sentence or the one before: what "it" stands for."""
        start = tok.sent.start
        if start > 0:
            start = self.doc[start - 1].sent.start
        before = [n for n in self.named if start <= n.token < tok.i and self._fits(n, False)]
        return before[-1].id if before else None

    def salient(self, tok: Token, conference: bool = False) -> str | None:
        """The target "the talks" or "the plan" most likely means at `tok`.

        The nearest registered one named before it (within reach), else the
        first named later in the same sentence, else the registered one the
        document names most, else the nearest unregistered one before it.
        With `conference`, only conferences count: one takes part in talks,
        not in a communiqué.
        """
        fit = [n for n in self.named if self._fits(n, conference)]
        reach = tok.idx - SALIENCE_REACH
        before = [n for n in fit if n.token < tok.i and self.doc[n.token].idx >= reach]
        known = [n for n in before if n.known]
        if known:
            return known[-1].id
        sent = tok.sent
        after = [n for n in fit if tok.i < n.token < sent.end]
        if after:
            return after[0].id
        counts = Counter(n.id for n in fit if n.known)
        if counts:
            return counts.most_common(1)[0][0]
        return before[-1].id if before else None

    def _fits(self, named: Named, conference: bool) -> bool:
        target = self.targets.get(named.id)
        if target is None:
            return not conference or named.id.split("-")[-1] in self.targets.meeting_nouns
        return target.kind == "conference" if conference else target.kind != "issue"


def record_at(sent: Span, actor: str, target: str, polarity: str, condition: str | None, date: str | None, confidence: float) -> StanceRecord:
    """A stance stated by one sentence: its span without the whitespace around it."""
    text = sent.text
    start = sent.start_char + (len(text) - len(text.lstrip()))
    end = sent.start_char + len(text.rstrip())
    return StanceRecord(start, end, actor, target, polarity, condition, date, round(min(confidence, 1.0), 3))


def _by_token(doc: Doc, spans: list[tuple[int, int, object]]) -> list:
    """For each token, the (longest) item whose character span covers it."""
    found: list = [None] * len(doc)
    size: list[int] = [0] * len(doc)
    for start, end, item in spans:
        span = doc.char_span(start, end, alignment_mode="expand")
        if span is None:
            continue
        for tok in span:
            if end - start > size[tok.i]:
                found[tok.i], size[tok.i] = item, end - start
    return found


# -- noun phrases -----------------------------------------------------------------


def core_phrase(tok: Token) -> Span:
    """A noun phrase without its clauses: "the talks in Moscow", not "... which Russia called"."""
    doc = tok.doc
    left = tok.i
    for child in tok.lefts:
        if child.dep_ not in _SKIP_LEFT:
            left = min(left, child.left_edge.i)
            break
    right = tok.i
    for child in tok.rights:
        if child.dep_ in _CORE_RIGHT:
            right = max(right, child.right_edge.i)
        else:
            break
    while left < tok.i and (doc[left].is_punct or doc[left].dep_ in _SKIP_LEFT):
        left += 1
    return doc[left : min(right + 1, left + MAX_PHRASE_TOKENS)]


def head_phrase(tok: Token) -> Span:
    """The head noun with what stands before it: the words a slug is made of ("Khatib's initiative")."""
    left = tok.i
    for child in tok.lefts:
        if child.dep_ in ("compound", "amod", "poss", "nmod", "nummod", "case", "npadvmod"):
            left = min(left, child.left_edge.i)
    return tok.doc[left : tok.i + 1]


def full_phrase(tok: Token) -> Span:
    """The whole subtree of a phrase, cut to a length a target can have."""
    return tok.doc[tok.left_edge.i : min(tok.right_edge.i + 1, tok.left_edge.i + MAX_PHRASE_TOKENS)]


_DEFINITE = frozenset({"the", "this", "that", "these", "those"})


def is_anaphor(ctx: DocumentContext, tok: Token) -> bool:
    """A phrase that points back at a named target: "the talks", "this meeting", "talks" alone.

    "a meeting with officials" or "any negotiating process" introduce something
    new, so only a definite phrase, or a bare one with nothing said about it,
    points back.
    """
    if tok.lemma_.lower() not in ctx.lexicon.anaphors and tok.lower_ not in ctx.lexicon.anaphors:
        return False
    dets = [c.lower_ for c in tok.children if c.dep_ in ("det", "poss")]
    if dets and dets[0] not in _DEFINITE:
        return False
    if not dets and any(c.dep_ in ("prep", "acl") for c in tok.children):
        return False
    rest = [w for w in content_words(head_phrase(tok).text) if w not in ctx.targets.modifiers]
    return len(rest) <= 1


def _named_targets(ctx: DocumentContext) -> list[Named]:
    """The targets the document names, in reading order, anaphors resolved as they come."""
    heads = ctx.targets.scan_words() | ctx.lexicon.target_nouns
    named: list[Named] = []
    on = ctx.published
    for tok in ctx.doc:
        if tok.pos_ not in ("NOUN", "PROPN") or tok.dep_ in ("compound", "amod"):
            continue
        if fold(tok.text) not in heads and tok.lemma_.lower() not in heads:
            continue
        found = ctx.targets.match(core_phrase(tok).text, on)
        if found is not None and not found.reverse:
            named.append(Named(tok.i, found.id, True))
        elif is_anaphor(ctx, tok):
            if named:
                named.append(Named(tok.i, named[-1].id, named[-1].known))
        elif tok.lemma_.lower() in ctx.lexicon.target_nouns and tok.lemma_.lower() not in ctx.targets.meeting_nouns:
            named.append(Named(tok.i, slug(head_phrase(tok).text), False))
    return named
