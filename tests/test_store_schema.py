"""An older store opens in a newer detente with nothing lost."""

from __future__ import annotations

from sqlalchemy import insert, inspect, select

from detente.nlp.records import ActorRecord
from detente.store.database import open_engine
from detente.store.extraction import upsert_actor
from detente.store.schema import SCHEMA_VERSION, actors, claims, documents
from detente.store.search import search


def test_a_store_of_schema_2_gains_the_new_columns_and_keeps_its_rows(store_url):
    path = store_url
    store = open_engine(path)
    with store.begin() as conn:
        conn.execute(insert(documents).values(id="d", content_hash="d", text="Text.", removed=[], reader="text", ingested_at="2020-01-01"))
        conn.execute(insert(claims).values(doc="d", start=0, end=4, extractor="core/2", subject="s", property="killed", value=3))
        conn.exec_driver_sql("ALTER TABLE claims DROP COLUMN qualifier")
        conn.exec_driver_sql("ALTER TABLE events DROP COLUMN actors_text")
        conn.exec_driver_sql("UPDATE schema_info SET value = '2' WHERE key = 'schema_version'")
        if conn.dialect.name == "postgresql":  # a PostgreSQL store from before the tsvector index
            conn.exec_driver_sql("ALTER TABLE documents DROP COLUMN search_vector")
    store.dispose()
    reopened = open_engine(path)
    with reopened.begin() as conn:
        assert {"qualifier"} <= {c["name"] for c in inspect(conn).get_columns("claims")}
        assert {"actors_text"} <= {c["name"] for c in inspect(conn).get_columns("events")}
        assert conn.execute(select(claims.c.property, claims.c.value, claims.c.qualifier)).all() == [("killed", 3.0, None)]
        assert conn.exec_driver_sql("SELECT value FROM schema_info WHERE key = 'schema_version'").scalar() == str(SCHEMA_VERSION)
    with reopened.connect() as conn:  # the search index is made and filled on the way
        assert [hit["id"] for hit in search(conn, "text").hits] == ["d"]


def test_an_actor_seen_again_gains_the_new_aliases_and_keeps_the_old(engine):
    with engine.begin() as conn:
        upsert_actor(conn, ActorRecord("kofi-annan", "Kofi Annan", "person", "GHA", ["Annan"]))
        upsert_actor(conn, ActorRecord("kofi-annan", "Kofi Annan", "person", "GHA", ["the envoy", "Annan"]))
        upsert_actor(conn, ActorRecord("kofi-annan", "Kofi Annan", "person", "GHA", []))
        rows = conn.execute(select(actors.c.id, actors.c.aliases)).all()
    assert [(r.id, r.aliases) for r in rows] == [("kofi-annan", ["Annan", "the envoy"])]


def test_listings_sort_text_by_code_point_and_undated_rows_alike_on_either_store(engine):
    """SQLite's order everywhere: a PostgreSQL database in English collation must not move "Zeta" or "un-envoy",
    and undated figures (NULL dates, which the engines sort at opposite ends) come after the dated ones on both."""
    from detente.store.claims import claim_rows

    subjects = ["un-envoy", "Zeta-front", "unaids", "alpha-front", "a b", "ab"]
    with engine.begin() as conn:
        conn.execute(insert(documents).values(id="d", content_hash="d", text="Some figures here.", removed=[],
                                              reader="text", ingested_at="2020-01-01", published=None))
        for i, subject in enumerate(subjects):
            conn.execute(insert(claims).values(doc="d", start=0, end=4, extractor="core/3", subject=subject,
                                               property="killed", value=i, date=None if i % 2 else "2015-01-01"))
            conn.execute(insert(claims).values(doc="d", start=0, end=4, extractor="core/3", subject="same",
                                               property="killed", value=10 + i, date=None if i % 2 else "2015-01-01"))
    rows = claim_rows(engine)
    assert [r["subject"] for r in rows if r["subject"] != "same"] == sorted(subjects)
    same = [(r["date"], r["value"]) for r in rows if r["subject"] == "same"]
    assert same == [("2015-01-01", 10.0), ("2015-01-01", 12.0), ("2015-01-01", 14.0), (None, 11.0), (None, 13.0), (None, 15.0)]


def test_a_store_made_before_an_index_was_added_gains_it_when_opened(store_url):
    engine = open_engine(store_url)
    with engine.begin() as conn:
        conn.exec_driver_sql("DROP INDEX ix_mentions_actor_doc")
    engine.dispose()
    reopened = open_engine(store_url)
    with reopened.connect() as conn:
        assert "ix_mentions_actor_doc" in {index["name"] for index in inspect(conn).get_indexes("mentions")}


def test_a_store_made_before_the_listing_indexes_gains_every_declared_index_when_opened(store_url):
    """The app's pages count and sort over indexes added for 10,000-document stores; an older store gets them all."""
    from detente.store.schema import metadata

    declared = {(table.name, index.name) for table in metadata.sorted_tables for index in table.indexes}
    assert {("events", "ix_events_doc_date"), ("documents", "ix_documents_published"), ("stances", "ix_stances_actor"),
            ("claims", "ix_claims_confidence")} <= declared
    engine = open_engine(store_url)
    with engine.begin() as conn:
        for _table, name in declared:
            conn.exec_driver_sql(f"DROP INDEX {name}")
    engine.dispose()
    reopened = open_engine(store_url)
    with reopened.connect() as conn:
        found = {(table, index["name"]) for table, _ in declared for index in inspect(conn).get_indexes(table)}
    assert declared <= found
