"""The web app and its JSON API, in-process (the real ASGI app over a real store file).

The store (tests/web_store.py) holds a hostile article: its title, text,
outlet and link carry a script, markup and a `javascript:` link, and one
actor's name is an <img onerror=…>. Every page must show them as text and
the API must return them as the plain strings they are.
"""

from __future__ import annotations

import json
import re
import warnings
from html.parser import HTMLParser

import pytest
from click.testing import CliRunner
from conftest import EXAMPLES
from sqlalchemy import insert
from sqlalchemy.exc import DBAPIError
from web_store import HOSTILE_NAME, JS_LINK, SCRIPT, WebStore

from detente.store.schema import schema_info

with warnings.catch_warnings():
    warnings.simplefilter("ignore")
    from fastapi.testclient import TestClient

from detente.web.app import create_app
from detente.web.security import content_security_policy

API_LISTINGS = ["documents", "actors", "events", "timeline", "quotes", "stances", "claims", "disputes"]
PAGES = ["/", "/timeline", "/actors", "/stances", "/claims", "/documents", "/search", "/search?q=truce"]
HOSTILE_QUERY = "'; DROP TABLE documents; --"
LOCAL = "http://127.0.0.1:8000"  # the app answers only for the address it serves (see detente/web/guard.py)


@pytest.fixture
def store(store_url) -> tuple[str, WebStore]:
    from detente.store.database import open_engine

    db = store_url
    built = WebStore(open_engine(db))
    built.engine.dispose()
    return db, built


@pytest.fixture
def client(store) -> TestClient:
    db, _ = store
    return TestClient(create_app(db), base_url=LOCAL)


class Markup(HTMLParser):
    """What a browser would build from a page: its elements, their attributes, and each script's text."""

    def __init__(self, html: str) -> None:
        super().__init__()
        self.tags: list[tuple[str, dict]] = []
        self.scripts: list[tuple[str, str]] = []  # (type, text)
        self._script_type: str | None = None
        self.feed(html)

    def handle_starttag(self, tag, attrs):
        self.tags.append((tag, dict(attrs)))
        self._script_type = (dict(attrs).get("type") or "text/javascript") if tag == "script" else None

    def handle_endtag(self, tag):
        self._script_type = None

    def handle_data(self, data):
        if self._script_type:
            self.scripts.append((self._script_type, data))


def every_page(store: WebStore) -> list[str]:
    actors = ["amara-okafor", "istvan-varga", "norway", "finland", "hostile-actor"]
    return PAGES + [f"/actors/{a}" for a in actors] + [f"/documents/{d}" for d in store.texts] + [
        "/search?q=reader", "/search?q=denied", "/search?q=fewer&kind=quote", f"/search?q={SCRIPT}",
        "/timeline?actor=finland", "/api/docs",
    ]


# ------------------------------------------------------------------------------------ pages


def test_every_page_renders_with_security_headers(client, store):
    for path in every_page(store[1]):
        response = client.get(path)
        assert response.status_code == 200, path
        assert response.headers["content-type"].startswith("text/html")
        assert response.headers["x-content-type-options"] == "nosniff"
        policy = response.headers["content-security-policy"]
        assert "default-src 'self'" in policy and "object-src 'none'" in policy
        assert "'unsafe-inline'" not in policy.split("script-src")[1].split(";")[0], path


def test_inline_scripts_are_allowed_by_hash_only(client):
    html = client.get("/timeline").text
    policy = client.get("/timeline").headers["content-security-policy"]
    inline = re.findall(r"<script(?![^>]*\bsrc=)[^>]*>", html)
    assert inline, "the timeline page draws its plot and filter from inline scripts"
    assert policy == content_security_policy(html)
    assert policy.count("'sha256-") >= 1
    assert content_security_policy(html + "<script>alert(1)</script>") != policy


def test_pages_link_to_each_other_by_app_paths(client, store):
    _, built = store
    overview = client.get("/").text
    assert 'href="/actors/amara-okafor"' in overview
    timeline = client.get("/timeline").text
    assert f'href="/documents/{built.oslo_doc}#fact-event-{built.ids["met"]}"' in timeline
    document = client.get(f"/documents/{built.oslo_doc}").text
    assert f'id="fact-event-{built.ids["met"]}"' in document
    assert "<svg" in timeline and "plotly" not in timeline  # figures are inline SVG: no charting library to load
    quote = f"/documents/{built.oslo_doc}#fact-quote-{built.ids['quote']}"
    assert f'href="{quote}"' in client.get("/search", params={"q": "closer", "kind": "quote"}).text
    assert f'id="fact-quote-{built.ids["quote"]}"' in document


