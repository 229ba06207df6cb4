"""Title, author, date and outlet read from a pasted web page's own text.

Every page here is written for these tests; outlet names are real outlets from
data/outlets.yaml or invented ones.
"""

from __future__ import annotations

import re
from datetime import date
from importlib import resources

import pytest
import yaml
from hypothesis import given, settings
from hypothesis import strategies as st

from detente.ingest.clean import clean_text, split_units
from detente.ingest.metadata import canonical_outlet, guess_outlet, text_metadata

BODY = [
    "Envoys from the two sponsoring governments met for six hours at a villa outside the capital "
    "on Monday and agreed to reconvene the following week, officials from both delegations said.",
    "The talks were held on March 9, 2011, according to a diplomat who asked not to be named, and "
    "the next round is set for the first week of April in a city still to be chosen.",
    '"There is a framework now, and that is more than we had a month ago," one of the envoys '
    "told reporters as he left, adding that the question of prisoners remained open.",
]


def page(*header: str, footer: tuple[str, ...] = ()) -> str:
    return "\n\n".join([*header, *BODY, *footer])


def meta(*header: str, footer: tuple[str, ...] = ()):
    return text_metadata(split_units(page(*header, footer=footer)))


# ---------------------------------------------------------------- title


def test_title_is_the_headline_after_menus_and_masthead():
    found = meta(
        "Skip to main content",
        "Home | World | Opinion",
        "The Globe and Mail",
        "Envoys agree to meet again after villa talks",
    )
    assert found.title == "Envoys agree to meet again after villa talks"


def test_a_headline_wrapped_over_two_lines_is_one_title():
    found = meta(
        "Envoys Agree to Meet Again After Six Hours of Talks, But the Prisoner\nQuestion Stays Open",
        "By Jane Doe",
    )
    assert found.title == "Envoys Agree to Meet Again After Six Hours of Talks, But the Prisoner Question Stays Open"


def test_an_invented_masthead_above_the_headline_is_not_the_title():
    found = meta("THE HARBOUR LEDGER", "Villa Talks End With a Promise to Return")
    assert found.title == "Villa Talks End With a Promise to Return"
    assert found.outlet == "Harbour Ledger"


def test_no_headline_before_the_first_paragraph_means_no_title():
    assert meta().title is None


# ---------------------------------------------------------------- author


@pytest.mark.parametrize(
    "byline,author",
    [
        ("By Jane Doe", "Jane Doe"),
        ("BY JANE DOE", "Jane Doe"),
        ("By Jane Doe and John Roe", "Jane Doe and John Roe"),
        ("By Jane Doe, Reuters", "Jane Doe"),
        ("By Jane Doe | Monday, March 14, 2016", "Jane Doe"),
        ("Author: Leyla al-Hariri", "Leyla al-Hariri"),
        ("Jane Doe Thursday, July 11, 2013", "Jane Doe"),
        ("By | Friday, 12 July 2013 04:10 PM EDT", None),
        ("By the Numbers: Six Hours at the Villa", None),
    ],
)
def test_author_from_the_byline(byline, author):
    assert meta("Envoys agree to meet again", byline).author == author


def test_author_named_in_a_summary_sentence():
    summary = "The two sponsors have found a way to keep talking, even if nothing is settled yet, writes Omar Haddad."
    assert meta("Sponsors Keep Talking", "Article Summary", summary).author == "Omar Haddad"


def test_a_name_alone_beside_the_dateline_is_the_author():
    assert meta("Envoys agree to meet again", "Rania Saleh in Vienna", "2015-10-30 09:12").author == "Rania Saleh"


def test_no_byline_means_no_author():
    assert meta("Envoys agree to meet again").author is None


# ---------------------------------------------------------------- published


