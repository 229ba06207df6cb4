"""The scorer for events, stances, claims and disputes, on a small store built by hand.

The store is filled with direct inserts, so these tests do not depend on the
extractors: they check that a perfect extraction scores 1, that each kind of
mistake costs what it should, and that the gold file itself stays usable.
"""

from __future__ import annotations

import datetime

import pytest
import yaml
from hypothesis import given
from hypothesis import strategies as st

from detente.quality.score import Report, load_gold
from detente.quality.score_analysis import (
    documents_by_file,
    gold_problems,
    phrase_spans,
    score_analysis,
    sentences_with,
)
from detente.store.database import open_engine
from detente.store.schema import actors, claims, disputes, documents, events, quotes, stances

from conftest import EXAMPLES, ROOT

TEXT = """Ministers agree to meet again as truce frays

VIENNA — The foreign ministers of Russia and the United States met in Vienna on Tuesday and agreed to convene a second round next month. Aid workers said more than 4,000 people had fled the northern districts since the shelling began.

The opposition coalition said it would not attend the second round. Its spokesman accused the government of breaking the truce. “We will not sit at a table while the guns are firing,” he said.

The government said no shells had been fired at civilians.

Correction: An earlier version of this article gave the wrong day for the meeting. It was Tuesday, not Monday."""

GOLD = {
    "file": "talks.txt",
    "title": "Ministers agree to meet again as truce frays",
    "events": [
        {"type": "CONSULT", "mode": None, "actors": ["russia", "united-states"], "recipients": [], "date": "2016-03-15", "status": "reported", "text": "met in Vienna on Tuesday"},
        {"type": "AGREE", "mode": None, "actors": ["russia", "united-states"], "recipients": [], "date": "2016-04", "status": "planned", "text": "agreed to convene a second round next month"},
        {"type": "REJECT", "mode": "meet", "actors": ["national-coalition"], "recipients": [], "date": None, "status": "reported", "text": "would not attend the second round"},
        {"type": "ACCUSE", "mode": None, "actors": ["national-coalition"], "recipients": ["syria-government"], "date": None, "status": "reported", "text": "accused the government of breaking the truce"},
    ],
    "stances": [
        {"actor": "national-coalition", "target": "geneva-iii", "polarity": "oppose", "condition": None, "text": "would not attend the second round"},
        {"actor": "united-states", "target": "geneva-iii", "polarity": "support", "condition": None, "text": "agreed to convene a second round next month"},
    ],
    "claims": [
        {"subject": "syrian-civil-war", "property": "displaced", "value": None, "low": 4000, "high": None, "unit": "people", "attributed_to": None, "text": "more than 4,000 people"},
    ],
    "disputes": [
        {"kind": "rebuttal", "a": {"file": "talks.txt", "text": "accused the government of breaking the truce"},
         "b": {"file": "talks.txt", "text": "no shells had been fired at civilians"}},
        {"kind": "correction", "a": {"file": "talks.txt", "text": "met in Vienna on Tuesday"},
         "b": {"file": "talks.txt", "text": "An earlier version of this article gave the wrong day"}},
    ],
}

ACTORS = ("russia", "united-states", "national-coalition", "syria-government")
DOC_ID = "doc-talks"


def span(phrase: str, text: str = TEXT) -> dict:
    start = text.index(phrase)
    return {"start": start, "end": start + len(phrase)}


def put(conn, table, **row) -> int:
    common = {"doc": DOC_ID, "extractor": "test/1", "confidence": 1.0}
    return conn.execute(table.insert().values(**common, **row)).inserted_primary_key[0]


@pytest.fixture
def store():
    engine = open_engine(":memory:")
    with engine.begin() as conn:
        conn.execute(documents.insert().values(
            id=DOC_ID, content_hash="h1", uri="/corpus/talks.txt", title=GOLD["title"], text=TEXT,
            removed=[], reader="text", ingested_at="2016-03-16T00:00:00",
        ))
        for actor in ACTORS:
            conn.execute(actors.insert().values(id=actor, name=actor, kind="state", aliases=[]))
    return engine


def event_row(want: dict, **changes) -> dict:
    row = {k: want[k] for k in ("type", "mode", "actors", "recipients", "date", "status")} | span(want["text"])
    return row | changes


