"""`detente run`: the whole job on a tiny folder, twice, as a new user would type it."""

from __future__ import annotations

import json

from click.testing import CliRunner
from conftest import EXAMPLES

from detente.cli import main


def run(*args):
    return CliRunner().invoke(main, list(args), catch_exceptions=False)


def test_run_writes_store_and_report_and_a_second_run_changes_nothing(tmp_path, corpus):
    out = tmp_path / "out"
    first = run("run", str(corpus), "-o", str(out), "--registry", str(EXAMPLES / "actors.yaml"),
                "--model", str(EXAMPLES / "negotiation.yaml"))
    assert first.exit_code == 0, first.output
    db, report = out / "detente.db", out / "report.html"
    assert db.is_file() and report.is_file()
    assert "2 new document(s)" in first.output and f"detente serve --db {db}" in first.output.replace("\n", "")
    page = report.read_text(encoding="utf-8")
    assert 'id="negotiation"' in page and "Harbour Post" in page
    exported = json.loads(run("export", "--db", str(db), "--format", "json").output)
    counts = {kind: len(rows) for kind, rows in exported.items() if isinstance(rows, list)}
    assert counts["documents"] == 2 and counts["actors"] > 0

    second = run("run", str(corpus), "-o", str(out), "--registry", str(EXAMPLES / "actors.yaml"),
                 "--model", str(EXAMPLES / "negotiation.yaml"))
    assert second.exit_code == 0
    assert "0 new document(s), 2 already stored" in second.output
    assert report.read_text(encoding="utf-8") == page
    again = json.loads(run("export", "--db", str(db), "--format", "json").output)
    assert {kind: len(rows) for kind, rows in again.items() if isinstance(rows, list)} == counts


def test_a_broken_negotiation_file_stops_the_run_before_any_work(tmp_path, corpus):
    broken = tmp_path / "broken.yaml"
    broken.write_text("name: x\nactors: [{id: a}]\nissues: 3\n", encoding="utf-8")
    result = CliRunner().invoke(main, ["run", str(corpus), "-o", str(tmp_path / "out"), "--model", str(broken)])
    assert result.exit_code != 0 and "detente model check" in result.output
    assert not (tmp_path / "out").exists()


def test_nothing_readable_says_what_to_check(tmp_path):
    empty = tmp_path / "empty"
    empty.mkdir()
    result = CliRunner().invoke(main, ["run", str(empty), "-o", str(tmp_path / "out")])
    assert result.exit_code != 0 and "Check the paths" in result.output
    assert not (tmp_path / "out" / "report.html").exists()


def test_report_documents_caps_the_texts_in_the_report(tmp_path, corpus):
    out = tmp_path / "out"
    result = run("run", str(corpus), "-o", str(out), "--report-documents", "1")
    assert result.exit_code == 0, result.output
    page = (out / "report.html").read_text(encoding="utf-8")
    assert page.count('<section class="page" id="doc-') == 1
    assert 'id="left-out"' in page and "detente serve" in page
    refused = CliRunner().invoke(main, ["run", str(corpus), "-o", str(out), "--report-documents", "-1"])
    assert refused.exit_code != 0 and "--report-documents" in refused.output


def test_run_offers_the_reports_own_document_cap_by_default():
    from detente.cli.run import run_command
    from detente.present.report import REPORT_DOCUMENTS

    default = next(p.default for p in run_command.params if p.name == "report_documents")
    assert default == REPORT_DOCUMENTS  # the CLI spells it out so that `detente --help` stays quick