def test_static_files_come_from_the_package(client):
    assert client.get("/static/app.css").status_code == 200
    for path in ["/", "/timeline", "/api/docs"]:
        assert not re.search(r"""(src|href)=["']?(https?:)?//""", client.get(path).text), path


def test_the_timeline_filters_on_the_server_too(client):
    html = client.get("/timeline?actor=norway&type=ACCUSE").text
    assert html.count('class="tl-entry"') == 1 and "Norway" in html
    assert client.get("/timeline?type=CONSULT").text.count('class="tl-entry"') == 1


def test_missing_records_are_404_pages(client):
    for path in ["/actors/nobody", "/documents/ffffffffffffffff", "/documents/" + HOSTILE_QUERY, "/nowhere"]:
        response = client.get(path)
        assert response.status_code == 404, path
        assert response.headers["content-type"].startswith("text/html"), path
        assert 'href="/"' in response.text, path  # a way back


def test_without_a_file_the_negotiation_page_is_the_draft_or_says_what_to_do(client, tmp_path):
    from detente.store.database import open_engine

    drafted = client.get("/negotiation")
    assert drafted.status_code == 200 and 'class="badge">draft<' in drafted.text and "draft-provenance" in drafted.text
    empty = str(tmp_path / "empty.db")
    open_engine(empty).dispose()
    response = TestClient(create_app(empty), base_url=LOCAL).get("/negotiation")
    assert response.status_code == 404 and "detente serve --negotiation" in response.text


def test_head_is_answered_like_get_without_a_body(client):
    for path in ["/", "/api/documents", "/static/app.css"]:
        head, get = client.head(path), client.get(path)
        assert head.status_code == 200 and head.content == b"", path
        assert head.headers["content-type"] == get.headers["content-type"], path
        assert head.headers["x-content-type-options"] == "nosniff"


def test_the_negotiation_page_with_a_model_file(store):
    db, _ = store
    client = TestClient(create_app(db, model=str(EXAMPLES / "negotiation.yaml")), base_url=LOCAL)
    response = client.get("/negotiation")
    assert response.status_code == 200
    assert 'href="/negotiation"' in client.get("/").text
    assert 'href="/negotiation"' in TestClient(create_app(db), base_url=LOCAL).get("/").text  # the draft from the store


# ---------------------------------------------------------------------------------- hostile


def test_hostile_text_is_escaped_on_every_page(client, store):
    _, built = store
    for path in every_page(built):
        html = client.get(path).text
        assert SCRIPT not in html and "<b>bold</b>" not in html and "<img src=x" not in html, path
        page = Markup(html)
        assert not [t for t, _ in page.tags if t in ("b", "img")], path
        for tag, attrs in page.tags:
            assert not [a for a in attrs if a.startswith("on")], (path, tag, attrs)
            assert not (attrs.get("href") or "").strip().lower().startswith("javascript:"), (path, attrs)
            assert not (attrs.get("src") or "").strip().lower().startswith("javascript:"), (path, attrs)
        for kind, script in page.scripts:
            if kind == "application/json":
                json.loads(script)  # data, whole: nothing in it closed the element early
            else:
                assert "alert(" not in script, path
    document = client.get(f"/documents/{built.hostile_doc}").text
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in document
    assert "javascript:alert(2)" in document  # shown, as text
    assert "&lt;img src=x onerror=alert(3)&gt;" in client.get("/actors/hostile-actor").text


def test_the_api_returns_hostile_text_as_plain_strings(client, store):
    _, built = store
    doc = client.get(f"/api/documents/{built.hostile_doc}").json()
    assert doc["text"] == built.texts[built.hostile_doc]
    assert SCRIPT in doc["title"] and doc["uri"] == "javascript:alert(4)"
    actor = client.get("/api/actors/hostile-actor").json()
    assert actor["name"] == HOSTILE_NAME
    stances = client.get("/api/stances", params={"actor": "hostile-actor"}).json()["items"]
    assert stances[0]["condition"] == JS_LINK and stances[0]["actor_name"] == HOSTILE_NAME
    response = client.get("/api/search", params={"q": "reader"})
    assert response.headers["content-type"] == "application/json"
    assert SCRIPT in response.json()["items"][0]["snippet"]


