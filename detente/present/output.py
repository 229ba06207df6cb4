"""The one output option every listing command shares: table, json, jsonl or csv."""

from __future__ import annotations

import csv
import json
import sys
from collections.abc import Iterable, Sequence
from typing import TextIO

from rich.console import Console
from rich.table import Table

FORMATS = ("table", "json", "jsonl", "csv")


def write_rows(
    rows: Sequence[dict],
    fmt: str,
    columns: Sequence[str] | None = None,
    out: TextIO | None = None,
    title: str | None = None,
) -> None:
    out = out or sys.stdout
    columns = list(columns or (rows[0].keys() if rows else []))
    if fmt == "json":
        json.dump([_pick(r, columns) for r in rows], out, ensure_ascii=False, indent=2)
        out.write("\n")
    elif fmt == "jsonl":
        for row in rows:
            out.write(json.dumps(_pick(row, columns), ensure_ascii=False) + "\n")
    elif fmt == "csv":
        writer = csv.DictWriter(out, fieldnames=columns, extrasaction="ignore")
        writer.writeheader()
        for row in rows:
            writer.writerow({k: _flat(row.get(k)) for k in columns})
    else:
        _table(rows, columns, out, title)


def _pick(row: dict, columns: Iterable[str]) -> dict:
    return {k: row.get(k) for k in columns}


def _flat(value) -> str:
    if value is None:
        return ""
    if isinstance(value, (list, dict)):
        return json.dumps(value, ensure_ascii=False)
    return str(value)


def _readable(value) -> str:
    """A table is read, not parsed: a list of words shows as "a; b", anything else as in CSV."""
    if isinstance(value, list) and all(isinstance(v, str) for v in value):
        return "; ".join(value)
    return _flat(value)


def _table(rows: Sequence[dict], columns: Sequence[str], out: TextIO, title: str | None) -> None:
    console = Console(file=out, width=None if out.isatty() else 160, highlight=False)
    table = Table(title=title, show_lines=False)
    for column in columns:
        table.add_column(column, overflow="fold")
    for row in rows:
        # Text from the documents is shown as-is, never read as rich markup.
        table.add_row(*[_escape(_readable(row.get(k))) for k in columns])
    console.print(table)


def _escape(text: str) -> str:
    from rich.markup import escape

    return escape(text)
