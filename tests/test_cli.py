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


# ------------------------------------------------------------------------ one grammar, bad input

import pytest  # noqa: E402

from detente.cli import documents as documents_cli, records as records_cli  # noqa: E402

READ_COMMANDS = [["docs"], ["errors"], ["show", "abc"], ["export"], ["extract"], ["actors"], ["actor", "x"],
                 ["quotes"], ["events"], ["timeline"], ["stances"], ["claims"], ["disputes"]]


def invoke(*args, input=None):
    return CliRunner().invoke(main, list(args), input=input)


@pytest.fixture
def small_db(tmp_path) -> str:
    db = str(tmp_path / "small.db")
    run("ingest", "-", "--db", db, input="Delegations met in Vienna on Monday and agreed to meet again within a month.")
    return db


@pytest.mark.parametrize("command", READ_COMMANDS, ids=lambda c: c[0])
def test_reading_a_store_that_does_not_exist_is_refused_with_a_hint(tmp_path, command):
    missing = tmp_path / "typo.db"
    result = invoke(*command, "--db", str(missing))
    assert result.exit_code == 2 and "detente ingest" in result.output and "Traceback" not in result.output
    assert not missing.exists()  # nothing was created behind the user's back


@pytest.mark.parametrize("command", [["events", "--since"], ["events", "--until"], ["timeline", "--since"],
                                     ["quotes", "--since"], ["stances", "--until"], ["claims", "--since"],
                                     ["docs", "--since"], ["disputes", "--until"], ["export", "--since"]],
                         ids=lambda c: "-".join(c))
def test_impossible_dates_are_refused_with_how_to_write_one(small_db, command):
    result = invoke(*command, "2013-13-45", "--db", small_db)
    assert result.exit_code == 2 and "ISO prefix such as 2013" in result.output and "Traceback" not in result.output


def test_extract_text_refuses_an_impossible_date_before_any_work(tmp_path):
    text = tmp_path / "a.txt"
    text.write_text("Talks resumed.")
    result = invoke("extract-text", str(text), "--date", "2015-13-45")
    assert result.exit_code == 2 and "'--date'" in result.output and "Traceback" not in result.output


@pytest.mark.parametrize("command, choice", [
    (["events", "--type", "NEGOTIATE"], "CONSULT"), (["timeline", "--type", "consult,chat"], "CONSULT"),
    (["events", "--status", "happened"], "planned"), (["timeline", "--status", "rumoured"], "hypothetical"),
    (["actors", "--type", "alien"], "person"), (["quotes", "--type", "sung"], "indirect"),
    (["stances", "--type", "neutral"], "oppose"), (["disputes", "--type", "quarrel"], "rebuttal"),
], ids=lambda c: c if isinstance(c, str) else "-".join(c))
def test_unknown_types_and_statuses_list_the_valid_choices(small_db, command, choice):
    result = invoke(*command, "--db", small_db)
    assert result.exit_code == 2 and choice in result.output and "Traceback" not in result.output


@pytest.mark.parametrize("command", ["events", "timeline", "quotes", "stances", "claims"])
def test_an_actor_that_matches_no_one_is_refused(small_db, command):
    result = invoke(command, "--actor", "nobody-at-all", "--db", small_db)
    assert result.exit_code == 2 and "detente actors" in result.output


def test_an_unknown_claim_property_lists_the_stored_ones(tmp_path):
    from negotiation_store import NegotiationStore
    from detente.store.database import open_engine

    db = str(tmp_path / "full.db")
    NegotiationStore(open_engine(db))
    stored = json.loads(invoke("claims", "--db", db, "--format", "json").output)[0]["property"]
    result = invoke("claims", "--db", db, "--property", "death_tol")
    assert result.exit_code == 2 and stored in result.output
    assert invoke("claims", "--db", db, "--property", stored).exit_code == 0


def test_unknown_ids_say_where_to_find_the_real_ones(small_db):
    assert invoke("show", "feedbeef", "--db", small_db).exit_code == 2
    result = invoke("actor", "no-such-actor", "--db", small_db)
    assert result.exit_code == 2 and "detente actors" in result.output


@pytest.mark.parametrize("command, fields", [
    ("events", records_cli.EVENT_FIELDS), ("timeline", records_cli.TIMELINE_FIELDS),
    ("quotes", records_cli.QUOTE_FIELDS), ("stances", records_cli.STANCE_FIELDS),
    ("claims", records_cli.CLAIM_FIELDS), ("disputes", records_cli.DISPUTE_FIELDS),
    ("actors", records_cli.ACTOR_FIELDS), ("docs", documents_cli.DOC_FIELDS),
])
def test_csv_headers_do_not_depend_on_the_number_of_rows(tmp_path, small_db, command, fields):
    from negotiation_store import NegotiationStore
    from detente.store.database import open_engine

    full = str(tmp_path / "full.db")
    NegotiationStore(open_engine(full))
    empty_header = invoke(command, "--db", small_db, "--format", "csv").output.splitlines()[0]
    full_output = invoke(command, "--db", full, "--format", "csv").output.splitlines()
    assert empty_header == full_output[0] == ",".join(fields)
    if command != "docs":
        assert len(full_output) > 1  # the full store has rows of every kind


