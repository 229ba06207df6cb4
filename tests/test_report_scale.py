"""The report of a large store: bounded in size, aggregated where a list would be endless, status drawn honestly.

Stores here come from `bench/large_store.py` (generated rows of every kind,
no NLP), so a test of a thousand documents takes seconds.
"""

from __future__ import annotations

import re
import sys

import pytest
from conftest import ROOT
from web_store import WebStore

from detente.analysis.networks import interaction_network, interaction_summary, network_as_dict
from detente.present.report import PROFILE_ITEMS, PROFILES, render_report
from detente.present.views.actors import interaction_counts
from detente.present.views.timeline import build_timeline
from detente.store.database import open_engine

sys.path.insert(0, str(ROOT / "bench"))
from large_store import build_store  # noqa: E402


def _large(tmp_path, docs: int, name: str = "large"):
    engine = open_engine(str(tmp_path / f"{name}.db"))
    build_store(engine, docs, seed=5, index=False)
    return engine


def _section(page: str, section: str) -> str:
    start = page.index(f'<section class="page" id="{section}"')
    return page[start:page.index("</section>", start)]


def test_the_file_does_not_grow_with_the_store(tmp_path):
    small = render_report(_large(tmp_path, 300, "small"), documents_limit=40)
    large = render_report(_large(tmp_path, 1200, "big"), documents_limit=40)
    assert len(large) < 1.5 * len(small), (len(small), len(large))  # four times the documents
    profiles = re.findall(r'<section class="page" id="actor-', large)
    assert 0 < len(profiles) <= PROFILES
    timeline = _section(large, "timeline")
    assert 'class="tl-week"' in timeline and "detente serve" in timeline
    assert timeline.count('class="tl-entry') <= 3 * timeline.count('class="tl-week"')  # the densest of each week
    actors = _section(large, "actors")
    assert actors.count("<tr><td><a class=\"actor\"") <= 300 + 100  # the table's top rows and the strongest links
    assert "detente serve" in actors


def test_a_profile_holds_its_most_recent_items_and_counts_the_rest(tmp_path):
    page = render_report(_large(tmp_path, 400), documents_limit=400)
    profile = _section(page, "actor-syria")  # the most named actor of the generated cast
    events = re.search(r"<h2>Events \(([\d,]+)\)</h2>", profile).group(1)
    assert int(events.replace(",", "")) > PROFILE_ITEMS
    table = profile[profile.index("<h2>Events"):]
    table = table[:table.index("</table>")]
    assert table.count("<tr><td class=\"date\">") == PROFILE_ITEMS
    assert "earlier not in this file" in profile and "detente serve" in profile
    ids = set(re.findall(r'\bid="([^"]+)"', page))
    anchors = set(re.findall(r'href="#([^"]*)"', page))
    assert anchors and anchors <= ids, sorted(anchors - ids)[:5]  # a complete file has no left-out note to link to


def test_planned_and_denied_events_are_never_drawn_as_happened(tmp_path):
    data = build_timeline(_large(tmp_path, 40))
    assert data["plot"]["mode"] == "entries"
    page = render_report(_large(tmp_path, 40, "again"))
    marks = re.findall(r'<a href="#event-\d+" data-key="[^"]+" class="mark st-(\w+)" data-type="\w+" data-status="(\w+)"', page)
    assert {status for _style, status in marks} >= {"reported", "planned", "denied", "cancelled", "hypothetical"}
    expected = {"reported": "happened", "planned": "expected", "hypothetical": "expected", "denied": "not", "cancelled": "not"}
    assert all(style == expected[status] for style, status in marks)
    figure = page[page.index('<div class="plot" id="plot-timeline">'):]
    figure = figure[:figure.index("</svg>")]
    hollow = re.findall(r'class="mark st-(?:expected|not)"[^>]*><title>[^<]*</title><circle [^>]*fill="(#\w+)"', figure)
    assert hollow and set(hollow) == {"#ffffff"}


