"""One CSV file per record kind, for spreadsheets, R and pandas.

The columns are the fields of the JSON contract in the same order, with the
`*_name` columns beside each actor id, so a table reads without joins. Files
are UTF-8 with a header row and RFC 4180 quoting (fields with commas, quotes
or line breaks are quoted, CRLF between records), which Excel, LibreOffice,
`csv.reader` and `read.csv` all read back. An empty cell is a missing value;
lists (aliases, an event's actors, a document's removed lines) are JSON text,
so `["a", "b"]` parses back exactly. A kind with no records still gets its
header, so a script can rely on every file being there.
"""

from __future__ import annotations

import csv
import json
from pathlib import Path

from sqlalchemy import Engine

from detente.present.export import columns_of, records_of
from detente.present.exports import ExportError
from detente.present.exports.window import EVERYTHING, DateWindow
from detente.store.schema import EXPORT_TABLES


def write_csv_tables(engine: Engine, directory: str | Path, window: DateWindow = EVERYTHING) -> dict[str, int]:
    """Write `<kind>.csv` for every kind into `directory` (created if missing); returns rows per kind.

    `window` keeps the events it holds; the other kinds are written whole.
    """
    folder = Path(directory)
    if folder.exists() and not folder.is_dir():
        raise ExportError(f"{folder} is a file; CSV export writes one file per record kind, so give a folder with -o.")
    try:
        folder.mkdir(parents=True, exist_ok=True)
    except OSError as err:
        raise ExportError(f"Cannot create the folder {folder}: {err.strerror}. Check the path and permissions.") from err
    written = {}
    for kind in EXPORT_TABLES:
        written[kind] = _write_kind(engine, kind, folder / f"{kind}.csv", window)
    return written


def csv_cell(value) -> str:
    """The text of one cell: empty for a missing value, JSON for a list or mapping."""
    if value is None:
        return ""
    if isinstance(value, (list, tuple, dict)):
        return json.dumps(value, ensure_ascii=False)
    if isinstance(value, bool):
        return "true" if value else "false"
    return str(value)


def _write_kind(engine: Engine, kind: str, path: Path, window: DateWindow) -> int:
    columns = columns_of(kind)
    count = 0
    with path.open("w", encoding="utf-8", newline="") as out:
        writer = csv.writer(out, lineterminator="\r\n")
        writer.writerow(columns)
        for record in records_of(engine, kind, window):
            writer.writerow([csv_cell(record.get(column)) for column in columns])
            count += 1
    return count
