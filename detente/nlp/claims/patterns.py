"""The claim extractor's word lists, read once from `claim_patterns.yaml`.

Every list a user may extend lives in the data file; this module only turns
it into sets, maps and one compiled regular expression for figures.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources
from typing import Any


from detente.data_files import load_yaml
from detente.nlp.quotes.candidates import load_lexicon

PATTERNS_FILE = "claim_patterns.yaml"


@dataclass(frozen=True)
class NamedProperty:
    """A property with a name of its own ("death_toll", "seats"), and the words that give it."""

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
class Unit:
    """What a unit word measures: "decade" is 10 "years" of kind "time"."""

    name: str
    factor: float
    kind: str  # time | distance | area


@dataclass(frozen=True)
class ClaimPatterns:
    approximators: dict[str, str]  # phrase -> "low" | "high" | "about"
    number_words: dict[str, int]
    scales: dict[str, int]
    vague: dict[str, int]
    keep_vague: bool
    fractions: dict[str, float]
    population_nouns: frozenset[str]
    units: dict[str, Unit]  # unit word (spaces single) -> unit
    deadline_words: tuple[str, ...]
    interval_words: frozenset[str]
    age_words: frozenset[str]
    date_words: frozenset[str]
    rate_words: frozenset[str]
    currency_signs: dict[str, str]
    currency_words: dict[str, str]
    vote_words: frozenset[str]
    turnout_words: frozenset[str]
    people_nouns: frozenset[str]
    properties: tuple[NamedProperty, ...]
    verb_properties: dict[str, str]
    uncounted_nouns: frozenset[str]
    uncounted_phrases: frozenset[str]
    invariant_plurals: frozenset[str]
    size_words: frozenset[str]
    open_count_min: float
    definite_reference_max: float
    label_words: frozenset[str]
    clock_words: frozenset[str]
    calendar_years: tuple[int, int]
    conflict_words: frozenset[str]
    conflict_min_people: float
    conflict_names: dict[str, str]
    party_nouns: frozenset[str]
    conflict_min_mentions: int
    conflict_lead: float
    country_places: frozenset[str]
    generic_holders: frozenset[str]
    reporting_verbs: frozenset[str]
    period_start_words: frozenset[str]
    spatial_preps: frozenset[str]
    place_nouns: frozenset[str]
    figure_re: re.Pattern
    number_tokens: frozenset[str]  # words of figures and units, for a cheap pre-test


def lower_set(items: Iterable[Any]) -> frozenset[str]:
    return frozenset(str(i).lower() for i in items or ())


def spaced(phrase: str) -> str:
    """A phrase with its words joined by single spaces, lower-cased: the key of every phrase map."""
    return " ".join(re.split(r"[\s-]+", str(phrase).strip().lower()))


def phrase_re(phrase: str) -> str:
    """A phrase as a regex: any run of spaces or a hyphen between its words."""
    return r"[\s-]+".join(re.escape(w) for w in re.split(r"[\s-]+", phrase.strip()))


def alternation(phrases: Iterable[str]) -> str:
    return "|".join(phrase_re(p) for p in sorted(set(phrases), key=len, reverse=True))


def _figure_regex(raw: dict, approximators: dict[str, str]) -> re.Pattern:
    """One pattern for every way a figure is written, with its hedge and currency in front.

    Groups: approx, currency, between (lo, hi), range (lo2, hi2), vague, half,
    fraction, ratio ("three in five"), article ("a week"), number, percent.
    """
    digits = r"\d{1,3}(?:,\d{3})+(?:\.\d+)?|\d+(?:\.\d+)?"
    small = [w for w in raw["number_words"] if w not in ("a", "an")]
    scales = alternation(raw["scales"])
    word = alternation(small + list(raw["scales"]))
    article_scale = rf"an?\s+(?:{scales})"
    words = rf"(?:{article_scale}|(?:{word}))(?:(?:[\s-]+(?:and\s+)?)(?:{word}))*"
    number = rf"(?:{digits})(?:\s*(?:{scales})(?![\w]))?|{words}"
    percent = alternation(raw["percent_words"])
    single = rf"(?:{number})(?:\s*(?P<percent>{percent}))?"
    between = rf"between\s+(?P<lo>{number})\s+and\s+(?P<hi>{number})"
    span_range = rf"(?P<lo2>{number})\s*(?:-|–|to)\s*(?P<hi2>{number})(?:\s*(?P<percent2>{percent}))?"
    article_units = alternation(u for u, spec in raw["units"].items() if float(spec[1]) >= 1 and not str(u).endswith("s"))
    currency = alternation(raw["currency_signs"])
    return re.compile(
        rf"(?<![\w$€£#/.,:+\[-])(?:(?P<approx>{alternation(approximators)})\s+)?"
        rf"(?P<currency>{currency})?\s?"
        rf"(?:(?P<between>{between})|(?P<range>{span_range})"
        rf"|(?P<vague>{alternation(raw['vague_plurals'])})"
        rf"|(?P<half>half\s+an?\s+(?:{scales}|{article_units})(?![\w]))"
        rf"|(?P<fraction>{alternation(raw['fractions'])})"
        rf"|(?P<ratio>(?:{word}|\d+)[\s-]+in[\s-]+(?:{word}|\d+))(?![\w])"
        rf"|(?P<article>an?)(?=[\s-]+(?:{article_units})(?![\w]))"
        rf"|(?P<number>{single}))"
        rf"(?![\w+/\]]|[.,:]\d)",
        re.IGNORECASE,
    )


def _named_properties(raw: dict) -> tuple[NamedProperty, ...]:
    return tuple(
        NamedProperty(
            name=name,
            unit=str(spec["unit"]) if spec.get("unit") else None,
            nouns=lower_set(spec.get("nouns")),
            verbs=tuple(lower_set(str(v).split()) for v in spec.get("verbs") or ()),
            exclude=lower_set(spec.get("exclude")),
            context=lower_set(spec.get("context")),
            counted=lower_set(spec.get("counted")),
            subject=str(spec.get("subject") or "place"),
            min_value=float(spec.get("min_value") or 0),
        )
        for name, spec in raw["properties"].items()
    )


@lru_cache(maxsize=1)
def load_patterns() -> ClaimPatterns:
    """Read the data file once; users extend the words there, not here."""
    source = resources.files("detente.nlp.claims") / PATTERNS_FILE
    raw = load_yaml(source.read_text(encoding="utf-8"))
    approximators = {spaced(p): kind for kind in ("low", "high", "about") for p in raw["approximators"].get(kind) or ()}
    years = [int(y) for y in raw["calendar_years"]]
    return ClaimPatterns(
        approximators=approximators,
        number_words={str(k).lower(): int(v) for k, v in raw["number_words"].items()},
        scales={str(k).lower(): int(v) for k, v in raw["scales"].items()},
        vague={spaced(k): int(v) for k, v in raw["vague_plurals"].items()},
        keep_vague=bool(raw.get("vague_plurals_are_claims")),
        fractions={spaced(k): float(v) for k, v in raw["fractions"].items()},
        population_nouns=lower_set(raw["population_nouns"]),
        units={spaced(k): Unit(str(v[0]), float(v[1]), str(v[2])) for k, v in raw["units"].items()},
        deadline_words=tuple(sorted((spaced(w) for w in raw["deadline_words"]), key=len, reverse=True)),
        interval_words=lower_set(raw["interval_words"]),
        age_words=lower_set(raw["age_words"]),
        date_words=lower_set(raw["date_words"]),
        rate_words=lower_set(raw["rate_words"]),
        currency_signs={str(k).upper(): str(v) for k, v in raw["currency_signs"].items()},
        currency_words={spaced(k): str(v) for k, v in raw["currency_words"].items()},
        vote_words=lower_set(raw["vote_words"]),
        turnout_words=lower_set(raw["turnout_words"]),
        people_nouns=lower_set(raw["people_nouns"]),
        properties=_named_properties(raw),
        verb_properties={str(k).lower(): str(v) for k, v in raw["verb_properties"].items()},
        uncounted_nouns=lower_set(raw["uncounted_nouns"]),
        uncounted_phrases=frozenset(spaced(p) for p in raw["uncounted_phrases"]),
        invariant_plurals=lower_set(raw["invariant_plurals"]),
        size_words=lower_set(raw["size_words"]),
        open_count_min=float(raw["open_count_min"]),
        definite_reference_max=float(raw["definite_reference_max"]),
        label_words=lower_set(raw["label_words"]),
        clock_words=lower_set(raw["clock_words"]),
        calendar_years=(years[0], years[-1]),
        conflict_words=lower_set(raw["conflict_words"]),
        conflict_min_people=float(raw["conflict_min_people"]),
        conflict_names={str(k).upper(): str(v) for k, v in (raw.get("conflict_names") or {}).items()},
        party_nouns=lower_set(raw["party_nouns"]),
        conflict_min_mentions=int(raw["conflict_min_mentions"]),
        conflict_lead=float(raw["conflict_lead"]),
        country_places=lower_set(raw["country_places"]),
        generic_holders=lower_set(raw["generic_holders"]),
        reporting_verbs=lower_set(raw["reporting_verbs"]) | frozenset(load_lexicon().verbs),
        period_start_words=lower_set(raw["period_start_words"]),
        spatial_preps=lower_set(raw["spatial_preps"]),
        place_nouns=lower_set(raw["place_nouns"]),
        figure_re=_figure_regex(raw, approximators),
        number_tokens=lower_set(
            w for phrase in [*raw["number_words"], *raw["scales"], *raw["vague_plurals"], *raw["fractions"], *raw["units"]]
            for w in re.split(r"[\s-]+", str(phrase)) if w.lower() not in ("a", "an", "in", "of", "square", "sq")
        ),
    )
