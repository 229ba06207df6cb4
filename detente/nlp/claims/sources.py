"""Whose figure it is, and when it stood.

A figure is stated by the speaker of the quote that contains it, by the X of
"according to X" or "X says / estimates / put the toll at", else by the
outlet itself (`attributed_to=None`). It is dated by a date in its own
clause, else by the publication date.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from detente.nlp.claims.site import Site, governing_verb
from detente.nlp.token_table import children_of, token_table

if TYPE_CHECKING:
    from spacy.tokens import Token

    from detente.nlp.claims.context import ClaimContext
    from detente.nlp.claims.patterns import ClaimPatterns
    from detente.nlp.dates.expressions import TimeExpression


# --------------------------------------------------------------------------- who states it


def attribution(site: Site, ctx: ClaimContext) -> tuple[str | None, str | None]:
    """(actor id, source words): the quote's speaker, "according to X", "X says/estimates"; else the outlet."""
    figure = site.figure
    for quote in ctx.quotes:
        if quote.start <= figure.number_start and figure.end <= quote.end + 1 and (quote.speaker or quote.speaker_text):
            return quote.speaker, quote.speaker_text
    source = _according_to(site) or _reporting_subject(site, ctx.patterns)
    if source is None:
        return None, None
    left, right = source.left_edge, source.right_edge
    start, end = left.idx, right.idx + len(right.text)
    return _source_actor(source, ctx) or ctx.actor_at(start, end), token_table(ctx.doc).text[start:end]


def _source_actor(source: Token, ctx: ClaimContext) -> str | None:
    """The actor the source's head word or an apposition names: "the UN envoy for Syria, [Staffan de Mistura]"."""
    queue = [source]
    for token in queue[:8]:
        actor = ctx.actor_at(token.idx, token.idx + len(token.text))
        if actor:
            return actor
        queue += [c for c in children_of(token) if c.dep_ == "appos"]
    return None


def _according_to(site: Site) -> Token | None:
    for token in site.sent:
        if token.lower_ != "according" or token.i + 1 >= site.sent.end:
            continue
        to = token.doc[token.i + 1]
        if to.lower_ != "to":
            continue
        obj = next((c for c in children_of(to) if c.dep_ == "pobj"), None)
        return obj or next((c for c in children_of(token) if c.dep_ == "pobj"), None)
    return None


def _reporting_subject(site: Site, patterns: ClaimPatterns) -> Token | None:
    """The subject of a reporting verb above the figure: "[the UN] estimates that ...".

    Only a verb whose clause holds the figure reports it ("says [that 70,000
    were killed]", "put the toll [at 130,000]"); "the war has claimed 70,000
    lives" is not the war speaking.
    """
    token = site.anchor
    for _ in range(12):
        head = site.up(token)
        if head is None:
            return None
        came_from, token = token, head
        reports = came_from.dep_ in ("ccomp", "parataxis", "xcomp") or (came_from.dep_ == "prep" and came_from.lower_ == "at")
        if reports and token.pos_ in ("VERB", "AUX") and token.lemma_.lower() in patterns.reporting_verbs:
            subject = next((c for c in children_of(token) if c.dep_ == "nsubj"), None)
            if subject is not None and subject.pos_ != "PRON":
                return subject
    return None


# --------------------------------------------------------------------------- when


def claim_date(site: Site, ctx: ClaimContext) -> str | None:
    """The date the figure stands at: a date in its own clause, else the publication date.

    A date in another clause dates something else ("the UN stopped counting
    earlier this month; activists put the toll at ..."), and a date that opens
    a period ("killed since March 2011") says when counting started, not when
    the figure was true.
    """
    verbs = _figure_verbs(site)
    sent = site.sent
    usable = [
        d for d in ctx.dates
        if sent.start_char <= d.start and d.end <= sent.end_char
        and not _opens_period(d, ctx) and _date_verb(d, site) in verbs
    ]
    if not usable:
        return ctx.published
    figure = site.figure
    return min(usable, key=lambda d: min(abs(d.start - figure.end), abs(figure.start - d.end))).value


def _figure_verbs(site: Site) -> set[int | None]:
    """The verb of the figure's clause and the reporting verbs above it (ids), or {None} without a verb."""
    verb = governing_verb(site, site.top())
    found: set[int | None] = set()
    while verb is not None:
        found.add(verb.i)
        head = site.up(verb)
        if verb.dep_ not in ("ccomp", "xcomp", "parataxis") or head is None:
            break
        verb = head
    return found or {None}


def _date_verb(date: TimeExpression, site: Site) -> int | None:
    span = site.sent.doc.char_span(date.start, date.end, alignment_mode="expand")
    if span is None or not len(span):
        return -1
    verb = span.root if span.root.pos_ in ("VERB", "AUX") else governing_verb(site, span.root)
    return verb.i if verb is not None else None


def _opens_period(date: TimeExpression, ctx: ClaimContext) -> bool:
    span = ctx.doc.char_span(date.start, date.end, alignment_mode="expand")
    if span is None or not len(span):
        return False
    before = ctx.doc[max(span.start - 4, span.sent.start):span.start]
    period = ctx.patterns.period_start_words
    if any(t.lower_ in period or t.lemma_.lower() in period for t in before):
        return True
    token = span.root
    for _ in range(3):
        if token.head.i == token.i:
            break
        token = token.head
        if token.lemma_.lower() in period:
            return True
    return False
