"""Voting power in a body: how much each vote counts, who can block, and which coalitions can win.

A member's share of the seats says little about her power. In the Syrian
opposition coalition of early 2013 the three blocs held 26, 15 and 29 of 70
seats under a majority of 36: no bloc could win alone and any two could, so
the smallest bloc mattered exactly as much as the largest. Power indices make
that precise:

- Banzhaf: how often a member's vote turns a losing coalition into a winning
  one, over all coalitions of the others (raw: the probability of being that
  swing; normalised: the shares of all swings, summing to 1).
- Shapley–Shubik: the share of orders of arrival in which a member's arrival
  carries the decision (sums to 1).

Alongside them: veto players (in every winning coalition), dummies (never
needed), the minimal winning coalitions, and whether the body is proper,
strong and decisive. Results are exact for integer or decimal weights
(`power_exact`), and sampled with a stated error bound otherwise
(`power_sampled`); `method="auto"` picks exact whenever it is affordable.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np

from detente.negotiation.power_coalitions import (
    MinimalWinning,
    Properties,
    game_properties,
    minimal_winning_coalitions,
)
from detente.negotiation.power_exact import EXACT_BUDGET, ExactTooLarge, exact_dummies, exact_power
from detente.negotiation.power_game import (
    Constraint,
    Game,
    PowerError,
    game_from_body,
    veto_indices,
    weighted_game,
)
from detente.negotiation.power_sampled import sampled_power

__all__ = [
    "METHODS",
    "Constraint",
    "ExactTooLarge",
    "Game",
    "MemberPower",
    "MinimalWinning",
    "PowerError",
    "PowerIndices",
    "PowerReport",
    "Properties",
    "analyse_power",
    "dummies",
    "game_from_body",
    "game_properties",
    "minimal_winning_coalitions",
    "power_indices",
    "veto_players",
    "weighted_game",
]

METHODS = ("auto", "exact", "sample")
DEFAULT_SAMPLES = 100_000
DEFAULT_CONFIDENCE = 0.99


@dataclass(frozen=True)
class PowerIndices:
    """Both indices for every member, and how they were obtained."""

    players: tuple[str, ...]
    banzhaf: dict[str, float]  # normalised: sums to 1
    banzhaf_raw: dict[str, float]  # probability of being a swing (the absolute Banzhaf / Penrose measure)
    shapley_shubik: dict[str, float]
    method: str  # "exact" or "sample"
    engine: str  # fft, grid, enumeration, vetoes or monte-carlo
    samples: int | None = None
    seed: int | None = None
    confidence: float | None = None
    # Hoeffding half-widths: each sampled value is within this of the exact one
    # with probability ≥ confidence (keys banzhaf_raw, shapley_shubik, banzhaf).
    error_bound: dict[str, float | None] | None = None
    standard_errors: dict[str, dict[str, float]] | None = None
    swing_seen: frozenset[str] = frozenset()  # sampled: members seen swinging a vote (certainly not dummies)
    notes: tuple[str, ...] = ()


def power_indices(
    game: Game,
    method: str = "auto",
    samples: int = DEFAULT_SAMPLES,
    seed: int = 0,
    confidence: float = DEFAULT_CONFIDENCE,
    budget: float = EXACT_BUDGET,
) -> PowerIndices:
    """Banzhaf and Shapley–Shubik indices: exact when possible (or required), else sampled."""
    if method not in METHODS:
        raise PowerError(f"unknown method {method!r}; choose one of {', '.join(METHODS)}")
    notes: list[str] = []
    if method in ("auto", "exact"):
        try:
            exact = exact_power(game, budget)
        except ExactTooLarge as err:
            if method == "exact":
                raise
            notes.append(f"exact computation not possible ({err}); sampled instead")
        else:
            return _from_exact(game, exact.banzhaf_raw, exact.shapley_shubik, exact.engine)
    return _from_sample(game, samples, seed, confidence, notes)


def _from_exact(game: Game, raw: np.ndarray, ss: np.ndarray, engine: str) -> PowerIndices:
    players = game.players
    total = float(raw.sum())
    return PowerIndices(
        players=players,
        banzhaf={p: float(raw[i] / total) for i, p in enumerate(players)},
        banzhaf_raw={p: float(raw[i]) for i, p in enumerate(players)},
        shapley_shubik={p: float(ss[i]) for i, p in enumerate(players)},
        method="exact",
        engine=engine,
    )


def _from_sample(game: Game, samples: int, seed: int, confidence: float, notes: list[str]) -> PowerIndices:
    result = sampled_power(game, samples, seed, confidence)
    players = game.players
    total = float(result.banzhaf_raw.sum())
    share = result.banzhaf_raw / total if total > 0 else result.banzhaf_raw
    return PowerIndices(
        players=players,
        banzhaf={p: float(share[i]) for i, p in enumerate(players)},
        banzhaf_raw={p: float(result.banzhaf_raw[i]) for i, p in enumerate(players)},
        shapley_shubik={p: float(result.shapley_shubik[i]) for i, p in enumerate(players)},
        method="sample",
        engine="monte-carlo",
        samples=samples,
        seed=seed,
        confidence=confidence,
        error_bound={"banzhaf_raw": result.bound, "shapley_shubik": result.bound, "banzhaf": result.banzhaf_bound},
        standard_errors={
            "banzhaf_raw": {p: float(result.banzhaf_raw_se[i]) for i, p in enumerate(players)},
            "shapley_shubik": {p: float(result.shapley_shubik_se[i]) for i, p in enumerate(players)},
        },
        swing_seen=frozenset(p for i, p in enumerate(players) if result.swing_seen[i]),
        notes=tuple(notes),
    )


def veto_players(game: Game) -> list[str]:
    """Members in every winning coalition: declared veto holders, and anyone the rest cannot outvote."""
    return [game.players[i] for i in veto_indices(game)]


def dummies(game: Game) -> list[str] | None:
    """Members whose vote never decides anything; None when that cannot be settled exactly."""
    flags = exact_dummies(game)
    return None if flags is None else [p for p, d in zip(game.players, flags) if d]


# -- the full report ---------------------------------------------------------------------------


@dataclass(frozen=True)
class MemberPower:
    id: str
    weight: float  # in the body asked about
    weights: dict[str, float]  # in every body that must agree
    banzhaf: float
    banzhaf_raw: float
    shapley_shubik: float
    veto: bool
    dummy: bool | None  # None: not settled (sampled game the exact check cannot handle)


@dataclass(frozen=True)
class PowerReport:
    game: Game
    indices: PowerIndices
    members: list[MemberPower]
    minimal_winning: MinimalWinning
    properties: Properties
    notes: list[str] = field(default_factory=list)

    def to_dict(self, listed: int | None = None) -> dict:
        """The documented JSON shape of `detente model power --format json`; `listed` caps the coalitions shown."""
        mwc = self.minimal_winning
        shown = mwc.coalitions if listed is None else mwc.coalitions[:listed]
        idx = self.indices
        sampling = None
        if idx.method == "sample":
            sampling = {
                "samples": idx.samples,
                "seed": idx.seed,
                "confidence": idx.confidence,
                "error_bound": idx.error_bound,
            }
        members = []
        for m in self.members:
            row = {
                "id": m.id,
                "weight": m.weight,
                "weights": m.weights,
                "banzhaf": m.banzhaf,
                "banzhaf_raw": m.banzhaf_raw,
                "shapley_shubik": m.shapley_shubik,
                "veto": m.veto,
                "dummy": m.dummy,
            }
            if idx.standard_errors:
                row["banzhaf_raw_se"] = idx.standard_errors["banzhaf_raw"][m.id]
                row["shapley_shubik_se"] = idx.standard_errors["shapley_shubik"][m.id]
            members.append(row)
        return {
            "body": self.game.body,
            "name": self.game.name or self.game.body,
            "rules": [{"body": c.body, "quota": c.quota, "total_weight": sum(c.weights)} for c in self.game.constraints],
            "declared_vetoes": sorted(self.game.vetoes),
            "method": idx.method,
            "engine": idx.engine,
            "sampling": sampling,
            "members": members,
            "veto_players": [m.id for m in self.members if m.veto],
            "dummies": [m.id for m in self.members if m.dummy],
            "minimal_winning": {
                "count": mwc.count,
                "count_exact": mwc.count_exact,
                "listed": [list(c) for c in shown],
                "truncated": mwc.truncated,
            },
            "proper": self.properties.proper,
            "strong": self.properties.strong,
            "decisive": self.properties.decisive,
            "notes": list(self.notes),
        }


def analyse_power(
    game: Game,
    method: str = "auto",
    samples: int = DEFAULT_SAMPLES,
    seed: int = 0,
    confidence: float = DEFAULT_CONFIDENCE,
    coalition_limit: int = 1000,
) -> PowerReport:
    """Everything `detente model power` shows about one body."""
    indices = power_indices(game, method, samples, seed, confidence)
    vetoes = set(veto_players(game))
    dummy = _dummy_flags(game, indices)
    members = []
    for i, p in enumerate(game.players):
        weights = {c.body: c.weights[i] for c in game.constraints}
        zero = dummy[i] is True
        members.append(
            MemberPower(
                id=p,
                weight=game.constraints[0].weights[i],
                weights=weights,
                banzhaf=0.0 if zero else indices.banzhaf[p],
                banzhaf_raw=0.0 if zero else indices.banzhaf_raw[p],
                shapley_shubik=0.0 if zero else indices.shapley_shubik[p],
                veto=p in vetoes,
                dummy=dummy[i],
            )
        )
    mwc = minimal_winning_coalitions(game, limit=coalition_limit)
    notes = list(indices.notes) + _notes(game, indices, mwc)
    return PowerReport(game, indices, members, mwc, game_properties(game), notes)


def _dummy_flags(game: Game, indices: PowerIndices) -> list[bool | None]:
    exact = exact_dummies(game)
    if exact is not None:
        return exact
    if indices.method == "exact":
        return [indices.banzhaf_raw[p] == 0.0 for p in game.players]
    # Seen swinging once: certainly not a dummy. Never seen: not settled.
    return [False if p in indices.swing_seen else None for p in game.players]


def _notes(game: Game, indices: PowerIndices, mwc: MinimalWinning) -> list[str]:
    notes = []
    if len(game.constraints) > 1:
        bodies = ", ".join(c.body for c in game.constraints)
        notes.append(f"composed body: a coalition must win in each of {bodies}")
    if indices.method == "sample":
        bound = indices.error_bound or {}
        notes.append(
            f"sampled: {indices.samples:,} random coalitions and {indices.samples:,} random orders, seed {indices.seed}; "
            f"each raw Banzhaf and Shapley–Shubik value is within ±{bound.get('shapley_shubik', 0):.4f} of the exact "
            f"value with probability {indices.confidence:.0%} (Hoeffding)"
        )
    if mwc.truncated:
        notes.append(
            f"minimal winning coalitions: listing stopped after {len(mwc.coalitions)}"
            + ("" if mwc.count is None else f" of {mwc.count:,}" if mwc.count_exact else f" of about {mwc.count:.3e}")
        )
    if mwc.count is not None and not mwc.count_exact:
        notes.append("the count of minimal winning coalitions is approximate (too large to hold exactly)")
    return notes
