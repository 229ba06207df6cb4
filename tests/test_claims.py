"""Numeric claims: the figures a user tracks over time, with their hedges and sources.

Every sentence here is written for these tests. Actor mentions are built by
string matching, so the tests depend only on the Mention record and not on
the actor finder; dates come from the date finder, whose output is a
documented record. Each kind of quantity is tested in test_claim_quantities.py,
numbers that are no quantity in test_claim_non_claims.py.
"""

from __future__ import annotations

import dataclasses
import re

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from detente.nlp.actors.document_actors import DocumentActors
from detente.nlp.claims import figures as claims_module
from detente.nlp.claims.figures import find_claims, load_patterns, read_number, sentences
from detente.nlp.dates.expressions import find_dates
from detente.nlp.records import ActorRecord, ClaimRecord, Mention, QuoteRecord

from conftest import mentions_from_names

PUBLISHED = "2014-03-12"
ACTORS = {
    "United Nations": ("united-nations", "organization"),
    "UN": ("united-nations", "organization"),
    "Red Crescent": ("red-crescent", "organization"),
    "Northern Alliance": ("northern-alliance", "organization"),
    "Unity Council": ("unity-council", "organization"),
    "council": ("unity-council", "organization"),
    "Syria": ("syria", "state"),
    "Syrian": ("syria", "state"),
    "Sudan": ("sudan", "state"),
    "Sudanese": ("sudan", "state"),
    "United States": ("united-states", "state"),
    "US": ("united-states", "state"),
}
COUNTRIES = {"syria": "SYR", "sudan": "SDN", "united-states": "USA"}


def mentions_in(text: str) -> list[Mention]:
    return mentions_from_names(text, ACTORS)


def claims_of(nlp, text: str, quotes: list[QuoteRecord] | None = None, published: str | None = PUBLISHED) -> list[ClaimRecord]:
    doc = nlp(text)
    records = {a: ActorRecord(a, a.title(), "state", country) for a, country in COUNTRIES.items()}
    actors = DocumentActors(mentions_in(text), records, [])
    return find_claims(doc, actors, find_dates(doc, published), quotes or [], published)


def only(found: list[ClaimRecord]) -> ClaimRecord:
    assert len(found) == 1, [(c.property, c.value, c.low, c.high) for c in found]
    return found[0]


# --------------------------------------------------------------------------- hedges and numbers


@pytest.mark.parametrize("kind", ["low", "high", "about"])
def test_every_hedge_in_the_data_file_sets_the_right_bound_and_is_kept_as_the_qualifier(nlp, kind):
    """A user who adds "upwards of" to the low list gets low bounds, with no code change."""
    phrases = [p for p, k in load_patterns().approximators.items() if k == kind]
    for phrase in phrases:
        claim = only(claims_of(nlp, f"The war has killed {phrase} 12,500 people, the monitor reported."))
        bounds = {"low": (None, 12500.0, None), "high": (None, None, 12500.0), "about": (12500.0, None, None)}[kind]
        assert (claim.value, claim.low, claim.high) == bounds, phrase
        assert claim.property == "death_toll"
        assert claim.qualifier == phrase


def test_a_bare_figure_has_no_qualifier(nlp):
    assert only(claims_of(nlp, "The war has killed 12,500 people.")).qualifier is None


def test_a_range_keeps_both_ends(nlp):
    claim = only(claims_of(nlp, "Between 1,200 and 1,500 civilians were detained during the raids, the monitors said."))
    assert (claim.value, claim.low, claim.high) == (None, 1200.0, 1500.0)
    assert claim.property == "detainees"
    assert claim.qualifier == "between"


def test_numbers_in_words_are_read(nlp):
    claim = only(claims_of(nlp, "Seventy-five thousand people have died since the war began."))
    assert claim.value == 75000
    assert claim.property == "death_toll"


@pytest.mark.parametrize("text,value", [
    ("70,000", 70000), ("1.5 million", 1_500_000), ("two hundred thousand", 200_000),
    ("a dozen", 12), ("forty-one", 41), ("three million", 3_000_000), ("2,500", 2500), ("3m", 3_000_000),
])
def test_read_number(text, value):
    assert read_number(text) == value


@given(st.integers(min_value=1, max_value=10**12))
def test_digits_with_thousands_separators_read_back(n):
    assert read_number(f"{n:,}") == n


