"""The stored timeline: merged group by group, kept current document by document, equal to one merge of all.

Reports are generated to crowd the places where merging is subtle: a few
parties, two types and statuses, days, months, weeks, reports dated only by
their publication and undated ones, published days apart. Documents are
written as an extraction writes them (`clear_document`, rows, `mark_extracted`),
so staleness is detected as it is after a real `extract`; the last test runs
the real one.
"""

from __future__ import annotations

import random
from datetime import date, timedelta

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlalchemy import delete, func, insert, select

from detente.analysis import timeline_refresh
from detente.analysis.timeline import build_timeline, entry_order, independent_groups, report_order
from detente.analysis.timeline_refresh import METHOD_KEY, refresh_timeline, stale_documents
from detente.store import extraction as store
from detente.store.database import open_engine
from detente.store.events import _merged_in_memory, timeline_rows
from detente.store.schema import (
    documents,
    events,
    schema_info,
    timeline_coverage,
    timeline_entries,
    timeline_groups,
)

START = date(2013, 5, 1)
PARTIES = ["kerry", "lavrov", "zarif", "de-mistura"]


def report(rnd: random.Random, published: str | None) -> dict:
    """One event row of a document published on `published`, dated in one of the ways the extractor dates."""
    day = (START + timedelta(days=rnd.randint(0, 40))).isoformat()
    dating = rnd.choice(["day", "day", "month", "week", "published", "none"])
    date_, date_text = {
        "day": (day, "on Tuesday"),
        "month": (day[:7], "in May"),
        "week": (f"{day}/{(date.fromisoformat(day) + timedelta(days=6)).isoformat()}", "this week"),
        "published": (published, None),
        "none": (None, None),
    }[dating]
    doers = rnd.sample(PARTIES, rnd.randint(1, 2))
    return {
        "type": rnd.choice(["CONSULT", "ACCUSE"]), "status": rnd.choice(["reported", "reported", "planned"]),
        "mode": rnd.choice([None, None, "meet"]), "actors": doers,
        "recipients": rnd.sample([p for p in PARTIES if p not in doers], rnd.randint(0, 1)),
        "date": date_, "date_text": date_text, "location": rnd.choice([None, "Geneva"]),
        "confidence": rnd.choice([0.5, 0.7, 0.9]), "text": f"words {rnd.random()}",
    }


def document(rnd: random.Random) -> tuple[str | None, list[dict]]:
    published = rnd.choice([None] + [(START + timedelta(days=rnd.randint(0, 40))).isoformat()] * 9)
    return published, [report(rnd, published) for _ in range(rnd.randint(0, 4))]


def comparable(rows: list[dict]) -> list[tuple]:
    return [tuple(repr(r[k]) for k in sorted(r)) for r in rows]


# -- merging group by group ------------------------------------------------------------------


@settings(max_examples=300, deadline=None)
@given(st.integers(0, 2**32), st.integers(1, 40))
def test_merging_each_group_alone_gives_one_merge_of_all_in_its_order(seed, size):
    rnd = random.Random(seed)
    rows = []
    for n in range(size):
        published, found = document(rnd)
        rows += [{**r, "id": len(rows) + i + 1, "doc": f"doc-{n}", "start": 10 * i, "published": published}
                 for i, r in enumerate(found)]
    rows.sort(key=report_order)
    whole = build_timeline(rows)
    grouped = sorted((e for g in independent_groups(rows) for e in build_timeline(g.rows)), key=entry_order)
    assert [(e.date, e.type, e.status, e.mode, e.actors, e.recipients, [r["id"] for r in e.reports]) for e in grouped] == \
           [(e.date, e.type, e.status, e.mode, e.actors, e.recipients, [r["id"] for r in e.reports]) for e in whole]


# -- the stored timeline ------------------------------------------------------------------


