"""Every export format reads back to what the store holds, hostile text included.

The store is built row by row (tests/negotiation_store.py); each format is
written through `detente export`, as a user would, and read back with the
standard reader for that format: the csv module, networkx's GEXF and GraphML
readers, json for PLOVER lines.
"""

from __future__ import annotations

import csv
import io
import json

import networkx as nx
import pytest
from click.testing import CliRunner
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from negotiation_store import HOSTILE_OUTLET, HOSTILE_QUOTE, HOSTILE_TITLE, NegotiationStore
from sqlalchemy import update

from detente.analysis.networks import comention_network, interaction_network
from detente.cli import main
from detente.present.exports.csv_tables import write_csv_tables
from detente.present.exports.graphs import GRAPH_FORMATS, write_graph
from detente.present.exports.plover import plover_records
from detente.store.database import open_engine
from detente.store.schema import EXPORT_TABLES, documents


@pytest.fixture
def store(store_url) -> tuple[str, NegotiationStore]:
    db = store_url
    return db, NegotiationStore(open_engine(db))


def export(db: str, *args: str):
    return CliRunner().invoke(main, ["export", "--db", db, *args], catch_exceptions=False)


def contract(db: str) -> dict:
    return json.loads(export(db, "--format", "json").output)


def cell(value) -> str:
    """What a CSV cell must hold for a JSON value: empty when missing, JSON text for a list."""
    if value is None:
        return ""
    if isinstance(value, (list, dict)):
        return json.dumps(value, ensure_ascii=False)
    return str(value)


# ------------------------------------------------------------------------------- json


def test_hostile_text_survives_json_and_jsonl(store):
    db, _ = store
    exported = contract(db)
    doc = next(d for d in exported["documents"] if d["id"] == "doc-second")
    assert doc["title"] == HOSTILE_TITLE and doc["outlet"] == HOSTILE_OUTLET
    assert HOSTILE_QUOTE in {q["content"] for q in exported["quotes"]}
    lines = [json.loads(line) for line in export(db, "--format", "jsonl").output.splitlines()]
    assert {line["record"] for line in lines} >= {"document", "actor", "event", "quote", "stance", "claim", "dispute"}
    assert next(x for x in lines if x["record"] == "quote")["content"] == HOSTILE_QUOTE


# -------------------------------------------------------------------------------- csv


def test_csv_reads_back_as_the_json_export(store, tmp_path):
    db, _ = store
    folder = tmp_path / "csv"
    result = export(db, "--format", "csv", "-o", str(folder))
    assert result.exit_code == 0, result.output
    exported = contract(db)
    for kind in EXPORT_TABLES:
        with (folder / f"{kind}.csv").open(encoding="utf-8", newline="") as handle:
            rows = list(csv.DictReader(handle))
        assert len(rows) == len(exported[kind]), kind
        for row, record in zip(rows, exported[kind]):
            assert list(row) == list(record), kind
            assert row == {key: cell(value) for key, value in record.items()}, kind


def test_csv_lists_are_json_and_names_sit_beside_ids(store, tmp_path):
    db, _ = store
    write_csv_tables(store[1].engine, tmp_path / "out")
    with (tmp_path / "out" / "events.csv").open(encoding="utf-8", newline="") as handle:
        host = next(r for r in csv.DictReader(handle) if r["type"] == "CONSULT" and r["doc"] == "doc-second")
    assert json.loads(host["actors"]) == ["tomas-brandt", "ilsa-varga", "coastal-front"]
    assert json.loads(host["actors_names"])[2] == 'Coastal Front, "the <Front>"'
    assert json.loads(host["recipients"]) == []
    with (tmp_path / "out" / "quotes.csv").open(encoding="utf-8", newline="") as handle:
        quote = next(csv.DictReader(handle))
    assert (quote["speaker"], quote["speaker_name"], quote["content"]) == ("tomas-brandt", "Tomas Brandt", HOSTILE_QUOTE)


def test_csv_is_rfc_4180_and_an_empty_kind_keeps_its_header(store, tmp_path):
    db, _ = store
    export(db, "--format", "csv", "-o", str(tmp_path / "csv"))
    raw = (tmp_path / "csv" / "quotes.csv").read_bytes()
    assert raw.count(b"\r\n") == 2  # header and one record; the line break inside the quote stays a bare \n
    assert b'"<script>alert(""x"")</script>, we said, ""no deal""\nand left"' in raw
    header = (tmp_path / "csv" / "affiliations.csv").read_text(encoding="utf-8")
    assert header.strip().split(",")[:3] == ["id", "actor", "actor_name"] and header.count("\n") == 1


