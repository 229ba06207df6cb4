"""Levers: for one actor, whom to move, and how far, to bring the outcome closest to it.

A mediator or a party asks "if we could bring X round by 20 points, what
would that buy us?". For the chosen actor A, every other actor on an issue is
moved toward A's position by each step (10, 25 and 50 points by default, and
all the way to A), each model is rerun, and the gain is how much closer the
forecast comes to A's position (negative when the move backfires, as it can
in the Bueno de Mesquita model). Rows are sorted by gain.

The compromise model's lever is exact and needs no rerun: moving actor i by d
moves the forecast by (c_i·s_i / Σ c·s)·d, so its rows also carry that share
(`per_point`) — the forecast points gained per point the mover concedes.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from detente.negotiation.compromise import compromise_lever
from detente.negotiation.model import Negotiation
from detente.negotiation.spatial import (
    MODELS,
    ModelInputError,
    ModelSettings,
    disagreement_point,
    issue_inputs,
    run_models,
)

DEFAULT_STEPS = (10.0, 25.0, 50.0)


@dataclass
class Lever:
    issue: str
    model: str
    mover: str
    start: float  # the mover's position now
    end: float  # where the lever moves it
    before: float  # the forecast now
    after: float  # the forecast after the move
    target: float  # the chosen actor's position
    per_point: float | None = None  # compromise model only: forecast change per point moved

    @property
    def distance(self) -> float:
        return abs(self.end - self.start)

    @property
    def gain(self) -> float:
        """How much closer the outcome comes to the chosen actor's position."""
        return abs(self.before - self.target) - abs(self.after - self.target)


def levers(
    negotiation: Negotiation,
    actor_id: str,
    settings: ModelSettings | None = None,
    models: tuple[str, ...] = MODELS,
    steps: tuple[float, ...] = DEFAULT_STEPS,
    issues: list[str] | None = None,
) -> list[Lever]:
    """Every (issue, model, mover, step) lever for the chosen actor, largest gain first."""
    if actor_id not in negotiation.actors:
        known = ", ".join(negotiation.actors) or "none"
        raise ModelInputError(f"no actor {actor_id!r} in {negotiation.name!r}; actors: {known}")
    if any(step <= 0 for step in steps):
        raise ModelInputError("lever steps must be positive distances on the 0–100 scale")
    settings = settings or ModelSettings()
    chosen = [i for i in negotiation.issues if issues is None or i in issues]
    found: list[Lever] = []
    for issue_id in chosen:
        issue = negotiation.issues[issue_id]
        if actor_id not in issue.positions or actor_id not in issue.saliences:
            continue
        found.extend(_issue_levers(negotiation, issue_id, actor_id, settings, models, steps))
    if not found and not any(actor_id in negotiation.issues[i].positions for i in chosen):
        raise ModelInputError(f"{actor_id!r} takes no position on {'that issue' if issues else 'any issue'}; give it one in the file")
    # Largest gain first; a lever a model could not score (NaN) goes last.
    found.sort(key=lambda lever: (-lever.gain if np.isfinite(lever.gain) else np.inf,
                                  lever.distance, lever.issue, lever.mover, lever.model))
    return found


def _issue_levers(negotiation, issue_id, actor_id, settings, models, steps) -> list[Lever]:
    inputs = issue_inputs(negotiation, issue_id)
    x, c, s = inputs.likely()
    me = inputs.actors.index(actor_id)
    target = x[me]
    disagreement = disagreement_point(inputs.issue, settings)
    before = {m: float(v[0]) for m, v in run_models(x, c, s, disagreement, settings, models).items()}
    shares = compromise_lever(c, s / 100.0)
    cases, labels = [], []
    for j, mover in enumerate(inputs.actors):
        if j == me or x[j] == target:
            continue
        gap = abs(target - x[j])
        for distance in sorted({min(step, gap) for step in steps} | {gap}):
            moved = x.copy()
            moved[j] = x[j] + np.sign(target - x[j]) * distance
            cases.append(moved)
            labels.append((mover, j, float(moved[j])))
    if not cases:
        return []
    after = run_models(np.stack(cases), c, s, disagreement, settings, models)
    found = []
    for model, values in after.items():
        for k, (mover, j, end) in enumerate(labels):
            found.append(Lever(
                issue=issue_id, model=model, mover=mover, start=float(x[j]), end=end,
                before=before[model], after=float(values[k]), target=float(target),
                per_point=float(shares[j]) if model == "compromise" else None,
            ))
    return found