@pytest.mark.parametrize(
    "line,iso",
    [
        ("Thursday, July 11, 2013", "2013-07-11"),
        ("Friday, 12 July 2013 04:10 PM EDT", "2013-07-12"),
        ("Jan. 22, 2014", "2014-01-22"),
        ("JAN. 22, 2014", "2014-01-22"),
        ("2015-10-30", "2015-10-30"),
        ("22 February 2016 | 14:05 GMT", "2016-02-22"),
        ("Published: December 19, 2015", "2015-12-19"),
        ("GENEVA | Wed Feb 3, 2016 6:51pm EST", "2016-02-03"),
        ("December 2015", "2015-12"),
        ("12/31/2014", "2014-12-31"),
    ],
)
def test_publication_date_from_a_header_line(line, iso):
    found = meta("Envoys agree to meet again", line)
    assert found.published == iso
    assert found.published_text and found.published_text in line


def test_date_without_a_year_is_not_a_publication_date():
    assert meta("Envoys agree to meet again", "Feb. 19").published is None
    assert meta("Envoys agree to meet again", "Monday 11:42 a.m.").published is None


def test_a_page_counter_shaped_like_a_date_is_not_one():
    assert meta("Envoys agree to meet again", "2013-56-11").published is None


def test_dates_in_the_article_sentences_are_not_publication_dates():
    assert meta("Envoys agree to meet again").published is None


def test_a_photo_caption_near_the_top_dates_the_page():
    caption = "Two envoys shake hands on the steps of the villa before their meeting outside the capital, May 7, 2013."
    assert meta("Envoys agree to meet again", caption).published == "2013-05-07"


def test_a_published_line_anywhere_counts():
    found = meta("Envoys agree to meet again", footer=("Published: 4 November 2015",))
    assert found.published == "2015-11-04"


def test_an_update_line_dates_the_page_when_nothing_else_does():
    assert meta("Envoys agree to meet again", "UPDATED Jan. 5, 2015").published == "2015-01-05"


def test_a_dateline_wins_over_an_update_line():
    found = meta("Envoys agree to meet again", "Updated: March 2, 2015", "March 1, 2015")
    assert found.published == "2015-03-01"


# ---------------------------------------------------------------- outlet


def test_outlet_from_a_copyright_line_keeps_an_unknown_name_as_written():
    assert meta("Envoys agree to meet again", footer=("© 2016 Levant Ledger. All rights reserved.",)).outlet == (
        "Levant Ledger"
    )


def test_outlet_from_a_copyright_line_of_a_known_publisher_is_canonical():
    assert meta("Envoys agree to meet again", footer=("© 2025 Newsmax Media, Inc.",)).outlet == "Newsmax"


def test_copyright_holder_written_before_the_sign():
    assert meta("Envoys agree to meet again", footer=("Crossroads Wire © 2013 - All rights reserved.",)).outlet == (
        "Crossroads Wire"
    )


def test_outlet_from_a_closing_credit_line():
    assert meta("Envoys agree to meet again", footer=("THE NEW YORK TIMES",)).outlet == "The New York Times"


def test_outlet_from_the_masthead():
    assert meta("The Globe and Mail", "Envoys agree to meet again").outlet == "The Globe and Mail"


def test_outlet_from_the_text_naming_itself():
    found = meta("Envoys agree to meet again", footer=("The date of the next round was still open, The Cable has learned.",))
    assert found.outlet == "Foreign Policy"


def test_copyright_outranks_credit_line_outranks_masthead():
    header = ("The Globe and Mail", "Envoys agree to meet again")
    assert meta(*header, footer=("THE NEW YORK TIMES",)).outlet == "The New York Times"
    assert meta(*header, footer=("THE NEW YORK TIMES", "© 2015 Harbour Post")).outlet == "Harbour Post"


def test_no_outlet_is_guessed():
    assert meta("Envoys agree to meet again").outlet is None


# ---------------------------------------------------------------- attribution


def test_a_rewrite_credits_the_outlet_it_retells():
    credit = "The envoys had been at the villa since the weekend, according to Foreign Policy Magazine."
    assert meta("Envoys agree to meet again", credit).attributed_to == "Foreign Policy"