@pytest.mark.parametrize("words,low", [("hundreds of", 200), ("thousands of", 2000), ("dozens of", 24),
                                       ("tens of thousands of", 20000)])
def test_vague_plurals_are_lower_bounds_never_values(nlp, words, low):
    """"Hundreds of" is a guess at a scale: at least two of it, with the words kept."""
    claim = only(claims_of(nlp, f"The fighting has displaced {words} families."))
    assert (claim.value, claim.low, claim.high) == (None, low, None)
    assert claim.qualifier == words
    assert claim.property == "displaced"


def test_vague_plurals_can_be_turned_off_in_the_data_file(nlp, monkeypatch):
    drop = dataclasses.replace(load_patterns(), keep_vague=False)
    monkeypatch.setattr(claims_module, "load_patterns", lambda: drop)
    assert claims_of(nlp, "The war has displaced millions of people.") == []


def test_a_share_of_the_population_stays_a_percentage(nlp):
    claim = only(claims_of(nlp, "Fighting has driven nearly half of the population from their homes."))
    assert claim.unit == "percent"
    assert claim.high == 50 and claim.value is None
    assert claim.property == "displaced"


# --------------------------------------------------------------------------- what is counted


@pytest.mark.parametrize("text,prop", [
    ("The conflict has claimed more than 90,000 lives.", "death_toll"),
    ("The monitors put the number of dead at 110,000.", "death_toll"),
    ("The death toll has climbed to 160,000, the monitors said.", "death_toll"),
    ("About 40,000 residents remain under siege in the old city.", "besieged"),
    ("More than two million Syrians have fled the country.", "refugees"),
    ("The shelling forced 8,000 families from their homes.", "displaced"),
    ("Police arrested 120 protesters at the rally.", "detainees"),
    ("A convoy of 40 aid trucks reached the town on Sunday.", "aid_trucks"),
])
def test_the_property_comes_from_the_noun_or_the_verb(nlp, text, prop):
    assert only(claims_of(nlp, text)).property == prop


@pytest.mark.parametrize("text", [
    "The two sides met for the first time.",
    "The army said rebels had broken the truce more than 300 times.",
    "The foreign minister spoke for more than half an hour.",
    "Resolution 2254 was adopted unanimously.",
    "Talks resumed at 1000 GMT on Friday.",
    "The envoy met the two delegations separately.",
])
def test_numbers_that_count_nothing_tracked_are_not_claims(nlp, text):
    assert claims_of(nlp, text) == []


def test_a_bloc_and_its_body_both_get_their_figures(nlp):
    text = "The hardliners hold 41 of the Unity Council's 70 seats."
    found = {c.value: c for c in claims_of(nlp, text)}
    assert set(found) == {41, 70}
    assert found[41].property == found[70].property == "seats"
    assert found[70].subject == "unity-council"
    assert found[41].subject == "hardliners"


def test_votes_belong_to_whoever_holds_them(nlp):
    claim = only(claims_of(nlp, "The Northern Alliance controls 15 votes in the council."))
    assert (claim.property, claim.subject, claim.unit, claim.value) == ("votes", "northern-alliance", "votes", 15)


def test_countries_taking_part_count_the_delegations_of_the_conference_named(nlp):
    """The conference comes from the shared targets file, within its dates."""
    doc = nlp("Nearly 40 countries gathered in a lakeside hotel for the conference known as Geneva II.")
    found = find_claims(doc, DocumentActors([], {}, []), [], [], "2014-01-22")
    claim = only(found)
    assert (claim.property, claim.high, claim.unit, claim.subject) == ("delegations", 40, None, "geneva-ii")


def test_permanent_members_are_a_category_not_a_count(nlp):
    assert claims_of(nlp, "The talks brought together the five permanent members of the Security Council.") == []


def test_staff_members_are_not_a_membership(nlp):
    assert claims_of(nlp, "Two senior staff members of the Red Crescent will travel to the city.") == []


def test_war_wide_figures_and_local_ones_get_different_subjects(nlp):
    war = only(claims_of(nlp, "Syria's war has killed more than 140,000 people."))
    local = only(claims_of(nlp, "An air strike near Kafr Nabl killed at least 30 people."))
    assert war.subject == "syrian-civil-war"  # a name the data file gives Syria's conflict
    assert local.subject == "kafr-nabl"


