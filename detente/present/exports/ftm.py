"""FollowTheMoney (FtM) entities as JSON lines, for Aleph, OpenSanctions' tools and `ftm` itself.

detente's facts map onto FtM's schemata directly:

  document     → Article (title, publishedAt, publisher, author, sourceUrl, bodyText)
  actor        → Person, Organization, or PublicBody for a state (name, alias, country)
  affiliation  → Membership (member, organization, role, startDate/endDate), when
                 the organization is itself an actor
  event        → Event (name, summary, date, involved, organizer, location, proof)

Every Membership and Event has its source Article as `proof`, so Aleph
links each fact to the report it came from. An event the text does not
date has no `date` (FtM's reader would take a date as fact), and its
`description` says so; a planned, hypothetical, denied or cancelled event
says that in `description` and `keywords`, and `statuses` can leave them out.

The entities are built with the `followthemoney` library itself (the
`[ftm]` extra), which cleans each value to its type (country codes, dates,
URLs) and derives stable ids, so the file loads with `ftm validate` and
Aleph unchanged.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from typing import TextIO

from sqlalchemy import Engine, select

from detente.analysis.timeline import date_bounds
from detente.present.exports import ExportError
from detente.present.exports.plover import NOT_HAPPENED, WEB_SCHEMES
from detente.present.exports.window import EVERYTHING, DateWindow
from detente.store.schema import actors, affiliations, documents, events

ACTOR_SCHEMATA = {"person": "Person", "state": "PublicBody", "organization": "Organization", "group": "Organization"}
ID_PREFIX = "detente"


def _model():
    try:
        from followthemoney import model
    except ImportError as err:
        raise ExportError("The FtM export needs the followthemoney package: pip install 'detente[ftm]'.") from err
    return model


def ftm_entities(engine: Engine, window: DateWindow = EVERYTHING, statuses: tuple[str, ...] = ()) -> Iterator[dict]:
    """Articles, then actors, memberships and events, each as FtM's {"id", "schema", "properties"}."""
    model = _model()
    with engine.connect() as conn:
        docs = [dict(r._mapping) for r in conn.execute(
            select(documents.c.id, documents.c.title, documents.c.outlet, documents.c.author, documents.c.published,
                   documents.c.uri, documents.c.text).order_by(documents.c.id))]
        people = [dict(r._mapping) for r in conn.execute(select(actors).order_by(actors.c.id))]
        links = [dict(r._mapping) for r in conn.execute(select(affiliations).order_by(affiliations.c.id))]
        query = select(events).order_by(events.c.id)
        if statuses:
            query = query.where(events.c.status.in_(statuses))
        happenings = [dict(r._mapping) for r in conn.execute(query)]
    published = {d["id"]: d["published"] for d in docs}
    for doc in docs:
        yield _article(model, doc)
    for actor in people:
        yield _actor(model, actor)
    known = {a["id"] for a in people}
    for link in links:
        if link.get("organization") in known:
            yield _membership(model, link)
    for event in happenings:
        if window.holds(event.get("date") or published.get(event["doc"])):
            yield _event(model, event, known)


def write_ftm(engine: Engine, out: TextIO, window: DateWindow = EVERYTHING, statuses: tuple[str, ...] = ()) -> int:
    """Write the entities as JSON lines; returns how many."""
    count = 0
    for entity in ftm_entities(engine, window, statuses):
        out.write(json.dumps(entity, ensure_ascii=False, sort_keys=True) + "\n")
        count += 1
    return count


def entity_id(kind: str, key) -> str:
    """A readable, stable id: the same record gives the same id in every export."""
    return f"{ID_PREFIX}-{kind}-{key}"


def _article(model, doc: dict) -> dict:
    entity = model.make_entity("Article")
    entity.id = entity_id("doc", doc["id"])
    entity.add("title", doc.get("title") or doc["id"])
    entity.add("publishedAt", doc.get("published"))
    entity.add("publisher", doc.get("outlet"))
    entity.add("author", doc.get("author"))
    uri = doc.get("uri") or ""
    if uri.lower().startswith(WEB_SCHEMES):
        entity.add("sourceUrl", uri)
    entity.add("bodyText", doc.get("text"))
    return entity.to_dict()


def _actor(model, actor: dict) -> dict:
    entity = model.make_entity(ACTOR_SCHEMATA.get(actor.get("kind") or "", "LegalEntity"))
    entity.id = entity_id("actor", actor["id"])
    entity.add("name", actor["name"])
    entity.add("alias", [a for a in actor.get("aliases") or [] if a != actor["name"]])
    entity.add("country", actor.get("country"), quiet=True)
    return entity.to_dict()


def _membership(model, link: dict) -> dict:
    entity = model.make_entity("Membership")
    entity.id = entity_id("membership", link["id"])
    entity.add("member", entity_id("actor", link["actor"]))
    entity.add("organization", entity_id("actor", link["organization"]))
    entity.add("role", link.get("role"))
    entity.add("startDate", _day(link.get("start")), quiet=True)
    entity.add("endDate", _day(link.get("end")), quiet=True)
    if link.get("doc"):
        entity.add("proof", entity_id("doc", link["doc"]))
    return entity.to_dict()


def _event(model, event: dict, known: set[str]) -> dict:
    entity = model.make_entity("Event")
    entity.id = entity_id("event", event["id"])
    doers = [a for a in event.get("actors") or [] if a in known]
    receivers = [a for a in event.get("recipients") or [] if a in known]
    entity.add("name", f"{event['type']}: {event.get('text') or ''}".strip()[:250])
    entity.add("summary", event.get("text"))
    entity.add("keywords", [event["type"], event["status"]] + ([event["mode"]] if event.get("mode") else []))
    bounds = date_bounds(event.get("date"))
    notes = []
    if bounds is None:
        notes.append("The report gives no date for this event.")
    elif bounds[0] == bounds[1]:
        entity.add("date", bounds[0].isoformat())
    else:
        entity.add("startDate", bounds[0].isoformat())
        entity.add("endDate", bounds[1].isoformat())
    if event["status"] in NOT_HAPPENED:
        notes.append(f"Not reported as having happened ({NOT_HAPPENED[event['status']]}).")
    if notes:
        entity.add("description", " ".join(notes))
    entity.add("organizer", [entity_id("actor", a) for a in doers])
    entity.add("involved", [entity_id("actor", a) for a in doers + receivers])
    entity.add("location", event.get("location"), quiet=True)
    entity.add("proof", entity_id("doc", event["doc"]))
    return entity.to_dict()


def _day(value: str | None) -> str | None:
    """An ISO prefix FtM's date type keeps ("2013", "2013-05", "2013-05-07"); ranges and the rest are dropped."""
    bounds = date_bounds(value)
    if bounds is None or "/" in str(value):
        return None
    return str(value)[:10]
