"""A draft negotiation from what a store has extracted, for a person to review.

`detente run` with no negotiation file shows this draft on the Negotiation
page, and `detente model draft` writes the same negotiation as a file; a
file a person gives always wins. The draft is built from the facts, each
part by its own module in `detente.negotiation.drafting`:

- parties, mediators and patrons with who backs whom (`parties`);
- issues from stance targets, one question each, positions from the latest
  stance with the earlier ones as a series, conditions as thresholds
  (`issues`);
- capabilities from a cited index for states, votes for blocs, else a
  stated default (`capability`);
- voting bodies from claims about members, blocs and votes (`bodies`);
- candidate lists where the text gives a veto over names (`candidates`);
- conferences with who was invited, attends or refuses (`conferences`).

Every number names its source: the stance, claim or event ids with their
sentences, or the default it fell back on. The negotiation carries a
`DraftInfo`, so it reads "draft" wherever it shows.

When the store has no stances, claims or events to draft from, the draft is
a skeleton: the store's most mentioned actors and a note saying so.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from sqlalchemy import Engine, func, select

from detente.negotiation.drafting.bodies import draft_bodies
from detente.negotiation.drafting.candidates import draft_candidate_lists
from detente.negotiation.drafting.capability import DEFAULT_CAPABILITY, draft_capability
from detente.negotiation.drafting.conferences import UNNAMED, draft_conferences
from detente.negotiation.drafting.facts import StoreFacts
from detente.negotiation.drafting.issues import draft_issues, resolve_open_targets
from detente.negotiation.drafting.parties import draft_roles
from detente.negotiation.files import dump_negotiation
from detente.negotiation.model import DraftInfo, Estimate, Issue, Negotiation, NegotiationActor
from detente.nlp.stances.targets import TargetRegistry
from detente.store.schema import actors as actors_table
from detente.store.schema import mentions as mentions_table

MAX_ACTORS = 30
MAX_PARTIES = 25  # actors with positions in a draft: the models' tables and their cost stay readable


@dataclass
class Draft:
    negotiation: Negotiation
    stances: int  # stance rows used
    header: list[str]  # comment lines for the top of the file

    def yaml(self) -> str:
        shown = self.header[:3] if self.negotiation.draft is not None and self.negotiation.issues else self.header
        text = "\n".join(f"# {line}" if line else "#" for line in shown) + "\n"
        text += dump_negotiation(self.negotiation)
        if not self.negotiation.issues:
            text += _EXAMPLE_ISSUE
        return text

    @property
    def substantive(self) -> bool:
        """Whether the draft holds anything to model (issues, bodies, lists, conferences), not just actors."""
        n = self.negotiation
        return bool(n.issues or n.bodies or n.candidate_lists or n.conferences)


_EXAMPLE_ISSUE = """\
# Add issues by hand, for example:
#  - id: assad-role
#    name: Assad's role in a transition
#    scale: {0: Assad keeps full powers, 100: Assad leaves before any transition}
#    status_quo: 0
#    positions: {some-actor: 20}   # source: the report you read it in
#    salience: {some-actor: 80}
"""


def most_mentioned(engine: Engine, limit: int) -> tuple[list[str], int]:
    """The store's actors, most mentioned first (ties by id); and how many there are in all."""
    count = func.count(mentions_table.c.id)
    query = (
        select(actors_table.c.id, count.label("n"))
        .select_from(actors_table.outerjoin(mentions_table, mentions_table.c.actor == actors_table.c.id))
        .group_by(actors_table.c.id)
        .order_by(count.desc(), actors_table.c.id)
    )
    with engine.connect() as conn:
        rows = conn.execute(query).all()
    return [row.id for row in rows[:limit]], len(rows)


def _keep_main_parties(issues: dict[str, Issue], most: int) -> list[str]:
    """Keep the positions of the `most` actors holding the most positions (ties by id); a note when some go.

    A store of thousands of documents gives positions to hundreds of actors;
    the models' cost grows with the cube of the actors on an issue (BDM's
    challenges), and a reviewer reads a table of the main parties, not of all.
    """
    held: dict[str, int] = {}
    for issue in issues.values():
        for actor in issue.positions:
            held[actor] = held.get(actor, 0) + 1
    if len(held) <= most:
        return []
    kept = set(sorted(held, key=lambda a: (-held[a], a))[:most])
    for issue in issues.values():
        for table in (issue.positions, issue.saliences, issue.thresholds, issue.series):
            for actor in [a for a in table if a not in kept]:
                del table[actor]
    return [f"Only the {most} actors holding the most positions are drafted as parties, of {len(held)} with a position."]


