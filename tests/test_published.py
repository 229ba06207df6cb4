"""The publication date, in every form a web copy prints it, and never one of the page's other dates.

Every page here is written for these tests. A user relies on this date: every
relative date in the story ("on Friday") is resolved against it, so a wrong
date is worse than none.
"""

from __future__ import annotations

import json
import re
from datetime import date

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from detente.ingest.clean import clean_text, split_units
from detente.ingest.metadata import text_metadata
from detente.ingest.pipeline import ingest
from detente.ingest.published import normalise_published
from detente.store.documents import find_document, list_documents

HEADLINE = "Envoys agree to meet again at the lakeside villa"
LEAD = (
    "Envoys from the two sponsoring governments met for six hours at a villa outside the capital and "
    "agreed to reconvene the following week, officials from both delegations said."
)
BODY = [
    "The sides exchanged lists of detainees, and a working group on the crossings will sit in the "
    "meantime, according to a diplomat who asked not to be named because the talks are private.",
    '"There is a framework now, and that is more than we had a month ago," one of the envoys '
    "told reporters as he left, adding that the question of prisoners remained open.",
]


def page(*lines: str, footer: tuple[str, ...] = ()) -> str:
    return "\n\n".join([*lines, *BODY, *footer])


def read(*lines: str, footer: tuple[str, ...] = ()):
    return text_metadata(split_units(page(*lines, footer=footer)))


# ---------------------------------------------------------------- a date that ran into the text


def test_a_date_run_into_the_lead_dates_the_page_and_leaves_the_text():
    raw = page(HEADLINE, "March 27, 2012A spokesman for the envoys said the sides met for six hours and agreed to meet again.")
    cleaned = clean_text(raw)
    assert cleaned.metadata.published == "2012-03-27"
    assert cleaned.metadata.published_text == "March 27, 2012"
    assert "A spokesman for the envoys said" in cleaned.text
    assert "2012A" not in cleaned.text
    assert "March 27, 2012" in cleaned.removed


def test_a_byline_date_run_into_the_lead():
    raw = page(HEADLINE, "By Jane Doe | March 27, 2012A spokesman for the envoys said the sides met for six hours.")
    cleaned = clean_text(raw)
    assert (cleaned.metadata.published, cleaned.metadata.author) == ("2012-03-27", "Jane Doe")
    assert "A spokesman for the envoys said" in cleaned.text


def test_a_byline_with_an_agency_and_a_date():
    assert read(HEADLINE, "By JANE DOE Associated Press September 12, 2018, 10:15 AM", LEAD).published == "2018-09-12"


def test_a_leading_metadata_line_run_into_the_headline():
    cleaned = clean_text(page(f" date 2013-10-30 {HEADLINE}", LEAD))
    assert cleaned.metadata.published == "2013-10-30"
    assert cleaned.metadata.title == HEADLINE
    assert cleaned.text.startswith(HEADLINE + "\n\n")
    assert "date 2013-10-30" in cleaned.removed


def test_a_leading_metadata_line_run_into_the_lead():
    cleaned = clean_text(page(f" date 2013-10-30 {LEAD}"))
    assert cleaned.metadata.published == "2013-10-30"
    assert cleaned.text.startswith("Envoys from the two sponsoring governments")


def test_a_date_line_above_a_byline_name_is_not_split_from_it():
    found = read(HEADLINE, "Thursday, July 11, 2013 Rania Saleh", LEAD)
    assert (found.published, found.author) == ("2013-07-11", "Rania Saleh")


def test_a_sentence_that_starts_with_a_posted_date_stays_a_sentence():
    sentence = "Posted on March 3, 2015, the video shows the convoy crossing the bridge before the talks resumed."
    cleaned = clean_text(page(HEADLINE, LEAD, sentence))
    assert sentence in cleaned.text
    assert cleaned.metadata.published is None


# ---------------------------------------------------------------- datelines


def test_a_dateline_at_the_start_of_the_story():
    found = read(HEADLINE, "ARBELA, August 26, 2015 (Harbour Wire) — " + LEAD)
    assert found.published == "2015-08-26"


