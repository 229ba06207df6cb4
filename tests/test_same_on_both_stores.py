"""The same documents give the same store, byte for byte the same report and the same exports on SQLite and
on PostgreSQL: every ordering is total (ties end on ids, NULLs sort alike), so nothing depends on the engine."""

from __future__ import annotations

from pathlib import Path

import pytest
from click.testing import CliRunner
from conftest import EXAMPLES, NO_POSTGRES, POSTGRES_URL, postgres_schema_url
from sqlalchemy import update

from detente.cli import main
from detente.store.database import open_engine
from detente.store.schema import documents, extractions

INGESTED_AT = "2020-01-01T00:00:00+00:00"  # when each run ingested is its own; everything else must agree


@pytest.fixture
def postgres_url():
    if not POSTGRES_URL:
        pytest.skip(NO_POSTGRES)
    yield from postgres_schema_url(POSTGRES_URL)


def run(*args: str) -> str:
    result = CliRunner().invoke(main, list(args), catch_exceptions=False)
    assert result.exit_code == 0, result.output
    return result.output


def everything_written(db: str, out: Path) -> dict[str, bytes]:
    """`detente run` on the example corpus into `db`, then every export, as files of bytes."""
    run("run", str(EXAMPLES), "-o", str(out), "--db", db, "--registry", str(EXAMPLES / "actors.yaml"),
        "--model", str(EXAMPLES / "negotiation.yaml"))
    engine = open_engine(db)
    with engine.begin() as conn:
        conn.execute(update(documents).values(ingested_at=INGESTED_AT))
        conn.execute(update(extractions).values(at=INGESTED_AT))
    engine.dispose()
    for fmt in ("json", "jsonl", "gexf", "graphml", "plover"):
        run("export", "--db", db, "--format", fmt, "-o", str(out / f"export.{fmt}"))
    run("export", "--db", db, "--format", "csv", "-o", str(out / "csv"))
    run("timeline", "--db", db, "--format", "json", "-o", str(out / "timeline.json"))  # the stored merged entries
    return {str(p.relative_to(out)): p.read_bytes() for p in sorted(out.rglob("*")) if p.is_file() and not p.name.startswith("detente.db")}


@pytest.mark.slow
def test_the_example_corpus_gives_identical_records_report_and_exports_on_sqlite_and_postgresql(tmp_path, postgres_url):
    on_sqlite = everything_written(str(tmp_path / "sqlite" / "detente.db"), tmp_path / "sqlite")
    on_postgresql = everything_written(postgres_url, tmp_path / "postgresql")
    assert "report.html" in on_sqlite and "csv/stances.csv" in on_sqlite
    assert sorted(on_sqlite) == sorted(on_postgresql)
    differing = [name for name in on_sqlite if on_sqlite[name] != on_postgresql[name]]
    assert differing == []
