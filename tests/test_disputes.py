"""Disputes across the store: rebuttals, corrections and contradicting figures.

The store is built by direct inserts (documents, quotes, claims, events), so
these tests depend only on the schema, never on the extractors. Every text is
written for these tests.
"""

from __future__ import annotations

import itertools

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from sqlalchemy import insert, select

from detente.analysis.disputes import (
    EXTRACTOR_TAG,
    find_disputes,
    load_cues,
    quoted_fragments,
    split_sentences,
    write_disputes,
)
from detente.nlp.records import DisputeRecord
from detente.store.claims import claim_rows, dispute_rows
from detente.store.database import open_engine
from detente.store.schema import SCHEMA_VERSION, actors, claims, disputes, documents, events, quotes

_ids = itertools.count(1)

ORIGINAL = """Former mediator's mission to Damascus divides the opposition

With 150,000 dead and the truce collapsing, the former mediator plans to send two advisers to Damascus to broker a final deal between the government and the rebels, the paper has learned.

"The generals laughed at every offer of compromise," the adviser told the paper.

The war has killed more than 150,000 people.

UPDATE: In a letter to the paper, the mediator's office says the story makes a false claim that it will "broker a final deal between the government and the rebels."

The adviser also writes that he was misquoted: he said the army ignored the offers, not that "the generals laughed at every offer of compromise."
"""

REWRITE = """Mediator sends envoys to Damascus

The former mediator is planning to send two advisers to Damascus in a bid to broker a final deal between the regime and opposition forces, according to the paper.
"""

AGREEING = """Review of the mission

He cites the adviser as saying that "the generals laughed at every offer of compromise". That is correct, as far as it goes.
"""


class Store:
    """A store filled row by row, with each statement located by its words."""

    def __init__(self) -> None:
        self.engine = open_engine(":memory:")
        self.texts: dict[str, str] = {}

    def doc(self, doc_id: str, text: str, published: str | None, title: str | None = None,
            outlet: str = "The Paper", duplicate_of: str | None = None) -> str:
        with self.engine.begin() as conn:
            conn.execute(insert(documents).values(
                id=doc_id, content_hash=doc_id, text=text, removed=[], reader="text", ingested_at="2020-01-01",
                published=published, title=title or text.split("\n", 1)[0], outlet=outlet,
                duplicate_of=duplicate_of, relation="rewrite" if duplicate_of else None,
            ))
        self.texts[doc_id] = text
        return doc_id

    def _span(self, doc_id: str, words: str) -> tuple[int, int]:
        start = self.texts[doc_id].index(words)
        return start, start + len(words)

    def quote(self, doc_id: str, words: str, speaker: str | None = None) -> int:
        start, end = self._span(doc_id, words)
        if speaker:
            self.actor(speaker)
        return self._insert(quotes, doc=doc_id, start=start, end=end, content=words, kind="direct",
                            speaker=speaker, extractor="core/1")

    def actor(self, actor_id: str, name: str | None = None) -> None:
        with self.engine.begin() as conn:
            if conn.execute(select(actors.c.id).where(actors.c.id == actor_id)).first() is None:
                conn.execute(insert(actors).values(id=actor_id, name=name or actor_id.title(), kind="person", aliases=[]))

    def claim(self, doc_id: str, words: str, value=None, low=None, high=None, date=None,
              subject="syrian-civil-war", prop="death_toll", unit="people", attributed_to=None, confidence=0.8) -> int:
        start, end = self._span(doc_id, words)
        return self._insert(claims, doc=doc_id, start=start, end=end, subject=subject, property=prop,
                            value=value, low=low, high=high, unit=unit, date=date,
                            attributed_to=attributed_to, extractor="claims/1", confidence=confidence)

    def event(self, doc_id: str, words: str) -> int:
        start, end = self._span(doc_id, words)
        return self._insert(events, doc=doc_id, start=start, end=end, type="AGREE", status="planned",
                            text=words, actors=[], recipients=[], extractor="events/1")

    def _insert(self, table, **values) -> int:
        with self.engine.begin() as conn:
            return conn.execute(insert(table).values(**values)).inserted_primary_key[0]


