"""The commands of the README, run through Click's CliRunner against a real store file."""

from __future__ import annotations

import csv
import io
import json

from click.testing import CliRunner

from detente.cli import main


def run(*args, input=None):
    result = CliRunner().invoke(main, list(args), input=input, catch_exceptions=False)
    return result


def test_ingest_docs_show_export(tmp_path, corpus):
    db = str(tmp_path / "cli.db")
    result = run("ingest", str(corpus), "--db", db)
    assert result.exit_code == 0
    assert "2 new document(s)" in result.output

    listing = json.loads(run("docs", "--db", db, "--format", "json").output)
    assert {d["outlet"] for d in listing} == {"Harbour Post", "Northern Courier"}
    rewrite = next(d for d in listing if d["relation"] == "rewrite")

    table = run("docs", "--db", db).output
    assert "Harbour Post" in table and "rewrite" in table

    shown = run("show", rewrite["id"][:8], "--db", db).output
    assert "Truce talks resume in Geneva" in shown and "removed" in shown

    exported = json.loads(run("export", "--db", db, "--format", "json").output)
    for key in ("documents", "actors", "affiliations", "events", "quotes", "stances", "claims", "disputes"):
        assert isinstance(exported[key], list)
    assert {d["id"] for d in exported["documents"]} == {d["id"] for d in listing}
    assert all("content_hash" not in d for d in exported["documents"])


def test_listing_formats_agree(tmp_path, corpus):
    db = str(tmp_path / "cli.db")
    run("ingest", str(corpus), "--db", db)
    as_json = json.loads(run("docs", "--db", db, "--format", "json").output)
    as_jsonl = [json.loads(line) for line in run("docs", "--db", db, "--format", "jsonl").output.splitlines()]
    as_csv = list(csv.DictReader(io.StringIO(run("docs", "--db", db, "--format", "csv").output)))
    assert as_json == as_jsonl
    assert [r["id"] for r in as_csv] == [r["id"] for r in as_json]


def test_jsonl_export_names_each_record(tmp_path, corpus):
    db = str(tmp_path / "cli.db")
    run("ingest", str(corpus), "--db", db)
    lines = [json.loads(line) for line in run("export", "--db", db, "--format", "jsonl").output.splitlines()]
    assert [line["record"] for line in lines] == ["document", "document"]


def test_exit_status(tmp_path, corpus):
    db = str(tmp_path / "cli.db")
    (corpus / "empty.txt").write_text("")
    assert run("ingest", str(corpus), "--db", db).exit_code == 0
    assert run("ingest", str(corpus), "--db", db, "--strict").exit_code == 1
    nothing = run("ingest", str(tmp_path / "nowhere"), "--db", db)
    assert nothing.exit_code == 1 and "Nothing could be read" in nothing.output


def test_stdin_dash(tmp_path):
    db = str(tmp_path / "cli.db")
    text = "Negotiators met again in Astana on Tuesday to discuss the exchange of detainees between the two sides."
    assert run("ingest", "-", "--db", db, input=text).exit_code == 0
    assert len(json.loads(run("docs", "--db", db, "--format", "json").output)) == 1


def test_show_unknown_id_says_what_to_do(tmp_path):
    db = str(tmp_path / "x.db")
    run("ingest", "-", "--db", db, input="Delegations met in Vienna on Monday and agreed to meet again within a month.")
    result = CliRunner().invoke(main, ["show", "feedbeef", "--db", db])
    assert result.exit_code == 2 and "detente docs" in result.output


def test_hostile_text_is_not_read_as_markup(tmp_path):
    db = str(tmp_path / "cli.db")
    text = "[bold red]Injected[/bold red] title line\n\nThe talks [link=http://x]ended[/link] on Friday after the delegations failed to agree on the wording of the final communique."
    run("ingest", "-", "--db", db, input=text)
    doc_id = json.loads(run("docs", "--db", db, "--format", "json").output)[0]["id"]
    assert "[link=http://x]ended[/link]" in run("show", doc_id, "--db", db).output
