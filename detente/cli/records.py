"""Listing and showing the extracted records: actors, quotes, events, timeline, stances, claims, disputes.

Every listing takes the same `--format`, `-o/--output` and filters
(`--actor --type --status --since --until --limit` where the record has
them); the fields written as json/jsonl/csv are fixed per command, so a CSV
header never depends on how many rows there are.
"""

from __future__ import annotations

import click

from detente.cli.grammar import (AliasedOption, actor_option, check_choice, db_option, event_types, format_option,
                                 limit_option, open_store, output_option, since_option, status_option, type_option,
                                 until_option)
from detente.cli.listing import keep, write_listing
from detente.cli.progress import escape, say

ACTOR_KINDS = ("person", "organization", "state", "group")
QUOTE_KINDS = ("direct", "indirect", "mixed")
POLARITIES = ("support", "oppose", "condition")
DISPUTE_KINDS = ("contradiction", "correction", "rebuttal")

ACTOR_FIELDS = ["id", "name", "kind", "country", "aliases", "origin", "mentions", "documents", "roles"]
QUOTE_FIELDS = ["id", "doc", "start", "end", "date", "date_text", "speaker", "speaker_name", "speaker_text", "cue",
                "kind", "content", "confidence", "extractor", "outlet", "published", "doc_title"]
EVENT_FIELDS = ["id", "type", "mode", "actors", "actor_names", "recipients", "recipient_names", "actors_text",
                "recipients_text", "date", "date_text", "location", "status", "text", "doc", "start", "end",
                "extractor", "confidence", "outlet", "published", "doc_title", "uri"]
TIMELINE_FIELDS = ["date", "type", "mode", "status", "actors", "actor_names", "recipients", "recipient_names",
                   "location", "sources", "docs", "outlets", "events", "text", "first_reported", "confidence"]
STANCE_FIELDS = ["id", "actor", "actor_name", "target", "target_name", "target_text", "polarity", "condition", "date",
                 "text", "doc", "start", "end", "extractor", "confidence", "outlet", "published", "doc_title"]
CLAIM_FIELDS = ["id", "date", "subject", "property", "value", "low", "high", "qualifier", "unit", "attributed_to",
                "attributed_name", "reported_by", "source_text", "text", "doc", "start", "end", "extractor",
                "confidence", "outlet", "published", "doc_title"]
DISPUTE_FIELDS = ["id", "kind", "confidence", "extractor"] + [
    f"{side}_{field}" for side in "ab" for field in
    ("statement", "id", "by", "by_name", "text", "sentence", "doc", "start", "end", "outlet", "published", "doc_title")
]


def check_actor(engine, value: str | None) -> None:
    """Refuse an --actor that matches no actor (exit 2), rather than answer an empty list."""
    if value is None:
        return
    from sqlalchemy import func, or_, select

    from detente.store.schema import actors

    needle = value.strip().lower()
    query = select(func.count()).select_from(actors).where(or_(
        func.lower(actors.c.id).startswith(needle, autoescape=True),
        func.lower(actors.c.name).contains(needle, autoescape=True),
    ))
    with engine.connect() as conn:
        if not conn.execute(query).scalar_one():
            raise click.BadParameter(f"no actor matches {value!r}. List actor ids with `detente actors`.",
                                     param_hint="'--actor'")


def _actor_in(row: dict, actor: str | None, *keys: str) -> bool:
    """Whether `actor` (an id, an id prefix, or part of a name) is among the row's `keys` (ids or names)."""
    if not actor:
        return True
    needle = actor.strip().lower()
    for key in keys:
        values = row.get(key)
        for value in values if isinstance(values, list) else [values]:
            text = str(value or "").lower()
            if text and (text.startswith(needle) if not key.endswith("name") else needle in text):
                return True
    return False


@click.group("actors", invoke_without_command=True)
@db_option
@format_option()
@actor_option(help="Only actors whose id starts with or whose name holds this.")
@type_option(help=f"Only actors of this kind: {', '.join(ACTOR_KINDS)}.")
@limit_option
@output_option()
@click.pass_context
def actors_group(ctx: click.Context, db: str, fmt: str, actor: str | None, type_: str | None, limit: int | None,
                 output: str | None) -> None:
    """List actors with kind, country, roles and mention counts."""
    if ctx.invoked_subcommand:
        return
    type_ = check_choice(type_, ACTOR_KINDS, "actor kind", "--type", many=True)
    from detente.store.extraction import actor_rows

    rows = [r for r in actor_rows(open_store(db)) if _actor_in(r, actor, "id", "name")]
    rows = keep(rows, where={"kind": type_}, limit=limit)
    write_listing(rows, fmt, ["id", "name", "kind", "country", "roles", "mentions", "documents"], ACTOR_FIELDS,
                  "Actors", output)


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
    count = import_registry_actors(open_store(db, must_exist=False), imported)
    say(f"{count} actor(s) imported from {escape(path)} → {escape(db)}")


