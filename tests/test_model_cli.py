"""`detente model …` as a user runs it: check, forecast, rounds, levers, sensitivity, draft."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
import yaml
from click.testing import CliRunner

from detente.negotiation.commands import model_group
from detente.negotiation.files import load_negotiation
from detente.store.database import open_engine
from detente.store.schema import actors, documents, stances

EXAMPLE = Path(__file__).resolve().parent.parent / "examples" / "syria" / "negotiation.yaml"

# The EU car-emissions case (Scholz et al. 2011, Table 1) typed as a user would: years as points on 0–100.
EMISSIONS_YAML = """\
name: EU car emission standards (BDM 1994)
actors:
  - {id: netherlands, capability: 0.08}
  - {id: belgium, capability: 0.08}
  - {id: luxembourg, capability: 0.03}
  - {id: germany, capability: 0.16}
  - {id: france, capability: 0.16}
  - {id: italy, capability: 0.16}
  - {id: united-kingdom, capability: 0.16}
  - {id: ireland, capability: 0.05}
  - {id: denmark, capability: 0.05}
  - {id: greece, capability: 0.08}
issues:
  - id: emissions
    name: Years until emission standards apply to medium cars
    scale: {0: now, 100: in a hundred years}
    positions: {netherlands: 4, belgium: 7, luxembourg: 4, germany: 4, france: 10, italy: 10,
                united-kingdom: 10, ireland: 7, denmark: 4, greece: 7}
    salience: {netherlands: 80, belgium: 40, luxembourg: 20, germany: 80, france: 60, italy: 60,
               united-kingdom: 90, ireland: 10, denmark: 100, greece: 70}
