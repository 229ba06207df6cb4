"""Bueno de Mesquita's expected-utility model, as reconstructed by Scholz, Calbert & Smith (2011).

Bueno de Mesquita never published his code; Scholz, Calbert and Smith
("Unravelling Bueno de Mesquita's group decision model", Journal of
Theoretical Politics 23(4), 2011) rebuilt it from his papers and replicated
his EU car-emissions example. One round goes:

1. Pairwise votes. Actor k's vote for position a over b is
   c_k·s_k·(|x_k − x_b|^r_k − |x_k − x_a|^r_k) (distances as a share of the
   span of positions); the median is the position no weighted majority beats.
2. Probability that a beats b: the votes for a over b, over a normaliser.
3. Utilities of success, failure, getting better, getting worse and the
   status quo (U_s, U_f, U_b, U_w, U_sq), each 2 − 4·(½ ∓ …)^r.
4. Expected utility of a challenging b:
   s_b·(P·U_s + (1 − P)·U_f) + (1 − s_b)·U_s − Q·U_sq − (1 − Q)·(T·U_b + (1 − T)·U_w).
5. Security and risk: each actor's danger is a sum of challenge utilities;
   R_i = (2·danger_i − max − min)/(max − min) over the actors, and the risk
   exponent r_i = (1 − R_i/3)/(1 + R_i/3); step 4 is redone with r.
6. Offers: seen from actor i, a rival j with E^j(j challenges i) > 0 presses
   i. Both expect gains and j more: conflict, i moves to x_j. i expects a loss
   smaller than j's gain: compromise, i moves x_i + (x_j − x_i)·|E^i/E^j|.
   i's loss larger than j's gain: capitulation, i moves to x_j. Otherwise
   stalemate. Each actor takes one offer and all move at once.

Where the reconstruction leaves a choice open, `BDMParameters` names it; the
defaults reproduce Scholz et al.'s Table 2 (see docs/negotiation.md for what
each choice does and how far the reproduction goes). Everything is computed
over a leading batch axis, so a Monte Carlo run of 10,000 draws is one call.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np

from detente.negotiation.median import weighted_median

CONFLICT, COMPROMISE, CAPITULATION = 1, 2, 3
KIND_NAMES = {0: None, CONFLICT: "conflict", COMPROMISE: "compromise", CAPITULATION: "capitulation"}

T_RULES = ("toward-median",)
SECURITY_SUMS = ("challengers", "own")
PERSPECTIVES = ("receiver", "each")
OFFER_RULES = ("published", "least-move", "largest-gain")
NORMALISERS = ("all-pairs", "pair")
STOP_RULES = ("settled", "median", "rounds")

_CHUNK = 1024  # draws per block: keeps the n³ vote arrays inside the CPU cache
_BLOCK_BYTES = 256 * 2**20  # and, with many actors, their n³ arrays (a few at once) inside this much memory
_TIE = 1e-9  # differences below this (as a share of the span) are rounding, not preference


@dataclass(frozen=True)
class BDMParameters:
    """The choices the published description leaves open, each with the default that reproduces Table 2.

    - `q`: Q, the probability that the target's position stays put if not
      challenged. BDM (1994) and Scholz's Table 2 use 1; 0.5 is the other
      value found in the literature.
    - `t_rule`: T, the probability that an unchallenged change would be for
      the better. "toward-median": 1 when the target is farther from the
      challenger than the median is (its drift to the median helps), else 0;
      or a fixed number in [0, 1]. Unused when q = 1.
    - `security`: whose expected utilities make an actor's danger. "challengers":
      the sum of what every rival expects from challenging it (BDM 1985); "own":
      the sum of what it expects from challenging each rival.
    - `perspective`: whose risk exponent evaluates the two sides of an offer.
      "receiver": the receiving actor judges both sides with its own r (the
      reconstruction's reading); "each": each side with its own.
    - `offer_rule`: which offer an actor takes. "published": conflicts before
      compromises before capitulations; the nearest conflict or capitulation;
      among compromises the one whose expected-utility-weighted point lies
      lowest on the scale. This is the rule that reproduces Table 2; it is not
      symmetric (reverse the scale and choices can change). "least-move": the
      offer that moves the actor least, whatever its kind (the rule the paper's
      text states). "largest-gain": the offer whose sender gains most.
    - `probability`: the normaliser of P. "all-pairs": the sum of every vote
      over every pair of positions (which reproduces Table 2 and makes P
      small); "pair": the votes cast on this pair only, so P(a beats b) +
      P(b beats a) = 1.
    - `risk_in_votes`: whether voters weigh distances with their risk exponent
      once it is known (True reproduces Table 2's later rounds more closely).
    - `stop`, `max_rounds`, `tolerance`: the paper has no stopping rule.
      "median" (default): stop when the median moved less than `tolerance` ×
      span in a round; "settled": when no actor did; "rounds": always run
      `max_rounds` (default 5: the rounds Table 2 is checked on; later
      rounds oscillate). The forecast is the median after the last round.
    """

    q: float = 1.0
    t_rule: str | float = "toward-median"
    security: str = "challengers"
    perspective: str = "receiver"
    offer_rule: str = "published"
    probability: str = "all-pairs"
    risk_in_votes: bool = True
    stop: str = "median"
    max_rounds: int = 5
    tolerance: float = 0.001

    def __post_init__(self) -> None:
        checks = [
            ("security", self.security, SECURITY_SUMS),
            ("perspective", self.perspective, PERSPECTIVES),
            ("offer_rule", self.offer_rule, OFFER_RULES),
            ("probability", self.probability, NORMALISERS),
            ("stop", self.stop, STOP_RULES),
        ]
        for name, value, allowed in checks:
            if value not in allowed:
                raise ValueError(f"{name} must be one of {', '.join(allowed)}; got {value!r}")
        if not 0 <= self.q <= 1:
            raise ValueError(f"q must be between 0 and 1, got {self.q}")
        if isinstance(self.t_rule, str):
            if self.t_rule not in T_RULES:
                raise ValueError(f"t_rule must be {T_RULES[0]!r} or a number between 0 and 1, got {self.t_rule!r}")
        elif not 0 <= float(self.t_rule) <= 1:
            raise ValueError(f"t_rule must be between 0 and 1, got {self.t_rule}")
        if self.max_rounds < 1:
            raise ValueError(f"max_rounds must be at least 1, got {self.max_rounds}")
        if self.tolerance < 0:
            raise ValueError(f"tolerance must be 0 or more, got {self.tolerance}")


@dataclass
class Move:
    """One actor's move in a round: what kind of offer it took, from whom, and where it went."""

    actor: int
    kind: str
    partner: int
    start: float
    end: float


@dataclass
class BDMRound:
    number: int  # 0 is the starting point
    positions: list[float]
    median: float
    mean: float
    risk: list[float] = field(default_factory=list)  # the risk exponents used in this round
    moves: list[Move] = field(default_factory=list)


@dataclass
class BDMRun:
    rounds: list[BDMRound]
    forecast: float
    stopped: str  # why the run ended: "settled", "median stable" or "max rounds"


# -- public entry points ---------------------------------------------------------


def bdm_rounds(positions, capabilities, saliences, params: BDMParameters | None = None) -> BDMRun:
    """Run one issue round by round and keep every round's positions, risks and moves.

    `saliences` are shares (0–1), as in the model's formulas; the callers turn
    the file's 0–100 into shares.
    """
    params = params or BDMParameters()
    x = np.asarray(positions, float)[None, :]
    c = np.asarray(capabilities, float)[None, :]
    s = np.asarray(saliences, float)[None, :]
    w = c * s
    span = _span(x)
    rounds = [BDMRound(0, x[0].tolist(), float(weighted_median(x, w)[0]), _mean(x, w)[0])]
    stopped = "max rounds"
    for number in range(1, params.max_rounds + 1):
        new_x, detail = _round(x, c, s, span, params, detail=True)
        kinds, partners, risk = detail
        moves = [
            Move(i, KIND_NAMES[int(kinds[0, i])], int(partners[0, i]), float(x[0, i]), float(new_x[0, i]))
            for i in range(x.shape[1]) if kinds[0, i]
        ]
        rounds.append(BDMRound(number, new_x[0].tolist(), float(weighted_median(new_x, w)[0]),
                               float(_mean(new_x, w)[0]), risk[0].tolist(), moves))
        done = _stopped(x, new_x, rounds[-2].median, rounds[-1].median, span, params)
        x = new_x
        if done[0]:
            stopped = "settled" if params.stop == "settled" else "median stable"
            break
    return BDMRun(rounds=rounds, forecast=rounds[-1].median, stopped=stopped)


def bdm_forecast(positions, capabilities, saliences, params: BDMParameters | None = None) -> np.ndarray:
    """The forecast (median after the last round) for a batch: arrays of shape (draws, actors)."""
    params = params or BDMParameters()
    x = np.atleast_2d(np.array(positions, dtype=float))  # a copy: the rounds move it
    c = np.broadcast_to(np.atleast_2d(np.asarray(capabilities, float)), x.shape)
    s = np.broadcast_to(np.atleast_2d(np.asarray(saliences, float)), x.shape)
    out = np.empty(x.shape[0])
    chunk = _draws_per_block(x.shape[1])
    for start in range(0, x.shape[0], chunk):
        block = slice(start, start + chunk)
        out[block] = _forecast_block(x[block], c[block], s[block], params)
    return out


def _draws_per_block(actors: int) -> int:
    """Draws computed at once: `_CHUNK`, fewer when three float arrays of actors³ per draw would pass `_BLOCK_BYTES`."""
    return max(1, min(_CHUNK, _BLOCK_BYTES // (3 * 8 * actors ** 3)))


# -- the rounds ------------------------------------------------------------------


def _forecast_block(x: np.ndarray, c: np.ndarray, s: np.ndarray, params: BDMParameters) -> np.ndarray:
    w = c * s
    span = _span(x)
    median = weighted_median(x, w)
    running = np.ones(x.shape[0], bool)
    for _ in range(params.max_rounds):
        idx = np.flatnonzero(running)
        if idx.size == 0:
            break
        new_x, _ = _round(x[idx], c[idx], s[idx], span[idx], params)
        new_median = weighted_median(new_x, w[idx])
        done = _stopped(x[idx], new_x, median[idx], new_median, span[idx], params)
        x[idx] = new_x
        median[idx] = new_median
        running[idx[done]] = False
    return median


def _stopped(old_x, new_x, old_median, new_median, span, params: BDMParameters) -> np.ndarray:
    limit = params.tolerance * span[:, 0]
    if params.stop == "settled":
        return np.abs(new_x - old_x).max(axis=-1) <= limit
    if params.stop == "median":
        return np.abs(np.asarray(new_median) - np.asarray(old_median)) <= limit
    return np.zeros(new_x.shape[0], bool)


def _round(x, c, s, span, params: BDMParameters, detail: bool = False):
    """One round for a batch (draws, actors): returns the new positions (and, on request, who did what)."""
    n = x.shape[1]
    w = c * s
    dist = np.abs(x[:, :, None] - x[:, None, :]) / span[:, :, None]  # dist[a, b], a share of the span
    differ = x[:, :, None] != x[:, None, :]
    median = weighted_median(x, w)
    to_median = np.abs(x - median[:, None]) / span  # each actor's distance to the median
    t = _t_matrix(x, median, span, params)

    p1 = _probabilities(dist, w, differ, None, params.probability)
    e1 = _expected_utility(_utilities(dist, None, params.q), p1, s, to_median, t, dist, params.q, challenger_view=True)
    risk = _risk_exponents(e1, params.security)

    p = _probabilities(dist, w, differ, risk, params.probability) if params.risk_in_votes else p1
    utilities = _utilities(dist, risk, params.q)
    # eu_self[i, j]: i challenging j; eu_rival[i, j]: j challenging i, as i's perspective sees it.
    eu_self = _expected_utility(utilities, p, s, to_median, t, dist, params.q, challenger_view=True)
    if params.perspective == "receiver":
        eu_rival = _expected_utility(utilities, p, s, to_median, t, dist, params.q, challenger_view=False)
    else:
        eu_rival = np.swapaxes(eu_self, 1, 2)

    kinds, targets = _offers(x, eu_self, eu_rival, differ)
    choice = _choose(x, kinds, targets, eu_self, eu_rival, params.offer_rule, span)
    rows = np.arange(x.shape[0])[:, None], np.arange(n)[None, :]
    chosen_kind = np.where(choice >= 0, kinds[rows[0], rows[1], np.maximum(choice, 0)], 0)
    new_x = np.where(choice >= 0, targets[rows[0], rows[1], np.maximum(choice, 0)], x)
    if not detail:
        return new_x, None
    return new_x, (chosen_kind, choice, risk)


def _span(x: np.ndarray) -> np.ndarray:
    """The spread of the starting positions: the unit of every distance in the model."""
    spread = x.max(axis=-1, keepdims=True) - x.min(axis=-1, keepdims=True)
    return np.where(spread > 0, spread, 1.0)


def _mean(x: np.ndarray, w: np.ndarray) -> np.ndarray:
    total = w.sum(axis=-1)
    return np.where(total > 0, (w * x).sum(axis=-1) / np.where(total > 0, total, 1), np.nan)


def _t_matrix(x, median, span, params: BDMParameters):
    if params.q >= 1:
        return None
    if not isinstance(params.t_rule, str):
        return float(params.t_rule)
    # T[a, b] = 1 when b is farther from a than the median is: b drifting to the median helps a.
    to_median = np.abs(x - median[:, None])[:, :, None]
    return (to_median < np.abs(x[:, :, None] - x[:, None, :]) - _TIE * span[:, :, None]).astype(float)


def _probabilities(dist, w, differ, risk, normaliser: str) -> np.ndarray:
    """P[a, b]: the chance that a's position beats b's, from everyone's weighted votes.

    `risk` None means every voter weighs distances linearly (r = 1).
    """
    u = dist if risk is None else dist ** risk[:, :, None]  # u[k, a]: voter k's distance to a
    support = _support(u, w)
    if normaliser == "pair":
        total = support + np.swapaxes(support, 1, 2)
    else:
        total = (w * _pairwise_spread(u)).sum(axis=-1)[:, None, None]
    with np.errstate(invalid="ignore", divide="ignore"):
        p = np.where(total > 0, support / np.where(total > 0, total, 1), 0.0)
    return np.where(differ, p, 0.0)


def _support(u: np.ndarray, w: np.ndarray) -> np.ndarray:
    """support[a, b] = Σ_k w_k·max(0, u[k, b] − u[k, a]): the weight of votes for a over b."""
    draws, n = w.shape
    gap = u[:, :, None, :] - u[:, :, :, None]  # gap[k, a, b] = u[k, b] − u[k, a]
    np.maximum(gap, 0, out=gap)
    return (w[:, None, :] @ gap.reshape(draws, n, n * n)).reshape(draws, n, n)


def _pairwise_spread(u: np.ndarray) -> np.ndarray:
    """Σ over ordered pairs (a, b) of |u[k, a] − u[k, b]|, for each voter k, in n log n."""
    n = u.shape[-1]
    ordered = np.sort(u, axis=-1)
    rank = 2 * np.arange(n) - n + 1
    return 2 * (ordered * rank).sum(axis=-1)


def _utilities(dist, risk, q: float):
    """What a challenge between a and b is worth to a, with row a's risk exponent (None: r = 1).

    Returns U_s − Q·U_sq (the part that does not depend on the fight),
    U_s − U_f (what winning rather than losing is worth) and r.
    """
    if risk is None:
        return 2 * dist, 4 * dist, None
    r = risk[:, :, None]
    success = 2 - 4 * (0.5 - 0.5 * dist) ** r
    failure = 2 - 4 * (0.5 + 0.5 * dist) ** r
    return success - q * (2 - 4 * 0.5 ** r), success - failure, r


def _expected_utility(utilities, p, s, to_median, t, dist, q, challenger_view: bool) -> np.ndarray:
    """Expected utility of a challenge; risk exponents taken from rows.

    challenger_view=True gives E[i, j] = i challenging j with i's r.
    challenger_view=False gives E[i, j] = j challenging i, still with i's r:
    how the receiver of an offer judges what its rival stands to gain.

    s_b·(P·U_s + (1 − P)·U_f) + (1 − s_b)·U_s − Q·U_sq is rearranged as
    (U_s − Q·U_sq) − s_b·(1 − P)·(U_s − U_f): the same number, fewer passes.
    """
    base, stake, r = utilities
    if challenger_view:
        prob, target_salience, challenger_to_median = p, s[:, None, :], to_median[:, :, None]
        t_used = t
    else:
        prob, target_salience, challenger_to_median = np.swapaxes(p, 1, 2), s[:, :, None], to_median[:, None, :]
        t_used = np.swapaxes(t, 1, 2) if isinstance(t, np.ndarray) else t
    eu = base - target_salience * (1 - prob) * stake
    if q < 1:
        shift = 0.25 * (challenger_to_median + dist)
        power = 1.0 if r is None else r
        better = 2 - 4 * np.clip(0.5 - shift, 0, None) ** power
        worse = 2 - 4 * (0.5 + shift) ** power
        eu = eu - (1 - q) * (t_used * better + (1 - t_used) * worse)
    return eu


def _risk_exponents(eu: np.ndarray, security: str) -> np.ndarray:
    """r_i from how exposed actor i's position is, relative to the most and least exposed actors."""
    n = eu.shape[1]
    off = ~np.eye(n, dtype=bool)
    if security == "challengers":
        danger = np.where(off, eu, 0).sum(axis=1)  # Σ_j E[j, i]: what rivals expect from challenging i
    else:
        danger = np.where(off, eu, 0).sum(axis=2)  # Σ_j E[i, j]: what i expects from challenging rivals
    high = danger.max(axis=-1, keepdims=True)
    low = danger.min(axis=-1, keepdims=True)
    spread = high - low
    with np.errstate(invalid="ignore", divide="ignore"):
        big_r = np.where(spread > 1e-12, (2 * danger - high - low) / np.where(spread > 1e-12, spread, 1), 0.0)
    return (1 - big_r / 3) / (1 + big_r / 3)


def _offers(x, eu_self, eu_rival, differ):
    """For receiver i and sender j: the kind of offer (0 none) and where it would move i."""
    gain, own = eu_rival, eu_self  # j's gain from pressing i; i's own expected utility of challenging j
    pressed = differ & (gain > 0)
    conflict = pressed & (own > 0) & (gain > own)
    compromise = pressed & (own < 0) & (gain > -own)
    capitulation = pressed & (own < 0) & (gain <= -own)
    kinds = np.select([conflict, compromise, capitulation], [CONFLICT, COMPROMISE, CAPITULATION], 0)
    xi, xj = x[:, :, None], x[:, None, :]
    with np.errstate(invalid="ignore", divide="ignore"):
        partway = xi + (xj - xi) * np.abs(own / np.where(gain != 0, gain, 1))
    targets = np.where(kinds == COMPROMISE, partway, xj)
    return kinds, targets


def _choose(x, kinds, targets, eu_self, eu_rival, rule: str, span) -> np.ndarray:
    """Index of the offer each actor takes, or −1 when it has none.

    Keys within a billionth of the span (or of a utility) of the best count as
    tied, and a tie goes to the sender listed first: otherwise rounding noise
    (7 × 0.1 is not 0.7) would decide between two equally near offers, and
    the same negotiation in other units could take another path.
    """
    has = kinds > 0
    move = np.abs(targets - x[:, :, None])
    unit = span[:, :, None]
    if rule == "least-move":
        key = move / unit
    elif rule == "largest-gain":
        key = -eu_rival
    else:
        # Published: conflicts first, then compromises, then capitulations.
        own, gain = np.abs(eu_self), np.abs(eu_rival)
        with np.errstate(invalid="ignore", divide="ignore"):
            weighted_point = (own * x[:, :, None] + gain * x[:, None, :]) / np.where(own + gain > 0, own + gain, 1)
        best_kind = np.where(has, kinds, 99).min(axis=-1, keepdims=True)
        has = has & (kinds == best_kind)
        key = np.where(kinds == COMPROMISE, weighted_point, move) / unit
    key = np.where(has, key, np.inf)
    best = key.min(axis=-1, keepdims=True)
    tied = has & (key <= best + _TIE)
    choice = tied.argmax(axis=-1)
    return np.where(has.any(axis=-1), choice, -1)