def pairs(found: list[DisputeRecord]) -> set[tuple]:
    return {(d.a_kind, d.a_id, d.b_kind, d.b_id, d.kind) for d in found}


@pytest.fixture
def carter_like():
    """An article with an appended rebuttal, and a rewrite that copies its lead."""
    store = Store()
    store.doc("orig", ORIGINAL, "2013-07-11")
    ids = {
        "lead": store.event("orig", "plans to send two advisers to Damascus"),
        "lead_toll": store.claim("orig", "150,000 dead", value=150000),
        "generals": store.quote("orig", "The generals laughed at every offer of compromise,", "the-adviser"),
        "toll": store.claim("orig", "more than 150,000 people", low=150000),
        "false": store.quote("orig", 'the story makes a false claim that it will "broker a final deal between the government and the rebels."', "mediator-office"),
        "misquoted": store.quote("orig", "he was misquoted: he said the army ignored the offers", "the-adviser"),
    }
    store.doc("copy", REWRITE, "2013-07-12", duplicate_of="orig")
    ids["copy_lead"] = store.event("copy", "is planning to send two advisers to Damascus")
    return store, ids


# --------------------------------------------------------------------------- rebuttals and corrections


def test_an_appended_rebuttal_is_linked_to_the_sentences_it_quotes(carter_like):
    store, ids = carter_like
    found = pairs(find_disputes(store.engine))
    assert ("event", ids["lead"], "quote", ids["false"], "rebuttal") in found
    assert ("quote", ids["generals"], "quote", ids["misquoted"], "rebuttal") in found


def test_the_rebuttal_reaches_the_rewrite_that_copied_the_sentence(carter_like):
    store, ids = carter_like
    found = {(d.a_kind, d.a_id, d.b_id): d for d in find_disputes(store.engine)}
    copied = found.get(("event", ids["copy_lead"], ids["false"]))
    assert copied is not None and copied.kind == "rebuttal"
    assert copied.confidence < found[("event", ids["lead"], ids["false"])].confidence


def test_statements_the_rebuttal_does_not_quote_are_not_disputed(carter_like):
    store, ids = carter_like
    disputed = {(d.a_kind, d.a_id) for d in find_disputes(store.engine)}
    assert ("claim", ids["toll"]) not in disputed
    assert ("claim", ids["lead_toll"]) not in disputed  # the rebuttal quotes the plan, not the toll beside it
    rebutting = {(d.b_kind, d.b_id) for d in find_disputes(store.engine)}
    assert not rebutting & {("event", ids["lead"]), ("quote", ids["generals"])}


def test_quoting_without_a_cue_is_not_a_rebuttal():
    store = Store()
    store.doc("orig", ORIGINAL.split("UPDATE")[0], "2013-07-11")
    store.quote("orig", "The generals laughed at every offer of compromise,")
    store.doc("review", AGREEING, "2013-07-20")
    store.quote("review", "the generals laughed at every offer of compromise")
    assert find_disputes(store.engine) == []


def test_a_letter_in_another_document_rebuts_the_earlier_report():
    store = Store()
    store.doc("orig", ORIGINAL.split("UPDATE")[0], "2013-07-11")
    lead = store.event("orig", "plans to send two advisers to Damascus")
    letter_text = ("Letter: our office was misrepresented\n\n"
                   'Your report of July 11 claims incorrectly that the former mediator "plans to send two advisers to '
                   'Damascus to broker a final deal". No such trip is planned.\n')
    store.doc("letter", letter_text, "2013-07-15")
    reply = store.quote("letter", "No such trip is planned.", "mediator-office")
    assert ("event", lead, "quote", reply, "rebuttal") in pairs(find_disputes(store.engine))


def test_a_later_report_cannot_be_rebutted_by_an_earlier_letter():
    store = Store()
    store.doc("orig", ORIGINAL.split("UPDATE")[0], "2013-07-11")
    store.event("orig", "plans to send two advisers to Damascus")
    letter_text = ('Letter\n\nIt is false that the former mediator "plans to send two advisers to Damascus to broker a '
                   'final deal". The claim is false.\n')
    store.doc("letter", letter_text, "2013-07-01")
    store.quote("letter", "The claim is false.")
    assert find_disputes(store.engine) == []


