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
from detente.nlp.stances.open_targets import OpenTarget, Phrase, merge, phrase_at
from detente.nlp.stances.patterns import StanceLexicon
from detente.nlp.stances.targets import TargetMatch, TargetRegistry, content_words
from detente.nlp.token_table import children_of, token_table

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
    kind: str = ""  # for an unregistered target: agreement, talks, truce, plan …


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
    attested: set[str] = field(default_factory=set)  # registered targets named by words of their own
    open_at: dict[int, OpenTarget] = field(default_factory=dict)  # head token -> unregistered target
    echoes: list[StanceRecord] = field(default_factory=list)
    sentence_starts: list[int] = field(default_factory=list)  # "his refusal": a stance told again, not stated again
    plain: set[int] = field(default_factory=set)  # head tokens of phrases of common words only ("the peace talks")
    actor_names: dict[str, str] = field(default_factory=dict)
    common: frozenset[str] = frozenset()  # words that name no target of their own
    scopes: frozenset[str] = frozenset()  # the registry's conflicts this report is about

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
        actor_names: dict[str, str] | None = None,
    ) -> DocumentContext:
        ctx = cls(doc, lexicon, targets, published, dates, sorted(mentions, key=lambda m: m.start), quotes)
        ctx.words = token_table(doc).lower
        ctx.actor_ids = {m.actor for m in mentions}
        ctx.actor_names = dict(actor_names or {})
        ctx.issue_actors = targets.issue_actors()
        ctx.common = targets.common_vocabulary() | lexicon.target_nouns | frozenset(lexicon.target_kinds)
        ctx.scopes = targets.scopes_of(set(ctx.words))
        ctx.mention_at = _by_token(doc, [(m.start, m.end, m) for m in ctx.mentions])
        ctx.quote_at = _by_token(doc, [(q.start, q.end, q) for q in quotes])
        ctx.named = _named_targets(ctx)
        ctx.prefer = {n.id for n in ctx.named if n.known}
        return ctx

    # -- mentions -----------------------------------------------------------------

    def sentence_of(self, char: int) -> int:
        """The start of the sentence holding a character: one statement is one sentence for de-duplication."""
        if not self.sentence_starts:
            self.sentence_starts = [sent.start_char for sent in self.doc.sents]
        k = bisect.bisect_right(self.sentence_starts, char) - 1
        return self.sentence_starts[max(k, 0)]

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

    def accept(self, found: TargetMatch) -> bool:
        """A registered target of one time and conflict counts by a common name ("the truce") only in a report
        on its conflict (its `scope`), or one that also names it by words of its own: a report on another war
        means another truce."""
        if not self.targets.windowed(found.id):
            return True
        if not self.published:
            return False  # a report with no date cannot be placed in a target's time
        if found.distinctive or found.id in self.attested:
            return True
        target = self.targets.get(found.id)
        return target is not None and target.scope is not None and target.scope in self.scopes

    def match(self, phrase: str) -> TargetMatch | None:
        """The registered target a phrase names in this document, or None."""
        return self.targets.match(phrase, self.published, self.prefer, self.accept)

    def target_name(self, target_id: str) -> str | None:
        """How a reader knows a target: its registered name, its actor's name, or the name the document gives it."""
        if target_id in self.targets:
            return self.targets.name(target_id)
        if target_id in self.actor_names:
            return self.actor_names[target_id]
        return next((o.name for o in self.open_at.values() if o.id == target_id), None)

    def registered_conflict(self) -> bool:
        """Whether the registry knows this report's conflict: it names a registered target or uses its scope words.

        A report with no date is never placed in a registered conflict's time.
        """
        return bool(self.published) and (bool(self.scopes) or any(n.known and self.targets.windowed(n.id) for n in self.named))

    def open_kind(self, target_id: str) -> str | None:
        """The kind of an unregistered target the document names (agreement, talks …), or None."""
        return next((o.kind for o in self.open_at.values() if o.id == target_id), None)

    def names_target(self, tok: Token) -> bool:
        """A mention whose head is a target noun ("the Nationwide Ceasefire Agreement") names a target, not an actor."""
        return tok.lemma_.lower() in self.lexicon.target_kinds or tok.lower_ in self.lexicon.target_kinds

    def recent(self, tok: Token, issues: bool = False) -> str | None:
        """The target named last before `tok`, in this sentence or the one before: what "it" stands for.

        With `issues`, an issue counts too: "such a move" after "arming the rebels".
        """
        start = tok.sent.start
        if start > 0:
            start = self.doc[start - 1].sent.start
        vague = self.plain if self.registered_conflict() else set()
        before = [n for n in self.named if start <= n.token < tok.i and (issues or self._fits(n, False)) and n.token not in vague]
        return before[-1].id if before else None

    def salient(self, tok: Token, conference: bool = False, kinds: frozenset[str] | None = None) -> str | None:
        """The target "the talks" or "the plan" most likely means at `tok`.

        The nearest registered one named before it (within reach), else the
        first named later in the same sentence, else the registered one the
        document names most, else the nearest unregistered one before it.
        With `conference`, only conferences count: one takes part in talks,
        not in a communiqué; with `kinds`, only registered targets and open
        ones of those kinds (one signs an agreement, not "future peace").
        """
        fit = [n for n in self.named if self._fits(n, conference) and (kinds is None or n.known or n.kind in kinds)]
        reach = tok.idx - SALIENCE_REACH
        before = [n for n in fit if n.token < tok.i and self.doc[n.token].idx >= reach]
        known = [n for n in before if n.known]
        if known:
            return known[-1].id
        sent = tok.sent
        after = [n for n in fit if tok.i < n.token < sent.end and (n.known or not self.registered_conflict())]
        if after:
            return after[0].id
        counts = Counter(n.id for n in fit if n.known)
        if counts:
            return counts.most_common(1)[0][0]
        return before[-1].id if before else None

    def _fits(self, named: Named, conference: bool) -> bool:
        target = self.targets.get(named.id)
        if target is None:
            return not conference or named.kind == "talks"
        return target.kind == "conference" if conference else target.kind != "issue"