def test_a_long_timeline_is_plotted_by_week_with_the_statuses_kept_apart(tmp_path):
    data = build_timeline(_large(tmp_path, 600), densest=2)
    assert data["aggregated"] and data["plot"]["mode"] == "weeks"
    assert data["total"] > len(data["entries"])
    assert sum(m["weight"] for m in data["plot"]["marks"]) == sum(w["entries"] for w in data["weeks"] if w["week"] != "undated")
    styles = {"reported": "happened", "planned": "expected", "hypothetical": "expected", "denied": "not", "cancelled": "not"}
    for mark in data["plot"]["marks"]:
        assert len({styles[s] for s in mark["status"].split()}) == 1  # never a planned event in a mark of what happened
    for week in data["weeks"]:
        assert len(week["listed"]) <= 2


def test_every_timeline_row_says_what_happened_before_it_is_opened(tmp_path):
    page = render_report(_large(tmp_path, 40))
    rows = re.findall(r'<li class="tl-entry.*?</summary>', _section(page, "timeline"), re.DOTALL)
    assert rows and all('<span class="gist">' in row for row in rows)


def test_dispute_sentences_get_no_added_quote_marks(tmp_path):
    from detente.present.render import render_page, template_environment
    from detente.present.views import build_overview

    overview = render_page(template_environment(lambda kind, id=None: f"/{kind}/{id}"), "overview",
                           build_overview(_large(tmp_path, 400)))
    assert 'class="said">\u201c' in overview  # a side that is a direct quote keeps its own marks…
    assert "\u201c\u201c" not in overview and "\u201d\u201d" not in overview  # …and gets no second pair


def test_the_interaction_counts_are_the_networks_modules_edges(engine, tmp_path):
    for store in (WebStore(engine).engine, _large(tmp_path, 120)):
        counted, _styles = interaction_counts(store)
        graph = network_as_dict(interaction_summary(interaction_network(store)))
        assert [(e["source"], e["target"], e["weight"], e["types"], e["stances"]) for e in counted["edges"]] == [
            (e["source"], e["target"], e["weight"], e["types"], e["stances"]) for e in graph["edges"]]


def test_network_links_have_arrows_and_each_status_its_own_line(tmp_path):
    page = render_report(_large(tmp_path, 200))
    interaction = _section(page, "actors")
    figure = interaction[interaction.index('id="plot-network-interaction"'):]
    figure = figure[:figure.index("</svg>")]
    edges = re.findall(r'<path [^>]*class="edge st-(\w+)"[^>]*>', figure)
    assert edges and {"happened", "expected", "not"} <= set(edges)
    assert all("marker-end=\"url(#arrow-interaction)\"" in p for p in re.findall(r'<path [^>]*class="edge[^>]*>', figure))
    comention = interaction[interaction.index('id="plot-network-comention"'):]
    assert "marker-end" not in comention[:comention.index("</svg>")]


@pytest.mark.parametrize("docs", [60])
def test_the_same_large_store_gives_the_same_bytes(tmp_path, docs):
    engine = _large(tmp_path, docs)
    assert render_report(engine, documents_limit=10) == render_report(engine, documents_limit=10)


def test_stance_series_keep_their_latest_statements_and_count_every_shift(tmp_path):
    from detente.present.views import build_stances

    engine = _large(tmp_path, 300)
    whole = {(s["actor"], s["target"]): s for s in build_stances(engine)["series"]}
    capped = build_stances(engine, series_shown=10, points_shown=3)
    assert len(capped["series"]) == 10 and capped["series_total"] == len(whole)
    for s in capped["series"]:
        full = whole[(s["actor"], s["target"])]
        assert s["points"] == full["points"][-3:] and s["points_total"] == len(full["points"])
        assert s["shifts"] == full["shifts"]
    assert max(s["shifts"] for s in capped["series"]) == max(s["shifts"] for s in whole.values())
