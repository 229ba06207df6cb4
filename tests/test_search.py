"""Full-text search over documents and quotes: what a user types finds what they mean, and nothing they
type can break the query or the store."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from sqlalchemy import func, insert, select, text
from web_store import SCRIPT, WebStore

from detente.store.schema import documents, quotes
from detente.store.search import (
    ensure_search_index,
    fold_text,
    index_is_fresh,
    parse_query,
    refresh_search_index,
    search,
)


@pytest.fixture
def store(engine) -> WebStore:
    return WebStore(engine)


def find(store: WebStore, query: str, **options):
    with store.engine.connect() as conn:
        return search(conn, query, **options)


def refs(results) -> set[tuple[str, str]]:
    return {(hit["kind"], str(hit["id"])) for hit in results.hits}


def test_words_find_documents_and_quotes_with_offsets_into_the_text(store):
    results = find(store, "truce")
    assert results.engine == "fts5"
    assert ("document", store.oslo_doc) in refs(results)
    hit = next(h for h in results.hits if h["id"] == store.oslo_doc)
    assert hit["field"] == "text" and hit["matches"]
    for start, end in hit["matches"]:
        assert hit["snippet"][start:end].lower() == "truce"
        absolute = hit["snippet_start"] + start
        assert store.texts[store.oslo_doc][absolute:absolute + 5].lower() == "truce"


def test_a_quote_is_found_by_its_words_and_by_its_speakers_name(store):
    by_words = find(store, "closer month", kinds=["quote"])
    assert refs(by_words) == {("quote", str(store.ids["quote"]))}
    by_speaker = find(store, "okafor", kinds=["quote"])
    hit = by_speaker.hits[0]
    assert hit["field"] == "speaker" and hit["speaker_name"] == "Amara Okafor"
    assert hit["doc"] == store.oslo_doc and hit["start"] < hit["end"]


def test_every_word_must_match_and_a_phrase_keeps_its_order(store):
    assert refs(find(store, "Norway Finland", kinds=["document"])) == {("document", list(store.texts)[2])}
    assert find(store, '"held talks"').total == 1
    assert find(store, '"talks held"').total == 0


def test_case_accents_and_prefixes(store):
    assert find(store, "NORWAY").total == find(store, "norway").total > 0
    assert find(store, "Nörway").total == find(store, "norway").total
    assert find(store, "accus*").total == 1
    assert find(store, "accus").total == 0


def test_kinds_limit_and_offset_page_through_the_same_hits(store):
    everything = find(store, "oslo", limit=100)
    assert {h["kind"] for h in everything.hits} == {"document"}  # no quote says Oslo
    pages = [find(store, "oslo", limit=1, offset=i) for i in range(everything.total)]
    assert all(p.total == everything.total for p in pages)
    assert [p.hits[0]["id"] for p in pages] == [h["id"] for h in everything.hits]
    assert find(store, "oslo", kinds=["quote"]).total == 0
    assert find(store, "oslo", kinds=["nonsense"]).total == 0


@pytest.mark.parametrize("query", ['"', "AND (", "NEAR(a b", "*", "^x", "title:x", "-", "a OR", "'; DROP TABLE documents; --",
                                   '"unclosed phrase', "\\", "%", "_", "\x00", "😀", " " * 3])
def test_syntax_typed_by_a_user_is_searched_for_as_words_never_parsed(store, query):
    find(store, query)
    with store.engine.connect() as conn:
        assert conn.execute(select(func.count()).select_from(documents)).scalar_one() == 4


def test_operators_are_plain_words():
    assert [t.words for t in parse_query('AND ( "truce plan" OR x*')] == [["truce", "plan"], ["AND"], ["OR"], ["x"]]
    assert parse_query('x*')[0].prefix and not parse_query('"x*"')[0].prefix
    assert parse_query('" ( ) : ^') == []


@given(st.text(max_size=40))
@settings(max_examples=80, deadline=None)
def test_no_query_raises(query):
    from detente.store.database import open_engine

    engine = open_engine(":memory:")
    refresh_search_index(engine)
    with engine.connect() as conn:
        assert search(conn, query).total == 0


def test_markup_in_a_document_is_returned_as_plain_text(store):
    hit = find(store, "reader sent").hits[0]
    assert hit["id"] == store.hostile_doc
    assert SCRIPT in hit["snippet"] and SCRIPT in hit["title"]


def test_refreshing_twice_gives_the_same_index(store):
    before = find(store, "truce", limit=100)
    refresh_search_index(store.engine)
    refresh_search_index(store.engine)
    after = find(store, "truce", limit=100)
    assert [h["id"] for h in after.hits] == [h["id"] for h in before.hits]
    with store.engine.connect() as conn:
        keys = conn.execute(text("SELECT count(*) FROM search_keys")).scalar_one()
        rows = conn.execute(select(func.count()).select_from(documents)).scalar_one() + conn.execute(
            select(func.count()).select_from(quotes)).scalar_one()
    assert keys == rows


def test_a_store_changed_since_indexing_is_searched_without_the_index_until_refreshed(store):
    with store.engine.begin() as conn:
        conn.execute(insert(documents).values(
            id="9f9f9f9f9f9f9f9f", content_hash="new", text="A ceasefire in Bergen was announced.", removed=[],
            reader="text", ingested_at="2020-01-02", published="2013-11-01", title="Bergen"))
        assert not index_is_fresh(conn)
    stale = find(store, "ceasefire")
    assert stale.engine == "like" and refs(stale) == {("document", "9f9f9f9f9f9f9f9f")}
    assert stale.hits[0]["matches"]
    assert ensure_search_index(store.engine) is True
    assert ensure_search_index(store.engine) is False  # already fresh: nothing to do
    fresh = find(store, "ceasefire")
    assert fresh.engine == "fts5" and refs(fresh) == refs(stale)


def test_extraction_with_nothing_to_do_still_leaves_a_usable_index(engine):
    from detente.nlp.extract import extract_store
    from detente.nlp.actors.registry import ActorRegistry

    store = WebStore(engine)
    with engine.begin() as conn:
        conn.execute(text("DROP TABLE search_index"))
        conn.execute(text("DROP TABLE search_keys"))
    with engine.connect() as conn:
        assert not index_is_fresh(conn)
    # Mark every document done by this extractor version, so no model is loaded.
    from detente.nlp.extract import EXTRACTOR, EXTRACTOR_VERSION
    from detente.store.extraction import mark_extracted

    with engine.begin() as conn:
        for doc in store.texts:
            mark_extracted(conn, doc, EXTRACTOR, EXTRACTOR_VERSION)
    extract_store(engine, ActorRegistry.load(None))
    assert find(store, "truce").engine == "fts5"


def test_folding_keeps_offsets():
    original = "Genève, Ærø and İstanbul"
    assert len(fold_text(original)) == len(original)
    assert fold_text(original).startswith("geneve")