def fill_perfect(engine) -> None:
    """What an extractor that got everything right would store."""
    with engine.begin() as conn:
        for want in GOLD["events"]:
            put(conn, events, **event_row(want))
        for want in GOLD["stances"]:
            put(conn, stances, **{k: want[k] for k in ("actor", "target", "polarity", "condition")}, **span(want["text"]))
        for want in GOLD["claims"]:
            fields = ("subject", "property", "value", "low", "high", "unit", "attributed_to")
            put(conn, claims, **{k: want[k] for k in fields}, **span(want["text"]))
        accusation = put(conn, quotes, content="the government of breaking the truce", kind="indirect", **span("accused the government of breaking the truce"))
        denial = put(conn, quotes, content="no shells had been fired at civilians", kind="indirect", **span("no shells had been fired at civilians"))
        meeting = conn.execute(events.select().where(events.c.type == "CONSULT")).first().id
        note = put(conn, quotes, content="An earlier version of this article gave the wrong day for the meeting", kind="indirect",
                   **span("An earlier version of this article gave the wrong day"))
        conn.execute(disputes.insert(), [
            {"a_kind": "quote", "a_id": accusation, "b_kind": "quote", "b_id": denial, "kind": "rebuttal", "extractor": "test/1"},
            {"a_kind": "event", "a_id": meeting, "b_kind": "quote", "b_id": note, "kind": "correction", "extractor": "test/1"},
        ])


def scores(report: Report) -> dict[str, tuple[float, float]]:
    return {kind: (round(s.precision, 3), round(s.recall, 3)) for kind, s in report.scores.items()}


# ------------------------------------------------------------------ whole-store scores


def test_a_perfect_extraction_scores_one_everywhere(store):
    fill_perfect(store)
    report = score_analysis(store, [GOLD])
    for kind in ("events.type", "events.type_actors", "events.date", "events.status", "stances",
                 "stances.polarity", "claims", "claims.attributed_to", "disputes"):
        assert scores(report)[kind] == (1.0, 1.0), (kind, report.misses.get(kind))


def test_an_empty_store_finds_nothing_and_misses_everything(store):
    report = score_analysis(store, [GOLD])
    for kind in ("events.type", "events.type_actors", "stances", "claims", "disputes"):
        assert report.scores[kind].recall == 0.0
        assert report.scores[kind].found == 0
    assert report.scores["events.type"].expected == len(GOLD["events"])
    assert len(report.misses["events.type"]) == len(GOLD["events"])


def test_partial_events_cost_precision_recall_and_attributes(store):
    consult, agree, reject, _accuse = GOLD["events"]
    with store.begin() as conn:
        put(conn, events, **event_row(consult))
        put(conn, events, **event_row(agree, actors=["russia"], date="2016-03"))
        # the refusal found, but in the quote's sentence rather than the one that carries it
        put(conn, events, **event_row(reject) | span("We will not sit at a table"))
        put(conn, events, **event_row(consult, type="ASSAULT") | span("since the shelling began"))
    report = score_analysis(store, [GOLD])
    assert (report.scores["events.type"].true_positives, report.scores["events.type"].found) == (2, 4)
    assert report.scores["events.type"].recall == 0.5
    assert report.scores["events.type_actors"].true_positives == 1
    assert report.scores["events.date"].true_positives == 1
    assert report.scores["events.status"].true_positives == 2
    assert any("ACCUSE" in m for m in report.misses["events.type"])
    assert any("got actors ['russia']" in m for m in report.misses["events.type_actors"])


def test_two_gold_events_of_one_type_in_a_sentence_need_two_stored_events(store):
    gold = {**GOLD, "events": [
        {**GOLD["events"][0], "actors": ["russia"]},
        {**GOLD["events"][0], "actors": ["united-states"]},
    ]}
    with store.begin() as conn:
        put(conn, events, **event_row(gold["events"][1]))
    report = score_analysis(store, [gold])
    assert report.scores["events.type"].true_positives == 1
    assert report.scores["events.type_actors"].true_positives == 1, "the stored event goes to the gold event it fits"


def test_stances_pair_by_actor_and_target_and_then_compare_polarity(store):
    with store.begin() as conn:
        put(conn, stances, actor="national-coalition", target="geneva-iii", polarity="condition", condition="x",
            **span("would not attend the second round"))
        put(conn, stances, actor="russia", target="geneva-iii", polarity="support", **span("agreed to convene"))
    report = score_analysis(store, [GOLD])
    assert scores(report)["stances"] == (0.5, 0.5)
    assert report.scores["stances.polarity"].true_positives == 0
    assert report.scores["stances.polarity"].expected == 1


