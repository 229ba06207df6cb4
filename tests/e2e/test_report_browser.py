"""The one-file report in a real headless Chromium (Debian's `chromium`), page by page, as an analyst reads it.

Two reports are opened from disk: the example corpus (examples/syria, run
through the whole pipeline with its negotiation file) and a generated store
large enough that the timeline is aggregated by week and tables are cut
(bench/large_store.py). Every page of both is saved as a screenshot under
build/screenshots/ (report-*.png), for a human to look at; the checks here
are what a reader relies on: nothing fetched, no script errors, the status
of events visible and filterable, network names that do not overlap,
arrows on directed links.
"""

from __future__ import annotations

import sys

import pytest
from conftest import EXAMPLES, ROOT, SHOTS, needs_chromium

pytestmark = needs_chromium
PAGES = ("overview", "timeline", "actors", "stances", "claims", "documents", "negotiation")
LARGE_DOCUMENTS = 700  # enough for a timeline of more than ALL_ENTRIES entries


@pytest.fixture(scope="module")
def example_report(tmp_path_factory):
    from detente.present.run import run_pipeline
    from detente.store.database import open_engine

    folder = tmp_path_factory.mktemp("example")
    engine = open_engine(str(folder / "detente.db"))
    inputs = sorted(str(p) for p in EXAMPLES.iterdir() if p.suffix in (".txt", ".html"))
    return run_pipeline(engine, inputs, folder / "report.html", negotiation=EXAMPLES / "negotiation.yaml").report


@pytest.fixture(scope="module")
def large_report(tmp_path_factory):
    sys.path.insert(0, str(ROOT / "bench"))
    from large_store import build_store

    from detente.present.report import write_report
    from detente.store.database import open_engine

    folder = tmp_path_factory.mktemp("large")
    engine = open_engine(str(folder / "detente.db"))
    build_store(engine, LARGE_DOCUMENTS, seed=3, index=False)
    return write_report(engine, folder / "report.html", documents_limit=50)


class Reader:
    """One tab on a report file that records what would show a problem: remote requests, dialogs, errors."""

    def __init__(self, browser, path) -> None:
        self.url = path.as_uri()
        self.page = browser.new_page(viewport={"width": 1280, "height": 900})
        self.remote: list[str] = []
        self.errors: list[str] = []
        self.page.on("request", lambda r: None if r.url.startswith(("file:", "data:", "about:")) else self.remote.append(r.url))
        self.page.on("dialog", lambda d: (self.errors.append("dialog " + d.message), d.dismiss()))
        self.page.on("console", lambda m: self.errors.append(m.text) if m.type == "error" else None)
        self.page.on("pageerror", lambda e: self.errors.append(str(e)))

    def open(self, anchor: str) -> None:
        self.page.goto(f"{self.url}#{anchor}")
        self.page.wait_for_load_state("load")

    def shot(self, name: str, whole: bool = True) -> None:
        """The whole page, or (`whole=False`, for pages longer than a screenshot can hold quickly) its first screen."""
        SHOTS.mkdir(parents=True, exist_ok=True)
        self.page.screenshot(path=str(SHOTS / f"report-{name}.png"), full_page=whole)

    def assert_clean(self) -> None:
        assert self.remote == [], f"requests for other files or hosts: {self.remote}"
        assert self.errors == [], f"errors in the page: {self.errors}"


@pytest.fixture
def example(browser, example_report):
    reader = Reader(browser, example_report)
    yield reader
    reader.page.close()


@pytest.fixture
def large(browser, large_report):
    reader = Reader(browser, large_report)
    yield reader
    reader.page.close()


@pytest.mark.parametrize("name", PAGES)
def test_every_page_of_the_example_report_shows_alone_and_cleanly(example, name):
    example.open(name)
    shown = example.page.locator("section.page.shown")
    assert shown.count() == 1 and shown.get_attribute("id") == name
    assert example.page.locator(f"header.top nav a.active[data-page={name}]").count() == 1
    example.shot(f"example-{name}")
    example.assert_clean()


def test_one_actor_and_one_document_of_the_example_report(example):
    example.open("actors")
    example.page.locator("section.page.shown table.sortable a.actor").first.click()
    assert example.page.locator("section.page.shown h2", has_text="Roles and affiliations").count() == 1
    example.shot("example-actor")
    example.open("documents")
    example.page.locator("section.page.shown table a").first.click()
    assert example.page.locator("section.page.shown .doc-text .hl").count() > 0
    example.shot("example-document")
    example.assert_clean()


