"""The weighted median: the position no majority of capability × salience would leave.

On a single issue with distance-based preferences the median is the
Condorcet winner among the actors' positions (Black 1948): the position a
weighted majority prefers to every other. It is the second baseline, and the
yardstick the Bueno de Mesquita model reports in each round.
"""

from __future__ import annotations

from dataclasses import dataclass

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


@dataclass(frozen=True)
class MedianSplit:
    """How the weight divides around the median of one issue: why it sits where it does.

    `below` and `at` are shares (0–1) of the total weight held by the actors
    strictly below the median position and at it. The median is where `below`
    is under half and `below + at` reaches half; when either margin is thin, a
    small change of input moves the median to the next actor's position, and
    the forecast jumps rather than drifts.
    """

    position: float
    below: float
    at: float
    lower: float | None  # the next position below, where a majority of `below` would move it
    upper: float | None  # the next position above

    @property
    def margin_down(self) -> float:
        """How much weight the actors below lack for a majority of their own."""
        return 0.5 - self.below

    @property
    def margin_up(self) -> float:
        """How much weight the actors at and below hold beyond half."""
        return self.below + self.at - 0.5


def median_split(positions: np.ndarray, weights: np.ndarray) -> MedianSplit | None:
    """The weight on each side of the weighted median of one issue (1-D inputs); None if nobody weighs."""
    x = np.asarray(positions, float)
    w = np.asarray(weights, float)
    total = w.sum()
    if total <= 0:
        return None
    position = float(weighted_median(x, w))
    below = float(w[x < position].sum() / total)
    at = float(w[x == position].sum() / total)
    lower = x[x < position]
    upper = x[x > position]
    return MedianSplit(position=position, below=below, at=at,
                       lower=float(lower.max()) if lower.size else None,
                       upper=float(upper.min()) if upper.size else None)
