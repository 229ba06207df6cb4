"""Shared fixtures: small messy articles written for the tests, and fresh stores."""

from __future__ import annotations

import os
import re
import shutil
import uuid
from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlalchemy import create_engine, make_url, text

from detente.nlp.pipeline import load_model
from detente.nlp.records import Mention

from detente.store.database import open_engine

ROOT = Path(__file__).resolve().parent.parent
EXAMPLES = ROOT / "examples" / "syria"

# The browser tests (tests/e2e) drive Debian's chromium through Playwright: never a downloaded browser.
CHROMIUM = shutil.which("chromium")
needs_chromium = pytest.mark.skipif(
    CHROMIUM is None, reason="Debian's chromium is not installed (apt-get install chromium; .ci/run does it)"
)
SHOTS = ROOT / "build" / "screenshots"
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update",
                 "--disable-sync", "--no-first-run"]


@pytest.fixture(scope="module")
def browser():
    sync_api = pytest.importorskip("playwright.sync_api", reason="playwright (the Python package) is not installed")
    with sync_api.sync_playwright() as p:
        chromium = p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield chromium
        chromium.close()
SHARED = ROOT.parent / "shared"

ARTICLE = """Skip to main content
Home | World | Middle East

Envoy opens a new round of talks on the Syrian truce

By Mara Lindqvist | Monday, March 14, 2016

The UN special envoy opened a new round of proximity talks in Geneva on Monday, shuttling between the government delegation and the opposition's negotiators in separate rooms of the Palais des Nations.

Advertisement

"Nobody here expects a miracle this week, but the truce has held better than many predicted," the envoy told reporters after the first session, adding that aid convoys had reached several besieged towns.

The government delegation said it would discuss only the agenda agreed in Vienna, while the opposition insisted that a transitional governing body must come first.

Sign up for our daily newsletter
© 2016 Harbour Post. All rights reserved.
"""

REWRITE = """Northern Courier

Truce talks resume in Geneva, envoy sounds cautious note

The UN special envoy opened a new round of proximity talks in Geneva on Monday, according to the Harbour Post, moving between the two delegations in separate rooms.

"Nobody here expects a miracle this week, but the truce has held better than many predicted," the envoy told reporters after the first session, adding that aid convoys had reached several besieged towns.

Observers in the city said the gap between the two sides on a transitional body remained as wide as it was in Vienna last year, and few expected a breakthrough before the spring.

© 2016 Northern Courier
"""


@pytest.fixture(scope="session")
def nlp():
    """The spaCy pipeline, loaded once for the whole run (every parse-based test needs it)."""
    return load_model()


# ---------------------------------------------------------------- both stores
# Every test that takes `engine` or `store_url` runs on SQLite and on PostgreSQL. The PostgreSQL run needs
# a server named by DETENTE_TEST_POSTGRES (.ci/run starts one); each test gets a schema of its own,
# dropped afterwards, so no test sees another's rows.
POSTGRES_URL = os.environ.get("DETENTE_TEST_POSTGRES", "")
NO_POSTGRES = (
    "PostgreSQL store not tested: set DETENTE_TEST_POSTGRES=postgresql+psycopg://USER@127.0.0.1:PORT/DB "
    "(.ci/run starts a server and sets it)"
)


@pytest.fixture(params=["sqlite", "postgresql"])
def store_url(request, tmp_path) -> Iterator[str]:
    """What a user passes as --db: a SQLite path, or a PostgreSQL URL of a fresh, empty schema."""
    if request.param == "sqlite":
        yield str(tmp_path / "test.db")
        return
    if not POSTGRES_URL:
        pytest.skip(NO_POSTGRES)
    yield from postgres_schema_url(POSTGRES_URL)


@pytest.fixture(scope="module", params=["sqlite", "postgresql"])
def module_store_url(request, tmp_path_factory) -> Iterator[str]:
    """`store_url` shared by a module's tests, for stores that cost an extraction to fill."""
    if request.param == "sqlite":
        yield str(tmp_path_factory.mktemp("store") / "test.db")
        return
    if not POSTGRES_URL:
        pytest.skip(NO_POSTGRES)
    yield from postgres_schema_url(POSTGRES_URL)


def postgres_schema_url(server: str) -> Iterator[str]:
    """A URL whose connections see only a new schema (search_path), dropped with everything in it after use."""
    schema = f"test_{uuid.uuid4().hex[:12]}"
    admin = create_engine(server)
    with admin.begin() as conn:
        conn.execute(text(f"CREATE SCHEMA {schema}"))
    url = make_url(server).update_query_dict({"options": f"-csearch_path={schema}"})
    try:
        yield url.render_as_string(hide_password=False)
    finally:
        with admin.begin() as conn:
            conn.execute(text(f"DROP SCHEMA {schema} CASCADE"))
        admin.dispose()


@pytest.fixture
def engine(store_url) -> Iterator:
    engine = open_engine(store_url)
    yield engine
    engine.dispose()


@pytest.fixture
def corpus(tmp_path) -> Path:
    folder = tmp_path / "reports"
    folder.mkdir()
    (folder / "talks.txt").write_text(ARTICLE, encoding="utf-8")
    (folder / "nested").mkdir()
    (folder / "nested" / "rewrite.txt").write_text(REWRITE, encoding="utf-8")
    return folder


def mentions_from_names(text: str, names: dict[str, tuple[str, str]]) -> list[Mention]:
    """Mentions for a test text from a table of surface → (actor id, kind), in text order.

    Longest names first, never two mentions on the same characters: what the
    actor extractor would give, without depending on it.
    """
    taken: list[tuple[int, int]] = []
    found = []
    for surface in sorted(names, key=len, reverse=True):
        actor, kind = names[surface]
        for m in re.finditer(rf"(?<!\w){re.escape(surface)}(?!\w)", text):
            if any(a < m.end() and m.start() < b for a, b in taken):
                continue
            taken.append((m.start(), m.end()))
            found.append(Mention(m.start(), m.end(), m.group(), actor, kind))
    return sorted(found, key=lambda m: m.start)
