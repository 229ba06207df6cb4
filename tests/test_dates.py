"""Temporal expressions resolved against a publication date.

Most cases use a paper dated Wednesday 14 January 2015, so that "on
Wednesday" is the same day, "next week" is 19-25 January and a year-less
"Jan. 26" can fall on either side of publication depending on tense.
"""

from __future__ import annotations

import re
from datetime import date, timedelta

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from detente.nlp.dates.expressions import TimeExpression, find_dates, resolve_date_text, sentence_is_future

PUB = "2015-01-14"  # a Wednesday
PUB_DAY = date(2015, 1, 14)
MONTHS = ["January", "February", "March", "April", "May", "June", "July",
          "August", "September", "October", "November", "December"]
WEEKDAYS = ["Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday"]
PRECISION_LENGTH = {"year": 4, "month": 7, "day": 10}


def dates_in(nlp, text: str, published: str | None = PUB) -> list[TimeExpression]:
    return find_dates(nlp(text), published)


def only(nlp, text: str, published: str | None = PUB) -> TimeExpression:
    found = dates_in(nlp, text, published)
    assert len(found) == 1, found
    return found[0]


# --------------------------------------------------------------------------- find_dates


@pytest.mark.parametrize(
    "sentence, words, value, precision",
    [
        # weekdays: the same day counts; a future verb moves to the next one
        ("The envoy spoke to reporters on Wednesday about the plan.", "Wednesday", "2015-01-14", "day"),
        ("The army shelled the suburb on Monday.", "Monday", "2015-01-12", "day"),
        ("The foreign ministers will sit down together on Tuesday.", "Tuesday", "2015-01-20", "day"),
        ("The mediator is due to arrive in Beirut on Friday.", "Friday", "2015-01-16", "day"),
        ("The rebels plan to hand over prisoners on Monday.", "Monday", "2015-01-19", "day"),
        ("A second round is expected to open on Thursday.", "Thursday", "2015-01-15", "day"),
        ("The vote on the resolution was scheduled for Saturday.", "Saturday", "2015-01-17", "day"),
        ("The coalition gathered in Istanbul last Friday.", "last Friday", "2015-01-09", "day"),
        ("Delegates will reconvene next Wednesday.", "next Wednesday", "2015-01-21", "day"),
        ("The agency released its figures Sunday, Jan. 11.", "Sunday, Jan. 11", "2015-01-11", "day"),
        # year-less dates follow the tense
        ("Moscow intends to host the two delegations on Jan. 26.", "Jan. 26", "2015-01-26", "day"),
        ("The accord was initialled on Dec. 30 after long haggling.", "Dec. 30", "2014-12-30", "day"),
        ("The observers left the country on 3 January.", "3 January", "2015-01-03", "day"),
        ("Both sides will review the truce in March.", "March", "2015-03", "month"),
        ("The envoy toured the camps in October.", "October", "2014-10", "month"),
        # absolute dates
        ("The committee first met on March 4, 2012, in a hotel.", "March 4, 2012", "2012-03-04", "day"),
        ("The treaty was signed on 9 November 1989 in the capital.", "9 November 1989", "1989-11-09", "day"),
        ("The page was edited on Saturday, 10 January 2015 at noon.", "Saturday, 10 January 2015", "2015-01-10", "day"),
        ("The mission arrived in June 2012 with forty monitors.", "June 2012", "2012-06", "month"),
        ("The uprising started in 2011, according to the report.", "2011", "2011", "year"),
        ("Elections are promised for mid-2016.", "mid-2016", "2016", "year"),
        ("CORRECTION 1/15/15: an earlier version misnamed the town.", "1/15/15", "2015-01-15", "day"),
        ("The archive lists the entry as 2014-11-02 in its index.", "2014-11-02", "2014-11-02", "day"),
        # relative days, weeks, months, years
        ("The militia withdrew from the hill yesterday.", "yesterday", "2015-01-13", "day"),
        ("The convoy leaves the port tomorrow.", "tomorrow", "2015-01-15", "day"),
        ("The border crossing reopened last week after repairs.", "last week", "2015-01-05/2015-01-11", "week"),
        ("The envoy will return to the region next week.", "next week", "2015-01-19/2015-01-25", "week"),
        ("The mediators plan a further session this month.", "this month", "2015-01", "month"),
        ("Aid deliveries resumed last month.", "last month", "2014-12", "month"),
        ("The parties hope to sign before the end of this month.", "the end of this month", "2015-01", "month"),
        ("The ceasefire first broke down last year.", "last year", "2014", "year"),
        ("A donor conference is pencilled in for next year.", "next year", "2016", "year"),
        ("Earlier this year the council condemned the attacks.", "Earlier this year", "2015", "year"),
        ("The activist has been held without trial since last September.", "last September", "2014-09", "month"),
        ("The talks collapsed three days ago.", "three days ago", "2015-01-11", "day"),
    ],
)
def test_resolves_expression_in_context(nlp, sentence, words, value, precision):
    found = dates_in(nlp, sentence)
    assert (words, value, precision) in [(t.text, t.value, t.precision) for t in found], found


