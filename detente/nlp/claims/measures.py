"""What a figure measures: its property and its unit.

The property is open. A unit names it first ("six weeks" is a `duration`,
"within seven days" a `deadline`, "nine days after" an `interval`, "20 km" a
`distance`, "$2bn" `money`, "50.2% of the vote" a `vote_share`). A count of
people takes the property its noun or verb gives in the data file
("70,000 lives" and "200,000 people killed" are a `death_toll`, "1,000
rebels released" `prisoners_released`). Any other count is named after the
noun it counts, joined to what the verb says happened to it ("3,000
troops", "40 rockets fired" → `rockets_fired`). A figure that counts nothing,
or nothing anyone tracks ("300 times", "the two sides"), has no property and
is not a claim.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import TYPE_CHECKING

from detente.nlp.claims.patterns import ClaimPatterns, NamedProperty, Unit, spaced
from detente.nlp.claims.site import Site, clause_words, event_verb, noun_words, of_object
from detente.nlp.token_table import children_of, token_table

if TYPE_CHECKING:
    from spacy.tokens import Token

# Confidence of a claim by the evidence for its property.
BY_NOUN = 0.9
BY_VERB = 0.8
BY_UNIT = 0.8
OPEN_COUNT = 0.7
VAGUE = 0.6  # "hundreds of people": the count itself is a guess, never compared in disputes
SHARE = 0.9


@dataclass
class Measure:
    """What one figure measures."""

    property: str
    unit: str | None
    confidence: float
    kind: str  # people | holder | conference | count | time | distance | area | money | share
    named: NamedProperty | None = None
    factor: float = 1.0  # "a decade" counts 10 years
    measured: Token | None = None  # the unit or counted noun, if any


def measure(site: Site, patterns: ClaimPatterns) -> Measure | None:
    """The figure's property and unit, or None when it is no quantity anyone tracks."""
    figure, noun = site.figure, site.noun
    currency = figure.currency or (_currency_word(noun, patterns) if noun is not None else None)
    if currency:
        return _money(site, currency, patterns)
    unit = _unit(noun, patterns) if noun is not None and not figure.share else None
    if unit is not None:
        return _timed(site, unit, patterns) if unit.kind == "time" else Measure(
            unit.kind, unit.name, BY_UNIT, unit.kind, factor=unit.factor, measured=noun)
    if figure.article or (noun is None and figure.written.lower() == "one"):
        return None  # "a" is a number only before a unit ("a week"); a lone "one" is a pronoun
    if _is_reference(site, patterns):
        return None
    if noun is not None and noun.lower_ in patterns.size_words:
        return _size(site, noun, patterns)
    if figure.share:
        return _share(site, patterns)
    if noun is not None and not _countable(noun, patterns):
        return None
    found = _named(site, patterns)
    if found is not None:
        return found
    return _open_count(site, patterns) if noun is not None else None


# --------------------------------------------------------------------------- units


def _unit(noun: Token, patterns: ClaimPatterns) -> Unit | None:
    """The unit a noun names: "kilometers", "days", "square kilometres" (with its modifier)."""
    before = noun.doc[noun.i - 1] if noun.i > 0 else None
    if before is not None and f"{before.lower_} {noun.lower_}" in patterns.units:
        return patterns.units[f"{before.lower_} {noun.lower_}"]
    return patterns.units.get(noun.lower_)


def _currency_word(noun: Token, patterns: ClaimPatterns) -> str | None:
    return patterns.currency_words.get(noun.lower_)


def _money(site: Site, currency: str, patterns: ClaimPatterns) -> Measure:
    """A sum of money: "$2bn in aid" is `aid`, "pledged $5 million" `money_pledged`, else `money`."""
    of = of_object(site.anchor, site.span) if site.noun is None else None
    label = _in_what(site) or of
    if label is not None and label.pos_ == "NOUN" and not _currency_word(label, patterns):
        return Measure(_slug_words(label), currency, BY_UNIT, "money", measured=label)
    verb = event_verb(site)
    participle = patterns.verb_properties.get(verb.lemma_.lower()) if verb is not None else None
    return Measure(f"money_{participle}" if participle else "money", currency, BY_UNIT, "money")