def test_an_unknown_outlet_reported_is_credited_by_its_name():
    credit = "The envoys had been at the villa since the weekend, the Harbour Post reported."
    assert meta("Envoys agree to meet again", credit).attributed_to == "Harbour Post"


def test_telling_an_unnamed_magazine_is_no_credit():
    credit = "One envoy told the magazine that the villa had been chosen for its privacy."
    assert meta("Envoys agree to meet again", credit).attributed_to is None


def test_the_page_does_not_credit_itself():
    credit = "The envoys had been at the villa since the weekend, according to the Harbour Post."
    found = meta("Envoys agree to meet again", credit, footer=("© 2016 Harbour Post",))
    assert found.outlet == "Harbour Post"
    assert found.attributed_to is None


# ---------------------------------------------------------------- outlets registry


@pytest.mark.parametrize(
    "name,canonical",
    [
        ("The Cable", "Foreign Policy"),
        ("FOREIGN POLICY MAGAZINE", "Foreign Policy"),
        ("nytimes.com", "The New York Times"),
        ("The New York Times Company", "The New York Times"),
        ("Thomson Reuters", "Reuters"),
        ("Guardian News and Media Limited", "The Guardian"),
        ("THE LEVANT LEDGER", "Levant Ledger"),
        ("Harbour Post", "Harbour Post"),
    ],
)
def test_canonical_outlet(name, canonical):
    assert canonical_outlet(name) == canonical


def test_every_alias_in_the_registry_leads_to_its_outlet():
    data = yaml.safe_load((resources.files("detente") / "data" / "outlets.yaml").read_text(encoding="utf-8"))
    assert len(data["outlets"]) >= 40
    for entry in data["outlets"]:
        for alias in [entry["name"], *entry.get("aliases", [])]:
            assert canonical_outlet(alias) == entry["name"], alias


def test_guess_outlet_agrees_with_the_cleaner():
    raw = page("Skip to main content", "Envoys agree to meet again", footer=("© 2016 Harbour Post. All rights reserved.",))
    assert guess_outlet(raw) == clean_text(raw).metadata.outlet == "Harbour Post"


def test_metadata_lines_leave_the_clean_text_but_the_title_stays():
    raw = page("The Globe and Mail", "Envoys agree to meet again", "By Jane Doe", "Monday, March 14, 2016")
    result = clean_text(raw)
    assert result.text.startswith("Envoys agree to meet again\n\n")
    for line in ("The Globe and Mail", "By Jane Doe", "Monday, March 14, 2016"):
        assert line not in result.text
        assert line in result.removed


# ---------------------------------------------------------------- robustness

_ISO = re.compile(r"^\d{4}-\d{2}(?:-\d{2})?$")
_HEADERISH = st.lists(
    st.one_of(
        st.sampled_from(
            [
                "By ", "By | ", "©", "© 2015", "Published:", "UPDATED", "Feb. 30, 2015", "31/31/2015",
                "2015-02-29", "Thursday, July 11, 2013", "according to the", "reported", "THE", "Post",
                "writes", "(Reuters) -", "Jane Doe", "\u00a0", "|", "»", "\u200b",
            ]
        ),
        st.text(max_size=40),
    ),
    max_size=20,
).map(" ".join)


@settings(max_examples=200, deadline=None)
@given(st.lists(_HEADERISH, max_size=15))
def test_metadata_never_raises_and_dates_are_real(units):
    units = split_units("\n\n".join(units))
    found = text_metadata(units)
    if found.published is not None:
        assert _ISO.match(found.published)
        parts = [int(p) for p in found.published.split("-")]
        date(parts[0], parts[1], parts[2] if len(parts) == 3 else 1)
    if found.title is not None:
        assert found.title in units


@settings(max_examples=100, deadline=None)
@given(st.lists(st.text(max_size=80), max_size=20))
def test_metadata_accepts_any_list_of_strings(units):
    text_metadata(units)