@pytest.mark.parametrize(
    "sentence, words, value",
    [
        ("Monitors will be deployed from July 28 to Aug. 9 in the north.", "July 28 to Aug. 9", "2015-07-28/2015-08-09"),
        ("The talks ran between Jan. 5 and Jan. 9 in Geneva.", "Jan. 5 and Jan. 9", "2015-01-05/2015-01-09"),
        ("Envoys will travel July 28-Aug. 9 across the region.", "July 28-Aug. 9", "2015-07-28/2015-08-09"),
        ("Hearings are set to run Feb. 2-6 in The Hague.", "Feb. 2-6", "2015-02-02/2015-02-06"),
        ("The workshop took place on 23-25 September 2013 in Oslo.", "23-25 September 2013", "2013-09-23/2013-09-25"),
        ("She was posted to the region from 1998-2003 and later from 2006-09.", "1998-2003", "1998/2003"),
        ("She was posted to the region from 1998-2003 and later from 2006-09.", "2006-09", "2006/2009"),
        ("The truce held over the New Year, from Dec. 28 to Jan. 4.", "Dec. 28 to Jan. 4", "2014-12-28/2015-01-04"),
    ],
)
def test_ranges(nlp, sentence, words, value):
    found = {t.text: t for t in dates_in(nlp, sentence)}
    assert words in found, found
    assert found[words].value == value
    assert found[words].precision == "range"


def test_tense_is_read_per_clause_not_per_sentence(nlp):
    """One sentence, two verbs: the day she spoke is today, the day they meet is ahead."""
    found = dates_in(nlp, "She said on Wednesday that the two sides will meet again on Wednesday.")
    assert [t.value for t in found] == ["2015-01-14", "2015-01-21"]


def test_future_only_within_its_clause(nlp):
    found = dates_in(nlp, "The envoy, who is planning a trip to Cairo next week, said Monday that he was hopeful.")
    values = {t.text: t.value for t in found}
    assert values["Monday"] == "2015-01-12"
    assert values["next week"] == "2015-01-19/2015-01-25"


def test_span_is_the_temporal_words_only(nlp):
    text = "The delegation arrived on Thursday, Jan. 8, and met officials since last September."
    for t in dates_in(nlp, text):
        assert text[t.start:t.end] == t.text
        assert not t.text.lower().startswith(("on ", "since "))


def test_guessed_year_is_less_certain_than_a_stated_one(nlp):
    stated = only(nlp, "The envoy arrived on Jan. 8, 2015 with a new plan.")
    guessed = only(nlp, "The envoy arrived on Jan. 8 with a new plan.")
    assert stated.value == guessed.value == "2015-01-08"
    assert guessed.confidence < stated.confidence


@pytest.mark.parametrize(
    "sentence",
    [
        "The meeting lasted five hours and ended without a statement.",
        "He has led the delegation for two years.",
        "The war is now in its fourth year.",
        "The 64-year-old diplomat spoke at 3:30 p.m. local time.",
        "Fighting has grown worse over the last year.",
        "Russia Today broadcast the speech in full.",
        "The ceasefire was agreed on Good Friday in a monastery.",
        "The op-ed ran in the Sunday Times.",
        "More than 200,000 people have died and 3,000 have fled.",
        "They may meet again, the official said.",
        "Talks could take months, or even decades.",
    ],
)
def test_not_dates(nlp, sentence):
    assert dates_in(nlp, sentence) == []


def test_copyright_year_is_not_an_event(nlp):
    assert [t.text for t in dates_in(nlp, "© 2025 Example Media. All rights reserved.")] == []


def test_malformed_date_is_skipped(nlp):
    assert dates_in(nlp, "Posted 2013-56-11 by the desk.") == []


def test_without_publication_date_only_absolute_dates(nlp):
    text = "The council met on May 7, 2013 and will meet again on Tuesday and next month."
    found = dates_in(nlp, text, published=None)
    assert [(t.text, t.value) for t in found] == [("May 7, 2013", "2013-05-07")]


def test_publication_timestamp_and_partial_dates(nlp):
    text = "The envoy arrived yesterday and the next session opens next month."
    with_time = {t.text: t.value for t in dates_in(nlp, text, "2015-01-14T09:30:00+00:00")}
    assert with_time == {"yesterday": "2015-01-13", "next month": "2015-02"}
    month_only = {t.text: t.value for t in dates_in(nlp, text, "2015-01")}
    assert month_only == {"next month": "2015-02"}


