"""Events: who did what to whom, when, where, and whether it happened.

Every sentence is written for these tests. Mentions come from string matching
on a small table of names, so the tests depend on the Mention record and the
parse, not on the actor finder; dates come from the real date finder.
"""

from __future__ import annotations


import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from detente.nlp.actors.document_actors import DocumentActors
from detente.nlp.dates.expressions import find_dates
from detente.nlp.events.patterns import EVENT_TYPES, STATUSES, PatternError, load_patterns, read_patterns
from detente.nlp.events.document_events import find_events
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


def test_a_statement_that_blames_is_an_accusation_by_its_speaker(nlp):
    event = only(events_of(nlp, "Okafor said the shelling of the port was a war crime."), "ACCUSE")
    assert event.actors == ["amara-okafor"]
    quoted = only(events_of(nlp, "Varga said the Southern Front was taking its orders from Norway."), "ACCUSE")
    assert quoted.actors == ["istvan-varga"]
    assert quoted.recipients == ["southern-front"]


def test_saying_another_side_attacked_accuses_it_but_a_closing_attribution_only_reports(nlp):
    claimed = events_of(nlp, "The Northern Alliance said the Southern Front had shelled its villages.")
    assert only(claimed, "ACCUSE").actors == ["northern-alliance"]
    assert only(claimed, "ASSAULT").actors == ["southern-front"]
    reported = events_of(nlp, "The Southern Front shelled the villages on Monday, the border police said.")
    assert [e.type for e in reported] == ["ASSAULT"]
    denied = events_of(nlp, "Finland said its jets had not struck the villages.")
    assert "ACCUSE" not in [e.type for e in denied]


def test_a_statement_that_praises_is_support_unless_it_is_denied(nlp):
    event = only(events_of(nlp, "Halvorsen said the agreement was a step forward for the region."))
    assert (event.type, event.actors) == ("SUPPORT", ["lena-halvorsen"])
    assert events_of(nlp, "Halvorsen said she was not expecting a breakthrough.") == []


@pytest.mark.parametrize(
    "sentence, type_",
    [
        ("The second round of talks opened in Oslo on Monday.", "CONSULT"),
        ("Fighting resumed around the port on Sunday.", "ASSAULT"),
        ("The truce, which began last week, is fraying.", "RETREAT"),
        ("The Southern Front declared the ceasefire over on Monday.", "REJECT"),
    ],
)
def test_what_befalls_a_meeting_a_truce_or_fighting_says_it_happens(nlp, sentence, type_):
    assert only(events_of(nlp, sentence), type_)


def test_the_subject_of_a_passive_like_expected_does_the_act(nlp):
    event = only(events_of(nlp, "The Northern Alliance is expected to vote on the plan on Tuesday."))
    assert (event.type, event.status, event.actors) == ("AGREE", "planned", ["northern-alliance"])


def test_its_forces_belong_to_the_group_named_before(nlp):
    text = "The Southern Front rejected the plan. Its fighters shelled the port on Monday."
    assert only(events_of(nlp, text), "ASSAULT").actors == ["southern-front"]


def test_a_person_named_beside_a_title_acts_rather_than_the_body_in_the_title(nlp):
    text = "The Norway envoy for the region, Marek Salo, suspended the talks on Monday."
    assert only(events_of(nlp, text), "SANCTION").actors == ["marek-salo"]


def test_judging_verbs_judge_like_statements(nlp):
    praised = events_of(nlp, "Okafor called the meeting the most promising opportunity in years.")
    assert only(praised, "SUPPORT").actors == ["amara-okafor"]
    blamed = events_of(nlp, "Norway officials consider the Southern Front to be terrorists.")
    assert only(blamed, "ACCUSE").actors == ["norway"]


def test_what_a_statement_says_must_happen_is_a_demand(nlp):
    text = 'The Northern Alliance said in a statement that any deal with Norway "must serve a transfer of power."'
    assert only(events_of(nlp, text), "REQUEST").actors == ["northern-alliance"]


def test_getting_a_side_to_the_table_is_a_meeting_in_the_making(nlp):
    event = only(events_of(nlp, "Finland would be responsible for getting the Southern Front to the table."))
    assert (event.type, event.status, event.actors) == ("AGREE", "planned", ["finland"])


def test_it_said_by_a_bodys_officer_is_the_body(nlp):
    text = "Salo, the Alliance's chief negotiator, said it would not return to Oslo."
    assert only(events_of(nlp, text), "REJECT").actors == ["northern-alliance"]


