"""The weighted median: the position no majority of capability × salience would leave.

On a single issue with distance-based preferences the median is the
Condorcet winner among the actors' positions (Black 1948): the position a
weighted majority prefers to every other. It is the second baseline, and the
yardstick the Bueno de Mesquita model reports in each round.
"""

from __future__ import annotations

import numpy as np

_TIE = 1e-12


def weighted_median(positions: np.ndarray, weights: np.ndarray) -> np.ndarray:
    """The weighted median over the last axis; where the weight splits exactly in half, the midpoint.

    Taking the midpoint of an exact split keeps the answer symmetric: turning
    the scale around (x → 100 − x) turns the median around with it.
    """
    x = np.asarray(positions, float)
    w = np.broadcast_to(np.asarray(weights, float), x.shape)
    order = np.argsort(x, axis=-1, kind="stable")
    xs = np.take_along_axis(x, order, axis=-1)
    ws = np.take_along_axis(w, order, axis=-1)
    cumulative = np.cumsum(ws, axis=-1)
    total = cumulative[..., -1:]
    half = total / 2
    lower = np.argmax(cumulative >= half * (1 - _TIE), axis=-1)[..., None]
    upper = np.argmax(cumulative > half * (1 + _TIE), axis=-1)[..., None]
    low = np.take_along_axis(xs, lower, axis=-1)[..., 0]
    high = np.take_along_axis(xs, upper, axis=-1)[..., 0]
    exact = np.abs(np.take_along_axis(cumulative, lower, axis=-1)[..., 0] - half[..., 0]) <= _TIE * total[..., 0]
    result = np.where(exact, (low + high) / 2, low)
    return np.where(total[..., 0] > 0, result, np.nan)


def median_model(positions: np.ndarray, capabilities: np.ndarray, saliences: np.ndarray) -> np.ndarray:
    """The median actor's position, weighting each actor by capability × salience."""
    return weighted_median(positions, np.asarray(capabilities, float) * np.asarray(saliences, float))
