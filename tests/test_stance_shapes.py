"""Stances on a conflict no registry knows: open targets, the shapes a position takes, and a shift over time.

The sentences are invented for these tests (a fictional Kismayo accord between
real states), and only the built-in registries are used, as for a new user
whose conflict detente has never heard of.
"""

from __future__ import annotations

import json

import pytest
from click.testing import CliRunner

from detente.cli import main
from detente.ingest.pipeline import ingest
from detente.nlp.actors.registry import ActorRegistry
from detente.nlp.extract import extract_doc, extract_store
from detente.store.database import open_engine
from detente.store.stances import stance_rows, stance_series


@pytest.fixture(scope="module")
def read(nlp):
    registry = ActorRegistry.load(None)

    def run(text: str, published: str | None = "2024-03-01"):
        doc = nlp(text)
        return doc, extract_doc(doc, registry, published).stances

    return run


def triples(found) -> set[tuple[str, str, str]]:
    return {(s.actor, s.polarity, s.target) for s in found}


SIGNED = "Kenya and Somalia signed the Kismayo agreement on Monday. "


# -- open targets --------------------------------------------------------------------------


def test_a_deal_no_registry_knows_is_a_target_named_by_the_report(read):
    _, found = read(SIGNED + "Uganda did not back the agreement.")
    (stance,) = [s for s in found if s.actor == "uganda"]
    assert stance.target == "kismayo-agreement" and stance.target_name == "Kismayo agreement"
    assert stance.target_text == "the agreement"


def test_the_names_of_one_deal_in_one_report_are_one_target(read):
    text = SIGNED + "Norway welcomed the deal. Ethiopia praised the peace agreement. Eritrea rejected this accord."
    _, found = read(text)
    targets = {s.actor: s.target for s in found if s.actor in ("norway", "ethiopia", "eritrea")}
    assert targets == {"norway": "kismayo-agreement", "ethiopia": "kismayo-agreement", "eritrea": "kismayo-agreement"}


def test_a_common_name_on_another_conflict_is_not_a_registered_target(read):
    # "the ceasefire" of a Syrian registry entry dated 2016 is not the ceasefire of a report on Somalia
    _, found = read("Kenya and Somalia agreed on a ceasefire in Kismayo. Uganda welcomed the ceasefire.", "2016-03-01")
    assert found and all(s.target == "ceasefire" for s in found)


def test_a_policy_is_a_target_and_ending_a_measure_opposes_it(read):
    _, found = read("Kenya wants the fishing ban to be lifted.")
    assert ("kenya", "support", "lift-fishing-ban") in triples(found)
    assert ("kenya", "oppose", "fishing-ban") in triples(found)


# -- who holds it ----------------------------------------------------------------------------


def test_a_stance_the_reporter_states_in_a_relative_clause(read):
    doc, found = read("Norway, which backs arming the border militias, sent an envoy to Nairobi.")
    (stance,) = found
    assert (stance.actor, stance.polarity) == ("norway", "support") and "arm" in stance.target
    assert doc.text[stance.start : stance.end].startswith("Norway, which backs arming")


def test_a_restrictive_relative_clause_states_no_ones_position(read):
    _, found = read(SIGNED + "The militias that backed the agreement stayed in Kismayo.")
    assert not [s for s in found if s.target == "kismayo-agreement" and s.actor not in ("kenya", "somalia")]


def test_a_quoted_rejection_is_the_speakers_stance(read):
    text = SIGNED + '"We reject this peace agreement," said Ahmed Warsame, the leader of the Jubba Liberation Front.'
    _, found = read(text)
    assert ("ahmed-warsame", "oppose", "kismayo-agreement") in triples(found)


def test_urging_others_is_support_for_what_they_are_urged_to_do(read):
    _, found = read("Mary Robinson urged both sides to seek a lasting settlement.")
    assert triples(found) == {("mary-robinson", "support", "settlement")}


# -- polarity: negation and modality ---------------------------------------------------------


def test_negation_turns_support_into_opposition(read):
    _, found = read(SIGNED + "Uganda did not back the agreement.")
    assert ("uganda", "oppose", "kismayo-agreement") in triples(found)


