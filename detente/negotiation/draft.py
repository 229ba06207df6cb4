"""A draft negotiation file from the stances a store has extracted, for a person to review.

Extraction finds statements like "Russia opposes any deal that removes
Assad"; a negotiation file needs numbers. The draft makes the crudest honest
translation and says so on every line: each target of the stances becomes an
issue scaled from "opposed" (0) to "in favour" (100); an actor's position is
read from its latest stance on that target (support 80, support with a
condition 60, opposition 20), with the range of all its stances when they
disagree; salience grows with how often it took a stance; capability is left
at 1 for the person to set. Every number carries a `# source:` comment naming
the stance rows it came from, so a reviewer can check each one against its
sentence (`detente show DOC`).

When the store has no stances yet the draft is a skeleton: the store's most
mentioned actors and a comment saying that no stances were found.
"""

from __future__ import annotations

import re
from collections import defaultdict
from dataclasses import dataclass

from sqlalchemy import Engine, func, select

from detente.negotiation.files import dump_negotiation
from detente.negotiation.model import Estimate, Issue, Negotiation, NegotiationActor
from detente.store.schema import actors as actors_table
from detente.store.schema import mentions as mentions_table
from detente.store.schema import stances as stances_table

POLARITY_POSITIONS = {"support": 80.0, "condition": 60.0, "oppose": 20.0}
DEFAULT_CAPABILITY = 1.0
MAX_ISSUES = 10
MAX_ACTORS = 30


@dataclass
class StanceRow:
    id: int
    actor: str
    target: str
    polarity: str
    condition: str | None
    date: str | None
    doc: str


@dataclass
class Draft:
    negotiation: Negotiation
    stances: int  # stance rows used
    header: list[str]  # comment lines for the top of the file

    def yaml(self) -> str:
        text = "\n".join(f"# {line}" if line else "#" for line in self.header) + "\n"
        text += dump_negotiation(self.negotiation)
        if not self.negotiation.issues:
            text += _EXAMPLE_ISSUE
        return text


_EXAMPLE_ISSUE = """\
# Add issues by hand, for example:
#  - id: assad-role
#    name: Assad's role in a transition
#    scale: {0: Assad keeps full powers, 100: Assad leaves before any transition}
#    status_quo: 0
#    positions: {some-actor: 20}   # source: the report you read it in
#    salience: {some-actor: 80}
"""


def read_stances(engine: Engine) -> list[StanceRow]:
    columns = [stances_table.c[k] for k in ("id", "actor", "target", "polarity", "condition", "date", "doc")]
    with engine.connect() as conn:
        rows = conn.execute(select(*columns).order_by(stances_table.c.id)).all()
    return [StanceRow(*row) for row in rows]


def actor_names(engine: Engine) -> dict[str, str]:
    with engine.connect() as conn:
        return {row.id: row.name for row in conn.execute(select(actors_table.c.id, actors_table.c.name))}


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


def draft_negotiation(engine: Engine, name: str = "Draft negotiation", store: str = "the store") -> Draft:
    """A draft from the store's stances, or a skeleton of its actors when there are none."""
    names = actor_names(engine)
    stances = [s for s in read_stances(engine) if s.polarity in POLARITY_POSITIONS]
    if not stances:
        return _skeleton(engine, names, name, store)
    by_target: dict[str, list[StanceRow]] = defaultdict(list)
    for stance in stances:
        by_target[stance.target].append(stance)
    targets = sorted(by_target, key=lambda t: (-len(by_target[t]), t))[:MAX_ISSUES]
    used = [s for t in targets for s in by_target[t]]
    actor_ids = sorted({s.actor for s in used}, key=lambda a: (names.get(a, a).lower(), a))
    actors = {a: _placeholder_actor(a, names) for a in actor_ids}
    issues: dict[str, Issue] = {}
    for target in targets:
        issue = _issue(target, by_target[target], set(issues))
        issues[issue.id] = issue
    header = [
        f"Draft made by `detente model draft` from {store}: {len(used)} stance row(s), {len(targets)} issue(s).",
        "Every number is a first guess from extracted stances; review each against its source",
        "(the stance ids are rows of the store's stances table) before forecasting.",
        "Positions: support 80, support with a condition 60, opposition 20 (the latest stance;",
        "a range when stances disagree). Salience grows with the number of stances. Capabilities are placeholders.",
    ]
    left_out = len(by_target) - len(targets)
    if left_out:
        header.append(f"{left_out} less frequent target(s) were left out (at most {MAX_ISSUES} issues).")
    negotiation = Negotiation(name=name, actors=actors, issues=issues)
    return Draft(negotiation=negotiation, stances=len(used), header=header)


