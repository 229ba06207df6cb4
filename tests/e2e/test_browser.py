"""The web app in a real headless Chromium (Debian's `chromium` package), as a user would click through it.

A uvicorn server runs the app over a small store built here, on a free port
of 127.0.0.1. Every page is saved as a screenshot under build/screenshots/
(CI keeps them there as artifacts). Every test also checks that the page
asked nothing from another host, ran no alert() from an article's text, and
broke no Content-Security-Policy rule.
"""

from __future__ import annotations

import socket
import threading
import time

import pytest
from conftest import EXAMPLES, SHOTS, needs_chromium
from web_store import HOSTILE_NAME, SCRIPT, WebStore

pytestmark = needs_chromium


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture(scope="module")
def server(tmp_path_factory):
    import uvicorn

    from detente.store.database import open_engine
    from detente.web.app import create_app

    db = tmp_path_factory.mktemp("web") / "store.db"
    store = WebStore(open_engine(str(db)))
    store.engine.dispose()
    port = _free_port()
    app = create_app(str(db), model=str(EXAMPLES / "negotiation.yaml"))
    uv = uvicorn.Server(uvicorn.Config(app, host="127.0.0.1", port=port, log_level="warning"))
    thread = threading.Thread(target=uv.run, daemon=True)
    thread.start()
    deadline = time.monotonic() + 20
    while not uv.started:
        if time.monotonic() > deadline or not thread.is_alive():
            pytest.fail("uvicorn did not start")
        time.sleep(0.05)
    yield f"http://127.0.0.1:{port}", store
    uv.should_exit = True
    thread.join(timeout=10)


class Watched:
    """A page that records what would show a problem: remote requests, dialogs, console errors."""

    def __init__(self, browser, base: str) -> None:
        self.base = base
        self.page = browser.new_page(viewport={"width": 1280, "height": 900})
        self.remote: list[str] = []
        self.dialogs: list[str] = []
        self.errors: list[str] = []
        self.page.on("request", self._request)
        self.page.on("dialog", self._dialog)
        self.page.on("console", lambda m: self.errors.append(m.text) if m.type == "error" else None)
        self.page.on("pageerror", lambda e: self.errors.append(str(e)))
        self.page.on("response", lambda r: self.errors.append(f"{r.status} {r.url}") if r.status >= 400 else None)

    def _request(self, request) -> None:
        if not request.url.startswith((self.base, "data:", "blob:", "about:")):
            self.remote.append(request.url)

    def _dialog(self, dialog) -> None:
        self.dialogs.append(dialog.message)
        dialog.dismiss()

    def open(self, path: str):
        response = self.page.goto(self.base + path)
        self.page.wait_for_load_state("networkidle")
        return response

    def shot(self, name: str) -> None:
        SHOTS.mkdir(parents=True, exist_ok=True)
        self.page.screenshot(path=str(SHOTS / f"{name}.png"), full_page=True)

    def assert_clean(self) -> None:
        assert self.remote == [], f"requests to other hosts: {self.remote}"
        assert self.dialogs == [], f"a script from the data ran: {self.dialogs}"
        assert self.errors == [], f"errors in the page: {self.errors}"


@pytest.fixture
def watched(server, browser):
    base, _store = server
    w = Watched(browser, base)
    yield w
    w.page.close()


def test_overview_then_click_an_actor(watched, server):
    watched.open("/")
    watched.shot("overview")
    assert watched.page.locator("h1").first.is_visible()
    watched.page.locator("main a.actor", has_text="Amara Okafor").first.click()
    watched.page.wait_for_load_state("networkidle")
    assert watched.page.url.endswith("/actors/amara-okafor")
    assert "Amara Okafor" in watched.page.locator("h1").first.inner_text()
    watched.shot("actor")
    watched.assert_clean()


