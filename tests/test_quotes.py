"""Quotes and their speakers: what a reader of the extracted model relies on.

Every sentence here is written for these tests. Mentions are built by string
matching so the tests depend only on the Mention record, not on an actor finder.
"""

from __future__ import annotations


import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from detente.nlp.quotes.attribution import attribute_quotes
from detente.nlp.quotes.candidates import QuoteCandidate, find_quotes
from detente.nlp.records import Mention

from conftest import mentions_from_names

ACTORS = {
    "Amara Okafor": ("amara-okafor", "person"),
    "Ms. Okafor": ("amara-okafor", "person"),
    "Okafor": ("amara-okafor", "person"),
    "Istvan Varga": ("istvan-varga", "person"),
    "Varga": ("istvan-varga", "person"),
    "Lena Halvorsen": ("lena-halvorsen", "person"),
    "Halvorsen": ("lena-halvorsen", "person"),
    "Daily Courier": ("daily-courier", "organization"),
    "Paul Delacroix": ("paul-delacroix", "person"),
    "Delacroix": ("paul-delacroix", "person"),
    "Renata Olsen": ("renata-olsen", "person"),
    "Olsen": ("renata-olsen", "person"),
    "Joao Ferreira": ("joao-ferreira", "person"),
    "Ferreira": ("joao-ferreira", "person"),
    "Kenji Ito": ("kenji-ito", "person"),
    "Ito": ("kenji-ito", "person"),
    "foreign ministry": ("ministry-of-foreign-affairs", "organization"),
    "Marek Salo": ("marek-salo", "person"),
    "Northern Alliance": ("northern-alliance", "group"),
    "Southern Front": ("southern-front", "group"),
    "United Nations": ("united-nations", "organization"),
    "Norway": ("norway", "state"),
    "Finland": ("finland", "state"),
}


def mentions_in(text: str) -> list[Mention]:
    return mentions_from_names(text, ACTORS)


def quotes_of(nlp, text: str):
    doc = nlp(text)
    candidates = find_quotes(doc)
    return candidates, attribute_quotes(doc, candidates, mentions_in(text))


def only(records, kind: str | None = None):
    chosen = [r for r in records if kind is None or r.kind == kind]
    assert len(chosen) == 1, chosen
    return chosen[0]


# ---------------------------------------------------------------- direct quotes


def test_speaker_after_the_quote(nlp):
    _, records = quotes_of(nlp, "“We will not sign anything this week,” Ms. Okafor said on Thursday.")
    quote = only(records)
    assert quote.kind == "direct"
    assert quote.content == "We will not sign anything this week,"
    assert quote.speaker == "amara-okafor"
    assert quote.cue == "said"
    assert quote.date_text == "Thursday"


def test_inverted_cue_names_the_speaker(nlp):
    _, records = quotes_of(nlp, "Talks stalled again. \"The border stays shut until the prisoners are home,\" said Varga.")
    quote = only(records, "direct")
    assert quote.speaker == "istvan-varga"


def test_told_names_the_addressee_not_the_speaker(nlp):
    text = "“Nobody in the capital wants another winter of fighting,” Halvorsen told the Daily Courier."
    _, records = quotes_of(nlp, text)
    quote = only(records)
    assert quote.speaker == "lena-halvorsen"
    assert quote.cue == "told"


def test_speaker_before_a_colon(nlp):
    text = "Paul Delacroix said: “Our delegation will stay in Vienna until the vote.”"
    _, records = quotes_of(nlp, text)
    quote = only(records)
    assert quote.kind == "direct"
    assert quote.content == "Our delegation will stay in Vienna until the vote."
    assert quote.speaker == "paul-delacroix"


def test_quote_split_around_its_cue_is_attributed_on_both_sides(nlp):
    text = ("Renata Olsen spoke after the session. “The ceasefire is holding,” she said, "
            "“but only just, and only in the north.”")
    _, records = quotes_of(nlp, text)
    direct = [r for r in records if r.kind == "direct"]
    assert [r.content for r in direct] == ["The ceasefire is holding,", "but only just, and only in the north."]
    assert all(r.speaker == "renata-olsen" for r in direct)


def test_quote_running_over_paragraphs_is_one_quote(nlp):
    text = ("Renata Olsen described the mood in the room.\n\n"
            "“Everyone knew the first draft was dead on arrival. Nobody said it aloud.\n\n"
            "“So we started again from the maps,” she said.")
    candidates, records = quotes_of(nlp, text)
    quote = only(records, "direct")
    assert quote.content.startswith("Everyone knew") and quote.content.endswith("from the maps,")
    assert quote.speaker == "renata-olsen"
    cand = next(c for c in candidates if c.kind == "direct")
    assert cand.content == text[cand.content_start:cand.content_end]
    assert text[cand.start] == "“" and text[cand.end - 1] == "”"


