"""Registry actors kept in the store, so every later extraction knows them."""

from __future__ import annotations

from collections.abc import Iterable

from sqlalchemy import Engine, and_, delete, insert, select

from detente.nlp.records import ActorRecord
from detente.nlp.actors.registry import RegistryActor, RegistryRole
from detente.store.extraction import upsert_actor
from detente.store.schema import actors, affiliations

REGISTRY_EXTRACTOR = "registry"


def import_registry_actors(engine: Engine, imported: Iterable[RegistryActor]) -> int:
    """Add or update registry actors; their roles replace the roles an earlier import gave them."""
    count = 0
    with engine.begin() as conn:
        for actor in imported:
            upsert_actor(conn, ActorRecord(actor.id, actor.name, actor.kind, actor.country, list(actor.aliases)), origin="registry")
            conn.execute(actors.update().where(actors.c.id == actor.id).values(
                name=actor.name, kind=actor.kind, country=actor.country, origin="registry"))
            conn.execute(delete(affiliations).where(and_(
                affiliations.c.actor == actor.id, affiliations.c.extractor == REGISTRY_EXTRACTOR)))
            for role in actor.roles:
                conn.execute(insert(affiliations).values(
                    actor=actor.id, organization=role.organization, role=role.role, start=role.start,
                    end=role.end, extractor=REGISTRY_EXTRACTOR, confidence=1.0))
            count += 1
    return count


def stored_registry_actors(engine: Engine) -> list[RegistryActor]:
    with engine.connect() as conn:
        rows = conn.execute(select(actors).where(actors.c.origin == "registry").order_by(actors.c.id)).all()
        roles: dict[str, list[RegistryRole]] = {}
        registry_roles = select(affiliations).where(affiliations.c.extractor == REGISTRY_EXTRACTOR).order_by(affiliations.c.id)
        for r in conn.execute(registry_roles):
            roles.setdefault(r.actor, []).append(RegistryRole(r.role, r.organization, r.start, r.end))
    return [
        RegistryActor(r.id, r.name, r.kind, r.country, list(r.aliases or []), roles.get(r.id, []))
        for r in rows
    ]
