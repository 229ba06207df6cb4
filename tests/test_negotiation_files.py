"""Negotiation files: the YAML format, its error messages, the writer, and KTAB's SMP CSV."""

from __future__ import annotations

import math
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from detente.negotiation.files import (
    NegotiationFileError,
    dump_negotiation,
    load_negotiation,
    parse_negotiation_yaml,
)
from detente.negotiation.ktab import parse_ktab_csv
from detente.negotiation.model import CandidateList, Estimate, Issue, Negotiation, NegotiationActor, VotingBody

EXAMPLE = Path(__file__).resolve().parent.parent / "examples" / "syria" / "negotiation.yaml"

GOOD = """\
name: Ceasefire talks
actors:
  - {id: north, name: Northern Alliance, capability: 40}
  - {id: south, name: Southern Front, capability: {low: 10, likely: 20, high: 35}}
  - {id: envoy, capability: 5}
issues:
  - id: truce
    name: Length of the truce
    scale: {0: no truce, 100: permanent ceasefire}
    status_quo: 10
    positions: {north: 30, south: {low: 60, likely: 70, high: 90}, envoy: 80}
    salience: {north: 90, south: 60, envoy: 40}
bodies:
  - {id: council, quota: 3, members: [north, south, envoy, elder, mayor], vetoes: [north]}
candidate_lists:
  - {id: chair, name: Chair of the talks, candidates: [ana, ben, cy], vetoes: {north: [ana], south: [ben]}}
"""


def problems_of(text: str) -> list:
    with pytest.raises(NegotiationFileError) as caught:
        parse_negotiation_yaml(text, "talks.yaml")
    return caught.value.problems


def test_good_file_reads_every_part():
    negotiation = parse_negotiation_yaml(GOOD, "talks.yaml")
    assert negotiation.name == "Ceasefire talks"
    assert list(negotiation.actors) == ["north", "south", "envoy"]
    assert negotiation.actors["envoy"].name == "envoy"  # the id stands in for a missing name
    south = negotiation.actors["south"].capability
    assert (south.lower, south.likely, south.upper) == (10, 20, 35)
    truce = negotiation.issues["truce"]
    assert (truce.low_label, truce.high_label, truce.status_quo) == ("no truce", "permanent ceasefire", 10)
    assert truce.positions["south"].is_range and not truce.positions["north"].is_range
    assert truce.positions["north"].source == "talks.yaml:11"
    council = negotiation.bodies["council"]
    assert council.weights == {m: 1.0 for m in ["north", "south", "envoy", "elder", "mayor"]}
    assert council.quota == 3 and council.vetoes == ["north"]
    assert negotiation.candidate_lists["chair"].vetoes == {"north": ["ana"], "south": ["ben"]}


def test_example_file_is_valid_and_has_the_coalition_body():
    negotiation = load_negotiation(EXAMPLE)
    assert 8 <= len(negotiation.actors) <= 12
    assert 2 <= len(negotiation.issues) <= 3 and "assad-role" in negotiation.issues
    coalition = negotiation.bodies["coalition"]
    assert sorted(coalition.weights.values()) == [15, 26, 29] and coalition.quota == 36
    assert "# source:" in EXAMPLE.read_text(encoding="utf-8")


def test_out_of_scale_position_names_file_line_and_field():
    text = GOOD.replace("envoy: 80}", "envoy: 140}")
    [problem] = problems_of(text)
    assert problem.line == 11
    assert problem.field == "issues[0].positions.envoy"
    assert str(problem) == "talks.yaml line 11, issues[0].positions.envoy: position 140 is outside the 0–100 scale"


def test_every_problem_is_reported_at_once():
    text = (GOOD.replace("envoy: 80}", "envoy: 140}")
            .replace("south: 60, envoy: 40}", "south: 60, envoy: 40, sout: 5}")
            .replace("capability: 40}", "capability: lots}"))
    problems = problems_of(text)
    fields = {p.field for p in problems}
    assert "issues[0].positions.envoy" in fields
    assert "issues[0].salience.sout" in fields
    assert "actors[0].capability" in fields
    typo = next(p for p in problems if p.field == "issues[0].salience.sout")
    assert "did you mean 'south'" in typo.message and typo.line == 12