def test_lone_quote_keeps_the_previous_speaker(nlp):
    text = ("“The corridor opens at six,” Okafor said. "
            "“After that, every truck will be searched twice at the checkpoint.”")
    _, records = quotes_of(nlp, text)
    direct = [r for r in records if r.kind == "direct"]
    assert len(direct) == 2
    assert all(r.speaker == "amara-okafor" for r in direct)


def test_pronoun_skips_names_inside_the_quote(nlp):
    text = ("Joao Ferreira arrived late to the briefing. "
            "“I spoke with Kenji Ito this morning and he agreed to wait,” he said.")
    _, records = quotes_of(nlp, text)
    assert only(records, "direct").speaker == "joao-ferreira"


def test_two_speakers_in_one_paragraph(nlp):
    text = ("“I never saw those lists,” said Varga. “Nobody was ever punished for meeting us,” "
            "added Halvorsen. “Not one person that I know of.”")
    _, records = quotes_of(nlp, text)
    assert [r.speaker for r in records if r.kind == "direct"] == [
        "istvan-varga", "lena-halvorsen", "lena-halvorsen"]


def test_unnamed_speaker_keeps_its_words_and_less_confidence(nlp):
    _, named = quotes_of(nlp, "“We are done here for today,” Varga said.")
    _, anonymous = quotes_of(nlp, "“We are done here for today,” he said.")
    quote = only(anonymous)
    assert quote.speaker is None
    assert quote.speaker_text == "he"
    assert quote.confidence < only(named).confidence


# ---------------------------------------------------------------- not quotes


@pytest.mark.parametrize("text", [
    "The so-called “peace caravan” left the city at dawn.",
    "She reviewed the report “Roads Out of the Valley” on the flight home.",
    "The rebels called the offer a \"trap\" and walked out.",
])
def test_scare_quotes_and_titles_are_not_quotes(nlp, text):
    candidates, _ = quotes_of(nlp, text)
    assert [c for c in candidates if c.kind == "direct"] == []


def test_declining_to_say_is_not_a_quote(nlp):
    candidates, _ = quotes_of(nlp, "Varga declined to say which officials he would meet in Geneva.")
    assert candidates == []


# ---------------------------------------------------------------- indirect and mixed


def test_indirect_quote_content_is_the_reported_clause(nlp):
    text = "The foreign ministry said in a statement that the convoy had been delayed by shelling."
    _, records = quotes_of(nlp, text)
    quote = only(records)
    assert quote.kind == "indirect"
    assert quote.content == "the convoy had been delayed by shelling"
    assert quote.speaker == "ministry-of-foreign-affairs"
    assert quote.cue.startswith("said")
    assert text[quote.start:quote.end] == quote.content


def test_according_to_names_the_source(nlp):
    _, records = quotes_of(nlp, "According to two aid workers, the mountain road was reopened on Monday.")
    quote = only(records)
    assert quote.kind == "indirect"
    assert quote.cue == "according to"
    assert quote.content == "the mountain road was reopened on Monday"
    assert quote.speaker is None and "aid workers" in quote.speaker_text


def test_trailing_according_to(nlp):
    _, records = quotes_of(nlp, "The two envoys met secretly in Oslo, according to Halvorsen.")
    quote = only(records)
    assert quote.speaker == "lena-halvorsen"
    assert quote.content == "The two envoys met secretly in Oslo"


def test_mixed_quote_keeps_the_quoted_fragment(nlp):
    text = "Ferreira said the new proposal was “a step backwards for everyone.”"
    _, records = quotes_of(nlp, text)
    quote = only(records)
    assert quote.kind == "mixed"
    assert quote.content == "the new proposal was “a step backwards for everyone.”"
    assert quote.speaker == "joao-ferreira"


def test_reported_speech_inside_reported_speech_is_one_quote(nlp):
    text = "An official said the envoy had told the rebels that the deal was off."
    _, records = quotes_of(nlp, text)
    quote = only(records)
    assert quote.speaker_text == "An official"
    assert "the deal was off" in quote.content


