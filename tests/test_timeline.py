"""The timeline: one entry per real-world event, with all the reports of it.

The merging rules are tested on plain rows (the shape `event_rows` returns);
the store queries on a real store holding three short reports written for
these tests.
"""

from __future__ import annotations

from datetime import date

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from detente.analysis.timeline import build_timeline, date_bounds, dates_compatible
from detente.ingest.pipeline import ingest
from detente.nlp.records import ActorRecord
from detente.store import extraction as store
from detente.store.documents import list_documents
from detente.store.events import EventQueryError, event_rows, timeline_rows
from detente.store.schema import events


def row(id_, doc, type_="CONSULT", actors=("kerry",), recipients=("lavrov",), date_=None, date_text="x",
        published="2013-05-09", status="reported", mode=None, start=0):
    return {
        "id": id_, "doc": doc, "type": type_, "mode": mode, "actors": list(actors), "recipients": list(recipients),
        "date": date_, "date_text": date_text, "published": published, "status": status, "start": start,
        "confidence": 0.8, "outlet": f"outlet-{doc}", "text": f"report {id_}", "location": None,
    }


def groups(entries) -> list[set[int]]:
    return sorted(({r["id"] for r in e.reports} for e in entries), key=min)


# --------------------------------------------------------------------- dates with precision


def test_date_bounds_follow_precision():
    assert date_bounds("2013") == (date(2013, 1, 1), date(2013, 12, 31))
    assert date_bounds("2016-02") == (date(2016, 2, 1), date(2016, 2, 29))
    assert date_bounds("2013-05-07") == (date(2013, 5, 7), date(2013, 5, 7))
    assert date_bounds("2015-01-19/2015-01-25") == (date(2015, 1, 19), date(2015, 1, 25))
    assert date_bounds("someday") is None and date_bounds(None) is None


@given(st.dates(min_value=date(1990, 1, 1), max_value=date(2030, 12, 31)), st.sampled_from([4, 7, 10]))
def test_a_date_fits_every_coarser_version_of_itself(day, length):
    full = day.isoformat()
    assert dates_compatible(full[:length], full)
    assert dates_compatible(full, full[:length])


@given(st.dates(min_value=date(1990, 1, 1), max_value=date(2030, 12, 31)), st.integers(min_value=1, max_value=400))
def test_different_days_never_fit(day, gap):
    other = date.fromordinal(day.toordinal() + gap)
    assert not dates_compatible(day.isoformat(), other.isoformat())


# ---------------------------------------------------------------------------- merging


def test_three_reports_of_one_meeting_are_one_entry_at_the_most_precise_date():
    rows = [
        row(1, "a", date_="2013-05-07", actors=["kerry", "lavrov"], recipients=[]),
        row(2, "b", date_="2013-05", actors=["lavrov"], recipients=["kerry"]),
        row(3, "c", date_="2013-05-09", date_text=None, published="2013-05-09"),  # undated: fell back to publication
    ]
    (entry,) = build_timeline(rows)
    assert entry.date == "2013-05-07"
    assert set(entry.docs) == {"a", "b", "c"}
    assert set(entry.actors) | set(entry.recipients) == {"kerry", "lavrov"}


def test_other_partner_same_day_is_another_meeting():
    rows = [row(1, "a", date_="2015-01-14", recipients=["de-mistura"]), row(2, "b", date_="2015-01-14", recipients=["zarif"])]
    assert groups(build_timeline(rows)) == [{1}, {2}]


def test_same_pair_on_different_days_are_two_meetings():
    rows = [row(1, "a", date_="2013-05-07"), row(2, "b", date_="2013-09-13")]
    assert groups(build_timeline(rows)) == [{1}, {2}]


def test_a_plan_and_what_happened_stay_apart():
    rows = [row(1, "a", type_="AGREE", date_="2014-01-22", status="planned"), row(2, "b", date_="2014-01-22")]
    assert groups(build_timeline(rows)) == [{1}, {2}]


