"""Banzhaf and Shapley–Shubik indices by Monte Carlo, with an error bound a reader can rely on.

For bodies the exact methods cannot handle (real weights that are not short
decimals, or sizes whose exact answer would take too long): draw coalitions or
orders at random and count swings. Each index is then the mean of yes/no
draws, so Hoeffding's inequality bounds its error without any assumption
about the game: with `samples` draws, every member's estimate lies within
±sqrt(ln(2n/δ) / (2·samples)) of the exact value with probability at least
1 − δ (a union bound over the n members). The standard errors are given too;
they are tighter, but only approximate.

The same seed gives the same numbers: draws come from numpy's PCG64 generator
in fixed-size chunks, whatever the machine.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np

from detente.negotiation.power_game import Game

# Draws × members × rules held in memory at once.
CHUNK_ELEMENTS = 4_000_000
RELATIVE_TOLERANCE = 1e-9


@dataclass(frozen=True)
class SampledPower:
    banzhaf_raw: np.ndarray
    shapley_shubik: np.ndarray
    banzhaf_raw_se: np.ndarray  # standard errors
    shapley_shubik_se: np.ndarray
    bound: float  # Hoeffding half-width shared by every raw Banzhaf and Shapley–Shubik estimate
    banzhaf_bound: float | None  # the same for the normalised Banzhaf index (None: too few samples to bound)
    samples: int
    seed: int
    confidence: float
    swing_seen: np.ndarray  # a member seen as a swing at least once is certainly not a dummy


def hoeffding_bound(samples: int, members: int, confidence: float) -> float:
    """Half-width that every one of `members` sample means respects, with probability ≥ confidence."""
    delta = 1.0 - confidence
    return math.sqrt(math.log(2.0 * members / delta) / (2.0 * samples))


def sampled_power(game: Game, samples: int = 100_000, seed: int = 0, confidence: float = 0.99) -> SampledPower:
    if samples < 1:
        raise ValueError("samples must be at least 1")
    if not 0.0 < confidence < 1.0:
        raise ValueError("confidence must be between 0 and 1, e.g. 0.99")
    rng = np.random.Generator(np.random.PCG64(seed))
    weights, quotas = game.weight_matrix(), game.quotas()
    quotas = quotas - RELATIVE_TOLERANCE * max(1.0, float(weights.sum(axis=0).max()))
    veto = np.array([p in game.vetoes for p in game.players])
    swings = _banzhaf_swings(weights, quotas, veto, samples, rng)
    pivots = _shapley_pivots(weights, quotas, veto, samples, rng)
    bz, ss = swings / samples, pivots / samples
    bound = hoeffding_bound(samples, game.n, confidence)
    return SampledPower(
        banzhaf_raw=bz,
        shapley_shubik=ss,
        banzhaf_raw_se=np.sqrt(bz * (1 - bz) / samples),
        shapley_shubik_se=np.sqrt(ss * (1 - ss) / samples),
        bound=bound,
        banzhaf_bound=_normalised_bound(bz, bound),
        samples=samples,
        seed=seed,
        confidence=confidence,
        swing_seen=(swings > 0) | (pivots > 0),
    )


def _normalised_bound(raw: np.ndarray, bound: float) -> float | None:
    """Worst case of |b̂/Σb̂ − b/Σb| when every raw estimate is within `bound`.

    If each |b̂_i − b_i| ≤ ε then |Σb̂ − Σb| ≤ nε, and the ratio moves by at most
    (ε + nε·max b / Σb̂) / (Σb̂ − nε). Meaningless once nε reaches Σb̂.
    """
    total, spread = float(raw.sum()), raw.size * bound
    if total - spread <= 0:
        return None
    return (bound + spread * float(raw.max() + bound) / total) / (total - spread)


def _banzhaf_swings(weights, quotas, veto, samples, rng) -> np.ndarray:
    """For random coalitions (everyone in with probability 1/2), count per member the ones she swings."""
    n, k = weights.shape
    counts = np.zeros(n, dtype=np.int64)
    chunk = max(1, CHUNK_ELEMENTS // (n * k + n))
    n_veto = int(veto.sum())
    for start in range(0, samples, chunk):
        draw = rng.random((min(chunk, samples - start), n)) < 0.5
        totals = draw.astype(float) @ weights  # draws × rules
        without = totals[:, None, :] - draw[:, :, None] * weights[None, :, :]  # member i taken out
        vetoes_without = draw[:, veto].sum(axis=1)[:, None] - (draw & veto[None, :])
        wins_without = (without >= quotas).all(axis=2) & (vetoes_without == n_veto)
        wins_with = ((without + weights[None, :, :]) >= quotas).all(axis=2) & (vetoes_without + veto[None, :] == n_veto)
        counts += (wins_with & ~wins_without).sum(axis=0)
    return counts


def _shapley_pivots(weights, quotas, veto, samples, rng) -> np.ndarray:
    """For random orders of arrival, count per member the orders in which her arrival makes the coalition win."""
    n, k = weights.shape
    counts = np.zeros(n, dtype=np.int64)
    chunk = max(1, CHUNK_ELEMENTS // (n * k + n))
    n_veto = int(veto.sum())
    for start in range(0, samples, chunk):
        size = min(chunk, samples - start)
        order = np.argsort(rng.random((size, n)), axis=1)
        running = np.cumsum(weights[order], axis=1)  # draws × position × rules
        vetoes_in = np.cumsum(veto[order], axis=1)
        winning = (running >= quotas).all(axis=2) & (vetoes_in == n_veto)
        pivot = order[np.arange(size), winning.argmax(axis=1)]  # the grand coalition wins, so some position does
        counts += np.bincount(pivot, minlength=n)
    return counts
