"""Each page's data holds what its page promises, read from a small store written for the tests.

The store is the web tests' one (`web_store.py`: a meeting reported twice, an
accusation with a death toll, a hostile article), plus a later stance that
reverses an earlier one, so the stance series has a shift to show.
"""

from __future__ import annotations

import json

import pytest
from conftest import EXAMPLES
from sqlalchemy import insert
from web_store import WebStore

from detente.ingest.pipeline import ingest
from detente.negotiation.files import load_negotiation
from detente.present.views import (
    PAGES,
    RECORD_PAGES,
    build_actor,
    build_actors,
    build_claims,
    build_document,
    build_documents,
    build_negotiation,
    build_overview,
    build_stances,
    build_timeline,
)
from detente.present.views.sources import LOW_CONFIDENCE
from detente.store.database import open_engine
from detente.store.schema import stances


@pytest.fixture
def store(engine) -> WebStore:
    built = WebStore(engine)
    accuse = list(built.texts)[2]
    start, end = built.span(accuse, "Norway accused Finland of arming the rebels")
    with engine.begin() as conn:
        conn.execute(insert(stances).values(doc=accuse, start=start, end=end, actor="norway", target="truce-plan",
                                            polarity="oppose", date="2013-09-16", extractor="core/2", confidence=0.6))
    return built


def test_every_page_gives_the_same_json_serialisable_data_twice(store):
    for page in PAGES:
        first = page.builder(store.engine, model=EXAMPLES / "negotiation.yaml")
        again = page.builder(store.engine, model=EXAMPLES / "negotiation.yaml")
        assert json.dumps(first, sort_keys=True) == json.dumps(again, sort_keys=True), page.name
    assert set(RECORD_PAGES) == {"actor", "document"}


def test_builders_accept_a_connection_as_well_as_an_engine(store):
    with store.engine.connect() as conn:
        assert build_overview(conn) == build_overview(store.engine)


def test_overview_describes_the_corpus_and_what_needs_a_look(store):
    data = build_overview(store.engine)
    corpus = data["corpus"]
    assert corpus["documents"] == len(store.texts)
    assert (corpus["first"], corpus["last"]) == ("2013-05-07", "2013-10-04")
    assert {o["name"] for o in corpus["outlets"]} >= {"Harbour Post", "Northern Courier"}
    assert data["main_actors"][0]["mentions"] >= data["main_actors"][-1]["mentions"]
    assert {a["id"] for a in data["main_actors"]} >= {"amara-okafor", "norway", "finland"}
    review = data["review"]
    assert review["low_confidence"] and all(f["confidence"] < LOW_CONFIDENCE for f in review["low_confidence"])
    toll = next(f for f in review["low_confidence"] if f["fact"] == f"claim-{store.ids['toll']}")
    assert toll["words"] == "At least 1,200 people have died" and "since the spring" in toll["sentence"]
    (dispute,) = review["disputes"]
    assert "1,200" in dispute["a_sentence"] and "900" in dispute["b_sentence"]
    numbers = {n["label"]: n["value"] for n in data["numbers"]}
    assert numbers["disputes"] == 1 and numbers["event reports"] == 4 and numbers["timeline entries"] == 3


def test_timeline_merges_reports_and_opens_every_source_sentence(store):
    data = build_timeline(store.engine)
    meeting = next(e for e in data["entries"] if e["type"] == "CONSULT")
    assert len(meeting["sources"]) == 2
    assert {s["outlet"] for s in meeting["sources"]} == {"Harbour Post", "Northern Courier"}
    assert any("met Istvan Varga in Oslo" in s["sentence"] for s in meeting["sources"])
    assert all(s["fact"].startswith("event-") for s in meeting["sources"])
    days = [e["when"] for e in data["entries"]]
    assert days == sorted(days) and all(e["when"] == (e["date"] or e["first_reported"]) for e in data["entries"])
    assert {t["type"] for t in data["types"]} == {"CONSULT", "ACCUSE", "REJECT"}
    assert all(t["colour"].startswith("#") for t in data["types"])
    assert {i["key"] for i in data["index"]} == {e["key"] for e in data["entries"]}
    only_finland = build_timeline(store.engine, actor="finland")
    assert {e["type"] for e in only_finland["entries"]} == {"ACCUSE", "REJECT"}


def test_actors_list_networks_and_one_profile(store):
    data = build_actors(store.engine)
    assert {a["id"] for a in data["actors"]} == {"amara-okafor", "istvan-varga", "norway", "finland", "hostile-actor"}
    interaction = data["networks"]["interaction"]
    assert any({e["source"], e["target"]} == {"amara-okafor", "istvan-varga"} for e in interaction["edges"])
    assert any({e["source"], e["target"]} == {"norway", "finland"} and e["types"].get("ACCUSE") for e in interaction["edges"])
    assert data["networks"]["comention"]["edges"]

    okafor = build_actor(store.engine, actor="amara-okafor")
    assert okafor["actor"]["name"] == "Amara Okafor"
    assert [q["content"] for q in okafor["quotes"]] == ["We are closer than we were a month ago"]
    assert {e["type"] for e in okafor["events"]} == {"CONSULT"} and len(okafor["events"]) == 2
    assert okafor["events"][0]["others"] == [{"id": "istvan-varga", "name": "Istvan Varga"}]
    norway = build_actor(store.engine, actor="norway")
    assert [s["polarity"] for s in norway["stances"]] == ["support", "oppose"]
    assert build_actor(store.engine, actor="nobody-at-all") is None


