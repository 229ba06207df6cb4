"""Disputes stay current as documents arrive one by one, and after a run killed before its disputes.

The store is filled row by row (as in test_disputes.py), with an `extractions`
row standing for each document's extraction, so the refresh is tested apart
from the extractors; the last test runs the real extraction.
"""

from __future__ import annotations

import pytest
from sqlalchemy import delete, insert, select

from detente.analysis import disputes as dispute_finder
from detente.analysis.dispute_refresh import refresh_disputes, stale_documents
from detente.analysis.disputes import find_disputes
from detente.nlp import extract as extraction
from detente.store.extraction import clear_document
from detente.store.schema import disputes, documents, extractions

from test_disputes import ORIGINAL, REWRITE, Store

LETTER = """Ministry answers the paper

The ministry says the paper makes a false claim that the mediator would "broker a final deal between the government and the rebels" this summer.
"""

LOWER_TOLL = """Counting the dead

Monitors put the toll at almost 70,000 dead.
"""

UNRELATED = """Harvest season opens

Farmers in the valley began the wheat harvest on Monday.
"""


def extracted(store: Store, doc_id: str) -> None:
    with store.engine.begin() as conn:
        conn.execute(insert(extractions).values(doc=doc_id, extractor="core", version="3", at="2020-01-01T00:00:00"))


def stored(engine) -> list[tuple]:
    """The stored disputes as the finder returns them: sides, kind and confidence."""
    with engine.connect() as conn:
        rows = conn.execute(select(disputes)).mappings().all()
    return sorted(
        (r["a_kind"], r["a_id"], r["a_doc"], r["a_start"], r["a_end"], r["b_kind"], r["b_id"], r["b_doc"],
         r["b_start"], r["b_end"], r["kind"], r["confidence"])
        for r in rows
    )


def found(engine) -> list[tuple]:
    return sorted(
        (d.a_kind, d.a_id, *(d.a_span or (None, None, None)), d.b_kind, d.b_id, *(d.b_span or (None, None, None)),
         d.kind, d.confidence)
        for d in find_disputes(engine)
    )


def add_original(store: Store) -> None:
    store.doc("orig", ORIGINAL, "2013-07-11")
    store.event("orig", "plans to send two advisers to Damascus")
    store.claim("orig", "150,000 dead", value=150000, date="2013-07-11")
    store.quote("orig", "The generals laughed at every offer of compromise,", "the-adviser")
    store.quote("orig", 'the story makes a false claim that it will "broker a final deal between the government and the rebels."', "mediator-office")
    store.quote("orig", "he was misquoted: he said the army ignored the offers", "the-adviser")


def add_rewrite(store: Store) -> None:
    store.doc("copy", REWRITE, "2013-07-12", duplicate_of="orig")
    store.event("copy", "is planning to send two advisers to Damascus")


def add_letter(store: Store) -> None:
    store.doc("letter", LETTER, "2013-07-14")
    store.quote("letter", 'the paper makes a false claim that the mediator would "broker a final deal between the government and the rebels" this summer.', "the-ministry")


def add_lower_toll(store: Store) -> None:
    store.doc("toll", LOWER_TOLL, "2013-07-12")
    store.claim("toll", "almost 70,000 dead", value=70000, date="2013-07-12")


def add_unrelated(store: Store) -> None:
    store.doc("harvest", UNRELATED, "2013-07-13")
    store.event("harvest", "began the wheat harvest")


STEPS = (("orig", add_original), ("copy", add_rewrite), ("letter", add_letter), ("toll", add_lower_toll),
         ("harvest", add_unrelated))


def test_documents_added_one_by_one_give_the_disputes_of_one_pass_over_all():
    store = Store()
    for doc_id, add in STEPS:
        add(store)
        extracted(store, doc_id)
        refresh_disputes(store.engine)
    kinds = {row[10] for row in stored(store.engine)}
    assert {"rebuttal", "contradiction"} <= kinds  # the steps above made both kinds across documents
    assert stored(store.engine) == found(store.engine)


def test_a_new_document_is_compared_without_reading_every_document(monkeypatch):
    store = Store()
    for doc_id, add in STEPS[:4]:
        add(store)
        extracted(store, doc_id)
    refresh_disputes(store.engine)
    loaded: list[str] = []
    real_load = dispute_finder._load_some

    def counting_load(engine, cues, ids):
        loaded.extend(ids if ids is not None else ["*"])
        return real_load(engine, cues, ids)

    monkeypatch.setattr(dispute_finder, "_load_some", counting_load)
    add_unrelated(store)
    extracted(store, "harvest")
    refresh_disputes(store.engine)
    # The new document, and the one whose disputing sentences could be about it; not the whole store.
    assert "*" not in loaded and set(loaded) <= {"harvest", "orig", "letter"}
    assert stored(store.engine) == found(store.engine)


def test_disputes_are_stale_from_a_documents_extraction_until_they_are_refreshed():
    store = Store()
    add_original(store)
    extracted(store, "orig")
    assert stale_documents(store.engine) == {"orig"}
    refresh_disputes(store.engine)
    assert stale_documents(store.engine) == set()
    with store.engine.begin() as conn:
        clear_document(conn, "orig", "core")
    assert stale_documents(store.engine) == {"orig"}


def test_a_removed_document_takes_its_disputes_along():
    store = Store()
    for doc_id, add in STEPS[:2]:
        add(store)
        extracted(store, doc_id)
    refresh_disputes(store.engine)
    assert stored(store.engine)
    with store.engine.begin() as conn:
        conn.execute(delete(documents).where(documents.c.id == "copy"))
    assert all("copy" not in (row[2], row[7]) for row in stored(store.engine))


@pytest.mark.slow
def test_a_run_killed_before_its_disputes_leaves_them_for_the_next_extract(tmp_path, monkeypatch, nlp):
    from detente.ingest.pipeline import ingest
    from detente.nlp.actors.registry import ActorRegistry
    from detente.store.database import open_engine

    (tmp_path / "in").mkdir()
    (tmp_path / "in" / "original.txt").write_text(ORIGINAL)
    (tmp_path / "in" / "letter.txt").write_text(LETTER)
    engine = open_engine(str(tmp_path / "store.db"))
    ingest(engine, [str(tmp_path / "in")])

    def killed(_engine):
        raise KeyboardInterrupt  # the user's Ctrl-C, after the last document was written

    monkeypatch.setattr(extraction, "refresh_disputes", killed)
    with pytest.raises(KeyboardInterrupt):
        extraction.extract_store(engine, ActorRegistry.load(None))
    assert len(stale_documents(engine)) == 2
    monkeypatch.undo()
    report = extraction.extract_store(engine, ActorRegistry.load(None))
    assert report.documents == 0  # nothing left to extract, yet the disputes were caught up
    assert stale_documents(engine) == set()
    assert report.disputes == len(find_disputes(engine)) > 0
