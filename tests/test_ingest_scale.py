"""Ingest at corpus scale (issue 13): batched lookups, capped fingerprints, worker processes.

Speed itself is measured by bench/ingest_throughput.py; these tests pin what the speed-ups must not change.
"""

from __future__ import annotations

import sqlite3

from detente.ingest import dedup, pipeline
from detente.ingest.pipeline import ingest
from detente.store.database import open_engine
from detente.store.documents import list_documents

from conftest import ARTICLE, REWRITE

PLACES = ["Geneva", "Vienna", "Astana", "Lausanne", "Riyadh", "Moscow", "Montreux", "Doha"]
DAYS = ["Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday"]


def _write_corpus(folder, count: int) -> None:
    """Variants of two reports: copies, near-copies and rewrites of each other across batches."""
    folder.mkdir()
    for number in range(count):
        base = ARTICLE if number % 3 else REWRITE
        text = base.replace("Geneva", PLACES[number % len(PLACES)]).replace("Monday", DAYS[number % len(DAYS)])
        text = text.replace("several besieged towns", f"{number % 11 + 2} besieged towns")
        (folder / f"{number:03d}.txt").write_text(text, encoding="utf-8")


def _stored(db) -> list[tuple]:
    return [(d["id"], d["duplicate_of"], d["relation"], d["similarity"]) for d in list_documents(open_engine(db))]


def test_worker_processes_store_what_one_process_stores(tmp_path, monkeypatch):
    monkeypatch.setattr(pipeline, "BATCH_SIZE", 7)  # several batches, and workers start after the first
    _write_corpus(tmp_path / "in", 90)
    one, two = str(tmp_path / "one.db"), str(tmp_path / "two.db")
    first = ingest(open_engine(one), [str(tmp_path / "in")], processes=1)
    second = ingest(open_engine(two), [str(tmp_path / "in")], processes=2)
    assert (first.added, first.already_stored, first.duplicates) == (second.added, second.already_stored, second.duplicates)
    assert first.duplicates, "the corpus is meant to hold copies and rewrites"
    assert _stored(one) == _stored(two)


def test_batches_find_what_one_document_at_a_time_finds(tmp_path, monkeypatch):
    _write_corpus(tmp_path / "in", 40)
    whole, single = str(tmp_path / "whole.db"), str(tmp_path / "single.db")
    ingest(open_engine(whole), [str(tmp_path / "in")], processes=1)
    monkeypatch.setattr(pipeline, "BATCH_SIZE", 1)
    ingest(open_engine(single), [str(tmp_path / "in")], processes=1)
    assert _stored(whole) == _stored(single)


def test_a_passage_thousands_of_documents_share_is_stored_for_only_a_few(tmp_path, monkeypatch):
    monkeypatch.setattr(dedup, "PASSAGE_DOCS_CAP", 4)
    monkeypatch.setattr("detente.ingest.duplicates.PASSAGE_DOCS_CAP", 4)
    stock = "This report was produced with the support of the regional press freedom fund and its many partners."
    folder = tmp_path / "in"
    folder.mkdir()
    for number, place in enumerate(PLACES):
        body = f"Envoys met in {place} on day {number} to discuss prisoner exchanges, and both delegations said progress was slow but real."
        (folder / f"{number}.txt").write_text(f"Talks in {place}\n\n{body}\n\n{stock}\n", encoding="utf-8")
    db = tmp_path / "store.db"
    report = ingest(open_engine(str(db)), [str(folder)], processes=1)
    assert report.added == len(PLACES)
    stock_fingerprints = dedup.passage_fingerprints(stock)
    with sqlite3.connect(db) as conn:
        holders = conn.execute(
            f"SELECT fingerprint, count(*) FROM document_passages WHERE fingerprint IN ({','.join(map(str, stock_fingerprints))}) GROUP BY fingerprint"
        ).fetchall()
    assert holders and max(n for _, n in holders) == 4
