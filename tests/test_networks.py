"""The interaction and co-mention networks, on a store built row by row (tests/negotiation_store.py)."""

from __future__ import annotations

import json

import pytest
from negotiation_store import NegotiationStore

from detente.analysis.networks import (
    NetworkQueryError,
    comention_network,
    interaction_network,
    interaction_summary,
    network_as_dict,
)
from detente.store.database import open_engine


@pytest.fixture
def store() -> NegotiationStore:
    return NegotiationStore(open_engine(":memory:"))


def keys(graph) -> set[tuple[str, str, str]]:
    return set(graph.edges(keys=True))


def test_each_event_is_an_edge_from_actor_to_recipient(store):
    graph = interaction_network(store.engine)
    met = graph.edges["ilsa-varga", "tomas-brandt", f"event-{store.ids['met']}"]
    assert (met["relation"], met["type"], met["status"], met["date"], met["doc"]) == (
        "event", "CONSULT", "reported", "2015-01-19", "doc-first")
    assert store.texts["doc-first"][met["span_start"]:met["span_end"]].startswith("Envoy Ilsa Varga met")
    accused = graph.edges["tomas-brandt", "coastal-front", f"event-{store.ids['accused']}"]
    assert accused["type"] == "ACCUSE" and not accused["reciprocal"]


def test_a_meeting_without_recipient_links_every_pair_of_its_actors(store):
    host = f"event-{store.ids['host']}"
    edges = {(u, v) for u, v, k in keys(interaction_network(store.engine)) if k == host}
    assert edges == {("tomas-brandt", "ilsa-varga"), ("tomas-brandt", "coastal-front"), ("ilsa-varga", "coastal-front")}


def test_a_stance_on_an_actor_is_an_edge_and_a_stance_on_talks_is_not(store):
    graph = interaction_network(store.engine)
    stance = graph.edges["tomas-brandt", "coastal-front", f"stance-{store.ids['rejects']}"]
    assert (stance["relation"], stance["polarity"], stance["date"]) == ("stance", "oppose", "2015-02-03")
    assert "lisbon-talks" not in graph
    assert not any(k == f"stance-{store.ids['backs']}" for _, _, k in keys(graph))


def test_a_verbatim_copy_adds_no_edge_and_no_mentions(store):
    graph = interaction_network(store.engine)
    assert not any(k == f"event-{store.ids['copied']}" for _, _, k in keys(graph))
    # "Ilsa Varga" and "Varga" once each: the copy of the first report is not counted again.
    assert graph.nodes["ilsa-varga"]["mentions"] == 2


def test_nodes_carry_the_actor_record(store):
    node = interaction_network(store.engine).nodes["coastal-front"]
    assert node == {"name": 'Coastal Front, "the <Front>"', "kind": "group", "country": "PRT", "mentions": 4}


def test_dates_filter_by_what_a_record_can_mean(store):
    january = interaction_network(store.engine, until="2015-01")
    assert {k for _, _, k in keys(january)} == {f"event-{store.ids['met']}", f"event-{store.ids['accused']}"}
    # "2015-01" (a month) can still fall after the 20th; the planned March meeting and the February stance cannot.
    late = interaction_network(store.engine, since="2015-01-20", until="2015-02")
    assert {k for _, _, k in keys(late)} == {f"event-{store.ids['accused']}", f"stance-{store.ids['rejects']}"}
    with pytest.raises(NetworkQueryError, match="ISO prefix"):
        interaction_network(store.engine, since="last week")


def test_the_summary_counts_records_per_pair_and_type(store):
    summary = interaction_summary(interaction_network(store.engine))
    edge = summary.edges["tomas-brandt", "coastal-front"]
    assert edge["weight"] == 3
    assert edge["types"] == {"ACCUSE": 1, "CONSULT": 1} and edge["stances"] == {"oppose": 1}
    assert summary.edges["ilsa-varga", "tomas-brandt"]["weight"] == 1


def test_comention_counts_sentences_by_default_and_documents_on_request(store):
    sentences = comention_network(store.engine)
    # Together in the same sentence: Brandt and the Front three times, Varga and the Front once.
    assert sentences.edges["tomas-brandt", "coastal-front"]["weight"] == 3
    assert sentences.edges["ilsa-varga", "coastal-front"]["weight"] == 1
    assert sentences.edges["ilsa-varga", "tomas-brandt"]["docs"] == ["doc-first", "doc-second"]
    documents = comention_network(store.engine, unit="document")
    assert documents.edges["ilsa-varga", "coastal-front"]["weight"] == 2
    with pytest.raises(NetworkQueryError, match="sentence"):
        comention_network(store.engine, unit="paragraph")


def test_actors_of_different_sentences_are_not_linked(store):
    """In the first report Varga meets Brandt, and Brandt accuses the Front: Varga and the Front never share a sentence."""
    graph = comention_network(store.engine, until="2015-01")
    assert set(map(frozenset, graph.edges)) == {frozenset({"ilsa-varga", "tomas-brandt"}),
                                                 frozenset({"tomas-brandt", "coastal-front"})}
    assert comention_network(store.engine, until="2015-01", unit="document").has_edge("ilsa-varga", "coastal-front")


def test_plain_form_is_sorted_json_and_the_same_from_a_connection(store):
    graph = interaction_network(store.engine)
    plain = network_as_dict(graph)
    assert [n["id"] for n in plain["nodes"]] == sorted(n["id"] for n in plain["nodes"])
    assert [(e["source"], e["target"], e["key"]) for e in plain["edges"]] == sorted(
        (e["source"], e["target"], e["key"]) for e in plain["edges"])
    assert len(plain["edges"]) == graph.number_of_edges() and plain["directed"] and plain["multigraph"]
    with store.engine.connect() as conn:
        assert json.dumps(network_as_dict(interaction_network(conn))) == json.dumps(plain)
    undirected = network_as_dict(comention_network(store.engine))
    assert all(e["source"] < e["target"] for e in undirected["edges"])