@pytest.mark.parametrize("change,field,words", [
    (("salience: {north: 90, south: 60, envoy: 40}", "salience: {north: 90, south: 60}"),
     "issues[0].positions.envoy", "no salience"),
    (("{id: envoy, capability: 5}", "{id: envoy}"), "actors[2]", "needs a capability"),
    (("{id: envoy, capability: 5}", "{id: north, capability: 5}"), "actors[2].id", "used twice"),
    (("scale: {0: no truce, 100: permanent ceasefire}", "scale: {0: no truce, 10: short}"),
     "issues[0].scale", "0 and 100"),
    (("status_quo: 10", "status_quo: -5"), "issues[0].status_quo", "outside"),
    (("{low: 60, likely: 70, high: 90}", "{low: 60, likely: 95, high: 90}"),
     "issues[0].positions.south", "low ≤ likely ≤ high"),
    (("quota: 3,", "quota: 9,"), "bodies[0].quota", "exceeds the total weight"),
    (("vetoes: [north]}", "vetoes: [nort]}"), "bodies[0].vetoes[0]", "did you mean 'north'"),
    (("north: [ana]", "north: [dan]"), "candidate_lists[0].vetoes.north[0]", "unknown candidate"),
    (("name: Ceasefire talks", "name: Ceasefire talks\nactrs: []"), "actrs", "did you mean 'actors'"),
])
def test_each_kind_of_mistake_is_located(change, field, words):
    problems = problems_of(GOOD.replace(*change))
    match = [p for p in problems if p.field == field]
    assert match, [str(p) for p in problems]
    assert words in match[0].message
    assert match[0].line is not None


def test_duplicate_key_is_reported_not_silently_dropped():
    text = GOOD.replace("salience: {north: 90,", "salience: {north: 90, north: 10,")
    [problem] = problems_of(text)
    assert problem.field == "issues[0].salience.north" and "twice" in problem.message


def test_requires_loop_and_unknown_body():
    bodies = """bodies:
  - {id: a, quota: 1, weights: {x: 1}, requires: [b]}
  - {id: b, quota: 1, weights: {y: 1}, requires: [a]}
  - {id: c, quota: 1, weights: {z: 1}, requires: [d]}
"""
    text = GOOD.split("bodies:")[0] + bodies
    problems = problems_of(text)
    assert {p.field for p in problems} == {"bodies[0].requires", "bodies[1].requires", "bodies[2].requires[0]"}


@pytest.mark.parametrize("text,words", [
    ("", "empty"),
    ("name: [unclosed", "not valid YAML"),
    ("- just\n- a list\n", "must be a mapping"),
])
def test_unusable_files_say_what_is_wrong(text, words):
    problems = problems_of(text)
    assert any(words in p.message for p in problems)


def test_missing_file_says_so(tmp_path):
    with pytest.raises(NegotiationFileError, match="no such file"):
        load_negotiation(tmp_path / "absent.yaml")


# -- the writer --------------------------------------------------------------------


def test_dump_writes_sources_as_comments_and_reads_back():
    negotiation = parse_negotiation_yaml(GOOD, "talks.yaml")
    text = dump_negotiation(negotiation)
    assert "# source: talks.yaml:11" in text
    again = parse_negotiation_yaml(text, "again.yaml")
    assert _plain(again) == _plain(negotiation)


_name = st.text(st.characters(blacklist_categories=("Cs", "Cc", "Zl", "Zp")), min_size=1, max_size=12)
_share = st.floats(0, 100, allow_nan=False)


@st.composite
def _estimates(draw, high: float | None = 100.0):
    values = sorted(draw(st.lists(st.floats(0, 100 if high else 1e6, allow_nan=False), min_size=3, max_size=3)))
    if draw(st.booleans()):
        return Estimate(likely=values[1])
    return Estimate(likely=values[1], low=values[0], high=values[2])


