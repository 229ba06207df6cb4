"""Monte Carlo speed: 10,000 draws of the EU car-emissions case through the BDM model.

The case is Bueno de Mesquita's (1994) example as tabled by Scholz, Calbert &
Smith (2011), with ranges added around each input (positions ±1 year,
saliences ±10, capabilities ±20%) so that the draws differ. The batch runs
through `monte_carlo` — sampling included — with the BDM model only, and is
compared in this one process with a single deterministic BDM run of the same
case (the baseline). Target: under 1 s for 10,000 draws on one core (a peer
implementation needs about 4 s). Reported: best-of seconds for both, the
ratio, and the cost of one draw as a share of one deterministic run.

    python bench/montecarlo_speed.py [--draws 10000] [--repeat 3]
"""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from detente.negotiation.model import Estimate, Issue, Negotiation, NegotiationActor  # noqa: E402
from detente.negotiation.montecarlo import monte_carlo  # noqa: E402
from detente.negotiation.spatial import forecast_issue  # noqa: E402

# Scholz et al. Table 1: capability, position (years), salience.
EMISSIONS = {
    "netherlands": (0.08, 4, 80), "belgium": (0.08, 7, 40), "luxembourg": (0.03, 4, 20),
    "germany": (0.16, 4, 80), "france": (0.16, 10, 60), "italy": (0.16, 10, 60),
    "united-kingdom": (0.16, 10, 90), "ireland": (0.05, 7, 10), "denmark": (0.05, 4, 100),
    "greece": (0.08, 7, 70),
}


def emissions_case(ranges: bool) -> Negotiation:
    def spread(value: float, width: float, low: float = 0, high: float = 100) -> Estimate:
        if not ranges:
            return Estimate(likely=value)
        return Estimate(likely=value, low=max(low, value - width), high=min(high, value + width))

    actors = {a: NegotiationActor(a, a, Estimate(likely=c, low=c * 0.8, high=c * 1.2) if ranges else Estimate(likely=c))
              for a, (c, _, _) in EMISSIONS.items()}
    issue = Issue(
        id="emissions", name="Date of emission standards for medium cars", low_label="year 0", high_label="year 100",
        positions={a: spread(x, 1) for a, (_, x, _) in EMISSIONS.items()},
        saliences={a: spread(s, 10) for a, (_, _, s) in EMISSIONS.items()},
    )
    return Negotiation(name="EU car emissions (BDM 1994)", actors=actors, issues={"emissions": issue})


def best_of(repeat: int, call) -> float:
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        call()
        times.append(time.perf_counter() - start)
    return min(times)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--draws", type=int, default=10_000)
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()
    point, ranged = emissions_case(False), emissions_case(True)
    single = best_of(max(args.repeat, 20), lambda: forecast_issue(point, "emissions", models=("bdm",)))
    batch = best_of(args.repeat, lambda: monte_carlo(ranged, args.draws, seed=1, models=("bdm",)))
    summary = monte_carlo(ranged, args.draws, seed=1, models=("bdm",))["emissions"]["bdm"]
    print(f"one deterministic BDM run:      {single * 1000:8.2f} ms")
    print(f"{args.draws} Monte Carlo draws:      {batch:8.3f} s   (target < 1 s; a peer needs ~4 s)")
    print(f"ratio batch / one run:          {batch / single:8.1f}x")
    print(f"one draw as a share of one run: {batch / single / args.draws:8.4f}")
    print(f"forecast {summary.forecast:.2f}; draws: median {summary.median:.2f}, 80% interval {summary.low:.2f}–{summary.high:.2f}")


if __name__ == "__main__":
    main()
