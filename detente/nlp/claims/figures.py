"""Numeric claims: every count and quantity a report states, as statements of a source.

A figure is never one number over time: each report gives its own, hedged
("more than", "almost"), dated and sourced ("according to activists"). So a
figure is kept as its source wrote it: a value, or a low/high bound, the
hedge's words as its `qualifier`, its unit, what it is about (`subject`), an
open `property` naming what it measures, its date and who states it.

The steps, each in a file of its own:
- `numbers`: find and read the numbers of a sentence, with their hedges;
- `not_quantities`: drop dates, years, clock times, ages, labels, list and phone numbers;
- `site` and `measures`: what the number counts or measures, from the parse;
- `subjects`: what the figure is about;
- `sources`: who states it, and when it stood.

Every word list lives in `detente/nlp/claims/claim_patterns.yaml`.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from detente.nlp.claims.context import ClaimContext
from detente.nlp.claims.measures import SHARE, VAGUE, measure
from detente.nlp.claims.not_quantities import dated_entity, not_a_quantity
from detente.nlp.claims.numbers import Figure, find_figures, read_number
from detente.nlp.claims.patterns import ClaimPatterns, load_patterns
from detente.nlp.claims.site import Site, counted_noun
from detente.nlp.claims.sources import attribution, claim_date
from detente.nlp.claims.subjects import subject_of
from detente.nlp.records import ClaimRecord, QuoteRecord

if TYPE_CHECKING:
    from spacy.tokens import Doc, Span

    from detente.nlp.actors.document_actors import DocumentActors
    from detente.nlp.dates.expressions import TimeExpression

__all__ = ["find_claims", "load_patterns", "read_number", "sentences"]

# A figure whose subject no name anchors ("the talks", "the corridor") keeps
# this share of its confidence: below the floor at which disputes compare figures.
UNANCHORED = 0.6
_NOUN_REACH = 8  # a counted noun this many tokens after the number joins the claim's span


def find_claims(
    doc: Doc,
    actors: DocumentActors,
    dates: list[TimeExpression],
    quotes: list[QuoteRecord],
    published: str | None,
) -> list[ClaimRecord]:
    """The figures of one document that count or measure something."""
    patterns = load_patterns()
    ctx = ClaimContext(doc, patterns, list(actors.mentions), list(dates), list(quotes), published, dict(actors.actors))
    claims: list[ClaimRecord] = []
    for sent in sentences(doc):
        if not _may_hold_figures(sent, patterns):
            continue
        for figure in find_figures(sent.text, sent.start_char, patterns):
            claim = _claim(figure, sent, ctx)
            if claim is not None:
                claims.append(claim)
    return claims


def sentences(doc: Doc) -> list[Span]:
    """spaCy's sentences, cut again at blank lines: a paragraph break always ends a sentence."""
    out = []
    for sent in doc.sents:
        start = sent.start
        for token in sent:
            if token.is_space and token.text.count("\n") >= 2:
                if token.i > start:
                    out.append(doc[start:token.i])
                start = token.i + 1
        if start < sent.end:
            out.append(doc[start:sent.end])
    return out


def _may_hold_figures(sent: Span, patterns: ClaimPatterns) -> bool:
    """A cheap test that keeps the regex off sentences with no number at all."""
    return any(ch.isdigit() for ch in sent.text) or any(t.lower_ in patterns.number_tokens for t in sent)


def _claim(figure: Figure, sent: Span, ctx: ClaimContext) -> ClaimRecord | None:
    patterns = ctx.patterns
    span = ctx.doc.char_span(figure.number_start, figure.end, alignment_mode="expand")
    if span is None or not len(span) or not_a_quantity(figure, span, ctx):
        return None
    if figure.vague and not patterns.keep_vague:
        return None
    site = Site(figure, sent, span, span.root)
    site.noun = counted_noun(site)
    site.own = frozenset({t.i for t in span} | ({site.noun.i} if site.noun is not None else set()))
    found = measure(site, patterns)
    counts_plural = site.noun is not None and site.noun.tag_ in ("NNS", "NNPS")  # "2,000 troops" may be tagged a date
    if found is None or (found.kind != "time" and not counts_plural and dated_entity(span)):
        return None
    if found.factor != 1:
        figure.scaled(found.factor)
    subject, anchored = subject_of(found, site, ctx)
    if found.kind == "share":
        anchored = False  # a share of which poll, which voters? Two shares rarely have the same base
    confidence = found.confidence
    if figure.vague:
        confidence *= VAGUE
    elif figure.share and found.kind == "people":
        confidence *= SHARE
    if not anchored:
        confidence *= UNANCHORED
    attributed_to, source_text = attribution(site, ctx)
    return ClaimRecord(
        start=figure.start,
        end=_end(site),
        subject=subject,
        property=found.property,
        value=figure.value,
        low=figure.low,
        high=figure.high,
        unit=found.unit,
        date=claim_date(site, ctx),
        attributed_to=attributed_to,
        confidence=round(confidence, 3),
        source_text=source_text,
        qualifier=figure.qualifier,
    )


def _end(site: Site) -> int:
    """The claim's words run to the counted noun when it follows closely ("more than 70,000 [people]")."""
    noun, end = site.noun, site.figure.end
    if noun is not None and 0 < noun.i - site.anchor.i <= _NOUN_REACH:
        end = max(end, noun.idx + len(noun.text))
    return end
