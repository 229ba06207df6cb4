"""Events: who did what to whom, when, where, and whether it happened.

Every sentence is written for these tests. Mentions come from string matching
on a small table of names, so the tests depend on the Mention record and the
parse, not on the actor finder; dates come from the real date finder.
"""

from __future__ import annotations


import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from detente.nlp.actors import DocumentActors
from detente.nlp.dates import find_dates
from detente.nlp.event_patterns import EVENT_TYPES, STATUSES, PatternError, load_patterns, read_patterns
from detente.nlp.events import find_events
from detente.nlp.pipeline import load_model
from detente.nlp.records import ActorRecord, Mention

from conftest import mentions_from_names

PUB = "2015-01-14"  # a Wednesday

NAMES = {
    "Amara Okafor": ("amara-okafor", "person"),
    "Okafor": ("amara-okafor", "person"),
    "Istvan Varga": ("istvan-varga", "person"),
    "Varga": ("istvan-varga", "person"),
    "Lena Halvorsen": ("lena-halvorsen", "person"),
    "Halvorsen": ("lena-halvorsen", "person"),
    "Northern Alliance": ("northern-alliance", "group"),
    "the Alliance": ("northern-alliance", "group"),
    "Southern Front": ("southern-front", "group"),
    "Norway": ("norway", "state"),
    "Finland": ("finland", "state"),
    "Estonia": ("estonia", "state"),
    "border police": ("border-police", "organization"),
    "Marek Salo": ("marek-salo", "person"),
    "Salo": ("marek-salo", "person"),
}


@pytest.fixture(scope="module")
def nlp():
    return load_model()


def mentions_in(text: str) -> list[Mention]:
    return mentions_from_names(text, NAMES)


def events_of(nlp, text: str, published: str | None = PUB):
    doc = nlp(text)
    mentions = mentions_in(text)
    actors = {m.actor: ActorRecord(m.actor, m.text, m.kind) for m in mentions}
    return find_events(doc, DocumentActors(mentions, actors, []), find_dates(doc, published), published)


def only(events, type_: str | None = None):
    chosen = [e for e in events if type_ is None or e.type == type_]
    assert len(chosen) == 1, events
    return chosen[0]


# ----------------------------------------------------------------- who did what to whom


def test_coordinated_subjects_all_meet_and_place_and_date_are_read(nlp):
    event = only(events_of(nlp, "Okafor and Varga met in Oslo on Tuesday."))
    assert event.type == "CONSULT"
    assert set(event.actors) == {"amara-okafor", "istvan-varga"}
    assert event.recipients == []
    assert event.location == "Oslo"
    assert (event.date, event.date_text) == ("2015-01-13", "Tuesday")
    assert event.status == "reported"


def test_met_with_makes_the_other_side_a_recipient(nlp):
    event = only(events_of(nlp, "Okafor met with Varga at a hotel in Geneva on Monday."))
    assert (event.type, event.actors, event.recipients) == ("CONSULT", ["amara-okafor"], ["istvan-varga"])
    assert event.location == "Geneva"


def test_apposition_names_the_person_behind_a_title(nlp):
    event = only(events_of(nlp, "Okafor held talks with the foreign minister of Finland, Istvan Varga, in Helsinki."))
    assert event.type == "CONSULT"
    assert event.recipients == ["istvan-varga"]


def test_passive_turns_subject_into_recipient(nlp):
    event = only(events_of(nlp, "Marek Salo was arrested by border police in the capital last month."))
    assert (event.type, event.mode) == ("COERCE", "arrest")
    assert event.actors == ["border-police"]
    assert event.recipients == ["marek-salo"]


def test_relative_clause_detention_without_charge(nlp):
    events = events_of(nlp, "Officials refused to free Salo, who has been held without charge by border police since March.")
    detention = only(events, "COERCE")
    assert detention.mode == "detain"
    assert detention.actors == ["border-police"]
    assert detention.recipients == ["marek-salo"]


def test_pronoun_takes_the_speaker_of_its_clause(nlp):
    event = only(events_of(nlp, "Leaders of the Northern Alliance said on Monday that they will not attend."))
    assert (event.type, event.mode) == ("REJECT", "meet")
    assert event.actors == ["northern-alliance"]


def test_a_joint_announcement_makes_both_sides_actors(nlp):
    event = only(events_of(nlp, "Okafor announced the plan with Varga in Oslo on Monday."))
    assert event.type == "AGREE"
    assert set(event.actors) == {"amara-okafor", "istvan-varga"} and event.recipients == []


