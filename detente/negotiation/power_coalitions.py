"""Minimal winning coalitions, and whether a body is proper, strong and decisive.

A minimal winning coalition is a group that carries a decision and needs every
one of its members: it is the list of deals a mediator can actually assemble.
There can be astronomically many, so the listing stops at a limit (and says it
stopped); for a single weighted rule the total is still counted exactly by
dynamic programming.

Proper (no two disjoint coalitions can both win, so the body cannot pass a
measure and its opposite) and strong (of any coalition and the rest, one
wins, so the body never deadlocks) are decided exactly from the set of weight
totals coalitions can reach.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from detente.negotiation.power_exact import ENUMERATE_MAX, RELATIVE_TOLERANCE, coalition_table
from detente.negotiation.power_game import Game, integer_form, reduce_game, veto_indices

# Search steps before the listing gives up and reports itself truncated.
SEARCH_BUDGET = 200_000
# Work (members × weight total) up to which reachable totals are computed exactly.
REACH_BUDGET = 2e9


@dataclass(frozen=True)
class MinimalWinning:
    coalitions: list[tuple[str, ...]]  # smallest first
    count: int | float | None  # all there are, when known (a float when too large to count exactly)
    count_exact: bool  # False when the count is too large for floating point to hold exactly
    truncated: bool  # the listing stopped before finding them all


def minimal_winning_coalitions(game: Game, limit: int = 1000, budget: int = SEARCH_BUDGET) -> MinimalWinning:
    red = reduce_game(game)
    vetoes = tuple(game.players[i] for i in red.vetoes)
    if red.quotas.size == 0:
        return MinimalWinning([vetoes], 1, True, False)
    weights, quotas = red.weights.astype(float), red.quotas.astype(float)
    if not red.integral:  # float sums: allow for rounding, as the other methods do
        quotas = quotas - RELATIVE_TOLERANCE * max(1.0, float(weights.sum(axis=0).max()))
    found, complete = _search(weights, quotas, limit, budget)
    order = {p: i for i, p in enumerate(game.players)}
    coalitions = sorted(
        (tuple(sorted(vetoes + tuple(game.players[red.free[i]] for i in chosen), key=order.get)) for chosen in found),
        key=lambda c: (len(c), [order[p] for p in c]),
    )
    count, exact = (len(found), True) if complete else (None, False)
    if red.integral and red.quotas.size == 1:
        counted = _count_1d(red.weights[:, 0].astype(np.int64), int(red.quotas[0]))
        if counted is not None:
            count, exact = counted
    return MinimalWinning(coalitions, count, exact, not complete)


def _search(weights: np.ndarray, quotas: np.ndarray, limit: int, budget: int) -> tuple[list[tuple[int, ...]], bool]:
    """Depth-first over members, heaviest first: take a member or not, stop at the first win on each branch.

    A winning coalition's supersets are never minimal, so a branch ends as soon
    as it wins; a branch that cannot reach a quota even with everyone left ends too.
    """
    r, k = weights.shape
    order = np.argsort(-(weights / quotas).sum(axis=1), kind="stable")
    rows = [tuple(float(x) for x in weights[i]) for i in order]
    suffix = np.vstack([np.cumsum(weights[order][::-1], axis=0)[::-1], np.zeros((1, k))])
    suffix_rows = [tuple(float(x) for x in row) for row in suffix]
    q = tuple(float(x) for x in quotas)
    found: list[tuple[int, ...]] = []
    stack: list[tuple[int, tuple[int, ...], tuple[float, ...]]] = [(0, (), (0.0,) * k)]
    steps = 0
    while stack:
        steps += 1
        if steps > budget:
            return found, False
        idx, chosen, sums = stack.pop()
        if all(s >= need for s, need in zip(sums, q)):
            if all(any(s - w < need for s, w, need in zip(sums, rows[c], q)) for c in chosen):
                found.append(tuple(int(order[c]) for c in chosen))
                if len(found) > limit:
                    return found[:limit], False
            continue
        if idx == r or any(s + left < need for s, left, need in zip(sums, suffix_rows[idx], q)):
            continue
        stack.append((idx + 1, chosen, sums))
        stack.append((idx + 1, chosen + (idx,), tuple(s + w for s, w in zip(sums, rows[idx]))))
    return found, True


def _count_1d(weights: np.ndarray, quota: int) -> tuple[int | float, bool] | None:
    """How many minimal winning coalitions, by the lightest member of each.

    With members taken heaviest first, a coalition is minimal winning exactly
    when its last (lightest) member lifts a total below the quota to the quota
    or above; so count, for each member, the coalitions of the members before
    her whose total lies in [quota − w, quota − 1].
    """
    if float(len(weights)) * quota > REACH_BUDGET:
        return None
    below = np.zeros(quota)  # below[x]: coalitions so far with total x < quota
    below[0] = 1.0
    total = 0.0
    with np.errstate(over="ignore", invalid="ignore"):
        for w in sorted((int(x) for x in weights if x > 0), reverse=True):
            total += float(below[max(0, quota - w):].sum())
            if w < quota:
                below[w:] += below[:-w].copy()
    if not np.isfinite(total):
        return None
    # Sums of integers stay exact in floating point while every number stays below 2^53.
    if total < 2**53 and float(below.max()) < 2**53:
        return int(total), True
    return total, False


# -- proper, strong, decisive --------------------------------------------------------------


@dataclass(frozen=True)
class Properties:
    proper: bool | None  # None: not decided (too large, or weights that are not decimals)
    strong: bool | None

    @property
    def decisive(self) -> bool | None:
        if self.proper is None or self.strong is None:
            return None
        return self.proper and self.strong


def game_properties(game: Game) -> Properties:
    vetoes = veto_indices(game)
    if vetoes:
        # Two disjoint coalitions cannot both hold a veto player, so the body is proper.
        # With one veto player it is strong only if she wins alone; with two, {v1} and
        # the rest both lose.
        alone = len(vetoes) == 1 and game.wins([game.players[vetoes[0]]])
        return Properties(True, alone)
    scaled = integer_form(game)
    if scaled is not None:
        weights, quotas = scaled
        reach = _reachable_totals(weights, quotas)
        if reach is not None:
            return reach
    if game.n <= ENUMERATE_MAX:
        members, wins = coalition_table(game)
        rows = np.arange(2**game.n)
        rest = wins[(2**game.n - 1) ^ rows]
        return Properties(not bool((wins & rest).any()), bool((wins | rest).all()))
    return Properties(None, None)


def _reachable_totals(weights: np.ndarray, quotas: np.ndarray) -> Properties | None:
    """Decide both properties from the totals coalitions can reach (the rest has the complement)."""
    totals = weights.sum(axis=0)
    if quotas.size == 1:
        total, q = int(totals[0]), int(quotas[0])
        if float(len(weights)) * total > REACH_BUDGET:
            return None
        reach = 1
        for w in weights[:, 0]:
            reach |= reach << int(w)

        def any_in(lo: int, hi: int) -> bool:  # some reachable total in [lo, hi]
            return hi >= lo and (reach >> lo) & ((1 << (hi - lo + 1)) - 1) != 0

        return Properties(not any_in(q, total - q), not any_in(total - q + 1, q - 1))
    shape = tuple(int(t) + 1 for t in totals)
    if float(np.prod(np.array(shape, dtype=float))) * len(weights) > REACH_BUDGET / 8:
        return None
    reach = np.zeros(shape, dtype=bool)
    reach[(0,) * len(shape)] = True
    for row in weights:
        source = tuple(slice(0, s - int(w)) for s, w in zip(shape, row))
        target = tuple(slice(int(w), s) for s, w in zip(shape, row))
        reach[target] |= reach[source].copy()
    grids = np.meshgrid(*[np.arange(s) for s in shape], indexing="ij")
    wins = np.logical_and.reduce([g >= q for g, q in zip(grids, quotas)])
    rest_wins = np.logical_and.reduce([t - g >= q for g, q, t in zip(grids, quotas, totals)])
    return Properties(not bool((reach & wins & rest_wins).any()), not bool((reach & ~wins & ~rest_wins).any()))
