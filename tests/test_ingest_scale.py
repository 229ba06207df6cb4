"""Ingest at corpus scale (issue 13): batched lookups, capped fingerprints, worker processes, cheap re-runs.

Speed itself is measured by bench/ingest_throughput.py; these tests pin what the speed-ups must not change.
Every test runs on SQLite and on PostgreSQL.
"""

from __future__ import annotations

from contextlib import ExitStack, contextmanager
from pathlib import Path

import pytest
from sqlalchemy import func, select

from detente.ingest import dedup, pipeline
from detente.ingest.pipeline import ingest
from detente.store.database import open_engine
from detente.store.documents import find_document, list_documents
from detente.store.schema import document_passages

from conftest import ARTICLE, NO_POSTGRES, POSTGRES_URL, REWRITE, postgres_schema_url

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


@pytest.fixture(params=["sqlite", "postgresql"])
def two_stores(request, tmp_path):
    """Two empty stores of one backend, to compare two ways of ingesting the same files."""
    if request.param == "sqlite":
        yield str(tmp_path / "one.db"), str(tmp_path / "two.db")
        return
    if not POSTGRES_URL:
        pytest.skip(NO_POSTGRES)
    with ExitStack() as stack:
        yield tuple(stack.enter_context(contextmanager(postgres_schema_url)(POSTGRES_URL)) for _ in range(2))


def _stored(db) -> list[tuple]:
    return [(d["id"], d["duplicate_of"], d["relation"], d["similarity"]) for d in list_documents(open_engine(db))]


def test_worker_processes_store_what_one_process_stores(tmp_path, two_stores, monkeypatch):
    monkeypatch.setattr(pipeline, "BATCH_SIZE", 7)  # several batches, and workers start after the first 50
    _write_corpus(tmp_path / "in", 90)
    one, two = two_stores
    first = ingest(open_engine(one), [str(tmp_path / "in")], processes=1)
    second = ingest(open_engine(two), [str(tmp_path / "in")], processes=2)
    assert (first.added, first.already_stored, first.duplicates) == (second.added, second.already_stored, second.duplicates)
    assert first.duplicates, "the corpus is meant to hold copies and rewrites"
    assert _stored(one) == _stored(two)


def test_batches_find_what_one_document_at_a_time_finds(tmp_path, two_stores, monkeypatch):
    _write_corpus(tmp_path / "in", 40)
    whole, single = two_stores
    assert 40 <= pipeline.BATCH_SIZE, "the whole corpus is meant to be one batch"
    ingest(open_engine(whole), [str(tmp_path / "in")], processes=1)
    monkeypatch.setattr(pipeline, "BATCH_SIZE", 1)
    ingest(open_engine(single), [str(tmp_path / "in")], processes=1)
    assert _stored(whole) == _stored(single)


def test_a_passage_thousands_of_documents_share_is_stored_for_only_a_few(tmp_path, store_url, monkeypatch):
    monkeypatch.setattr(dedup, "PASSAGE_DOCS_CAP", 4)
    monkeypatch.setattr("detente.ingest.duplicates.PASSAGE_DOCS_CAP", 4)
    stock = "This report was produced with the support of the regional press freedom fund and its many partners."
    folder = tmp_path / "in"
    folder.mkdir()
    for number, place in enumerate(PLACES):
        body = f"Envoys met in {place} on day {number} to discuss prisoner exchanges, and both delegations said progress was slow but real."
        (folder / f"{number}.txt").write_text(f"Talks in {place}\n\n{body}\n\n{stock}\n", encoding="utf-8")
    engine = open_engine(store_url)
    report = ingest(engine, [str(folder)], processes=1)
    assert report.added == len(PLACES)
    stock_fingerprints = dedup.passage_fingerprints(stock)
    query = (
        select(document_passages.c.fingerprint, func.count())
        .where(document_passages.c.fingerprint.in_(stock_fingerprints))
        .group_by(document_passages.c.fingerprint)
    )
    with engine.connect() as conn:
        holders = conn.execute(query).all()
    assert holders and max(n for _, n in holders) == 4


def _counting(monkeypatch, name: str) -> list:
    """Record each call of a pipeline step (in this process: ingest runs with processes=1)."""
    calls, real = [], getattr(pipeline, name)

    def counted(item, state):
        calls.append(item.uri)
        return real(item, state)

    monkeypatch.setattr(pipeline, name, counted)
    return calls


