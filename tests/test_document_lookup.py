"""Finding a document by id or prefix, as `detente show` and the document pages do."""

from __future__ import annotations

from detente.ingest.pipeline import ingest
from detente.store.documents import find_document, list_documents


def test_a_prefix_finds_its_document_and_wildcards_are_literal(engine, tmp_path):
    (tmp_path / "only.txt").write_text("The envoy met both delegations in Geneva on Monday.\n", encoding="utf-8")
    ingest(engine, [str(tmp_path)])
    (doc,) = list_documents(engine)
    assert find_document(engine, doc["id"][:6])["id"] == doc["id"]
    assert find_document(engine, doc["id"])["id"] == doc["id"]
    # With one document in the store, a wildcard read as LIKE would match it.
    for typed in ("%", "_", "%%", "_" * len(doc["id"]), doc["id"][:3] + "%", "\\", "/"):
        assert find_document(engine, typed) is None, typed
    assert find_document(engine, "") is None
