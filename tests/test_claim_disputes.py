"""Figures read from reports, set against each other: contradictions, not series or noise.

Each report here is written for these tests, parsed and read by the claim
finder, and its claims stored as extraction stores them; disputes then
compare every pair. More kinds of claims must not mean more false
contradictions: only the same subject, property and unit within days of each
other compare, and never a guess ("hundreds of") or a figure whose subject no
name anchors ("four days" of "the talks").
"""

from __future__ import annotations

from sqlalchemy import insert

from detente.analysis.disputes import find_disputes
from detente.nlp.actors.document_actors import DocumentActors
from detente.nlp.claims.figures import find_claims
from detente.nlp.dates.expressions import find_dates
from detente.nlp.records import ActorRecord
from detente.store.database import open_engine
from detente.store.schema import claims, documents

from conftest import mentions_from_names

NAMES = {
    "Syria": ("syria", "state"), "Syrian": ("syria", "state"),
    "Turkey": ("turkey", "state"), "Russia": ("russia", "state"),
}
RECORDS = {
    "syria": ActorRecord("syria", "Syria", "state", "SYR"),
    "turkey": ActorRecord("turkey", "Turkey", "state", "TUR"),
    "russia": ActorRecord("russia", "Russia", "state", "RUS"),
}


class Reports:
    """A store of reports whose claims are read by the claim finder."""

    def __init__(self, nlp):
        self.nlp = nlp
        self.engine = open_engine(":memory:")
        self.ids: dict[str, list[int]] = {}

    def add(self, name: str, text: str, published: str) -> list[int]:
        doc = self.nlp(text)
        actors = DocumentActors(mentions_from_names(text, NAMES), RECORDS, [])
        found = find_claims(doc, actors, find_dates(doc, published), [], published)
        with self.engine.begin() as conn:
            conn.execute(insert(documents).values(
                id=name, content_hash=name, text=text, removed=[], reader="text", ingested_at="2020-01-01",
                published=published, title=text.split(".")[0], outlet="The Paper",
            ))
            self.ids[name] = [
                conn.execute(insert(claims).values(
                    doc=name, start=c.start, end=c.end, subject=c.subject, property=c.property, value=c.value,
                    low=c.low, high=c.high, qualifier=c.qualifier, unit=c.unit, date=c.date,
                    attributed_to=c.attributed_to, source_text=c.source_text, confidence=c.confidence,
                    extractor="claims/test",
                )).inserted_primary_key[0]
                for c in found
            ]
        return self.ids[name]

    def contradictions(self) -> set[tuple[int, int]]:
        return {(d.a_id, d.b_id) for d in find_disputes(self.engine) if d.kind == "contradiction" and d.a_kind == "claim"}


def test_two_tolls_of_the_same_week_that_cannot_both_hold_contradict(nlp):
    reports = Reports(nlp)
    [a] = reports.add("a", "Syria's war has killed more than 5,000 people, monitors said.", "2012-03-01")
    [b] = reports.add("b", "Syria's war has killed nearly 2,000 people, the government said.", "2012-03-03")
    assert reports.contradictions() == {(a, b)}


def test_a_toll_rising_over_the_months_is_a_series(nlp):
    reports = Reports(nlp)
    for n, (day, figure) in enumerate([("2012-06-01", "14,000"), ("2013-05-01", "70,000"), ("2014-01-20", "130,000")]):
        reports.add(f"r{n}", f"Syria's war has killed more than {figure} people.", day)
    assert reports.contradictions() == set()


def test_two_durations_of_talks_are_not_set_against_each_other(nlp):
    """Which talks, which round? A common noun does not say, so the figures are not compared."""
    reports = Reports(nlp)
    assert reports.add("a", "The talks will last two days, officials said.", "2016-01-25")
    assert reports.add("b", "After nine days of talks, the delegations left the city.", "2016-01-27")
    assert reports.contradictions() == set()


def test_a_guess_at_a_scale_contradicts_nothing(nlp):
    reports = Reports(nlp)
    assert reports.add("a", "Hundreds of prisoners were released in Syria's north on Monday.", "2017-05-02")
    assert reports.add("b", "Some 50 prisoners were released in Syria's north on Monday.", "2017-05-02")
    assert reports.contradictions() == set()


def test_one_armys_troops_against_the_same_armys(nlp):
    reports = Reports(nlp)
    [a] = reports.add("a", "Turkey has deployed 3,000 troops along the border.", "2019-10-08")
    [b] = reports.add("b", "Turkey has deployed 15,000 troops along the border.", "2019-10-09")
    reports.add("c", "Russia has deployed 400 troops along the border.", "2019-10-09")
    assert reports.contradictions() == {(a, b)}


def test_different_quantities_of_the_same_war_never_compare(nlp):
    reports = Reports(nlp)
    assert reports.add("a", "Syria's war has killed more than 5,000 people.", "2012-03-01")
    assert reports.add("b", "Syria's war has wounded nearly 2,000 people.", "2012-03-02")
    assert reports.add("c", "Syria's war has lasted nearly two years.", "2012-03-02")
    assert reports.contradictions() == set()


def test_shares_of_unnamed_bases_are_not_set_against_each_other(nlp):
    """70% of one poll's voters and 40% of another's are both true: a share says little without its base."""
    reports = Reports(nlp)
    assert reports.add("a", "A poll found that 70% of Turks back the accord.", "2017-04-17")
    assert reports.add("b", "A second poll found that 40% of Turks back the accord.", "2017-04-17")
    assert reports.contradictions() == set()
