"""Extraction in worker processes or on a Dask cluster gives the records of a local run, written once,
even when a worker dies.

`.ci/run` starts a scheduler and two worker processes (with nannies) on
127.0.0.1 and exports their address as DETENTE_DASK_SCHEDULER; without it these
tests skip. They never mock Dask: the workers are real processes, and one is
killed with SIGKILL in the middle of a run.
"""

from __future__ import annotations

import json
import os
import signal

import pytest
from click.testing import CliRunner
from sqlalchemy import select

from detente.cli import main
from detente.ingest.pipeline import ingest
from detente.nlp import work
from detente.nlp.actors.registry import ActorRegistry
from detente.nlp.extract import extract_store
from detente.store.database import open_engine
from detente.store.extraction import OWNED_TABLES
from detente.store.schema import actors, extractions

from conftest import EXAMPLES

SCHEDULER = os.environ.get("DETENTE_DASK_SCHEDULER")
try:
    import distributed
except ImportError:
    distributed = None
needs_dask = pytest.mark.skipif(distributed is None, reason="dask.distributed is not installed (pip install 'detente[dask]')")
needs_cluster = pytest.mark.skipif(
    distributed is None or not SCHEDULER,
    reason="no Dask cluster: set DETENTE_DASK_SCHEDULER=tcp://HOST:PORT (.ci/run starts one)",
)


def stored_records(engine) -> dict[str, list[tuple]]:
    """Every extracted row of every table, without row ids, as a sorted multiset: a duplicate shows."""
    out = {}
    with engine.connect() as conn:
        for table in (*OWNED_TABLES, actors):
            columns = [c for c in table.c if c.name not in ("id", "created", "updated") or table is actors]
            rows = conn.execute(select(*columns)).mappings()
            out[table.name] = sorted(tuple(json.dumps(r[c.name], default=str) for c in columns) for r in rows)
    return out


def extracted_store(path, **options):
    engine = open_engine(str(path))
    ingest(engine, [str(EXAMPLES)])
    report = extract_store(engine, ActorRegistry.load(EXAMPLES / "actors.yaml"), **options)
    return engine, report


@pytest.fixture(scope="module")
def local_records(tmp_path_factory):
    engine, report = extracted_store(tmp_path_factory.mktemp("local") / "store.db")
    assert report.documents > 10
    return stored_records(engine)


def stored_documents(engine) -> list[str]:
    with engine.connect() as conn:
        return sorted(r.doc for r in conn.execute(select(extractions.c.doc)))


def test_worker_processes_give_the_records_of_a_local_run(tmp_path, local_records):
    """`--processes 2`: parsing and extraction in two spawned processes, writing here."""
    engine, report = extracted_store(tmp_path / "store.db", processes=2)
    assert report.documents == len(stored_documents(engine)) > 10
    assert stored_records(engine) == local_records


def test_the_last_documents_go_one_per_task_so_the_workers_finish_together():
    """A worker handed a whole batch at the end would parse it while the others wait with nothing to do."""
    items = [(str(i), "text", None) for i in range(100)]
    split = work.balanced_batches(items, 2)
    assert [item for batch in split for item in batch] == items
    assert max(map(len, split)) == work.BATCH_DOCUMENTS
    assert all(len(batch) == 1 for batch in split[-2 * work.BATCH_DOCUMENTS:])


@needs_cluster
def test_dask_run_gives_the_records_of_a_local_run(tmp_path, local_records):
    engine, report = extracted_store(tmp_path / "store.db", scheduler=SCHEDULER)
    assert report.documents == len(stored_documents(engine)) > 10
    assert stored_records(engine) == local_records


@needs_cluster
def test_a_worker_killed_mid_run_costs_nothing_and_duplicates_nothing(tmp_path, local_records, monkeypatch):
    monkeypatch.setattr(work, "BATCH_DOCUMENTS", 2)  # many small tasks, so some are in flight at the kill
    with distributed.Client(SCHEDULER, timeout="20s") as client:
        client.wait_for_workers(2, timeout=120)
        victim = next(iter(client.run(os.getpid).values()))
    killed: list[int] = []

    def kill_once(doc_id: str) -> None:
        """Called as the first document is written: the other tasks are still queued or running."""
        if not killed:
            os.kill(victim, signal.SIGKILL)
            killed.append(victim)

    engine = open_engine(str(tmp_path / "store.db"))
    ingest(engine, [str(EXAMPLES)])
    report = extract_store(engine, ActorRegistry.load(EXAMPLES / "actors.yaml"), scheduler=SCHEDULER, on_document=kill_once)
    assert killed, "a worker was killed during the run"
    assert report.documents == len(stored_documents(engine)) > 10
    assert stored_records(engine) == local_records


@needs_dask
def test_an_unreachable_scheduler_is_a_clear_error(tmp_path):
    db = str(tmp_path / "store.db")
    ingest(open_engine(db), [str(EXAMPLES)])
    result = CliRunner().invoke(main, ["extract", "--db", db, "--scheduler", "tcp://127.0.0.1:9"])
    assert result.exit_code == 1
    assert "Could not reach the Dask scheduler at tcp://127.0.0.1:9" in result.output
    assert "--scheduler local" in result.output and "Traceback" not in result.output