def test_a_correction_is_kind_correction():
    store = Store()
    store.doc("first", "Convoy hit near the city\n\nThe convoy carried 13 trucks of flour when it was hit.\n", "2016-09-20")
    wrong = store.claim("first", "13 trucks", value=13, subject="convoy", prop="aid_trucks", unit="trucks")
    text = ("Convoy report corrected\n\nCorrection: A report on Tuesday incorrectly stated that the convoy carried 13 "
            "trucks of flour when it was hit. It carried 31 trucks.\n")
    store.doc("fix", text, "2016-09-21")
    right = store.claim("fix", "31 trucks", value=31, subject="convoy", prop="aid_trucks", unit="trucks")
    found = [d for d in find_disputes(store.engine) if d.b_id == right and d.a_id == wrong and d.kind == "correction"]
    assert found


# --------------------------------------------------------------------------- exchanges within one report

EXCHANGE = """Ministers split over the envoy's plan

The envoy said the talks had collapsed for good. "Nobody is coming back," he said.

The foreign minister offered a very different reading. "The talks go on next week," she said.

The rebels said the army had shelled the market, but the army said its guns had been silent all day.

The mayor said the bridge had reopened, and the governor said traffic was moving again.

The truce is fragile. The spokesman rejected that view. "It will hold," he said.
"""


@pytest.fixture
def exchange():
    store = Store()
    store.doc("x", EXCHANGE, "2016-03-01")
    ids = {
        "collapsed": store.quote("x", "the talks had collapsed for good", "envoy"),
        "nobody": store.quote("x", "Nobody is coming back,", "envoy"),
        "goes_on": store.quote("x", "The talks go on next week,", "minister"),
        "shelled": store.quote("x", "the army had shelled the market", "rebels"),
        "silent": store.quote("x", "its guns had been silent all day", "army"),
        "bridge": store.quote("x", "the bridge had reopened", "mayor"),
        "traffic": store.quote("x", "traffic was moving again", "governor"),
        "hold": store.quote("x", "It will hold,", "spokesman"),
    }
    return store, ids


def test_a_different_reading_answers_the_previous_speaker_from_his_first_words(exchange):
    store, ids = exchange
    assert ("quote", ids["collapsed"], "quote", ids["goes_on"], "contradiction") in pairs(find_disputes(store.engine))


def test_two_sources_set_against_each_other_with_but_contradict(exchange):
    store, ids = exchange
    found = pairs(find_disputes(store.engine))
    assert ("quote", ids["shelled"], "quote", ids["silent"], "contradiction") in found
    assert not any(a == ids["bridge"] or b == ids["bridge"] for _, a, _, b, _ in found)


def test_a_rejection_of_something_never_stored_links_nothing(exchange):
    store, ids = exchange
    assert not any(b == ids["hold"] for _, _, _, b, _ in pairs(find_disputes(store.engine)))


def test_a_rejection_answers_a_reported_view_that_holds_no_stored_row():
    store = Store()
    text = ("Envoy's trip\n\nThe envoy will visit the capital next week. Opposition leaders fear the visit will be "
            "read as a blessing of the regime. The envoy rejected that reading. \"I carry no one's message,\" he said.\n")
    store.doc("x", text, "2013-07-12")
    answer = store.quote("x", "I carry no one's message,", "envoy")
    found = [d for d in find_disputes(store.engine) if d.b_id == answer]
    assert [(d.a_kind, d.a_id, d.kind) for d in found] == [("sentence", None, "rebuttal")]
    write_disputes(store.engine, found)
    row = dispute_rows(store.engine)[0]
    assert row["a_text"].startswith("Opposition leaders fear the visit")
    assert row["b_text"] == "I carry no one's message,"


