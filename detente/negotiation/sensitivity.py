"""One-at-a-time sensitivity: which single input moves a forecast most (tornado data).

Each input is set to the low and then the high end of its range while every
other input stays at its likely value, and each model is rerun. An input
given as a point has no range of its own; it is swung by a default spread
(positions and saliences ±10 points, capability ±20%) so that a file without
ranges still shows which numbers matter, and the rows say which swings came
from the file and which were assumed. The result is sorted by swing, the
widest bar of the tornado first.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from detente.negotiation.model import Estimate, Negotiation
from detente.negotiation.spatial import (
    MODELS,
    ModelSettings,
    disagreement_point,
    issue_inputs,
    run_models,
)

POINT_SPREAD = 10.0  # positions and saliences, in points of the 0–100 scale
CAPABILITY_SPREAD = 0.2  # capability, as a share of its value
_FIELDS = ("position", "salience", "capability")


@dataclass
class Swing:
    issue: str
    model: str
    actor: str
    field: str  # "position", "salience" or "capability"
    low: float
    high: float
    assumed: bool  # True when the input was a point and the default spread was used
    forecast_low: float
    forecast_high: float

    @property
    def swing(self) -> float:
        return abs(self.forecast_high - self.forecast_low)


def input_range(estimate: Estimate, field: str) -> tuple[float, float, bool]:
    """The low and high end to try for one input, and whether they were assumed."""
    if estimate.is_range:
        return estimate.lower, estimate.upper, False
    value = estimate.likely
    if field == "capability":
        return value * (1 - CAPABILITY_SPREAD), value * (1 + CAPABILITY_SPREAD), True
    return max(0.0, value - POINT_SPREAD), min(100.0, value + POINT_SPREAD), True


def tornado(
    negotiation: Negotiation,
    issue_id: str,
    settings: ModelSettings | None = None,
    models: tuple[str, ...] = MODELS,
) -> list[Swing]:
    """Every input of one issue swung low and high, for each model; widest swing first."""
    settings = settings or ModelSettings()
    inputs = issue_inputs(negotiation, issue_id)
    base = np.stack(inputs.likely())  # rows: positions, capabilities, saliences
    row = {"position": 0, "capability": 1, "salience": 2}
    estimates = {"position": inputs.positions, "capability": inputs.capabilities, "salience": inputs.saliences}
    cases, labels = [], []
    for field in _FIELDS:
        for i, actor in enumerate(inputs.actors):
            low, high, assumed = input_range(estimates[field][i], field)
            for value in (low, high):
                case = base.copy()
                case[row[field], i] = value
                cases.append(case)
            labels.append((actor, field, low, high, assumed))
    batch = np.stack(cases)  # (cases, 3, actors): every swing in one model run
    disagreement = disagreement_point(inputs.issue, settings)
    results = run_models(batch[:, 0], batch[:, 1], batch[:, 2], disagreement, settings, models)
    swings = []
    for model, values in results.items():
        for k, (actor, field, low, high, assumed) in enumerate(labels):
            swings.append(Swing(issue_id, model, actor, field, low, high, assumed,
                                float(values[2 * k]), float(values[2 * k + 1])))
    swings.sort(key=lambda s: (MODELS.index(s.model) if s.model in MODELS else 99, -_finite(s.swing)))
    return swings


def _finite(value: float) -> float:
    return value if np.isfinite(value) else -1.0
