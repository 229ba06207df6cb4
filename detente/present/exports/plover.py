"""PLOVER-style event JSONL, for merging our events with POLECAT or other PLOVER data.

One event per line. Field names come from two public descriptions, and where
they disagree a record carries both, so a script written for either finds
what it looks for:

PLOVER codebook ("JSON Data Fields" chapter):
  id            unique within the file: "detente-<document id prefix>-<event id>"
  date          YYYY-MM-DD; the first day our date can mean ("2013-05" → 2013-05-01)
  enddate       YYYY-MM-DD; only when our date is a month, a year or a range
  event         list of event categories (ours: one PLOVER type)
  mode          list of modes (empty when the type has none)
  context       list of contexts (we code none: always empty)
  quad_code     1-4, from the type (detente/data/plover.yaml)
  source        list of actor objects: code (ISO 3166 alpha-3 when known),
                actor_text, identifier_id (our actor id), identifier_text (its name)
  recipient     list of actor objects, as `source`
  event_loc     location object {"name": …} when the text names a place
  text          the sentence the event was coded from
  text_info     {"start", "end"}: character offsets in the document's clean text
  cite_info     {"url", "title", "publication", "coder", "codebook"}
  coder         the extractor and its version

POLECAT / its coder's output (the field names of NGEC's event records):
  event_type    the PLOVER type as one string
  event_mode    list of modes
  contexts      list of contexts
  event_text    the sentence, as a string
  date_raw      the words the date was read from
  story_id      our document id
  publisher     the outlet
  pub_date      the document's publication date
  headline      the document's title
  Actor objects also carry `country` (POLECAT's "Actor Country") and `kind`.

Our own, added as extra fields (the codebook allows named additions):
  event_id (the id in `detente export --format json`), doc, status
  (reported, planned, cancelled, denied, hypothetical: filter on it, since
  event datasets usually hold only what happened), confidence (0-1).

An event with no date of its own is dated by its document (as POLECAT does);
with neither, `date` is null.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from functools import lru_cache
from importlib import resources
from typing import TextIO

import yaml
from sqlalchemy import Engine, select

from detente.analysis.timeline import date_bounds
from detente.present.exports.window import EVERYTHING, DateWindow
from detente.store.schema import actors, documents, events


@lru_cache(maxsize=1)
def _plover_data() -> dict:
    source = resources.files("detente") / "data" / "plover.yaml"
    return yaml.safe_load(source.read_text(encoding="utf-8"))


def plover_records(engine: Engine, window: DateWindow = EVERYTHING) -> Iterator[dict]:
    """Every stored event (in `window`: by its date, else its document's) as a PLOVER/POLECAT record, in event id order."""
    with engine.connect() as conn:
        people = {r.id: dict(r._mapping) for r in conn.execute(select(actors.c.id, actors.c.name, actors.c.kind, actors.c.country))}
        query = (
            select(
                events,
                documents.c.title,
                documents.c.outlet,
                documents.c.published,
                documents.c.uri,
            )
            .join(documents, documents.c.id == events.c.doc)
            .order_by(events.c.id)
        )
        for row in conn.execution_options(stream_results=True).execute(query):
            if window.holds(row.date or row.published):
                yield plover_record(dict(row._mapping), people)


def write_plover(engine: Engine, out: TextIO, window: DateWindow = EVERYTHING) -> int:
    """Write the records as JSON lines; returns how many."""
    count = 0
    for record in plover_records(engine, window):
        out.write(json.dumps(record, ensure_ascii=False) + "\n")
        count += 1
    return count


def plover_record(row: dict, people: dict[str, dict]) -> dict:
    """One event row (joined with its document) as a PLOVER record; see the module docstring."""
    data = _plover_data()
    first, last = _day_range(row.get("date") or row.get("published"))
    modes = [row["mode"]] if row.get("mode") else []
    record = {
        "id": f"detente-{row['doc'][:12]}-{row['id']}",
        "date": first,
    }
    if last and last != first:
        record["enddate"] = last
    record.update({
        "event": [row["type"]],
        "mode": modes,
        "context": [],
        "quad_code": data["quad_codes"].get(row["type"]),
        "source": [_actor(a, people) for a in row.get("actors") or []],
        "recipient": [_actor(a, people) for a in row.get("recipients") or []],
    })
    if row.get("location"):
        record["event_loc"] = {"name": row["location"]}
    coder = f"detente {row['extractor']}"
    record.update({
        "text": row.get("text"),
        "text_info": {"start": row["start"], "end": row["end"]},
        "cite_info": {
            "url": row.get("uri"),
            "title": row.get("title"),
            "publication": row.get("outlet"),
            "coder": coder,
            "codebook": data["codebook"],
        },
        "coder": coder,
        "event_type": row["type"],
        "event_mode": modes,
        "contexts": [],
        "event_text": row.get("text"),
        "date_raw": row.get("date_text"),
        "story_id": row["doc"],
        "publisher": row.get("outlet"),
        "pub_date": row.get("published"),
        "headline": row.get("title"),
        "event_id": row["id"],
        "doc": row["doc"],
        "status": row["status"],
        "confidence": row["confidence"],
    })
    return record


def _actor(actor_id: str, people: dict[str, dict]) -> dict:
    known = people.get(actor_id) or {}
    name = known.get("name") or actor_id
    return {
        "code": known.get("country"),
        "actor_text": name,
        "identifier_id": actor_id,
        "identifier_text": name,
        "country": known.get("country"),
        "kind": known.get("kind"),
    }


def _day_range(value: str | None) -> tuple[str | None, str | None]:
    bounds = date_bounds(value)
    if bounds is None:
        return None, None
    return bounds[0].isoformat(), bounds[1].isoformat()