def test_pronoun_goes_to_the_last_named_person(nlp):
    text = ("Varga said on Wednesday that he welcomed the proposal from Okafor. "
            "He said the first meeting could take place within a week.")
    _, records = quotes_of(nlp, text)
    assert [r.speaker for r in records] == ["istvan-varga", "istvan-varga"]


def test_a_role_refers_back_to_the_titled_name(nlp):
    text = ("UN envoy Marek Salo met both delegations on Friday. "
            "The envoy said the talks would resume after the holiday.")
    _, records = quotes_of(nlp, text)
    assert only(records).speaker == "marek-salo"


def test_group_speaker_from_a_modifier(nlp):
    text = "Northern Alliance commanders said they would not withdraw from the ridge."
    _, records = quotes_of(nlp, text)
    assert only(records).speaker == "northern-alliance"


def test_next_sentence_names_the_speaker_of_a_lone_quote(nlp):
    text = "Talks resumed on Monday. “We expect nothing from this round.” Varga added that he would attend anyway."
    _, records = quotes_of(nlp, text)
    direct = only(records, "direct")
    assert direct.speaker == "istvan-varga"
    assert direct.content == "We expect nothing from this round."


def test_a_title_without_a_name_reads_like_a_pronoun(nlp):
    text = ("Istvan Varga defended the plan at the airport. "
            "“Nobody has offered anything better,” the foreign minister said.")
    _, records = quotes_of(nlp, text)
    assert only(records).speaker == "istvan-varga"


def test_title_and_apposed_name(nlp):
    text = "The United Nations envoy for the region, Marek Salo, told the council that the truce was holding."
    _, records = quotes_of(nlp, text)
    quote = only(records)
    assert quote.speaker == "marek-salo"
    assert quote.content == "the truce was holding"


def test_joint_statement_gives_each_speaker_a_record(nlp):
    text = "Norway and Finland said they would host the next round of talks in the spring."
    _, records = quotes_of(nlp, text)
    assert sorted(r.speaker for r in records) == ["finland", "norway"]
    assert len({r.content for r in records}) == 1


def test_trailing_gerund_is_a_second_statement_of_the_same_speaker(nlp):
    text = ("Amara Okafor said on Friday that she would step down as mediator, "
            "saying the two sides no longer trusted her.")
    _, records = quotes_of(nlp, text)
    assert [r.content for r in records] == [
        "she would step down as mediator", "the two sides no longer trusted her"]
    assert all(r.speaker == "amara-okafor" for r in records)


def test_a_contrasting_speaker_gets_a_quote_of_its_own(nlp):
    text = ("The Northern Alliance said it would attend the talks, "
            "while the Southern Front insisted that the prisoners be freed first.")
    _, records = quotes_of(nlp, text)
    assert [(r.speaker, r.content) for r in records] == [
        ("northern-alliance", "it would attend the talks"),
        ("southern-front", "the prisoners be freed first"),
    ]


def test_naming_verb_with_quoted_words_is_a_mixed_quote(nlp):
    text = "Halvorsen called the agreement “the best chance in a decade” for the valley."
    _, records = quotes_of(nlp, text)
    quote = only(records)
    assert quote.kind == "mixed" and quote.speaker == "lena-halvorsen"
    assert "“the best chance in a decade”" in quote.content


def test_page_furniture_above_a_paragraph_is_not_the_speaker(nlp):
    text = ("Advertisement\n\nHalvorsen told the paper that the convoy would leave at dawn. "
            "\"We have waited long enough,\" she said.")
    _, records = quotes_of(nlp, text)
    assert [r.speaker for r in records] == ["lena-halvorsen", "lena-halvorsen"]


def test_headlines_are_not_reported_speech(nlp):
    text = "Norway says talks will resume in spring\n\nThe foreign ministry confirmed the date on Monday."
    candidates, _ = quotes_of(nlp, text)
    assert candidates == []


def test_one_of_them_speaks_for_the_group_last_named(nlp):
    text = ("Commanders of the Southern Front met the mediators on Sunday. "
            "One of them said his fighters would respect the truce.")
    _, records = quotes_of(nlp, text)
    assert only(records).speaker == "southern-front"


def test_they_after_an_unnamed_group_stays_unnamed(nlp):
    text = ("Several aid workers described the road as impassable. "
            "They said the convoy had turned back twice.")
    _, records = quotes_of(nlp, text)
    quote = only(records)
    assert quote.speaker is None and quote.speaker_text == "They"


# ---------------------------------------------------------------- odd marks