@pytest.mark.parametrize(
    "sentence, type_, actors",
    [
        ("Varga's refusal was a blow to the organizers.", "REJECT", ["istvan-varga"]),
        ("The plan builds on a pledge made by Norway in Oslo.", "AGREE", ["norway"]),
    ],
)
def test_an_act_named_by_its_noun_with_its_doer_is_an_event(nlp, sentence, type_, actors):
    assert only(events_of(nlp, sentence), type_).actors == actors


def test_a_participle_describing_a_noun_reports_nothing(nlp):
    events = events_of(nlp, "Rebels opposed to Varga shelled the port on Monday.")
    assert [e.type for e in events] == ["ASSAULT"]
    events = events_of(nlp, "Fighters backed by Norway attacked the port on Monday.")
    assert [e.type for e in events] == ["ASSAULT"]


def test_they_are_all_the_people_a_subject_named_titles_and_all(nlp):
    text = "Amara Okafor, head of the Alliance's delegation, and her deputy, Marek Salo, are in Oslo. They plan to meet Varga."
    event = only(events_of(nlp, text), "AGREE")
    assert sorted(event.actors) == ["amara-okafor", "marek-salo"]


def test_a_relative_clause_on_an_apposition_belongs_to_the_name(nlp):
    text = "The Southern Front, a group that has claimed several bombings in Oslo, said it would not attend."
    assert only(events_of(nlp, text), "ASSAULT").actors == ["southern-front"]


def test_as_soon_as_makes_a_readiness_conditional(nlp):
    events = events_of(nlp, "Okafor said she was ready to convene the talks as soon as Norway agreed.")
    assert [e.status for e in events if e.actors == ["amara-okafor"]] == ["hypothetical"]


def test_a_plan_for_talks_no_one_is_named_to_hold_is_announced_by_its_speaker(nlp):
    event = only(events_of(nlp, "Okafor said the talks would resume on Monday."))
    assert (event.type, event.status, event.actors, event.date) == ("AGREE", "planned", ["amara-okafor"], "2015-01-19")


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
        # A conditional meeting commits to a meeting, as a planned one does (the gold's convention).
        ("Okafor could meet Varga if the fighting stops.", "hypothetical", "AGREE"),
        ("The Alliance would hold its fire if the Southern Front did the same.", "hypothetical", "AGREE"),
        ("Under the plan, Finland would withdraw its forces from the border.", "planned", "AGREE"),
        ("Okafor met Varga in Oslo on Monday.", "reported", "CONSULT"),
        ("Okafor had to plead with Varga to stay.", "reported", "REQUEST"),
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


def test_an_event_the_text_does_not_date_has_no_date(nlp):
    """A reaction with no date may have come days before the story; guessing the publication day would
    put it on the timeline as if the text said so."""
    assert only(events_of(nlp, "Okafor met Varga.")).date is None
    assert only(events_of(nlp, "Okafor will meet Varga.")).date is None


def test_a_reported_act_takes_the_date_of_the_statement_that_reports_it(nlp):
    event = only(events_of(nlp, "Finland said on Monday that it would not attend the talks."), "REJECT")
    assert (event.date, event.date_text) == ("2015-01-12", "Monday")


def test_a_date_in_another_clause_of_the_sentence_dates_another_event(nlp):
    events = events_of(nlp, "Okafor, who met Varga on Monday, criticized Norway.")
    assert only(events, "CONSULT").date == "2015-01-12"
    assert only(events, "ACCUSE").date is None


def test_a_second_conjunct_is_not_governed_by_the_first(nlp):
    text = "Okafor told reporters that Norway had agreed to the truce and that the Southern Front had also signalled acceptance."
    finland = [e for e in events_of(nlp, text) if e.actors == ["southern-front"]]
    assert [(e.type, e.status) for e in finland] == [("CONCEDE", "reported")]


def test_an_invitation_withdrawn_is_cancelled(nlp):
    events = events_of(nlp, "Okafor invited Norway on Sunday, then withdrew the invitation on Monday.")
    assert sorted((e.type, e.status, e.date) for e in events) == [
        ("AGREE", "cancelled", "2015-01-12"), ("AGREE", "reported", "2015-01-11")]


def test_an_announced_act_dated_in_the_past_is_reported_not_planned(nlp):
    event = only(events_of(nlp, "Norway announced a partial withdrawal of its forces in December."))
    assert (event.type, event.status, event.date) == ("RETREAT", "reported", "2014-12")