@click.command("actor")
@click.argument("actor_id")
@db_option
@format_option(help="table: roles, mentions and quotes for reading; json, jsonl, csv: the actor as one record.")
@output_option()
def actor_command(actor_id: str, db: str, fmt: str, output: str | None) -> None:
    """One actor: roles over time, every mention and quote, with sources."""
    from detente.store.extraction import actor_detail

    detail = actor_detail(open_store(db), actor_id)
    if detail is None:
        raise click.BadParameter(f"no actor {actor_id!r}. List ids with `detente actors`.", param_hint="'ACTOR_ID'")
    if fmt != "table":
        write_listing([detail], fmt, list(detail), list(detail), None, output)
        return
    from rich.console import Console

    from detente.cli.listing import opened_output
    from detente.present.actor_view import print_actor

    with opened_output(output) as out:
        print_actor(detail, Console(file=out, highlight=False))


@click.command("quotes")
@db_option
@format_option()
@actor_option(help="Only quotes by this speaker (actor id or part of a name).", cls=AliasedOption,
              hidden_aliases=("--speaker",))
@type_option(help=f"Only quotes of this kind: {', '.join(QUOTE_KINDS)}.")
@since_option("quotes")
@until_option("quotes")
@limit_option
@click.option("--doc", default=None, help="Only quotes from this document (id or prefix).")
@output_option()
def quotes_command(db: str, fmt: str, actor: str | None, type_: str | None, since: str | None, until: str | None,
                   limit: int | None, doc: str | None, output: str | None) -> None:
    """Who said what, when, where."""
    type_ = check_choice(type_, QUOTE_KINDS, "quote kind", "--type", many=True)
    from detente.store.extraction import quote_rows

    engine = open_store(db)
    check_actor(engine, actor)
    rows = quote_rows(engine, speaker=actor, doc=doc)
    rows = keep(_own_or_published(rows), since=since, until=until, date_key="when", where={"kind": type_}, limit=limit)
    write_listing(rows, fmt, ["date", "speaker_name", "kind", "content", "outlet", "doc"], QUOTE_FIELDS, "Quotes",
                  output)


def _event_listing_options(command):
    """The options `events` and `timeline` share: the store, the format, the event filters and the output."""
    for option in reversed([
        db_option, format_option(),
        actor_option(help="Only events with this actor (id or part of the name) among actors or recipients."),
        type_option(help="Only these PLOVER types, e.g. CONSULT or consult,agree."), status_option(),
        since_option("events"), until_option("events"), limit_option, output_option(),
    ]):
        command = option(command)
    return command


def _event_filters(type_: str | None, status: str | None) -> tuple[str | None, str | None]:
    return check_choice(type_, event_types(), "event type", "--type", many=True), status and status.lower()


@click.command("events")
@_event_listing_options
def events_command(db: str, fmt: str, actor: str | None, type_: str | None, status: str | None, since: str | None,
                   until: str | None, limit: int | None, output: str | None) -> None:
    """Events as each source reports them: type, actors, date, status."""
    type_, status = _event_filters(type_, status)
    from detente.store.events import event_rows

    engine = open_store(db)
    check_actor(engine, actor)
    rows = keep(event_rows(engine, actor=actor, since=since, until=until, type=type_, status=status), limit=limit)
    write_listing(rows, fmt, ["date", "type", "mode", "actor_names", "recipient_names", "status", "location", "outlet",
                              "doc"], EVENT_FIELDS, "Events", output)


@click.command("timeline")
@_event_listing_options
def timeline_command(db: str, fmt: str, actor: str | None, type_: str | None, status: str | None, since: str | None,
                     until: str | None, limit: int | None, output: str | None) -> None:
    """Events in date order, one row per real-world event with all its sources."""
    type_, status = _event_filters(type_, status)
    from detente.store.events import timeline_page

    engine = open_store(db)
    check_actor(engine, actor)
    rows, _total = timeline_page(engine, actor=actor, since=since, until=until, type=type_, status=status, limit=limit)
    write_listing(rows, fmt, ["date", "type", "mode", "actor_names", "recipient_names", "status", "sources",
                              "outlets"], TIMELINE_FIELDS, "Timeline", output)


@click.command("stances")
@db_option
@format_option()
@actor_option(help="Only this actor's stances (id or part of the name).")
@click.option("--target", default=None,
              help="Target: an id (moscow-talks-2015, pretoria-agreement), part of its name, or an actor id.")
