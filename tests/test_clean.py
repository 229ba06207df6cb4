"""The plain-text cleaner: what a user pasting a web page into detente relies on.

Every article here is written for these tests.
"""

from __future__ import annotations

from collections import Counter

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from detente.ingest.clean import (
    CleanText,
    clean_text,
    normalise_line,
    repeatable_lines,
    split_units,
)

PARAGRAPHS = [
    "Mediators from Norway and Switzerland opened a fresh round of indirect talks in Oslo on Tuesday, "
    "carrying proposals between the two delegations, which are staying in separate hotels on opposite "
    "sides of the harbour.",
    '"We did not come here to sign anything this week, but to find out whether there is still a '
    'table to sit at," the chief Norwegian mediator said as she left the first evening session.',
    "The government delegation repeated that it would only discuss a ceasefire once the rebels handed "
    "over their heavy weapons, a demand the rebel negotiators have refused since the spring.",
    "Diplomats following the talks said a partial truce around the northern port was the most that "
    "could be achieved before the winter, when the mountain roads used for supplies close.",
]
SHORT_QUOTE = '"Not yet," he said.'

PAGE = "\n\n".join(
    [
        "Skip to main content",
        "Home | World | Europe | Opinion",
        "The Fjord Herald",
        "Oslo talks reopen with modest hopes for a northern truce",
        "By Ingrid Solberg | Tuesday, March 3, 2015",
        PARAGRAPHS[0],
        "Advertisement",
        PARAGRAPHS[1],
        SHORT_QUOTE,
        "Story continues below advertisement",
        PARAGRAPHS[2],
        PARAGRAPHS[3],
        "Continue reading this article by registering for free to unlock:\n"
        "  • Our weekly briefing on the peace process\n  • The full archive\n  • Subscriber events",
        "Tags: oslo | truce | norway",
        "oslo,truce,norway",
        "412",
        "2015-77-03",
        "Sign up for the Fjord Herald's morning newsletter",
        "About the Author\nDiplomatic correspondent\n"
        "As diplomatic correspondent, Ingrid Solberg covers peace processes in Europe and the Middle "
        "East and has been posted to Beirut and Kabul.",
        "This website uses cookies to remember your settings, measure how the site is used and show you "
        "advertising that suits your interests; you can change your choice at any time in the settings.",
        "We welcome your views. Please keep comments civil and on topic; read our community guidelines "
        "before you post, and note that comments are moderated before they appear.",
        "Read and post comments",
        "© 2015 Fjord Herald Media Ltd. All rights reserved.",
    ]
)


@pytest.fixture(scope="module")
def cleaned() -> CleanText:
    return clean_text(PAGE)


def test_every_article_paragraph_is_kept_whole(cleaned):
    kept = cleaned.text.split("\n\n")
    for paragraph in PARAGRAPHS + [SHORT_QUOTE]:
        assert paragraph in kept


def test_title_comes_first(cleaned):
    assert cleaned.text.split("\n\n")[0] == "Oslo talks reopen with modest hopes for a northern truce"


@pytest.mark.parametrize(
    "mess",
    [
        "Skip to main content",
        "Home | World | Europe | Opinion",
        "Advertisement",
        "Story continues below advertisement",
        "Tags: oslo | truce | norway",
        "oslo,truce,norway",
        "412",
        "2015-77-03",
        "• The full archive",
        "Sign up for the Fjord Herald's morning newsletter",
        "Diplomatic correspondent",
        "uses cookies",
        "community guidelines",
        "Read and post comments",
        "All rights reserved",
        "The Fjord Herald",
        "By Ingrid Solberg",
    ],
)
def test_web_mess_is_removed_and_kept_for_audit(cleaned, mess):
    assert mess not in cleaned.text
    assert any(mess in unit for unit in cleaned.removed)


def test_removed_units_are_verbatim_and_in_page_order(cleaned):
    units = split_units(PAGE)
    positions = [units.index(unit) for unit in cleaned.removed]
    assert positions == sorted(positions)


def test_kept_and_removed_units_account_for_the_whole_page(cleaned):
    kept = cleaned.text.split("\n\n")
    assert Counter(kept + cleaned.removed) == Counter(split_units(PAGE))


def test_author_biography_after_its_label_is_removed(cleaned):
    assert not any("posted to Beirut" in unit for unit in cleaned.text.split("\n\n"))


def test_a_paragraph_repeated_inside_the_page_is_kept_once():
    page = "\n\n".join(["A headline about the harbour truce", *PARAGRAPHS, "Most read", PARAGRAPHS[0]])
    assert clean_text(page).text.count(PARAGRAPHS[0]) == 1


def test_long_prose_is_never_dropped_for_being_repeated_across_the_outlet():
    repeated = frozenset(normalise_line(p) for p in PARAGRAPHS)
    result = clean_text("\n\n".join(PARAGRAPHS), repeated)
    for paragraph in PARAGRAPHS:
        assert paragraph in result.text


def test_a_line_the_outlet_prints_under_every_article_is_removed():
    footer = "Our reporters are in the harbour towns every day."
    page = "\n\n".join([*PARAGRAPHS, footer])
    assert footer in clean_text(page).text
    result = clean_text(page, frozenset({normalise_line(footer)}))
    assert footer not in result.text
    assert footer in result.removed


def test_a_copy_of_an_article_keeps_its_short_sentences():
    """When almost every unit was seen under another page of the outlet, the page is a copy."""
    page = "\n\n".join([PARAGRAPHS[0], SHORT_QUOTE, PARAGRAPHS[1], "Share this article"])
    repeated = frozenset(normalise_line(u) for u in split_units(page))
    assert SHORT_QUOTE in clean_text(page, repeated).text.split("\n\n")


