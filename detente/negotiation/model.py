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
    role: str | None = None  # party | mediator | patron | observer (ROLES): what the actor is to the negotiation
    backs: list[str] = field(default_factory=list)  # actors it supports materially or politically (a patron's clients)
    role_source: str | None = None  # the facts the role and backing were read from


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
    # The least an actor accepts on this scale, from a precondition ("no talks unless Assad leaves"): a
    # position below it is refused, whatever the models forecast.
    thresholds: dict[str, Estimate] = field(default_factory=dict)
    # Earlier readings of each actor's position, oldest first; the position itself is the latest.
    series: dict[str, list[SeriesPoint]] = field(default_factory=dict)


@dataclass(frozen=True)
class SeriesPoint:
    """One dated reading of a position (a stance), kept so a reviewer sees how it moved."""

    date: str | None
    value: float
    source: str | None = None


ROLES = ("party", "mediator", "patron", "observer")
PARTICIPATION = ("convener", "invited", "attends", "refuses", "conditions", "supports")


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
    sources: dict[str, str] = field(default_factory=dict)  # member id or "quota" → where the number came from
    member_names: dict[str, str] = field(default_factory=dict)  # a bloc that is no actor, by the reports' words
    description: str | None = None


@dataclass
class CandidateList:
    """Candidates for a post; each party may strike (veto) any of them."""

    id: str
    name: str
    candidates: list[str]
    vetoes: dict[str, list[str]] = field(default_factory=dict)  # party id → candidates it strikes
    # Parties the text gives a veto over names, even before any name is known ("each side may veto candidates").
    parties: list[str] = field(default_factory=list)
    source: str | None = None
    description: str | None = None


@dataclass
class Conference:
    """A meeting and who was invited to it, who convenes it, who attends and who refuses.

    `participants` maps an actor id to its PARTICIPATION entries; `sources` says
    which facts gave each entry, so the participation table can be checked.
    """

    id: str
    name: str
    date: str | None = None
    place: str | None = None
    participants: dict[str, list[str]] = field(default_factory=dict)  # actor id → its PARTICIPATION entries
    sources: dict[str, str] = field(default_factory=dict)  # "actor:entry" → the facts behind it


@dataclass
class DraftInfo:
    """Marks a negotiation drafted by detente from a store, not written by a person."""

    made_from: str
    notes: list[str] = field(default_factory=list)


@dataclass
class Negotiation:
    name: str
    actors: dict[str, NegotiationActor]
    issues: dict[str, Issue]
    bodies: dict[str, VotingBody] = field(default_factory=dict)
    candidate_lists: dict[str, CandidateList] = field(default_factory=dict)
    conferences: dict[str, Conference] = field(default_factory=dict)
    draft: DraftInfo | None = None  # set when detente drafted it; shown as "draft" wherever it appears
    source: str | None = None
    description: str | None = None
    notes: list[str] = field(default_factory=list)  # what reading changed (e.g. a rescaled KTAB file), for the user
