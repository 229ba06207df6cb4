"""`detente run`: the main job in one command (ingest, extract, analyse, write the report)."""

from __future__ import annotations

import sys

import click

from detente.cli.documents import print_ingest_summary
from detente.cli.extraction import dask_errors, load_registry, load_targets, nlp_model
from detente.cli.grammar import (AliasedOption, negotiation_option, open_store, processes_option, registry_option,
                                 scheduler_option, spacy_model_option, targets_option)
from detente.cli.progress import count_inputs, escape, pending_extraction, progress, say


@click.command("run")
@click.argument("inputs", nargs=-1, required=True)
@click.option("-o", "--output", cls=AliasedOption, hidden_aliases=("--out",), required=True,
              type=click.Path(file_okay=False), help="Folder for detente.db and report.html.")
@registry_option
@targets_option
@negotiation_option(help="Negotiation file (YAML or KTAB CSV): adds the negotiation page to the report.")
@click.option("--db", default=None, help="Store to use instead of OUTPUT/detente.db: a SQLite file or an SQLAlchemy URL.")
@spacy_model_option(hidden_aliases=())
@processes_option
@scheduler_option
@click.option("--report-documents", type=click.IntRange(min=0), default=300, show_default=True,
              help="Documents whose text report.html holds, most recent first; with more in the store, only actors "
                   "mentioned twice or more get a profile. `detente serve` always shows everything.")
def run_command(inputs, output, registry, targets, negotiation, db, spacy_model, processes, scheduler, report_documents) -> None:
    """The main job: ingest INPUTS, extract, analyse, and write OUTPUT/detente.db and OUTPUT/report.html."""
    from detente.present.run import NothingToReport, output_paths, run_pipeline

    if negotiation:  # a broken file stops the run before any work, with every problem listed
        from detente.negotiation.files import NegotiationFileError, load_negotiation

        try:
            negotiation = load_negotiation(negotiation)
        except NegotiationFileError as err:
            problems = "\n".join(str(p) for p in err.problems)
            raise click.ClickException(f"{problems}\nFix the negotiation file (`detente model check FILE` lists the problems).") from err
    store, report_path = output_paths(output, db)
    engine = open_store(store, must_exist=False)
    nlp_model(spacy_model)
    sizes = {"Ingesting": lambda: count_inputs(inputs), "Extracting": lambda: pending_extraction(engine)}
    try:
        with dask_errors():
            result = run_pipeline(
                engine, inputs, report_path, registry=load_registry(registry, engine), targets=load_targets(targets),
                negotiation=negotiation, spacy_model=spacy_model, processes=processes, stdin=sys.stdin.buffer,
                stage=lambda label: progress(label, sizes.get(label)), report_documents=report_documents,
                scheduler=scheduler,
            )
    except NothingToReport as err:
        from detente.ingest.pipeline import IngestReport

        print_ingest_summary(IngestReport(), store)
        raise click.ClickException(str(err)) from err
    print_ingest_summary(result.ingest, store)
    x = result.extract
    say(f"{x.documents} document(s) extracted now ({result.documents} in the store): {x.events} events, "
        f"{x.quotes} quotes, {x.stances} stances, {x.claims} claims; {x.disputes} disputes")
    say(f"[bold]Store:[/bold]  {escape(store)}\n[bold]Report:[/bold] {escape(str(result.report))}")
    say("Next:\n"
        f"  open {escape(str(result.report))}\n"
        f"  detente serve --db {escape(store)}\n"
        f"  detente timeline --db {escape(store)}\n"
        f"  detente export --db {escape(store)} --format json -o detente.json")