def _in_what(site: Site) -> Token | None:
    """The noun of "$2bn [in aid]", "a $5 million [package]"."""
    top = site.noun or site.anchor
    for child in children_of(top):
        if child.dep_ == "prep" and child.lower_ == "in" and child.i > top.i:
            return next((c for c in children_of(child) if c.dep_ == "pobj"), None)
    head = site.up(top)
    if top.dep_ in ("compound", "nmod", "amod", "nummod") and head is not None and head.pos_ == "NOUN" and head.i > top.i:
        return head
    return None


def _timed(site: Site, unit: Unit, patterns: ClaimPatterns) -> Measure | None:
    """A duration, a deadline or an interval; an age ("the 78-year-old") or a rate ("twice a day") is none."""
    noun = site.noun
    text = token_table(site.sent.doc).text
    before = text[max(0, site.figure.start - 40):site.figure.start].lower()
    after = [t.lower_ for t in noun.doc[noun.i + 1:min(noun.i + 3, site.sent.end)]]
    words_before = re.findall(r"[\w.]+", before)
    if (after and after[0] in patterns.age_words) or (after[:2] == ["-", "old"]) or (words_before[-1:] and words_before[-1] in patterns.age_words):
        return None
    if after and after[0] in patterns.date_words:
        return None  # "four years ago": a date
    if words_before and words_before[-1] in patterns.rate_words:
        return None
    kind = "duration"
    if any(re.search(rf"(?<!\w){re.escape(w)}\s*$", before) for w in patterns.deadline_words):
        kind = "deadline"
    elif after and after[0] in patterns.interval_words and not _has_of(noun):
        if site.figure.article and not site.figure.qualifier:
            return None  # "a day earlier", "a year later": a relative date, not a measured gap
        kind = "interval"
    return Measure(kind, unit.name, BY_UNIT, "time", factor=unit.factor, measured=noun)


def _has_of(noun: Token) -> bool:
    return any(c.dep_ == "prep" and c.lower_ == "of" for c in children_of(noun))


# --------------------------------------------------------------------------- shares


def _share(site: Site, patterns: ClaimPatterns) -> Measure | None:
    """A percentage or a fraction: of a population (what happened to it), of the vote, or of something named."""
    noun = site.noun
    population = noun is not None and bool({noun.lower_, noun.lemma_.lower()} & patterns.population_nouns)
    if population:
        found = _named(site, patterns)
        if found is not None:
            return found
    if not site.figure.written or not re.search(r"\d", site.figure.written):
        return None  # a fraction in words ("half", "a third") is a claim only of a population
    words = {t.lower_ for t in site.sent} | {t.lemma_.lower() for t in site.sent}
    if noun is not None and noun.lower_ not in ("%", "percent", "pct"):
        if noun.lower_ in patterns.vote_words or noun.lemma_.lower() in patterns.vote_words:
            return Measure("vote_share", "percent", BY_NOUN * SHARE, "share", measured=noun)
        return Measure("share", "percent", BY_NOUN * SHARE, "share", measured=noun)
    if words & patterns.turnout_words:
        return Measure("turnout", "percent", BY_NOUN * SHARE, "share")
    if words & patterns.vote_words:
        return Measure("vote_share", "percent", BY_NOUN * SHARE, "share")
    subject = _verb_subject(site)
    if subject is not None and subject.pos_ == "NOUN" and subject.lower_ not in patterns.number_tokens:
        return Measure(_slug_words(subject), "percent", OPEN_COUNT * SHARE, "share", measured=subject)
    return None


def _verb_subject(site: Site) -> Token | None:
    verb = event_verb(site)
    if verb is None:
        return None
    return next((c for c in children_of(verb) if c.dep_ in ("nsubj", "nsubjpass") and c.i not in site.own), None)


# --------------------------------------------------------------------------- counts


def _is_reference(site: Site, patterns: ClaimPatterns) -> bool:
    """"the two sides", "one of the leading nations": a small number that points at things, not a count."""
    figure = site.figure
    if figure.qualifier or figure.value is None or figure.value > patterns.definite_reference_max:
        return False
    after = site.after()
    if figure.value == 1 and after is not None and after.lower_ == "of":
        return True
    before = site.before()
    return before is not None and (before.lower_ in ("the", "these", "those", "both") or before.dep_ == "poss")


