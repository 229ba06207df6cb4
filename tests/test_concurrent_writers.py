"""Two detente processes writing one PostgreSQL store at the same time never duplicate a row.

Real processes, as a team runs them (two `detente ingest`, two `detente
extract`), on a schema of their own; what they leave is compared with what
one process would: every row once.
"""

from __future__ import annotations

import json
import os
import random
import subprocess
import sys
from collections import Counter
from pathlib import Path

import pytest
from conftest import ARTICLE, EXAMPLES, NO_POSTGRES, POSTGRES_URL, REWRITE, postgres_schema_url
from sqlalchemy import select

from detente.store.database import open_engine
from detente.store.extraction import OWNED_TABLES
from detente.store.schema import actors, disputes, document_bands, document_passages, documents, extractions

ROOT = Path(__file__).resolve().parent.parent
PLACES = ["Aldermoor", "Brightwater", "Caldera", "Dunmore", "Eastfold", "Fairhaven", "Glenrock", "Highmarsh"]
VERBS = ["met", "called", "visited", "thanked", "warned", "urged", "criticised", "praised"]
ROLES = ["envoy", "mediator", "minister", "delegation", "council", "monitor", "commander", "spokesman"]


@pytest.fixture
def postgres_url():
    if not POSTGRES_URL:
        pytest.skip(NO_POSTGRES)
    yield from postgres_schema_url(POSTGRES_URL)


def detente(*args: str) -> subprocess.Popen:
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    code = "import sys; from detente.cli import main; sys.exit(main())"
    return subprocess.Popen([sys.executable, "-c", code, *args], env=env, cwd=ROOT,
                            stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)


def both(*args: str) -> list[str]:
    """Start two processes with the same arguments at once; both must succeed."""
    running = [detente(*args), detente(*args)]
    outputs = [p.communicate(timeout=600)[0] for p in running]
    for process, output in zip(running, outputs):
        assert process.returncode == 0, output
    return outputs


def made_up_reports(folder: Path, count: int) -> Path:
    """Short reports of invented meetings, each different enough not to be a near-duplicate of another."""
    draw = random.Random(7)
    folder.mkdir()
    for i in range(count):
        lines = [
            f"The {draw.choice(ROLES)} of {draw.choice(PLACES)} {draw.choice(VERBS)} the {draw.choice(ROLES)} "
            f"of {draw.choice(PLACES)} on day {i} of round {draw.randint(1, 999)}, report {i * 7919 % 10007}."
            for _ in range(6)
        ]
        (folder / f"report_{i:03}.txt").write_text(f"Report number {i}\n\n" + "\n\n".join(lines), encoding="utf-8")
    return folder


def duplicates(conn, table, key_columns) -> list:
    rows = conn.execute(select(*[table.c[c] for c in key_columns])).all()
    keys = Counter(tuple(json.dumps(v, sort_keys=True) if isinstance(v, list | dict) else v for v in r) for r in rows)
    return [row for row, n in keys.items() if n > 1]


def test_two_ingests_of_the_same_files_store_each_document_once(postgres_url, tmp_path):
    folder = made_up_reports(tmp_path / "reports", 40)
    open_engine(postgres_url).dispose()  # the schema exists before the race: both processes only write rows
    both("ingest", str(folder), "--db", postgres_url)
    engine = open_engine(postgres_url)
    with engine.connect() as conn:
        assert len(conn.execute(select(documents.c.id)).all()) == 40
        assert not duplicates(conn, documents, ["content_hash"])
        assert not duplicates(conn, document_bands, ["doc", "band"])
        assert not duplicates(conn, document_passages, ["doc", "fingerprint"])
    engine.dispose()


def test_two_extractions_of_one_store_write_every_record_once(postgres_url, tmp_path):
    folder = tmp_path / "reports"
    folder.mkdir()
    (folder / "talks.txt").write_text(ARTICLE, encoding="utf-8")
    (folder / "rewrite.txt").write_text(REWRITE, encoding="utf-8")
    made_up_reports(folder / "more", 4)
    detente_ingest = detente("ingest", str(folder), "--db", postgres_url)
    assert detente_ingest.wait(timeout=300) == 0
    both("extract", "--db", postgres_url, "--registry", str(EXAMPLES / "actors.yaml"))
    engine = open_engine(postgres_url)
    with engine.connect() as conn:
        stored = len(conn.execute(select(documents.c.id)).all())
        assert len(conn.execute(select(extractions.c.doc)).all()) == stored
        assert not duplicates(conn, actors, ["id"])
        for table in OWNED_TABLES:
            key = [c.name for c in table.columns if c.name != "id"]
            assert not duplicates(conn, table, key), table.name
        mentioned = conn.execute(select(OWNED_TABLES[0].c.id)).all()
        assert mentioned  # the extraction did write records, so "no duplicates" says something
        assert not duplicates(conn, disputes, [c.name for c in disputes.columns if c.name != "id"])
    engine.dispose()