def test_stances_matrix_and_series_show_a_shift(store):
    data = build_stances(store.engine)
    assert [t["id"] for t in data["targets"]] == ["truce-plan"]
    cells = {row["actor"]: row["cells"][0] for row in data["matrix"]}
    assert cells["istvan-varga"]["latest"] == "support"
    assert cells["norway"]["latest"] == "oppose" and cells["norway"]["shifts"] == 1
    assert cells["norway"]["counts"] == {"support": 1, "oppose": 1, "condition": 0}
    series = next(s for s in data["series"] if s["actor"] == "norway")
    assert [(p["polarity"], p["changed_from"]) for p in series["points"]] == [("support", None), ("oppose", "support")]
    assert "arming the rebels" in series["points"][1]["sentence"]


def test_claims_are_series_with_sources_and_disputes_side_by_side(store):
    data = build_claims(store.engine)
    (series,) = data["series"]
    assert series["property"] == "death_toll" and series["unit"] == "people"
    assert [p["date"] for p in series["points"]] == sorted(p["date"] for p in series["points"])
    assert {p["low"] for p in series["points"]} == {1200, None} and {p["high"] for p in series["points"]} == {900, None}
    assert all(p["sentence"] and p["outlet"] for p in series["points"])
    (dispute,) = data["disputes"]
    assert dispute["kind"] == "contradiction"
    assert dispute["a"]["fact"] == f"claim-{store.ids['toll']}" and dispute["b"]["fact"] == f"claim-{store.ids['lower_toll']}"
    assert dispute["a"]["published"] < dispute["b"]["published"]


def test_a_document_is_its_text_cut_into_highlighted_segments(store):
    doc = store.oslo_doc
    data = build_document(store.engine, doc=doc[:8])  # a prefix works, as on the command line
    assert "".join(s["text"] for s in data["segments"]) == store.texts[doc]
    quote = f"quote-{store.ids['quote']}"
    covered = [s for s in data["segments"] if quote in s["facts"]]
    assert "".join(s["text"] for s in covered) == "We are closer than we were a month ago"
    assert quote in covered[0]["anchors"] and "quote" in covered[0]["kinds"]
    okafor = next(s for s in data["segments"] if s["text"] == "Amara Okafor")
    assert okafor["actor"] == "amara-okafor" and "mention" in okafor["kinds"]
    assert data["removed"] and {f["key"] for f in data["facts"]} >= {quote, f"event-{store.ids['met']}"}
    assert build_document(store.engine, doc="ffffffffffff") is None


def test_documents_list_counts_facts_and_shows_which_rewrites_which(tmp_path, corpus):
    engine = open_engine(str(tmp_path / "dups.db"))
    ingest(engine, [str(corpus)])
    data = build_documents(engine)
    rewrite = next(d for d in data["documents"] if d["relation"] == "rewrite")
    original = next(d for d in data["documents"] if d["id"] == rewrite["duplicate_of"])
    assert original["copies"] == [{"doc": rewrite["id"], "title": rewrite["title"], "relation": "rewrite"}]
    detail = build_document(engine, doc=rewrite["id"])
    assert detail["original"]["doc"] == original["id"]
    assert build_document(engine, doc=original["id"])["copies"][0]["doc"] == rewrite["id"]
    overview = build_overview(engine)
    assert overview["corpus"]["rewrites"] == 1 and overview["corpus"]["duplicates"][0]["original"] == original["id"]


def test_negotiation_page_runs_every_model_of_the_file():
    path = EXAMPLES / "negotiation.yaml"
    negotiation = load_negotiation(path)
    data = build_negotiation(None, model=path)
    assert [i["id"] for i in data["issues"]] == list(negotiation.issues)
    for issue in data["issues"]:
        assert {f["model"] for f in issue["forecasts"]} == {m["id"] for m in data["models"]}
        for f in issue["forecasts"]:
            assert 0 <= f["low"] <= f["median"] <= f["high"] <= 100
        assert issue["rounds"]["rounds"][0]["round"] == 0
        assert len(issue["rounds"]["actors"]) == len(issue["rounds"]["rounds"][0]["positions"])
        for table in issue["tornado"]:
            swings = [r["swing"] for r in table["rows"]]
            assert swings == sorted(swings, reverse=True)
    for body in data["bodies"]:
        assert sum(m["banzhaf"] for m in body["members"]) == pytest.approx(1)
    unsc = next(b for b in data["bodies"] if b["id"] == "unsc")
    assert set(unsc["veto_players"]) == set(negotiation.bodies["unsc"].vetoes)
    (vetoes,) = data["vetoes"]
    listed = negotiation.candidate_lists[vetoes["list"]]
    struck = {c for names in listed.vetoes.values() for c in names}
    assert vetoes["survivors"] == [c for c in listed.candidates if c not in struck]
    assert all(lever["gain"] > 0 for row in data["levers"] for lever in row["levers"])
    assert build_negotiation(None) is None


def test_negotiation_forecasts_match_the_model_command():
    from click.testing import CliRunner

    from detente.cli import main

    path = EXAMPLES / "negotiation.yaml"
    data = build_negotiation(None, model=path)
    result = CliRunner().invoke(main, ["model", "forecast", str(path), "--draws", str(data["draws"]),
                                       "--seed", str(data["seed"]), "--format", "json"])
    printed = {i["id"]: i["forecasts"] for i in json.loads(result.output)["issues"]}
    for issue in data["issues"]:
        for f in issue["forecasts"]:
            assert f["median"] == pytest.approx(printed[issue["id"]][f["model"]]["median"], abs=0.01)
            assert printed[issue["id"]][f["model"]]["note"] == f["note"]  # the same explanation as the page