def test_right_curly_mark_used_to_open(nlp):
    _, records = quotes_of(nlp, "”We are ready to sign today,” Varga said.")
    quote = only(records)
    assert quote.content == "We are ready to sign today,"
    assert quote.speaker == "istvan-varga"


def test_single_marks_nested_inside_double_marks(nlp):
    text = "“They keep telling us, ‘Wait for the next round,’ ” Olsen said."
    _, records = quotes_of(nlp, text)
    quote = only(records)
    assert quote.content.startswith("They keep telling us, ‘Wait")
    assert quote.speaker == "renata-olsen"


def test_unclosed_mark_stops_at_the_paragraph_end_with_less_confidence(nlp):
    closed_text = "Okafor said: “We will not leave the table before the vote.”\n\nThe talks resumed later."
    open_text = "Okafor said: “We will not leave the table before the vote.\n\nThe talks resumed later."
    closed = only(quotes_of(nlp, closed_text)[0], "direct")
    candidates, _ = quotes_of(nlp, open_text)
    for cand in candidates:
        assert "resumed" not in cand.content
    unclosed = [c for c in candidates if c.kind == "direct"]
    assert all(c.confidence < closed.confidence for c in unclosed)


def test_empty_and_blank_text(nlp):
    for text in ("", "   \n\n  ", "“", "\"\"\"", "” “"):
        doc = nlp(text)
        candidates = find_quotes(doc)
        assert attribute_quotes(doc, candidates, []) is not None


def test_doubled_apostrophes_are_quotation_marks(nlp):
    text = "''We will not sign anything this week,'' Varga said on Monday."
    _, records = quotes_of(nlp, text)
    quote = only(records)
    assert quote.kind == "direct"
    assert quote.content == "We will not sign anything this week,"
    assert quote.speaker == "istvan-varga"


def test_a_quote_opening_a_line_is_a_quote_not_a_fragment(nlp):
    text = ("Voices from the camp, collected by the Daily Courier:\n"
            "“We have not seen a doctor since the spring.” ― Renata Olsen\n"
            "“The wells are dry and the road is mined.” ― Joao Ferreira\n")
    _, records = quotes_of(nlp, text)
    assert [(r.kind, r.speaker) for r in records] == [("direct", "renata-olsen"), ("direct", "joao-ferreira")]


def test_a_mark_shaped_to_open_closes_a_quote_when_a_cue_follows(nlp):
    text = "“The blockade is the only reason the talks failed “said Varga on Monday."
    _, records = quotes_of(nlp, text)
    quote = only(records)
    assert quote.content == "The blockade is the only reason the talks failed "
    assert quote.speaker == "istvan-varga"


# ---------------------------------------------------------------- properties

_PIECES = st.sampled_from([
    "“", "”", "\"", "‘", "’", "'", " ", " ", "\n", "\n\n", ",", ".", ":", "—",
    "he said", "said Varga", "Okafor told reporters", "according to", "that",
    "the talks", "We will go", "Mr.", "é", "🙂", "\u00a0", "\t", "x",
])
_TEXTS = st.one_of(st.lists(_PIECES, max_size=40).map("".join), st.text(max_size=80))


def _within(text: str, cand: QuoteCandidate) -> None:
    n = len(text)
    assert 0 <= cand.start <= cand.end <= n
    assert 0 <= cand.content_start <= cand.content_end <= n
    assert cand.content == text[cand.content_start:cand.content_end]
    if cand.speaker_start is not None:
        assert 0 <= cand.speaker_text_start <= cand.speaker_start <= cand.speaker_end <= cand.speaker_text_end <= n
        assert cand.speaker_text == text[cand.speaker_text_start:cand.speaker_text_end]
    assert 0.0 <= cand.confidence <= 1.0
    assert cand.kind in ("direct", "indirect", "mixed")


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(text=_TEXTS)
def test_never_raises_and_spans_index_the_text(nlp, text):
    doc = nlp(text)
    candidates = find_quotes(doc)
    for cand in candidates:
        _within(text, cand)
    records = attribute_quotes(doc, candidates, mentions_in(text))
    assert len(records) >= len(candidates)
    for record in records:
        assert 0.0 <= record.confidence <= 1.0
        assert record.content == text[record.start:record.end] or record.kind == "direct" or _leaves_out_a_cue(
            record.content, text[record.start:record.end])


def _leaves_out_a_cue(content: str, span: str) -> bool:
    """'The talks will resume' from 'The talks, she said, will resume': the span's text with a piece cut out."""
    rest = iter(span)
    return all(ch in rest for ch in content if not ch.isspace() and ch != ",")
