"""The app against hostile requests: bad text in a POST, numbers and filters no one would type, foreign sites.

Each answer is a 4xx with a message saying what was wrong, never a 500,
and nothing reaches the store. The app answers only for the address it
serves and takes writes only from its own pages (see detente/web/guard.py).
"""

from __future__ import annotations

import warnings

import pytest
from click.testing import CliRunner
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from web_store import WebStore

with warnings.catch_warnings():
    warnings.simplefilter("ignore")
    from fastapi.testclient import TestClient

from detente.web.app import create_app

LOCAL = "http://127.0.0.1:8000"
LISTINGS = ["documents", "actors", "events", "timeline", "quotes", "stances", "claims", "disputes"]
# Every free-text query parameter of every route, API and pages.
TEXT_FILTERS = {
    "/api/documents": ["actor", "outlet"],
    "/api/actors": ["type"],
    "/api/events": ["actor", "type"],
    "/api/timeline": ["actor", "type"],
    "/api/quotes": ["actor", "doc"],
    "/api/stances": ["actor", "target"],
    "/api/claims": ["property", "subject"],
    "/api/disputes": ["type"],
    "/api/search": ["q"],
    "/timeline": ["actor", "type"],
    "/search": ["q"],
}
HUGE = "9223372036854775808"  # 2**63: one past SQLite's integers
LONG = "a" * 50_000  # SQLite refuses a LIKE pattern this long


@pytest.fixture(scope="module")
def db(tmp_path_factory) -> str:
    from detente.store.database import open_engine

    path = str(tmp_path_factory.mktemp("hostile") / "web.db")
    WebStore(open_engine(path)).engine.dispose()
    return path


@pytest.fixture(scope="module")
def client(db) -> TestClient:
    return TestClient(create_app(db), base_url=LOCAL, raise_server_exceptions=False)


@pytest.fixture
def writable(db, tmp_path) -> TestClient:
    import shutil

    copy = str(tmp_path / "writable.db")
    shutil.copy(db, copy)
    return TestClient(create_app(copy, writable=True), base_url=LOCAL, raise_server_exceptions=False)


# ------------------------------------------------------------------------- text in a POST


@pytest.mark.parametrize("field", ["text", "title", "outlet"])
def test_a_lone_surrogate_in_a_post_is_a_clear_4xx_read_only_or_not(client, writable, field):
    body = {"text": "Norway and Finland met in Turku on Friday.", field: "before \\ud800 after"}
    raw = "{" + ", ".join(f'"{k}": "{v}"' for k, v in body.items()) + "}"
    for app in (client, writable):
        answer = app.post("/api/documents", content=raw.encode("ascii"), headers={"content-type": "application/json"})
        assert answer.status_code == 422
        assert "surrogate" in answer.json()["detail"] and field in str(answer.json()["errors"])
    assert writable.get("/api/documents").json()["total"] == 4


def test_a_body_that_is_not_json_is_a_4xx(writable):
    answer = writable.post("/api/documents", content=b"\xff\xfe not json", headers={"content-type": "application/json"})
    assert 400 <= answer.status_code < 500


# ---------------------------------------------------------------------- numbers and filters


@pytest.mark.parametrize("listing", LISTINGS)
@pytest.mark.parametrize("value", [HUGE, "9223372036854775807", "-1", "-" + HUGE, "1e3", "abc"])
def test_offsets_beyond_any_store_or_negative_are_4xx(client, listing, value):
    answer = client.get(f"/api/{listing}", params={"offset": value})
    assert answer.status_code == 422, answer.text
    assert "offset" in answer.text


@pytest.mark.parametrize("path", ["/api/search?q=truce&offset=" + HUGE, "/search?q=truce&offset=" + HUGE,
                                  "/api/timeline?min_sources=" + HUGE, "/api/documents?limit=" + HUGE])
def test_other_huge_numbers_are_4xx(client, path):
    assert client.get(path).status_code == 422


@pytest.mark.parametrize(("path", "name"), [(p, n) for p, names in TEXT_FILTERS.items() for n in names])
def test_a_filter_of_50000_characters_is_a_4xx_never_a_500(client, path, name):
    params = {name: LONG} if name == "q" else {name: LONG, "q": "truce"} if "search" in path else {name: LONG}
    answer = client.get(path, params=params)
    assert 400 <= answer.status_code < 500, (path, name, answer.status_code)


@pytest.mark.parametrize("path", ["/documents/", "/api/documents/", "/actors/", "/api/actors/"])
def test_an_id_of_50000_characters_is_not_found(client, path):
    assert client.get(path + LONG).status_code == 404
    assert client.get(path + "0" * 50_000).status_code == 404  # hex digits: read as a prefix before


@pytest.mark.parametrize("listing", ["documents", "quotes", "stances"])
def test_percent_and_underscore_in_an_actor_filter_are_literal(client, listing):
    assert client.get(f"/api/{listing}", params={"actor": "okafor" if listing != "stances" else "varga"}).json()["total"] > 0
    for wildcard in ("%", "_", "%okafor", "ok_for", "v_rga", "%varga%", "norw_y"):
        found = client.get(f"/api/{listing}", params={"actor": wildcard}).json()
        assert found["total"] == 0, (listing, wildcard, found["items"][:1])


