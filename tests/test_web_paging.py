"""The app's listings page and filter in SQL and still give exactly what the CLI's store functions give.

The API reads one page with LIMIT/OFFSET and counts with COUNT; the date
windows and the actor filter of events, which the CLI applies in Python, are
SQL there. Walking every page must give the CLI's rows, in the CLI's order,
for every filter; and the SQL date window must agree with the Python one on
any date a store can hold.
"""

from __future__ import annotations

import warnings

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from sqlalchemy import create_engine, literal, select
from web_store import WebStore

with warnings.catch_warnings():
    warnings.simplefilter("ignore")
    from fastapi.testclient import TestClient

from detente.store.claims import claim_rows, dispute_rows
from detente.store.events import event_rows
from detente.store.extraction import actor_rows, quote_rows
from detente.store.stances import stance_rows
from detente.web.app import create_app
from detente.web.queries import within
from detente.web.records import in_window


@pytest.fixture(scope="module")
def store(tmp_path_factory):
    from detente.store.database import open_engine

    path = str(tmp_path_factory.mktemp("paging") / "web.db")
    built = WebStore(open_engine(path))
    return path, built


@pytest.fixture(scope="module")
def client(store) -> TestClient:
    return TestClient(create_app(store[0]), base_url="http://127.0.0.1:8000")


def walk(client: TestClient, listing: str, **params) -> list[dict]:
    """Every item of a listing, two at a time, checking the totals on the way."""
    items, offset, total = [], 0, None
    while offset is not None:
        page = client.get(f"/api/{listing}", params={**params, "limit": 2, "offset": offset}).json()
        assert total is None or page["total"] == total
        total, offset = page["total"], page["next_offset"]
        items += page["items"]
    assert len(items) == total
    return items


def ids(rows: list[dict]) -> list:
    return [r["id"] for r in rows]


WINDOWS = [{}, {"since": "2013-05-08"}, {"until": "2013-05"}, {"since": "2013-09", "until": "2013-10-04"}, {"since": "2014"}]


@pytest.mark.parametrize("window", WINDOWS)
@pytest.mark.parametrize("actor", [None, "okafor", "norway", "finland", "istvan-varga", "nobody", "a"])
def test_events_page_as_the_cli_lists_them(client, store, actor, window):
    params = {k: v for k, v in {"actor": actor, **window}.items() if v}
    expected = event_rows(store[1].engine, actor=actor, since=window.get("since"), until=window.get("until"))
    got = walk(client, "events", **params)
    assert ids(got) == ids(expected)
    assert [g["actors_names"] for g in got] == [e["actor_names"] for e in expected]


@pytest.mark.parametrize("window", WINDOWS)
@pytest.mark.parametrize("actor", [None, "okafor", "finland", "nobody"])
def test_quotes_page_as_the_cli_lists_them(client, store, actor, window):
    params = {k: v for k, v in {"actor": actor, **window}.items() if v}
    expected = [r for r in quote_rows(store[1].engine, speaker=actor)
                if in_window(r.get("date") or r.get("published"), window.get("since"), window.get("until"))]
    assert ids(walk(client, "quotes", **params)) == ids(expected)


@pytest.mark.parametrize("window", WINDOWS)
@pytest.mark.parametrize(("actor", "target"), [(None, None), ("norway", None), (None, "truce-plan"), ("varga", "truce")])
def test_stances_page_as_the_cli_lists_them(client, store, actor, target, window):
    params = {k: v for k, v in {"actor": actor, "target": target, **window}.items() if v}
    expected = [r for r in stance_rows(store[1].engine, actor=actor, target=target)
                if in_window(r.get("date") or r.get("published"), window.get("since"), window.get("until"))]
    got = walk(client, "stances", **params)
    assert ids(got) == ids(expected)
    assert [(g["text"], g["target_name"]) for g in got] == [(e["text"], e["target_name"]) for e in expected]


@pytest.mark.parametrize("window", WINDOWS)
def test_claims_disputes_and_actors_page_as_the_cli_lists_them(client, store, window):
    engine = store[1].engine
    expected = [r for r in claim_rows(engine) if in_window(r.get("date"), window.get("since"), window.get("until"))]
    got = walk(client, "claims", **window)
    assert ids(got) == ids(expected) and [g["reported_by"] for g in got] == [e["reported_by"] for e in expected]
    assert ids(walk(client, "disputes")) == ids(dispute_rows(engine))
    actors = actor_rows(engine)
    got_actors = walk(client, "actors")
    assert ids(got_actors) == ids(actors) and [a["roles"] for a in got_actors] == [a["roles"] for a in actors]
    assert ids(walk(client, "actors", type="state")) == ids([a for a in actors if a["kind"] == "state"])


# A date as a store holds it: an ISO prefix of any precision, a range, a timestamp, or NULL.
_day = st.dates(min_value=__import__("datetime").date(1990, 1, 1), max_value=__import__("datetime").date(2030, 12, 31))
_prefix = st.builds(lambda d, n: d.isoformat()[:n], _day, st.sampled_from([4, 7, 10]))
_value = st.one_of(
    st.none(), _prefix,
    st.builds(lambda a, b: f"{min(a, b)}/{max(a, b)}", _day, _day),
    st.builds(lambda d: d.isoformat() + "T09:30:00", _day),
)


