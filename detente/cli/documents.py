"""Commands on the documents themselves: `ingest`, `docs`, `errors`, `show`."""

from __future__ import annotations

import sys

import click

from detente.cli.grammar import (db_option, format_option, limit_option, open_store, output_option, since_option,
                                 until_option)
from detente.cli.listing import keep, write_listing
from detente.cli.progress import count_inputs, escape, progress, say

# detente.ingest.sources.DEFAULT_MAX_BYTES, kept here so `--help` need not import the ingest package.
DEFAULT_MAX_BYTES = 5_000_000


@click.command("ingest")
@click.argument("paths", nargs=-1, required=True)
@db_option
@click.option("--max-bytes", default=DEFAULT_MAX_BYTES, show_default=True, help="Skip files larger than this.")
@click.option("--strict", is_flag=True, help="Exit non-zero if any input could not be read.")
def ingest_command(paths: tuple[str, ...], db: str, max_bytes: int, strict: bool) -> None:
    """Read files, folders (recursively), .jsonl files, or - for standard input."""
    engine = open_store(db, must_exist=False)
    with progress("Ingesting", lambda: count_inputs(paths)) as tick:
        from detente.ingest.pipeline import ingest  # spaCy and datasketch load in seconds: only when ingesting

        report = ingest(engine, paths, max_bytes=max_bytes, stdin=sys.stdin.buffer, on_item=tick)
    print_ingest_summary(report, db)
    if report.read == 0 or (strict and report.errors):
        sys.exit(1)


def print_ingest_summary(report, db: str) -> None:
    say(
        f"{report.added} new document(s), {report.already_stored} already stored, "
        f"{len(report.duplicates)} near-duplicate(s), {len(report.errors)} skipped → {escape(db)}"
    )
    for doc, original, relation in report.duplicates:
        say(f"  {doc} is a {relation} of {original}")
    for error in report.errors:
        say(f"  [yellow]skipped[/yellow] {escape(error.uri)}: {escape(error.reason)}")
    if report.read == 0:
        say("[red]Nothing could be read.[/red] Check the paths, or see `detente errors`.")


DOC_TABLE = ["id", "published", "outlet", "title", "author", "relation", "duplicate_of", "similarity"]
DOC_FIELDS = [*DOC_TABLE, "uri"]


@click.command("docs")
@db_option
@format_option()
@since_option("documents published")
@until_option("documents published")
@limit_option
@output_option()
def docs_command(db: str, fmt: str, since: str | None, until: str | None, limit: int | None, output: str | None) -> None:
    """List documents: id, date, outlet, title and near-duplicates."""
    from detente.store import documents as doc_store

    rows = keep(doc_store.list_documents(open_store(db)), since=since, until=until, date_key="published", limit=limit)
    write_listing(rows, fmt, DOC_TABLE, DOC_FIELDS, "Documents", output)


@click.command("errors")
@db_option
@format_option()
@since_option("inputs skipped")
@until_option("inputs skipped")
@limit_option
@output_option()
def errors_command(db: str, fmt: str, since: str | None, until: str | None, limit: int | None, output: str | None) -> None:
    """List inputs that could not be ingested, with the reason."""
    from detente.store import documents as doc_store

    rows = keep(doc_store.list_errors(open_store(db)), since=since, until=until, date_key="at", limit=limit)
    write_listing(rows, fmt, ["at", "source", "reason"], ["at", "source", "reason"], "Skipped inputs", output)


SHOWN_FIELDS = ("id", "title", "outlet", "author", "published", "published_text", "uri", "relation", "duplicate_of")


@click.command("show")
@click.argument("doc_id")
@db_option
@format_option(help="table: the text for reading; json, jsonl, csv: the document as one record.")
@output_option()
def show_command(doc_id: str, db: str, fmt: str, output: str | None) -> None:
    """Show one document's clean text, metadata and the lines removed from it."""
    from detente.store import documents as doc_store

    doc = doc_store.find_document(open_store(db), doc_id)
    if doc is None:
        raise click.BadParameter(f"no single document matches {doc_id!r}. List ids with `detente docs`.",
                                 param_hint="'DOC_ID'")
    doc.pop("content_hash", None)
    if fmt != "table":
        write_listing([doc], fmt, list(doc), list(doc), None, output)
        return
    from rich.markup import escape as rich_escape

    with _console(output) as out:
        for key in SHOWN_FIELDS:
            if doc.get(key):
                out.print(f"[bold]{key}:[/bold] {rich_escape(str(doc[key]))}")
        out.print()
        out.print(rich_escape(doc["text"]))
        if doc["removed"]:
            out.print(f"\n[bold]removed ({len(doc['removed'])} lines):[/bold]")
            for line in doc["removed"]:
                out.print(f"  [dim]- {rich_escape(line)}[/dim]")


def _console(output: str | None):
    from contextlib import contextmanager

    from rich.console import Console

    from detente.cli.listing import opened_output

    @contextmanager
    def console():
        with opened_output(output) as stream:
            yield Console(file=stream, highlight=False)

    return console()