def test_a_hostile_query_string_harms_nothing(client):
    before = client.get("/api/documents").json()["total"]
    for path, params in [
        ("/api/search", {"q": HOSTILE_QUERY}), ("/api/events", {"actor": HOSTILE_QUERY}),
        ("/api/documents", {"outlet": HOSTILE_QUERY}), ("/api/documents", {"actor": HOSTILE_QUERY}),
        ("/api/quotes", {"actor": HOSTILE_QUERY, "doc": HOSTILE_QUERY}), ("/api/stances", {"target": HOSTILE_QUERY}),
        ("/api/claims", {"property": HOSTILE_QUERY}), ("/search", {"q": HOSTILE_QUERY}),
        ("/timeline", {"actor": HOSTILE_QUERY, "type": HOSTILE_QUERY}),
    ]:
        response = client.get(path, params=params)
        assert response.status_code == 200, path
        if path.startswith("/api/"):
            assert response.json()["total"] == 0, path
        else:
            assert "DROP TABLE documents" in response.text or path == "/timeline"
    assert client.get("/api/documents").json()["total"] == before == 4


# -------------------------------------------------------------------------------------- API


def test_every_listing_is_a_page(client):
    for name in API_LISTINGS:
        body = client.get(f"/api/{name}").json()
        assert set(body) == {"items", "total", "limit", "offset", "next_offset"}, name
        assert body["total"] == len(body["items"]) > 0, name


def test_pagination_walks_every_item_once(client):
    seen, offset, totals = [], 0, set()
    while offset is not None:
        body = client.get("/api/documents", params={"limit": 1, "offset": offset}).json()
        seen += [d["id"] for d in body["items"]]
        totals.add(body["total"])
        offset = body["next_offset"]
    assert totals == {4} and len(seen) == len(set(seen)) == 4
    assert [d["id"] for d in client.get("/api/documents").json()["items"]] == seen
    assert client.get("/api/events", params={"limit": 2, "offset": 2}).json()["next_offset"] is None
    assert client.get("/api/events", params={"limit": 2}).json()["next_offset"] == 2


def test_limits_are_bounded(client):
    assert client.get("/api/documents", params={"limit": 501}).status_code == 422
    assert client.get("/api/documents", params={"limit": 0}).status_code == 422
    assert client.get("/api/quotes", params={"offset": -1}).status_code == 422
    assert client.get("/api/search", params={"q": "truce", "limit": 101}).status_code == 422


def test_filters_of_the_cli(client, store):
    _, built = store

    def items(name, **params):
        return client.get(f"/api/{name}", params=params).json()["items"]

    assert {e["id"] for e in items("events", actor="norway")} == {built.ids["accused"]}
    assert {e["id"] for e in items("events", type="consult")} == {built.ids["met"], built.ids["talks"]}
    assert {e["id"] for e in items("events", since="2013-09")} == {built.ids["accused"], built.ids["rejected"]}
    assert {e["id"] for e in items("events", until="2013-05-08")} == {built.ids["met"], built.ids["talks"]}
    assert [t["type"] for t in items("timeline", actor="varga")] == ["CONSULT"]
    assert [t["sources"] for t in items("timeline", type="CONSULT")] == [2]
    assert {q["id"] for q in items("quotes", actor="okafor")} == {built.ids["quote"]}
    assert {q["id"] for q in items("quotes", since="2013-10")} == {built.ids["hostile_quote"]}
    assert {s["id"] for s in items("stances", target="truce-plan", actor="norway")} == {built.ids["backs"]}
    assert {s["id"] for s in items("stances", until="2013-05-08")} == {built.ids["supports"]}
    assert {c["id"] for c in items("claims", property="death_toll", since="2013-10")} == {built.ids["lower_toll"]}
    assert items("claims", property="displaced") == []
    assert [d["kind"] for d in items("disputes", type="contradiction")] == ["contradiction"]
    assert items("disputes", type="rebuttal") == []
    assert {d["id"] for d in items("documents", actor="finland")} == {list(built.texts)[2], built.hostile_doc}
    assert {d["id"] for d in items("documents", since="2013-09", until="2013-09")} == {list(built.texts)[2]}
    assert {d["outlet"] for d in items("documents", outlet="harbour post")} == {"Harbour Post"}
    assert {a["id"] for a in items("actors", type="state")} == {"norway", "finland"}
    assert client.get("/api/events", params={"since": "last spring"}).status_code == 422


