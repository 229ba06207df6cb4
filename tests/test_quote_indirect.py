"""Indirect speech beyond "said that": parentheses, thoughts, promises, questions, sources.

A quote reports words or a proposition with its cue and its content span;
an act reported by the narrator ("condemned the shelling") is no quote unless
the lexicon says so. Every sentence here is written for these tests.
"""

from __future__ import annotations

import dataclasses


from detente.nlp.quotes import candidates
from detente.nlp.quotes.attribution import attribute_quotes
from detente.nlp.quotes.candidates import find_quotes, load_lexicon

from test_quotes import mentions_in, only


def quotes_of(nlp, text: str):
    doc = nlp(text)
    found = find_quotes(doc)
    for cand in found:
        assert 0 <= cand.start <= cand.end <= len(text)
    return attribute_quotes(doc, found, mentions_in(text))


def test_a_cue_inside_the_reported_sentence_is_left_out_of_the_content(nlp):
    text = "The talks, Ms. Okafor said, will resume in Vienna next month."
    quote = only(quotes_of(nlp, text))
    assert quote.kind == "indirect" and quote.cue == "said"
    assert quote.speaker == "amara-okafor"
    assert quote.content == "The talks will resume in Vienna next month"
    assert text[quote.start:quote.end].startswith("The talks") and quote.end > text.index("Vienna")


def test_a_clause_before_a_parenthetical_cue_keeps_its_comma(nlp):
    text = "Unless the convoys move soon, Halvorsen said, the villages will run out of food."
    quote = only(quotes_of(nlp, text))
    assert quote.content == "Unless the convoys move soon, the villages will run out of food"


def test_a_belief_with_a_full_clause_is_reported_speech(nlp):
    text = "The Northern Alliance believes the truce will collapse before the spring."
    quote = only(quotes_of(nlp, text))
    assert (quote.kind, quote.cue, quote.speaker) == ("indirect", "believes", "northern-alliance")
    assert quote.content == "the truce will collapse before the spring"


def test_a_lemmatizer_slip_does_not_hide_a_cue(nlp):
    text = "Varga hoped the monitors would reach the villages before the snow."
    quote = only(quotes_of(nlp, text))
    assert quote.cue == "hoped" and quote.speaker == "istvan-varga"


def test_a_negated_belief_keeps_its_negation_in_the_cue(nlp):
    quote = only(quotes_of(nlp, "Varga does not believe the talks will succeed this year."))
    assert quote.cue == "does not believe"
    assert quote.content == "the talks will succeed this year"


def test_a_wish_or_a_request_reports_what_is_wished_or_asked(nlp):
    """PolNeAR attributes intentions and requests as it does speech: "wants X to", "urged X to"."""
    wish = only(quotes_of(nlp, "The Northern Alliance wants the truce to hold through the winter."))
    assert (wish.cue, wish.content) == ("wants", "the truce to hold")  # a trailing time is when, not what
    request = only(quotes_of(nlp, "Halvorsen urged the Southern Front to free the hostages."))
    assert (request.cue, request.speaker, request.content) == ("urged", "lena-halvorsen", "the Southern Front to free the hostages")


def test_a_judgement_of_a_thing_is_no_quote(nlp):
    """'condemned the shelling' has no words of its own to report: it is an event (ACCUSE), not a quote."""
    assert quotes_of(nlp, "Halvorsen condemned the shelling of the port.") == []


def test_a_promise_reports_what_was_promised(nlp):
    quote = only(quotes_of(nlp, "Halvorsen vowed to keep the crossing open through the winter."))
    assert (quote.cue, quote.speaker) == ("vowed", "lena-halvorsen")
    assert quote.content == "to keep the crossing open through the winter"


def test_an_indirect_question_is_reported_speech(nlp):
    quote = only(quotes_of(nlp, "Ito asked whether the monitors could reach the northern villages."))
    assert quote.speaker == "kenji-ito"
    assert quote.content == "whether the monitors could reach the northern villages"


def test_an_act_reported_by_the_narrator_is_not_a_quote(nlp):
    assert quotes_of(nlp, "The Southern Front condemned the shelling of the market on Friday.") == []


def test_a_lexicon_can_make_acts_and_requests_quotes(nlp, monkeypatch):
    lexicon = load_lexicon()
    wider = dataclasses.replace(lexicon, complements={
        **lexicon.complements, "urge": frozenset({"object_to"}), "condemn": frozenset({"object"})})
    monkeypatch.setattr(candidates, "load_lexicon", lambda: wider)
    urged = only(quotes_of(nlp, "Okafor urged the rebels to attend the next round in Geneva."))
    assert urged.content == "the rebels to attend the next round in Geneva"
    condemned = only(quotes_of(nlp, "The Southern Front condemned the shelling of the market on Friday."))
    assert condemned.content == "the shelling of the market"
    assert condemned.speaker == "southern-front"


def test_a_survey_is_the_source_of_the_clause_it_opens(nlp):
    text = "In a United Nations survey, two thirds of the displaced families lacked clean water."
    quote = only(quotes_of(nlp, text))
    assert quote.speaker_text == "a United Nations survey"
    assert quote.speaker == "united-nations"
    assert quote.content == "two thirds of the displaced families lacked clean water"


def test_a_headline_statement_under_a_name(nlp):
    quote = only(quotes_of(nlp, "Varga: Talks Will Resume After The Holiday\n\nThe delegations left Geneva."))
    assert (quote.kind, quote.cue, quote.speaker) == ("indirect", ":", "istvan-varga")
    assert quote.content == "Talks Will Resume After The Holiday"


def test_a_genre_label_is_not_a_speaker(nlp):
    assert quotes_of(nlp, "Analysis: Talks Will Resume After The Holiday\n\nThe delegations left.") == []


def test_so_called_is_not_speech(nlp):
    assert quotes_of(nlp, "The so-called safe zones were set up along the river last year.") == []
