"""Who is what to the negotiation: parties, mediators and patrons, and who backs whom.

Read from the store's facts with the words in `detente/data/negotiation/draft_roles.yaml`:

- a *mediator* holds a mediator's title ("UN envoy"), or did what mediators
  do: a third-party meeting, an event whose sentence says "broker" or
  "mediate";
- a *patron* gives material support: an AID or SUPPORT event whose
  sentence speaks of arms or money makes its doers patrons of its
  recipients ("backed the government … by sending arms"); an accusation of
  arming the sides names its recipients as suppliers, backing unknown;
- everyone else with a stance is a *party*.

An actor with evidence for mediating and for supplying arms is listed as a
mediator, and the note says which supply evidence was set aside: extraction
can misread a mediator's plea to stop the arms ("wants outside powers to
stop sending arms") as the mediator sending them, and a wrong patron harms a
forecast more than a missed one. Events that are hypothetical, denied or
cancelled are no evidence. Support stances towards an actor ("Russia backs
the Syrian government") add political backing.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path

from detente.data_files import load_yaml
from detente.negotiation.drafting.facts import EventRow, StoreFacts

ROLES_FILE = Path(__file__).parents[2] / "data" / "negotiation" / "draft_roles.yaml"


@dataclass
class RoleWords:
    mediator_titles: list[str]
    mediation_words: list[str]
    mediation_modes: list[str]
    supply_words: list[str]
    supply_doer_types: list[str]
    supply_recipient_types: list[str]
    not_evidence: list[str]
    convening_words: list[str]
    conference_nouns: list[str]
    attendance_words: list[str]

    def says(self, words: list[str], text: str) -> bool:
        return bool(words) and _any_of(tuple(words)).search(text) is not None


@lru_cache(maxsize=32)
def _any_of(words: tuple[str, ...]) -> re.Pattern:
    """One pattern for a word list: asked of every event in the store, a pattern per word is the cost."""
    return re.compile(r"\b(?:" + "|".join(re.escape(w) for w in words) + r")\b", re.IGNORECASE)


@lru_cache(maxsize=1)
def role_words() -> RoleWords:
    raw = load_yaml(ROLES_FILE.read_text(encoding="utf-8"))
    return RoleWords(**{k: list(raw.get(k) or []) for k in RoleWords.__dataclass_fields__})


@dataclass
class Roles:
    """Each actor's role with the facts behind it; `backs` maps a patron to the actors it supports."""

    role: dict[str, str] = field(default_factory=dict)
    backs: dict[str, list[str]] = field(default_factory=dict)
    sources: dict[str, list[str]] = field(default_factory=dict)
    notes: list[str] = field(default_factory=list)

    def add_source(self, actor: str, source: str) -> None:
        if source not in self.sources.setdefault(actor, []):
            self.sources[actor].append(source)


def draft_roles(facts: StoreFacts, words: RoleWords | None = None) -> Roles:
    words = words or role_words()
    roles = Roles()
    mediators = _mediators(facts, words, roles)
    supply = _supply(facts, words)
    for actor, evidence in sorted(supply.items()):
        if actor in mediators:
            roles.notes.append(f"{facts.name(actor)} is listed as a mediator; supply evidence set aside: "
                               + ", ".join(f"event {e.id}" for e, _ in evidence))
            continue
        roles.role[actor] = "patron"
        for event, clients in evidence:
            roles.add_source(actor, facts.cite("event", event))
            for client in clients:
                if client != actor and client not in roles.backs.setdefault(actor, []):
                    roles.backs[actor].append(client)
    for actor in mediators:
        roles.role[actor] = "mediator"
    _political_backing(facts, roles)
    return roles


def _mediators(facts: StoreFacts, words: RoleWords, roles: Roles) -> set[str]:
    found: set[str] = set()
    for row in facts.roles:
        if row.actor in facts.actors and words.says(words.mediator_titles, row.role):
            found.add(row.actor)
            where = f" (doc {row.doc}): “{facts.sentence(row.doc, row.start, row.end)}”" if row.doc else ""
            roles.add_source(row.actor, f"title “{row.role}”{where}")
    for event in facts.events:
        if event.status in words.not_evidence or not event.actors:
            continue
        if event.mode in words.mediation_modes or (event.type == "CONSULT" and words.says(words.mediation_words, event.text)):
            for actor in event.actors:
                found.add(actor)
                roles.add_source(actor, facts.cite("event", event))
    return found


def _supply(facts: StoreFacts, words: RoleWords) -> dict[str, list[tuple[EventRow, tuple[str, ...]]]]:
    """Suppliers with their events and the actors each event says they supply."""
    found: dict[str, list[tuple[EventRow, tuple[str, ...]]]] = {}
    for event in facts.events:
        if event.status in words.not_evidence:
            continue
        material = event.mode == "military" or words.says(words.supply_words, event.text)
        if not material:
            continue
        if event.type in words.supply_doer_types:
            suppliers, clients = event.actors, event.recipients
        elif event.type in words.supply_recipient_types:
            suppliers, clients = event.recipients, ()
        else:
            continue
        for actor in suppliers:
            if actor in facts.actors and facts.actors[actor].kind in ("state", "organization", "group"):
                found.setdefault(actor, []).append((event, clients))
    return found


def _political_backing(facts: StoreFacts, roles: Roles) -> None:
    """A support stance towards another actor is backing too; it makes no patron by itself."""
    for stance in facts.stances:
        if stance.polarity == "support" and stance.target in facts.actors and stance.target != stance.actor:
            backs = roles.backs.setdefault(stance.actor, [])
            if stance.target not in backs:
                backs.append(stance.target)
                roles.add_source(stance.actor, facts.cite("stance", stance))
    for actor in [a for a, b in roles.backs.items() if not b]:
        del roles.backs[actor]