def test_a_claim_needs_its_phrase_its_property_and_its_numbers(store):
    with store.begin() as conn:
        put(conn, claims, subject="syrian-civil-war", property="displaced", low=400, **span("more than 4,000 people"))
        put(conn, claims, subject="syrian-civil-war", property="death_toll", low=4000, **span("more than 4,000 people"))
        put(conn, claims, subject="syrian-civil-war", property="displaced", low=4000, **span("second round next month"))
    report = score_analysis(store, [GOLD])
    assert report.scores["claims"].true_positives == 0
    assert report.scores["claims"].found == 3
    with store.begin() as conn:
        put(conn, claims, subject="syrian-civil-war", property="displaced", low=4000.0, attributed_to="russia", start=TEXT.index("4,000"), end=TEXT.index("4,000") + 5)
    report = score_analysis(store, [GOLD])
    assert report.scores["claims"].true_positives == 1, "a span on the figure alone overlaps the phrase"
    assert report.scores["claims.attributed_to"].true_positives == 0


def test_a_rebuttal_has_a_direction_and_a_contradiction_does_not(store):
    with store.begin() as conn:
        accusation = put(conn, quotes, content="a", kind="indirect", **span("accused the government of breaking the truce"))
        denial = put(conn, quotes, content="b", kind="indirect", **span("no shells had been fired at civilians"))
        conn.execute(disputes.insert().values(a_kind="quote", a_id=denial, b_kind="quote", b_id=accusation, kind="rebuttal", extractor="t"))
    gold_rebuttal = {**GOLD, "disputes": GOLD["disputes"][:1]}
    gold_reversed = {**gold_rebuttal, "disputes": [{**GOLD["disputes"][0], "kind": "contradiction"}]}
    assert score_analysis(store, [gold_rebuttal]).scores["disputes"].true_positives == 0
    with store.begin() as conn:
        conn.execute(disputes.update().values(kind="contradiction"))
    assert score_analysis(store, [gold_reversed]).scores["disputes"].true_positives == 1


def test_a_dispute_side_of_an_unknown_kind_counts_as_found_but_never_matches(store):
    with store.begin() as conn:
        denial = put(conn, quotes, content="b", kind="indirect", **span("no shells had been fired at civilians"))
        conn.execute(disputes.insert().values(a_kind="rumour", a_id=1, b_kind="quote", b_id=denial, kind="rebuttal", extractor="t"))
    report = score_analysis(store, [GOLD])
    assert (report.scores["disputes"].true_positives, report.scores["disputes"].found) == (0, 1)


def test_rows_in_the_headline_are_neither_rewarded_nor_counted_as_extra(store):
    fill_perfect(store)
    with store.begin() as conn:
        put(conn, events, **event_row(GOLD["events"][1]) | span("Ministers agree to meet again"))
    assert scores(score_analysis(store, [GOLD]))["events.type"] == (1.0, 1.0)
    with store.begin() as conn:
        conn.execute(documents.update().values(title="Another title"))
    report = score_analysis(store, [{**GOLD, "title": "Another title"}])
    assert report.scores["events.type"].found == len(GOLD["events"]) + 1, "without a headline, the row is an extra"


def test_gold_dates_written_as_yaml_dates_compare_as_iso_text(store):
    gold = {**GOLD, "events": [{**GOLD["events"][0], "date": datetime.date(2016, 3, 15)}]}
    with store.begin() as conn:
        put(conn, events, **event_row(GOLD["events"][0]))
    assert score_analysis(store, [gold]).scores["events.date"].true_positives == 1


def test_a_document_without_a_file_of_its_own_is_found_by_title(store):
    with store.begin() as conn:
        conn.execute(documents.update().values(uri="https://example.org/news/2016/talks"))
    with store.connect() as conn:
        assert documents_by_file(conn, [GOLD])["talks.txt"]["id"] == DOC_ID
    fill_perfect(store)
    assert score_analysis(store, [GOLD]).scores["events.type"].recall == 1.0


def test_scores_are_added_to_a_report_given(store):
    report = Report()
    report.score("quotes").add(3, 4, 5)
    assert score_analysis(store, [GOLD], report) is report
    assert report.scores["quotes"].true_positives == 3 and "events.type" in report.scores


# ------------------------------------------------------------------ finding the phrase


