"""What `detente export` does for each format: pick the writer, open the right kind of output.

Single-file formats go to standard output when no path is given, so they can
be piped; CSV writes a folder of files and therefore needs one.
"""

from __future__ import annotations

import sys
from collections.abc import Iterator
from contextlib import contextmanager
from typing import BinaryIO, TextIO

from sqlalchemy import Engine

from detente.present import export as contract
from detente.present.exports import ExportError
from detente.present.exports.csv_tables import write_csv_tables
from detente.present.exports.window import DateWindow


def run_export(engine: Engine, fmt: str, output: str | None, network: str = "interaction",
               since: str | None = None, until: str | None = None, statuses: tuple[str, ...] = ()) -> None:
    """`since`/`until` (ISO prefixes) keep the events, and the network edges, dated in that window.

    `statuses` keeps only events of those statuses (plover and ftm).
    """
    window = DateWindow(since, until)
    if fmt == "csv":
        if not output or output == "-":
            raise ExportError("CSV export writes one file per record kind: give a folder with -o, e.g. -o out/csv.")
        write_csv_tables(engine, output, window)
    elif fmt in ("gexf", "graphml"):
        from detente.analysis.networks import comention_network, interaction_network
        from detente.present.exports.graphs import write_graph

        build = comention_network if network == "comention" else interaction_network
        graph = build(engine, since=since, until=until)
        with _binary(output) as out:
            write_graph(graph, fmt, out)
    elif fmt == "plover":
        from detente.present.exports.plover import write_plover

        with _text(output) as out:
            write_plover(engine, out, window, statuses)
    elif fmt == "ftm":
        from detente.present.exports.ftm import write_ftm

        with _text(output) as out:
            write_ftm(engine, out, window, statuses)
    elif fmt in ("json", "jsonl"):
        with _text(output) as out:
            (contract.write_json if fmt == "json" else contract.write_jsonl)(engine, out, window)
    else:
        raise ExportError(f"Unknown export format {fmt!r}.")


@contextmanager
def _text(output: str | None) -> Iterator[TextIO]:
    if not output or output == "-":
        yield sys.stdout
        sys.stdout.flush()
        return
    with _opened(output, "w") as out:
        yield out


@contextmanager
def _binary(output: str | None) -> Iterator[BinaryIO]:
    if not output or output == "-":
        yield sys.stdout.buffer
        sys.stdout.buffer.flush()
        return
    with _opened(output, "wb") as out:
        yield out


def _opened(output: str, mode: str):
    try:
        return open(output, mode, **({"encoding": "utf-8"} if "b" not in mode else {}))
    except IsADirectoryError as err:
        raise ExportError(f"{output} is a folder; give a file name with -o (only csv writes into a folder).") from err
    except OSError as err:
        raise ExportError(f"Cannot write {output}: {err.strerror}. Check the path and permissions.") from err
