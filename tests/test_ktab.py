"""KTAB's SMP CSV: files off the 0–100 scales load with a note, and any negotiation writes back.

The sample files here are written for these tests with the properties of
KTAB's own samples: a salience above 100 (KTAB's `dummyData_3Dim.csv` has
105.9), a scenario name with a semicolon, cells padded with spaces and a
trailing comma on every row, an `Influence` column and named dimensions.
"""

from __future__ import annotations

import json

import pytest
from click.testing import CliRunner
from conftest import EXAMPLES

from detente.cli import main
from detente.negotiation.files import NegotiationFileError, load_negotiation
from detente.negotiation.ktab import dump_ktab_csv, parse_ktab_csv
from detente.negotiation.spatial import forecast_issue
from detente.present.render import render_page, template_environment
from detente.present.views.negotiation import build_negotiation

OVER_SALIENT = """\
Three Dims ,"A made-up scenario to test the reader",3,2,
Actor,Description,Power,Pstn1,Sal1,Pstn2,Sal2,
A-00, First actor, 102.5, 75.8, 49.5,  6.4,  120.0,
A-01, Second actor,  53.4, 82.7, 30.3, 73.5, 21.2,
A-02, Third actor, 129.6, 82.4, 48.5, 90.9, 13.6,
"""

ONE_POLICY = """\
Harbour Policy; scen 0,Scenario-000; How far the port opens to private operators, 3, 1, 
Actor,Description,Influence,Policy Position,Policy Salience, 
PA,Port Authority,100,30,30, 
MT,Ministry of Transport,65,45,65, 
PO,Private Operators,20,90,75, 
"""


def test_saliences_above_100_are_rescaled_with_a_note_and_every_ratio_kept():
    negotiation = parse_ktab_csv(OVER_SALIENT, "three.csv")
    saliences = {(i, a): e.likely for i, issue in negotiation.issues.items() for a, e in issue.saliences.items()}
    assert max(saliences.values()) == pytest.approx(100)
    assert saliences[("dim1", "a-00")] / saliences[("dim2", "a-01")] == pytest.approx(49.5 / 21.2)
    (note,) = negotiation.notes
    assert "up to 120" in note and "multiplied by 0.8333" in note
    assert negotiation.issues["dim2"].saliences["a-00"].source == "three.csv:3 (rescaled from 120)"
    assert negotiation.issues["dim1"].positions["a-00"].likely == 75.8  # positions were on the scale: untouched


def test_actors_sharing_one_description_are_named_by_their_actor_cell():
    same = OVER_SALIENT.replace("First actor", "Random actor").replace("Second actor", "Random actor").replace(
        "Third actor", "Random actor")
    negotiation = parse_ktab_csv(same, "three.csv")
    assert [a.name for a in negotiation.actors.values()] == ["A-00", "A-01", "A-02"]
    assert negotiation.actors["a-01"].description == "Random actor"
    assert parse_ktab_csv(OVER_SALIENT, "three.csv").actors["a-01"].name == "Second actor"


def test_positions_off_the_scale_map_linearly_and_the_labels_say_from_what():
    text = OVER_SALIENT.replace(" 6.4,", " -20,").replace(" 90.9,", " 140,").replace("120.0", "90.0")
    negotiation = parse_ktab_csv(text, "wide.csv")
    dim2 = negotiation.issues["dim2"]
    assert dim2.positions["a-00"].likely == 0 and dim2.positions["a-02"].likely == 100
    assert dim2.positions["a-01"].likely == pytest.approx((73.5 + 20) / 160 * 100)
    assert (dim2.low_label, dim2.high_label) == ("-20 on the file's scale", "140 on the file's scale")
    assert negotiation.issues["dim1"].low_label == "0 on the KTAB scale"  # the other dimension keeps its scale
    (note,) = negotiation.notes
    assert "from -20 to 140" in note and "-20 is 0 and 140 is 100" in note


def test_what_no_rescaling_can_mend_is_still_an_error_naming_the_line():
    negative = OVER_SALIENT.replace("30.3,", "-30.3,")
    with pytest.raises(NegotiationFileError, match=r"three.csv line 4, A-01.Sal1: salience -30.3 must be 0 or more"):
        parse_ktab_csv(negative, "three.csv")
    with pytest.raises(NegotiationFileError, match="must be a number"):
        parse_ktab_csv(OVER_SALIENT.replace("53.4", "n/a"), "three.csv")


