"""Hostile and unlucky inputs (issue 15): each is skipped or repaired with a clear message, and the
good documents of its batch are stored."""

from __future__ import annotations

import json
import os
import tempfile
import threading
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from detente.ingest.decode import decode_bytes
from detente.ingest.pipeline import ingest
from detente.store.database import open_engine
from detente.store.documents import find_document, list_documents, list_errors

from conftest import ARTICLE, REWRITE

HEADLINE = "和平案を拒否"  # short: statistical detection alone calls it Korean
JAPANESE = "ジュネーブで和平協議が再開された。特使は月曜日に、停戦の延長を提案したと述べた。"


def _texts(engine) -> list[str]:
    return [find_document(engine, d["id"])["text"] for d in list_documents(engine)]


def test_lone_surrogate_in_a_jsonl_line_is_replaced_and_the_batch_is_stored(engine, tmp_path):
    good = {"text": ARTICLE, "outlet": "Harbour Post"}
    bad_text = {"text": REWRITE.replace("cautious note", "cautious note \ud800"), "url": "https://example.org/a"}
    bad_title = {"text": REWRITE.replace("Northern Courier", "Levant Ledger"), "title": "Talks \ud800 resume"}
    lines = [json.dumps(record) for record in (good, bad_text, bad_title)]  # json escapes the surrogate: \\ud800
    (tmp_path / "feed.jsonl").write_text("\n".join(lines) + "\n", encoding="utf-8")
    (tmp_path / "other.txt").write_text(ARTICLE.replace("Monday", "Tuesday"), encoding="utf-8")
    report = ingest(engine, [str(tmp_path)])
    assert report.errors == []
    assert report.read == 4
    stored = list_documents(engine)
    assert any(d["title"] == "Talks \ufffd resume" for d in stored)
    assert any("cautious note \ufffd" in text for text in _texts(engine))


@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="named pipes need a POSIX system")
def test_named_pipe_in_the_folder_is_skipped_without_hanging(engine, tmp_path):
    (tmp_path / "a.txt").write_text(ARTICLE, encoding="utf-8")
    os.mkfifo(tmp_path / "b.txt")
    (tmp_path / "c.txt").write_text(REWRITE, encoding="utf-8")
    done: dict = {}
    worker = threading.Thread(target=lambda: done.update(report=ingest(engine, [str(tmp_path)])), daemon=True)
    worker.start()
    worker.join(timeout=60)
    if worker.is_alive():  # release the reader blocked on the pipe before failing
        os.close(os.open(tmp_path / "b.txt", os.O_WRONLY | os.O_NONBLOCK))
        pytest.fail("ingest blocked on a named pipe")
    report = done["report"]
    assert report.added == 2
    (error,) = report.errors
    assert error.uri.endswith("b.txt") and "named pipe" in error.reason


def test_symlink_loop_named_on_the_command_line_is_explained(engine, tmp_path):
    loop = tmp_path / "loop.txt"
    loop.symlink_to(loop)
    (tmp_path / "good.txt").write_text(ARTICLE, encoding="utf-8")
    report = ingest(engine, [str(loop), str(tmp_path / "good.txt")])
    assert report.added == 1
    (error,) = report.errors
    assert "loop of symbolic links" in error.reason and "no such file" not in error.reason


@pytest.mark.parametrize("codec", ["utf-16", "utf-16-le", "utf-16-be"])
def test_utf16_with_or_without_byte_order_mark_is_read(engine, tmp_path, codec):
    (tmp_path / "report.txt").write_bytes(ARTICLE.encode(codec))
    report = ingest(engine, [str(tmp_path)])
    assert report.added == 1, report.errors
    assert "proximity talks in Geneva" in _texts(engine)[0]


@pytest.mark.parametrize("text", [HEADLINE, JAPANESE])
def test_shift_jis_is_read_as_japanese_not_korean(text):
    assert decode_bytes(text.encode("shift_jis")) == text


def test_korean_stays_korean():
    korean = "제네바에서 평화 회담이 재개되었다. 특사는 월요일에 휴전 연장을 제안했다고 말했다."
    assert decode_bytes(korean.encode("euc_kr")) == korean


