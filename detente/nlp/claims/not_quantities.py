"""Numbers that are not quantities: dates, years, clock times, ages, labels, list and phone numbers.

These are dropped before the parse is asked what a number counts, because
each looks like a count to a parser: "in 2015 talks", "at 1000 GMT", "the
78-year-old", "Resolution 2254", "1. The parties agree", "+41 22 917 1234".
"""

from __future__ import annotations

import re
from typing import TYPE_CHECKING

from detente.nlp.claims.numbers import Figure
from detente.nlp.token_table import token_table

if TYPE_CHECKING:
    from spacy.tokens import Span

    from detente.nlp.claims.context import ClaimContext

_YEARISH = re.compile(r"\d{4}")
_DATED_ENTITIES = {"DATE", "TIME", "ORDINAL"}


def not_a_quantity(figure: Figure, span: Span, ctx: ClaimContext) -> bool:
    """True for a number that only names or places something."""
    return (
        _inside_date(figure, span, ctx)
        or _calendar_year(figure, span, ctx)
        or _clock_time(span, ctx)
        or _label(figure, span, ctx)
        or _list_or_phone_number(figure, ctx)
        or _age(span, ctx)
    )


def dated_entity(span: Span) -> bool:
    """The parser reads every number of the figure as a date, a time or an ordinal ("the 2012 communique")."""
    numbers = [t for t in span if t.like_num]
    return bool(numbers) and all(t.ent_type_ in _DATED_ENTITIES for t in numbers)


def _inside_date(figure: Figure, span: Span, ctx: ClaimContext) -> bool:
    return any(d.start < figure.end and figure.number_start < d.end for d in ctx.dates)


def _plural_follows(span: Span) -> bool:
    nxt = span.doc[span.end] if span.end < len(span.doc) else None
    return nxt is not None and nxt.tag_ in ("NNS", "NNPS")


def _calendar_year(figure: Figure, span: Span, ctx: ClaimContext) -> bool:
    """A four-digit number in the years' range written without a separator: "the 2001 attacks", "2016-2018"."""
    parts = re.findall(r"[\d,.]+", figure.written)
    if not parts or figure.share or figure.currency:
        return False
    first, last = ctx.patterns.calendar_years
    return all(_YEARISH.fullmatch(p) and first <= int(p) <= last for p in parts)


def _clock_time(span: Span, ctx: ClaimContext) -> bool:
    nxt = span.doc[span.end] if span.end < len(span.doc) else None
    return nxt is not None and nxt.lower_ in ctx.patterns.clock_words


def _label(figure: Figure, span: Span, ctx: ClaimContext) -> bool:
    """'Resolution 2254', 'Article 5', 'Group of 20', 'Boeing 737': a number that is part of a name."""
    if figure.qualifier or figure.currency:
        return False
    doc, first = span.doc, span.start
    before = doc[first - 1] if first > 0 else None
    if before is None or before.is_sent_start:
        return before is not None and before.lower_ in ctx.patterns.label_words
    if before.lower_ in ctx.patterns.label_words:
        return True
    if before.lower_ == "of" and first > 1 and _capitalised(doc[first - 2]) and not doc[first - 2].is_sent_start:
        return True  # "Group of 20"
    return before.pos_ == "PROPN" and _capitalised(before) and not _plural_follows(span)


def _capitalised(token) -> bool:
    return token.text[:1].isupper()


def _list_or_phone_number(figure: Figure, ctx: ClaimContext) -> bool:
    """'1.' or '(2)' opening a line, or one group of a run of digit groups ("+41 22 917 1234")."""
    text = token_table(ctx.doc).text
    line_start = text.rfind("\n", 0, figure.start) + 1
    opening = text[line_start:figure.start].strip() in ("", "(")
    if opening and text[figure.end:figure.end + 1] in (".", ")") and not text[figure.end + 1:figure.end + 2].isdigit():
        return True
    if figure.qualifier or figure.share or figure.currency:
        return False
    return bool(re.search(r"\d[ -]?$", text[max(0, figure.start - 2):figure.start])
                or re.match(r"[ -]?\d", text[figure.end:figure.end + 2]))


def _age(span: Span, ctx: ClaimContext) -> bool:
    """'aged 78': an age is a person's attribute, not a figure anyone reports."""
    before = span.doc[span.start - 1] if span.start > 0 else None
    return before is not None and before.lower_ in ctx.patterns.age_words