def test_directed_events_keep_who_acted():
    rows = [
        row(1, "a", type_="ACCUSE", actors=["russia"], recipients=["united-states"], date_="2016-09-19"),
        row(2, "b", type_="ACCUSE", actors=["united-states"], recipients=["russia"], date_="2016-09-19"),
        row(3, "c", type_="ACCUSE", actors=["russia"], recipients=[], date_="2016-09"),
    ]
    assert groups(build_timeline(rows)) == [{1, 3}, {2}]


def test_undated_reports_merge_only_when_published_close_together():
    rows = [
        row(1, "a", date_=None, date_text=None, published="2015-01-10", type_="AGREE", status="planned"),
        row(2, "b", date_=None, date_text=None, published="2015-01-12", type_="AGREE", status="planned"),
        row(3, "c", date_=None, date_text=None, published="2013-05-07", type_="AGREE", status="planned"),
    ]
    assert groups(build_timeline(rows)) == [{1, 2}, {3}]


def test_a_chain_of_near_misses_is_not_glued_into_one_event():
    # each neighbour fits the next, but the first and last cannot be the same day
    rows = [
        row(1, "a", date_="2013-05-01/2013-05-08"),
        row(2, "b", date_="2013-05-07/2013-05-14"),
        row(3, "c", date_="2013-05-13/2013-05-20"),
    ]
    assert len(build_timeline(rows)) == 2


def test_independent_sources_raise_confidence():
    one = build_timeline([row(1, "a", date_="2013-05-07")])[0]
    two = build_timeline([row(1, "a", date_="2013-05-07"), row(2, "b", date_="2013-05-07")])[0]
    assert two.confidence > one.confidence


ROWS = st.lists(
    st.builds(
        lambda i, doc, kind, who, day: row(i, doc, type_=kind, actors=[who[0]], recipients=[who[1]], date_=day),
        st.integers(),
        st.sampled_from("abcd"),
        st.sampled_from(["CONSULT", "ACCUSE"]),
        st.sampled_from([("kerry", "lavrov"), ("lavrov", "kerry"), ("kerry", "zarif")]),
        st.sampled_from(["2013-05", "2013-05-07", "2013-05-08", "2013", None]),
    ),
    max_size=12,
    unique_by=lambda r: r["id"],
)


@given(ROWS, st.randoms(use_true_random=False))
@settings(max_examples=60)
def test_the_timeline_does_not_depend_on_input_order(rows, rnd):
    shuffled = list(rows)
    rnd.shuffle(shuffled)
    assert groups(build_timeline(rows)) == groups(build_timeline(shuffled))
    assert sum(len(e.reports) for e in build_timeline(rows)) == len(rows)


# ------------------------------------------------------------------------- store queries

REPORTS = {
    "one.txt": "Envoys meet in Oslo\n\nBy A. Writer\nTuesday, May 7, 2013\n\nOkafor met Varga in Oslo on Tuesday to discuss a truce.\n",
    "two.txt": "Talks in Oslo\n\nBy B. Writer\nThursday, May 9, 2013\n\nThe two envoys held talks in Oslo this week, officials said.\n",
    "three.txt": "Accusations fly\n\nBy C. Writer\nMonday, Sept. 16, 2013\n\nNorway accused Finland of arming the rebels.\n",
}


