"""Writing a listing the same way in every command: the filters, the columns, the output file.

A table shows the columns a reader scans; json, jsonl and csv carry every
field, and the fields are fixed per command, so a CSV header is the same
whether the store has no rows, one or a thousand.
"""

from __future__ import annotations

import sys
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from typing import TextIO

import click


def keep(rows: list[dict], since: str | None = None, until: str | None = None, date_key: str = "date",
         limit: int | None = None, where: dict[str, str | None] | None = None) -> list[dict]:
    """The rows whose date (an ISO prefix or range) can fall in [since, until], matching `where`, at most `limit`.

    A row's date overlaps the window as the exports and the timeline read it:
    "2013-05" is kept by `--since 2013-05-20`. A row with no date is left out
    once a window is given.
    """
    if since or until:
        from detente.present.exports.window import DateWindow

        window = DateWindow(since, until)
        rows = [row for row in rows if window.holds(_as_text(row.get(date_key)))]
    for key, wanted in (where or {}).items():
        if wanted is not None:
            options = {w.strip().lower() for w in wanted.split(",")}
            rows = [row for row in rows if str(row.get(key) or "").lower() in options]
    return rows if limit is None else rows[:limit]


def _as_text(value) -> str | None:
    if value is None:
        return None
    return value.isoformat() if hasattr(value, "isoformat") else str(value)


def write_listing(rows: Sequence[dict], fmt: str, table_columns: Sequence[str], fields: Sequence[str],
                  title: str | None, output: str | None = None) -> None:
    """`table` shows `table_columns`; the other formats write every one of `fields`, rows or not."""
    from detente.present.output import write_rows

    columns = list(table_columns) if fmt == "table" else list(fields)
    with opened_output(output) as out:
        write_rows(rows, fmt, columns, out=out, title=title)


@contextmanager
def opened_output(output: str | None) -> Iterator[TextIO]:
    """Standard output for no path or "-", else the file, with a message that says what to fix if it cannot be written."""
    if not output or output == "-":
        yield sys.stdout
        sys.stdout.flush()
        return
    try:
        stream = open(output, "w", encoding="utf-8", newline="")
    except IsADirectoryError as err:
        raise click.BadParameter(f"{output} is a folder; give a file name.", param_hint="'-o/--output'") from err
    except OSError as err:
        raise click.BadParameter(f"cannot write {output}: {err.strerror}. Check the path and permissions.",
                                 param_hint="'-o/--output'") from err
    with stream:
        yield stream
