"""Numbers that are no quantity are never claims, so a user's claims list holds figures, not noise.

Calendar years, dates, clock times, ordinals, list numbers, phone numbers,
ages, labels and numbers inside names are dropped, and so are numbers that
count nothing anyone tracks ("300 times", "the two sides"). An age is not a
claim: "the 78-year-old" stands for a person, and a person's age is not a
figure sources dispute. Every sentence here is written for these tests.
"""

from __future__ import annotations

import pytest


from test_claims import claims_of


@pytest.mark.parametrize("text", [
    # calendar years and dates
    "The 2015 accord was signed in Algiers.",
    "Talks began in 2019 and stalled in 2021.",
    "The committee meets again on 12 March.",
    "The agreement covers the years 2016-2018.",
    # clock times
    "The ceasefire starts at 0600 GMT.",
    "The guns fell silent at 12:01 am.",
    "The truce takes effect at 2 a.m. on Sunday.",
    # ordinals and list numbers
    "The fifth round of talks opened in a hotel by the lake.",
    "1. The parties will stop all military operations.",
    # ages
    "The 78-year-old envoy arrived in the capital.",
    "The mediator, aged 81, met the rebel commanders.",
    # labels and names
    "Resolution 2254 calls for a political transition.",
    "Article 5 of the charter was invoked.",
    "Leaders of the Group of 20 discussed the crisis.",
    "The Minsk 2 agreement was never implemented.",
    # phone numbers
    "Journalists can call +41 22 917 1234 for accreditation.",
    # counts of nothing anyone tracks, and references to things already named
    "The army said the rebels had broken the truce more than 300 times.",
    "The two sides met for the first time.",
    "Both delegations left the room.",
    "On the one hand, the talks continue.",
    "The minister spoke for more than half an hour.",
    "The envoy brought two of his advisers.",
    "The talks brought together the five permanent members of the Security Council.",
    # a relative date is a date, not a measured gap
    "The rebels had initialled the text a day earlier.",
    "Fighting erupted again two weeks ago.",
    # rates, dates counted back, descriptions
    "Elections are held every four years.",
    "Four years ago, the envoy resigned.",
    "Saudi Arabia is one of the leading nations in the coalition.",
    "Victims of the 9/11 attacks sued the kingdom.",
    "The senator is in a five-person race for the nomination.",
    "Three-in-five insiders expect a deal.",
])
def test_not_a_claim(nlp, text):
    assert claims_of(nlp, text) == [], text


def test_a_year_before_a_plural_noun_is_still_a_year(nlp):
    """Counts that large are written with a separator: "the 2001 attacks" is a year, "2,000 troops" a count."""
    assert claims_of(nlp, "Families of the 2001 attacks went to court.") == []
    assert [c.value for c in claims_of(nlp, "The government sent 2,000 troops to the north.")] == [2000]


def test_a_year_beside_a_figure_does_not_hide_it(nlp):
    claims = claims_of(nlp, "In 2016, more than 4,000 people were killed in the province.")
    assert [(c.property, c.low) for c in claims] == [("death_toll", 4000)]