def draft_negotiation(engine: Engine, name: str = "Draft negotiation", store: str = "the store",
                      targets: TargetRegistry | None = None) -> Draft:
    """The negotiation the store's facts describe, every number sourced; a skeleton when there are none."""
    facts = StoreFacts.read(engine)
    targets = targets or TargetRegistry.builtin()
    issue_notes = resolve_open_targets(facts, targets)
    issues, more_notes = draft_issues(facts, targets)
    issue_notes += more_notes + _keep_main_parties(issues, MAX_PARTIES)
    roles = draft_roles(facts)
    bodies, body_notes = draft_bodies(facts)
    conferences = draft_conferences(facts, targets)
    if not (issues or bodies or conferences):
        return _skeleton(engine, facts, name, store)
    principals = _principals(roles.backs, conferences)
    lists = draft_candidate_lists(facts, principals)
    year = _year(facts)
    actor_ids = _actor_ids(issues, roles, conferences, lists)
    actors = {}
    for actor in sorted(actor_ids, key=lambda a: (facts.name(a).lower(), a)):
        sources = roles.sources.get(actor, [])
        actors[actor] = NegotiationActor(
            id=actor, name=facts.name(actor), capability=draft_capability(facts, actor, year),
            role=roles.role.get(actor, "party"), backs=[b for b in roles.backs.get(actor, []) if b in actor_ids],
            role_source="; ".join(sources) if sources else "default: an actor with stances is a party",
        )
    used = sum(len(e) for i in issues.values() for e in [i.positions])
    header = _header(store, issues, bodies, conferences, lists, year)
    notes = header[2:] + issue_notes + body_notes + roles.notes
    negotiation = Negotiation(
        name=name, actors=actors, issues=issues, bodies=bodies, candidate_lists=lists, conferences=conferences,
        draft=DraftInfo(made_from=store, notes=notes),
    )
    stances = len({s.id for s in facts.stances if s.polarity in ("support", "oppose", "condition")})
    return Draft(negotiation=negotiation, stances=stances if used else 0, header=header[:2] + notes)


def _header(store, issues, bodies, conferences, lists, year) -> list[str]:
    return [
        f"Draft made by detente from {store}: {len(issues)} issue(s), {len(bodies)} voting body(ies), "
        f"{len(conferences)} conference(s), {len(lists)} candidate list(s).",
        "Every number names its source (stance, claim or event ids and their sentences, or the default used):",
        "review each before forecasting; a negotiation file you give replaces this draft.",
        "Positions: support 80, support with a condition 60, opposition 20 (the latest stance; earlier ones kept as a series).",
        f"Capabilities: a cited index for states ({year or 'latest year'}), reported votes for blocs, else {DEFAULT_CAPABILITY:g};"
        " they are on different scales.",
    ]


def _principals(backs: dict[str, list[str]], conferences) -> list[str]:
    """The sides of the conflict: those invited to its conferences and those patrons back."""
    found: list[str] = []
    for conference in conferences.values():
        found += [a for a, entries in conference.participants.items() if "invited" in entries and a != UNNAMED]
    for clients in backs.values():
        found += clients
    return sorted(set(found))


def _actor_ids(issues, roles, conferences, lists) -> set[str]:
    ids = {a for i in issues.values() for a in i.positions}
    ids |= set(roles.role)
    ids |= {a for c in conferences.values() for a in c.participants if a != UNNAMED}
    ids |= {p for cl in lists.values() for p in cl.parties}
    return ids


def _year(facts: StoreFacts) -> int | None:
    """The negotiation's year: the latest year a dated stance or document gives."""
    dates = [s.date for s in facts.stances if s.date] + [d for d in facts.published.values() if d]
    years = [int(m.group()) for d in dates if (m := re.match(r"\d{4}", d))]
    return max(years) if years else None


def _skeleton(engine: Engine, facts: StoreFacts, name: str, store: str) -> Draft:
    ids, total = most_mentioned(engine, MAX_ACTORS)
    actors = {
        a: NegotiationActor(id=a, name=facts.name(a), capability=Estimate(
            likely=DEFAULT_CAPABILITY, source=f"default {DEFAULT_CAPABILITY:g}: not in the stances, set by hand"))
        for a in ids
    }
    header = [
        f"Draft made by detente from {store}.",
        f"No stances were found in {store}, so this is a skeleton: the store's actors, no issues.",
        "Run stance extraction when it is available, or write the issues by hand (see docs/negotiation.md).",
        "Capabilities are placeholders.",
    ]
    if total > len(ids):
        header.append(f"Only the {len(ids)} most mentioned of {total} actors are listed.")
    if not ids:
        header.append("The store has no actors either: run `detente extract` first.")
    negotiation = Negotiation(name=name, actors=actors, issues={}, draft=DraftInfo(made_from=store, notes=header[1:]))
    return Draft(negotiation=negotiation, stances=0, header=header)
