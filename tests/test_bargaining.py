"""The bargaining models: baselines, Nash, the Scholz reconstruction of BDM, Monte Carlo, sensitivity, levers."""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from detente.negotiation.bdm import BDMParameters, bdm_forecast, bdm_rounds
from detente.negotiation.compromise import compromise, compromise_lever
from detente.negotiation.levers import levers
from detente.negotiation.median import weighted_median
from detente.negotiation.model import Estimate, Issue, Negotiation, NegotiationActor
from detente.negotiation.montecarlo import monte_carlo, sample_triangular
from detente.negotiation.nash import nash_bargaining
from detente.negotiation.sensitivity import POINT_SPREAD, tornado
from detente.negotiation.spatial import ModelInputError, ModelSettings, forecast_issue

# Scholz, Calbert & Smith (2011), Table 1: the EU car-emissions case of BDM (1994), in years.
EMISSIONS = [  # actor, capability, position, salience
    ("netherlands", 0.08, 4, 80), ("belgium", 0.08, 7, 40), ("luxembourg", 0.03, 4, 20),
    ("germany", 0.16, 4, 80), ("france", 0.16, 10, 60), ("italy", 0.16, 10, 60),
    ("united-kingdom", 0.16, 10, 90), ("ireland", 0.05, 7, 10), ("denmark", 0.05, 4, 100),
    ("greece", 0.08, 7, 70),
]
C = np.array([row[1] for row in EMISSIONS])
X = np.array([row[2] for row in EMISSIONS], float)
S = np.array([row[3] for row in EMISSIONS]) / 100
# Their Table 2 (Q = 1), rounds 1–8.
TABLE2_MEDIAN = [8.4, 9.9, 9.9, 9.9, 9.9, 7.4, 8.8, 9.6]
TABLE2_MEAN = [7.4, 7.5, 7.6, 7.3, 7.3, 7.4, 7.5, 7.6]


@pytest.fixture(scope="module")
def emissions_run():
    return bdm_rounds(X, C, S, BDMParameters(stop="rounds", max_rounds=8))


# -- the Scholz validation ------------------------------------------------------------


def test_emissions_starting_point(emissions_run):
    start = emissions_run.rounds[0]
    assert start.mean == pytest.approx(7.39, abs=0.005)
    assert start.median == 7.0


@pytest.mark.parametrize("round_number", [1, 2, 3, 4, 5])
def test_scholz_table2_rounds_one_to_five(emissions_run, round_number):
    reached = emissions_run.rounds[round_number]
    assert reached.median == pytest.approx(TABLE2_MEDIAN[round_number - 1], abs=0.3)
    assert reached.mean == pytest.approx(TABLE2_MEAN[round_number - 1], abs=0.3)


def test_later_rounds_oscillate_as_published(emissions_run):
    # Not required by the validation, but Table 2's drop in round 6 and climb after it are reproduced.
    medians = [r.median for r in emissions_run.rounds[6:9]]
    assert medians == pytest.approx(TABLE2_MEDIAN[5:8], abs=0.3)


def test_first_round_moves_and_their_kinds(emissions_run):
    moves = {EMISSIONS[m.actor][0]: (m.kind, EMISSIONS[m.partner][0]) for m in emissions_run.rounds[1].moves}
    # Belgium compromises toward France; Luxembourg and Ireland lose conflicts.
    assert moves["belgium"] == ("compromise", "france")
    assert moves["luxembourg"][0] == moves["ireland"][0] == "conflict"
    assert 1.0 / 2 <= min(emissions_run.rounds[1].risk) and max(emissions_run.rounds[1].risk) <= 2.0


def test_batch_forecast_equals_single_runs():
    rng = np.random.default_rng(3)
    xs = X + rng.uniform(-2, 2, size=(6, X.size))
    batch = bdm_forecast(xs, C, S)
    single = [bdm_rounds(row, C, S).forecast for row in xs]
    assert batch == pytest.approx(single)
    assert bdm_forecast(xs, C, S)[0] == batch[0]  # the caller's array is not moved by the rounds


@settings(max_examples=25, deadline=None)
@given(shift=st.floats(-50, 50), stretch=st.floats(0.1, 10))
def test_bdm_does_not_depend_on_the_units_of_the_scale(shift, stretch):
    # Years or a 0–100 scale: the same negotiation, the same story.
    for params in (BDMParameters(), BDMParameters(offer_rule="least-move", probability="pair", q=0.5)):
        base = bdm_rounds(X, C, S, params)
        moved = bdm_rounds(shift + stretch * X, C, S, params)
        assert moved.forecast == pytest.approx(shift + stretch * base.forecast, rel=1e-9, abs=1e-9)
        assert len(moved.rounds) == len(base.rounds)


