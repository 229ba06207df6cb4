"""Every kind of quantity a report states is a claim: counts, times, distances, shares, money.

The property is open: it comes from the unit ("duration", "distance"), from
the data file for counts of people ("death_toll", "prisoners_released"), or
from the counted noun and its verb ("troops_sent", "rockets_fired"). Every
sentence here is written for these tests.
"""

from __future__ import annotations

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from detente.nlp.claims.figures import read_number
from detente.nlp.claims.numbers import find_figures

from test_claims import claims_of, only


def figure(found, prop: str):
    """The one claim of a property (a sentence may state others)."""
    return only([c for c in found if c.property == prop])


# --------------------------------------------------------------------------- counts of people and things


@pytest.mark.parametrize("text,prop,value,unit", [
    ("The rebels freed 42 prisoners on Sunday.", "prisoners_released", 42, "people"),
    ("The blast wounded 35 people near the market.", "injured", 35, "people"),
    ("The army allowed 1,200 civilians to leave the old city.", "evacuated", 1200, "people"),
    ("The government has sent 3,000 troops to the border.", "troops_sent", 3000, "troops"),
    ("Militants fired 40 rockets at the town overnight.", "rockets_fired", 40, "rockets"),
    ("About 500 fighters remain in the hills.", "fighters", 500, "fighters"),
    ("The air force lost 12 aircraft in the first month.", "aircraft_lost", 12, "aircraft"),
    ("The assembly brought together 250 delegates from every province.", "delegates", 250, "delegates"),
])
def test_counts_of_people_and_things(nlp, text, prop, value, unit):
    claim = figure(claims_of(nlp, text), prop)
    assert (claim.value or claim.low or claim.high, claim.unit) == (value, unit)


def test_the_size_of_a_force(nlp):
    claim = only(claims_of(nlp, "The United States will keep a 2,500-strong contingent in the north."))
    assert (claim.property, claim.value, claim.unit) == ("contingent_size", 2500, "people")


def test_whose_troops_they_are_is_the_subject(nlp):
    claim = only(claims_of(nlp, "The United States has deployed 2,500 troops in the region."))
    assert claim.subject == "united-states"


def test_seven_nations_and_a_dozen_armies_are_counts(nlp):
    found = claims_of(nlp, "The accord followed years of talks between the seven nations and more than a dozen rebel armies.")
    assert {(c.value, c.low) for c in found if c.unit != "years"} == {(7, None), (None, 12)}


# --------------------------------------------------------------------------- time


@pytest.mark.parametrize("text,prop,bounds,unit", [
    ("After nine days of talks, the delegations went home.", "duration", (9, None, None), "days"),
    ("The truce will hold for 72 hours.", "duration", (72, None, None), "hours"),
    ("The deal aims to end 30 years of war.", "duration", (30, None, None), "years"),
    ("It ended the republic's 40-year division.", "duration", (40, None, None), "years"),
    ("The accord follows more than a decade of negotiations.", "duration", (None, 10, None), "years"),
    ("They had negotiated for a little over a week.", "duration", (None, 1, None), "weeks"),
    ("The parties must withdraw heavy weapons within 14 days.", "deadline", (14, None, None), "days"),
    ("The council asked for a report within three months.", "deadline", (3, None, None), "months"),
    ("The president signed the accord eleven days after he rejected it.", "interval", (11, None, None), "days"),
    ("The factions agreed on a ceasefire of up to 10 days.", "duration", (None, None, 10), "days"),
])
def test_durations_deadlines_and_intervals(nlp, text, prop, bounds, unit):
    claim = only(claims_of(nlp, text))
    assert (claim.property, (claim.value, claim.low, claim.high), claim.unit) == (prop, bounds, unit)


def test_a_duration_is_about_what_it_measures(nlp):
    assert only(claims_of(nlp, "After nine days of talks, the delegations went home.")).subject == "talks"
    assert only(claims_of(nlp, "The truce will hold for 72 hours.")).subject == "truce"