def test_a_denial_of_an_act_rebuts_the_charge_that_shares_its_words():
    store = Store()
    text = ("Strikes on the market\n\nThe envoy urged the air force to stop bombing the market. "
            "The weather was cold. The ministry said its jets were not bombing the market.\n")
    store.doc("x", text, "2016-02-03")
    charge = store.event("x", "The envoy urged the air force to stop bombing the market")
    denial = store.quote("x", "its jets were not bombing the market", "ministry")
    assert ("event", charge, "quote", denial, "rebuttal") in pairs(find_disputes(store.engine))


@pytest.mark.parametrize("words", [
    "its jets would not attend the talks in the market",  # a refusal
    "it was not expecting a deal on the market",  # a state of mind
    "it has not yet seen the plan for the market",  # a delay
])
def test_refusals_moods_and_delays_are_not_denials(words):
    store = Store()
    text = f"Market\n\nThe envoy urged the air force to stop bombing the market. The ministry said {words}.\n"
    store.doc("x", text, "2016-02-03")
    store.event("x", "The envoy urged the air force to stop bombing the market")
    store.quote("x", words, "ministry")
    assert find_disputes(store.engine) == []


def test_a_correction_section_corrects_the_sentence_it_restates():
    store = Store()
    text = ("Truce terms set\n\nThe truce starts at midnight on Saturday across the country. "
            "Parties must reply by noon on Friday whether they accept the terms. Aid will follow.\n\n"
            "Correction: An earlier version of this article misstated the deadline for the parties. "
            "It is noon on Friday, not Thursday.\n")
    store.doc("x", text, "2016-02-22")
    deadline = store.event("x", "Parties must reply by noon on Friday")
    fix = store.event("x", "misstated the deadline for the parties")
    assert ("event", deadline, "event", fix, "correction") in pairs(find_disputes(store.engine))


def test_a_line_rejected_in_the_same_sentence_is_what_is_rebutted():
    store = Store()
    text = ('Talks in the capital\n\nThe envoy told reporters that no outsider should choose the next leader, a line '
            'that the foreign minister rejected within minutes. The minister said the leader would go "one way or '
            'another."\n')
    store.doc("x", text, "2015-10-30")
    line = store.quote("x", "no outsider should choose the next leader, a line", "envoy")
    answer = store.quote("x", 'the leader would go "one way or another."', "minister")
    assert ("quote", line, "quote", answer, "rebuttal") in pairs(find_disputes(store.engine))


# --------------------------------------------------------------------------- contradicting figures


def _two_figures(first: dict, second: dict, days=("2015-01-20", "2015-01-21"), **slot) -> tuple[Store, int, int]:
    store = Store()
    store.doc("d1", "Report one\n\nThe war has killed FIGURE people.\n", days[0])
    store.doc("d2", "Report two\n\nThe war has killed FIGURE people.\n", days[1])
    a = store.claim("d1", "FIGURE", date=days[0], **first, **slot)
    b = store.claim("d2", "FIGURE", date=days[1], **second, **slot)
    return store, a, b


def test_incompatible_figures_for_the_same_days_contradict():
    store, a, b = _two_figures({"low": 200000}, {"high": 100000})
    assert pairs(find_disputes(store.engine)) == {("claim", a, "claim", b, "contradiction")}


def test_the_later_figure_is_b():
    store, a, b = _two_figures({"high": 100000}, {"low": 200000}, days=("2015-01-22", "2015-01-20"))
    assert pairs(find_disputes(store.engine)) == {("claim", b, "claim", a, "contradiction")}


def test_hedged_figures_that_can_both_be_true_do_not_contradict():
    store, _, _ = _two_figures({"low": 70000}, {"high": 100000})
    assert find_disputes(store.engine) == []


def test_different_subjects_or_units_are_different_slots():
    store = Store()
    store.doc("d1", "One\n\nA 100.\n", "2015-01-20")
    store.doc("d2", "Two\n\nB 500.\n", "2015-01-20")
    store.claim("d1", "100", value=100, subject="aleppo")
    store.claim("d2", "500", value=500, subject="homs")
    store.claim("d1", "A", value=50, unit="percent", subject="x")
    store.claim("d2", "B", value=500000, unit="people", subject="x")
    assert find_disputes(store.engine) == []


