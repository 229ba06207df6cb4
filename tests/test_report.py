"""The one-file report: self-contained, deterministic, escaped, and with no link that goes nowhere."""

from __future__ import annotations

import html
import os
import subprocess
import sys
import json
import re
from html.parser import HTMLParser

import pytest

from detente.store.database import open_engine
from conftest import EXAMPLES
from web_store import HOSTILE_NAME, JS_LINK, SCRIPT, WebStore

from detente.present.render import script_json
from detente.present.report import render_report, write_report

SCRIPT_TAG = re.compile(r"<script\b([^>]*)>(.*?)</script>", re.DOTALL | re.IGNORECASE)


@pytest.fixture
def store(engine) -> WebStore:
    return WebStore(engine)


@pytest.fixture
def report(store) -> str:
    return render_report(store.engine, EXAMPLES / "negotiation.yaml")


def test_the_same_store_gives_a_byte_identical_file(store, tmp_path):
    first = write_report(store.engine, tmp_path / "one" / "report.html", EXAMPLES / "negotiation.yaml")
    second = write_report(store.engine, tmp_path / "two.html", EXAMPLES / "negotiation.yaml")
    assert first.read_bytes() == second.read_bytes()
    assert not list(first.parent.glob(".report-*"))  # no temporary file left behind


def test_nothing_is_fetched(report):
    tags = SCRIPT_TAG.findall(report)
    assert all("src" not in attributes for attributes, _body in tags)
    assert not re.search(r"<link\b[^>]*href=[\"']?(https?:)?//", report, re.IGNORECASE)
    assert not re.search(r"<(iframe|img|embed|object)\b", report, re.IGNORECASE)
    assert not re.search(r"@import|url\(\s*[\"']?(https?:)?//", report, re.IGNORECASE)
    programs = [body for attributes, body in tags if "application/json" not in attributes]
    assert len(programs) == 1  # the page's own script: figures are inline SVG, no charting library
    assert "plotly" not in report.lower()
    assert report.count("<svg") >= 3  # the timeline and both networks


def test_hostile_article_shows_as_text_everywhere(report):
    page = report
    for hostile in (SCRIPT, "<b>bold</b>", JS_LINK, HOSTILE_NAME):
        assert hostile not in page
    tags = _tags(page)
    assert not [t for t, _a in tags if t in ("img", "b", "i")]
    assert not [name for _t, attrs in tags for name, _v in attrs if name.startswith("on")]
    links = [value for _t, attrs in tags for name, value in attrs if name in ("href", "src", "action")]
    assert links and not [v for v in links if v.strip().lower().startswith("javascript:")]
    assert html.escape(SCRIPT, quote=False) in page
    assert html.escape(HOSTILE_NAME, quote=False) in page


def test_embedded_json_cannot_close_its_script(report):
    blocks = [body for attributes, body in SCRIPT_TAG.findall(report) if "application/json" in attributes]
    assert blocks
    for body in blocks:
        assert "</" not in body and "<!--" not in body
        json.loads(body)
    assert str(script_json({"text": "</script><script>x()</script>"})).count("<") == 0


def test_every_page_and_record_is_a_section_and_every_anchor_exists(store, report):
    ids = set(re.findall(r'\bid="([^"]+)"', report))
    for section in ("overview", "timeline", "actors", "stances", "claims", "documents", "negotiation"):
        assert section in ids
    assert {f"doc-{doc}" for doc in store.texts} <= ids
    assert {"actor-amara-okafor", "actor-hostile-actor"} <= ids
    anchors = set(re.findall(r'href="#([^"]*)"', report))
    assert anchors and anchors <= ids, sorted(anchors - ids)


def test_without_a_negotiation_file_the_page_is_the_draft_from_the_store(store, tmp_path):
    page = render_report(store.engine)
    assert 'id="negotiation"' in page and 'id="draft-provenance"' in page and 'class="badge">draft<' in page
    empty = render_report(open_engine(str(tmp_path / "empty.db")))  # nothing to draft from: no negotiation page
    assert 'id="negotiation"' not in empty and 'href="#negotiation"' not in empty
    assert 'id="timeline"' in page


def test_an_empty_store_still_gives_a_report_that_says_what_to_do(engine):
    page = render_report(engine)
    assert "No events yet" in page and "detente extract" in page


def _tags(page: str) -> list[tuple[str, list[tuple[str, str]]]]:
    """Every start tag as a browser reads it: name and (decoded) attributes."""
    found = []

    class Collector(HTMLParser):
        def handle_starttag(self, tag, attrs):
            found.append((tag, [(name, value or "") for name, value in attrs]))

    Collector().feed(page)
    return found