@settings(max_examples=300, deadline=None)
@given(value=_value, since=st.one_of(st.none(), _prefix), until=st.one_of(st.none(), _prefix))
def test_the_sql_date_window_is_the_python_one(value, since, until):
    condition = within(literal(value), since, until)
    if condition is None:
        return
    engine = create_engine("sqlite://")
    with engine.connect() as conn:
        in_sql = bool(conn.execute(select(condition)).scalar())
    assert in_sql == in_window(value, since, until), (value, since, until)


@pytest.mark.parametrize("actor", ["a", "o", "nor"])
def test_an_actor_filter_naming_many_actors_matches_by_a_join(client, store, monkeypatch, actor):
    import detente.web.queries as queries

    monkeypatch.setattr(queries, "MAX_NAMED_ACTORS", 1)  # what a one-letter filter is on a large store
    assert ids(walk(client, "events", actor=actor)) == ids(event_rows(store[1].engine, actor=actor))


def test_an_actors_mentions_and_quotes_come_a_page_at_a_time(client):
    whole = client.get("/api/actors/amara-okafor", params={"limit": 500}).json()
    assert whole["mentions_total"] == len(whole["mentions"]) >= 2 and whole["quotes_total"] == len(whole["quotes"]) == 1
    first = client.get("/api/actors/amara-okafor", params={"limit": 1}).json()
    second = client.get("/api/actors/amara-okafor", params={"limit": 1, "offset": 1}).json()
    assert [m["id"] for m in first["mentions"] + second["mentions"]] == [m["id"] for m in whole["mentions"][:2]]
    assert first["mentions_total"] == whole["mentions_total"] and first["mentions"][0]["actor_name"] == "Amara Okafor"


def test_the_documents_and_actors_pages_come_a_page_at_a_time(client, monkeypatch):
    import detente.web.views as views

    monkeypatch.setattr(views, "PAGE_SIZE", 3)
    first, second = client.get("/documents").text, client.get("/documents?offset=3").text
    assert "Documents 1–3 of 4." in first and 'href="/documents?offset=3"' in first
    assert "Documents 4–4 of 4." in second and 'href="/documents"' in second
    assert "Envoys meet in Oslo" in first and "Envoys meet in Oslo" not in second
    assert "Actors 1–3 of 5." in client.get("/actors").text and "Actors 4–5 of 5." in client.get("/actors?offset=3").text


def test_the_timeline_page_shows_whole_weeks_and_links_the_pages_around_it(client, monkeypatch):
    import detente.web.views as views

    whole = client.get("/timeline").text  # a small store fits on one page
    assert "Events from 2013-05-06 to 2013-10-06" in whole and whole.count('class="tl-entry"') == 3
    monkeypatch.setattr(views, "REPORTS_SHOWN", 1)  # a week at a time, as on a large store
    first = client.get("/timeline").text  # the first week with events: the Oslo meeting, merged from two reports
    assert "Events from 2013-05-06 to 2013-05-12" in first and first.count('class="tl-entry"') == 1
    assert "accused" not in first and 'href="/timeline?week=2013-09-16"' in first
    september = client.get("/timeline", params={"week": "2013-09-18"}).text
    assert "Events from 2013-09-16 to 2013-09-22" in september and "Norway accused Finland" in september
    assert 'href="/timeline?week=2013-05-06"' in september and 'href="/timeline?week=2013-09-30"' in september
    filtered = client.get("/timeline", params={"actor": "finland"}).text  # the first week Finland takes part in
    assert "Events from 2013-09-16" in filtered and 'week=2013-09-30&amp;actor=finland' in filtered
    assert client.get("/timeline", params={"week": "2013-13-01"}).status_code == 422


def test_the_stances_and_claims_pages_hold_what_the_report_shows_when_one_page_holds_it_all(store):
    from detente.present.views import build_claims, build_stances
    from detente.web import views

    engine = store[1].engine
    with engine.connect() as conn:
        stances, claims = views.stances_page(conn, 0), views.claims_page(conn, 0)
    report = build_stances(engine)
    assert stances["matrix"] == report["matrix"] and stances["series"] == report["series"]
    assert [t["id"] for t in stances["targets"]] == [t["id"] for t in report["targets"]]
    expected = build_claims(engine)
    assert [s["points"] for s in claims["series"]] == [s["points"] for s in expected["series"]]
    assert claims["disputes"] == expected["disputes"] and claims["pager"]["total"] == len(expected["series"])


def test_the_stances_page_comes_a_page_of_actors_at_a_time(client, monkeypatch):
    import detente.web.views as views

    monkeypatch.setattr(views, "ACTORS_PAGE", 2)
    first, rest = client.get("/stances").text, client.get("/stances?offset=2").text
    assert "Actors with stances 1–2 of 3." in first and 'href="/stances?offset=2"' in first
    assert "Actors with stances 3–3 of 3." in rest and "Norway" in rest and "Norway" not in first.split("<h1>")[1]


def test_a_document_page_reads_only_its_own_rows_and_shows_what_the_report_shows(store):
    from detente.present.views import build_document
    from detente.web import views

    engine = store[1].engine
    with engine.connect() as conn:
        for doc in store[1].texts:
            assert views.document_view(conn, doc) == build_document(engine, doc)
            assert views.document_view(conn, doc[:6]) == build_document(engine, doc[:6])
        assert views.document_view(conn, "ffff") is None
