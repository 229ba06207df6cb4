"""Actors a report names by description: "the government", "its opponents", "the two ministers".

Every test text is written for this file; the spaCy model is loaded once.
"""

from __future__ import annotations

import pytest
from spacy.tokens import Doc

from detente.nlp.actors.document_actors import DocumentActors, find_actors
from detente.nlp.dates.expressions import find_dates
from detente.nlp.events.arguments import ArgumentReader
from detente.nlp.events.patterns import load_patterns
from detente.nlp.events.document_events import find_events
from detente.nlp.records import Mention
from detente.nlp.actors.registry import ActorRegistry

PUBLISHED = "2014-03-04"

PEOPLE = """
actors:
  - id: ana-ferreira
    name: Ana Ferreira
    kind: person
    aliases: [Ferreira]
    roles:
      - {role: Secretary-General, organization: united-nations, start: 2012-01-01, end: 2016-12-31}
  - id: tomas-ruiz
    name: Tomas Ruiz
    kind: person
    aliases: [Ruiz]
    roles:
      - {role: Foreign Minister, organization: spain, start: 2012-01-01, end: 2016-12-31}
  - id: karim-haddad
    name: Karim Haddad
    kind: person
    aliases: [Haddad]
    roles:
      - {role: President, organization: syria, start: 2000-07-17}
  - id: pieter-smit
    name: Pieter Smit
    kind: person
    aliases: [Smit]
    roles:
      - {role: Foreign Minister, organization: netherlands, start: 2012-01-01, end: 2016-12-31}
"""


@pytest.fixture(scope="module")
def registry(tmp_path_factory) -> ActorRegistry:
    path = tmp_path_factory.mktemp("registry") / "actors.yaml"
    path.write_text(PEOPLE, encoding="utf-8")
    return ActorRegistry.load(path)


@pytest.fixture(scope="module")
def run(nlp, registry):
    def extract(text: str) -> DocumentActors:
        return find_actors(nlp(text), registry, PUBLISHED)

    return extract


def described(found: DocumentActors, text: str) -> list[str]:
    """The actors of the mentions whose words are `text`, in order."""
    return [m.actor for m in found.mentions if m.text == text]


# -- "the government" -------------------------------------------------------------

SYRIA_REPORT = ("Fighting went on in Syria on Tuesday. Syrian troops shelled a suburb of Damascus, and the Syrian "
                "opposition said talks in Syria were out of reach. ")


def test_the_government_of_the_state_a_report_is_about(run):
    found = run(SYRIA_REPORT + "The government said it would not negotiate.")
    assert described(found, "The government") == ["syria-government"]


def test_the_government_named_by_its_seat_or_its_leader(run):
    found = run("Iran and Turkey sent envoys. The envoys said the government in Damascus had agreed to a pause.")
    assert described(found, "the government") == ["syria-government"]
    found = run("Iran and Turkey sent envoys. Iran said the government of President Karim Haddad had agreed to it.")
    assert described(found, "the government") == ["syria-government"]


def test_no_government_when_no_state_is_clearly_the_subject(run):
    found = run("Turkey and Iran met in Ankara. Iran and Turkey disagreed. Turkey and Iran will meet again. "
                "The government said nothing.")
    assert described(found, "The government") == []


def test_a_government_with_an_adjective_is_not_the_government(run):
    found = run(SYRIA_REPORT + "The opposition wants a transitional government with full powers.")
    assert "transitional government" not in [m.text for m in found.mentions]
    assert described(found, "a transitional government") == []


# -- "its opponents", "Syrian warplanes" -----------------------------------------------


def test_its_opponents_after_a_government_are_that_country_s_opposition(run):
    found = run("The first meeting between Syria's government and its opponents opened on Monday.")
    assert described(found, "its opponents") == ["syrian-opposition"]


