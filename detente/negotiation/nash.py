"""The asymmetric Nash bargaining solution on one issue.

The solution maximises Π (u_i(x) − u_i(d))^{c_i}: each actor's gain over the
disagreement point d, weighted by its capability as bargaining power. With
distance utilities u_i(x) = −|x − x_i| the log of the product is concave, so
the maximum is found by bisection on the sign of its slope, the same number
of steps for every draw of a Monte Carlo batch.

The disagreement point decides a lot. `"worst"` (the default) says that
without a deal each actor gets the end of the scale it likes least, so every
point of the scale is a gain for everyone and the solution is a power-weighted
compromise. A number (for instance the issue's status quo) says the talks fail
back to that point: then any point that makes one actor worse off than the
status quo is out, and when the status quo lies between the actors nothing
beats it — the solution is the status quo, which is what the model should say.
Salience does not enter: scaling one actor's utility leaves the solution
where it is (scale invariance is one of Nash's axioms).
"""

from __future__ import annotations

import numpy as np

WORST = "worst"
_STEPS = 60


def nash_bargaining(
    positions: np.ndarray,
    capabilities: np.ndarray,
    disagreement: float | np.ndarray | str = WORST,
    low: float = 0.0,
    high: float = 100.0,
) -> np.ndarray:
    """The Nash bargaining point over the last axis, on the scale [low, high]."""
    x = np.asarray(positions, float)
    c = np.broadcast_to(np.asarray(capabilities, float), x.shape)
    if isinstance(disagreement, str):
        if disagreement != WORST:
            raise ValueError(f"disagreement must be {WORST!r} or a number, got {disagreement!r}")
        reach = np.maximum(x - low, high - x)
    else:
        d = np.asarray(disagreement, float)
        reach = np.abs(x - (d[..., None] if d.ndim else d))
    # The points where every actor gains: the intersection of (x_i − reach_i, x_i + reach_i).
    left = np.maximum((x - reach).max(axis=-1), low)
    right = np.minimum((x + reach).min(axis=-1), high)
    active = c > 0
    lo, hi = left.copy(), right.copy()
    for _ in range(_STEPS):
        mid = (lo + hi) / 2
        slope = _slope(mid, x, c, reach, active)
        lo = np.where(slope > 0, mid, lo)
        hi = np.where(slope > 0, hi, mid)
    result = (lo + hi) / 2
    return np.where((right - left) > 1e-12 * max(high - low, 1.0), result, (left + right) / 2)


def _slope(point: np.ndarray, x: np.ndarray, c: np.ndarray, reach: np.ndarray, active: np.ndarray) -> np.ndarray:
    """d/dx Σ c_i log(reach_i − |x − x_i|): positive while moving right still helps."""
    point = point[..., None]
    gain = reach - np.abs(point - x)
    with np.errstate(divide="ignore", invalid="ignore"):
        terms = np.where(active, c * np.sign(x - point) / np.where(gain > 0, gain, np.inf), 0.0)
    return terms.sum(axis=-1)
