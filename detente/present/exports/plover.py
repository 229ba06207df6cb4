"""PLOVER event JSONL, for merging our events with POLECAT or other PLOVER data.

One event per line, with the field names of the PLOVER codebook's "JSON Data
Fields" chapter (openeventdata/PLOVER, PLOVER_MANUAL.tex):

  id            unique within the file: "detente-<document id prefix>-<event id>"
  date          YYYY-MM-DD: the first day the event's date can mean ("2013-05" → 2013-05-01)
  enddate       YYYY-MM-DD, only when that date is a month, a year or a range
  event         list of event categories (ours: one PLOVER type)
  mode          list of modes (empty when the type has none)
  context       list of contexts (we code none: always empty)
  quad_code     1-4, from the type (detente/data/plover.yaml)
  actor         list of actor objects; `source` holds the same list, the name of
                the codebook's earlier drafts, so readers of either find it
  recipient     list of actor objects
  event_loc     location object {"name": …} when the text names a place
  event_text    list of the texts of the event (the sentence it was coded from)
  text          the text the record was coded from (that sentence)
  text_info     {"start", "end"}: character offsets in the document's clean text
  cite_info     {"url", "title", "publication", "coder", "codebook"}; `url` only
                when the document came from the web: a local path means
                nothing on another machine, so it is left out
  coder         the extractor and its version
  has_event     false when the report does not say the event happened (below)
  comment       why `has_event` is false, in words

An actor object has `code` (ISO 3166 alpha-3 when known), `actor_text` and
`entity_text` (the words of the text that name the actor), `identifier_id`
(our actor id) and `identifier_text` (its name), plus `country` and `kind`.

Events the report does not give as having happened: PLOVER codes events
that took place, so a planned, hypothetical, denied or cancelled event is
written with `has_event: false`, a `comment` saying which, and our `status`;
`--status reported` leaves them out (`plover_records(statuses=...)`).

Dates: PLOVER requires one, so an event the text does not date gets its
document's publication date, flagged with `date_from: "publication"` and
`date_raw: null`; a date read from the text has `date_from: "text"` and its
words in `date_raw`.

POLECAT-style fields ride along (`event_type`, `event_mode`, `story_id`,
`publisher`, `pub_date`, `headline`), and our own: `event_id` (the id in
`detente export --format json`), `doc`, `status`, `confidence` (0-1).
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from typing import TextIO

from sqlalchemy import Engine, select

from detente.analysis.timeline import date_bounds
from detente.data_files import load_data_yaml
from detente.present.exports.window import EVERYTHING, DateWindow
from detente.store.schema import actors, documents, events


NOT_HAPPENED = {
    "planned": "planned: reported as going to happen, not as having happened",
    "hypothetical": "hypothetical: reported as possible or conditional, not as having happened",
    "denied": "denied: reported as not having happened",
    "cancelled": "cancelled: reported as called off",
}
WEB_SCHEMES = ("http://", "https://")


def _plover_data() -> dict:
    return load_data_yaml("plover.yaml")


def plover_records(engine: Engine, window: DateWindow = EVERYTHING, statuses: tuple[str, ...] = ()) -> Iterator[dict]:
    """Every stored event (in `window`: by its date, else its document's; of `statuses` if given) as a PLOVER record.

    Records come in event id order.
    """
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
        if statuses:
            query = query.where(events.c.status.in_(statuses))
        for row in conn.execution_options(stream_results=True).execute(query):
            if window.holds(row.date or row.published):
                yield plover_record(dict(row._mapping), people)


def write_plover(engine: Engine, out: TextIO, window: DateWindow = EVERYTHING, statuses: tuple[str, ...] = ()) -> int:
    """Write the records as JSON lines; returns how many."""
    count = 0
    for record in plover_records(engine, window, statuses):
        out.write(json.dumps(record, ensure_ascii=False) + "\n")
        count += 1
    return count


def plover_record(row: dict, people: dict[str, dict]) -> dict:
    """One event row (joined with its document) as a PLOVER record; see the module docstring."""
    data = _plover_data()
    own_date = row.get("date")
    first, last = _day_range(own_date or row.get("published"))
    modes = [row["mode"]] if row.get("mode") else []
    actors = _actors(row.get("actors"), row.get("actors_text"), people)
    record = {
        "id": f"detente-{row['doc'][:12]}-{row['id']}",
        "date": first,
    }
    if last and last != first:
        record["enddate"] = last
    record.update({
        "date_from": ("text" if own_date else "publication") if first else None,
        "date_raw": row.get("date_text") if own_date else None,
        "event": [row["type"]],
        "mode": modes,
        "context": [],
        "quad_code": data["quad_codes"].get(row["type"]),
        "actor": actors,
        "source": actors,
        "recipient": _actors(row.get("recipients"), row.get("recipients_text"), people),
    })
    if row.get("location"):
        record["event_loc"] = {"name": row["location"]}
    coder = f"detente {row['extractor']}"
    uri = row.get("uri") or ""
    record.update({
        "event_text": [row["text"]] if row.get("text") else [],
        "text": row.get("text"),
        "text_info": {"start": row["start"], "end": row["end"]},
        "cite_info": {
            "url": uri if uri.lower().startswith(WEB_SCHEMES) else None,
            "title": row.get("title"),
            "publication": row.get("outlet"),
            "coder": coder,
            "codebook": data["codebook"],
        },
        "coder": coder,
        "has_event": row["status"] not in NOT_HAPPENED,
    })
    if row["status"] in NOT_HAPPENED:
        record["comment"] = NOT_HAPPENED[row["status"]]
    record.update({
        "event_type": row["type"],
        "event_mode": modes,
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


def _actors(ids: list[str] | None, texts: list[str] | None, people: dict[str, dict]) -> list[dict]:
    """Actor objects: one per resolved actor, with the words that named it when the two lists line up.

    Words that named no known actor still make an object (text, no code), as
    PLOVER allows: the reader sees who the text meant even unresolved.
    """
    ids, texts = list(ids or []), list(texts or [])
    paired = len(ids) == len(texts)
    out = [_actor(actor_id, texts[i] if paired else None, people) for i, actor_id in enumerate(ids)]
    if not ids:
        out = [{"code": None, "actor_text": text, "entity_text": text} for text in texts]
    return out


def _actor(actor_id: str, text: str | None, people: dict[str, dict]) -> dict:
    known = people.get(actor_id) or {}
    name = known.get("name") or actor_id
    return {
        "code": known.get("country"),
        "actor_text": text,
        "entity_text": text,
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
