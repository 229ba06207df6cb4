"""The negotiation model a file declares: actors, issues, positions, bodies, candidates.

Numbers may be a point or a {low, likely, high} range; every value keeps
where it came from (`source`: a file and line, or a stance id), so a forecast
can always show the origin of each input.
"""

from __future__ import annotations

from dataclasses import dataclass, field


@dataclass(frozen=True)
class Estimate:
    """A number known as a point (low == likely == high) or as a range."""

    likely: float
    low: float | None = None
    high: float | None = None
    source: str | None = None

    @property
    def lower(self) -> float:
        return self.likely if self.low is None else self.low

    @property
    def upper(self) -> float:
        return self.likely if self.high is None else self.high

    @property
    def is_range(self) -> bool:
        return self.lower != self.upper


@dataclass
class NegotiationActor:
    id: str
    name: str
    capability: Estimate
    description: str | None = None


@dataclass
class Issue:
    """A 0–100 scale; `low_label` says what 0 means, `high_label` what 100 means."""

    id: str
    name: str
    low_label: str
    high_label: str
    status_quo: float | None = None
    positions: dict[str, Estimate] = field(default_factory=dict)  # actor id → position
    saliences: dict[str, Estimate] = field(default_factory=dict)  # actor id → salience 0–100
    description: str | None = None


@dataclass
class VotingBody:
    """Members with weights; a coalition wins with at least `quota` weight and every veto holder in it.

    `requires` names other bodies that must all agree too (e.g. the five
    permanent members and nine votes of the Security Council as two bodies).
    """

    id: str
    name: str
    weights: dict[str, float]  # member id → weight
    quota: float
    vetoes: list[str] = field(default_factory=list)
    requires: list[str] = field(default_factory=list)


@dataclass
class CandidateList:
    """Candidates for a post; each party may strike (veto) any of them."""

    id: str
    name: str
    candidates: list[str]
    vetoes: dict[str, list[str]] = field(default_factory=dict)  # party id → candidates it strikes


@dataclass
class Negotiation:
    name: str
    actors: dict[str, NegotiationActor]
    issues: dict[str, Issue]
    bodies: dict[str, VotingBody] = field(default_factory=dict)
    candidate_lists: dict[str, CandidateList] = field(default_factory=dict)
    source: str | None = None
    description: str | None = None
    notes: list[str] = field(default_factory=list)  # what reading changed (e.g. a rescaled KTAB file), for the user