"""


def run(*args: str, expect: int = 0):
    result = CliRunner().invoke(model_group, list(args), catch_exceptions=False)
    assert result.exit_code == expect, result.output
    return result


@pytest.fixture
def emissions_file(tmp_path) -> str:
    path = tmp_path / "emissions.yaml"
    path.write_text(EMISSIONS_YAML, encoding="utf-8")
    return str(path)


def test_check_accepts_the_example():
    out = run("check", str(EXAMPLE)).output
    assert "valid" in out and "11 actor(s)" in out
    data = json.loads(run("check", str(EXAMPLE), "--format", "json").output)
    assert data["valid"] and data["problems"] == []
    assert data["issues"] == ["assad-role", "sequencing", "table"] and "coalition" in data["bodies"]


def test_check_explains_errors_with_line_and_field(tmp_path):
    bad = tmp_path / "bad.yaml"
    bad.write_text(EMISSIONS_YAML.replace("france: 10,", "france: 140,"), encoding="utf-8")
    result = run("check", str(bad), expect=1)
    assert f"{bad} line 17, issues[0].positions.france: position 140 is outside the 0–100 scale" in result.output
    data = json.loads(run("check", str(bad), "--format", "json", expect=1).output)
    assert data["valid"] is False
    assert data["problems"][0] == {"file": str(bad), "line": 17, "field": "issues[0].positions.france",
                                   "message": "position 140 is outside the 0–100 scale"}


def test_other_commands_refuse_a_broken_file(tmp_path):
    bad = tmp_path / "bad.yaml"
    bad.write_text(EMISSIONS_YAML.replace("france: 10,", "france: 140,"), encoding="utf-8")
    result = CliRunner().invoke(model_group, ["forecast", str(bad)])
    assert result.exit_code == 1 and "line 17" in result.output


def test_forecast_json_has_every_model_per_issue():
    data = json.loads(run("forecast", str(EXAMPLE), "--format", "json").output)
    assert data["models"] == ["compromise", "median", "nash", "bdm"]
    assert [i["id"] for i in data["issues"]] == ["assad-role", "sequencing", "table"]
    assad = data["issues"][0]
    assert assad["scale"]["0"] == "Assad keeps full powers"
    for model in data["models"]:
        value = assad["forecasts"][model]["forecast"]
        assert 0 <= value <= 100
        assert assad["forecasts"][model]["low"] is None
    assert data["parameters"]["bdm"]["q"] == 1.0 and data["draws"] is None


def test_forecast_table_shows_models_side_by_side():
    out = run("forecast", str(EXAMPLE)).output
    for word in ("compromise", "median", "nash", "bdm", "assad-role", "Assad keeps full powers"):
        assert word in out


def test_monte_carlo_forecast_is_reproducible_and_brackets_the_median():
    args = ("forecast", str(EXAMPLE), "--draws", "300", "--seed", "7", "--format", "json")
    first, again = run(*args).output, run(*args).output
    assert first == again
    data = json.loads(first)
    assert data["draws"] == 300 and data["seed"] == 7 and data["interval"] == 0.8
    for issue in data["issues"]:
        for summary in issue["forecasts"].values():
            assert summary["low"] <= summary["median"] <= summary["high"]
    other = json.loads(run("forecast", str(EXAMPLE), "--draws", "300", "--seed", "8", "--format", "json").output)
    assert other["issues"] != data["issues"]


def test_forecast_of_one_issue_and_one_model(emissions_file):
    data = json.loads(run("forecast", emissions_file, "--model", "compromise", "--format", "json").output)
    assert data["models"] == ["compromise"]
    assert data["issues"][0]["forecasts"]["compromise"]["forecast"] == pytest.approx(7.39, abs=0.005)
    result = CliRunner().invoke(model_group, ["forecast", emissions_file, "--issue", "nope"])
    assert result.exit_code == 2 and "no issue 'nope'" in result.output


def test_rounds_reproduce_scholz_table2(emissions_file):
    data = json.loads(run("rounds", emissions_file, "--issue", "emissions", "--stop", "rounds",
                          "--max-rounds", "5", "--format", "json").output)
    rounds = data["rounds"]
    assert [r["round"] for r in rounds] == [0, 1, 2, 3, 4, 5]
    assert rounds[0]["median"] == 7.0 and rounds[0]["mean"] == pytest.approx(7.39, abs=0.005)
    for got, median, mean in zip(rounds[1:], [8.4, 9.9, 9.9, 9.9, 9.9], [7.4, 7.5, 7.6, 7.3, 7.3]):
        assert got["median"] == pytest.approx(median, abs=0.3)
        assert got["mean"] == pytest.approx(mean, abs=0.3)
    belgium = next(m for m in rounds[1]["moves"] if m["actor"] == "belgium")
    assert belgium["kind"] == "compromise" and belgium["with"] == "france"
    assert data["forecast"] == rounds[-1]["median"]


def test_rounds_table_and_unknown_issue(emissions_file):
    out = run("rounds", emissions_file, "--issue", "emissions").output
    assert "belgium" in out and "compromise" in out and "Forecast" in out
    result = CliRunner().invoke(model_group, ["rounds", emissions_file, "--issue", "nope"])
    assert result.exit_code == 1 and "no issue 'nope'" in result.output


def test_bdm_options_reach_the_model(emissions_file):
    base = json.loads(run("rounds", emissions_file, "--issue", "emissions", "--format", "json").output)
    other = json.loads(run("rounds", emissions_file, "--issue", "emissions", "--probability", "pair",
                           "--offer-rule", "least-move", "--format", "json").output)
    assert other["parameters"]["bdm"]["probability"] == "pair"
    assert [r["median"] for r in other["rounds"]] != [r["median"] for r in base["rounds"]]
    result = CliRunner().invoke(model_group, ["forecast", emissions_file, "--t-rule", "often"])
    assert result.exit_code == 2 and "t_rule" in result.output


def test_levers_json_and_the_exact_compromise_lever(emissions_file):
    data = json.loads(run("levers", emissions_file, "--actor", "france", "--model", "compromise",
                          "--format", "json").output)
    rows = data["levers"]
    assert rows and data["actor"] == "france"
    weights = {"germany": 0.16 * 80}
    total = sum(c * s for c, s in [(0.08, 80), (0.08, 40), (0.03, 20), (0.16, 80), (0.16, 60), (0.16, 60),
                                   (0.16, 90), (0.05, 10), (0.05, 100), (0.08, 70)])
    germany = [r for r in rows if r["mover"] == "germany"]
    for row in germany:
        expected = weights["germany"] / total * (row["to"] - row["from"])
        assert row["forecast_after"] - row["forecast_before"] == pytest.approx(expected, abs=1e-3)
    assert rows[0]["gain"] == max(r["gain"] for r in rows)
    table = run("levers", emissions_file, "--actor", "france", "--model", "compromise", "--top", "3").output
    assert "germany" in table and "more" in table
    result = CliRunner().invoke(model_group, ["levers", emissions_file, "--actor", "spain"])
    assert result.exit_code == 1 and "no actor 'spain'" in result.output


def test_sensitivity_lists_the_widest_swing_first():
    data = json.loads(run("sensitivity", str(EXAMPLE), "--issue", "assad-role", "--model", "compromise",
                          "--format", "json").output)
    swings = [s["swing"] for s in data["swings"]]
    assert swings == sorted(swings, reverse=True)
    ranged = next(s for s in data["swings"] if s["actor"] == "russia" and s["field"] == "position")
    assert (ranged["low"], ranged["high"], ranged["assumed"]) == (5, 25, False)


# -- draft ----------------------------------------------------------------------------------


def _store_with_actors(path: Path):
    engine = open_engine(str(path))
    with engine.begin() as conn:
        conn.execute(documents.insert(), [{
            "id": "d1", "content_hash": "h1", "text": "Some report.", "removed": [], "reader": "text",
            "ingested_at": "2024-01-01T00:00:00",
        }])
        conn.execute(actors.insert(), [
            {"id": "russia", "name": "Russia", "kind": "state", "aliases": []},
            {"id": "united-states", "name": "United States", "kind": "state", "aliases": []},
        ])
    return engine


def test_draft_without_stances_is_a_skeleton_that_loads(tmp_path):
    db = tmp_path / "store.db"
    _store_with_actors(db)
    out = run("draft", "--db", str(db)).output
    assert "No stances were found" in out
    draft = tmp_path / "draft.yaml"
    draft.write_text(out, encoding="utf-8")
    negotiation = load_negotiation(draft)
    assert set(negotiation.actors) == {"russia", "united-states"} and not negotiation.issues
    assert negotiation.actors["russia"].name == "Russia"
    assert run("check", str(draft)).exit_code == 0


def test_draft_from_stances_comments_every_number(tmp_path):
    db = tmp_path / "store.db"
    engine = _store_with_actors(db)
    provenance = {"doc": "d1", "start": 0, "end": 5, "extractor": "test", "confidence": 1.0}
    with engine.begin() as conn:
        conn.execute(stances.insert(), [
            {"id": 11, "actor": "russia", "target": "Geneva conference", "polarity": "support", "date": "2013-05-07", **provenance},
            {"id": 12, "actor": "united-states", "target": "Geneva conference", "polarity": "support", "date": "2013-05-07", **provenance},
            {"id": 13, "actor": "russia", "target": "Assad's departure", "polarity": "oppose", "date": "2013-06-01", **provenance},
            {"id": 14, "actor": "united-states", "target": "Assad's departure", "polarity": "condition",
             "condition": "after a transitional body", "date": "2013-06-02", **provenance},
            {"id": 15, "actor": "united-states", "target": "Assad's departure", "polarity": "support", "date": "2012-01-01", **provenance},
        ])
    out = run("draft", "--db", str(db), "--name", "Geneva draft").output
    number_lines = [line for line in out.splitlines()
                    if not line.lstrip().startswith("#") and ":" in line
                    and any(key in line for key in ("capability:", "russia:", "united-states:"))
                    and any(ch.isdigit() for ch in line.split("#")[0].split(":", 1)[1])]
    assert number_lines and all("# source:" in line for line in number_lines)
    assert "stance 13" in out and "stances 15, 14" in out
    draft = tmp_path / "draft.yaml"
    draft.write_text(out, encoding="utf-8")
    negotiation = load_negotiation(draft)
    assert negotiation.name == "Geneva draft"
    departure = negotiation.issues["assad-departure"]  # the registered target its name reads as
    assert departure.positions["russia"].likely < 50 < departure.positions["united-states"].upper
    us = departure.positions["united-states"]
    assert us.is_range and us.likely == 60  # the latest stance (a condition), the range of both
    data = json.loads(run("draft", "--db", str(db), "--format", "json").output)
    assert data["stances"] == 5 and len(data["negotiation"]["issues"]) == 2
    assert yaml.safe_load(out)["issues"][0]["scale"]


def test_draft_needs_an_existing_store(tmp_path):
    result = CliRunner().invoke(model_group, ["draft", "--db", str(tmp_path / "missing.db")])
    assert result.exit_code == 1 and "No store" in result.output
    assert not (tmp_path / "missing.db").exists()
