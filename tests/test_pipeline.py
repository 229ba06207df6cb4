"""The spaCy pipeline as detente loads it."""

from __future__ import annotations

import pytest

from detente.nlp.pipeline import ModelNotFound, load_model


def test_a_headline_is_never_one_sentence_with_the_lead(nlp):
    doc = nlp("Truce\n\nIran backed the truce on Friday. Russia did too.")
    sentences = [s.text.strip() for s in doc.sents]
    assert sentences[0] == "Truce"
    assert sentences[1] == "Iran backed the truce on Friday."


def test_a_single_line_break_does_not_cut_a_hard_wrapped_sentence(nlp):
    doc = nlp("The envoy said the talks\nwould resume in Geneva next week.")
    assert len(list(doc.sents)) == 1


def test_an_unknown_model_says_what_to_install():
    with pytest.raises(ModelNotFound, match="pip install"):
        load_model("no_such_model_installed")
