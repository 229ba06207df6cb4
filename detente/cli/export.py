"""`detente export`: every record in a format another tool loads (JSON contract, CSV, Gephi, PLOVER, FtM)."""

from __future__ import annotations

import click

from detente.cli.grammar import EVENT_STATUSES, check_choice, db_option, open_store, output_option, since_option, until_option
from detente.present.exports import EXPORT_FORMATS, NETWORKS, ExportError


@click.command("export")
@db_option
@click.option("--format", "fmt", type=click.Choice(EXPORT_FORMATS, case_sensitive=False), default="json",
              show_default=True,
              help="json/jsonl: the JSON contract; csv: one file per record kind; gexf/graphml: a network "
                   "(gexf with dated edges for Gephi's timeline); plover: events as PLOVER JSONL; "
                   "ftm: FollowTheMoney entities (Aleph, OpenSanctions).")
@output_option(help="File to write (default: standard output); for csv, the folder to write into (required).")
@click.option("--network", type=click.Choice(NETWORKS), default="interaction", show_default=True,
              help="For gexf/graphml: who acted on whom (events, stances), or who is named in the same sentence.")
@since_option("events (and network edges)")
@until_option("events (and network edges)")
@click.option("--status", default=None, metavar="STATUS[,STATUS]",
              help=f"For plover and ftm: only events of these statuses ({', '.join(EVENT_STATUSES)}); "
                   "`--status reported` leaves out planned, hypothetical, denied and cancelled events.")
def export_command(db: str, fmt: str, output: str | None, network: str, since: str | None, until: str | None,
                   status: str | None) -> None:
    """Export every record: the JSON contract, CSV tables, a network for Gephi, PLOVER events or FtM entities.

    Records other than events are exported whole; --since/--until keep the
    events (and network edges) dated in that window.
    """
    statuses = check_choice(status, EVENT_STATUSES, "event status", "--status", many=True)
    if statuses and fmt.lower() not in ("plover", "ftm"):
        raise click.BadParameter("only the plover and ftm exports filter by status; drop --status or use "
                                 "--format plover.", param_hint="'--status'")
    from detente.present.exports.export_command import run_export

    try:
        run_export(open_store(db), fmt.lower(), output, network, since=since, until=until,
                   statuses=tuple(statuses.split(",")) if statuses else ())
    except ExportError as err:
        raise click.ClickException(str(err)) from err