def test_a_rising_toll_is_a_series_not_a_contradiction():
    store = Store()
    for n, (month, low) in enumerate([("2012-06", 14000), ("2013-05", 70000), ("2014-01", 130000), ("2015-01", 200000)]):
        store.doc(f"d{n}", f"Report {n}\n\nThe war has killed FIGURE people.\n", f"{month}-15")
        store.claim(f"d{n}", "FIGURE", low=low, date=f"{month}-15")
    assert find_disputes(store.engine) == []


def test_a_toll_that_falls_below_an_earlier_lower_bound_contradicts_it():
    store = Store()
    store.doc("early", "Early\n\nThe war has killed FIGURE people.\n", "2014-01-20")
    store.doc("late", "Late\n\nThe war has killed FIGURE people.\n", "2014-06-20")
    a = store.claim("early", "FIGURE", low=130000, date="2014-01-20")
    b = store.claim("late", "FIGURE", value=90000, date="2014-06-20")
    found = find_disputes(store.engine)
    assert pairs(found) == {("claim", a, "claim", b, "contradiction")}


def test_figures_the_extractor_is_unsure_of_are_never_compared():
    """A guess ("hundreds of") or a figure no name anchors stays below the floor: it contradicts nothing."""
    floor = load_cues().min_confidence
    store, _, _ = _two_figures({"low": 200000, "confidence": floor - 0.01}, {"high": 100000})
    assert find_disputes(store.engine) == []
    store, a, b = _two_figures({"low": 200000, "confidence": floor}, {"high": 100000})
    assert pairs(find_disputes(store.engine)) == {("claim", a, "claim", b, "contradiction")}


def test_different_properties_of_one_subject_are_different_slots():
    store, _, _ = _two_figures({"value": 5000}, {"value": 900})
    with store.engine.begin() as conn:
        conn.execute(claims.update().where(claims.c.doc == "d2").values(property="injured"))
    assert find_disputes(store.engine) == []


def test_two_figures_of_one_document_are_not_a_dispute_between_sources():
    store = Store()
    store.doc("d1", "One\n\nA killed 100. B killed 5000.\n", "2015-01-20")
    store.claim("d1", "A killed 100", value=100)
    store.claim("d1", "B killed 5000", value=5000)
    assert find_disputes(store.engine) == []


@settings(max_examples=30, deadline=None)
@given(x=st.integers(min_value=10, max_value=10**7), ratio=st.floats(min_value=1.0, max_value=50.0))
def test_bare_values_contradict_only_beyond_the_tolerance(x, ratio):
    """Reported figures are rounded: two values a little apart agree, two far apart do not."""
    tolerance = load_cues().tolerance
    meet = (1 + tolerance) / (1 - tolerance)  # the largest ratio whose bands still touch
    if abs(ratio - meet) < 0.02:
        return
    store, _, _ = _two_figures({"value": float(x)}, {"value": float(x) * ratio})
    assert bool(find_disputes(store.engine)) == (ratio > meet)


# --------------------------------------------------------------------------- writing and reading back


def test_write_disputes_replaces_only_its_own_rows(carter_like):
    store, _ = carter_like
    with store.engine.begin() as conn:
        conn.execute(insert(disputes).values(a_kind="quote", a_id=1, b_kind="quote", b_id=2, kind="rebuttal", extractor="manual"))
    found = find_disputes(store.engine)
    write_disputes(store.engine, found)
    write_disputes(store.engine, found)
    with store.engine.connect() as conn:
        rows = conn.execute(select(disputes.c.extractor)).all()
    assert sum(r.extractor == EXTRACTOR_TAG for r in rows) == len(found) > 0
    assert sum(r.extractor == "manual" for r in rows) == 1