def test_percent_and_underscore_in_a_target_filter_are_literal(client):
    assert client.get("/api/stances", params={"target": "truce-plan"}).json()["total"] == 3
    for wildcard in ("%", "truce_plan", "tr%"):
        assert client.get("/api/stances", params={"target": wildcard}).json()["total"] == 0, wildcard


# ---------------------------------------------------------------------- foreign sites


REPORT = {"text": "Norway and Finland met in Turku on Friday to talk about the corridor, officials said."}


@pytest.mark.parametrize("host", ["evil.example", "evil.example:8000", "127.0.0.1.evil.example", "localhost.evil.example"])
def test_a_request_for_a_foreign_host_is_refused(db, writable, host):
    reader = TestClient(create_app(db), base_url=f"http://{host}", raise_server_exceptions=False)
    refused = reader.get("/api/documents")
    assert refused.status_code == 403 and "DNS-rebinding" in refused.json()["detail"]
    assert reader.get("/").status_code == 403
    write = writable.post("/api/documents", json=REPORT, headers={"host": host, "origin": f"http://{host}"})
    assert write.status_code == 403 and host in write.json()["detail"]
    assert writable.get("/api/documents").json()["total"] == 4


@pytest.mark.parametrize("host", ["127.0.0.1:8000", "localhost:8000", "LOCALHOST", "[::1]:8000", "127.0.0.1"])
def test_loopback_names_are_served(db, host):
    app = TestClient(create_app(db), base_url=LOCAL)
    assert app.get("/api/documents", headers={"host": host}).status_code == 200


@pytest.mark.parametrize("headers", [
    {"origin": "http://evil.example"},
    {"origin": "null"},
    {"origin": "http://127.0.0.1:9999"},  # another local app is another origin
    {"referer": "http://evil.example/page"},
    {"sec-fetch-site": "cross-site"},
    {"sec-fetch-site": "same-site", "origin": "http://127.0.0.1:8000"},
])
def test_a_write_from_another_origin_is_refused(writable, headers):
    refused = writable.post("/api/documents", json=REPORT, headers=headers)
    assert refused.status_code == 403 and "Refused a write" in refused.json()["detail"]
    assert writable.get("/api/documents").json()["total"] == 4


def test_a_write_from_the_apps_own_origin_passes_the_guard(writable):
    """An empty text is refused by the report's own checks (422), not by the guard (403)."""
    for headers in ({"origin": LOCAL}, {"referer": LOCAL + "/api/docs"}, {"sec-fetch-site": "same-origin"}, {}):
        assert writable.post("/api/documents", json={"text": ""}, headers=headers).status_code == 422


def test_an_app_bound_to_every_interface_takes_any_host_but_no_foreign_write(db):
    app = TestClient(create_app(db, writable=True, host="0.0.0.0"), base_url="http://reports.lan:8000",
                     raise_server_exceptions=False)
    assert app.get("/api/documents").status_code == 200
    assert app.post("/api/documents", json=REPORT, headers={"origin": "http://evil.example"}).status_code == 403


def test_an_app_bound_to_an_address_answers_for_it(db):
    app = TestClient(create_app(db, host="192.0.2.7"), base_url="http://192.0.2.7:8000")
    assert app.get("/api/documents").status_code == 200


def test_serve_checks_the_host_it_binds(db, monkeypatch):
    import uvicorn

    from detente.cli import main

    served = []
    monkeypatch.setattr(uvicorn, "run", lambda app, **options: served.append(app))
    assert CliRunner().invoke(main, ["serve", "--db", db, "--writable"]).exit_code == 0
    app = TestClient(served[-1], base_url="http://evil.example", raise_server_exceptions=False)
    assert app.post("/api/documents", json=REPORT, headers={"origin": "http://evil.example"}).status_code == 403
    assert TestClient(served[-1], base_url=LOCAL).get("/api/documents").status_code == 200


# ------------------------------------------------------------------------ any query at all

_text = st.text(st.characters(exclude_categories=("Cs",)), max_size=60)
_number = st.one_of(st.integers(), st.integers(min_value=-(2**70), max_value=2**70).map(str), _text)
_params = st.dictionaries(
    st.sampled_from(["actor", "since", "until", "type", "target", "doc", "outlet", "property", "subject", "q", "kind",
                     "limit", "offset", "min_sources", "week"]),
    st.one_of(_text, _number),
    max_size=5,
)


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(route=st.sampled_from([*(f"/api/{name}" for name in LISTINGS), "/api/search", "/timeline", "/search", "/documents",
                             "/actors", "/api/actors/amara-okafor"]),
       params=_params)
def test_no_query_string_makes_a_500(client, route, params):
    answer = client.get(route, params={k: str(v) for k, v in params.items()})
    assert answer.status_code < 500, (route, params, answer.text[:300])
