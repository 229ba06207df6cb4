"""Extraction commands: `extract` over the store, `extract-text` over one text without a store."""

from __future__ import annotations

import json
from collections.abc import Iterator
from contextlib import contextmanager

import click

from detente.cli.grammar import (check_date, db_option, format_option, open_store, output_option, processes_option,
                                 registry_option, scheduler_option, spacy_model_option, targets_option)
from detente.cli.progress import escape, pending_extraction, progress, say


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


@contextmanager
def dask_errors() -> Iterator[None]:
    """A Dask scheduler that cannot be reached, or Dask not installed, is a message, not a traceback."""
    from detente.nlp.work import DaskUnavailable

    try:
        yield
    except DaskUnavailable as err:
        raise click.ClickException(str(err)) from err


def nlp_model(name: str | None):
    from detente.nlp.pipeline import ModelNotFound, load_model

    try:
        return load_model(name)
    except ModelNotFound as err:
        raise click.ClickException(str(err)) from err


@click.command("extract")
@db_option
@spacy_model_option()
@registry_option
@targets_option
@processes_option
@scheduler_option
def extract_command(
    db: str, spacy_model: str | None, registry: str | None, targets: str | None, processes: int, scheduler: str | None
) -> None:
    """Extract actors, dates, quotes, events, stances and claims from documents not yet done by this version."""
    from detente.nlp.extract import extract_store

    engine = open_store(db)
    actor_registry = load_registry(registry, engine)
    target_registry = load_targets(targets)
    nlp_model(spacy_model)
    with progress("Extracting", lambda: pending_extraction(engine)) as tick, dask_errors():
        report = extract_store(
            engine, actor_registry, target_registry, model=spacy_model, processes=processes, on_document=tick,
            scheduler=scheduler,
        )
    say(
        f"{report.documents} document(s) extracted: {len(report.actors)} actors, {report.mentions} mentions, "
        f"{report.quotes} quotes, {report.dates} dates, {report.events} events, {report.stances} stances, "
        f"{report.claims} claims; {report.disputes} disputes in the store → {escape(db)}"
    )


TEXT_RECORD_COLUMNS = ["record", "start", "end", "text", "fields"]


@click.command("extract-text")
@click.argument("path", type=click.File("rb"))
@click.option("--date", "published", default=None, callback=check_date, metavar="DATE",
              help="Publication date (ISO: 2015-01-14), the base for relative dates.")
@spacy_model_option()
@registry_option
@targets_option
@format_option(default="jsonl", help="jsonl/json: the records of the JSON contract; table/csv: one row per record "
                                     "(kind, span, text, the other fields as JSON).")
@output_option()
def extract_text_command(path, published: str | None, spacy_model: str | None, registry: str | None,
                         targets: str | None, fmt: str, output: str | None) -> None:
    """Extract from one text file (or -) without a store; records to standard output or -o."""
    from detente.cli.listing import opened_output, write_listing
    from detente.ingest.decode import DecodeError, decode_bytes
    from detente.nlp.chunks import parse_text
    from detente.nlp.extract import extract_doc, text_records

    try:
        text = decode_bytes(path.read())
    except DecodeError as err:
        raise click.ClickException(f"{path.name}: {err}") from err
    doc = parse_text(nlp_model(spacy_model), text)
    records = text_records(extract_doc(doc, load_registry(registry), published, load_targets(targets)))
    if fmt in ("table", "csv"):
        write_listing([_flat_record(r, text) for r in records], fmt, TEXT_RECORD_COLUMNS, TEXT_RECORD_COLUMNS,
                      "Records", output)
        return
    with opened_output(output) as out:
        if fmt == "json":
            grouped: dict[str, list] = {}
            for record in records:
                grouped.setdefault(record.pop("record") + "s", []).append(record)
            out.write(json.dumps(grouped, ensure_ascii=False, indent=2) + "\n")
        else:
            for record in records:
                out.write(json.dumps(record, ensure_ascii=False) + "\n")


def _flat_record(record: dict, text: str) -> dict:
    """One record as a row: its kind, its span and words, and every other field as JSON."""
    start, end = record.get("start"), record.get("end")
    words = text[start:end] if isinstance(start, int) and isinstance(end, int) else record.get("name")
    rest = {k: v for k, v in record.items() if k not in ("record", "start", "end")}
    return {"record": record["record"], "start": start, "end": end, "text": words,
            "fields": json.dumps(rest, ensure_ascii=False, default=str)}


