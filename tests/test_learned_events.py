"""The learned event-type model beside the patterns: the event they miss, and which event comes first.

Sentences are written for these tests. The packaged model is used as shipped;
where a test needs the rules alone, the model is taken away.
"""

from __future__ import annotations

import logging

import pytest

import detente.nlp.events.learned as learned
from detente.nlp.events.model.model import ModelFormatError
from detente.nlp.records import EventRecord

from test_events import events_of


@pytest.fixture
def rules_alone(monkeypatch):
    monkeypatch.setattr(learned, "_model", lambda: None)


def test_a_wording_no_pattern_lists_is_read_by_the_model(nlp):
    sentence = "The Southern Front torched three houses in Tarn on Sunday."
    event = events_of(nlp, sentence)[0]
    assert (event.type, event.actors, event.date) == ("ASSAULT", ["southern-front"], "2015-01-11")
    assert event.confidence < 0.6  # below any pattern's: a reader sees it is the model's guess


def test_without_the_model_the_rules_stand_alone(nlp, rules_alone):
    assert events_of(nlp, "The Southern Front torched three houses in Tarn on Sunday.") == []
    assert [e.type for e in events_of(nlp, "Okafor met Varga in Oslo.")] == ["CONSULT"]


def test_the_event_whose_class_the_model_reads_comes_first_in_its_sentence(nlp):
    """A reader who takes "the sentence's event" gets the one the model's reading agrees with."""
    from detente.nlp.events.document_events import _principal_first
    from detente.nlp.events.learned import SentenceReading

    doc = nlp("Varga said the Southern Front had shelled the port. Okafor met Varga.")
    first, second = list(doc.sents)
    accuse = EventRecord(0, 10, "ACCUSE", None, ["istvan-varga"], [], "reported", "x", confidence=0.9)
    assault = EventRecord(20, 40, "ASSAULT", None, ["southern-front"], [], "reported", "y", confidence=0.7)
    meeting = EventRecord(second.start_char, second.end_char, "CONSULT", None, [], [], "reported", "z")
    violent = SentenceReading(first, (0.05, 0.05, 0.05, 0.15, 0.7), {}, None)
    calm = SentenceReading(second, (0.1, 0.8, 0.05, 0.03, 0.02), {}, None)
    ordered = _principal_first([accuse, assault, meeting], [violent, calm])
    assert [e.type for e in ordered] == ["ASSAULT", "ACCUSE", "CONSULT"]


def test_an_unreadable_model_leaves_the_rules_and_says_so_once(nlp, monkeypatch, caplog):
    def broken():
        raise ModelFormatError("cut short")

    import detente.nlp.events.model.model as model_module

    monkeypatch.setattr(model_module, "event_type_model", broken)
    monkeypatch.setattr(learned, "_warned", False)
    with caplog.at_level(logging.WARNING):
        first = events_of(nlp, "Okafor met Varga in Oslo.")
        events_of(nlp, "Varga met Okafor in Tarn.")
    assert [e.type for e in first] == ["CONSULT"]
    assert sum("cut short" in r.message for r in caplog.records) == 1
