"""`detente serve`: the local web app over a store, on 127.0.0.1 unless told otherwise."""

from __future__ import annotations

import ipaddress

import click

from detente.cli.grammar import negotiation_option
from detente.store.database import StoreError

LOCAL_HOSTS = {"localhost"}


@click.command("serve")
@click.option("--db", default="detente.db", show_default=True, envvar="DETENTE_DB",
              help="Store to serve: a SQLite file, or an SQLAlchemy URL.")
@click.option("--host", default="127.0.0.1", show_default=True, help="Address to bind; anything but localhost is reachable by others.")
@click.option("--port", default=8000, show_default=True, type=click.IntRange(0, 65535))
@click.option("--writable", is_flag=True, help="Allow adding reports from the app (POST /api/documents); read-only otherwise.")
@negotiation_option(help="Negotiation file (YAML or CSV): adds the negotiation page.")
def serve_command(db: str, host: str, port: int, writable: bool, negotiation: str | None) -> None:
    """Browse the store in a local web app, with a JSON API under /api/."""
    model_file = negotiation
    import uvicorn

    from detente.negotiation.files import NegotiationFileError, load_negotiation
    from detente.web.app import create_app

    try:
        if model_file:
            load_negotiation(model_file)  # a broken file is reported now, not as a failing page later
        app = create_app(db, writable=writable, model=model_file, host=host)
    except (StoreError, NegotiationFileError) as err:
        raise click.ClickException(str(err)) from err
    if not is_local(host):
        click.echo(
            f"Warning: binding {host} makes the app reachable from other machines; "
            "it has no login. Use --host 127.0.0.1 to keep it on this one.", err=True,
        )
    from detente.web.store import missing_indexes

    lacking = missing_indexes(app.state.engine)
    if lacking:
        click.echo(
            f"Warning: the store lacks {len(lacking)} index(es) this detente uses ({', '.join(lacking[:3])}"
            f"{', …' if len(lacking) > 3 else ''}); the pages of a large store will be slow. Add them once with a "
            f"command that opens it for writing, e.g. `detente docs --db {db}`.", err=True,
        )
    mode = "read-write" if writable else "read-only"
    click.echo(f"Serving {db} ({mode}) at http://{_url_host(host)}:{port}/  (API at /api/, Ctrl+C to stop)", err=True)
    uvicorn.run(app, host=host, port=port, log_level="warning")


def is_local(host: str) -> bool:
    if host in LOCAL_HOSTS:
        return True
    try:
        return ipaddress.ip_address(host.strip("[]")).is_loopback
    except ValueError:
        return False


def _url_host(host: str) -> str:
    return f"[{host}]" if ":" in host and not host.startswith("[") else host