def test_dispute_rows_show_both_sides_words_and_sources(carter_like):
    store, ids = carter_like
    write_disputes(store.engine, find_disputes(store.engine))
    rows = {(r["a_statement"], r["a_id"], r["b_id"]): r for r in dispute_rows(store.engine)}
    row = rows[("quote", ids["generals"], ids["misquoted"])]
    assert row["kind"] == "rebuttal"
    assert row["a_text"] == "The generals laughed at every offer of compromise,"
    assert row["b_text"].startswith("he was misquoted")
    assert row["a_outlet"] == row["b_outlet"] == "The Paper"
    assert row["a_by"] == "the-adviser"
    assert row["a_sentence"].endswith("the adviser told the paper.")  # the statement in its sentence


def test_claim_rows_are_a_dated_series_with_who_reports_each():
    store = Store()
    store.actor("un", "United Nations")
    store.doc("late", "Late\n\nAt least 220,000 people have died.\n", "2015-02-18", outlet="Gazette")
    store.doc("early", "Early\n\nMore than 70,000 people have died.\n", "2013-05-07", outlet="Courier")
    store.doc("seats", "Seats\n\nThe bloc holds 22 seats.\n", "2013-05-08", outlet="Courier")
    store.claim("late", "At least 220,000 people", low=220000, date="2015-02-18", attributed_to="un")
    store.claim("early", "More than 70,000 people", low=70000, date="2013-05-07")
    store.claim("seats", "22 seats", value=22, subject="bloc", prop="seats", unit="seats")
    rows = claim_rows(store.engine, property="death_toll")
    assert [r["text"] for r in rows] == ["More than 70,000 people", "At least 220,000 people"]
    assert rows[0]["reported_by"] == "Courier"
    assert rows[1]["reported_by"] == "United Nations (via Gazette)"
    assert [r["subject"] for r in claim_rows(store.engine, subject="bloc")] == ["bloc"]
    assert claim_rows(store.engine, subject="bloc")[0]["date"] == "2013-05-08"  # undated: the publication date


# --------------------------------------------------------------------------- text helpers


def test_sentences_do_not_end_at_titles_or_initials():
    text = "Mr. Hudson met Dr. Pastor in the U.S. capital. John F. Kennedy was not there.\n\nA new paragraph"
    spans = [text[s:e] for s, e in split_sentences(text, load_cues().abbreviations)]
    assert spans == ["Mr. Hudson met Dr. Pastor in the U.S. capital.", "John F. Kennedy was not there.", "A new paragraph"]


def test_quoted_fragments_pair_stray_marks():
    sentence = 'That is what he said, not that ”the army scoffed at the offers." And she said “nothing”.'
    assert quoted_fragments(sentence)[:2] == ["the army scoffed at the offers.", "nothing"]


def test_a_store_of_schema_1_opens_with_the_new_disputes_table(tmp_path):
    """Disputes are derived data: an old store's table is made anew, the documents stay."""
    path = str(tmp_path / "old.db")
    store = open_engine(path)
    with store.begin() as conn:
        conn.execute(insert(documents).values(id="d", content_hash="d", text="Text.", removed=[], reader="text", ingested_at="2020-01-01"))
        conn.exec_driver_sql("DROP TABLE disputes")
        conn.exec_driver_sql(
            "CREATE TABLE disputes (id INTEGER PRIMARY KEY, a_kind VARCHAR(16) NOT NULL, a_id INTEGER NOT NULL, "
            "b_kind VARCHAR(16) NOT NULL, b_id INTEGER NOT NULL, kind VARCHAR(16) NOT NULL, "
            "extractor VARCHAR(64) NOT NULL, confidence FLOAT NOT NULL)"
        )
        conn.exec_driver_sql("UPDATE schema_info SET value = '1' WHERE key = 'schema_version'")
    store.dispose()
    reopened = open_engine(path)
    with reopened.begin() as conn:
        conn.execute(insert(disputes).values(a_kind="sentence", a_doc="d", a_start=0, a_end=5,
                                             b_kind="sentence", b_doc="d", b_start=0, b_end=5, kind="rebuttal", extractor="x"))
        assert conn.exec_driver_sql("SELECT value FROM schema_info WHERE key = 'schema_version'").scalar() == str(SCHEMA_VERSION)
        assert conn.execute(select(documents.c.id)).scalars().all() == ["d"]