def test_parameters_are_checked():
    with pytest.raises(ValueError, match="offer_rule"):
        BDMParameters(offer_rule="nearest")
    with pytest.raises(ValueError, match="q must be"):
        BDMParameters(q=1.5)
    with pytest.raises(ValueError, match="t_rule"):
        BDMParameters(t_rule="sometimes")


def test_choices_change_the_run():
    # Each named ambiguity is a real switch: the alternatives give other rounds on this case.
    base = [r.median for r in bdm_rounds(X, C, S, BDMParameters(stop="rounds", max_rounds=6)).rounds]
    for change in ({"probability": "pair"}, {"offer_rule": "least-move"}, {"q": 0.5}, {"perspective": "each"}):
        other = [r.median for r in bdm_rounds(X, C, S, BDMParameters(stop="rounds", max_rounds=6, **change)).rounds]
        assert other != pytest.approx(base), change


def test_stopping_rules():
    settled = bdm_rounds([10.0, 10.0, 10.0], [1, 1, 1], [0.5, 0.5, 0.5], BDMParameters(stop="settled"))
    assert len(settled.rounds) == 2 and settled.stopped == "settled" and settled.forecast == 10.0
    fixed = bdm_rounds(X, C, S, BDMParameters(stop="rounds", max_rounds=3))
    assert len(fixed.rounds) == 4 and fixed.stopped == "max rounds"


# -- the baselines ------------------------------------------------------------------------


def test_compromise_is_the_weighted_mean():
    assert compromise(X, C, S) == pytest.approx(7.39, abs=0.005)
    assert np.isnan(compromise(X, C, np.zeros_like(S)))


@settings(max_examples=60, deadline=None)
@given(
    data=st.lists(st.tuples(st.floats(0, 100), st.floats(0.01, 10), st.floats(0.01, 1)), min_size=2, max_size=12),
    mover=st.integers(0, 11),
    distance=st.floats(-100, 100),
)
def test_compromise_lever_is_exact(data, mover, distance):
    x, c, s = (np.array(col) for col in zip(*data))
    i = mover % len(x)
    moved = x.copy()
    moved[i] += distance
    expected = compromise_lever(c, s)[i] * distance
    assert compromise(moved, c, s) - compromise(x, c, s) == pytest.approx(expected, abs=1e-7)


@settings(max_examples=80, deadline=None)
@given(st.lists(st.tuples(st.integers(0, 100), st.integers(1, 20)), min_size=1, max_size=15))
def test_weighted_median_is_a_condorcet_winner(data):
    x, w = (np.array(col, float) for col in zip(*data))
    median = weighted_median(x, w)
    for rival in x:
        prefer_median = w[np.abs(x - median) < np.abs(x - rival)].sum()
        prefer_rival = w[np.abs(x - rival) < np.abs(x - median)].sum()
        assert prefer_median >= prefer_rival
    assert weighted_median(100 - x, w) == pytest.approx(100 - median)


def test_median_of_exact_split_is_the_midpoint():
    assert weighted_median(np.array([20.0, 60.0]), np.array([1.0, 1.0])) == 40.0


# -- Nash ---------------------------------------------------------------------------------------


def test_nash_weights_by_capability():
    # Gains 100 − x and x; maximising (100 − x)^1 · x^3 gives x = 75.
    assert nash_bargaining(np.array([0.0, 100.0]), np.array([1.0, 3.0])) == pytest.approx(75, abs=1e-6)
    assert nash_bargaining(np.array([30.0, 70.0]), np.array([2.0, 2.0])) == pytest.approx(50, abs=1e-6)


def test_nash_keeps_the_status_quo_when_it_divides_the_actors():
    x, c = np.array([20.0, 80.0]), np.array([1.0, 1.0])
    assert nash_bargaining(x, c, disagreement=50.0) == pytest.approx(50)
    # When everyone is on one side of the status quo, every one of them gains by moving.
    one_side = nash_bargaining(np.array([60.0, 90.0]), c, disagreement=0.0)
    assert 60 <= one_side <= 90


@settings(max_examples=50, deadline=None)
@given(st.lists(st.tuples(st.floats(0, 100), st.floats(0.1, 10)), min_size=2, max_size=8))
def test_nash_stays_between_the_actors_and_mirrors(data):
    x, c = (np.array(col) for col in zip(*data))
    point = nash_bargaining(x, c)
    assert x.min() - 1e-6 <= point <= x.max() + 1e-6
    assert nash_bargaining(100 - x, c) == pytest.approx(100 - point, abs=1e-6)


# -- through a Negotiation: forecasts, Monte Carlo, sensitivity, levers ----------------------------


