"""The ingest job as a user runs it: folders, JSONL, stdin, bad files, re-runs."""

from __future__ import annotations

import io
import json

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from detente.ingest.pipeline import ingest
from detente.store.documents import list_documents, list_errors
from detente.store.database import open_engine

from conftest import ARTICLE


def test_folder_is_read_recursively_and_cleaned(engine, corpus):
    report = ingest(engine, [str(corpus)])
    assert report.added == 2 and not report.errors
    docs = {d["title"]: d for d in list_documents(engine)}
    talks = docs["Envoy opens a new round of talks on the Syrian truce"]
    assert talks["outlet"] == "Harbour Post"
    assert talks["published"] == "2016-03-14"
    assert talks["author"] == "Mara Lindqvist"


def test_clean_text_keeps_paragraphs_and_drops_web_mess(engine, corpus):
    ingest(engine, [str(corpus)])
    from detente.store.documents import find_document

    doc = next(find_document(engine, d["id"]) for d in list_documents(engine) if d["outlet"] == "Harbour Post")
    for mess in ("Skip to main content", "Advertisement", "Sign up for our daily newsletter", "All rights reserved"):
        assert mess not in doc["text"]
        assert any(mess in line for line in doc["removed"])
    for paragraph in ARTICLE.split("\n\n")[3:]:
        if paragraph.startswith(("The UN", '"Nobody', "The government")):
            assert paragraph.strip() in doc["text"]


def test_reingesting_is_idempotent(engine, corpus):
    first = ingest(engine, [str(corpus)])
    second = ingest(engine, [str(corpus)])
    assert first.added == 2
    assert second.added == 0 and second.already_stored == 2
    assert len(list_documents(engine)) == 2


def test_rewrite_is_linked_to_its_original(engine, corpus):
    ingest(engine, [str(corpus)])
    docs = {d["outlet"]: d for d in list_documents(engine)}
    rewrite, original = docs["Northern Courier"], docs["Harbour Post"]
    assert rewrite["relation"] == "rewrite"
    assert rewrite["duplicate_of"] == original["id"]
    assert original["duplicate_of"] is None
    assert 0 < rewrite["similarity"] < 1


def test_same_article_under_other_web_mess_is_one_document(engine, tmp_path):
    (tmp_path / "a.txt").write_text(ARTICLE, encoding="utf-8")
    (tmp_path / "b.txt").write_text("Read and post comments\n\n" + ARTICLE + "\nShare this article\n", encoding="utf-8")
    report = ingest(engine, [str(tmp_path)])
    assert report.added == 1 and report.already_stored == 1


def test_bad_inputs_are_reported_and_the_batch_goes_on(engine, tmp_path):
    (tmp_path / "good.txt").write_text(ARTICLE, encoding="utf-8")
    (tmp_path / "empty.txt").write_text("", encoding="utf-8")
    (tmp_path / "image.png").write_bytes(b"\x89PNG\r\n\x1a\n" + bytes(range(256)) * 10)
    (tmp_path / "nul.txt").write_bytes(b"abc\x00\x01\x02" * 100)
    (tmp_path / "huge.txt").write_text("word " * 300_000, encoding="utf-8")
    (tmp_path / "broken.jsonl").write_text('{"text": "fine"\n[1, 2]\n{"title": "no text"}\n', encoding="utf-8")
    report = ingest(engine, [str(tmp_path), str(tmp_path / "missing.txt")], max_bytes=1_000_000)
    assert report.added == 1
    reasons = {e.uri.rsplit("/", 1)[-1]: e.reason for e in report.errors}
    assert "empty" in reasons["empty.txt"]
    assert "PNG" in reasons["image.png"]
    assert "binary" in reasons["nul.txt"]
    assert "too large" in reasons["huge.txt"] and "--max-bytes" in reasons["huge.txt"]
    assert "no such file" in reasons["missing.txt"]
    assert sum(1 for uri in reasons if uri.startswith("broken.jsonl#")) == 3
    assert len(list_errors(engine)) == len(report.errors)


def test_non_utf8_text_is_decoded(engine, tmp_path):
    text = ARTICLE.replace("Palais des Nations", "Palais des Nations à Genève")
    (tmp_path / "latin1.txt").write_bytes(text.encode("cp1252"))
    ingest(engine, [str(tmp_path)])
    (doc,) = list_documents(engine)
    from detente.store.documents import find_document

    assert "à Genève" in find_document(engine, doc["id"])["text"]


def test_jsonl_fields_win_over_text_heuristics(engine, tmp_path):
    record = {
        "text": ARTICLE, "title": "Given title", "published": "2016-03-15T08:00:00Z",
        "url": "https://example.org/truce", "outlet": "Example Wire", "author": "A. Writer",
    }
    path = tmp_path / "feed.jsonl"
    path.write_text(json.dumps(record) + "\n", encoding="utf-8")
    ingest(engine, [str(path)])
    (doc,) = list_documents(engine)
    assert (doc["title"], doc["published"], doc["outlet"], doc["author"], doc["uri"]) == (
        "Given title", "2016-03-15", "Example Wire", "A. Writer", "https://example.org/truce",
    )