class Corpus:
    """A store written as the extractor writes: each document's rows replace its earlier ones."""

    def __init__(self, engine, rnd: random.Random) -> None:
        self.engine, self.rnd, self.count = engine, rnd, 0
        with engine.begin() as conn:
            for party in PARTIES:
                conn.execute(insert(store.actors).values(id=party, name=party.title(), kind="person", aliases=[]))

    def add(self) -> str:
        self.count += 1
        doc = f"doc-{self.count:03d}"
        published, _found = document(self.rnd)
        with self.engine.begin() as conn:
            conn.execute(insert(documents).values(id=doc, content_hash=doc, text="x " * 200, removed=[], reader="text",
                                                  ingested_at="2020-01-01", published=published, outlet=f"Outlet {self.count % 3}"))
        self.extract(doc)
        return doc

    def extract(self, doc: str) -> None:
        """Write the document's events anew, as a (re-)extraction does."""
        with self.engine.begin() as conn:
            published = conn.execute(select(documents.c.published).where(documents.c.id == doc)).scalar()
            store.clear_document(conn, doc, "core")
            rows = [report(self.rnd, published) for _ in range(self.rnd.randint(0, 4))]
            for i, row in enumerate(rows):
                conn.execute(insert(events).values(**row, doc=doc, start=10 * i, end=10 * i + 5, extractor="core/3"))
            store.mark_extracted(conn, doc, "core", "3")

    def delete(self, doc: str) -> None:
        with self.engine.begin() as conn:
            conn.execute(delete(events).where(events.c.doc == doc))
            conn.execute(delete(documents).where(documents.c.id == doc))


def rebuilt(engine) -> list[dict]:
    """The timeline merged anew from every event row, as it was before entries were stored."""
    return _merged_in_memory(engine, None, None, None, None, 1)


def changes_then_compare(engine, rnd: random.Random, steps: int, monkeypatch) -> None:
    corpus = Corpus(engine, rnd)
    docs = [corpus.add() for _ in range(6)]
    refresh_timeline(engine)  # the first build: every document at once
    assert comparable(timeline_rows(engine)) == comparable(rebuilt(engine))

    def whole(_conn):
        raise AssertionError("one changed document re-merged the whole store")

    monkeypatch.setattr(timeline_refresh, "_rebuild", whole)
    for _ in range(steps):
        action = rnd.choice(["add", "add", "extract", "delete"])
        if action == "add" or len(docs) < 4:
            docs.append(corpus.add())
        elif action == "extract":
            corpus.extract(rnd.choice(docs))
        else:
            corpus.delete(docs.pop(rnd.randrange(len(docs))))
        assert stale_documents(engine)  # the change is seen by the store alone
        refresh_timeline(engine)
        assert stale_documents(engine) == set()
        assert comparable(timeline_rows(engine)) == comparable(rebuilt(engine))
    monkeypatch.undo()
    incremental = comparable(timeline_rows(engine))
    with engine.begin() as conn:
        conn.execute(delete(schema_info).where(schema_info.c.key == METHOD_KEY))
    assert len(stale_documents(engine)) == len(docs)  # a store without the merge method's mark is merged anew
    refresh_timeline(engine)
    assert comparable(timeline_rows(engine)) == incremental


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(seed=st.integers(0, 2**32))
def test_documents_added_rewritten_and_deleted_give_the_timeline_of_one_merge_of_all(seed, monkeypatch):
    engine = open_engine(":memory:")
    try:
        changes_then_compare(engine, random.Random(seed), 8, monkeypatch)
    finally:
        engine.dispose()


def test_the_stored_timeline_is_the_same_on_either_store(engine, monkeypatch):
    changes_then_compare(engine, random.Random(13), 10, monkeypatch)


def test_a_change_re_merges_only_the_groups_it_touches(engine):
    """Monthly meetings are forty groups; a report of one of them re-merges that group, not the other 39."""
    Corpus(engine, random.Random(5))
    with engine.begin() as conn:
        for n in range(40):
            day = (START + timedelta(days=30 * n)).isoformat()
            conn.execute(insert(documents).values(id=f"m-{n:02d}", content_hash=f"m-{n}", text="x " * 50, removed=[],
                                                  reader="text", ingested_at="2020-01-01", published=day))
            conn.execute(insert(events).values(doc=f"m-{n:02d}", start=0, end=5, extractor="core/3", type="CONSULT",
                                               actors=["kerry"], recipients=["lavrov"], date=day, date_text="on Monday"))
            store.mark_extracted(conn, f"m-{n:02d}", "core", "3")
    refresh_timeline(engine)
    with engine.connect() as conn:
        before = set(conn.execute(select(timeline_groups.c.id)).scalars())
    assert len(before) == 40
    with engine.begin() as conn:  # re-extracted: the meeting is now a day later, in its own month still
        store.clear_document(conn, "m-07", "core")
        day = (START + timedelta(days=30 * 7 + 1)).isoformat()
        conn.execute(insert(events).values(doc="m-07", start=0, end=5, extractor="core/3", type="CONSULT",
                                           actors=["kerry"], recipients=["lavrov"], date=day, date_text="on Tuesday"))
        store.mark_extracted(conn, "m-07", "core", "3")
    refresh_timeline(engine)
    with engine.connect() as conn:
        after = set(conn.execute(select(timeline_groups.c.id)).scalars())
    assert len(before - after) == 1
    assert comparable(timeline_rows(engine)) == comparable(rebuilt(engine))