def test_a_press_release_dateline():
    found = read(HEADLINE, "NEW YORK, Oct. 30, 2013 /Harbour Newswire/ -- " + LEAD)
    assert found.published == "2013-10-30"


def test_a_dateline_without_a_year_takes_it_from_a_full_date_in_the_document():
    lead = "BEIRUT, Oct 30 (Harbour Wire) - The envoys met for six hours and set the next round for Nov. 3, 2013 in Geneva."
    found = read(HEADLINE, lead)
    assert found.published == "2013-10-30"
    assert "Oct 30" in found.published_text and "Nov. 3, 2013" in found.published_text


def test_a_dateline_in_capitals_needs_no_agency():
    found = read(HEADLINE, "BEIRUT Oct 30", LEAD, footer=("The next round opens on 2 November 2013.",))
    assert found.published == "2013-10-30"


def test_a_dateline_without_a_year_and_no_full_date_gives_no_date():
    assert read(HEADLINE, "BEIRUT, Oct 30 (Harbour Wire) - " + LEAD).published is None


def test_a_full_date_from_another_season_does_not_give_the_year():
    history = "The uprising began on March 15, 2011, and the envoys have met eleven times since then without a deal."
    assert read(HEADLINE, "BEIRUT, Oct 30 (Harbour Wire) - " + LEAD, history).published is None


def test_a_dateline_across_new_year_takes_the_year_before():
    lead = "GENEVA, Dec 30 (Harbour Wire) - The envoys agreed to meet again on Jan. 4, 2016 after the holiday."
    assert read(HEADLINE, lead).published == "2015-12-30"


def test_full_dates_that_disagree_on_the_year_give_no_date():
    lead = "GENEVA, Dec 30 (Harbour Wire) - The envoys recalled the Dec. 28, 2014 round and the Jan. 2, 2016 deadline."
    assert read(HEADLINE, lead).published is None


def test_a_date_that_does_not_exist_in_a_dateline_is_no_date():
    lead = "GENEVA, Feb 30 (Harbour Wire) - The envoys agreed to meet again on March 2, 2016 after the holiday."
    assert read(HEADLINE, lead).published is None


def test_a_headline_ending_on_a_date_is_not_a_dateline():
    found = read("Talks Resume Oct 30", LEAD, footer=("The round opens on 2 November 2013.",))
    assert found.published is None


def test_the_sites_today_above_the_headline_yields_to_the_articles_date():
    found = read("Friday, March 6, 2015", "THE HARBOUR POST", HEADLINE, "By Jane Doe | March 3, 2015", LEAD)
    assert found.published == "2015-03-03"
    assert read("March 3, 2015", HEADLINE, LEAD).published == "2015-03-03"


# ---------------------------------------------------------------- labels


@pytest.mark.parametrize(
    "line,iso",
    [
        ("- Published Date: 06:56 | 05 November 2019", "2019-11-05"),
        ("Posted on Wednesday, 12 September 2018", "2018-09-12"),
        ("Date: 14 March 2016", "2016-03-14"),
        ("First published Mon 23rd September 2019 | 08:49 PM", "2019-09-23"),
        ("Yayın Tarihi: 12 Mart 2018, 10:05", "2018-03-12"),
    ],
)
def test_a_published_label_dates_the_page(line, iso):
    found = read(HEADLINE, line, LEAD)
    assert found.published == iso
    assert found.published_text and found.published_text in line


def test_posted_wins_over_the_page_view_beside_it():
    found = read(HEADLINE, "Last viewed: Thursday, 3 October 2019", "Posted on Wednesday, 12 September 2018 | 1,234 views", LEAD)
    assert found.published == "2018-09-12"


@pytest.mark.parametrize("byline", ["By Jane Doe | 5 min read | March 3, 2015", "By Jane Doe · 1,234 views · March 3, 2015"])
def test_a_bylines_furniture_does_not_hide_its_date(byline):
    assert read(HEADLINE, byline, LEAD).published == "2015-03-03"


def test_posted_wins_over_an_update_on_the_same_line():
    found = read(HEADLINE, "By Jane Doe | Updated 14 September 2018 | Posted 12 September 2018", LEAD)
    assert found.published == "2018-09-12"


