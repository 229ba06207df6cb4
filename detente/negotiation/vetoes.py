"""Mutual veto over candidates: which names survive when every party may strike any of them.

Appointments in a peace process (a transitional government, an envoy, the
members of a constitutional committee) are often made this way: each side
may strike any name, and only what nobody strikes can go ahead. The result a
mediator needs is not just the surviving list but the structure behind it:
which parties block each name, which blocks a single party could lift on its
own, and, party by party, whose acceptable candidates each one is blocking.

Without stated preferences a party is taken to accept every candidate it did
not strike; `preferences` (party → the candidates it actually wants) narrows
"blocks a candidate the other side accepts" to "blocks one the other side
wants".
"""

from __future__ import annotations

import difflib
from collections.abc import Mapping, Sequence
from dataclasses import dataclass

from detente.negotiation.model import CandidateList


class VetoError(ValueError):
    """A candidate list whose vetoes or preferences name something it does not contain."""


@dataclass(frozen=True)
class Block:
    """`blocker` strikes `candidates`, each of which `party` accepts (or wants, given preferences)."""

    blocker: str
    party: str
    candidates: tuple[str, ...]


@dataclass(frozen=True)
class MutualVeto:
    list_id: str
    name: str
    candidates: tuple[str, ...]
    parties: tuple[str, ...]
    survivors: tuple[str, ...]  # struck by nobody, in list order
    struck_by: dict[str, tuple[str, ...]]  # candidate → parties striking it (empty for survivors)
    blocks: tuple[Block, ...]  # who blocks whom; only non-empty pairs
    preferences_used: bool

    @property
    def sole_vetoes(self) -> dict[str, str]:
        """Candidates struck by exactly one party: the ones a single concession would free."""
        return {c: parties[0] for c, parties in self.struck_by.items() if len(parties) == 1}

    @property
    def closest(self) -> tuple[str, ...]:
        """With no survivor, the candidates struck by the fewest parties: where a compromise would start."""
        struck = [len(p) for p in self.struck_by.values()]
        if not struck:
            return ()
        fewest = min(struck)
        return tuple(c for c in self.candidates if len(self.struck_by[c]) == fewest)

    def to_dict(self) -> dict:
        """The documented JSON shape of `detente model veto --format json`."""
        return {
            "list": self.list_id,
            "name": self.name,
            "candidates": list(self.candidates),
            "parties": list(self.parties),
            "survivors": list(self.survivors),
            "deadlock": not self.survivors,
            "struck_by": {c: list(p) for c, p in self.struck_by.items()},
            "sole_vetoes": self.sole_vetoes,
            "closest": list(self.closest) if not self.survivors else [],
            "blocks": [{"blocker": b.blocker, "party": b.party, "candidates": list(b.candidates)} for b in self.blocks],
            "preferences_used": self.preferences_used,
        }


def mutual_veto(
    candidate_list: CandidateList,
    preferences: Mapping[str, Sequence[str]] | None = None,
) -> MutualVeto:
    """The surviving candidates, who strikes each one, and who blocks whom."""
    candidates = tuple(dict.fromkeys(candidate_list.candidates))
    _check_names(candidate_list, candidates, preferences)
    parties = tuple(dict.fromkeys([*candidate_list.vetoes, *(preferences or {})]))
    strikes = {p: set(candidate_list.vetoes.get(p, ())) for p in parties}
    struck_by = {c: tuple(p for p in parties if c in strikes[p]) for c in candidates}
    survivors = tuple(c for c in candidates if not struck_by[c])
    blocks = []
    for party in parties:
        if preferences is not None and party in preferences:
            wanted = set(preferences[party])
        else:
            wanted = set(candidates) - strikes[party]
        for blocker in parties:
            if blocker == party:
                continue
            hit = tuple(c for c in candidates if c in strikes[blocker] and c in wanted)
            if hit:
                blocks.append(Block(blocker, party, hit))
    return MutualVeto(
        list_id=candidate_list.id,
        name=candidate_list.name or candidate_list.id,
        candidates=candidates,
        parties=parties,
        survivors=survivors,
        struck_by=struck_by,
        blocks=tuple(blocks),
        preferences_used=preferences is not None,
    )


def _check_names(
    candidate_list: CandidateList, candidates: tuple[str, ...], preferences: Mapping[str, Sequence[str]] | None
) -> None:
    problems = []
    named = [("strikes", p, c) for p, struck in candidate_list.vetoes.items() for c in struck]
    named += [("wants", p, c) for p, wanted in (preferences or {}).items() for c in wanted]
    for verb, party, candidate in named:
        if candidate not in candidates:
            near = difflib.get_close_matches(candidate, candidates, n=1)
            hint = f"; did you mean {near[0]!r}?" if near else "; add it to the candidates or fix the name"
            problems.append(f"{party} {verb} {candidate!r}, which is not a candidate of list {candidate_list.id!r}{hint}")
    if problems:
        raise VetoError("\n".join(problems))