@given(
    st.lists(st.sampled_from(["truce", "talks", "envoy", "“Assad", "Geneva’s", "40,000", "U.N.", "(AFP)", "-", "a"]), min_size=1, max_size=8),
    st.lists(st.sampled_from([" ", "\n", " \n", "  ", "\t"]), min_size=8, max_size=8),
)
def test_a_phrase_is_found_however_the_text_is_wrapped_and_quoted(words, gaps):
    wrapped = "Before it. " + "".join(w + g for w, g in zip(words, gaps)).rstrip() + " After it."
    phrase = " ".join(words).replace("“", '"').replace("’", "'")
    found = phrase_spans(wrapped, phrase)
    assert found and found[0][0] == len("Before it. ")
    assert " ".join(wrapped[found[0][0]:found[0][1]].split()) == " ".join(words)


def test_the_sentence_of_a_phrase_is_the_whole_sentence_and_only_it():
    (start, end), = sentences_with(TEXT, "accused the government")
    assert TEXT[start:end] == "Its spokesman accused the government of breaking the truce."
    (start, end), = sentences_with(TEXT, "Ministers agree to meet")
    assert TEXT[start:end] == "Ministers agree to meet again as truce frays", "a headline ends at its blank line"


# ------------------------------------------------------------------ the gold file itself


def test_gold_problems_names_each_mistake():
    bad = {
        "file": "talks.txt",
        "events": [{"type": "MEET", "mode": "visit", "actors": ["nobody"], "recipients": [], "date": "2016-3-15", "status": "rumoured", "text": "met in Paris"}],
        "stances": [{"actor": "russia", "target": "moon-landing", "polarity": "condition", "condition": None, "text": "second round"}],
        "claims": [{"subject": "Syria War", "property": "casualties", "value": None, "low": None, "high": None, "unit": "souls", "attributed_to": None, "text": "4,000"}],
        "disputes": [{"kind": "quarrel", "a": {"file": "other.txt", "text": "x"}, "b": {"file": "talks.txt", "text": "Tuesday"}}],
    }
    problems = "\n".join(gold_problems([bad], {"talks.txt": TEXT}, ACTORS, ["geneva-iii"]))
    for fragment in ("'MEET' is not a PLOVER type", "actor 'nobody'", "'2016-3-15' is not an ISO prefix", "'rumoured'",
                     "'met in Paris' occurs 0 times", "'moon-landing' is neither", "a condition text goes with polarity condition",
                     "'second round' occurs 2 times", "'casualties'", "'souls'", "'Syria War' is not a slug", "has no value",
                     "'quarrel'", "no document text for 'other.txt'", "'Tuesday' occurs 2 times"):
        assert fragment in problems


def test_gold_problems_accepts_the_synthetic_gold():
    assert gold_problems([GOLD], {"talks.txt": TEXT}, ACTORS, ["geneva-iii"]) == []


@pytest.fixture(scope="module")
def example_texts() -> dict[str, str]:
    from detente.ingest.pipeline import ingest

    engine = open_engine(":memory:")
    ingest(engine, [str(EXAMPLES)])
    with engine.connect() as conn:
        return {name: doc["text"] for name, doc in documents_by_file(conn, load_gold(EXAMPLES / "gold.yaml")).items()}


def test_the_example_gold_is_consistent_with_its_texts_and_registries(example_texts):
    gold = load_gold(EXAMPLES / "gold.yaml")
    assert set(example_texts) == {entry["file"] for entry in gold}
    actor_ids = [a["id"] for a in yaml.safe_load((EXAMPLES / "actors.yaml").read_text(encoding="utf-8"))["actors"]]
    target_ids = [t["id"] for t in yaml.safe_load((ROOT / "detente" / "nlp" / "stances" / "targets.yaml").read_text(encoding="utf-8"))["targets"]]
    assert gold_problems(gold, example_texts, actor_ids, target_ids) == []


def test_every_example_document_has_events_and_the_corpus_has_every_kind():
    gold = load_gold(EXAMPLES / "gold.yaml")
    assert all(entry.get("events") for entry in gold)
    statuses = {e["status"] for entry in gold for e in entry["events"]}
    assert statuses == {"reported", "planned", "cancelled", "denied", "hypothetical"}
    assert {d["kind"] for entry in gold for d in entry.get("disputes") or []} == {"correction", "rebuttal", "contradiction"}
    assert {c["property"] for entry in gold for c in entry.get("claims") or []} >= {"death_toll", "displaced", "besieged"}