def test_pages_make_every_link_through_the_link_function(store):
    """The web app renders the same templates with paths: no page may hard-code a report anchor."""
    from detente.present.render import render_page, template_environment
    from detente.present.views import PAGES, build_actor, build_document

    env = template_environment(lambda kind, id=None: f"/L/{kind}/{id}")
    rendered = [render_page(env, p.name, p.builder(store.engine, model=EXAMPLES / "negotiation.yaml")) for p in PAGES]
    rendered.append(render_page(env, "actor", build_actor(store.engine, actor="istvan-varga")))
    rendered.append(render_page(env, "document", build_document(store.engine, doc=store.oslo_doc)))
    hrefs = [value for page in rendered for tag, attrs in _tags(page) for name, value in attrs if name == "href"]
    assert "/L/actor/istvan-varga" in hrefs and f"/L/fact/{store.oslo_doc}/quote-{store.ids['quote']}" in hrefs
    in_page = [h for h in hrefs if h.startswith("#")]
    assert all(h.startswith("#series-") for h in in_page)  # the stance matrix points at its own series below
    assert all(h.startswith(("/L/", "#series-", "https://")) for h in hrefs)
    for page in rendered:
        assert page.startswith("<!DOCTYPE html>") and page.rstrip().endswith("</html>")


def test_the_header_is_the_brand_and_the_pages_only(report):
    header = re.search(r'<header class="top">(.*?)</header>', report, re.DOTALL).group(1)
    words = " ".join(re.sub(r"<[^>]+>", " ", header).split())
    assert words.startswith("detente report Overview Timeline")
    assert words.split().count("Overview") == 1


def test_a_capped_report_holds_the_newest_documents_and_says_what_is_left_out(store, tmp_path):
    capped = render_report(store.engine, documents_limit=2)
    ids = set(re.findall(r'\bid="([^"]+)"', capped))
    oslo, second, accuse, hostile = store.texts  # in publication order
    assert {f"doc-{accuse}", f"doc-{hostile}"} <= ids
    assert not {f"doc-{oslo}", f"doc-{second}"} & ids
    anchors = set(re.findall(r'href="#([^"]*)"', capped))
    assert "left-out" in anchors and anchors <= ids, sorted(anchors - ids)  # links to what is left out lead somewhere
    left_out = capped[capped.index('id="left-out"'):]
    assert "2 most recently published of 4 documents" in " ".join(left_out.split())
    assert "detente serve" in left_out and "--report-documents" in left_out
    assert 'class="notice"' in capped
    # Profiles only for actors mentioned at least twice; every actor is still listed.
    assert "actor-amara-okafor" in ids and "actor-hostile-actor" not in ids
    assert "Amara Okafor" in capped and html.escape(HOSTILE_NAME) in capped
    # Profiles and the timeline quote only the documents the file holds, and say how much more there is.
    profile = capped[capped.index('id="actor-amara-okafor"'):]
    profile = profile[:profile.index("</section>")]
    assert "We are closer than we were" not in capped
    assert "1 more from documents this report file does not hold" in " ".join(profile.split())
    assert "Norway accused Finland of arming the rebels" in capped  # a held document's sentence stays
    first = write_report(store.engine, tmp_path / "a.html", documents_limit=2)
    assert first.read_bytes() == write_report(store.engine, tmp_path / "b.html", documents_limit=2).read_bytes()


def test_a_report_under_the_cap_holds_everything_and_no_notice(report):
    assert 'id="left-out"' not in report and 'class="notice"' not in report


def test_the_figures_are_the_same_in_every_python_process(tmp_path):
    """String hashing differs per process: a layout fed from a set would move nodes between two runs."""
    program = (
        "import sys; from detente.present.figures import network_figure\n"
        "edges = [{'source': s, 'target': t, 'weight': 1, 'source_name': s, 'target_name': t}\n"
        "         for s, t in [('a', 'b'), ('b', 'c'), ('d', 'e'), ('f', 'g'), ('h', 'i'), ('h', 'j')]]\n"
        "nodes = [{'id': n, 'name': n, 'weight': 1} for n in 'abcdefghij']\n"
        "print(network_figure({'nodes': nodes, 'edges': edges, 'unit': 'links'}, lambda kind, id: '#' + id))\n"
    )
    runs = {
        subprocess.run([sys.executable, "-c", program], capture_output=True, text=True, check=True,
                       env={**os.environ, "PYTHONHASHSEED": seed}).stdout
        for seed in ("1", "2", "3", "4")
    }
    assert len(runs) == 1 and "<svg" in runs.pop()