def test_nationalities_listed_before_a_military_noun_are_each_state_s_forces(run):
    found = run("The ministry said that neither Russian nor Syrian aircraft had flown over the town.")
    assert described(found, "Russian") == ["russia"]
    assert described(found, "Syrian aircraft") == ["syria-government"]


def test_a_nationality_before_a_military_noun_is_that_state_s_government(run):
    found = run("Iranian jets and Syrian warplanes struck the town on Sunday.")
    assert described(found, "Iranian jets") == ["iran"]
    assert described(found, "Syrian warplanes") == ["syria-government"]


def test_a_lone_nationality_is_still_not_a_state(run):
    found = run("The Russian pilot was a veteran.")
    assert "russia" not in found.actors


# -- "the two ministers", "committee members", "the UN chief" ------------------------------


def test_the_two_ministers_are_the_two_people_named_together_before(run):
    found = run("Tomas Ruiz and Pieter Smit spoke in Madrid on Monday. A day later, the two ministers met again in Rome.")
    assert sorted(described(found, "the two ministers")) == ["pieter-smit", "tomas-ruiz"]


def test_the_two_powers_are_two_states_not_two_people(run):
    found = run("Spain and the Netherlands, prodded by Tomas Ruiz and Pieter Smit, signed the accord. "
                "The two powers will review it next year.")
    assert sorted(described(found, "The two powers")) == ["netherlands", "spain"]


def test_a_pair_named_in_the_same_sentence_needs_no_description(run):
    found = run("Spain and the Netherlands signed a treaty between the two countries.")
    assert described(found, "the two countries") == []


def test_a_longer_list_or_an_envoy_s_employers_are_not_a_pair(run):
    found = run("Spain, Italy, Greece and the Netherlands sent ministers. Ana Ferreira is the envoy of the United "
                "Nations and the Arab League. The two sides met on Monday.")
    assert described(found, "The two sides") == []


def test_members_of_a_body_named_before_speak_for_it(run):
    found = run("The High Negotiations Committee met in Riyadh on Sunday.\n\nCommittee members said they would meet again.")
    assert described(found, "Committee members") == ["high-negotiations-committee"]


def test_members_of_an_unclear_body_are_nobody(run):
    found = run("The High Negotiations Committee and the National Coordination Committee met.\n\n"
                "Committee members said they would meet again.")
    assert described(found, "Committee members") == []


def test_the_chief_of_an_organisation_is_its_one_known_leader(run):
    found = run("The United Nations chief urged both delegations to keep to their time. Ana Ferreira then left the hall.")
    assert described(found, "chief") == ["ana-ferreira"]


def test_a_numbered_resolution_acts_for_the_council_that_adopted_it(run):
    found = run("The Security Council voted on Friday. Resolution 2199 asks all states to stop the oil trade.")
    assert described(found, "Resolution 2199") == ["un-security-council"]


# -- events use them ------------------------------------------------------------------


def test_an_event_done_by_a_described_pair_has_both_actors(nlp, registry):
    doc = nlp("Tomas Ruiz and Pieter Smit spoke in Madrid on Monday. The two ministers met again in Rome on Friday.")
    found = find_actors(doc, registry, PUBLISHED)
    events = find_events(doc, found, find_dates(doc, PUBLISHED), PUBLISHED)
    meetings = [e for e in events if e.type == "CONSULT" and "met again" in doc.text[e.start:e.end]]
    assert meetings and sorted(meetings[0].actors) == ["pieter-smit", "tomas-ruiz"]


def events_of(nlp, registry, text: str):
    doc = nlp(text)
    found = find_actors(doc, registry, PUBLISHED)
    return doc, find_events(doc, found, find_dates(doc, PUBLISHED), PUBLISHED)