# --------------------------------------------------------------------------- distance, shares, money


def test_distances_and_ranges_of_distance(nlp):
    claim = only(claims_of(nlp, "The corridor will extend six kilometres north of the road."))
    assert (claim.property, claim.value, claim.unit, claim.subject) == ("distance", 6, "km", "corridor")
    zone = only(claims_of(nlp, "Both armies will pull back to create a buffer zone 15-20 km deep."))
    assert (zone.property, zone.low, zone.high, zone.unit) == ("distance", 15, 20, "km")


@pytest.mark.parametrize("text,prop,value", [
    ("The accord was approved with 61.3% of the vote.", "vote_share", 61.3),
    ("Turnout reached 44 percent in the capital.", "turnout", 44),
    ("Results came from 97% of polling stations.", "share", 97),
])
def test_percentages(nlp, text, prop, value):
    claim = only(claims_of(nlp, text))
    assert (claim.property, claim.value, claim.unit) == (prop, value, "percent")


@pytest.mark.parametrize("text,value,currency", [
    ("Donors pledged $2.5bn for reconstruction.", 2.5e9, "USD"),
    ("The fund has received €300m so far.", 3e8, "EUR"),
    ("The bank froze 40 million dollars of state assets.", 4e7, "USD"),
])
def test_money(nlp, text, value, currency):
    claim = only(claims_of(nlp, text))
    assert claim.property.startswith("money")
    assert (claim.value, claim.unit) == (value, currency)


def test_what_money_was_for_names_its_property_when_the_verb_does(nlp):
    assert only(claims_of(nlp, "Donors pledged $2.5bn for reconstruction.")).property == "money_pledged"


# --------------------------------------------------------------------------- written numbers


@pytest.mark.parametrize("text,value", [
    ("a dozen", 12), ("half a million", 500_000), ("1.5 million", 1_500_000), ("$2bn", 2e9), ("50.2%", 50.2),
    ("two", 2), ("twenty-five", 25), ("Seventy-five thousand", 75_000), ("3m", 3_000_000),
])
def test_written_numbers(text, value):
    found = find_figures(text)
    assert len(found) == 1 and found[0].value == pytest.approx(value)


@pytest.mark.parametrize("text,low,high", [
    ("between 1,000 and 1,500", 1000, 1500), ("15-20", 15, 20), ("two to three million", 2e6, 3e6), ("2-3 million", 2e6, 3e6),
])
def test_ranges(text, low, high):
    found = only(find_figures(text))
    assert (found.value, found.low, found.high) == (None, low, high)


def test_a_change_from_one_figure_to_another_is_two_figures():
    assert [f.value for f in find_figures("rose from 600 to 800")] == [600, 800]


def test_a_written_toll_in_a_sentence(nlp):
    claim = only(claims_of(nlp, "Observers believe more than half a million have died since the war began."))
    assert (claim.property, claim.low, claim.qualifier) == ("death_toll", 500_000, "more than")


def test_read_number_reads_digits_words_and_scales():
    assert read_number("two hundred and fifty thousand") == 250_000


# --------------------------------------------------------------------------- odd input

_PIECES = ["more than", "between", "and", "to", "-", "a", "half", "dozen", "hundreds of", "1,500", "2015", "15-20",
           "$", "3bn", "%", "days", "weeks", "km", "troops", "killed", "of the", "in", "within", "after", "ago",
           "Resolution", "9/11", "[538]", "12:01", "aged", "year-old", "one in five", "from", "the two", ".", "\n\n"]


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(st.lists(st.sampled_from(_PIECES), min_size=1, max_size=14))
def test_any_mix_of_numbers_units_and_hedges_never_breaks_the_finder(nlp, pieces):
    text = " ".join(pieces)
    for claim in claims_of(nlp, text):
        assert 0 <= claim.start < claim.end <= len(text)
        assert any(n is not None for n in (claim.value, claim.low, claim.high))
        assert claim.qualifier is None or len(claim.qualifier) <= 32
