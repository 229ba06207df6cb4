"""The compromise model: the capability × salience weighted mean of the positions.

It is the baseline every bargaining model has to beat: on EU legislation
(DEU III) it predicts outcomes about as well as the expected-utility models
(Thomson et al. 2006), and its lever is exact, which makes it the honest
first answer to "who would have to move, and how far".
"""

from __future__ import annotations

import numpy as np


def compromise(positions: np.ndarray, capabilities: np.ndarray, saliences: np.ndarray) -> np.ndarray:
    """Σ c·s·x / Σ c·s over the last axis; NaN where every weight is zero (nobody cares)."""
    weights = np.asarray(capabilities, float) * np.asarray(saliences, float)
    total = weights.sum(axis=-1)
    with np.errstate(invalid="ignore", divide="ignore"):
        return np.where(total > 0, (weights * positions).sum(axis=-1) / np.where(total > 0, total, 1), np.nan)


def compromise_lever(capabilities: np.ndarray, saliences: np.ndarray) -> np.ndarray:
    """How far the forecast moves per unit an actor moves: c_i·s_i / Σ c·s, exactly.

    The forecast is linear in each position, so moving actor i by d moves the
    forecast by this share times d, whatever the other positions are.
    """
    weights = np.asarray(capabilities, float) * np.asarray(saliences, float)
    total = weights.sum(axis=-1, keepdims=True)
    with np.errstate(invalid="ignore", divide="ignore"):
        return np.where(total > 0, weights / np.where(total > 0, total, 1), np.nan)