def _skeleton(engine: Engine, names: dict[str, str], name: str, store: str) -> Draft:
    ids, total = most_mentioned(engine, MAX_ACTORS)
    actors = {a: _placeholder_actor(a, names) for a in ids}
    header = [
        f"Draft made by `detente model draft` from {store}.",
        f"No stances were found in {store}, so this is a skeleton: the store's actors, no issues.",
        "Run stance extraction when it is available, or write the issues by hand (see docs/negotiation.md).",
        "Capabilities are placeholders.",
    ]
    if total > len(ids):
        header.append(f"Only the {len(ids)} most mentioned of {total} actors are listed.")
    if not ids:
        header.append("The store has no actors either: run `detente extract` first.")
    return Draft(negotiation=Negotiation(name=name, actors=actors, issues={}), stances=0, header=header)


def _placeholder_actor(actor_id: str, names: dict[str, str]) -> NegotiationActor:
    return NegotiationActor(
        id=actor_id,
        name=names.get(actor_id, actor_id),
        capability=Estimate(likely=DEFAULT_CAPABILITY, source="not in the stances: set by hand"),
    )


def _issue(target: str, rows: list[StanceRow], taken: set[str]) -> Issue:
    ident = _unique(_slug(target) or "issue", taken)
    per_actor: dict[str, list[StanceRow]] = defaultdict(list)
    for row in rows:
        per_actor[row.actor].append(row)
    positions, saliences = {}, {}
    for actor in sorted(per_actor):
        stances = sorted(per_actor[actor], key=lambda r: (r.date or "", r.id))
        values = [POLARITY_POSITIONS[r.polarity] for r in stances]
        latest = values[-1]
        ids = ", ".join(str(r.id) for r in stances)
        described = "; ".join(_describe(r) for r in stances)
        low, high = min(values), max(values)
        positions[actor] = Estimate(
            likely=latest,
            low=low if low != high else None,
            high=high if low != high else None,
            source=f"stance{'s' if len(stances) > 1 else ''} {ids}: {described}",
        )
        salience = min(90.0, 30.0 + 15.0 * len(stances))
        saliences[actor] = Estimate(likely=salience, source=f"{len(stances)} stance(s) ({ids}); more stances, more salience")
    name = _readable(target)
    return Issue(
        id=ident, name=name, low_label=f"opposed to {name}", high_label=f"in favour of {name}",
        positions=positions, saliences=saliences,
    )


def _readable(target: str) -> str:
    """A target stored as a slug ("moscow-talks-2015") reads better as words ("Moscow talks 2015")."""
    if re.fullmatch(r"[a-z0-9]+(-[a-z0-9]+)+", target):
        words = target.replace("-", " ")
        return words[0].upper() + words[1:]
    return target


def _describe(row: StanceRow) -> str:
    text = row.polarity
    if row.polarity == "condition" and row.condition:
        text += f" ({_short(row.condition)})"
    if row.date:
        text += f" {row.date}"
    return text


def _short(text: str, limit: int = 60) -> str:
    text = " ".join(text.split())
    return text if len(text) <= limit else text[: limit - 1] + "…"


def _slug(text: str) -> str:
    return re.sub(r"[^a-z0-9]+", "-", text.lower()).strip("-")[:60].strip("-")


def _unique(ident: str, taken: set[str]) -> str:
    candidate, n = ident, 2
    while candidate in taken:
        candidate, n = f"{ident}-{n}", n + 1
    return candidate
