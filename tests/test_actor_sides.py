"""The sides of a conflict named by generic words: "the rebels", "the army", "the opposition", "government forces".

Who they are depends on the report: the built-in registry holds no such
words, so a Yemeni story's rebels are never the Syrian ones. Every story here
is invented for this file; the spaCy model is loaded once.
"""

from __future__ import annotations

import pytest

from detente.nlp.actors.document_actors import DocumentActors, find_actors
from detente.nlp.actors.identity import ActorIndex
from detente.nlp.actors.registry import ActorRegistry
from conftest import EXAMPLES

PUBLISHED = "2019-04-02"

YEMEN_STORY = """SANAA: Yemen's government and the Huthi rebels agreed on Sunday to reopen the road to the port, a Yemeni minister said.

The rebels, who hold the capital, said the road would open within a week. Yemen's foreign minister welcomed the step, and the insurgents freed twelve drivers. The army said it would hold its fire.
"""

SUDAN_STORY = """Talks in Jeddah went into a second week. The Sudanese army and the paramilitary Rapid Support Forces (RSF) met face to face on Monday, a Sudanese diplomat said.

The army and the RSF agreed to open three corridors. Sudan's foreign ministry said more rounds would follow.
"""

SYRIA_STORY = """Fighting spread across Syria on Monday. Syria's government said it would attend the talks, but the opposition said it would stay away while the army kept shelling rebel-held districts.

The rebels said government forces had attacked a market. Syrian officials denied it, and the regime said the opposition was divided.
"""


@pytest.fixture(scope="module")
def run(nlp):
    def extract(text: str, registry: ActorRegistry | None = None) -> DocumentActors:
        return find_actors(nlp(text), registry or ActorRegistry.builtin(), PUBLISHED)

    return extract


def actor_of(found: DocumentActors, words: str) -> str | None:
    """The actor of the first mention whose words are `words`."""
    return next((m.actor for m in found.mentions if m.text == words), None)


def test_rebels_in_a_yemeni_story_are_the_rebels_it_names_not_the_syrian_ones(run):
    found = run(YEMEN_STORY)
    huthis = actor_of(found, "Huthi rebels")
    assert huthis is not None and not huthis.startswith("syria")
    assert actor_of(found, "The rebels") == huthis
    assert actor_of(found, "the insurgents") == huthis
    assert "Huthi rebels" in [found.actors[huthis].name, *found.actors[huthis].aliases]
    assert not any(actor.startswith("syria") for actor in found.actors)


def test_the_opposition_is_the_party_the_report_called_the_opposition(run):
    found = run("Myanmar's president signed the truce. The main opposition National Unity League (NUL) stayed away, "
                "and the army said the door was open. The opposition said the text was premature.")
    league = actor_of(found, "National Unity League")
    assert league is not None and actor_of(found, "The opposition") == league
    assert actor_of(found, "NUL") == league


def test_the_army_of_a_report_is_the_army_it_named(run):
    found = run(SUDAN_STORY)
    assert actor_of(found, "Sudanese army") == "sudan"
    assert actor_of(found, "The army") == "sudan"
    assert "Sudanese army" in found.actors["sudan"].aliases  # a reader (and a scorer) sees the text's words
    assert "syrian-army" not in found.actors


def test_the_army_of_a_report_on_one_state_is_that_state_s_forces(run):
    assert actor_of(run(YEMEN_STORY), "The army") == "yemen"


def test_in_a_syrian_story_the_same_words_are_the_registered_syrian_sides(run):
    found = run(SYRIA_STORY)
    assert actor_of(found, "the opposition") == "syrian-opposition"
    assert actor_of(found, "the army") == "syrian-army"
    assert actor_of(found, "The rebels") == "syrian-rebels"
    assert actor_of(found, "government forces") == "syria-government"
    assert actor_of(found, "the regime") == "syria-government"
    assert actor_of(found, "rebel") == "syrian-rebels"  # "rebel-held districts": held by the rebels


def test_the_example_registry_keeps_its_own_words_for_the_syrian_corpus(run):
    found = run(SYRIA_STORY, ActorRegistry.load(EXAMPLES / "actors.yaml"))
    assert actor_of(found, "the opposition") == "syrian-opposition"
    assert actor_of(found, "the army") == "syrian-army"


def test_without_a_state_or_a_named_side_the_rebels_are_nobody(run):
    found = run("The rebels said the talks had failed. The army did not comment.")
    assert found.mentions == []


def test_a_side_word_before_a_person_s_noun_is_that_person_not_the_side(run):
    found = run(SYRIA_STORY + "The army chief resigned. Military aid was cut.")
    assert actor_of(found, "The army") is None
    assert actor_of(found, "Military") is None


def test_a_named_state_with_a_registered_side_answers_when_no_state_is_first(run):
    text = ("Washington and Moscow met in Vienna. Washington said Syria would come, and a US official said aid "
            "to Syria would go on. Washington said some rebel units would get arms.")
    assert actor_of(run(text), "rebel units") == "syrian-rebels"


def test_rebels_of_two_stories_on_different_wars_stay_two_actors(run):
    index = ActorIndex()
    yemen = run(YEMEN_STORY)
    syria = run(SYRIA_STORY)
    ids = set()
    for found, words in ((yemen, "The rebels"), (syria, "The rebels")):
        local = actor_of(found, words)
        ids.add(index.resolve(found.actors[local]))
    assert len(ids) == 2
