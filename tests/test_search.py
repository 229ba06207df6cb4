"""Full-text search over documents and quotes: what a user types finds what they mean, and nothing they
type can break the query or the store."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from sqlalchemy import delete, func, insert, select, text, update
from web_store import SCRIPT, WebStore

from detente.store.database import open_engine
from detente.store.schema import documents, quotes
from detente.store.search import fold_text, parse_query, search

ENGINE = {"sqlite": "fts5", "postgresql": "tsvector"}


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
    assert results.engine == ENGINE[store.engine.dialect.name]
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
    engine = open_engine(":memory:")
    with engine.connect() as conn:
        assert search(conn, query).total == 0


def test_markup_in_a_document_is_returned_as_plain_text(store):
    hit = find(store, "reader sent").hits[0]
    assert hit["id"] == store.hostile_doc
    assert SCRIPT in hit["snippet"] and SCRIPT in hit["title"]


def test_the_index_follows_every_insert_update_and_delete_with_no_rebuild(store):
    """Incremental by construction: the database updates the index as rows change; nothing refreshes it."""
    new = "9f9f9f9f9f9f9f9f"
    with store.engine.begin() as conn:
        conn.execute(insert(documents).values(
            id=new, content_hash="new", text="A ceasefire in Bergen was announced.", removed=[],
            reader="text", ingested_at="2020-01-02", published="2013-11-01", title="Bergen"))
    assert refs(find(store, "ceasefire")) == {("document", new)}
    with store.engine.begin() as conn:
        conn.execute(update(documents).where(documents.c.id == new).values(title="Stavanger", text="An armistice."))
    assert find(store, "ceasefire").total == find(store, "bergen").total == 0
    assert refs(find(store, "stavanger armistice")) == {("document", new)}
    with store.engine.begin() as conn:
        conn.execute(update(quotes).where(quotes.c.id == store.ids["quote"]).values(content="A fjord of hope"))
    assert refs(find(store, "fjord", kinds=["quote"])) == {("quote", str(store.ids["quote"]))}
    assert find(store, "closer month", kinds=["quote"]).total == 0
    with store.engine.begin() as conn:
        conn.execute(delete(documents).where(documents.c.id.in_([new, store.oslo_doc])))  # its quote goes with it
    assert find(store, "armistice").total == find(store, "fjord").total == 0
    assert ("document", store.oslo_doc) not in refs(find(store, "truce", limit=100))
    if store.engine.dialect.name == "sqlite":
        with store.engine.begin() as conn:  # FTS5 checks its index against the content tables
            for fts in ("documents_fts", "quotes_fts"):
                conn.execute(text(f"INSERT INTO {fts} ({fts}, rank) VALUES ('integrity-check', 1)"))


def test_datasette_finds_the_index_and_its_search_returns_only_matching_rows(tmp_path):
    """What Datasette (and sqlite-utils) do with a table: find its FTS table, then search through it."""
    engine = open_engine(str(tmp_path / "datasette.db"))
    store = WebStore(engine)
    with engine.connect() as conn:
        # Datasette's detect_fts: an FTS virtual table whose content= names the table.
        found = conn.execute(text(
            "SELECT name FROM sqlite_master WHERE rootpage = 0 AND sql LIKE '%VIRTUAL TABLE%USING FTS%content=\"documents\"%'"
        )).scalars().all()
        assert found == ["documents_fts"]
        rows = conn.execute(text(
            "SELECT documents.id, documents.title FROM documents_fts JOIN documents ON documents.rowid = documents_fts.rowid"
            " WHERE documents_fts MATCH :q ORDER BY documents_fts.rank"), {"q": "finland"}).all()
        table_search = conn.execute(text(
            "SELECT id FROM documents WHERE rowid IN (SELECT rowid FROM documents_fts WHERE documents_fts MATCH :q)"),
            {"q": "finland"}).scalars().all()
        said = conn.execute(text(
            "SELECT quotes.id FROM quotes_fts JOIN quotes ON quotes.id = quotes_fts.rowid WHERE quotes_fts MATCH :q"),
            {"q": "closer"}).scalars().all()
        every = conn.execute(select(func.count()).select_from(documents)).scalar_one()
    with_finland = {doc for doc, body in store.texts.items() if "Finland" in body}
    assert {row.id for row in rows} == set(table_search) == with_finland
    assert 0 < len(with_finland) < every
    assert said == [store.ids["quote"]]


def test_a_store_with_the_old_rebuilt_index_gets_the_new_one_filled_when_opened(tmp_path):
    path = str(tmp_path / "old.db")
    store = WebStore(open_engine(path))
    with store.engine.begin() as conn:  # what detente before this index left in a store
        for name in ("documents_fts", "quotes_fts"):
            conn.execute(text(f"DROP TABLE {name}"))
        for trigger in ("documents_ai", "documents_ad", "documents_au", "quotes_ai", "quotes_ad", "quotes_au"):
            conn.execute(text(f"DROP TRIGGER {trigger}"))
        conn.execute(text("CREATE VIRTUAL TABLE search_index USING fts5(title, body, content='')"))
        conn.execute(text("CREATE TABLE search_keys (key INTEGER PRIMARY KEY, kind TEXT, ref TEXT)"))
        conn.execute(text("INSERT INTO schema_info (key, value) VALUES ('search_index', '4/x')"))
    store.engine.dispose()
    reopened = open_engine(path)
    with reopened.connect() as conn:
        tables = set(conn.execute(text("SELECT name FROM sqlite_master WHERE type = 'table'")).scalars())
        assert {"documents_fts", "quotes_fts"} <= tables and not {"search_index", "search_keys"} & tables
        found = search(conn, "truce", limit=100)
        assert found.engine == "fts5"
        assert {h["id"] for h in found.hits} == {doc for doc, body in store.texts.items() if "truce" in body}
    with reopened.begin() as conn:  # and the triggers are back: a new row is found at once
        conn.execute(update(documents).where(documents.c.id == store.oslo_doc).values(title="Reykjavik"))
    with reopened.connect() as conn:
        assert {h["id"] for h in search(conn, "reykjavik").hits} == {store.oslo_doc}


def test_snippets_come_from_the_engine_around_the_matched_words(store):
    """A long text: the snippet is the passage with the words, cut from the field as it is, marks as offsets."""
    filler = " ".join(f"word{i}" for i in range(400))
    body = f"{filler} The Bergen envoy signed the armistice at dawn. {filler}"
    with store.engine.begin() as conn:
        conn.execute(insert(documents).values(
            id="8e8e8e8e8e8e8e8e", content_hash="long", text=body, removed=[], reader="text",
            ingested_at="2020-01-02", published="2013-11-01", title="Long"))
    hit = find(store, "armistice bergen").hits[0]
    assert hit["field"] == "text" and hit["cut_before"] and hit["cut_after"]
    assert body[hit["snippet_start"]:hit["snippet_start"] + len(hit["snippet"])] == hit["snippet"]
    assert len(hit["snippet"]) < 600
    assert sorted(hit["snippet"][s:e].lower() for s, e in hit["matches"]) == ["armistice", "bergen"]


def test_folding_keeps_offsets():
    original = "Genève, Ærø and İstanbul"
    assert len(fold_text(original)) == len(original)
    assert fold_text(original).startswith("geneve")