def test_csv_needs_a_folder_and_other_formats_a_file(store, tmp_path):
    db, _ = store
    result = export(db, "--format", "csv")
    assert result.exit_code != 0 and "-o" in result.output
    (tmp_path / "taken").write_text("x")
    result = export(db, "--format", "csv", "-o", str(tmp_path / "taken"))
    assert result.exit_code != 0 and "folder" in result.output
    result = export(db, "--format", "plover", "-o", str(tmp_path))
    assert result.exit_code != 0 and "file name" in result.output


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(st.text(alphabet=st.characters(blacklist_categories=("Cs",)), max_size=60))
def test_any_title_round_trips_through_csv(tmp_path_factory, title):
    engine = open_engine(":memory:")
    store = NegotiationStore(engine)
    with engine.begin() as conn:
        conn.execute(update(documents).where(documents.c.id == "doc-first").values(title=title))
    folder = tmp_path_factory.mktemp("csv")
    write_csv_tables(store.engine, folder)
    with (folder / "documents.csv").open(encoding="utf-8", newline="") as handle:
        row = next(r for r in csv.DictReader(handle) if r["id"] == "doc-first")
    assert row["title"] == title


# -------------------------------------------------------------------- gexf and graphml


def edge_set(graph) -> set[tuple]:
    return {(u, v, k) for u, v, k in graph.edges(keys=True)}


@pytest.mark.parametrize("fmt, read", [("gexf", nx.read_gexf), ("graphml", nx.read_graphml)])
def test_interaction_network_reads_back_with_networkx(store, tmp_path, fmt, read):
    db, built = store
    path = tmp_path / f"net.{fmt}"
    assert export(db, "--format", fmt, "-o", str(path)).exit_code == 0
    expected = interaction_network(built.engine)
    graph = read(path) if fmt == "gexf" else read(path, force_multigraph=True)
    assert graph.is_directed()
    assert set(graph.nodes) == set(expected.nodes)
    assert edge_set(graph) == edge_set(expected)
    front = graph.nodes["coastal-front"]
    assert front["name"] == front["label"] == 'Coastal Front, "the <Front>"'
    assert front["mentions"] == expected.nodes["coastal-front"]["mentions"]
    assert "country" not in graph.nodes["ilsa-varga"]  # a missing country is left out, not written as "None"
    accused = graph.edges["tomas-brandt", "coastal-front", f"event-{built.ids['accused']}"]
    assert accused["event_type"] == "ACCUSE" and accused["doc"] == "doc-first" and accused["weight"] == 1.0
    assert b"None" not in path.read_bytes()


@pytest.mark.parametrize("fmt, read", [("gexf", nx.read_gexf), ("graphml", nx.read_graphml)])
def test_comention_network_reads_back_with_weights(store, tmp_path, fmt, read):
    db, built = store
    path = tmp_path / f"co.{fmt}"
    assert export(db, "--format", fmt, "--network", "comention", "-o", str(path)).exit_code == 0
    expected = comention_network(built.engine)
    graph = read(path)
    assert not graph.is_directed()
    assert {frozenset(e) for e in graph.edges} == {frozenset(e) for e in expected.edges}
    for a, b, data in expected.edges(data=True):
        assert graph.edges[a, b]["weight"] == data["weight"]
        assert json.loads(graph.edges[a, b]["docs"]) == data["docs"]


def test_graph_files_are_the_same_every_time_and_go_to_stdout(store):
    db, _ = store
    first = export(db, "--format", "gexf").stdout_bytes
    assert first.startswith(b"<?xml") and first == export(db, "--format", "gexf").stdout_bytes
    assert b"lastmodifieddate" not in first
    assert export(db, "--format", "graphml").stdout_bytes == export(db, "--format", "graphml").stdout_bytes


@settings(max_examples=40, deadline=None)
@given(st.text(alphabet=st.characters(blacklist_categories=("Cs",)), max_size=40), st.sampled_from(GRAPH_FORMATS))
def test_any_actor_name_gives_a_file_networkx_reads(name, fmt):
    graph = nx.MultiDiGraph()
    graph.add_node("a", name=name, country=None, kind="person", mentions=1)
    graph.add_node("b", name="B", country="PRT", kind="state", mentions=0)
    graph.add_edge("a", "b", key="event-1", type="CONSULT", mode=None, docs=[name], confidence=0.5)
    out = io.BytesIO()
    write_graph(graph, fmt, out)
    out.seek(0)
    back = nx.read_gexf(out) if fmt == "gexf" else nx.read_graphml(out, force_multigraph=True)
    legal = "".join(c for c in name if c in "\t\n\r" or ord(c) >= 0x20 and c not in "\ufffe\uffff")
    assert back.nodes["a"]["name"] == legal
    assert list(back.edges()) == [("a", "b")]


