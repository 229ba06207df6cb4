"""Exports other tools load unchanged: PLOVER's field names and modes, FollowTheMoney entities, Gephi's timeline.

The FtM file is read back by the `followthemoney` library itself (the
`[ftm]` extra, installed by `make test`); the GEXF by networkx's reader,
which is what Gephi's format checks amount to for spells.
"""

from __future__ import annotations

import json

import networkx as nx
import pytest
from click.testing import CliRunner
from sqlalchemy import update

from detente.cli import main
from detente.store.database import open_engine
from detente.store.schema import documents
from negotiation_store import NegotiationStore


@pytest.fixture
def store(tmp_path) -> tuple[str, NegotiationStore]:
    db = str(tmp_path / "standards.db")
    return db, NegotiationStore(open_engine(db))


def export(db: str, *args: str) -> list[dict]:
    result = CliRunner().invoke(main, ["export", "--db", db, *args], catch_exceptions=False)
    assert result.exit_code == 0, result.output
    return [json.loads(line) for line in result.output.splitlines()]


def undated_event(built: NegotiationStore) -> int:
    """An event whose report gives no date, so only its document's publication date could date it."""
    sentence = "Envoy Ilsa Varga met Foreign Minister Tomas Brandt in Lisbon on Monday."
    return built._event("doc-first", sentence, "CONSULT", ["ilsa-varga"], ["tomas-brandt"], None, None)


# ------------------------------------------------------------------------------- PLOVER


def test_plover_actor_objects_carry_the_words_of_the_text(store):
    db, built = store
    for record in export(db, "--format", "plover"):
        assert record["actor"] and all({"entity_text", "actor_text", "identifier_id"} <= set(a) for a in record["actor"])
        assert "target" not in record and isinstance(record["event_text"], list)


def test_plover_marks_what_did_not_happen_and_can_leave_it_out(store):
    db, built = store
    records = {r["event_id"]: r for r in export(db, "--format", "plover")}
    assert records[built.ids["host"]]["has_event"] is False  # planned
    assert records[built.ids["met"]]["has_event"] is True and "comment" not in records[built.ids["met"]]
    kept = {r["event_id"] for r in export(db, "--format", "plover", "--status", "reported")}
    assert built.ids["host"] not in kept and built.ids["met"] in kept


def test_plover_flags_a_date_taken_from_the_publication(store):
    db, built = store
    event_id = undated_event(built)
    records = {r["event_id"]: r for r in export(db, "--format", "plover")}
    undated, dated = records[event_id], records[built.ids["met"]]
    assert undated["date"] == "2015-01-20" and undated["date_from"] == "publication" and undated["date_raw"] is None
    assert dated["date_from"] == "text" and dated["date_raw"] == "on Monday"


def test_plover_cites_a_web_address_never_a_local_path(store):
    db, built = store
    with built.engine.begin() as conn:
        conn.execute(update(documents).where(documents.c.id == "doc-first").values(uri="/home/analyst/reports/first.txt"))
    records = {r["event_id"]: r for r in export(db, "--format", "plover")}
    assert records[built.ids["met"]]["cite_info"]["url"] is None
    assert records[built.ids["host"]]["cite_info"]["url"].startswith("https://example.org/doc-second")


def test_export_status_refuses_an_unknown_status_with_the_choices(store):
    db, _ = store
    result = CliRunner().invoke(main, ["export", "--db", db, "--format", "plover", "--status", "happened"])
    assert result.exit_code == 2 and "planned" in result.output and "Traceback" not in result.output


# ------------------------------------------------------------------------------- FollowTheMoney


def test_ftm_entities_are_valid_followthemoney_with_every_reference_resolved(store):
    model = pytest.importorskip("followthemoney", reason="the [ftm] extra is not installed").model
    db, built = store
    entities = export(db, "--format", "ftm")
    ids = {e["id"] for e in entities}
    assert len(ids) == len(entities)
    schemata = set()
    for data in entities:
        proxy = model.get_proxy(data, cleaned=False)  # raises on an unknown schema or property
        schemata.add(proxy.schema.name)
        for prop, values in data["properties"].items():
            assert values and all(v is not None for v in values)
            cleaned = [proxy.schema.get(prop).type.clean(v) for v in values]
            assert None not in cleaned, (prop, values)  # every value is valid for its type
            if proxy.schema.get(prop).type.name == "entity":
                assert set(values) <= ids, (prop, values)
    assert {"Article", "Person", "Event"} <= schemata


def test_ftm_events_say_when_they_did_not_happen_and_are_not_dated_by_the_publication(store):
    pytest.importorskip("followthemoney", reason="the [ftm] extra is not installed")
    db, built = store
    event_id = undated_event(built)
    events = {e["id"]: e["properties"] for e in export(db, "--format", "ftm") if e["schema"] == "Event"}
    planned = events[f"detente-event-{built.ids['host']}"]
    assert "planned" in planned["keywords"] and "Not reported as having happened" in planned["description"][0]
    undated = events[f"detente-event-{event_id}"]
    assert "date" not in undated and "no date" in undated["description"][0]
    assert events[f"detente-event-{built.ids['met']}"]["date"] == ["2015-01-19"]
    kept = {e["id"] for e in export(db, "--format", "ftm", "--status", "reported") if e["schema"] == "Event"}
    assert f"detente-event-{built.ids['host']}" not in kept


# ------------------------------------------------------------------------------- GEXF


def test_gexf_edges_carry_their_dates_for_gephis_timeline(store, tmp_path):
    db, built = store
    path = tmp_path / "net.gexf"
    CliRunner().invoke(main, ["export", "--db", db, "--format", "gexf", "-o", str(path)], catch_exceptions=False)
    assert b'mode="dynamic"' in path.read_bytes() and b'timeformat="date"' in path.read_bytes()
    graph = nx.read_gexf(path)
    spells = {(d["record_id"] if "record_id" in d else d.get("record"), d.get("start"), d.get("end"))
              for *_, d in graph.edges(data=True) if d.get("relation") == "event"}
    assert (built.ids["accused"], "2015-01-01", "2015-01-31") in spells  # a month spans the month
    assert (built.ids["met"], "2015-01-19", "2015-01-19") in spells
