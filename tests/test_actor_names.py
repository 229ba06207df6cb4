"""What in a report is a name of an actor, and what only looks like one.

An acronym spelled out in parentheses is the same actor as its full name; a
dateline, a place named as a place, the title of an agreement or a meeting, a
news agency's credit are no actors. Every story here is invented for this
file; the spaCy model is loaded once.
"""

from __future__ import annotations

import pytest

from detente.nlp.actors.document_actors import DocumentActors, find_actors
from detente.nlp.actors.registry import ActorRegistry

PUBLISHED = "2021-06-11"

STORY = """Rivals sign truce in lakeside town

GENEVA, Switzerland (AP) — The Coordination of Northern Movements (CNM) and the Southern Transitional Council (STC) signed the Lakeside Ceasefire Agreement (LCA) on Friday in the town of Marvella. The CNM said the LCA was a first step, and the STC agreed. Talks had been held in Marvella before.

The CNM will meet the Rapid Support Forces (RSF) next week, according to AFP News Agency. RSF officials declined to comment, Deutsche Welle reported. Kerry said the Conference on Northern Security was closed.
"""


@pytest.fixture(scope="module")
def run(nlp):
    def extract(text: str) -> DocumentActors:
        return find_actors(nlp(text), ActorRegistry.builtin(), PUBLISHED)

    return extract


@pytest.fixture(scope="module")
def story(run) -> DocumentActors:
    return run(STORY)


def actors_named(found: DocumentActors, words: str) -> set[str]:
    return {m.actor for m in found.mentions if m.text == words}


@pytest.mark.parametrize("full,short", [
    ("Coordination of Northern Movements", "CNM"),
    ("Southern Transitional Council", "STC"),
    ("Rapid Support Forces", "RSF"),
])
def test_an_acronym_in_parentheses_is_one_actor_with_its_full_name(story, full, short):
    (actor,) = actors_named(story, full)
    assert actors_named(story, short) == {actor}  # in the parentheses and on every later use
    assert story.actors[actor].name == full
    assert short in story.actors[actor].aliases
    assert short.lower() not in story.actors  # no second actor for the letters


def test_parentheses_never_end_up_inside_a_name(story):
    assert not any("(" in a.name or ")" in a.name for a in story.actors.values())
    assert not any("(" in m.text or ")" in m.text for m in story.mentions)


def test_an_agreement_or_a_meeting_named_by_its_title_is_no_actor_nor_is_its_acronym(story):
    texts = {m.text for m in story.mentions}
    assert not texts & {"Lakeside Ceasefire Agreement", "LCA", "Conference on Northern Security"}


def test_a_dateline_and_an_agency_s_credit_are_no_actors(story):
    texts = {m.text for m in story.mentions}
    assert not texts & {"GENEVA", "Switzerland", "AP", "AFP News Agency", "Deutsche Welle"}


def test_a_place_named_as_a_place_is_no_actor_anywhere_in_the_report(story):
    assert "Marvella" not in {m.text for m in story.mentions}
    assert not any(a.name == "Marvella" for a in story.actors.values())


@pytest.mark.parametrize("text,place", [
    ("SANAA: Yemen's government said on Monday it would free the prisoners.", "SANAA"),
    ("BAMAKO: Mali's government signed the accord.", "BAMAKO"),
    ("Juba, March 3, 2016 (NTA) — South Sudan's president signed the deal.", "Juba"),
])
def test_datelines_of_every_shape_are_where_a_report_was_filed(run, text, place):
    found = run(text)
    assert place not in {m.text for m in found.mentions}
    assert not any(m.text in ("NTA",) for m in found.mentions)


def test_a_capital_acting_for_its_government_is_still_that_government(run):
    found = run("Moscow said the talks would go on. The talks in Moscow ended late.")
    assert [m.actor for m in found.mentions if m.text == "Moscow"] == ["russia"]


def test_a_headline_naming_an_organisation_with_a_colon_is_no_dateline(run):
    found = run("NATO: allies agree to send more ships\n\nNATO said on Monday it would send ships.")
    assert [m.actor for m in found.mentions if m.text == "NATO"] == ["nato", "nato"]


def test_two_unexplained_capitals_are_no_organisation(run):
    found = run("FE Today Logo\n\nThe Joint Commission met on Monday, and the FE team reported it.")
    assert "FE" not in {m.text for m in found.mentions}


def test_a_photo_credit_names_no_actor(run):
    text = ("Delegates arrive in Geneva on Monday. Photo: Karim Saleh/AFP\n\nNorway's envoy opened the talks. "
            "(Photo by Anna Berg / Reuters) Norway said they would last a week.\n\nJonas Lund (Reuters/Maria Holm)\n")
    found = run(text)
    assert {m.actor for m in found.mentions} == {"norway"}