# ------------------------------------------------------------------------------ plover


REQUIRED = ("id", "date", "event", "actor", "source", "recipient", "event_text", "event_type", "mode", "context",
            "story_id", "publisher", "pub_date", "text", "has_event", "status", "confidence")


def test_plover_lines_parse_and_carry_the_required_fields(store):
    db, built = store
    lines = export(db, "--format", "plover").output.splitlines()
    records = [json.loads(line) for line in lines]
    assert len(records) == 4
    assert len({r["id"] for r in records}) == 4
    for record in records:
        assert all(field in record for field in REQUIRED)
        assert record["event"] == [record["event_type"]]
        assert len(record["date"]) == 10
    by_id = {r["event_id"]: r for r in records}
    host = by_id[built.ids["host"]]
    assert [a["identifier_id"] for a in host["actor"]] == ["tomas-brandt", "ilsa-varga", "coastal-front"]
    assert host["source"] == host["actor"]  # the codebook's earlier name for the same list
    assert host["actor"][2]["country"] == "PRT" and host["recipient"] == []
    assert host["status"] == "planned" and host["mode"] == host["event_mode"] == ["third-party"]
    assert host["has_event"] is False and "planned" in host["comment"]  # not counted as having happened
    assert host["event_text"] == [host["text"]]
    assert host["publisher"] == HOSTILE_OUTLET and host["headline"] == HOSTILE_TITLE
    assert host["event_loc"] == {"name": "Porto"}
    assert host["text"] == built.texts["doc-second"][host["text_info"]["start"]:host["text_info"]["end"]]


def test_plover_dates_keep_their_precision_as_a_range(store):
    _, built = store
    records = {r["event_id"]: r for r in plover_records(built.engine)}
    month = records[built.ids["accused"]]
    assert (month["date"], month["enddate"]) == ("2015-01-01", "2015-01-31")
    day = records[built.ids["met"]]
    assert day["date"] == "2015-01-19" and "enddate" not in day and day["date_raw"] == "on Monday"
    assert month["quad_code"] == 3 and day["quad_code"] == 1


# ------------------------------------------------------------------------------- date window


@pytest.mark.parametrize("window,kept", [
    (("--since", "2015-02"), {"host"}),
    (("--until", "2015-01-19"), {"met", "accused", "copied"}),  # "2015-01" can fall on or before the 19th
    (("--since", "2015-01-20", "--until", "2015-02-28"), {"accused"}),
])
def test_since_and_until_keep_the_events_of_the_window(store, tmp_path, window, kept):
    db, built = store
    wanted = {built.ids[name] for name in kept}
    assert {r["event_id"] for r in map(json.loads, export(db, "--format", "plover", *window).output.splitlines())} == wanted
    exported = json.loads(export(db, "--format", "json", *window).output)
    assert {e["id"] for e in exported["events"]} == wanted
    assert exported["quotes"] == contract(db)["quotes"]  # other kinds are written whole
    lines = [json.loads(line) for line in export(db, "--format", "jsonl", *window).output.splitlines()]
    assert {r["id"] for r in lines if r["record"] == "event"} == wanted
    export(db, "--format", "csv", "-o", str(tmp_path / "csv"), *window)
    with (tmp_path / "csv" / "events.csv").open(encoding="utf-8", newline="") as f:
        assert {int(r["id"]) for r in csv.DictReader(f)} == wanted


def test_since_narrows_the_network(store, tmp_path):
    db, built = store
    def edge_keys(*window: str) -> set[str]:
        path = tmp_path / "net.graphml"
        export(db, "--format", "graphml", "-o", str(path), *window)
        return {k for _s, _t, k in nx.read_graphml(str(path), force_multigraph=True).edges(keys=True)}

    keys, everything = edge_keys("--since", "2015-02"), edge_keys()
    assert keys and keys < everything
    assert f"event-{built.ids['met']}" in everything and f"event-{built.ids['met']}" not in keys


@pytest.mark.parametrize("value", ["May 2015", "2015-5", "15", "2015-13"])
def test_a_window_that_is_not_a_date_says_how_to_write_one(store, value):
    db, _ = store
    result = CliRunner().invoke(main, ["export", "--db", db, "--format", "plover", "--since", value])
    assert result.exit_code != 0
    assert "ISO prefix such as 2013" in result.output