def test_html_nested_deeper_than_the_parser_default_still_gives_its_text(engine, tmp_path):
    paragraphs = "".join(f"<p>{p}</p>" for p in ARTICLE.split("\n\n")[3:6])
    page = f"<html><head><title>Talks</title></head><body><article>{'<div>' * 300}{paragraphs}{'</div>' * 300}</article></body></html>"
    (tmp_path / "deep.html").write_text(page, encoding="utf-8")
    report = ingest(engine, [str(tmp_path)])
    assert report.added == 1, report.errors
    assert "proximity talks in Geneva" in _texts(engine)[0]


def test_rerunning_a_folder_does_not_repeat_its_errors(engine, tmp_path):
    (tmp_path / "good.txt").write_text(ARTICLE, encoding="utf-8")
    (tmp_path / "empty.txt").write_text("", encoding="utf-8")
    (tmp_path / "broken.jsonl").write_text("[1, 2]\n", encoding="utf-8")
    for _ in range(3):
        ingest(engine, [str(tmp_path)])
    assert sorted(e["source"].rsplit("/", 1)[-1] for e in list_errors(engine)) == ["broken.jsonl#1", "empty.txt"]


def test_an_input_fixed_since_the_last_run_loses_its_error(engine, tmp_path):
    (tmp_path / "later.txt").write_text("", encoding="utf-8")
    ingest(engine, [str(tmp_path)])
    (tmp_path / "later.txt").write_text(ARTICLE, encoding="utf-8")
    report = ingest(engine, [str(tmp_path)])
    assert report.added == 1
    assert list_errors(engine) == []


# ---------------------------------------------------------------- property-based

TEXT_CODECS = ["utf-8", "utf-8-sig", "utf-16", "utf-16-le", "cp1252", "latin-1", "shift_jis", "euc_kr", "gb18030"]
ODD_CHARACTERS = st.text(
    alphabet=st.characters(exclude_categories=()), max_size=300
)  # any code point: controls, lone surrogates, combining marks, right-to-left, private use
MARKUP = st.lists(
    st.sampled_from(["<div>", "</div>", "<p>", "</p>", "<script>", "</script>", "<!--", "-->", "<![CDATA[", "<br/>",
                     "&amp;", "&#0;", "&#xD800;", "<html>", "<body>", "<article>", "<", ">", "\"", "'", "\x00"])
    | st.text(max_size=20),
    max_size=60,
).map("".join)


def _ingest_beside_a_good_document(tmp_path, name: str, payload: bytes):
    """One hostile input next to a good one: the good one is stored, the hostile one accounted for."""
    folder = Path(tempfile.mkdtemp(dir=tmp_path))  # Hypothesis runs many examples in one tmp_path
    (folder / "a-good.txt").write_text(ARTICLE, encoding="utf-8")
    (folder / name).write_bytes(payload)
    engine = open_engine(":memory:")
    report = ingest(engine, [str(folder)], processes=1)
    assert report.added + report.already_stored + len(report.errors) == 2
    assert any("proximity talks in Geneva" in text for text in _texts(engine))


FUZZ = settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])


@FUZZ
@given(text=ODD_CHARACTERS, codec=st.sampled_from(TEXT_CODECS))
def test_odd_unicode_in_any_encoding_never_costs_the_good_document(tmp_path, text, codec):
    _ingest_beside_a_good_document(tmp_path, "odd.txt", text.encode(codec, errors="surrogatepass" if codec.startswith("utf-8") else "replace"))


@FUZZ
@given(markup=MARKUP)
def test_broken_markup_never_costs_the_good_document(tmp_path, markup):
    _ingest_beside_a_good_document(tmp_path, "page.html", markup.encode("utf-8", errors="surrogatepass"))


@FUZZ
@given(record=st.dictionaries(st.sampled_from(["text", "title", "published", "url", "outlet", "author"]),
                              ODD_CHARACTERS | st.integers() | st.none() | st.lists(st.integers(), max_size=3)))
def test_odd_jsonl_records_never_cost_the_good_document(tmp_path, record):
    line = json.dumps(record)  # lone surrogates are written as \ud800 escapes, as other tools do
    _ingest_beside_a_good_document(tmp_path, "feed.jsonl", line.encode("utf-8") + b"\n")