def test_results_are_in_text_order_and_do_not_overlap(nlp):
    text = ("On Jan. 5 the envoy met the rebels; from Jan. 6 to Jan. 9 he toured the camps, "
            "and next week he will report, as he did last year and in June 2012.")
    found = dates_in(nlp, text)
    assert len(found) == 5
    for before, after in zip(found, found[1:]):
        assert before.end <= after.start


def test_empty_and_whitespace_documents(nlp):
    assert dates_in(nlp, "") == []
    assert dates_in(nlp, "   \n\n  ") == []


def test_blank_pipeline_without_parser():
    """A model with no parser still yields dates; tense falls back to the defaults."""
    import spacy

    doc = spacy.blank("en")("Talks on Jan. 26 follow the visit of last Friday.")
    assert {t.text: t.value for t in find_dates(doc, PUB)} == {"Jan. 26": "2015-01-26", "last Friday": "2015-01-09"}


# --------------------------------------------------------------------------- resolve_date_text


@pytest.mark.parametrize(
    "words, future, expected",
    [
        ("Jan. 26", True, ("2015-01-26", "day")),
        ("on Wednesday", False, ("2015-01-14", "day")),
        ("Thursday", False, ("2015-01-08", "day")),
        ("Thursday", True, ("2015-01-15", "day")),
        ("Wednesday", True, ("2015-01-21", "day")),
        ("last year", False, ("2014", "year")),
        ("next week", False, ("2015-01-19/2015-01-25", "week")),
        ("last September", False, ("2014-09", "month")),
        ("next September", False, ("2015-09", "month")),
        ("in 2012", False, ("2012", "year")),
        ("in June 2012", False, ("2012-06", "month")),
        ("the end of this month", False, ("2015-01", "month")),
        ("between Jan. 23 and Jan. 31", False, ("2015-01-23/2015-01-31", "range")),
        ("7/12/13", False, ("2013-07-12", "day")),
        ("25/12/2014", False, ("2014-12-25", "day")),
        ("the 26th of January, 2015", False, ("2015-01-26", "day")),
        ("Thursday, 11 July 2013", False, ("2013-07-11", "day")),
        ("two weeks ago", False, ("2014-12-29/2015-01-04", "week")),
        ("the spring of 2011", False, ("2011", "year")),
    ],
)
def test_resolve_date_text(words, future, expected):
    assert resolve_date_text(words, PUB, future=future) == expected


@pytest.mark.parametrize("words", ["five hours", "for two years", "third year", "", "   ", "aged 64", "3:30 p.m.", "the previous spring"])
def test_resolve_date_text_refuses_non_dates(words):
    assert resolve_date_text(words, PUB) is None


def test_month_only_dates_keep_month_precision():
    """dateparser would fill in today's day; the words say only a month."""
    assert resolve_date_text("December 2011", PUB) == ("2011-12", "month")
    assert resolve_date_text("December", PUB) == ("2014-12", "month")
    assert resolve_date_text("December", PUB, future=True) == ("2015-12", "month")


def test_relative_words_need_a_publication_date():
    assert resolve_date_text("yesterday", None) is None
    assert resolve_date_text("Jan. 26", None) is None
    assert resolve_date_text("Jan. 26, 2015", None) == ("2015-01-26", "day")
    assert resolve_date_text("last year", "not a date") is None


# --------------------------------------------------------------------------- sentence_is_future


@pytest.mark.parametrize(
    "sentence, expected",
    [
        ("The envoy will travel to Tehran.", True),
        ("The rebels plan to attend the talks.", True),
        ("The vote is due to take place soon.", True),
        ("The ministers are expected to agree a text.", True),
        ("The summit is scheduled to open in Vienna.", True),
        ("The council is set to extend the mission.", True),
        ("The mediator returns next week.", True),
        ("The envoy travelled to Tehran.", False),
        ("The army has taken the town.", False),
        ("The will of the people was ignored.", False),
    ],
)
def test_sentence_is_future(nlp, sentence, expected):
    assert sentence_is_future(next(nlp(sentence).sents)) is expected


# --------------------------------------------------------------------------- properties


@given(st.dates(min_value=date(1900, 1, 1), max_value=date(2099, 12, 31)))
def test_written_out_dates_round_trip(day):
    name = MONTHS[day.month - 1]
    assert resolve_date_text(f"{name} {day.day}, {day.year}", None) == (day.isoformat(), "day")
    assert resolve_date_text(f"{day.day} {name} {day.year}", None) == (day.isoformat(), "day")
    assert resolve_date_text(f"{name} {day.year}", None) == (day.isoformat()[:7], "month")