@pytest.mark.parametrize(
    "line",
    [
        "Last viewed: Thursday, 3 October 2019",
        "Retrieved 3 October 2019",
        "Accessed on 3 October 2019",
        "Printed on 3 October 2019",
        "Today is Thursday, 3 October 2019",
        "© 3 October 2019 Harbour Post",
    ],
)
def test_dates_that_are_not_publication_dates(line):
    assert read(HEADLINE, line, LEAD).published is None


def test_a_label_on_the_line_above_names_the_date():
    found = read(HEADLINE, "Updated:", "14 September 2018", "Published:", "12 September 2018", LEAD)
    assert found.published == "2018-09-12"
    assert read(HEADLINE, "Viewed:", "3 October 2019", LEAD).published is None


def test_a_print_footer_dates_the_page():
    found = read(HEADLINE, LEAD, footer=("Published in Harbour Post May 16th , 2015",))
    assert found.published == "2015-05-16"


def test_the_web_date_outranks_the_print_edition():
    found = read(HEADLINE, "JAN. 23, 2015", LEAD, footer=("A version of this article appears in print on January 24, 2015, on page A6.",))
    assert found.published == "2015-01-23"


def test_an_update_footer_in_another_language_dates_the_page_when_nothing_else_does():
    assert read(HEADLINE, LEAD, footer=("Güncelleme Tarihi: 07 Temmuz 2017, 15:11",)).published == "2017-07-07"
    assert read(HEADLINE, LEAD, footer=("Mis à jour le 7 juillet 2017",)).published == "2017-07-07"


def test_a_posted_line_in_the_comments_is_a_comment():
    comments = ("Leave a Reply", "Posted on 13 September 2018 by Sam", "I agree with the envoys.")
    assert read(HEADLINE, LEAD, footer=comments).published is None


def test_site_notices_and_copyright_lines_give_no_date():
    footer = (
        "This site uses cookies. Our cookie policy was last updated on 25 May 2018.",
        "© 2024 Harbour Post. All rights reserved.",
        "Updated privacy policy: 25 May 2018",
    )
    assert read(HEADLINE, LEAD, footer=footer).published is None


def test_dates_in_the_story_are_events_not_publication():
    story = "The envoys first met on March 9, 2011, in the same villa."
    assert read(HEADLINE, LEAD, story).published is None
    report = "Published in May 2015, the monitors' report counted the crossings that had been closed since the spring."
    assert read(HEADLINE, LEAD, report).published is None


def test_a_story_sentence_that_ends_on_a_month_is_no_caption():
    story = "The deal was signed in the palace on 22 July 2015. The war had started in February 2014."
    assert read(HEADLINE, story, LEAD).published is None


# ---------------------------------------------------------------- HTML and JSONL


def _body(extra: str = "") -> str:
    return f"<h1>{HEADLINE}</h1>{extra}<p>{LEAD}</p>" + "".join(f"<p>{p}</p>" for p in BODY)


def test_an_html_page_without_date_markup_is_dated_by_its_posted_line(engine, tmp_path):
    byline = "<p>Last viewed: 3 October 2019</p><div class='byline'><span>Posted on Wednesday, 12 September 2018</span></div>"
    html = f"<html><body><nav>Home | World</nav><article>{_body(byline)}</article><footer>© 2024 Harbour Post</footer></body></html>"
    (tmp_path / "page.html").write_text(html, encoding="utf-8")
    ingest(engine, [str(tmp_path)])
    (doc,) = list_documents(engine)
    assert doc["published"] == "2018-09-12"
    assert find_document(engine, doc["id"])["published_text"] == "Posted on Wednesday, 12 September 2018"


def test_an_html_page_with_only_a_view_date_gets_none(engine, tmp_path):
    html = f"<html><body><article>{_body('<p>Last viewed: 3 October 2019</p>')}</article></body></html>"
    (tmp_path / "page.html").write_text(html, encoding="utf-8")
    ingest(engine, [str(tmp_path)])
    (doc,) = list_documents(engine)
    assert doc["published"] is None