def test_urged_object_is_the_recipient(nlp):
    event = only(events_of(nlp, "Halvorsen urged Norway to withdraw its observers."))
    assert (event.type, event.mode) == ("REQUEST", "yield")
    assert event.actors == ["lena-halvorsen"]
    assert event.recipients == ["norway"]


def test_said_that_someone_must_is_a_demand_on_them(nlp):
    event = only(events_of(nlp, "Halvorsen said on Tuesday that the Southern Front must release the hostages."))
    assert event.type == "REQUEST"
    assert event.actors == ["lena-halvorsen"]
    assert event.recipients == ["southern-front"]


# --------------------------------------------------------------------- patterns as data


@pytest.mark.parametrize(
    "sentence, type_, mode",
    [
        ("Okafor voiced support for the plan drafted by Varga.", "SUPPORT", None),
        ("Okafor spoke by phone with Varga on Sunday.", "CONSULT", "phone"),
        ("Norway accused the Southern Front of shelling the port.", "ACCUSE", None),
        ("Finland decided to arm the rebels fighting the Southern Front.", "AID", "military"),
        ("Estonia imposed sanctions on the Southern Front.", "SANCTION", None),
        ("The Southern Front threatened to attack the Northern Alliance.", "THREATEN", None),
        ("Okafor visited Varga at his farm.", "CONSULT", "visit"),
        ("The Southern Front shelled positions held by the Northern Alliance.", "ASSAULT", None),
        ("The Northern Alliance rejected the proposal put forward by Norway.", "REJECT", None),
    ],
)
def test_wordings_give_their_type(nlp, sentence, type_, mode):
    events = events_of(nlp, sentence)
    assert events, sentence
    main = max(events, key=lambda e: e.confidence)
    assert (main.type, main.mode) == (type_, mode)


def test_refusal_to_attend_is_one_event_not_two(nlp):
    event = only(events_of(nlp, "The Northern Alliance refused to attend the talks in Oslo."))
    assert (event.type, event.mode) == ("REJECT", "meet")
    assert event.actors == ["northern-alliance"]


def test_declining_to_comment_is_not_an_event(nlp):
    assert events_of(nlp, "Varga declined to comment on the report.") == []


def test_ceasefire_declared_is_a_concession_and_taking_effect_a_retreat(nlp):
    declared = only(events_of(nlp, "Norway and Finland announced a ceasefire on Monday."))
    assert declared.type == "CONCEDE"
    assert set(declared.actors) == {"norway", "finland"}
    held = only(events_of(nlp, "The truce took effect at midnight on Saturday."))
    assert held.type == "RETREAT"


def test_a_name_containing_an_event_word_is_not_an_event(nlp):
    names = dict(NAMES)
    text = "The Negotiations Committee of the Alliance welcomed the plan."
    mention = Mention(4, 26, "Negotiations Committee", "negotiations-committee", "organization")
    doc = nlp(text)
    found = find_events(doc, DocumentActors([mention], {}, []), [], PUB)
    assert [e.type for e in found] == ["SUPPORT"], names


# ----------------------------------------------------------------------------- status


@pytest.mark.parametrize(
    "sentence, status, type_",
    [
        ("Varga will travel to Oslo next week.", "planned", "AGREE"),
        ("Norway plans to convene talks with the Southern Front on Jan. 26 in Oslo.", "planned", "AGREE"),
        ("The Northern Alliance and the Southern Front are due to meet in Oslo.", "planned", "AGREE"),
        ("Okafor called off the meeting with Varga.", "cancelled", "CONSULT"),
        ("Norway postponed its talks with Finland.", "cancelled", "CONSULT"),
        ("Estonia broke a promise to host the talks between Norway and Finland.", "cancelled", "CONSULT"),
        ("Okafor did not meet Varga during the summit.", "denied", "CONSULT"),
        ("Varga denied meeting Okafor.", "denied", "CONSULT"),
        ("Okafor could meet Varga if the fighting stops.", "hypothetical", "CONSULT"),
        ("Okafor met Varga in Oslo on Monday.", "reported", "CONSULT"),
    ],
)
def test_status_comes_from_the_words_around_the_verb(nlp, sentence, status, type_):
    event = only(events_of(nlp, sentence))
    assert (event.status, event.type) == (status, type_)


