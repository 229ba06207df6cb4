"""Extraction on hostile input: the ends of the calendar, texts over the parser's limit, random text.

Whatever the text and the publication date, extraction must finish, and every
record's offsets must point into the text it came from.
"""

from __future__ import annotations

import random
import re
from datetime import date

import pytest
from sqlalchemy import select
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from detente.ingest.pipeline import ingest
from detente.nlp import chunks
from detente.nlp.actors.registry import ActorRegistry
from detente.nlp.dates.calendar import shift_days, shift_days_clamped, week_of, year_value
from detente.nlp.extract import extract_doc, extract_store, text_records
from detente.store.documents import find_document, list_documents
from detente.store.schema import mentions, quotes

from conftest import EXAMPLES

RELATIVE = (
    "The envoy said on Monday that talks would resume next week. A week earlier the two sides had met, "
    "and yesterday they spoke again. Last winter and two years ago they had refused; next month, next year "
    "and later this week are possible, he said, as is the weekend. Three days later a truce began."
)
DATE_VALUE = re.compile(r"^\d{4}(-\d{2}(-\d{2})?)?(/\d{4}(-\d{2}(-\d{2})?)?)?$")
SPAN_RECORDS = ("mention", "date", "quote", "event", "stance", "claim")


def assert_sound(text: str, records: list[dict]) -> None:
    """Offsets inside the text, start before end, and dates that are real calendar values."""
    for record in records:
        if record["record"] in SPAN_RECORDS:
            assert 0 <= record["start"] <= record["end"] <= len(text), record
        if record["record"] == "affiliation":  # its start and end are the dates of the role; its span is text
            assert 0 <= record["span_start"] <= record["span_end"] <= len(text), record
        if record["record"] == "date":
            assert DATE_VALUE.match(record["value"]), record
            for part in record["value"].split("/"):
                if len(part) == 10:
                    date.fromisoformat(part)
                assert part[:4] != "0000", record


@pytest.fixture(scope="module")
def registry():
    return ActorRegistry.load(EXAMPLES / "actors.yaml")


@pytest.fixture(scope="module")
def relative_doc(nlp):
    return nlp(RELATIVE)


# --------------------------------------------------------------------------- the calendar's ends


@pytest.mark.parametrize("published", ["0001-01-01", "0001-01-03", "9999-12-31", "9999-12-27"])
def test_relative_dates_at_the_ends_of_the_calendar(relative_doc, registry, published):
    records = text_records(extract_doc(relative_doc, registry, published))
    assert_sound(RELATIVE, records)
    values = [r["value"] for r in records if r["record"] == "date"]
    assert values, "the dates the calendar can hold are still found"


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(published=st.dates())
def test_any_publication_date_extracts(relative_doc, registry, published):
    assert_sound(RELATIVE, text_records(extract_doc(relative_doc, registry, published.isoformat())))


def test_calendar_arithmetic_says_none_past_its_ends():
    assert shift_days(date(1, 1, 1), -1) is None
    assert shift_days(date(9999, 12, 31), 1) is None
    assert shift_days(date(2015, 1, 14), -7) == date(2015, 1, 7)
    assert shift_days_clamped(date(1, 1, 3), -7) == date(1, 1, 1)
    assert week_of(date(1, 1, 1), -1) is None and week_of(date(2015, 1, 14)) == (date(2015, 1, 12), date(2015, 1, 18))
    assert year_value(0) is None and year_value(10000) is None and year_value(1) == "0001"


# --------------------------------------------------------------------------- texts over the parser's limit


PARAGRAPH = 'Iran and Russia met in Geneva on Monday. "We will return," the envoy said. Turkey rejected the plan.\n\n'


def test_split_text_rejoins_exactly_and_prefers_paragraph_breaks():
    text = "Headline\n\n" + PARAGRAPH * 30 + "word " * 400
    pieces = chunks.split_text(text, 1000)
    assert "".join(pieces) == text
    assert all(len(p) <= 1000 for p in pieces)
    assert all(p.endswith("\n\n") for p in pieces[:2]), "cuts fall after blank lines where there are any"
    assert all(p.endswith(" ") for p in pieces[-3:-1]), "else after a space, never inside a word"


def numbered_paragraph(n: int) -> str:
    """A paragraph unlike the others in its words, so ingest keeps it (lines alike are boilerplate to ingest)."""
    rng = random.Random(n)
    words = lambda k: " ".join("".join(rng.choice(SYLLABLES) for _ in range(rng.randint(2, 3))) for _ in range(k))
    return (f'Iran and Russia met in Geneva on Monday to discuss the {words(3)}. "We will return to the {words(2)} '
            f'in round {n}," the envoy said. Turkey rejected the {words(4)}.\n\n')