@type_option(help=f"Only stances of this polarity: {', '.join(POLARITIES)}.")
@since_option("stances")
@until_option("stances")
@limit_option
@output_option()
def stances_command(db: str, fmt: str, actor: str | None, target: str | None, type_: str | None, since: str | None,
                    until: str | None, limit: int | None, output: str | None) -> None:
    """Who supports, opposes or sets conditions on what, and when.

    With both --actor and --target: that actor's stance over time, with each shift marked.
    """
    type_ = check_choice(type_, POLARITIES, "polarity", "--type", many=True)
    from detente.store.stances import stance_rows, stance_series

    engine = open_store(db)
    check_actor(engine, actor)
    if actor and target:
        rows = stance_series(engine, actor, target)
        fields = [*STANCE_FIELDS, "changed_from"]
        columns = ["date", "actor_name", "target_name", "polarity", "changed_from", "condition", "outlet", "doc"]
    else:
        rows = stance_rows(engine, target=target, actor=actor)
        fields = STANCE_FIELDS
        columns = ["date", "actor_name", "polarity", "target_name", "condition", "outlet", "doc"]
    rows = keep(_own_or_published(rows), since=since, until=until, date_key="when", where={"polarity": type_},
                limit=limit)
    write_listing(rows, fmt, columns, fields, "Stances", output)


def _own_or_published(rows: list[dict]) -> list[dict]:
    """Each row with `when`: its own date, else its document's, which is what the date filters compare."""
    return [dict(row, when=row.get("date") or row.get("published")) for row in rows]


@click.command("claims")
@db_option
@format_option()
@actor_option(help="Only figures reported by this actor (id or part of the name).")
@click.option("--property", "prop", default=None, help="e.g. death_toll, displaced, seats.")
@click.option("--subject", default=None, help="e.g. syrian-civil-war or an actor id.")
@since_option("figures")
@until_option("figures")
@limit_option
@output_option()
def claims_command(db: str, fmt: str, actor: str | None, prop: str | None, subject: str | None, since: str | None,
                   until: str | None, limit: int | None, output: str | None) -> None:
    """Figures over time, with who reported them."""
    from detente.store.claims import claim_rows

    engine = open_store(db)
    check_actor(engine, actor)
    _check_stored(engine, "property", prop, "--property")
    _check_stored(engine, "subject", subject, "--subject")
    rows = [r for r in claim_rows(engine, property=prop, subject=subject)
            if _actor_in(r, actor, "attributed_to", "attributed_name")]
    rows = keep(rows, since=since, until=until, limit=limit)
    write_listing(rows, fmt, ["date", "subject", "property", "value", "low", "high", "unit", "reported_by", "outlet",
                              "doc"], CLAIM_FIELDS, "Claims", output)


def _check_stored(engine, column: str, value: str | None, option: str) -> None:
    """Refuse a claim property or subject the store has never seen, listing those it has."""
    if value is None:
        return
    from sqlalchemy import select

    from detente.store.schema import claims

    with engine.connect() as conn:
        stored = sorted(v for (v,) in conn.execute(select(claims.c[column]).distinct()) if v)
    if value not in stored:
        shown = ", ".join(stored[:30]) + (" …" if len(stored) > 30 else "") if stored else "none yet (run `detente extract`)"
        raise click.BadParameter(f"no claim has the {column} {value!r}. In this store: {shown}.", param_hint=f"'{option}'")


@click.command("disputes")
@db_option
@format_option()
@actor_option(help="Only disputes where this actor (id or part of the name) makes one of the statements.")
@type_option(help=f"Only disputes of this kind: {', '.join(DISPUTE_KINDS)}.")
@since_option("disputes (by either statement's date)")
@until_option("disputes (by either statement's date)")
@limit_option
@output_option()
def disputes_command(db: str, fmt: str, actor: str | None, type_: str | None, since: str | None, until: str | None,
                     limit: int | None, output: str | None) -> None:
    """Statements that contradict, correct or rebut each other."""
    type_ = check_choice(type_, DISPUTE_KINDS, "dispute kind", "--type", many=True)
    from detente.store.claims import dispute_rows

    engine = open_store(db)
    check_actor(engine, actor)
    rows = [r for r in dispute_rows(engine) if _actor_in(r, actor, "a_by", "b_by", "a_by_name", "b_by_name")]
    rows = keep(rows, where={"kind": type_})
    if since or until:
        rows = [r for r in rows if keep([{"date": r.get("a_published")}, {"date": r.get("b_published")}],
                                        since=since, until=until)]
    rows = rows if limit is None else rows[:limit]
    write_listing(rows, fmt, ["kind", "a_sentence", "a_outlet", "b_sentence", "b_outlet"], DISPUTE_FIELDS, "Disputes",
                  output)