def test_neither_nor_denies_the_act(nlp):
    event = only(events_of(nlp, "Neither Norway nor Finland had attacked the border police."))
    assert (event.type, event.status) == ("ASSAULT", "denied")


def test_a_noun_is_dated_by_its_own_description(nlp):
    event = only(events_of(nlp, "Varga wrote about the conference proposed in December by Okafor."), "AGREE")
    assert event.date == "2014-12"


def test_an_undated_mention_of_the_storys_meeting_takes_the_day_of_the_lead(nlp):
    text = "Okafor and Varga met in Oslo on Tuesday to discuss the truce.\n\nHalvorsen, who attended the talks, praised Norway."
    attended = [e for e in events_of(nlp, text) if e.actors == ["lena-halvorsen"] and e.type == "CONSULT"]
    assert [e.date for e in attended] == ["2015-01-13"]
    older = "Okafor and Varga met in Oslo on Tuesday.\n\nHalvorsen has attended such talks before."
    assert all(e.date is None for e in events_of(nlp, older) if e.actors == ["lena-halvorsen"])


def test_a_meeting_due_to_open_is_planned_for_its_day(nlp):
    event = only(events_of(nlp, "The meeting is due to open on Jan. 26 in Oslo."))
    assert (event.type, event.status, event.date) == ("AGREE", "planned", "2015-01-26")


def test_a_plan_for_a_weekday_is_for_the_coming_one(nlp):
    assert only(events_of(nlp, "Norway and Finland are due to meet in Oslo on Friday.")).date == "2015-01-16"
    assert only(events_of(nlp, "Norway and Finland are due to meet in Oslo on Wednesday.")).date == PUB
    assert only(events_of(nlp, "Norway and Finland met in Oslo on Friday.")).date == "2015-01-09"


def test_a_date_after_publication_makes_a_present_tense_report_a_plan(nlp):
    event = only(events_of(nlp, "Okafor travels to Oslo next week for talks with Varga."))
    assert event.status == "planned"
    assert event.date == "2015-01-19/2015-01-25"


# ------------------------------------------------------------- wordings added from the gold's misses


def test_dismissing_as_a_sham_accuses_while_plain_dismissal_rejects(nlp):
    assert only(events_of(nlp, "Okafor dismissed the offer as a trick.")).type == "ACCUSE"
    assert only(events_of(nlp, "Okafor dismissed the offer.")).type == "REJECT"


def test_joining_a_process_agrees_to_it(nlp):
    event = only(events_of(nlp, "Finland joined the peace process in May."))
    assert (event.type, event.actors) == ("AGREE", ["finland"])


def test_refusing_to_be_bound_rejects_and_being_bound_is_no_event(nlp):
    event = only(events_of(nlp, "Finland said it would not be bound by any deal made in its absence."))
    assert (event.type, event.actors, event.recipients) == ("REJECT", ["finland"], [])
    assert [e for e in events_of(nlp, "Finland is bound by the old treaty.") if e.type == "REJECT"] == []


@pytest.mark.parametrize("text", [
    "Ministers from Norway and Finland gathered in a hotel in Oslo.",
    "Norway and Finland sat in the same room for the first time.",
])
def test_gathering_or_sitting_in_one_room_is_a_meeting(nlp, text):
    event = only(events_of(nlp, text))
    assert event.type == "CONSULT"
    assert set(event.actors) == {"norway", "finland"}


def test_insistence_is_a_demand_by_its_owner(nlp):
    event = only(events_of(nlp, "The clause was dropped at Norway's insistence."))
    assert (event.type, event.actors) == ("REQUEST", ["norway"])


def test_a_speakers_second_act_is_his_though_parsed_under_what_he_said(nlp):
    text = "In Oslo, Okafor said the people deserved a rest and urged the countries arming the two sides to press their allies."
    events = events_of(nlp, text)
    assert only(events, "REQUEST").actors == ["amara-okafor"]
    assert [e for e in events if e.type == "AID" and "amara-okafor" in e.actors] == []  # the countries arm, not Okafor


def test_a_meeting_that_brought_parties_together_has_them_as_its_actors_and_happened(nlp):
    text = "The committee was set up at a meeting in Oslo that brought together Norway, Finland and the Alliance."
    event = only(events_of(nlp, text))
    assert (event.type, event.status) == ("CONSULT", "reported")  # "set up" founds something; it plans nothing
    assert set(event.actors) == {"norway", "finland", "northern-alliance"}
    assert event.recipients == []