def test_timeline_rows_say_what_happened_before_they_are_opened(example):
    example.open("timeline")
    rows = example.page.locator("li.tl-entry")
    assert rows.count() > 10
    for n in range(min(rows.count(), 20)):
        gist = rows.nth(n).locator("summary .gist")
        assert gist.count() == 1 and gist.is_visible() and len(gist.inner_text()) > 10
        assert not rows.nth(n).locator("details").get_attribute("open")


def test_timeline_filters_by_status_and_the_plot_follows(example):
    example.open("timeline")
    form = example.page.locator("form[data-filter=timeline]")
    assert form.is_visible()
    statuses = form.locator("select[name=status] option").all_inner_texts()
    assert "planned" in statuses or "denied" in statuses or "cancelled" in statuses, statuses
    wanted = next(s for s in ("planned", "denied", "cancelled", "hypothetical") if s in statuses)
    total = example.page.locator("li.tl-entry").count()
    form.locator("select[name=status]").select_option(wanted)
    visible = example.page.locator("li.tl-entry:visible")
    assert 0 < visible.count() < total
    for n in range(visible.count()):
        assert wanted in visible.nth(n).locator("summary .chip.status").inner_text()
    marks = example.page.locator("#plot-timeline .mark:visible")
    assert marks.count() == visible.count()
    assert all(marks.nth(n).get_attribute("data-status") == wanted for n in range(marks.count()))
    example.shot("example-timeline-filtered")
    example.assert_clean()


def test_planned_and_denied_events_are_not_drawn_like_ones_that_happened(example):
    example.open("timeline")
    happened = example.page.locator("#plot-timeline .mark.st-happened circle").first
    assert happened.get_attribute("fill") != "#ffffff"
    others = example.page.locator("#plot-timeline .mark.st-expected circle, #plot-timeline .mark.st-not circle")
    assert others.count() > 0
    assert all(others.nth(n).get_attribute("fill") == "#ffffff" for n in range(others.count()))
    assert example.page.locator("#plot-timeline .mark.st-not path").count() == example.page.locator("#plot-timeline .mark.st-not").count()


def test_network_names_do_not_overlap_and_directed_links_have_arrows(example):
    example.open("actors")
    for plot in ("#plot-network-interaction", "#plot-network-comention"):
        labels = example.page.locator(f"{plot} text")
        boxes = [labels.nth(n).bounding_box() for n in range(labels.count())]
        assert len(boxes) >= 5
        for i, a in enumerate(boxes):
            for b in boxes[i + 1:]:
                apart = (a["x"] + a["width"] <= b["x"] + 0.5 or b["x"] + b["width"] <= a["x"] + 0.5
                         or a["y"] + a["height"] <= b["y"] + 0.5 or b["y"] + b["height"] <= a["y"] + 0.5)
                assert apart, (a, b)
    edges = example.page.locator("#plot-network-interaction path.edge")
    assert edges.count() > 0
    assert all((edges.nth(n).get_attribute("marker-end") or "").startswith("url(#arrow-") for n in range(edges.count()))
    assert example.page.locator("#plot-network-comention path.edge[marker-end]").count() == 0


def test_the_network_hides_links_by_status(example):
    example.open("actors")
    form = example.page.locator("form[data-filter=network]")
    if form.count() == 0:
        pytest.skip("the example's interaction network has links of one status only")
    boxes = form.locator("input[type=checkbox]")
    value = boxes.first.get_attribute("value")
    before = example.page.locator(f"#plot-network-interaction path.st-{value}:visible").count()
    assert before > 0
    boxes.first.uncheck()
    assert example.page.locator(f"#plot-network-interaction path.st-{value}:visible").count() == 0
    boxes.first.check()
    assert example.page.locator(f"#plot-network-interaction path.st-{value}:visible").count() == before
    example.assert_clean()


@pytest.mark.parametrize("name", (*PAGES[:-1], "left-out"))
def test_every_page_of_a_large_report_is_aggregated_and_clean(large, name):
    large.open(name)
    assert large.page.locator("section.page.shown").get_attribute("id") == name
    if name == "timeline":
        assert large.page.locator("li.tl-week").count() > 10
        assert large.page.locator("#plot-timeline rect.mark").count() > 0  # bars per week, not marks per event
        assert "detente serve" in large.page.locator("section.page.shown .notice").first.inner_text()
    large.shot(f"large-{name}", whole=False)
    large.assert_clean()


def test_a_profile_of_a_large_report(large):
    large.open("actors")
    large.page.locator("section.page.shown table.sortable a.actor").first.click()
    assert "earlier not in this file" in large.page.locator("section.page.shown").inner_text()
    large.shot("large-actor", whole=False)
    large.assert_clean()