def test_a_rerun_skips_stored_files_before_cleaning_them_and_catches_a_changed_one(tmp_path, store_url, monkeypatch):
    folder = tmp_path / "in"
    _write_corpus(folder, 12)
    engine = open_engine(store_url)
    first = ingest(engine, [str(folder)], processes=1)
    assert first.added + first.already_stored == 12 and first.added > 1
    cleaned, counted = _counting(monkeypatch, "_prepare"), _counting(monkeypatch, "_outlet_lines")
    again = ingest(engine, [str(folder)], processes=1)
    assert (again.added, again.already_stored, again.errors) == (0, 12, [])
    assert cleaned == [] and counted == [], "a stored file is neither cleaned nor counted again"
    # an edit that keeps the file's size (and could keep its time) is still an edit
    changed = folder / "004.txt"
    text = changed.read_text(encoding="utf-8")
    changed.write_text(text.replace("besieged towns", "besieged cities", 1)[: len(text)], encoding="utf-8")
    assert changed.stat().st_size == len(text.encode("utf-8"))
    edited = ingest(engine, [str(folder)], processes=1)
    assert cleaned == [str(changed)]
    assert (edited.added, edited.already_stored) == (1, 11)
    assert len(counted) == 12, "with a file to clean, every file's lines are counted as in a first run"


# A line Harbour Post prints under its articles: only the count of repeated lines removes it.
HOUSE_LINE = "Our correspondents in Geneva and Vienna follow every round of the talks."
SECOND_REPORT = (
    "Harbour Post\n\nDelegations leave Geneva without a date for the next round\n\n"
    "The two delegations left Geneva on Friday without agreeing when to meet again, and the envoy said he "
    f"would consult the sponsors first.\n\n{HOUSE_LINE}\n\n© 2016 Harbour Post. All rights reserved.\n"
)
PAGE = f"""<html><head><title>Truce holds | Harbour Post</title>
<meta property="og:site_name" content="Harbour Post"></head>
<body><article><h1>Truce holds for a third day</h1>
<p>The partial truce brokered by Washington and Moscow held for a third day across most of western Syria, monitors said.
<p>{HOUSE_LINE}
<p>Aid agencies said trucks had reached two towns that had been cut off since the summer, and more were waiting.
</article></body></html>"""


def _added_later_and_at_once(two_stores, folder, later: dict[str, str]) -> tuple[dict, dict]:
    """The documents of the files `later` (name -> text) when added to the stored `folder` and ingested
    again, and when the whole folder is ingested in one run: (in two runs, at once), by file name."""
    in_two_runs, at_once = (open_engine(url) for url in two_stores)
    first = ingest(in_two_runs, [str(folder)], processes=1)
    for name, text in later.items():
        (folder / name).write_text(text, encoding="utf-8")
    rerun = ingest(in_two_runs, [str(folder)], processes=1)
    assert (rerun.added, rerun.already_stored) == (len(later), first.added)
    ingest(at_once, [str(folder)], processes=1)

    def documents(engine) -> dict:
        return {Path(d["uri"]).name: find_document(engine, d["id"]) for d in list_documents(engine)}

    return documents(in_two_runs), documents(at_once)


def _cleaned_alike(alone: dict, together: dict) -> bool:
    return (alone["id"], alone["text"], alone["removed"]) == (together["id"], together["text"], together["removed"])


def test_a_file_added_beside_stored_ones_is_cleaned_as_in_one_run(tmp_path, two_stores):
    """The lines an outlet repeats are counted over the stored files too, so a re-run cleans the new file
    as ingesting the whole folder at once does."""
    folder = tmp_path / "in"
    folder.mkdir()
    (folder / "one.txt").write_text(ARTICLE.replace("Sign up for our daily newsletter", HOUSE_LINE), encoding="utf-8")
    alone, together = _added_later_and_at_once(two_stores, folder, {"two.txt": SECOND_REPORT})
    assert HOUSE_LINE in together["two.txt"]["removed"]
    assert _cleaned_alike(alone["two.txt"], together["two.txt"])


def test_an_html_page_added_beside_stored_files_is_cleaned_as_in_one_run(tmp_path, two_stores):
    """A page is never skipped before it is read (its hash is of the article text), and when every other
    file is stored it is still cleaned with the lines its outlet repeats in them."""
    folder = tmp_path / "in"
    folder.mkdir()
    (folder / "one.txt").write_text(ARTICLE.replace("Sign up for our daily newsletter", HOUSE_LINE), encoding="utf-8")
    (folder / "two.txt").write_text(SECOND_REPORT, encoding="utf-8")
    alone, together = _added_later_and_at_once(two_stores, folder, {"page.html": PAGE})
    assert HOUSE_LINE in together["page.html"]["removed"]
    assert _cleaned_alike(alone["page.html"], together["page.html"])
