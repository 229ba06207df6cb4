"""Who a quote is given to: the speaker's own words in the text, and the actor they name.

`speaker_text` is how the text names the speaker, appositions and all, so a
reader can cite it; `speaker` is the actor those words stand for. Every
sentence here is written for these tests.
"""

from __future__ import annotations


from detente.nlp.quotes.attribution import attribute_quotes
from detente.nlp.quotes.candidates import find_quotes

from test_quotes import mentions_in, only


def quotes_of(nlp, text: str):
    doc = nlp(text)
    return attribute_quotes(doc, find_quotes(doc), mentions_in(text))


def test_speaker_words_keep_the_apposition(nlp):
    text = "Lena Halvorsen, the mediator for the northern talks, said the ceasefire would hold."
    quote = only(quotes_of(nlp, text))
    assert quote.speaker_text == "Lena Halvorsen, the mediator for the northern talks"
    assert quote.speaker == "lena-halvorsen"


def test_speaker_words_keep_a_relative_clause_about_the_speaker(nlp):
    text = ("“The monitors will be there by Friday,” said Kenji Ito, who leads the "
            "observer mission in the valley.")
    quote = only(quotes_of(nlp, text))
    assert quote.speaker_text == "Kenji Ito, who leads the observer mission in the valley"
    assert quote.speaker == "kenji-ito"


def test_a_pronoun_stays_a_pronoun_while_the_actor_is_resolved(nlp):
    text = "Amara Okafor left the hall early. She said the delegation would not return."
    quote = only(quotes_of(nlp, text))
    assert quote.speaker_text == "She"
    assert quote.speaker == "amara-okafor"


def test_a_relative_pronoun_is_part_of_the_speaker_words(nlp):
    text = "Reporters waited for Varga, who said the talks were over for the year."
    quote = only(quotes_of(nlp, text))
    assert quote.speaker_text == "Varga, who"
    assert quote.speaker == "istvan-varga"
    assert quote.content == "the talks were over for the year"


def test_a_name_the_parser_hangs_on_an_earlier_phrase(nlp):
    text = ("At the border crossing near the river, Kenji Ito, the head of the monitoring "
            "mission, said the convoy had passed without incident.")
    quote = only(quotes_of(nlp, text))
    assert quote.speaker == "kenji-ito"
    assert quote.speaker_text.startswith("Kenji Ito")


def test_a_colon_hands_the_quote_to_the_subject_before_it(nlp):
    text = "Okafor put the matter bluntly: “Nobody signs a deal with a gun to their head.”"
    quote = only(quotes_of(nlp, text), "direct")
    assert quote.speaker == "amara-okafor"


def test_a_sentence_before_a_colon_without_a_subject_gives_no_speaker(nlp):
    text = "The message was clear: “Nobody signs a deal with a gun to their head.”"
    quote = only(quotes_of(nlp, text), "direct")
    assert quote.speaker is None and quote.speaker_text is None


def test_a_headline_label_names_the_speaker(nlp):
    text = "Varga: ‘We Will Not Sign This Week’\n\nThe talks stalled again on Monday."
    quote = only(quotes_of(nlp, text), "direct")
    assert quote.content == "We Will Not Sign This Week"
    assert quote.speaker == "istvan-varga"
    assert quote.cue == ":"


def test_a_sign_off_after_the_quote_names_the_speaker(nlp):
    text = ("“The road to the valley must stay open all winter.” ― Renata Olsen\n"
            "“Nobody has asked the farmers what they need.” ― Kenji Ito\n")
    records = quotes_of(nlp, text)
    assert [(r.kind, r.speaker) for r in records] == [("direct", "renata-olsen"), ("direct", "kenji-ito")]


def test_a_topic_label_is_not_a_speaker(nlp):
    text = "Valley conflict: Monitors Will Reach The Northern Villages\n\nThe talks stalled again."
    assert quotes_of(nlp, text) == []


def test_an_unknown_name_is_not_the_country_before_it(nlp):
    text = "United Nations envoy Per Lund said the convoys would move on Friday."
    quote = only(quotes_of(nlp, text))
    assert quote.speaker is None
    assert "Per Lund" in quote.speaker_text
