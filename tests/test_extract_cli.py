"""Extraction as a user drives it: extract, actors, actor, quotes, extract-text, actors import."""

from __future__ import annotations

import json

import pytest
from click.testing import CliRunner

from detente.cli import main
from detente.nlp import extract as extraction

from conftest import EXAMPLES

REPORT = """Lakeside Herald

Ministers agree to meet again in Vienna

By Tomas Ekberg | Wednesday, October 28, 2015

Russia's Foreign Minister Sergei Lavrov and Secretary of State John Kerry agreed on Wednesday to bring the regional powers back to Vienna next month.

"Nobody at this table thinks the gap has closed," Mr. Kerry told reporters after the meeting. "But everyone stayed in the room."

Lavrov said that Moscow would invite Iran to the next round, a step Washington had resisted for years.

The National Coalition refused to attend the Vienna talks. More than 250,000 people have been killed since the uprising began.

© 2015 Lakeside Herald
"""


def run(*args, input=None):
    return CliRunner().invoke(main, list(args), input=input, catch_exceptions=False)


@pytest.fixture(scope="module")
def store(tmp_path_factory, module_store_url):
    folder = tmp_path_factory.mktemp("reports")
    (folder / "vienna.txt").write_text(REPORT, encoding="utf-8")
    db = module_store_url
    assert run("ingest", str(folder), "--db", db).exit_code == 0
    result = run("extract", "--db", db, "--registry", str(EXAMPLES / "actors.yaml"))
    assert result.exit_code == 0 and "1 document(s) extracted" in result.output
    return db


def test_actors_lists_people_with_roles(store):
    actors = {a["id"]: a for a in json.loads(run("actors", "--db", store, "--format", "json").output)}
    assert actors["john-kerry"]["kind"] == "person"
    assert any("Secretary of State" in role for role in actors["john-kerry"]["roles"])
    assert any(role.startswith("Foreign Minister, Russia (2015-10-28") for role in actors["sergei-lavrov"]["roles"])
    assert actors["russia"]["country"] == "RUS"


def test_quotes_filtered_by_speaker_with_dates(store):
    quotes = json.loads(run("quotes", "--db", store, "--speaker", "kerry", "--format", "json").output)
    assert {q["speaker"] for q in quotes} == {"john-kerry"}
    assert any(q["content"].startswith("Nobody at this table") and q["kind"] == "direct" for q in quotes)
    lavrov = json.loads(run("quotes", "--db", store, "--speaker", "lavrov", "--format", "json").output)
    assert [q["kind"] for q in lavrov] == ["indirect"]
    assert lavrov[0]["content"].startswith("Moscow would invite Iran")
    assert all(q["date"] == "2015-10-28" for q in quotes + lavrov)


def test_actor_detail_points_at_sources(store):
    detail = json.loads(run("actor", "john-kerry", "--db", store, "--format", "json").output)[0]
    doc_text = json.loads(run("show", detail["mentions"][0]["doc"], "--db", store, "--format", "json").output)[0]["text"]
    for mention in detail["mentions"]:
        assert doc_text[mention["start"]:mention["end"]] == mention["text"]
    for quote in detail["quotes"]:
        assert quote["content"] in doc_text[quote["start"]:quote["end"]]
    assert "Nobody at this table" in run("actor", "john-kerry", "--db", store).output


def test_extraction_is_incremental_and_versioned(store, monkeypatch):
    again = run("extract", "--db", store)
    assert "0 document(s) extracted" in again.output
    before = json.loads(run("export", "--db", store).output)
    newer = extraction.EXTRACTOR_VERSION + ".1"
    monkeypatch.setattr(extraction, "EXTRACTOR_VERSION", newer)
    monkeypatch.setattr(extraction, "EXTRACTOR_TAG", f"core/{newer}")
    assert "1 document(s) extracted" in run("extract", "--db", store, "--registry", str(EXAMPLES / "actors.yaml")).output
    after = json.loads(run("export", "--db", store).output)
    assert len(after["quotes"]) == len(before["quotes"])
    assert {q["extractor"] for q in after["quotes"]} == {f"core/{newer}"}


def test_export_carries_names_next_to_ids(store):
    exported = json.loads(run("export", "--db", store).output)
    quote = next(q for q in exported["quotes"] if q["speaker"] == "john-kerry")
    assert quote["speaker_name"] == "John Kerry"
    assert all(m["actor_name"] for m in exported["mentions"])
    assert {d["value"] for d in exported["dates"]} >= {"2015-10-28", "2015-11"}


def test_extract_text_needs_no_store(tmp_path):
    path = tmp_path / "note.txt"
    path.write_text(REPORT.split("\n\n", 3)[3], encoding="utf-8")
    lines = [json.loads(line) for line in run("extract-text", str(path), "--date", "2015-10-28").output.splitlines()]
    kinds = {line["record"] for line in lines}
    assert {"actor", "mention", "date", "quote"} <= kinds
    assert any(line["record"] == "date" and line["text"] == "next month" and line["value"] == "2015-11" for line in lines)
    grouped = json.loads(run("extract-text", str(path), "--date", "2015-10-28", "--format", "json").output)
    assert {"actors", "quotes", "dates", "mentions"} <= set(grouped)


def test_unknown_model_says_what_to_install(tmp_path):
    path = tmp_path / "note.txt"
    path.write_text("Talks resumed.", encoding="utf-8")
    result = CliRunner().invoke(main, ["extract-text", str(path), "--model", "no_such_model_pkg"])
    assert result.exit_code != 0 and "pip install" in result.output


def test_actors_import_yaml_and_phoenix(tmp_path):
    db = str(tmp_path / "registry.db")
    assert run("actors", "import", str(EXAMPLES / "actors.yaml"), "--db", db).exit_code == 0
    actors = {a["id"]: a for a in json.loads(run("actors", "--db", db, "--format", "json").output)}
    assert actors["john-kerry"]["name"] == "John Kerry"
    assert any("Secretary of State, United States (2013-02-01" in role for role in actors["john-kerry"]["roles"])
    phoenix = EXAMPLES.parent.parent / "tests" / "fixtures" / "phoenix_actors.txt"
    result = run("actors", "import", str(phoenix), "--db", db)
    assert result.exit_code == 0 and "imported" in result.output


def test_events_timeline_stances_claims_listings(store):
    events = json.loads(run("events", "--db", store, "--format", "json").output)
    assert any(e["type"] == "REJECT" and "national-coalition" in e["actors"] for e in events)
    assert all(e["date"] is None or e["date"].startswith("2015") for e in events)
    timeline = json.loads(run("timeline", "--db", store, "--format", "json").output)
    assert timeline and all(entry["sources"] >= 1 for entry in timeline)
    stances = json.loads(run("stances", "--db", store, "--target", "vienna-talks", "--format", "json").output)
    assert any(s["actor"] == "national-coalition" and s["polarity"] == "oppose" for s in stances)
    claims = json.loads(run("claims", "--db", store, "--property", "death_toll", "--format", "json").output)
    assert [(c["low"], c["unit"]) for c in claims] == [(250000.0, "people")]
    assert run("disputes", "--db", store, "--format", "json").exit_code == 0


def test_dates_on_the_command_line_must_be_iso_prefixes(store):
    for verb in ("events", "timeline", "stances"):
        result = CliRunner().invoke(main, [verb, "--db", store, "--since", "last spring"])
        assert result.exit_code != 0 and "ISO prefix" in result.output
