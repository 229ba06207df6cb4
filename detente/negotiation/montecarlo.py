"""Monte Carlo over the input ranges: how sure is each forecast?

Every `{low, likely, high}` in the file is read as a triangular distribution
(the likely value is the mode); a point value stays fixed. Each draw samples
every input once — an actor's capability once for all issues, since it is one
number in the file — and runs every model on the whole batch of draws at
once. The summary per issue and model is the median of the draws and the
central interval (80% by default: the 10th to the 90th percentile).

Draws are reproducible: the same file, seed and number of draws give the same
numbers. Each input has its own column of uniform draws in a fixed order, so
turning one point value into a range does not reshuffle the draws of the
others.
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

DEFAULT_DRAWS = 1000
DEFAULT_INTERVAL = 0.8
NEAR = 1.0  # points: a draw this close to the forecast at the likely inputs "lands on" it
APART = 5.0  # points between the forecast and the draws' median beyond which the page explains the gap


@dataclass
class Summary:
    """One model's forecast on one issue: at the likely inputs, and over the draws."""

    forecast: float  # at the likely value of every input
    median: float | None = None
    low: float | None = None  # lower end of the interval
    high: float | None = None
    near: float | None = None  # share of draws within NEAR points of `forecast`

    @property
    def representative(self) -> bool:
        """Whether the forecast at the likely inputs sits where the draws are.

        A model that jumps (the weighted median moving from one actor's position
        to the next, BDM's rounds settling on another actor) can give, at the
        likely inputs, a value most draws do not share; the page then says so
        instead of showing two numbers that seem to contradict each other.
        """
        if self.median is None or not np.isfinite(self.forecast):
            return True
        inside = self.low - NEAR <= self.forecast <= self.high + NEAR
        return inside and abs(self.median - self.forecast) <= APART


def sample_triangular(estimates: list[Estimate], uniforms: np.ndarray) -> np.ndarray:
    """Turn uniform draws (draws, inputs) into triangular draws of each estimate, by the inverse CDF."""
    low = np.array([e.lower for e in estimates])
    mode = np.array([e.likely for e in estimates])
    high = np.array([e.upper for e in estimates])
    width = high - low
    safe = np.where(width > 0, width, 1.0)
    split = np.where(width > 0, (mode - low) / safe, 0.0)
    rising = low + np.sqrt(uniforms * width * (mode - low))
    falling = high - np.sqrt((1 - uniforms) * width * (high - mode))
    return np.where(uniforms < split, rising, falling)


def monte_carlo(
    negotiation: Negotiation,
    draws: int = DEFAULT_DRAWS,
    seed: int = 0,
    settings: ModelSettings | None = None,
    models: tuple[str, ...] = MODELS,
    issues: list[str] | None = None,
    interval: float = DEFAULT_INTERVAL,
) -> dict[str, dict[str, Summary]]:
    """Per issue and model: the forecast at the likely inputs, the median of the draws and the interval."""
    if draws < 1:
        raise ValueError(f"draws must be at least 1, got {draws}")
    if not 0 < interval < 1:
        raise ValueError(f"interval must be between 0 and 1, got {interval}")
    settings = settings or ModelSettings()
    rng = np.random.default_rng(seed)
    actor_ids = list(negotiation.actors)
    capabilities = sample_triangular(
        [negotiation.actors[a].capability for a in actor_ids], rng.random((draws, len(actor_ids)))
    )
    capability_column = {a: i for i, a in enumerate(actor_ids)}
    tails = (1 - interval) / 2 * 100
    results: dict[str, dict[str, Summary]] = {}
    for issue_id in negotiation.issues:
        # Draw for every issue, wanted or not, so that asking for one issue gives the same numbers.
        inputs = _issue_inputs_or_none(negotiation, issue_id)
        if inputs is None:
            continue
        n = len(inputs.actors)
        positions = sample_triangular(inputs.positions, rng.random((draws, n)))
        saliences = sample_triangular(inputs.saliences, rng.random((draws, n)))
        if issues is not None and issue_id not in issues:
            continue
        caps = capabilities[:, [capability_column[a] for a in inputs.actors]]
        disagreement = disagreement_point(inputs.issue, settings)
        batch = run_models(positions, caps, saliences, disagreement, settings, models)
        x, c, s = inputs.likely()
        point = run_models(x, c, s, disagreement, settings, models)
        results[issue_id] = {
            model: _summarise(point[model][0], values, tails) for model, values in batch.items()
        }
    return results


def _issue_inputs_or_none(negotiation: Negotiation, issue_id: str):
    issue = negotiation.issues[issue_id]
    if not any(a in issue.positions and a in issue.saliences for a in negotiation.actors):
        return None
    return issue_inputs(negotiation, issue_id)


def _summarise(forecast: float, values: np.ndarray, tails: float) -> Summary:
    finite = values[np.isfinite(values)]
    if finite.size == 0:
        return Summary(forecast=float(forecast))
    low, median, high = np.percentile(finite, [tails, 50, 100 - tails])
    near = float(np.mean(np.abs(finite - forecast) <= NEAR)) if np.isfinite(forecast) else None
    return Summary(forecast=float(forecast), median=float(median), low=float(low), high=float(high), near=near)