@st.composite
def negotiations(draw):
    ids = draw(st.lists(_name, min_size=1, max_size=4, unique=True))
    actors = {i: NegotiationActor(i, draw(_name), draw(_estimates(high=None))) for i in ids}
    issues = {}
    for issue_id in draw(st.lists(_name, max_size=2, unique=True)):
        members = draw(st.lists(st.sampled_from(ids), unique=True))
        issues[issue_id] = Issue(
            issue_id, draw(_name), draw(_name), draw(_name),
            status_quo=draw(st.none() | _share),
            positions={m: draw(_estimates()) for m in members},
            saliences={m: draw(_estimates()) for m in members},
        )
    weights = draw(st.dictionaries(_name, st.integers(1, 50), min_size=1, max_size=4))
    body = VotingBody("body", draw(_name), {k: float(v) for k, v in weights.items()}, float(sum(weights.values())),
                      vetoes=list(weights)[:1])
    candidates = draw(st.lists(_name, min_size=1, max_size=4, unique=True))
    clist = CandidateList("list", draw(_name), candidates, {ids[0]: candidates[:1]})
    return Negotiation(draw(_name), actors, issues, {"body": body}, {"list": clist})


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(negotiations())
def test_writer_round_trips_any_negotiation(negotiation):
    again = parse_negotiation_yaml(dump_negotiation(negotiation), "round-trip.yaml")
    assert _plain(again) == _plain(negotiation)


def _plain(negotiation: Negotiation) -> dict:
    """Everything but where the values came from."""
    def est(e: Estimate):
        return (e.lower, e.likely, e.upper)

    return {
        "name": negotiation.name,
        "actors": {a.id: (a.name, est(a.capability)) for a in negotiation.actors.values()},
        "issues": {
            i.id: (i.name, i.low_label, i.high_label, i.status_quo,
                   {a: est(e) for a, e in i.positions.items()}, {a: est(e) for a, e in i.saliences.items()})
            for i in negotiation.issues.values()
        },
        "bodies": {b.id: (b.name, b.weights, b.quota, b.vetoes, b.requires) for b in negotiation.bodies.values()},
        "lists": {c.id: (c.name, c.candidates, c.vetoes) for c in negotiation.candidate_lists.values()},
    }


# -- KTAB SMP CSV --------------------------------------------------------------------


KTAB = """\
Water Board,"Allocation of a shared river, two questions",3,2,
Actor,Description,Power,Dim1,Sal1,Pstn2,Sal2,
UP, Upstream Province, 50, 20.5, 80, 40, 30,
DN, Downstream City, 30, 90, 70, 10, 60,
FM, Farmers Union, 20, 55, 40, 75, 90,
"""


def test_ktab_csv_becomes_actors_and_issues(tmp_path):
    path = tmp_path / "water.csv"
    path.write_text(KTAB, encoding="utf-8")
    negotiation = load_negotiation(path)
    assert negotiation.name == "Water Board"
    assert negotiation.description.startswith("Allocation of a shared river")
    assert list(negotiation.actors) == ["up", "dn", "fm"]
    assert negotiation.actors["dn"].name == "Downstream City"
    assert negotiation.actors["up"].capability.likely == 50
    assert list(negotiation.issues) == ["dim1", "dim2"]
    assert negotiation.issues["dim1"].positions["up"].likely == 20.5
    assert negotiation.issues["dim2"].saliences["fm"].likely == 90
    assert negotiation.issues["dim2"].positions["dn"].source.endswith(":4")


def test_ktab_named_dimension_and_errors():
    named = "S,desc,1,1\nActor,Description,Influence,Policy Position,Policy Salience\nA,Alpha,10,30,50\n"
    assert list(parse_ktab_csv(named).issues) == ["policy"]
    bad = KTAB.replace("DN, Downstream City, 30, 90,", "DN, Downstream City, 30, ninety,").replace(",3,2,", ",4,2,")
    with pytest.raises(NegotiationFileError) as caught:
        parse_ktab_csv(bad, "water.csv")
    messages = [str(p) for p in caught.value.problems]
    assert any("line 4" in m and "must be a number, got 'ninety'" in m for m in messages)
    assert any("line 1" in m and "declares 4 actors" in m for m in messages)


def test_ktab_round_trips_through_our_yaml():
    negotiation = parse_ktab_csv(KTAB, "water.csv")
    again = parse_negotiation_yaml(dump_negotiation(negotiation), "water.yaml")
    assert _plain(again) == _plain(negotiation)
    assert not math.isnan(again.issues["dim1"].positions["up"].likely)