def test_a_refusal_for_the_future_is_a_rejection_made_now(nlp):
    events = events_of(nlp, "The Southern Front said it would not negotiate unless Varga resigns.")
    refusal = only(events, "REJECT")
    assert (refusal.mode, refusal.status, refusal.actors) == ("meet", "reported", ["southern-front"])
    condition = only(events, "CONCEDE")  # the condition is an event that may happen
    assert (condition.status, condition.actors) == ("hypothetical", ["istvan-varga"])


def test_planned_event_keeps_its_announced_date(nlp):
    event = only(events_of(nlp, "Norway plans to convene talks with the Southern Front on Jan. 26 in Oslo."))
    assert (event.date, event.date_text, event.location) == ("2015-01-26", "Jan. 26", "Oslo")
    assert event.actors == ["norway"]


def test_undated_report_takes_publication_date_but_undated_plan_does_not(nlp):
    reported = only(events_of(nlp, "Okafor met Varga."))
    assert (reported.date, reported.date_text) == (PUB, None)
    planned = only(events_of(nlp, "Okafor will meet Varga."))
    assert planned.date is None
    assert only(events_of(nlp, "Okafor met Varga.", published=None)).date is None


def test_a_date_after_publication_makes_a_present_tense_report_a_plan(nlp):
    event = only(events_of(nlp, "Okafor travels to Oslo next week for talks with Varga."))
    assert event.status == "planned"
    assert event.date == "2015-01-19/2015-01-25"


# ---------------------------------------------------------------- spans and invariants


def test_text_is_the_clause_and_offsets_point_at_it(nlp):
    text = "Headline about the war\n\nOkafor said on Monday that Varga had met Halvorsen in Oslo. Nobody else spoke."
    events = events_of(nlp, text)
    event = only(events)
    assert text[event.start:event.end] == event.text
    assert "\n\n" not in event.text
    assert "met Halvorsen" in event.text and "Nobody" not in event.text


def test_headline_does_not_run_into_the_first_paragraph(nlp):
    text = "Finland backs Estonia\n\nOSLO — Okafor met Varga on Monday."
    for event in events_of(nlp, text):
        assert "\n" not in event.text


NAMES_POOL = ["Okafor", "Varga", "Halvorsen", "Norway", "Finland", "the Northern Alliance"]
VERBS = ["met", "accused", "visited", "urged", "praised", "attacked", "rejected", "will meet", "did not meet",
         "could meet", "threatened", "called off talks with", "spoke by phone with", "arrested"]


@given(
    st.lists(
        st.tuples(st.sampled_from(NAMES_POOL), st.sampled_from(VERBS), st.sampled_from(NAMES_POOL)),
        min_size=1, max_size=4,
    ),
    st.sampled_from([None, PUB, "2016-02-29"]),
)
@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
def test_records_are_well_formed_whatever_the_sentences(nlp, clauses, published):
    text = " ".join(f"{a} {v} {b} on Monday." for a, v, b in clauses)
    for event in events_of(nlp, text, published):
        assert event.type in EVENT_TYPES
        assert event.status in STATUSES
        assert text[event.start:event.end] == event.text
        assert 0.0 < event.confidence <= 1.0
        assert not set(event.actors) & set(event.recipients)
        assert event.actors or event.recipients


def test_empty_document_has_no_events(nlp):
    assert find_events(nlp(""), DocumentActors([], {}, []), [], PUB) == []


# --------------------------------------------------------------------- the pattern file


def test_builtin_patterns_load_and_index_by_head_word():
    book = load_patterns()
    assert book.size > 100
    assert any(p.phrase == "refuse to attend" for p in book.verbs["refuse"])
    assert book.planned_as["CONSULT"] == "AGREE"


def test_a_users_pattern_file_teaches_a_new_wording(nlp):
    book = read_patterns("verbs:\n  rebuff: REJECT/meet\n  meet: CONSULT\n")
    assert [p.meaning.type for p in book.verbs["rebuff"]] == ["REJECT"]
    assert book.verbs["rebuff"][0].meaning.mode == "meet"


@pytest.mark.parametrize(
    "text, fragment",
    [
        ("verbs:\n  meet: CONSLT\n", "CONSLT"),
        ("verbs:\n  meet: CONSULT\n  meet: AGREE\n", "twice"),
        ("nouns:\n  talks: CONSULT\n", "verbs"),
        ("verbs: [meet\n", "YAML"),
        ("verbs:\n  go: {mode: meet}\n", "type"),
    ],
)
def test_a_broken_pattern_file_says_what_to_fix(text, fragment):
    with pytest.raises(PatternError, match=fragment):
        read_patterns(text, "mine.yaml")