def test_an_html_page_with_a_year_less_dateline(engine, tmp_path):
    lead = "<p>BEIRUT, Oct 30 (Harbour Wire) - The envoys met and set the next round for Nov. 3, 2013 in Geneva.</p>"
    html = f"<html><body><article>{_body(lead)}</article></body></html>"
    (tmp_path / "page.html").write_text(html, encoding="utf-8")
    ingest(engine, [str(tmp_path)])
    (doc,) = list_documents(engine)
    assert doc["published"] == "2013-10-30"


def _ingest_jsonl(engine, tmp_path, record: dict) -> dict:
    path = tmp_path / "feed.jsonl"
    path.write_text(json.dumps(record) + "\n", encoding="utf-8")
    ingest(engine, [str(path)])
    (doc,) = list_documents(engine)
    return find_document(engine, doc["id"])


def test_a_jsonl_published_field_is_read_like_a_page_line(engine, tmp_path):
    doc = _ingest_jsonl(engine, tmp_path, {"text": page(HEADLINE, LEAD), "published": "Posted on Wednesday, 12 September 2018 | 1,234 views"})
    assert doc["published"] == "2018-09-12"
    assert doc["published_text"] == "Posted on Wednesday, 12 September 2018 | 1,234 views"


def test_a_jsonl_text_dates_itself_when_no_field_can(engine, tmp_path):
    doc = _ingest_jsonl(engine, tmp_path, {"text": page(f" date 2013-10-30 {HEADLINE}", LEAD), "published": "n/a"})
    assert doc["published"] == "2013-10-30"
    assert doc["published_text"] == "date 2013-10-30"
    assert doc["title"] == HEADLINE


# ---------------------------------------------------------------- bad input


@pytest.mark.parametrize(
    "value,iso",
    [
        ("2016-03-15T08:00:00Z", "2016-03-15"),
        ("2015-10", "2015-10"),
        ("Posted on Wednesday, 12 September 2018", "2018-09-12"),
        ("2013-02-31", None),
        ("2013-13-01", None),
        ("9999-12-31", None),
        ("0000-00-00", None),
        ("31 February 2015", None),
        ("Last viewed: 3 October 2019", None),
        ("last week", None),
        ("\x00\ufeff\u200b", None),
        ("Published " + "9" * 500, None),
    ],
)
def test_a_published_field_that_is_no_real_date_gives_none(value, iso):
    assert normalise_published(value) == iso


@pytest.mark.parametrize(
    "line",
    [
        "Published: 31 February 2015",
        "Posted on 30 Feb 2016",
        " date 2999-01-01",
        "Published: March 3, 1066",
        "Date: 2013-02-30",
        "BEIRUT, Feb 31 (Harbour Wire) -",
    ],
)
def test_a_date_that_cannot_be_is_no_publication_date(line):
    assert read(HEADLINE, line, LEAD).published is None


_ISO = re.compile(r"^\d{4}-\d{2}(?:-\d{2})?$")
_PIECES = st.lists(
    st.one_of(
        st.sampled_from(
            [
                " date ", "Published:", "Posted on", "Updated", "Viewed", "BEIRUT", "Oct 30", "(Harbour Wire) -",
                "Feb. 30, 2015", "2015-02-29", "March 27, 2012A", "Güncelleme Tarihi:", "Temmuz", "©", "Leave a Reply",
                "Nov. 3, 2013", "\u00a0", "\u200b", "\u202e", "ı", "|", "—", "\n\n", "9999", "1066",
            ]
        ),
        st.text(max_size=30),
    ),
    max_size=25,
).map(" ".join)


@settings(max_examples=200, deadline=None)
@given(_PIECES)
def test_any_text_gives_a_real_date_or_none(text):
    found = clean_text(text).metadata
    if found.published is not None:
        assert _ISO.match(found.published)
        parts = [int(p) for p in found.published.split("-")]
        date(parts[0], parts[1], parts[2] if len(parts) == 3 else 1)
        assert found.published_text


@settings(max_examples=200, deadline=None)
@given(st.text(max_size=120))
def test_any_field_gives_a_real_date_or_none(value):
    found = normalise_published(value)
    assert found is None or _ISO.match(found) or re.match(r"^\d{4}$", found)