SYLLABLES = ["ka", "lo", "mir", "sa", "den", "vi", "ra", "tor", "mu", "el", "zan", "qu", "bri", "on", "ta", "ges"]


def test_document_over_the_parser_limit_is_extracted_with_offsets_into_the_whole_text(
    nlp, engine, tmp_path, registry, monkeypatch
):
    """A small limit stands in for spaCy's 1,000,000 characters, so the test stays fast."""
    monkeypatch.setattr(nlp, "max_length", 2000)
    folder = tmp_path / "long"
    folder.mkdir()
    (folder / "long.txt").write_text("Talks in Geneva\n\n" + "".join(numbered_paragraph(n) for n in range(60)), encoding="utf-8")
    (folder / "short.txt").write_text("Short report\n\n" + numbered_paragraph(99), encoding="utf-8")
    ingest(engine, [str(folder)])
    assert extract_store(engine, registry).documents == 2
    whole = max((find_document(engine, d["id"])["text"] for d in list_documents(engine)), key=len)
    assert len(whole) > 5 * nlp.max_length
    with engine.connect() as conn:
        found = conn.execute(select(mentions.c.text, mentions.c.start, mentions.c.end)).all()
        said = conn.execute(select(quotes.c.content, quotes.c.start, quotes.c.end)).all()
    late = [m for m in found if m.start > 4 * nlp.max_length]
    assert late, "mentions are found past the first chunks"
    assert all(whole[m.start:m.end] == m.text for m in late)
    assert any("round 59" in q.content for q in said), "the last chunk's quotes are found"


# --------------------------------------------------------------------------- random text


QUOTES = "\"'“”‘’«»„‹›「」"
WORDS = ["Iran", "Russia", "said", "met", "in", "Geneva", "on", "Monday", "talks", "the", "envoy", "and", ",", ".", "\n\n"]
texts = st.one_of(
    st.text(max_size=300),
    st.lists(st.sampled_from(WORDS + list(QUOTES)), max_size=120).map(" ".join),
    st.text(alphabet=st.sampled_from(QUOTES + "ab .\n"), max_size=200),
)


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(text=texts, published=st.one_of(st.none(), st.dates().map(date.isoformat)))
def test_random_text_never_crashes_and_offsets_stay_inside(nlp, registry, text, published):
    assert_sound(text, text_records(extract_doc(nlp(text), registry, published)))


@settings(max_examples=5, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(clauses=st.lists(st.sampled_from(["Iran met Russia in Geneva on Monday", "Turkey said", "the envoy warned"]),
                        min_size=50, max_size=150))
def test_very_long_sentences_extract(nlp, registry, clauses):
    text = ", and ".join(clauses) + "."
    assert_sound(text, text_records(extract_doc(nlp(text), registry, "2015-01-14")))


# --------------------------------------------------------------------------- linear in the sentence


def python_calls(function, *args) -> int:
    """Function calls made while `function` runs (spaCy's Token and Doc accessors included): a count of
    work that, unlike a wall-clock time, does not depend on what else the machine is doing."""
    import cProfile
    import pstats

    profile = cProfile.Profile()
    profile.runcall(function, *args)
    return pstats.Stats(profile).total_calls


def run_on_clauses(count: int) -> str:
    names, places = ("Iran", "Russia", "Turkey", "France", "Qatar", "Jordan"), ("Geneva", "Vienna", "Sochi")
    return ", ".join(f"{names[i % 6]} met {names[(i + 1) % 6]} in {places[i % 3]} on Monday" for i in range(count)) + "."


@pytest.mark.parametrize("make, size", [
    (lambda n: " ".join(["rejected"] * n) + ".", 300),  # one verb repeated: one head with hundreds of children
    (run_on_clauses, 60),  # "X met Y in Z on Monday, …": every clause's subtree reaches the sentence's end
])
def test_twice_as_long_a_sentence_costs_about_twice_the_work(nlp, registry, make, size):
    short, long = nlp(make(size)), nlp(make(2 * size))
    extract_doc(short, registry, "2015-01-14")  # data files and per-document tables loaded before counting
    short_calls = python_calls(extract_doc, nlp(make(size)), registry, "2015-01-14")
    long_calls = python_calls(extract_doc, long, registry, "2015-01-14")
    assert long_calls <= 2.3 * short_calls, f"{long_calls / short_calls:.2f}x the calls for 2x the sentence"