def test_records_follow_the_export_contract(client):
    event = next(e for e in client.get("/api/events").json()["items"] if e["type"] == "ACCUSE")
    assert event["actors"] == ["norway"] and event["actors_names"] == ["Norway"]
    assert event["recipients_names"] == ["Finland"]
    quote = client.get("/api/quotes", params={"actor": "okafor"}).json()["items"][0]
    assert quote["speaker"] == "amara-okafor" and quote["speaker_name"] == "Amara Okafor"
    claim = client.get("/api/claims", params={"since": "2013-10"}).json()["items"][0]
    assert claim["attributed_to"] == "finland" and claim["attributed_to_name"] == "Finland"
    for doc in client.get("/api/documents").json()["items"]:
        assert "content_hash" not in doc and {"id", "title", "text", "published", "removed"} <= set(doc)
    actor = client.get("/api/actors/istvan-varga").json()
    assert actor["name"] == "Istvan Varga" and all(m["actor_name"] == "Istvan Varga" for m in actor["mentions"])


def test_one_record_by_id_and_404s(client, store):
    _, built = store
    assert client.get(f"/api/documents/{built.oslo_doc}").json()["id"] == built.oslo_doc
    assert client.get(f"/api/documents/{built.oslo_doc[:6]}").json()["id"] == built.oslo_doc  # a prefix, as `detente show`
    for path in ["/api/documents/ffff", "/api/documents/%25", "/api/actors/nobody", "/api/nothing"]:
        response = client.get(path)
        assert response.status_code == 404, path
        assert response.headers["content-type"] == "application/json"


def test_search_endpoint(client, store):
    _, built = store
    body = client.get("/api/search", params={"q": "truce"}).json()
    assert body["engine"] in ("fts5", "tsvector") and body["total"] == 2
    assert {h["doc"] for h in body["items"]} == {built.oslo_doc, list(built.texts)[1]}
    quotes = client.get("/api/search", params={"q": "okafor", "kind": "quote"}).json()
    assert [h["kind"] for h in quotes["items"]] == ["quote"]
    first = client.get("/api/search", params={"q": "oslo", "limit": 1}).json()
    second = client.get("/api/search", params={"q": "oslo", "limit": 1, "offset": first["next_offset"]}).json()
    assert first["items"][0]["id"] != second["items"][0]["id"]
    for q in ['"', "AND (", "*", "NEAR("]:
        assert client.get("/api/search", params={"q": q}).status_code == 200


def test_openapi_describes_every_endpoint(client):
    schema = client.get("/api/openapi.json").json()
    for name in API_LISTINGS + ["search"]:
        assert f"/api/{name}" in schema["paths"]
    assert "/api/documents/{doc_id}" in schema["paths"] and "/api/actors/{actor_id}" in schema["paths"]
    docs = client.get("/api/docs").text
    assert "<script" not in docs and "/api/timeline" in docs


# ------------------------------------------------------------------------------- read-only


def test_read_only_refuses_writes(client, store):
    _, built = store
    refused = client.post("/api/documents", json={"text": "Norway and Finland met in Turku on Friday."})
    assert refused.status_code == 403 and "--writable" in refused.json()["detail"]
    for method in ("put", "delete", "patch"):
        assert getattr(client, method)("/api/documents").status_code == 405
        assert getattr(client, method)(f"/api/documents/{built.oslo_doc}").status_code == 405
    assert client.post("/").status_code == 405
    assert client.get("/api/documents").json()["total"] == 4
    # Even a bug in a route could not write: the connection itself is read-only.
    with (
        pytest.raises(DBAPIError,  # OperationalError on SQLite, InternalError on PostgreSQL
            match="readonly|read-only|query_only|attempt to write"),
        client.app.state.engine.begin() as conn,
    ):
        conn.execute(insert(schema_info).values(key="x", value="y"))


