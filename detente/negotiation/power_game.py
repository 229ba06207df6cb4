"""A voting game as the power computations see it: players, weighted rules that must all hold, vetoes.

A negotiation file declares voting bodies; a body may require other bodies to
agree too (the Security Council is fifteen votes with a quota of nine *and*
five permanent members who must all be in). Every such composed body is an
intersection of weighted games: a coalition wins when, in every body involved,
its members' weight reaches that body's quota, and every veto holder is in it.
Reducing the file's bodies to that one shape keeps the algorithms to one
definition of "winning", whatever the file's structure.

`reduce_game` then takes the veto players out of the problem (they are in
every winning coalition, so a coalition only has to be built from the others
against what remains of each quota) and scales decimal weights to integers
where that is possible, since the exact algorithms count over integer sums.
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from fractions import Fraction

import numpy as np

from detente.negotiation.model import VotingBody

# A decimal weight such as 2.5 or 0.125 scales to an integer; a weight such as
# 1/3 written as 0.3333333 would scale by ten million and is better sampled.
MAX_SCALE = 10**6
MAX_INTEGER = 2**53  # beyond this, sums of weights stop being exact in floating point


class PowerError(ValueError):
    """A voting game that cannot be analysed as given; the message says what to change."""


@dataclass(frozen=True)
class Constraint:
    """One body's rule: the weight of the members present must reach `quota`."""

    body: str
    weights: tuple[float, ...]  # aligned with Game.players; 0 for players outside this body
    quota: float


@dataclass(frozen=True)
class Game:
    """A simple game: a coalition wins when it meets every constraint and holds every veto."""

    players: tuple[str, ...]
    constraints: tuple[Constraint, ...]
    vetoes: frozenset[str] = frozenset()
    body: str = "game"
    name: str = ""

    def __post_init__(self) -> None:
        validate(self)

    @property
    def n(self) -> int:
        return len(self.players)

    def weight_matrix(self) -> np.ndarray:
        """Players × constraints, as floats."""
        return np.array([c.weights for c in self.constraints], dtype=float).T.reshape(self.n, len(self.constraints))

    def quotas(self) -> np.ndarray:
        return np.array([c.quota for c in self.constraints], dtype=float)

    def wins(self, coalition: Iterable[str]) -> bool:
        """Whether these members, voting together, carry a decision."""
        members = set(coalition)
        unknown = members - set(self.players)
        if unknown:
            raise PowerError(
                f"{', '.join(sorted(unknown))} not a member of {self.body!r}; members are {', '.join(self.players)}"
            )
        if not self.vetoes <= members:
            return False
        index = {p: i for i, p in enumerate(self.players)}
        return all(
            sum(decimal_fraction(c.weights[index[m]]) for m in members) >= decimal_fraction(c.quota)
            for c in self.constraints
        )


# -- building games -----------------------------------------------------------


def weighted_game(
    weights: Sequence[float] | Mapping[str, float],
    quota: float,
    vetoes: Iterable[str | int] = (),
    names: Sequence[str] | None = None,
    body: str = "game",
) -> Game:
    """A one-body game from a weight list (members named "1", "2", … unless `names` says otherwise).

    Veto holders may be given by name or by 1-based position, so a quick game
    typed as `--weights 4,4,4,2,2,1 --vetoes 1,2` reads the way a person counts.
    """
    if isinstance(weights, Mapping):
        names, values = list(weights), [float(w) for w in weights.values()]
    else:
        values = [float(w) for w in weights]
        names = list(names) if names is not None else [str(i + 1) for i in range(len(values))]
    if len(names) != len(values):
        raise PowerError(f"{len(names)} names for {len(values)} weights; give one name per weight")
    if len(set(names)) != len(names):
        raise PowerError("a member name is given twice; names must be unique")
    held = frozenset(_veto_name(v, names) for v in vetoes)
    return Game(tuple(names), (Constraint(body, tuple(values), float(quota)),), held, body, body)


def _veto_name(veto: str | int, names: Sequence[str]) -> str:
    if isinstance(veto, str) and veto in names:
        return veto
    text = str(veto).strip()
    if text.isdigit() and 1 <= int(text) <= len(names):
        return names[int(text) - 1]
    raise PowerError(f"veto holder {veto!r} is neither a member name nor a position 1–{len(names)}")


def game_from_body(body: VotingBody | str, bodies: Mapping[str, VotingBody] | None = None) -> Game:
    """The game a body plays, with every body it requires folded in as a further constraint."""
    bodies = dict(bodies or {})
    if isinstance(body, str):
        if body not in bodies:
            known = ", ".join(sorted(bodies)) or "none"
            raise PowerError(f"no voting body {body!r}; bodies in this file: {known}")
        body = bodies[body]
    chain = _required_bodies(body, bodies)
    players: list[str] = []
    for member in [m for b in chain for m in b.weights] + [v for b in chain for v in b.vetoes]:
        if member not in players:
            players.append(member)
    constraints = tuple(
        Constraint(b.id, tuple(float(b.weights.get(p, 0.0)) for p in players), float(b.quota)) for b in chain
    )
    vetoes = frozenset(v for b in chain for v in b.vetoes)
    return Game(tuple(players), constraints, vetoes, body.id, body.name or body.id)


