"""The `detente` command: one small function per verb, each a thin layer over the library.

The commands are grouped by what they work on (documents, extraction,
records, export, run), each module importing only Click at the top so that
`detente --help` answers at once; the negotiation models and the web app,
which bring NumPy and FastAPI, are imported only when they run. Options
follow one grammar (`detente.cli.grammar`); add new ones there.
"""

from __future__ import annotations

import click

from detente.cli import documents, export, extraction, records, run
from detente.cli.lazy import LazyGroup

LAZY_COMMANDS = {
    "model": ("detente.negotiation.commands:model_group", "Negotiation models: check, forecast, rounds, levers, power, veto."),
    "serve": ("detente.web.commands:serve_command", "Browse the store in a local web app and JSON API."),
}


@click.group(cls=LazyGroup, lazy_commands=LAZY_COMMANDS, context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(package_name="detente")
def main() -> None:
    """Build a sourced model of a negotiation from news reports, then run it.

    Shell completion (bash, zsh, fish): see "Shell completion" in the README.
    """


for command in (
    run.run_command,
    documents.ingest_command, documents.docs_command, documents.errors_command, documents.show_command,
    extraction.extract_command, extraction.extract_text_command,
    records.actors_group, records.actor_command, records.quotes_command, records.events_command,
    records.timeline_command, records.stances_command, records.claims_command, records.disputes_command,
    export.export_command,
):
    main.add_command(command)

if __name__ == "__main__":
    main()
