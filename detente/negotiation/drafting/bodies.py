"""Voting bodies from claims about members, blocs and votes.

Reports describe a body's arithmetic in pieces: "the coalition's 70
members", "a majority of 41", "a bloc that holds 15 votes in the coalition",
"26 votes". The draft puts the pieces together:

- a body is a subject with a `members` or `seats` claim whose sentence
  gives its total;
- its blocs are the other member, seat or vote claims of the same
  document, smaller than the total, whose sentence names the body;
- a bloc whose size is exactly the sum of other blocs is made of them (41 =
  26 + 15), so the finest blocs are kept and the larger one is named in the
  note; blocs never overlap;
- the members no bloc holds form one more bloc, "the rest" (70 − 41 = 29);
- the quota is a simple majority (more than half of the total) unless a
  claim gives a `quota` or `majority_needed` for the body, or a sentence
  naming the body states its rule ("decisions need a two-thirds majority":
  the patterns in `detente/data/negotiation/quota_rules.yaml`).

Each weight carries the claim ids and sentences it came from, and the rest
says it is what remains.
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass
from functools import lru_cache
from itertools import combinations
from pathlib import Path

from detente.data_files import load_yaml
from detente.negotiation.drafting.facts import ClaimRow, StoreFacts
from detente.negotiation.model import VotingBody

TOTAL_PROPERTIES = ("members", "seats")
PART_PROPERTIES = ("members", "seats", "votes")
QUOTA_PROPERTIES = ("quota", "majority_needed")
QUOTA_RULES = Path(__file__).parents[2] / "data" / "negotiation" / "quota_rules.yaml"
MAX_SUBSET = 4  # blocs tried together when looking for a larger bloc's parts


@dataclass(frozen=True)
class Bloc:
    id: str
    name: str
    size: float
    claims: tuple[ClaimRow, ...]


def draft_bodies(facts: StoreFacts) -> tuple[dict[str, VotingBody], list[str]]:
    """The voting bodies the claims describe, and notes on how each was put together."""
    bodies: dict[str, VotingBody] = {}
    notes: list[str] = []
    for total in _totals(facts):
        body = _body(facts, total, notes)
        if body is not None and body.id not in bodies:
            bodies[body.id] = body
    return bodies, notes


def _totals(facts: StoreFacts) -> list[ClaimRow]:
    """One total per subject: the latest (then largest) members or seats claim about it."""
    best: dict[str, ClaimRow] = {}
    for claim in facts.claims:
        if claim.property not in TOTAL_PROPERTIES or not _size(claim):
            continue
        old = best.get(claim.subject)
        if old is None or (claim.date or "", _size(claim)) > (old.date or "", _size(old)):
            best[claim.subject] = claim
    return [best[s] for s in sorted(best)]


def _size(claim: ClaimRow) -> float:
    """The whole number of members, seats or votes a claim gives; 0 when it gives none (or a range)."""
    value = claim.value if claim.value is not None else (claim.low if claim.low == claim.high else None)
    return float(value) if value is not None and value > 0 and float(value).is_integer() else 0.0


def _body(facts: StoreFacts, total: ClaimRow, notes: list[str]) -> VotingBody | None:
    size = _size(total)
    parts = [
        c for c in facts.claims
        if c.doc == total.doc and c.id != total.id and c.property in PART_PROPERTIES and c.subject != total.subject
        and 0 < _size(c) < size and facts.mentioned_near(total.subject, c.doc, c.start, c.end)
    ]
    if not parts:
        return None
    blocs = _finest(_blocs(facts, parts), notes, facts.name(total.subject))
    held = sum(b.size for b in blocs)
    if held > size:
        notes.append(f"{facts.name(total.subject)}: the blocs hold {held:g} of {size:g} members; no body drafted.")
        return None
    name = facts.name(total.subject)
    weights: dict[str, float] = {}
    sources: dict[str, str] = {}
    names: dict[str, str] = {}
    for bloc in blocs:
        weights[bloc.id] = bloc.size
        names[bloc.id] = bloc.name
        sources[bloc.id] = facts.cite_all("claim", bloc.claims)
    if held < size:
        rest = f"rest-of-{total.subject}"
        weights[rest] = size - held
        names[rest] = f"the rest of the {name}" if " " not in name else f"the rest of {name}"
        sources[rest] = (f"the remaining members: {size:g} − {' − '.join(f'{b.size:g}' for b in blocs)} "
                         f"= {size - held:g} ({facts.cite('claim', total)})")
    quota, quota_source = _quota(facts, total, size)
    sources["quota"] = quota_source
    return VotingBody(
        id=total.subject, name=name, weights=weights, quota=quota, sources=sources, member_names=names,
        description=f"{size:g} members ({facts.cite('claim', total)})",
    )


def _blocs(facts: StoreFacts, parts: list[ClaimRow]) -> list[Bloc]:
    """One bloc per distinct (subject, size); the same figure reported twice is one bloc with two sources."""
    grouped: dict[tuple[str, float], list[ClaimRow]] = {}
    for claim in parts:
        grouped.setdefault((claim.subject, _size(claim)), []).append(claim)
    blocs = []
    taken: set[str] = set()
    for (subject, size), claims in sorted(grouped.items(), key=lambda kv: (-kv[0][1], kv[0][0])):
        ident = subject if subject not in taken else f"{subject}-{size:g}"
        taken.add(ident)
        blocs.append(Bloc(ident, facts.name(subject), size, tuple(claims)))
    return blocs


def _finest(blocs: list[Bloc], notes: list[str], body: str) -> list[Bloc]:
    """Replace each bloc that is exactly the sum of smaller ones by those ones, largest first."""
    kept = list(blocs)
    changed = True
    while changed:
        changed = False
        for bloc in sorted(kept, key=lambda b: -b.size):
            smaller = [b for b in kept if b is not bloc and b.size < bloc.size]
            parts = _sum_of(bloc.size, smaller)
            if parts:
                kept.remove(bloc)
                for part in parts:  # a part named like the whole is the whole less the other parts
                    if part.name == bloc.name:
                        others = " and ".join(p.name for p in parts if p is not part)
                        kept[kept.index(part)] = Bloc(part.id, f"{part.name} other than {others}", part.size, part.claims)
                notes.append(f"{body}: {bloc.name} ({bloc.size:g}) is made of "
                             + " + ".join(f"{p.name} ({p.size:g})" for p in parts) + "; the smaller blocs are kept.")
                changed = True
                break
    disjoint: list[Bloc] = []
    for bloc in sorted(kept, key=lambda b: (-b.size, b.id)):
        same = [b for b in disjoint if b.name == bloc.name]
        if same:
            notes.append(f"{body}: {bloc.name} is also reported as {bloc.size:g}; the larger figure is kept.")
            continue
        subject = bloc.claims[0].subject
        disjoint.append(Bloc(subject, bloc.name, bloc.size, bloc.claims))
    return disjoint


def _sum_of(size: float, blocs: list[Bloc]) -> tuple[Bloc, ...] | None:
    for n in range(2, min(MAX_SUBSET, len(blocs)) + 1):
        for subset in combinations(blocs, n):
            if math.isclose(sum(b.size for b in subset), size):
                return subset
    return None


def _quota(facts: StoreFacts, total: ClaimRow, size: float) -> tuple[float, str]:
    """The text's decision rule for the body (a quota claim, "a two-thirds majority"), else a simple majority."""
    for claim in facts.claims:
        if claim.subject == total.subject and claim.property in QUOTA_PROPERTIES and _size(claim):
            return _size(claim), facts.cite("claim", claim)
    stated = _stated_rule(facts, total.subject, size)
    if stated is not None:
        return stated
    quota = math.floor(size / 2) + 1
    return float(quota), f"default: a simple majority of {size:g} (no other rule in the reports)"


@lru_cache(maxsize=1)
def quota_rules() -> tuple[tuple[re.Pattern, float | None], ...]:
    raw = load_yaml(QUOTA_RULES.read_text(encoding="utf-8"))
    return tuple((re.compile(r["pattern"], re.IGNORECASE), r.get("share")) for r in raw["rules"])


def _stated_rule(facts: StoreFacts, body: str, size: float) -> tuple[float, str] | None:
    """A rule stated in a sentence that mentions the body, in document order."""
    for doc in sorted(facts.texts):
        for at in facts.mentions.get((doc, body), ()):
            begin, end = facts.sentence_bounds(doc, at, at + 1)
            sentence = facts.texts[doc][begin:end]
            for pattern, share in quota_rules():
                match = pattern.search(sentence)
                if match is None:
                    continue
                quota = float(match.group("votes")) if share is None else float(math.ceil(share * size - 1e-9))
                if 0 < quota <= size:
                    return quota, f"the rule the text states (doc {doc}): “{facts.sentence(doc, at, at + 1)}”"
    return None