def _required_bodies(body: VotingBody, bodies: Mapping[str, VotingBody]) -> list[VotingBody]:
    """The body and everything it requires, each once, in the order met; a loop is an error."""
    order: list[VotingBody] = []
    seen: set[str] = set()

    def visit(current: VotingBody, path: tuple[str, ...]) -> None:
        if current.id in path:
            raise PowerError(f"body {current.id!r} requires itself ({' → '.join(path + (current.id,))}); break the loop")
        if current.id in seen:
            return
        seen.add(current.id)
        order.append(current)
        for name in current.requires:
            if name not in bodies:
                raise PowerError(f"body {current.id!r} requires {name!r}, which is not declared; add it or fix the name")
            visit(bodies[name], path + (current.id,))

    visit(body, ())
    return order


def validate(game: Game) -> None:
    """Refuse games whose answer would be meaningless, saying which number to fix."""
    if not game.players:
        raise PowerError(f"body {game.body!r} has no members")
    if len(set(game.players)) != len(game.players):
        raise PowerError(f"body {game.body!r}: a member is listed twice")
    if not game.constraints:
        raise PowerError(f"body {game.body!r} has no voting rule (weights and a quota)")
    for c in game.constraints:
        if len(c.weights) != len(game.players):
            raise PowerError(f"body {c.body!r}: {len(c.weights)} weights for {len(game.players)} members")
    unknown = sorted(game.vetoes - set(game.players))
    if unknown:
        raise PowerError(f"body {game.body!r}: veto holder(s) {', '.join(unknown)} are not members")
    for c in game.constraints:
        if any(not math.isfinite(w) or w < 0 for w in c.weights):
            raise PowerError(f"body {c.body!r}: weights must be finite numbers, zero or more")
        if not math.isfinite(c.quota) or c.quota <= 0:
            raise PowerError(f"body {c.body!r}: the quota must be a positive number (got {c.quota:g})")
        total = sum(c.weights)
        if c.quota > total:
            raise PowerError(
                f"body {c.body!r}: quota {c.quota:g} exceeds the total weight {total:g}, so no coalition can win; "
                "lower the quota or check the weights"
            )


# -- reduction ------------------------------------------------------------------


@dataclass(frozen=True)
class Reduced:
    """A game with its veto players set aside: `free` players must reach `quotas` on top of the vetoes.

    `weights` is free players × remaining constraints; constraints the vetoes
    already meet are dropped, so an empty `quotas` means the vetoes alone win.
    When `integral` is true the weights and quotas are exact integers (decimal
    weights scaled, common factors divided out).
    """

    vetoes: tuple[int, ...]
    free: tuple[int, ...]
    weights: np.ndarray
    quotas: np.ndarray
    integral: bool


def veto_indices(game: Game) -> list[int]:
    """Players without whom even the grand coalition loses: declared vetoes and too-heavy members."""
    scaled = integer_form(game)
    w, q = scaled if scaled is not None else (game.weight_matrix(), game.quotas())
    total = w.sum(axis=0)
    forced = ((total[None, :] - w) < q[None, :]).any(axis=1)
    return [i for i, p in enumerate(game.players) if p in game.vetoes or forced[i]]


def reduce_game(game: Game) -> Reduced:
    vetoes = veto_indices(game)
    free = [i for i in range(game.n) if i not in set(vetoes)]
    scaled = integer_form(game)
    if scaled is not None:
        w_all, q_all = scaled
        integral = True
    else:
        w_all, q_all = game.weight_matrix(), game.quotas()
        integral = False
    residual = q_all - w_all[vetoes].sum(axis=0)
    keep = residual > 0
    weights = w_all[free][:, keep]
    quotas = residual[keep]
    if integral and quotas.size:
        weights, quotas = _divide_common_factor(weights.astype(np.int64), quotas.astype(np.int64))
    return Reduced(tuple(vetoes), tuple(free), weights, quotas, integral)


def integer_form(game: Game) -> tuple[np.ndarray, np.ndarray] | None:
    """Weights and quotas as integers (quotas rounded up), or None when the weights are not decimals."""
    columns, quotas = [], []
    for c in game.constraints:
        fractions = [decimal_fraction(w) for w in c.weights]
        scale = math.lcm(*(f.denominator for f in fractions)) if fractions else 1
        if scale > MAX_SCALE:
            return None
        column = [int(f * scale) for f in fractions]
        quota = math.ceil(decimal_fraction(c.quota) * scale)
        if max(sum(column), quota) > MAX_INTEGER:
            return None
        columns.append(column)
        quotas.append(quota)
    return np.array(columns, dtype=np.int64).T.reshape(game.n, len(columns)), np.array(quotas, dtype=np.int64)


def decimal_fraction(x: float) -> Fraction:
    """The number as typed: 0.1 is 1/10, not the binary float nearest to it."""
    return Fraction(repr(float(x)))


def _divide_common_factor(weights: np.ndarray, quotas: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Divide each constraint by the gcd of its weights: smaller sums, the same winning coalitions."""
    weights, quotas = weights.copy(), quotas.copy()
    for j in range(quotas.size):
        g = int(np.gcd.reduce(weights[:, j])) if weights.shape[0] else 0
        if g > 1:
            weights[:, j] //= g
            quotas[j] = -(-quotas[j] // g)
    return weights, quotas