@pytest.fixture
def stored(engine, tmp_path):
    folder = tmp_path / "reports"
    folder.mkdir()
    for name, text in REPORTS.items():
        (folder / name).write_text(text, encoding="utf-8")
    ingest(engine, [str(folder)])
    docs = {d["uri"].rsplit("/", 1)[-1]: d for d in list_documents(engine)}
    with engine.begin() as conn:
        for actor_id, name, kind in [("amara-okafor", "Amara Okafor", "person"), ("istvan-varga", "Istvan Varga", "person"),
                                     ("norway", "Norway", "state"), ("finland", "Finland", "state")]:
            store.upsert_actor(conn, ActorRecord(actor_id, name, kind))
        common = {"extractor": "events/1", "confidence": 0.8, "start": 0, "end": 10, "location": "Oslo"}
        conn.execute(events.insert(), [
            {**common, "doc": docs["one.txt"]["id"], "type": "CONSULT", "actors": ["amara-okafor"],
             "recipients": ["istvan-varga"], "date": "2013-05-07", "date_text": "Tuesday", "status": "reported", "text": "met"},
            {**common, "doc": docs["two.txt"]["id"], "type": "CONSULT", "actors": ["amara-okafor", "istvan-varga"],
             "recipients": [], "date": "2013-05-06/2013-05-12", "date_text": "this week", "status": "reported", "text": "held talks"},
            {**common, "doc": docs["three.txt"]["id"], "type": "ACCUSE", "actors": ["norway"], "recipients": ["finland"],
             "date": None, "date_text": None, "status": "reported", "text": "accused", "location": None},
        ])
    return engine


def test_event_rows_carry_source_and_names(stored):
    rows = event_rows(stored)
    assert len(rows) == 3
    meeting = next(r for r in rows if r["text"] == "met")
    assert meeting["actor_names"] == ["Amara Okafor"] and meeting["recipient_names"] == ["Istvan Varga"]
    assert meeting["published"] == "2013-05-07"
    assert [r["text"] for r in rows] == ["held talks", "met", "accused"]  # by first possible day; undated by publication


def test_event_filters_by_actor_name_type_and_dates(stored):
    assert {r["text"] for r in event_rows(stored, actor="varga")} == {"met", "held talks"}
    assert {r["text"] for r in event_rows(stored, actor="finland")} == {"accused"}
    assert [r["text"] for r in event_rows(stored, type="accuse")] == ["accused"]
    assert {r["text"] for r in event_rows(stored, since="2013-05-10")} == {"held talks", "accused"}  # the week reaches past the 10th
    assert {r["text"] for r in event_rows(stored, until="2013-05")} == {"met", "held talks"}
    with pytest.raises(EventQueryError, match="ISO prefix"):
        event_rows(stored, since="last spring")


def test_timeline_rows_merge_reports_and_count_sources(stored):
    rows = timeline_rows(stored)
    assert [(r["type"], r["sources"]) for r in rows] == [("CONSULT", 2), ("ACCUSE", 1)]
    meeting = rows[0]
    assert meeting["date"] == "2013-05-07"
    assert set(meeting["actor_names"]) | set(meeting["recipient_names"]) == {"Amara Okafor", "Istvan Varga"}
    assert len(meeting["docs"]) == 2 and meeting["location"] == "Oslo"
    assert [r["type"] for r in timeline_rows(stored, min_sources=2)] == ["CONSULT"]
    assert [r["type"] for r in timeline_rows(stored, actor="norway")] == ["ACCUSE"]


def test_undated_reports_are_merged_without_trying_every_earlier_entry(monkeypatch):
    """Thousands of undated reports over a year: each is tried only against entries of its own fortnight."""
    from datetime import timedelta

    from detente.analysis import timeline

    tried = {"n": 0}
    real_fits = timeline._fits

    def counting_fits(entry, row, bounds):
        tried["n"] += 1
        return real_fits(entry, row, bounds)

    monkeypatch.setattr(timeline, "_fits", counting_fits)
    rows = [
        {"id": n, "doc": f"doc-{n}", "start": 0, "type": "CONSULT", "status": "reported", "mode": None,
         "actors": [f"party-{n % 40}"], "recipients": [f"party-{(n + 1) % 40}"], "date": None, "date_text": None,
         "published": (date(2015, 1, 1) + timedelta(days=n % 365)).isoformat()}
        for n in range(2000)
    ]
    entries = timeline.build_timeline(rows)
    assert sum(len(e.reports) for e in entries) == len(rows)
    assert tried["n"] < 100 * len(rows)  # every earlier entry would be about len(rows)² / 2 tries