@given(st.dates(min_value=date(1950, 1, 1), max_value=date(2090, 12, 31)), st.sampled_from(WEEKDAYS), st.booleans())
def test_weekday_lands_on_that_weekday_within_a_week(pub, weekday, future):
    value, precision = resolve_date_text(weekday, pub.isoformat(), future=future)
    found = date.fromisoformat(value)
    assert precision == "day"
    assert found.weekday() == WEEKDAYS.index(weekday)
    if future:
        assert pub < found <= pub + timedelta(days=7)
    else:
        assert pub - timedelta(days=6) <= found <= pub


@given(st.dates(min_value=date(1950, 1, 1), max_value=date(2090, 12, 31)), st.integers(1, 12), st.integers(1, 28))
def test_yearless_dates_fall_on_the_side_the_tense_says(pub, month, day):
    words = f"{MONTHS[month - 1]} {day}"
    ahead = date.fromisoformat(resolve_date_text(words, pub.isoformat(), future=True)[0])
    assert (ahead.month, ahead.day) == (month, day)
    assert pub <= ahead < pub + timedelta(days=366)
    nearest = date.fromisoformat(resolve_date_text(words, pub.isoformat())[0])
    assert abs((nearest - pub).days) <= 183


@settings(max_examples=200)
@given(st.text(max_size=60), st.one_of(st.none(), st.text(max_size=12), st.just(PUB)), st.booleans())
def test_resolve_date_text_never_raises_and_values_match_precision(words, published, future):
    result = resolve_date_text(words, published, future=future)
    if result is not None:
        value, precision = result
        if precision in PRECISION_LENGTH:
            assert len(value) == PRECISION_LENGTH[precision]
        else:
            assert precision in ("week", "range") and "/" in value


FRAGMENTS = st.sampled_from([
    "on Jan. 26", "last week", "Tuesday", " said ", "will meet", "\u201c", "\u201d", '"', "(", "]",
    "from July 28 to", "Aug. 9", "in 2011", "7/12/13", "2008-12", "May", "\u00e9\u00e8", "\U0001F600",
    "\u0663\u0664", "\n\n", "the end of", "this month", "yesterday", "  ", ".", "next", "ago", "-", "Today",
])


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(st.lists(st.one_of(FRAGMENTS, st.text(max_size=8)), max_size=12), st.one_of(st.none(), st.just(PUB)))
def test_find_dates_never_raises_and_offsets_index_the_text(nlp, pieces, published):
    text = " ".join(pieces)
    found = find_dates(nlp(text), published)
    for t in found:
        assert 0 <= t.start < t.end <= len(text)
        assert text[t.start:t.end] == t.text
        assert 0.0 < t.confidence <= 1.0
        assert re.fullmatch(r"[0-9]{4}(-[0-9]{2}(-[0-9]{2})?)?(/[0-9]{4}(-[0-9]{2}(-[0-9]{2})?)?)?", t.value)


# ----------------------------------------------------------------- days counted from another day


@pytest.mark.parametrize(
    "text, words, value",
    [
        ("The accord was signed on Friday. The envoys had agreed on its wording a day earlier.", "a day earlier", "2015-01-08"),
        ("Talks opened on Jan. 5.\n\nTwo days later, the delegations left.", "Two days later", "2015-01-07"),
        ("The truce began on Monday and the following day the first convoy crossed.", "the following day", "2015-01-13"),
    ],
)
def test_a_day_counted_from_a_named_day(nlp, text, words, value):
    found = [d for d in dates_in(nlp, text) if d.text == words]
    assert [d.value for d in found] == [value]


def test_a_day_counted_from_nothing_named_stays_undated(nlp):
    """Without a day named before it, "a day earlier" is not guessed from the publication date."""
    assert not [d for d in dates_in(nlp, "The envoys had agreed on its wording a day earlier.") if "earlier" in d.text]


def test_a_day_is_not_counted_from_a_day_two_paragraphs_back(nlp):
    text = "The accord was signed on Friday.\n\nOther news followed.\n\nA day later, the guns fell silent."
    assert not [d for d in dates_in(nlp, text) if d.text == "A day later"]


def test_without_a_publication_date_a_day_takes_the_year_the_text_writes_out(nlp):
    text = "The envoys met on 3 March. The accord they drafted expires on 30 April 2019, and talks resume in May."
    found = {d.text: d.value for d in dates_in(nlp, text, published=None)}
    assert found == {"3 March": "2019-03-03", "30 April 2019": "2019-04-30", "May": "2019-05"}


def test_without_any_year_in_the_text_a_bare_day_stays_undated(nlp):
    assert dates_in(nlp, "The envoys met on 3 March and again on Friday.", published=None) == []