def test_stdin_plain_text_and_jsonl(engine):
    ingest(engine, ["-"], stdin=io.BytesIO(ARTICLE.encode()))
    lines = json.dumps({"text": "The mediator flew to Vienna on Friday for a second day of meetings with the delegations."})
    report = ingest(engine, ["-"], stdin=io.BytesIO(lines.encode()))
    assert report.added == 1
    assert len(list_documents(engine)) == 2


def test_html_page_gives_article_text_and_metadata(engine, tmp_path):
    page = """<html><head><title>Truce holds | Harbour Post</title>
    <meta property="article:published_time" content="2016-03-01T09:00:00Z">
    <meta property="og:site_name" content="Harbour Post"><script>track();</script></head>
    <body><nav><a href="/">Home</a> | <a href="/world">World</a></nav><article><h1>Truce holds for a third day</h1>
    <p>The partial truce brokered by Washington and Moscow held for a third day across most of western Syria, monitors said.
    <p>Aid agencies said trucks had reached two towns that had been cut off since the summer, and more were waiting at the crossing.
    <div><p>Both sponsors of the truce said violations were being investigated by a joint task force in Geneva.</div>
    </article><footer>© 2016 Harbour Post</footer></body>"""
    (tmp_path / "page.html").write_text(page, encoding="utf-8")
    ingest(engine, [str(tmp_path)])
    (doc,) = list_documents(engine)
    assert doc["title"] == "Truce holds for a third day"
    assert doc["published"] == "2016-03-01"
    assert doc["outlet"] == "Harbour Post"


def test_interrupted_run_keeps_committed_documents(tmp_path, corpus, monkeypatch):
    from detente.ingest import pipeline

    db = str(tmp_path / "store.db")
    calls = {"n": 0}
    real = pipeline._prepare

    def failing(item, repeated):
        calls["n"] += 1
        if calls["n"] == 2:
            raise KeyboardInterrupt
        return real(item, repeated)

    monkeypatch.setattr(pipeline, "BATCH_SIZE", 1)
    monkeypatch.setattr(pipeline, "_prepare", failing)
    try:  # in this process: a worker process would count the calls on its own copy of `calls`
        ingest(open_engine(db), [str(corpus)], processes=1)
    except KeyboardInterrupt:
        pass
    assert len(list_documents(open_engine(db))) == 1
    monkeypatch.setattr(pipeline, "_prepare", real)
    report = ingest(open_engine(db), [str(corpus)])
    assert (report.added, report.already_stored) == (1, 1)


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(st.binary(max_size=2000))
def test_arbitrary_bytes_never_crash_the_batch(tmp_path, data):
    engine = open_engine(":memory:")
    path = tmp_path / "input.txt"
    path.write_bytes(data)
    report = ingest(engine, [str(path)])
    assert report.added + len(report.errors) + report.already_stored == 1


def test_line_an_outlet_repeats_under_its_articles_is_removed(engine, tmp_path):
    slogan = "Harbour Post: independent reporting from the eastern Mediterranean"
    first = ARTICLE.replace("Sign up for our daily newsletter", slogan)
    second = (
        "Harbour Post\n\nDelegations leave Geneva without a date for the next round\n\n"
        "The two delegations left Geneva on Friday without agreeing when to meet again, and the envoy said he would consult the sponsors first.\n\n"
        f"{slogan}\n\n© 2016 Harbour Post. All rights reserved.\n"
    )
    (tmp_path / "one.txt").write_text(first, encoding="utf-8")
    (tmp_path / "two.txt").write_text(second, encoding="utf-8")
    ingest(engine, [str(tmp_path)])
    from detente.store.documents import find_document

    for listed in list_documents(engine):
        doc = find_document(engine, listed["id"])
        assert slogan not in doc["text"] and slogan in doc["removed"]


def test_line_counts_stay_bounded_and_keep_frequent_lines():
    from detente.ingest.repeats import OutletLineCounts

    counts = OutletLineCounts(capacity=50)
    for number in range(500):
        counts.add("Wire", {"Menu | News | Sport", f"unique paragraph number {number}"})
    repeated = counts.repeated("Wire")
    assert "Menu | News | Sport" in repeated
    assert len(repeated) <= 50
    assert "unique paragraph number 7" not in repeated


def test_lightly_edited_repost_found_in_a_later_run_is_a_copy(engine, tmp_path):
    (tmp_path / "first").mkdir()
    (tmp_path / "first" / "a.txt").write_text(ARTICLE, encoding="utf-8")
    ingest(engine, [str(tmp_path / "first")])
    repost = ARTICLE.replace("several besieged towns", "a number of besieged towns").replace("© 2016 Harbour Post", "© 2016 Harbour Post Online")
    (tmp_path / "later").mkdir()
    (tmp_path / "later" / "b.txt").write_text(repost, encoding="utf-8")
    report = ingest(engine, [str(tmp_path / "later")])
    assert report.added == 1 and [relation for *_, relation in report.duplicates] == ["copy"]
    copy = next(d for d in list_documents(engine) if d["relation"])
    assert copy["similarity"] >= 0.8