def test_filters_and_pages_match_the_merge_of_all(engine):
    corpus = Corpus(engine, random.Random(21))
    for _ in range(25):
        corpus.add()
    whole = rebuilt(engine)
    from detente.store.events import timeline_page

    page, total = timeline_page(engine, limit=5, offset=3, counted=True)
    assert total == len(whole) and comparable(page) == comparable(whole[3:8])
    for filters in [{"actor": "zarif"}, {"actor": "LAV"}, {"type": "accuse"}, {"status": "planned"},
                    {"since": "2013-05-20"}, {"until": "2013-05-10"}, {"since": "2013-05", "until": "2013-05"},
                    {"min_sources": 2}, {"type": "consult,accuse", "actor": "kerry", "since": "2013-05-15"}]:
        wanted = _merged_in_memory(engine, filters.get("actor"), _window(filters), filters.get("type"),
                                   filters.get("status"), filters.get("min_sources", 1))
        assert comparable(timeline_rows(engine, **filters)) == comparable(wanted), filters


def _window(filters: dict):
    from detente.store.events import _window as window

    return window(filters.get("since"), filters.get("until"))


def test_an_old_store_without_the_tables_gets_its_timeline_on_first_need(tmp_path):
    path = str(tmp_path / "old.db")
    engine = open_engine(path)
    corpus = Corpus(engine, random.Random(3))
    for _ in range(8):
        corpus.add()
    expected = comparable(rebuilt(engine))
    with engine.begin() as conn:  # as a store written before the timeline was stored
        for table in ("timeline_actors", "timeline_reports", "timeline_entries", "timeline_groups", "timeline_coverage"):
            conn.exec_driver_sql(f"DROP TABLE {table}")
    engine.dispose()

    from detente.web.store import open_store

    readonly = open_store(path)  # a read-only app cannot store the entries: it merges in memory
    assert comparable(timeline_rows(readonly)) == expected
    readonly.dispose()
    engine = open_engine(path)  # the CLI opens it, makes the tables, and merges on first need
    assert comparable(timeline_rows(engine)) == expected
    with engine.connect() as conn:
        assert conn.execute(select(func.count()).select_from(timeline_entries)).scalar_one() == len(expected)
        assert conn.execute(select(func.count()).select_from(timeline_coverage)).scalar_one() == 8


@pytest.mark.slow
def test_a_run_killed_before_its_timeline_leaves_it_for_the_next_extract(tmp_path, monkeypatch, nlp):
    from detente.ingest.pipeline import ingest
    from detente.nlp import extract as extraction
    from detente.nlp.actors.registry import ActorRegistry

    (tmp_path / "in").mkdir()
    (tmp_path / "in" / "one.txt").write_text("Envoys meet\n\nMay 7, 2013\n\nJohn Kerry met Sergei Lavrov in Moscow on Tuesday.\n")
    (tmp_path / "in" / "two.txt").write_text("Talks\n\nMay 8, 2013\n\nKerry met Lavrov in Moscow on Tuesday, officials said.\n")
    engine = open_engine(str(tmp_path / "store.db"))
    ingest(engine, [str(tmp_path / "in")])

    def killed(_engine):
        raise KeyboardInterrupt  # the user's Ctrl-C, after the last document was written

    monkeypatch.setattr(extraction, "refresh_timeline", killed)
    with pytest.raises(KeyboardInterrupt):
        extraction.extract_store(engine, ActorRegistry.load(None))
    assert len(stale_documents(engine)) == 2
    monkeypatch.undo()
    assert extraction.extract_store(engine, ActorRegistry.load(None)).documents == 0
    assert stale_documents(engine) == set()  # nothing left to extract, yet the timeline was caught up
    with engine.connect() as conn:
        assert conn.execute(select(func.count()).select_from(timeline_entries)).scalar_one() > 0