def _countable(noun: Token, patterns: ClaimPatterns) -> bool:
    """A noun whose count means something: not "times" or "sides", not a name ("Group of 20")."""
    if noun.lower_ in patterns.uncounted_nouns or noun.lemma_.lower() in patterns.uncounted_nouns:
        return False
    if noun_words(noun) & patterns.uncounted_phrases:
        return False
    if noun.pos_ == "PROPN":
        return noun.ent_type_ == "NORP" or noun.tag_ == "NNPS" or noun.lower_ in patterns.people_nouns
    return noun.pos_ in ("NOUN", "ADJ")


def _named(site: Site, patterns: ClaimPatterns) -> Measure | None:
    """A property of the data file: by the verb for counts of people, by the noun otherwise."""
    noun, figure = site.noun, site.figure
    sentence_words = {t.lower_ for t in site.sent} | {t.lemma_.lower() for t in site.sent}
    words = noun_words(noun) if noun is not None else set()
    is_population = noun is not None and bool({noun.lower_, noun.lemma_.lower()} & patterns.population_nouns)
    counts_people = noun is None or is_population or _is_people(noun, words, patterns)
    counted = {p.name for p in patterns.properties if words & p.counted}
    clause = clause_words(site) if counts_people or counted else set()

    def allowed(prop: NamedProperty) -> bool:
        if prop.exclude & (clause | words):
            return False
        if (figure.amount or 0) < prop.min_value:
            return False
        return not prop.context or bool(prop.context & sentence_words)

    # The verb decides for plain people ("members killed" is a death toll) and
    # for what a property counts besides people ("40 countries gathered").
    for prop in patterns.properties:
        by_verb = (counts_people and prop.unit == "people") or prop.name in counted
        if by_verb and any(cue <= clause for cue in prop.verbs) and allowed(prop):
            return _named_measure(prop, BY_VERB, figure.share)
    for prop in patterns.properties:
        if prop.nouns & words and allowed(prop):
            if figure.share and prop.unit != "people":
                return None
            return _named_measure(prop, BY_NOUN, figure.share)
    if noun is None:  # "put the number of dead at more than 130,000"
        for prop in patterns.properties:
            if prop.unit == "people" and prop.nouns & clause and allowed(prop):
                return _named_measure(prop, BY_VERB, figure.share)
    return None


def _named_measure(prop: NamedProperty, confidence: float, share: bool) -> Measure:
    kind = prop.subject if prop.subject in ("holder", "conference") else "people"
    return Measure(prop.name, "percent" if share else prop.unit, confidence, kind, named=prop)


def _is_people(noun: Token, words: set[str], patterns: ClaimPatterns) -> bool:
    return bool(words & patterns.people_nouns) or (noun.ent_type_ == "NORP" and noun.tag_ in ("NNPS", "NNS"))


def _size(site: Site, word: Token, patterns: ClaimPatterns) -> Measure | None:
    """'a 300-strong force': the size of the noun the word describes, in people."""
    head = site.up(word)
    if head is None or head.pos_ != "NOUN" or (site.figure.amount or 0) < patterns.open_count_min:
        return None
    return Measure(f"{_slug_words(head)}_size", "people", OPEN_COUNT, "count", measured=head)


def _open_count(site: Site, patterns: ClaimPatterns) -> Measure | None:
    """A count with no property of its own: named after its noun, and the verb's word when one is listed."""
    noun = site.noun
    verb = event_verb(site)
    participle = patterns.verb_properties.get(verb.lemma_.lower()) if verb is not None else None
    if (site.figure.amount or 0) < patterns.open_count_min:
        return None
    if noun.tag_ == "NN" and noun.lower_ not in patterns.invariant_plurals:
        return None  # "a five-person race", "a 911 call": a description or a name, not a count
    base = _slug_words(noun)
    name = f"{base}_{participle}" if participle else base
    return Measure(name, base, OPEN_COUNT, "count", measured=noun)


def _slug_words(noun: Token) -> str:
    """'ethnic rebel armies' → 'rebel_armies': the noun with the nouns compounded before it, lower-cased."""
    compounds = [c for c in children_of(noun) if c.dep_ == "compound" and c.i < noun.i and c.pos_ == "NOUN"]
    words = [c.lower_ for c in compounds] + [noun.lower_]
    return "_".join(re.sub(r"[^a-z0-9]+", "_", spaced(w)).strip("_") for w in words if w.strip("_")) or "count"