def test_timeline_filter_by_actor_and_type(watched):
    watched.open("/timeline")
    entries = watched.page.locator("li.tl-entry")
    total = entries.count()
    assert total >= 3
    assert watched.page.locator("#plot-timeline svg .mark").count() == total  # one mark per event, drawn on the server
    form = watched.page.locator("form[data-filter=timeline]")
    assert form.is_visible()
    form.locator("select[name=actor]").select_option("norway")
    visible = watched.page.locator("li.tl-entry:visible")
    assert 0 < visible.count() < total
    assert all("Norway" in visible.nth(i).inner_text() for i in range(visible.count()))
    form.locator("select[name=actor]").select_option("")
    form.locator("select[name=type]").select_option("CONSULT")
    assert watched.page.locator("li.tl-entry:visible").count() == 1  # two reports of one meeting, merged
    assert watched.page.locator("#plot-timeline svg .mark:visible").count() == 1  # the plot follows the filter
    ticks = watched.page.locator("#plot-timeline svg text").all_text_contents()
    assert ticks and not any(":" in t for t in ticks), ticks  # dates, not hours or milliseconds
    plot_left = watched.page.locator("#plot-timeline").bounding_box()["x"]
    for label in watched.page.locator("#plot-timeline svg text").all():
        assert label.bounding_box()["x"] >= plot_left  # type names are not cut off on the left
    watched.shot("timeline-filtered")
    watched.assert_clean()


def test_a_fact_leads_to_its_highlighted_sentence(watched, server):
    _base, store = server
    watched.open("/timeline")
    entry = watched.page.locator("li.tl-entry", has_text="ACCUSE").first
    entry.locator("summary").click()
    entry.locator("ul.sources a").first.click()
    watched.page.wait_for_load_state("networkidle")
    doc = list(store.texts)[2]
    assert f"/documents/{doc}#fact-event-{store.ids['accused']}" in watched.page.url
    target = watched.page.locator(f"#fact-event-{store.ids['accused']}")
    assert target.count() == 1
    lit = watched.page.locator(".doc-text .hl.targeted")
    assert "Norway accused Finland of arming" in "".join(lit.all_inner_texts())
    assert lit.first.is_visible()
    assert "At least 1,200" not in "".join(lit.all_inner_texts())  # only the followed fact, not its neighbours
    watched.shot("document-fact")
    watched.assert_clean()


def test_a_fact_in_the_report_file_leads_to_its_highlighted_sentence(browser, server, tmp_path):
    from detente.present.report import write_report

    _base, store = server
    path = write_report(store.engine, tmp_path / "report.html")
    fact = f"fact-event-{store.ids['accused']}"
    report = Watched(browser, path.as_uri())
    try:
        report.open("#timeline")
        entry = report.page.locator("li.tl-entry", has_text="ACCUSE").first
        entry.locator("summary").click()
        entry.locator("ul.sources a").first.click()
        assert report.page.url.endswith("#" + fact)
        lit = report.page.locator(".doc-text .hl.targeted")
        assert "Norway accused Finland of arming" in "".join(lit.all_inner_texts())
        assert lit.first.is_visible()
        assert report.page.locator(f"section.page.shown #{fact}").count() == 1  # its document's section is shown
        report.shot("report-fact")
        report.assert_clean()
    finally:
        report.page.close()


@pytest.mark.parametrize("path,name", [
    ("/actors", "actors"), ("/stances", "stances"), ("/claims", "claims"), ("/documents", "documents"),
    ("/search?q=truce", "search"), ("/negotiation", "negotiation"), ("/api/docs", "api-docs"),
])
def test_every_page_loads_without_remote_requests_or_errors(watched, path, name):
    response = watched.open(path)
    assert response.status == 200
    watched.shot(name)
    watched.assert_clean()


def test_a_hostile_article_shows_as_text(watched, server):
    _base, store = server
    watched.open(f"/documents/{store.hostile_doc}")
    text = watched.page.locator(".doc-text").inner_text()
    assert SCRIPT in text and 'href="javascript:alert(2)"' in text
    assert watched.page.locator(".doc-text script, .doc-text b, .doc-text img").count() == 0
    assert SCRIPT in watched.page.locator("h1").first.inner_text()
    watched.open("/actors/hostile-actor")
    assert HOSTILE_NAME in watched.page.locator("h1").first.inner_text()
    watched.shot("hostile")
    watched.assert_clean()