def test_the_conflict_is_named_after_the_country_whose_parties_fight_it(nlp):
    text = ("US officials said the Sudanese army and its rivals agreed to protect civilians. "
            "The US envoy urged both sides to talk. More than 600 people have been killed in the fighting.")
    toll = only([c for c in claims_of(nlp, text) if c.property == "death_toll"])
    assert toll.subject == "sudan-conflict"


def test_without_a_country_the_conflict_is_not_guessed(nlp):
    assert only(claims_of(nlp, "The war has killed more than 140,000 people.")).subject == "conflict"


def test_the_span_is_the_number_phrase(nlp):
    text = "Officials said that almost 100,000 people had died in the conflict."
    claim = only(claims_of(nlp, text))
    assert text[claim.start:claim.end].startswith("almost 100,000")


# --------------------------------------------------------------------------- who says so, and when


def test_according_to_a_registered_actor(nlp):
    claim = only(claims_of(nlp, "The war has killed at least 220,000 people, according to the United Nations."))
    assert claim.attributed_to == "united-nations"


def test_a_reporting_verb_names_the_source(nlp):
    claim = only(claims_of(nlp, "The UN estimates that more than 93,000 people have been killed."))
    assert claim.attributed_to == "united-nations"


def test_an_unregistered_source_keeps_its_words(nlp):
    claim = only(claims_of(nlp, "Activists say more than 14,000 people have been killed since the uprising began."))
    assert claim.attributed_to is None
    assert claim.source_text.lower() == "activists"


def test_the_outlets_own_figure_has_no_source(nlp):
    claim = only(claims_of(nlp, "The war has claimed more than 70,000 lives."))
    assert claim.attributed_to is None and claim.source_text is None


def test_a_figure_inside_a_quote_belongs_to_the_speaker(nlp):
    text = '"We counted 2,300 detainees in the northern prisons alone," the envoy said.'
    content = "We counted 2,300 detainees in the northern prisons alone,"
    start = text.index(content)
    quote = QuoteRecord(start, start + len(content), content, "direct", "some-envoy", "the envoy", "said", 0.9)
    claim = only(claims_of(nlp, text, [quote]))
    assert claim.attributed_to == "some-envoy"


def test_a_speaker_in_the_previous_paragraph_is_not_the_source(nlp):
    """The small parser sometimes joins paragraphs; a figure must not borrow the last speaker."""
    text = "The UN says its convoys were blocked.\n\nMore than 250,000 people are thought to have died in the war."
    claim = only(claims_of(nlp, text))
    assert claim.attributed_to is None


def test_a_date_in_the_clause_dates_the_figure(nlp):
    claim = only(claims_of(nlp, "More than 93,000 people had been killed by the end of February, the UN said."))
    assert claim.date == "2014-02"


def test_the_start_of_a_period_is_not_the_date_of_the_figure(nlp):
    claim = only(claims_of(nlp, "More than 260,000 people have been killed since March 2011."))
    assert claim.date == PUBLISHED


def test_without_a_publication_date_an_undated_figure_has_none(nlp):
    assert only(claims_of(nlp, "The war has killed more than 200,000 people.", published=None)).date is None


# --------------------------------------------------------------------------- properties of the whole


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(n=st.integers(min_value=1000, max_value=5_000_000), hedge=st.sampled_from(["more than", "at least", "over"]))
def test_any_hedged_toll_is_read_back_as_its_lower_bound(nlp, n, hedge):
    claim = only(claims_of(nlp, f"The conflict has killed {hedge} {n:,} people."))
    assert (claim.low, claim.value, claim.high) == (n, None, None)


@settings(max_examples=30, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(st.text(alphabet=st.characters(blacklist_categories=("Cs",)), max_size=200))
def test_odd_text_never_breaks_the_finder_and_spans_stay_inside(nlp, text):
    for claim in claims_of(nlp, text):
        assert 0 <= claim.start < claim.end <= len(text)
        assert re.fullmatch(r"[a-z0-9]+(?:_[a-z0-9]+)*", claim.property)


def test_a_blank_line_always_ends_a_sentence(nlp):
    doc = nlp("The envoy left Geneva\n\nNobody expected a deal")
    assert [s.text for s in sentences(doc)] == ["The envoy left Geneva", "Nobody expected a deal"]
