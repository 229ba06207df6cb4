"""One issue as arrays, and every spatial model run over it side by side.

The models themselves (compromise.py, median.py, nash.py, bdm.py) know only
numpy arrays with a leading batch axis; this module is where a Negotiation's
issue becomes those arrays — the actors who take a position on it, in file
order, with their positions, saliences and capabilities — so that a single
forecast, a Monte Carlo batch, a sensitivity sweep and a lever all run the
models the same way.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np

from detente.negotiation.bdm import BDMParameters, bdm_forecast
from detente.negotiation.compromise import compromise
from detente.negotiation.median import median_model
from detente.negotiation.model import Estimate, Issue, Negotiation
from detente.negotiation.nash import WORST, nash_bargaining

MODELS = ("compromise", "median", "nash", "bdm")
MODEL_TITLES = {
    "compromise": "Compromise (capability × salience weighted mean)",
    "median": "Weighted median",
    "nash": "Nash bargaining solution",
    "bdm": "Bueno de Mesquita / Scholz expected utility",
}
STATUS_QUO = "status-quo"


class ModelInputError(ValueError):
    """A request the negotiation cannot answer (an unknown issue, no actors on it); the message says why."""


@dataclass(frozen=True)
class ModelSettings:
    """Everything a forecast depends on besides the file: the BDM choices and Nash's disagreement point.

    `disagreement` is "worst" (each actor's least-liked end of the scale),
    "status-quo" (the issue's status quo) or a number on the 0–100 scale.
    """

    bdm: BDMParameters = field(default_factory=BDMParameters)
    disagreement: str | float = WORST

    def __post_init__(self) -> None:
        if isinstance(self.disagreement, str) and self.disagreement not in (WORST, STATUS_QUO):
            raise ValueError(f"disagreement must be {WORST!r}, {STATUS_QUO!r} or a number; got {self.disagreement!r}")


@dataclass
class IssueInputs:
    """The actors taking part in one issue, with their inputs as estimates and as likely values."""

    issue: Issue
    actors: list[str]
    positions: list[Estimate]
    saliences: list[Estimate]
    capabilities: list[Estimate]

    def likely(self) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        """Positions, capabilities and saliences (0–100) at their likely values."""
        return (
            np.array([e.likely for e in self.positions]),
            np.array([e.likely for e in self.capabilities]),
            np.array([e.likely for e in self.saliences]),
        )


def issue_inputs(negotiation: Negotiation, issue_id: str) -> IssueInputs:
    """The inputs of one issue: every declared actor that has a position on it, in file order."""
    issue = negotiation.issues.get(issue_id)
    if issue is None:
        known = ", ".join(negotiation.issues) or "none"
        raise ModelInputError(f"no issue {issue_id!r} in {negotiation.name!r}; issues: {known}")
    actors = [a for a in negotiation.actors if a in issue.positions and a in issue.saliences]
    if not actors:
        raise ModelInputError(f"issue {issue_id!r} has no actor with both a position and a salience")
    return IssueInputs(
        issue=issue,
        actors=actors,
        positions=[issue.positions[a] for a in actors],
        saliences=[issue.saliences[a] for a in actors],
        capabilities=[negotiation.actors[a].capability for a in actors],
    )


def disagreement_point(issue: Issue, settings: ModelSettings) -> str | float:
    if settings.disagreement == STATUS_QUO:
        if issue.status_quo is None:
            raise ModelInputError(
                f"issue {issue.id!r} has no status_quo, so Nash cannot fall back to it; "
                "add `status_quo:` to the issue or use --disagreement worst"
            )
        return issue.status_quo
    return settings.disagreement


def run_models(
    positions: np.ndarray,
    capabilities: np.ndarray,
    saliences: np.ndarray,
    disagreement: str | float,
    settings: ModelSettings,
    models: tuple[str, ...] = MODELS,
) -> dict[str, np.ndarray]:
    """Every requested model over a batch (draws, actors); saliences on the file's 0–100 scale."""
    x = np.atleast_2d(np.asarray(positions, float))
    c = np.broadcast_to(np.atleast_2d(np.asarray(capabilities, float)), x.shape)
    s = np.broadcast_to(np.atleast_2d(np.asarray(saliences, float)), x.shape) / 100.0
    results: dict[str, np.ndarray] = {}
    for model in models:
        if model == "compromise":
            results[model] = compromise(x, c, s)
        elif model == "median":
            results[model] = median_model(x, c, s)
        elif model == "nash":
            results[model] = nash_bargaining(x, c, disagreement)
        elif model == "bdm":
            results[model] = bdm_forecast(x, c, s, settings.bdm)
        else:
            raise ModelInputError(f"unknown model {model!r}; models: {', '.join(MODELS)}")
    return results


def forecast_issue(
    negotiation: Negotiation, issue_id: str, settings: ModelSettings | None = None, models: tuple[str, ...] = MODELS
) -> dict[str, float]:
    """Each model's forecast for one issue at the likely values of every input."""
    settings = settings or ModelSettings()
    inputs = issue_inputs(negotiation, issue_id)
    x, c, s = inputs.likely()
    results = run_models(x, c, s, disagreement_point(inputs.issue, settings), settings, models)
    return {model: float(values[0]) for model, values in results.items()}