def record_at(
    span: Span,
    actor: str,
    target: str,
    polarity: str,
    condition: str | None,
    date: str | None,
    confidence: float,
    target_name: str | None = None,
    target_text: str | None = None,
) -> StanceRecord:
    """A stance stated by one clause or sentence: its span without the whitespace around it."""
    text = span.text
    start = span.start_char + (len(text) - len(text.lstrip()))
    end = span.start_char + len(text.rstrip())
    return StanceRecord(start, end, actor, target, polarity, condition, date, round(min(confidence, 1.0), 3),
                        target_name, target_text)


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
    dets = [c.lower_ for c in children_of(tok) if c.dep_ in ("det", "poss")]
    if dets and dets[0] not in _DEFINITE:
        return False
    if not dets and any(c.dep_ in ("prep", "acl") for c in children_of(tok)):
        return False
    rest = [w for w in content_words(head_phrase(tok).text) if w not in ctx.targets.modifiers]
    return len(rest) <= 1


def _named_targets(ctx: DocumentContext) -> list[Named]:
    """The targets the document names, in reading order, anaphors resolved as they come.

    Registered targets are read first, twice: once to learn which the document
    names by words of their own (`attested`), then for real. What the registry
    does not know becomes an open target (see open_targets.py), merged within
    the document by kind.
    """
    heads = ctx.targets.scan_words() | ctx.lexicon.target_nouns | frozenset(ctx.lexicon.target_kinds)
    on = ctx.published
    candidates = []
    table = token_table(ctx.doc)
    for i, (pos, dep, word, lemma) in enumerate(zip(table.pos, table.dep, ctx.words, table.lemma)):
        if pos not in ("NOUN", "PROPN") or dep in ("compound", "amod"):
            continue
        if word not in heads and lemma not in heads and (word.isascii() or fold(word) not in heads):
            continue
        tok = ctx.doc[i]
        candidates.append((tok, core_phrase(tok).text))
    for _tok, phrase in candidates:
        first = ctx.targets.match(phrase, on)
        if first is not None and first.distinctive and not first.reverse and on:
            ctx.attested.add(first.id)
    named: list[Named] = []
    phrases: list[Phrase] = []
    for tok, phrase in candidates:
        found = ctx.targets.match(phrase, on, accept=ctx.accept)
        kind = ctx.lexicon.target_kinds.get(tok.lemma_.lower()) or ctx.lexicon.target_kinds.get(tok.lower_)
        if found is not None and not found.reverse:
            named.append(Named(tok.i, found.id, True))
        elif is_anaphor(ctx, tok) and _last_known(named) and _same_sort(ctx, _last_known(named), tok):
            named.append(Named(tok.i, _last_known(named), True))
        elif kind is not None and not any(c.lower_ in ctx.lexicon.not_target_words for c in tok.lefts):
            phrases.append(phrase_at(tok, kind, ctx.common, ctx.lexicon.throwaway, ctx.lexicon.named_by_of))
    ctx.open_at = merge(phrases)
    ctx.plain = {p.token for p in phrases if not p.own}
    named += [Named(i, target.id, False, target.kind) for i, target in ctx.open_at.items()]
    return sorted(named, key=lambda n: n.token)


def _last_known(named: list[Named]) -> str | None:
    return next((n.id for n in reversed(named) if n.known), None)


def _same_sort(ctx: DocumentContext, target_id: str, tok: Token) -> bool:
    """Whether an anaphor can stand for a registered target: "the talks" only for a conference, never for an issue."""
    target = ctx.targets.get(target_id)
    talks = "talks" in (ctx.lexicon.target_kinds.get(tok.lemma_.lower()), ctx.lexicon.target_kinds.get(tok.lower_))
    return target is not None and target.kind != "issue" and (target.kind == "conference" or not talks)
