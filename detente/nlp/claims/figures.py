"""Numeric claims: the figures a report states, as statements of a source.

A death toll is the figure analysts most often need over time, and it is never
one number: each report gives its own, hedged ("more than", "almost"), dated
and sourced ("according to activists"). So a figure is kept as its source
wrote it: a value, or a low/high bound, with its unit, its date (a date in the
same sentence, else the publication date) and who states it (the speaker of
the quote that contains it, the X of "according to X" or "X says", else the
outlet itself, `attributed_to=None`).

Numbers are found with a regular expression over the sentence (digits, number
words, vague plurals, fractions, percentages), because the small spaCy model
tags many of them inconsistently; the parse then says what the number counts.
A number becomes a claim only when a property can be read from the noun it
counts ("70,000 lives", "15 votes") or, for a plain count of people, from the
verb that governs it ("200,000 people killed", "half the population forced
from their homes"). Every word list lives in `detente/nlp/claims/claim_patterns.yaml`.

Decisions a user relies on:
- "more than X" is low=X, "almost X" is high=X, "about X" keeps value=X with no
  bounds (every bare figure is a rounded one; disputes give all of them the
  same tolerance);
- "millions" is not a claim by default (a hedge more than a figure; the
  data file's `vague_plurals_are_claims` turns it on), and when kept it is
  low=2,000,000 (at least two of the scale), never a value;
- a share of a population ("nearly half the population") keeps unit
  "percent" and its share (high=50), so it is never mistaken for a head count.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources
from typing import TYPE_CHECKING, Any

import yaml

from detente.nlp.quotes.candidates import load_lexicon
from detente.nlp.records import ClaimRecord, Mention, QuoteRecord

if TYPE_CHECKING:
    from spacy.tokens import Doc, Span, Token

    from detente.nlp.actors.document_actors import DocumentActors
    from detente.nlp.dates.expressions import TimeExpression

PATTERNS_FILE = "claim_patterns.yaml"

# Confidence of a claim by the evidence for its property.
_BY_NOUN = 0.9
_BY_VERB = 0.8
_VAGUE = 0.7  # "millions of people": the count itself is a guess
_SHARE = 0.9
_SKIPPED_ENTITIES = {"DATE", "TIME", "MONEY", "ORDINAL"}
_NOUN_DEPS = {"nummod", "quantmod", "compound", "amod", "predet", "nmod", "npadvmod", "det"}
_CLIMB_DEPS = {
    "pobj", "prep", "dobj", "nsubj", "nsubjpass", "nummod", "quantmod", "appos", "npadvmod",
    "attr", "acomp", "agent", "compound", "amod", "det", "predet", "poss", "conj", "cc", "nmod", "oprd",
}


# --------------------------------------------------------------------------- patterns


@dataclass(frozen=True)
class _Property:
    name: str
    unit: str | None
    nouns: frozenset[str]
    verbs: tuple[frozenset[str], ...]
    exclude: frozenset[str]
    context: frozenset[str]
    counted: frozenset[str] = frozenset()
    subject: str = "place"  # place | holder | conference
    min_value: float = 0.0


@dataclass(frozen=True)
class _Patterns:
    approximators: dict[str, str]  # phrase -> "low" | "high" | "about"
    number_words: dict[str, int]
    scales: dict[str, int]
    vague: dict[str, int]
    keep_vague: bool
    fractions: dict[str, float]
    percent_words: tuple[str, ...]
    population_nouns: frozenset[str]
    people_nouns: frozenset[str]
    properties: tuple[_Property, ...]
    conflict_subject: str
    conflict_words: frozenset[str]
    conflict_min_people: float
    country_places: frozenset[str]
    generic_holders: frozenset[str]
    reporting_verbs: frozenset[str]
    period_start_words: frozenset[str]
    spatial_preps: frozenset[str]
    place_nouns: frozenset[str]
    figure_re: re.Pattern
    number_tokens: frozenset[str]  # words that may start a figure, for a cheap pre-test


def _lower_set(items: Iterable[Any]) -> frozenset[str]:
    return frozenset(str(i).lower() for i in items or ())


def _phrase_re(phrase: str) -> str:
    """A phrase as a regex: any run of spaces or a hyphen between its words."""
    return r"[\s-]+".join(re.escape(w) for w in re.split(r"[\s-]+", phrase.strip()))


def _alternation(phrases: Iterable[str]) -> str:
    return "|".join(_phrase_re(p) for p in sorted(set(phrases), key=len, reverse=True))


def _figure_regex(raw: dict, approximators: dict[str, str]) -> re.Pattern:
    """One pattern for every way a figure is written, with its hedge in front.

    Groups: approx, between/range ends, number (digits or words), scale,
    vague, fraction, percent.
    """
    digits = r"\d{1,3}(?:,\d{3})+(?:\.\d+)?|\d+(?:\.\d+)?"
    small = [w for w in raw["number_words"] if w not in ("a", "an")]
    scales = list(raw["scales"])
    word = _alternation(small + scales)
    article_scale = rf"an?\s+(?:{_alternation(scales)})"
    words = rf"(?:{article_scale}|(?:{word}))(?:(?:[\s-]+(?:and\s+)?)(?:{word}))*"
    number = rf"(?:{digits})(?:\s*(?:{_alternation(scales)}))?|{words}"
    single = rf"(?:{number})(?:\s*(?P<percent>{_alternation(raw['percent_words'])}))?"
    between = rf"between\s+(?P<lo>{number})\s+and\s+(?P<hi>{number})"
    span_range = rf"(?P<lo2>{digits})\s*(?:-|–|to)\s*(?P<hi2>{digits})"
    approx = _alternation(approximators)
    return re.compile(
        rf"(?<![\w$€£#/.,-])(?:(?P<approx>{approx})\s+)?"
        rf"(?:(?P<between>{between})|(?P<range>{span_range})"
        rf"|(?P<vague>{_alternation(raw['vague_plurals'])})"
        rf"|(?P<fraction>{_alternation(raw['fractions'])})"
        rf"|(?P<number>{single}))"
        rf"(?![\w]|[.,]\d)",
        re.IGNORECASE,
    )


@lru_cache(maxsize=1)
def load_patterns() -> _Patterns:
    """Read the data file once; users extend the words there, not here."""
    source = resources.files("detente.nlp.claims") / PATTERNS_FILE
    raw = yaml.safe_load(source.read_text(encoding="utf-8"))
    approximators = {
        str(p).lower(): kind for kind in ("low", "high", "about") for p in raw["approximators"].get(kind) or ()
    }
    properties = tuple(
        _Property(
            name=name,
            unit=str(spec["unit"]) if spec.get("unit") else None,
            nouns=_lower_set(spec.get("nouns")),
            verbs=tuple(_lower_set(str(v).split()) for v in spec.get("verbs") or ()),
            exclude=_lower_set(spec.get("exclude")),
            context=_lower_set(spec.get("context")),
            counted=_lower_set(spec.get("counted")),
            subject=str(spec.get("subject") or "place"),
            min_value=float(spec.get("min_value") or 0),
        )
        for name, spec in raw["properties"].items()
    )
    return _Patterns(
        approximators=approximators,
        number_words={str(k).lower(): int(v) for k, v in raw["number_words"].items()},
        scales={str(k).lower(): int(v) for k, v in raw["scales"].items()},
        vague={" ".join(str(k).lower().split()): int(v) for k, v in raw["vague_plurals"].items()},
        keep_vague=bool(raw.get("vague_plurals_are_claims")),
        fractions={" ".join(re.split(r"[\s-]+", str(k).lower())): float(v) for k, v in raw["fractions"].items()},
        percent_words=tuple(str(p).lower() for p in raw["percent_words"]),
        population_nouns=_lower_set(raw["population_nouns"]),
        people_nouns=_lower_set(raw["people_nouns"]),
        properties=properties,
        conflict_subject=str(raw["conflict_subject"]),
        conflict_words=_lower_set(raw["conflict_words"]),
        conflict_min_people=float(raw["conflict_min_people"]),
        country_places=_lower_set(raw["country_places"]),
        generic_holders=_lower_set(raw["generic_holders"]),
        reporting_verbs=_lower_set(raw["reporting_verbs"]) | frozenset(load_lexicon().verbs),
        period_start_words=_lower_set(raw["period_start_words"]),
        spatial_preps=_lower_set(raw["spatial_preps"]),
        place_nouns=_lower_set(raw["place_nouns"]),
        figure_re=_figure_regex(raw, approximators),
        number_tokens=_lower_set(
            w for phrase in [*raw["number_words"], *raw["scales"], *raw["vague_plurals"], *raw["fractions"]]
            for w in re.split(r"[\s-]+", str(phrase)) if w.lower() not in ("a", "an", "in", "of", "one")
        ) | {"one"},
    )


# --------------------------------------------------------------------------- reading numbers


def read_number(text: str, patterns: _Patterns | None = None) -> float | None:
    """'70,000' → 70000; 'two hundred thousand' → 200000; '1.5 million' → 1500000."""
    patterns = patterns or load_patterns()
    words = [w for w in re.findall(r"\d+(?:\.\d+)?|[a-z]+", text.lower().replace(",", "")) if w != "and"]
    total, current, seen = 0.0, 0.0, False
    for word in words:
        if re.fullmatch(r"\d+(?:\.\d+)?", word):
            current += float(word)
        elif word in patterns.scales:
            scale = patterns.scales[word]
            current = (current or 1.0) * scale
            if scale >= 1000:
                total, current = total + current, 0.0
        elif word in patterns.number_words:
            current += patterns.number_words[word]
        else:
            return None
        seen = True
    return total + current if seen else None


@dataclass
class _Figure:
    """A number as written: its characters, its bounds, and what kind of number it is."""

    start: int
    end: int
    number_start: int  # where the number itself starts (after the hedge)
    value: float | None
    low: float | None
    high: float | None
    share: bool = False  # a percentage or fraction of something
    vague: bool = False


def _hedge(value: float, approx: str | None, patterns: _Patterns) -> tuple[float | None, float | None, float | None]:
    kind = patterns.approximators.get(" ".join(re.split(r"[\s-]+", approx.lower()))) if approx else None
    if kind == "low":
        return None, value, None
    if kind == "high":
        return None, None, value
    return value, None, None


def _figure(match: re.Match, offset: int, patterns: _Patterns) -> _Figure | None:
    start, end = match.start() + offset, match.end() + offset
    approx = match.group("approx")
    number_start = start
    if approx:
        rest = match.string[match.end("approx"):match.end()]
        number_start = match.end("approx") + offset + len(rest) - len(rest.lstrip())
    if match.group("between") or match.group("range"):
        lo = read_number(match.group("lo") or match.group("lo2"), patterns)
        hi = read_number(match.group("hi") or match.group("hi2"), patterns)
        if lo is None or hi is None or lo >= hi:
            return None
        return _Figure(start, end, number_start, None, lo, hi)
    if match.group("vague"):
        scale = patterns.vague[" ".join(match.group("vague").lower().split())]
        return _Figure(start, end, number_start, None, 2.0 * scale, None, vague=True)
    if match.group("fraction"):
        share = patterns.fractions[" ".join(re.split(r"[\s-]+", match.group("fraction").lower()))]
        return _Figure(start, end, number_start, *_hedge(share, approx, patterns), share=True)
    text = match.group("number")
    if match.group("percent"):
        text = text[: match.start("percent") - match.start("number")]
    value = read_number(text, patterns)
    if value is None:
        return None
    return _Figure(start, end, number_start, *_hedge(value, approx, patterns), share=bool(match.group("percent")))


def find_figures(sent: Span, patterns: _Patterns | None = None) -> list[_Figure]:
    """Every number of a sentence that could be a count, with its hedge."""
    patterns = patterns or load_patterns()
    found = []
    for match in patterns.figure_re.finditer(sent.text):
        figure = _figure(match, sent.start_char, patterns)
        if figure is not None:
            found.append(figure)
    return found


# --------------------------------------------------------------------------- the document


@dataclass
class _Context:
    doc: Doc
    patterns: _Patterns
    mentions: list[Mention]
    dates: list[TimeExpression]
    quotes: list[QuoteRecord]
    published: str | None

    def actor_at(self, start: int, end: int) -> str | None:
        """The actor of the mention covering most of these characters."""
        best, best_overlap = None, 0
        for m in self.mentions:
            overlap = min(end, m.end) - max(start, m.start)
            if overlap > best_overlap:
                best, best_overlap = m.actor, overlap
        return best


@dataclass
class _Site:
    """One figure and the parse around it, fenced to its own sentence.

    The small model sometimes parses two paragraphs as one tree ("... the US
    says" + next paragraph's figure); climbing past the sentence would
    attribute a figure to whoever spoke in the paragraph before.
    """

    figure: _Figure
    sent: Span
    anchor: Token
    noun: Token | None = None
    own: frozenset[int] = frozenset()  # the figure's words and its noun: never part of a subject's name

    def inside(self, token: Token) -> bool:
        return self.sent.start <= token.i < self.sent.end

    def up(self, token: Token) -> Token | None:
        head = token.head
        return head if head.i != token.i and self.inside(head) else None

    def top(self) -> Token:
        """The highest token of the counted phrase: the noun, or the number when it heads it."""
        if self.noun is not None and self.noun.i not in {t.i for t in self.anchor.subtree}:
            return self.noun
        return self.anchor

    def tokens(self) -> set[int]:
        found = {t.i for t in self.anchor.subtree}
        if self.noun is not None:
            found |= {t.i for t in self.noun.subtree}
        return found


def find_claims(
    doc: Doc,
    actors: DocumentActors,
    dates: list[TimeExpression],
    quotes: list[QuoteRecord],
    published: str | None,
) -> list[ClaimRecord]:
    """The figures of one document that count something a negotiation analyst tracks."""
    patterns = load_patterns()
    context = _Context(doc, patterns, list(actors.mentions), list(dates), list(quotes), published)
    claims: list[ClaimRecord] = []
    for sent in sentences(doc):
        if not any(ch.isdigit() for ch in sent.text) and not _has_number_word(sent, patterns):
            continue
        for figure in find_figures(sent, patterns):
            claim = _claim(figure, sent, context)
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


def _has_number_word(sent: Span, patterns: _Patterns) -> bool:
    """A cheap test that keeps the regex off sentences with no number at all."""
    return any(t.lower_ in patterns.number_tokens for t in sent)


def _claim(figure: _Figure, sent: Span, ctx: _Context) -> ClaimRecord | None:
    doc = ctx.doc
    span = doc.char_span(figure.number_start, figure.end, alignment_mode="expand")
    if span is None or not len(span) or _inside_date(figure, span, ctx):
        return None
    if figure.vague and not ctx.patterns.keep_vague:
        return None
    site = _Site(figure, sent, span.root)
    site.noun = _counted_noun(site, span)
    site.own = frozenset({t.i for t in span} | ({site.noun.i} if site.noun is not None else set()))
    found = _property(site, ctx.patterns)
    if found is None:
        return None
    prop, confidence = found
    amount = figure.value if figure.value is not None else (figure.low if figure.low is not None else figure.high)
    if amount is not None and amount < prop.min_value:
        return None
    noun = site.noun
    end = figure.end
    if noun is not None and 0 < noun.i - site.anchor.i <= 8:
        end = max(end, noun.idx + len(noun.text))
    if figure.vague:
        confidence *= _VAGUE
    elif figure.share:
        confidence *= _SHARE
    attributed_to, source_text = _attribution(site, ctx)
    return ClaimRecord(
        start=figure.start,
        end=end,
        subject=_subject(prop, site, ctx),
        property=prop.name,
        value=figure.value,
        low=figure.low,
        high=figure.high,
        unit="percent" if figure.share else prop.unit,
        date=_date(site, ctx),
        attributed_to=attributed_to,
        confidence=round(confidence, 3),
        source_text=source_text,
    )


def _inside_date(figure: _Figure, span: Span, ctx: _Context) -> bool:
    """Days, years, times and sums of money are numbers, but not counts."""
    if any(d.start < figure.end and figure.number_start < d.end for d in ctx.dates):
        return True
    numbers = [t for t in span if t.like_num]
    return bool(numbers) and all(t.ent_type_ in _SKIPPED_ENTITIES for t in numbers)


# --------------------------------------------------------------------------- what is counted


def _counted_noun(site: _Site, span: Span) -> Token | None:
    """The noun the number counts: "70,000 [lives]", "41 of the 70 [members]", "half [the population]"."""
    anchor = site.anchor
    head = site.up(anchor)
    if anchor.dep_ in _NOUN_DEPS and head is not None and head.pos_ in ("NOUN", "PROPN", "ADJ"):
        return head
    of = _of_object(anchor, span)
    if of is not None:
        return of
    for token in span:  # "one in [five] Syrians": the last number word counts the noun
        if token.dep_ == "nummod" and not span.start <= token.head.i < span.end and token.head.pos_ in ("NOUN", "PROPN"):
            return token.head
    doc = span.doc
    nxt = doc[span.end] if span.end < site.sent.end else None
    if nxt is not None and nxt.pos_ in ("NOUN", "ADJ") and nxt.head.i in (anchor.i, nxt.i):
        return nxt
    return None


def _of_object(token: Token, span: Span) -> Token | None:
    """Follow "of" chains out of the figure: "hundreds of thousands of [people]"."""
    for _ in range(4):
        prep = next((c for c in token.children if c.dep_ == "prep" and c.lower_ == "of"), None)
        obj = next((c for c in prep.children if c.dep_ == "pobj"), None) if prep is not None else None
        if obj is None:
            return None
        if not span.start <= obj.i < span.end:
            return obj
        token = obj
    return None


def _noun_words(noun: Token) -> set[str]:
    """The noun and its modifiers, as words and as the phrase they make ("death toll")."""
    mods = [c for c in noun.children if c.dep_ in ("compound", "amod") and c.i < noun.i]
    words = {noun.lower_, noun.lemma_.lower()} | {m.lower_ for m in mods} | {m.lemma_.lower() for m in mods}
    if mods:
        words.add(" ".join([m.lower_ for m in mods] + [noun.lower_]))
        words.add(f"{mods[-1].lower_} {noun.lower_}")
    return words


def _governing_verb(site: _Site, token: Token) -> Token | None:
    """The first verb above the counted phrase (the predicate that says what happened)."""
    for _ in range(12):
        head = site.up(token)
        if head is None:
            return None
        if head.pos_ in ("VERB", "AUX"):
            return head
        if token.dep_ not in _CLIMB_DEPS:
            return None
        token = head
    return None


def _predicate_words(site: _Site, verb: Token, skip: set[int]) -> set[str]:
    """Lemmas of the verb, its particles, prepositions and their objects, outside the figure."""
    words = {verb.lemma_.lower(), verb.lower_}
    for child in verb.children:
        if child.i in skip or not site.inside(child):
            continue
        if child.dep_ in ("prt", "acomp", "attr", "oprd", "agent", "neg"):
            words |= {child.lemma_.lower(), child.lower_}
        elif child.dep_ == "prep":
            words |= {child.lower_} | {g.lemma_.lower() for g in child.subtree if g.i not in skip}
        elif child.dep_ == "xcomp":
            words |= _predicate_words(site, child, skip)
        elif child.dep_ == "dobj" and not {t.i for t in child.subtree} & skip:
            words |= {g.lemma_.lower() for g in child.subtree}
    return words


def _clause_words(site: _Site) -> set[str]:
    """What the sentence says happened to the counted people.

    With no counted noun ("the death toll has risen to 150,000") the
    subject of the verb names what is counted, so its words count too.
    """
    skip = site.tokens()
    words: set[str] = set()
    verb = _governing_verb(site, site.top())
    if verb is not None:
        words |= _predicate_words(site, verb, skip - {verb.i})
        if site.noun is None:
            for child in verb.children:
                if child.dep_ in ("nsubj", "nsubjpass") and child.i not in skip:
                    words |= {g.lemma_.lower() for g in child.subtree if site.inside(g)}
    for child in (site.noun or site.anchor).children:  # "people killed", "people who fled", "people under siege"
        if child.dep_ in ("acl", "relcl", "amod") and child.pos_ in ("VERB", "ADJ", "AUX"):
            words |= _predicate_words(site, child, set())
        elif child.dep_ == "prep" and child.i > child.head.i:
            words |= {g.lemma_.lower() for g in child.subtree}
    return words


def _property(site: _Site, patterns: _Patterns) -> tuple[_Property, float] | None:
    """Which property the figure measures, and how sure the words make us."""
    noun, figure = site.noun, site.figure
    sentence_words = {t.lower_ for t in site.sent} | {t.lemma_.lower() for t in site.sent}
    noun_words = _noun_words(noun) if noun is not None else set()
    is_population = noun is not None and bool({noun.lower_, noun.lemma_.lower()} & patterns.population_nouns)
    if figure.share and not is_population:
        return None
    counts_people = noun is None or is_population or bool(noun_words & patterns.people_nouns)
    counted = {p.name for p in patterns.properties if noun_words & p.counted}
    clause = _clause_words(site) if counts_people or counted else set()

    def allowed(prop: _Property) -> bool:
        if prop.exclude & (clause | noun_words):
            return False
        return not prop.context or bool(prop.context & sentence_words)

    # The verb decides for plain people ("members killed" is a death toll) and
    # for what a property counts besides people ("40 countries gathered").
    for prop in patterns.properties:
        by_verb = (counts_people and prop.unit == "people") or prop.name in counted
        if by_verb and any(cue <= clause for cue in prop.verbs) and allowed(prop):
            return prop, _BY_VERB
    for prop in patterns.properties:
        if prop.nouns & noun_words and allowed(prop):
            if figure.share and prop.unit != "people":
                return None
            return prop, _BY_NOUN
    if noun is None:  # "put the number of dead at more than 130,000"
        for prop in patterns.properties:
            if prop.unit == "people" and prop.nouns & clause and allowed(prop):
                return prop, _BY_VERB
    return None


# --------------------------------------------------------------------------- about what


def slug(text: str) -> str:
    """'eastern Aleppo' → 'eastern-aleppo': a readable id for a subject no registry names."""
    words = re.findall(r"[a-z0-9]+", text.lower().replace("'s", "").replace("’s", ""))
    return "-".join(w for w in words if w not in ("the", "a", "an"))[:64] or "unknown"


def _phrase_tokens(token: Token) -> list[Token]:
    """A noun with the modifiers before it (not its relative clauses): "the main opposition [bloc]"."""
    lefts = [c.left_edge.i for c in token.lefts if c.dep_ in ("compound", "amod", "det", "poss", "nmod", "nummod")]
    return list(token.doc[min([token.i, *lefts]):token.i + 1])


def _name_of(token: Token, ctx: _Context, skip: set[int] = frozenset()) -> str:
    """An actor id when a mention covers the phrase, else a slug of its core words.

    Generic collectives say nothing ("a group of representatives of local
    councils"): their "of" phrase names the holder. `skip` holds the figure's
    own tokens, so "the 47-member council" is "council", not "member-council".
    """
    generic = ctx.patterns.generic_holders
    for _ in range(4):
        words = [t for t in _phrase_tokens(token) if t.i not in skip or t.i == token.i]
        end = token.idx + len(token.text)
        actor = ctx.actor_at(token.idx, end) or ctx.actor_at(words[0].idx, end)
        if actor:
            return actor
        if token.lemma_.lower() in generic or token.lower_ in generic:
            inner = _of_object(token, token.doc[token.i:token.i + 1])
            if inner is not None:
                token = inner
                continue
        core = [
            t.text for t in words
            if t.i == token.i or (t.pos_ not in ("DET", "NUM", "PUNCT", "PRON") and t.dep_ not in ("poss", "case"))
        ]
        return slug(" ".join(core) or token.text)
    return slug(token.text)


def _holder(site: _Site) -> Token | None:
    """Who holds the seats or votes: the subject of the verb that governs them."""
    verb = _governing_verb(site, site.top())
    for _ in range(3):
        if verb is None:
            return None
        subject = next((c for c in verb.children if c.dep_ in ("nsubj", "nsubjpass")), None)
        if subject is not None and subject.pos_ != "PRON":
            return subject
        if verb.dep_ == "relcl":
            return site.up(verb)
        if verb.dep_ not in ("advcl", "xcomp", "conj", "acl"):
            return None
        verb = site.up(verb)
    return None


def _body(site: _Site, noun: Token) -> Token | None:
    """The body whose members (seats, votes) these are: "the coalition's 70 members", "the 17-nation group"."""
    possessor = next((c for c in noun.children if c.dep_ == "poss"), None)
    if possessor is not None:
        return possessor
    of = next((c for c in noun.children if c.dep_ == "prep" and c.lower_ in ("of", "in", "on")), None)
    if of is not None:
        return next((c for c in of.children if c.dep_ == "pobj"), None)
    head = site.up(noun)
    if noun.dep_ in ("compound", "amod", "nmod") and head is not None and head.i > noun.i:
        return head
    return None


def _subject(prop: _Property, site: _Site, ctx: _Context) -> str:
    """Whose seats, votes or members these are; for counts of people, what they are a count of.

    "the council's 70 seats" and the whole of "12 of the [30] seats on the
    committee" belong to the body; "[41] of the council's 70 seats" and "15
    votes in the council" to whoever holds them (the subject of the verb);
    "70 members of the council" are the council's.
    """
    if prop.subject == "conference":
        return _conference(site, ctx) or slug(prop.name)
    if prop.subject != "holder":
        return _place_subject(site, ctx)
    anchor, noun = site.anchor, site.noun
    skip = set(site.own)
    partitive = noun is not None and noun.i > anchor.i and any(c.dep_ == "prep" and c.lower_ == "of" for c in anchor.children)
    possessor = next((c for c in noun.children if c.dep_ == "poss"), None) if noun is not None and not partitive else None
    if possessor is not None:
        return _name_of(possessor, ctx, skip)
    body = _body(site, noun) if noun is not None and not partitive else None
    whole = noun is not None and noun.head.lower_ == "of" and noun.head.head.like_num  # "12 of the [30] seats"
    if body is not None and (whole or prop.unit == "members"):
        return _name_of(body, ctx, skip)
    holder = _holder(site)
    if holder is not None:
        return _name_of(holder, ctx, skip)
    if body is not None:
        return _name_of(body, ctx, skip)
    return slug(prop.name)


def _place_subject(site: _Site, ctx: _Context) -> str:
    """The whole war, or the town or attack a local figure is about."""
    patterns, figure = ctx.patterns, site.figure
    words = {t.lower_ for t in site.sent} | {t.lemma_.lower() for t in site.sent}
    if words & patterns.conflict_words:
        return patterns.conflict_subject
    place = _local_place(site, ctx)
    if place is not None:
        return place
    amount = figure.value or figure.low or figure.high or 0
    if figure.share or amount >= patterns.conflict_min_people:
        return patterns.conflict_subject
    verb = _governing_verb(site, site.top())
    agent = next((c for c in verb.children if c.dep_ == "nsubj"), None) if verb is not None else None
    if agent is None or agent.pos_ == "PRON" or agent.i in site.tokens():
        return patterns.conflict_subject  # "3,000 prisoners remain in jail": no narrower subject is named
    return _name_of(agent, ctx)  # "the attack killed 30 people": the attack


def _local_place(site: _Site, ctx: _Context) -> str | None:
    """A town or region named in the figure's own clause ("struck near Aleppo, killing 20")."""
    verb = _governing_verb(site, site.top())
    scope = verb if verb is not None else site.top()
    if verb is not None and verb.dep_ in ("advcl", "relcl", "acl") and site.up(verb) is not None:
        scope = site.up(verb)
    patterns = ctx.patterns
    places = []
    for token in [scope, *scope.subtree]:
        if not site.inside(token) or token.dep_ != "pobj" or not _spatial(token.head, patterns):
            continue
        if token.pos_ != "PROPN" and token.ent_type_ not in ("GPE", "LOC", "FAC"):
            continue
        if token.lower_ in patterns.country_places or token.lower_.startswith("syria"):
            continue
        places.append(token)
    if not places:
        return None
    nearest = min(places, key=lambda t: abs(t.i - site.anchor.i))
    return slug(" ".join(t.text for t in _phrase_tokens(nearest) if t.pos_ != "DET"))


def _spatial(prep: Token, patterns: _Patterns) -> bool:
    """'in', 'near' ...; 'of' only after a place noun ("the town of Madaya")."""
    if prep.lower_ in patterns.spatial_preps:
        return True
    return prep.lower_ == "of" and prep.head.lemma_.lower() in patterns.place_nouns


TARGETS_FILE = "targets.yaml"


@lru_cache(maxsize=1)
def _conferences() -> tuple[tuple[str, re.Pattern, str, str], ...]:
    """(id, names, first month, last month) of each conference in the shared targets file."""
    source = resources.files("detente.nlp.stances") / TARGETS_FILE
    raw = yaml.safe_load(source.read_text(encoding="utf-8")) or {}
    found = []
    for target in raw.get("targets") or ():
        if target.get("kind") != "conference":
            continue
        names = [str(n) for n in [*(target.get("aliases") or ()), *(target.get("places") or ())]]
        if not names:
            continue
        window = [str(w) for w in target.get("window") or ("0000", "9999")]
        pattern = re.compile(rf"(?<!\w)(?:{_alternation(names)})(?!\w)", re.IGNORECASE)
        found.append((str(target["id"]), pattern, window[0], window[-1]))
    return tuple(found)


def _conference(site: _Site, ctx: _Context) -> str | None:
    """The conference a count of delegations is about: named in the sentence, else first in the report."""
    when = (ctx.published or "")[:7]
    usable = [c for c in _conferences() if not when or c[2][:7] <= when <= c[3][:7] + "~"]
    for text in (site.sent.text, ctx.doc.text):
        hits = [(m.start(), ident) for ident, names, _, _ in usable for m in [names.search(text)] if m]
        if hits:
            return min(hits)[1]
    return None


# --------------------------------------------------------------------------- whose figure, and when


def _attribution(site: _Site, ctx: _Context) -> tuple[str | None, str | None]:
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
    return ctx.actor_at(start, end), ctx.doc.text[start:end]


def _according_to(site: _Site) -> Token | None:
    for token in site.sent:
        if token.lower_ != "according" or token.i + 1 >= site.sent.end:
            continue
        to = token.doc[token.i + 1]
        if to.lower_ != "to":
            continue
        obj = next((c for c in to.children if c.dep_ == "pobj"), None)
        return obj or next((c for c in token.children if c.dep_ == "pobj"), None)
    return None


def _reporting_subject(site: _Site, patterns: _Patterns) -> Token | None:
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
            subject = next((c for c in token.children if c.dep_ == "nsubj"), None)
            if subject is not None and subject.pos_ != "PRON":
                return subject
    return None


def _date(site: _Site, ctx: _Context) -> str | None:
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


def _figure_verbs(site: _Site) -> set[int | None]:
    """The verb of the figure's clause and the reporting verbs above it (ids), or {None} without a verb."""
    verb = _governing_verb(site, site.top())
    found: set[int | None] = set()
    while verb is not None:
        found.add(verb.i)
        head = site.up(verb)
        if verb.dep_ not in ("ccomp", "xcomp", "parataxis") or head is None:
            break
        verb = head
    return found or {None}


def _date_verb(date: TimeExpression, site: _Site) -> int | None:
    span = site.sent.doc.char_span(date.start, date.end, alignment_mode="expand")
    if span is None or not len(span):
        return -1
    verb = span.root if span.root.pos_ in ("VERB", "AUX") else _governing_verb(site, span.root)
    return verb.i if verb is not None else None


def _opens_period(date: TimeExpression, ctx: _Context) -> bool:
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