def test_a_one_policy_file_with_padded_cells_and_trailing_commas_loads(tmp_path):
    path = tmp_path / "harbour.csv"
    path.write_text(ONE_POLICY, encoding="utf-8")
    negotiation = load_negotiation(path)
    assert negotiation.name == "Harbour Policy; scen 0"
    assert list(negotiation.issues) == ["policy"] and negotiation.notes == []
    assert negotiation.actors["mt"].name == "Ministry of Transport"


def test_rounds_and_sensitivity_default_to_the_only_issue(tmp_path):
    path = tmp_path / "harbour.csv"
    path.write_text(ONE_POLICY, encoding="utf-8")
    rounds = CliRunner().invoke(main, ["model", "rounds", str(path), "--format", "json"])
    assert rounds.exit_code == 0, rounds.output
    assert json.loads(rounds.output)["issue"]["id"] == "policy"
    assert CliRunner().invoke(main, ["model", "sensitivity", str(path), "--format", "json"]).exit_code == 0
    several = CliRunner().invoke(main, ["model", "rounds", str(EXAMPLES / "negotiation.yaml")])
    assert several.exit_code == 2 and "pick one with --issue: assad-role, sequencing, table" in several.output


def test_any_negotiation_writes_back_as_ktab_and_reads_back_the_same_numbers():
    original = load_negotiation(EXAMPLES / "negotiation.yaml")
    written = dump_ktab_csv(original)
    again = parse_ktab_csv(written.text, "syria.csv")
    assert list(again.actors) == list(original.actors) and list(again.issues) == list(original.issues)
    assert again.name == original.name and again.notes == []
    for issue_id in original.issues:
        assert forecast_issue(again, issue_id) == pytest.approx(forecast_issue(original, issue_id))
    notes = " ".join(written.notes)
    assert "range(s) written as their likely value" in notes
    assert "voting bodies and candidate lists are not part of KTAB's format" in notes
    assert "saliences add up to more than 100" in notes


def test_an_actor_without_a_position_is_written_as_not_caring_with_a_note():
    negotiation = parse_ktab_csv(ONE_POLICY, "harbour.csv")
    del negotiation.issues["policy"].positions["po"], negotiation.issues["policy"].saliences["po"]
    written = dump_ktab_csv(negotiation)
    assert written.text.splitlines()[-1] == "po,Private Operators,20,50,0"
    assert any("Private Operators has no position on 'Policy Position': written at 50 with salience 0" in n
               for n in written.notes)


def test_the_convert_command_writes_ktab_by_the_output_suffix_and_names_what_it_left_out(tmp_path):
    out = tmp_path / "syria.csv"
    result = CliRunner().invoke(main, ["model", "convert", str(EXAMPLES / "negotiation.yaml"), "-o", str(out)])
    assert result.exit_code == 0, result.output
    assert out.read_text(encoding="utf-8").splitlines()[1].startswith("Actor,Description,Power,assad-role Position")
    assert "note: voting bodies and candidate lists" in result.stderr
    back = CliRunner().invoke(main, ["model", "convert", str(out), "--format", "yaml"])
    assert back.exit_code == 0 and "assad-role" in back.stdout


def test_the_rescaling_note_reaches_the_check_command_and_the_negotiation_page(tmp_path):
    path = tmp_path / "three.csv"
    path.write_text(OVER_SALIENT, encoding="utf-8")
    checked = CliRunner().invoke(main, ["model", "check", str(path)])
    assert checked.exit_code == 0 and "note: three.csv: saliences run up to 120" in checked.output
    data = build_negotiation(None, model=path)
    page = render_page(template_environment(lambda kind, id=None: f"#{kind}"), "negotiation", data)
    assert "saliences run up to 120, above the 0–100 scale" in page


def test_convert_to_a_folder_that_does_not_exist_says_what_to_do(tmp_path):
    out = tmp_path / "missing" / "x.csv"
    result = CliRunner().invoke(main, ["model", "convert", str(EXAMPLES / "negotiation.yaml"), "-o", str(out)])
    assert result.exit_code == 1 and "cannot write" in result.output and "choose another path with -o" in result.output