def test_writable_refuses_a_report_it_cannot_read(store):
    db, _ = store
    client = TestClient(create_app(db, writable=True), base_url=LOCAL)
    assert client.post("/api/documents", json={"text": ""}).status_code == 422
    assert client.post("/api/documents", json={"title": "no text"}).status_code == 422
    assert client.get("/api/documents").json()["total"] == 4


@pytest.mark.slow
def test_writable_adds_a_report_that_is_then_extracted_and_searchable(store):
    db, _ = store
    client = TestClient(create_app(db, writable=True), base_url=LOCAL)
    report = {
        "text": "Talks in Turku\n\nNorway and Finland held talks in Turku on Friday, officials said. "
                "\"We found common ground on the corridor,\" Norway's envoy told reporters.",
        "title": "Talks in Turku", "published": "2013-11-08", "outlet": "Baltic Desk",
    }
    response = client.post("/api/documents", json=report)
    assert response.status_code == 201
    body = response.json()
    (doc,) = body["added"]
    assert body["extracted"]["documents"] == 1
    assert client.get(f"/api/documents/{doc}").json()["outlet"] == "Baltic Desk"
    assert doc in {d["id"] for d in client.get("/api/documents", params={"actor": "norway"}).json()["items"]}
    found = client.get("/api/search", params={"q": "corridor"}).json()
    assert found["engine"] in ("fts5", "tsvector") and doc in {h["doc"] for h in found["items"]}
    again = client.post("/api/documents", json=report)
    assert again.status_code == 200 and again.json()["added"] == [] and again.json()["already_stored"] == 1


# ---------------------------------------------------------------------------- detente serve


def test_serve_tells_what_to_do_without_a_store(tmp_path):
    from detente.cli import main

    result = CliRunner().invoke(main, ["serve", "--db", str(tmp_path / "missing.db")])
    assert result.exit_code != 0
    assert "detente run" in result.output
    assert not (tmp_path / "missing.db").exists()


def test_serve_binds_localhost_and_warns_otherwise(store, monkeypatch):
    import uvicorn

    from detente.cli import main

    db, _ = store
    calls = []
    monkeypatch.setattr(uvicorn, "run", lambda app, **options: calls.append(options))
    local = CliRunner().invoke(main, ["serve", "--db", db])
    assert local.exit_code == 0 and calls[-1]["host"] == "127.0.0.1" and calls[-1]["port"] == 8000
    assert "Warning" not in local.output and "read-only" in local.output
    wide = CliRunner().invoke(main, ["serve", "--db", db, "--host", "0.0.0.0", "--port", "8123", "--writable"])
    assert wide.exit_code == 0 and calls[-1]["host"] == "0.0.0.0" and calls[-1]["port"] == 8123
    assert "Warning" in wide.output and "reachable" in wide.output


def test_serve_warns_of_a_store_without_the_indexes_its_pages_need_and_says_how_to_add_them(store, monkeypatch):
    import uvicorn
    from sqlalchemy import create_engine

    from detente.cli import main

    db, _ = store
    monkeypatch.setattr(uvicorn, "run", lambda app, **options: None)
    engine = create_engine(db if "://" in db else f"sqlite:///{db}")
    with engine.begin() as conn:  # a store made before the index was declared
        conn.exec_driver_sql("DROP INDEX ix_events_doc_date")
    engine.dispose()
    served = CliRunner().invoke(main, ["serve", "--db", db])
    assert served.exit_code == 0 and "ix_events_doc_date" in served.output and f"detente docs --db {db}" in served.output
    assert CliRunner().invoke(main, ["docs", "--db", db]).exit_code == 0  # opens it as the CLI does: the index is added
    again = CliRunner().invoke(main, ["serve", "--db", db])
    assert again.exit_code == 0 and "index" not in again.output


def _header(html: str) -> str:
    header = re.search(r'<header class="top">(.*?)</header>', html, re.DOTALL).group(1)
    return " ".join(re.sub(r"<[^>]+>", " ", header).split())


@pytest.mark.parametrize("path", ["/", "/timeline", "/documents"])
def test_the_header_names_each_page_once(client, path):
    header = _header(client.get(path).text)
    assert header.startswith("detente Overview Timeline")
    assert header.split().count("Overview") == 1
    assert header.split().count("Timeline") == 1