def emissions_negotiation(ranges: bool = False) -> Negotiation:
    def est(value, width):
        return Estimate(likely=value, low=max(0, value - width), high=min(100, value + width)) if ranges else Estimate(value)

    actors = {a: NegotiationActor(a, a, Estimate(c * 100)) for a, c, _, _ in EMISSIONS}
    issue = Issue("emissions", "Emission standards", "year 0", "year 100",
                  positions={a: est(x, 1) for a, _, x, _ in EMISSIONS},
                  saliences={a: est(s, 10) for a, _, _, s in EMISSIONS})
    other = Issue("other", "Another issue", "no", "yes",
                  positions={"france": Estimate(20), "germany": Estimate(70, 60, 80)},
                  saliences={"france": Estimate(50), "germany": Estimate(50)})
    return Negotiation("emissions", actors, {"emissions": issue, "other": other})


def test_forecast_issue_runs_every_model():
    result = forecast_issue(emissions_negotiation(), "emissions")
    assert set(result) == {"compromise", "median", "nash", "bdm"}
    assert result["compromise"] == pytest.approx(7.39, abs=0.005)
    assert result["median"] == 7.0
    assert result["bdm"] == pytest.approx(bdm_rounds(X, C, S).forecast)
    with pytest.raises(ModelInputError, match="no issue"):
        forecast_issue(emissions_negotiation(), "nope")
    with pytest.raises(ModelInputError, match="status_quo"):
        forecast_issue(emissions_negotiation(), "emissions", ModelSettings(disagreement="status-quo"))


def test_monte_carlo_is_seeded_and_brackets_its_median():
    negotiation = emissions_negotiation(ranges=True)
    first = monte_carlo(negotiation, draws=400, seed=7)
    again = monte_carlo(negotiation, draws=400, seed=7)
    other = monte_carlo(negotiation, draws=400, seed=8)
    assert first == again
    assert first["emissions"]["compromise"] != other["emissions"]["compromise"]
    for summary in first["emissions"].values():
        assert summary.low <= summary.median <= summary.high


def test_monte_carlo_without_ranges_is_the_point_forecast():
    point = monte_carlo(emissions_negotiation(), draws=50, seed=1)["emissions"]
    for summary in point.values():
        assert summary.low == pytest.approx(summary.forecast) and summary.high == pytest.approx(summary.forecast)


def test_one_issue_alone_gives_the_same_draws_as_in_the_whole_file():
    negotiation = emissions_negotiation(ranges=True)
    whole = monte_carlo(negotiation, draws=200, seed=3)
    alone = monte_carlo(negotiation, draws=200, seed=3, issues=["other"])
    assert alone["other"] == whole["other"] and "emissions" not in alone


def test_triangular_draws_stay_in_range_and_centre_on_the_mode():
    estimates = [Estimate(30, 10, 90), Estimate(5)]
    draws = sample_triangular(estimates, np.random.default_rng(0).random((20000, 2)))
    assert draws[:, 0].min() >= 10 and draws[:, 0].max() <= 90
    assert draws[:, 0].mean() == pytest.approx((10 + 30 + 90) / 3, abs=0.5)
    assert (draws[:, 1] == 5).all()


def test_tornado_compromise_swing_is_the_lever_times_the_range():
    negotiation = emissions_negotiation(ranges=True)
    swings = [s for s in tornado(negotiation, "emissions", models=("compromise",)) if s.field == "position"]
    shares = dict(zip([a for a, *_ in EMISSIONS], compromise_lever(C, S)))
    for swing in swings:
        assert swing.swing == pytest.approx(shares[swing.actor] * (swing.high - swing.low), abs=1e-9)
        assert not swing.assumed
    ordered = [s.swing for s in swings]
    assert ordered == sorted(ordered, reverse=True)


def test_tornado_assumes_a_spread_for_point_values():
    swings = tornado(emissions_negotiation(), "emissions", models=("compromise",))
    position = next(s for s in swings if s.field == "position" and s.actor == "france")
    assert position.assumed and position.high - position.low == pytest.approx(2 * POINT_SPREAD)


def test_compromise_levers_follow_the_exact_formula_and_come_sorted():
    negotiation = emissions_negotiation()
    found = levers(negotiation, "france", models=("compromise",), steps=(1, 3), issues=["emissions"])
    shares = dict(zip([a for a, *_ in EMISSIONS], compromise_lever(C, S)))
    assert found and all(lever.mover != "france" for lever in found)
    for lever in found:
        assert lever.after - lever.before == pytest.approx(shares[lever.mover] * (lever.end - lever.start))
        assert lever.per_point == pytest.approx(shares[lever.mover])
    gains = [lever.gain for lever in found]
    assert gains == sorted(gains, reverse=True)
    best = found[0]
    assert best.mover == "germany" and best.end == 10  # the heaviest actor, moved all the way to France


def test_levers_for_an_unknown_actor_or_one_without_positions():
    negotiation = emissions_negotiation()
    with pytest.raises(ModelInputError, match="no actor"):
        levers(negotiation, "spain")
    with pytest.raises(ModelInputError, match="takes no position"):
        levers(negotiation, "italy", issues=["other"])