def test_an_obligation_is_support_and_a_fear_is_no_stance(read):
    _, found = read(SIGNED + "Norway said the agreement must be respected. Tanzania said the agreement may fail.")
    assert ("norway", "support", "kismayo-agreement") in triples(found)
    assert not [s for s in found if s.actor == "tanzania"]


def test_being_unable_to_agree_is_opposition(read):
    _, found = read(SIGNED + "Uganda said it could not agree to the accord.")
    assert ("uganda", "oppose", "kismayo-agreement") in triples(found)


# -- conditions --------------------------------------------------------------------------------


def test_unless_makes_a_condition_on_talks_the_report_names(read):
    _, found = read("The Jubba Liberation Front will not attend the follow-up talks unless the army withdraws from the port.")
    (stance,) = found
    assert stance.polarity == "condition" and stance.target == "follow-up-talks"
    assert stance.condition == "the army withdraws from the port"


def test_only_if_and_on_condition_that_make_conditions(read):
    text = SIGNED + "Ethiopia said it would back the accord only if the militias disarm. Kenya will join the talks on condition that the port is reopened."
    _, found = read(text)
    conditions = {s.actor: (s.target, s.condition) for s in found if s.polarity == "condition"}
    assert conditions["ethiopia"] == ("kismayo-agreement", "the militias disarm")
    assert conditions["kenya"][1] == "the port is reopened"


def test_a_demand_before_talks_is_a_condition_on_the_talks(read):
    _, found = read("The Jubba Liberation Front demands the release of its fighters before any talks.")
    (stance,) = [s for s in found if s.polarity == "condition"]
    assert stance.actor == "jubba-liberation-front" and stance.target == "talks"
    assert stance.condition == "the release of its fighters"


def test_a_precondition_is_a_condition_of_its_owner(read):
    text = "Kenya wants talks in Mombasa. The return of the exiles is Somalia's main precondition for the talks."
    _, found = read(text)
    (stance,) = [s for s in found if s.polarity == "condition"]
    assert stance.actor == "somalia" and "exiles" in stance.condition


# -- a shift over time -------------------------------------------------------------------------


@pytest.fixture
def shifted(tmp_path):
    reports = [
        ("2024-03-01", "Kenya backs accord", "Kenya backed the Kismayo agreement on Friday, calling it a fair basis for peace."),
        ("2024-06-01", "Kenya turns on accord", "Kenya rejected the Kismayo agreement on Saturday after new clashes near the port."),
    ]
    path = tmp_path / "reports.jsonl"
    path.write_text("\n".join(json.dumps({"text": t, "title": h, "published": d, "outlet": "Test Wire"}) for d, h, t in reports),
                    encoding="utf-8")
    db = tmp_path / "shift.db"
    engine = open_engine(str(db))
    ingest(engine, [str(path)])
    extract_store(engine, ActorRegistry.load(None))
    return engine, db


def test_one_actors_stances_on_an_open_target_form_one_series_with_the_shift_marked(shifted):
    engine, _ = shifted
    series = stance_series(engine, "kenya", "kismayo")
    assert [(r["target"], r["polarity"]) for r in series] == [("kismayo-agreement", "support"), ("kismayo-agreement", "oppose")]
    assert [r["changed_from"] for r in series] == [None, "support"]
    assert {r["target_name"] for r in series} == {"Kismayo agreement"}


def test_a_target_is_found_by_its_name(shifted):
    engine, _ = shifted
    assert {r["target"] for r in stance_rows(engine, target="Kismayo agreement")} == {"kismayo-agreement"}


def test_the_stances_command_shows_the_shift(shifted):
    _, db = shifted
    result = CliRunner().invoke(main, ["stances", "--db", str(db), "--actor", "kenya", "--target", "kismayo", "--format", "json"])
    assert result.exit_code == 0, result.output
    rows = json.loads(result.output)
    assert [(r["polarity"], r["changed_from"]) for r in rows] == [("support", None), ("oppose", "support")]
    assert rows[0]["target_name"] == "Kismayo agreement"
