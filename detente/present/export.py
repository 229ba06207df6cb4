"""The JSON export contract of DESIGN.md, streamed so memory stays flat.

Wherever a record refers to an actor by id, the actor's display name is
written next to it (`speaker` → `speaker_name`), so the file reads without joins.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from typing import TextIO

from sqlalchemy import Engine, select

from detente.present.exports.window import EVERYTHING, DateWindow
from detente.store.schema import EXPORT_TABLES, actors, documents

# Columns holding one actor id, and the name column written beside each.
ACTOR_REFERENCES = {
    "affiliations": ("actor", "organization"),
    "mentions": ("actor",),
    "quotes": ("speaker",),
    "stances": ("actor",),
    "claims": ("attributed_to",),
}
# Columns holding a list of actor ids.
ACTOR_LIST_REFERENCES = {"events": ("actors", "recipients")}
INTERNAL_COLUMNS = {"documents": {"content_hash"}}
RECORD_NAMES = {kind: kind.removesuffix("s") for kind in EXPORT_TABLES}


def iter_records(engine: Engine, window: DateWindow = EVERYTHING) -> Iterator[tuple[str, dict]]:
    """(kind, record) for every stored record, kinds in contract order; `window` keeps the events it holds."""
    names = _actor_names(engine)
    for kind in EXPORT_TABLES:
        for record in _records_of(engine, kind, names, window):
            yield kind, record


def records_of(engine: Engine, kind: str, window: DateWindow = EVERYTHING) -> Iterator[dict]:
    """One kind's records as the contract writes them, ids in order."""
    return _records_of(engine, kind, _actor_names(engine), window)


def columns_of(kind: str) -> list[str]:
    """The fields of one kind's records, in the order the contract writes them (names after ids)."""
    out = []
    for column in EXPORT_TABLES[kind].c.keys():
        if column in INTERNAL_COLUMNS.get(kind, ()):
            continue
        out.append(column)
        if column in ACTOR_REFERENCES.get(kind, ()):
            out.append(f"{column}_name")
        elif column in ACTOR_LIST_REFERENCES.get(kind, ()):
            out.append(f"{column}_names")
    return out


def write_json(engine: Engine, out: TextIO, window: DateWindow = EVERYTHING) -> None:
    names = _actor_names(engine)
    out.write("{")
    for position, kind in enumerate(EXPORT_TABLES):
        out.write(("," if position else "") + f'\n  "{kind}": [')
        for count, record in enumerate(_records_of(engine, kind, names, window)):
            out.write(("," if count else "") + "\n    " + json.dumps(record, ensure_ascii=False))
        out.write("]")
    out.write("\n}\n")


def write_jsonl(engine: Engine, out: TextIO, window: DateWindow = EVERYTHING) -> None:
    for kind, record in iter_records(engine, window):
        out.write(json.dumps({"record": RECORD_NAMES[kind], **record}, ensure_ascii=False) + "\n")


def _records_of(engine: Engine, kind: str, names: dict[str, str], window: DateWindow = EVERYTHING) -> Iterator[dict]:
    table = EXPORT_TABLES[kind]
    order = table.c.id if "id" in table.c else list(table.primary_key)[0]
    windowed = kind == "events" and not window.open
    with engine.connect() as conn:
        published = dict(conn.execute(select(documents.c.id, documents.c.published)).all()) if windowed else {}
        for row in conn.execution_options(stream_results=True).execute(select(table).order_by(order)):
            record = dict(row._mapping)
            if windowed and not window.holds(record.get("date") or published.get(record["doc"])):
                continue
            yield _readable(kind, record, names)


def _actor_names(engine: Engine) -> dict[str, str]:
    with engine.connect() as conn:
        return {row.id: row.name for row in conn.execute(select(actors.c.id, actors.c.name))}


def _readable(kind: str, record: dict, names: dict[str, str]) -> dict:
    for column in INTERNAL_COLUMNS.get(kind, ()):
        record.pop(column, None)
    out: dict = {}
    for key, value in record.items():
        out[key] = value
        if key in ACTOR_REFERENCES.get(kind, ()):
            out[f"{key}_name"] = names.get(value) if value else None
        elif key in ACTOR_LIST_REFERENCES.get(kind, ()):
            out[f"{key}_names"] = [names.get(v, v) for v in value or []]
    return out