@pytest.mark.parametrize("command, library", [
    ("events", "detente.store.events:event_rows"), ("timeline", "detente.store.events:timeline_rows"),
    ("quotes", "detente.store.extraction:quote_rows"), ("stances", "detente.store.stances:stance_rows"),
    ("claims", "detente.store.claims:claim_rows"), ("disputes", "detente.store.claims:dispute_rows"),
    ("actors", "detente.store.extraction:actor_rows"), ("docs", "detente.store.documents:list_documents"),
])
def test_the_fixed_fields_cover_everything_the_library_returns(tmp_path, command, library):
    """If the library grows a field, the listing's field list must grow with it (or json would drop it)."""
    import importlib

    from negotiation_store import NegotiationStore
    from detente.store.database import open_engine

    engine = open_engine(str(tmp_path / "full.db"))
    NegotiationStore(engine)
    module, _, name = library.partition(":")
    rows = getattr(importlib.import_module(module), name)(engine)
    fields = {"events": records_cli.EVENT_FIELDS, "timeline": records_cli.TIMELINE_FIELDS,
              "quotes": records_cli.QUOTE_FIELDS, "stances": records_cli.STANCE_FIELDS,
              "claims": records_cli.CLAIM_FIELDS, "disputes": records_cli.DISPUTE_FIELDS,
              "actors": records_cli.ACTOR_FIELDS, "docs": documents_cli.DOC_FIELDS}[command]
    assert rows and set(rows[0]) <= set(fields)


def test_filters_and_limit_narrow_a_listing(tmp_path):
    from negotiation_store import NegotiationStore
    from detente.store.database import open_engine

    db = str(tmp_path / "full.db")
    NegotiationStore(open_engine(db))
    rows = json.loads(invoke("events", "--db", db, "--format", "json", "--status", "planned").output)
    assert rows and {r["status"] for r in rows} == {"planned"}
    assert len(json.loads(invoke("events", "--db", db, "--format", "json", "--limit", "1").output)) == 1
    stances = json.loads(invoke("stances", "--db", db, "--format", "json", "--type", "oppose").output)
    assert stances and {s["polarity"] for s in stances} == {"oppose"}
    early = json.loads(invoke("quotes", "--db", db, "--format", "json", "--until", "2015-01").output)
    assert all((q["date"] or q["published"]) < "2015-02" for q in early)


def test_output_writes_any_listing_to_a_file(small_db, tmp_path):
    out = tmp_path / "docs.csv"
    assert invoke("docs", "--db", small_db, "--format", "csv", "-o", str(out)).exit_code == 0
    assert out.read_text(encoding="utf-8").startswith("id,published,outlet")


def test_old_spellings_still_work_but_are_not_shown(small_db):
    assert "--model" not in invoke("extract", "--help").output and "--spacy-model" in invoke("extract", "--help").output
    assert "--out " not in invoke("run", "--help").output and "-o, --output" in invoke("run", "--help").output
    assert "--speaker" not in invoke("quotes", "--help").output
    assert invoke("quotes", "--db", small_db, "--speaker", "nobody-at-all").exit_code == 2  # read as --actor
    shown = invoke("show", json.loads(invoke("docs", "--db", small_db, "--format", "json").output)[0]["id"],
                   "--db", small_db, "--format", "text")
    assert shown.exit_code == 0 and "Vienna" in shown.output  # `text` is read as `table`


def test_every_command_has_help():
    for name in main.list_commands(None):
        result = invoke(name, "--help")
        assert result.exit_code == 0 and "Usage:" in result.output, name


def test_the_ingest_size_default_is_the_readers(tmp_path):
    from detente.ingest.sources import DEFAULT_MAX_BYTES

    assert documents_cli.DEFAULT_MAX_BYTES == DEFAULT_MAX_BYTES


def test_the_progress_total_counts_what_ingest_reads(tmp_path):
    """The bar's total is the number of items ingest will read, so its time left means something."""
    from detente.cli.progress import count_inputs
    from detente.ingest.sources import iter_sources

    (tmp_path / "a.txt").write_text("Talks resumed in Geneva on Monday after a week of delays and recriminations.")
    (tmp_path / "notes.yaml").write_text("not: a report\n")
    (tmp_path / ".hidden").mkdir()
    (tmp_path / ".hidden" / "b.txt").write_text("ignored")
    (tmp_path / "wire.jsonl").write_text('{"text": "one"}\n\n{"text": "two"}\n')
    assert count_inputs([str(tmp_path)]) == len(list(iter_sources([str(tmp_path)]))) == 3
    assert count_inputs([str(tmp_path / "a.txt"), "-"]) is None  # standard input: size unknown