def test_a_state_s_person_in_a_list_acts_not_the_state(nlp):
    """The parser sometimes lists the state of "Spain's Pieter Smit" and hangs the name elsewhere."""
    words = ["Ferreira", ",", "Ruiz", "and", "Spain", "'s", "Pieter", "Smit", "met", "."]
    spaces = [False, True, True, True, False, True, True, True, False, False]
    heads = [8, 0, 0, 2, 2, 4, 7, 0, 8, 8]  # "Spain" a conjunct of "Ruiz", "Smit" in apposition to "Ferreira"
    deps = ["nsubj", "punct", "conj", "cc", "conj", "case", "compound", "appos", "ROOT", "punct"]
    doc = Doc(nlp.vocab, words=words, spaces=spaces, heads=heads, deps=deps,
              pos=["PROPN", "PUNCT", "PROPN", "CCONJ", "PROPN", "PART", "PROPN", "PROPN", "VERB", "PUNCT"])
    text = doc.text

    def mention(name: str, actor: str, kind: str) -> Mention:
        start = text.index(name)
        return Mention(start, start + len(name), name, actor, kind)

    mentions = [mention("Ferreira", "ana-ferreira", "person"), mention("Ruiz", "tomas-ruiz", "person"),
                mention("Spain", "spain", "state"), mention("Pieter Smit", "pieter-smit", "person")]
    kinds = {m.actor: m.kind for m in mentions}
    reader = ArgumentReader(doc, mentions, kinds, load_patterns())
    assert reader.resolve(doc[0]) == ["ana-ferreira", "tomas-ruiz", "pieter-smit"]


def test_a_title_followed_by_a_name_is_that_person_however_parsed(nlp):
    words = ["Ruiz", "and", "Spain", "'s", "top", "diplomat", ",", "Pieter", "Smit", ",", "met", "."]
    spaces = [True, True, False, True, True, False, True, True, False, True, False, False]
    heads = [10, 0, 5, 2, 5, 0, 0, 8, 0, 0, 10, 10]  # "Smit" in apposition to "Ruiz", not to "diplomat"
    deps = ["nsubj", "cc", "poss", "case", "amod", "conj", "punct", "compound", "appos", "punct", "ROOT", "punct"]
    doc = Doc(nlp.vocab, words=words, spaces=spaces, heads=heads, deps=deps,
              pos=["PROPN", "CCONJ", "PROPN", "PART", "ADJ", "NOUN", "PUNCT", "PROPN", "PROPN", "PUNCT", "VERB", "PUNCT"])
    text = doc.text
    mentions = [Mention(0, 4, "Ruiz", "tomas-ruiz", "person"), Mention(text.index("Spain"), text.index("Spain") + 5, "Spain", "spain", "state"),
                Mention(text.index("Pieter"), text.index("Pieter") + 11, "Pieter Smit", "pieter-smit", "person")]
    reader = ArgumentReader(doc, mentions, {m.actor: m.kind for m in mentions}, load_patterns())
    assert reader.resolve(doc[0]) == ["tomas-ruiz", "pieter-smit"]


def test_it_doing_something_is_the_body_that_was_the_subject(nlp, registry):
    doc, events = events_of(nlp, registry, "The Security Council voted on Friday. Resolution 2199 asks all states to stop "
                                           "the oil trade. It also calls for a ceasefire in the north.")
    clause = doc.text.index("It also calls")
    requests = [e for e in events if e.type == "REQUEST" and e.start >= clause]
    assert requests and requests[0].actors == ["un-security-council"]


def test_it_after_a_thing_is_nobody(nlp, registry):
    doc, events = events_of(nlp, registry, "The Arab League backed the plan on Monday. Tomas Ruiz welcomed the accord "
                                           "and said he hoped it would allow the United Nations to restart political talks.")
    clause = doc.text.index("it would allow")
    assert all("arab-league" not in e.actors for e in events if e.start >= clause)


def test_an_attack_by_listed_nationalities_has_each_state(nlp, registry):
    _doc, events = events_of(nlp, registry, "Russian and Syrian jets bombed the market on Sunday.")
    [attack] = [e for e in events if e.type == "ASSAULT"]
    assert sorted(attack.actors) == ["russia", "syria-government"]