def test_a_short_sentence_among_footer_lines_is_removed():
    page = "\n\n".join([*PARAGRAPHS, "© 2015 Fjord Herald", "We reply to every letter.", "All rights reserved"])
    assert "We reply to every letter." not in clean_text(page).text


def test_text_with_no_paragraph_long_enough_still_keeps_its_sentences():
    page = "Talks adjourned.\n\nThe envoy left for Geneva.\n\nNo date was set."
    assert clean_text(page).text.split("\n\n") == ["Talks adjourned.", "The envoy left for Geneva.", "No date was set."]


def test_empty_and_blank_input():
    for raw in ("", "   \n\n \t \n", "\u00a0\n\u200b"):
        result = clean_text(raw)
        assert result.text == ""
        assert result.removed == []
        assert result.metadata.title is None


# ---------------------------------------------------------------- units


def test_hard_wrapped_paragraph_is_joined_into_one_unit():
    wrapped = (
        "The foreign ministers agreed late on Friday to meet again after the holiday,\n"
        "but neither side would say whether the prisoner exchange discussed over\n"
        "dinner had been settled or simply postponed once more."
    )
    assert split_units(wrapped) == [" ".join(wrapped.split("\n"))]


def test_a_compound_broken_at_the_line_end_keeps_its_hyphen():
    wrapped = (
        "Negotiators in the lakeside hotel were working through the night on a last-\n"
        "minute text that both delegations could accept before the deadline passed."
    )
    (unit,) = split_units(wrapped)
    assert "last-minute text" in unit
    assert "last- minute" not in unit


def test_a_dash_at_the_line_end_is_not_glued_to_the_next_word():
    wrapped = (
        "The envoy said the ceasefire was holding in most districts of the city --\n"
        "although shelling continued overnight near the airport, residents said."
    )
    (unit,) = split_units(wrapped)
    assert "city -- although" in unit


def test_web_copy_with_one_paragraph_per_line_keeps_each_line():
    lines = [PARAGRAPHS[0], PARAGRAPHS[2], "Related stories", "Short headline about talks"]
    assert split_units("\n".join(lines)) == lines


def test_a_wrapped_block_breaks_after_a_short_line_that_ends_a_sentence():
    block = (
        "The delegations spent the morning on the wording of a single paragraph\n"
        "about prisoners and the afternoon on nothing at all.\n"
        "By evening the mediators had drafted a shorter text, which both sides\n"
        "said they would take home to their capitals for consultation."
    )
    units = split_units(block)
    assert len(units) == 2
    assert units[0].endswith("nothing at all.")
    assert units[1].startswith("By evening")


def test_a_long_headline_above_a_byline_is_not_joined_to_it():
    block = "Negotiators agree to extend the northern truce by another thirty days\nBy Ingrid Solberg"
    assert split_units(block) == block.split("\n")


def test_units_are_trimmed_and_spaces_collapsed():
    assert split_units("  Talks\u00a0\u00a0resume   in Oslo \t\r\n\r\n\u200bNext week  ") == [
        "Talks resume in Oslo",
        "Next week",
    ]


# ---------------------------------------------------------------- repeated lines


def test_normalise_line_ignores_case_spacing_punctuation_and_counters():
    assert normalise_line("Read and post comments (14)") == normalise_line("READ AND POST  COMMENTS (312)")
    assert normalise_line("Read and post comments") != normalise_line("Read more")


def test_repeatable_lines_offers_menus_and_footers_of_the_page():
    lines = repeatable_lines(PAGE)
    assert normalise_line("Home | World | Europe | Opinion") in lines
    assert normalise_line("© 2015 Fjord Herald Media Ltd. All rights reserved.") in lines
    assert lines <= {normalise_line(u) for u in split_units(PAGE)}


# ---------------------------------------------------------------- robustness

_TEXT = st.text(
    alphabet=st.characters(blacklist_categories=("Cs",)),
    max_size=600,
)
_LINES = st.lists(
    st.sampled_from(
        [
            "",
            "Advertisement",
            "By | Monday, 1 June 2015",
            '"An unbalanced quote, he said.',
            "© 2015",
            "Tags: a | b",
            "\u202eRTL override text\u202c",
            "\u0627\u0644\u0633\u0644\u0627\u0645 \u0639\u0644\u064a\u0643\u0645",
            PARAGRAPHS[0],
            PARAGRAPHS[1][:70] + "-",
            "wrapped continuation of the text above, in lower case and long enough",
        ]
    ),
    max_size=25,
)


@settings(max_examples=150, deadline=None)
@given(st.one_of(_TEXT, _LINES.map("\n".join)))
def test_clean_text_never_raises_and_loses_nothing(raw):
    result = clean_text(raw)
    kept = result.text.split("\n\n") if result.text else []
    assert Counter(kept + result.removed) == Counter(split_units(raw))
    assert result.text == result.text.rstrip()
    assert "\n\n\n" not in result.text


@settings(max_examples=150, deadline=None)
@given(_TEXT)
def test_units_are_trimmed_single_lines(raw):
    for unit in split_units(raw):
        assert unit and unit == unit.strip()
        assert "\n" not in unit and "\r" not in unit


@settings(max_examples=150, deadline=None)
@given(_TEXT)
def test_normalise_line_is_idempotent(line):
    once = normalise_line(line)
    assert normalise_line(once) == once