def test_a_convener_keeps_those_brought_together_as_recipients(nlp):
    event = only(events_of(nlp, "Okafor brought Norway and Finland together in Oslo."))
    assert event.actors == ["amara-okafor"]
    assert set(event.recipients) == {"norway", "finland"}


def test_talks_that_begin_with_a_delegation_have_it_as_a_party(nlp):
    event = only(events_of(nlp, "The talks began on Friday with a Finland delegation."))
    assert (event.type, event.actors) == ("CONSULT", ["finland"])


def test_a_coalition_led_by_a_state_acts_as_that_state(nlp):
    event = only(events_of(nlp, "Aircraft from the Norway-led coalition struck army positions on Saturday."))
    assert (event.type, event.actors) == ("ASSAULT", ["norway"])

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


# ----------------------------------------------------------------- conventions of the real-news gold


def test_signing_a_text_is_support_and_not_signing_a_refusal(nlp):
    assert only(events_of(nlp, "Okafor signed the accord in Oslo on Monday.")).type == "SUPPORT"
    assert only(events_of(nlp, "The Southern Front declined to sign the accord.")).type == "REJECT"


def test_a_past_attempt_is_the_act_attempted_and_a_present_one_a_plan(nlp):
    tried = only(events_of(nlp, "Norway and Finland sought to mediate between the two factions."))
    assert (tried.type, tried.status, tried.actors) == ("CONSULT", "reported", ["norway", "finland"])
    trying = only(events_of(nlp, "Varga is seeking to convene peace talks in Oslo next week."))
    assert (trying.type, trying.status) == ("AGREE", "planned")


def test_talks_that_collapse_are_a_cancelled_meeting(nlp):
    event = only(events_of(nlp, "The talks in Oslo collapsed on Monday without a deal."))
    assert (event.type, event.status, event.date) == ("CONSULT", "cancelled", "2015-01-12")


def test_taking_ground_and_breaking_a_truce_are_assaults(nlp):
    assert only(events_of(nlp, "The Southern Front captured the port town on Sunday.")).type == "ASSAULT"
    assert only(events_of(nlp, "The truce was broken at the end of December.")).type == "ASSAULT"


def test_parties_no_actor_matches_are_kept_as_words(nlp):
    event = only(events_of(nlp, "Seven ethnic armed groups declined to sign the peace deal."))
    assert event.actors == [] and event.actors_text == ["Seven ethnic armed groups"]
    taken = only(events_of(nlp, "The Southern Front captured the city of Tarn."))
    assert taken.actors == ["southern-front"] and taken.recipients_text == []  # a city taken is not a party


def test_a_plan_told_in_an_undated_statement_is_dated_by_the_report(nlp):
    event = only(events_of(nlp, "Varga said the Alliance would attend the next round."))
    assert (event.type, event.status, event.date) == ("AGREE", "planned", PUB)


def test_the_day_a_statement_was_made_does_not_date_the_plan_ahead(nlp):
    event = only(events_of(nlp, "Varga said on Monday that the talks would continue."))
    assert (event.status, event.date) == ("planned", "2015-01-12")


def test_an_event_told_only_in_the_headline_is_kept_and_one_the_lead_retells_is_not(nlp):
    alone = events_of(nlp, "Southern Front captures border town\n\nVarga said on Monday that the talks would continue.")
    assert [e.type for e in alone] == ["ASSAULT", "AGREE"]
    retold = events_of(nlp, "Southern Front captures border town\n\nThe Southern Front captured the border town of Tarn on Monday.")
    assert [(e.type, e.date) for e in retold] == [("ASSAULT", "2015-01-12")]


def test_the_news_a_story_opens_with_is_dated_by_the_report(nlp):
    """'X and Y have met' opening the body is the day's news; the same perfect further down is background."""
    lead = events_of(nlp, "Okafor and Varga have met in Oslo to discuss the truce.\n\nVarga has met Okafor twice before.")
    assert [(e.type, e.date) for e in lead] == [("CONSULT", PUB), ("CONSULT", None)]


def test_the_parties_of_a_meeting_named_as_its_subject(nlp):
    event = only(events_of(nlp, "Talks between Norway and Finland resumed in Oslo on Monday."))
    assert (event.type, event.actors, event.date) == ("CONSULT", ["norway", "finland"], "2015-01-12")
