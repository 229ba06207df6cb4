"""Standard exports beyond the JSON contract: CSV tables, Gephi networks, PLOVER events, FtM entities.

`detente.present.export` writes the JSON contract (json, jsonl); the modules
here write the other formats from the same store:

- `csv_tables`: one CSV per record kind, into a folder.
- `graphs`: the interaction or co-mention network as GEXF or GraphML.
- `plover`: PLOVER event JSONL.
- `ftm`: FollowTheMoney entities (JSONL) for Aleph and OpenSanctions' tools.
"""

from __future__ import annotations

EXPORT_FORMATS = ("json", "jsonl", "csv", "gexf", "graphml", "plover", "ftm")
NETWORKS = ("interaction", "comention")


class ExportError(ValueError):
    """An export that cannot run as asked; the message says what to type instead."""
