"""Voting power speed: our exact indices against the PyPI packages `powerindex` and `power-bdd`.

The same seeded weighted games (random integer weights, quota a simple
majority of the total weight) go to every implementation in one run. Each
peer runs in its own process with a time limit and a memory cap, because on
large games they can take hours or exhaust memory; a peer that is not
installed is skipped, and says so. For each game and index the table gives
the time of each implementation, the peer's time as a multiple of ours, and
the largest difference between its values and ours (normalised Banzhaf, and
Shapley–Shubik). Target: exact results, faster than both peers.

    python bench/power_speed.py                       # 50, 200 and 1,000 members, weights 1–100
    python bench/power_speed.py --sizes 50 200 --max-weight 20 --timeout 60

Peers: `pip install powerindex power-bdd` (into the same environment).
"""

from __future__ import annotations

import argparse
import importlib.util
import json
import subprocess
import sys
import time
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from detente.negotiation.power_exact import exact_power  # noqa: E402
from detente.negotiation.power_game import weighted_game  # noqa: E402

PEERS = {"powerindex": "powerindex", "power-bdd": "power_bdd"}
INDICES = ("banzhaf", "shapley_shubik")


def make_game(n: int, max_weight: int, seed: int) -> tuple[list[int], int]:
    rng = np.random.default_rng(seed + n)
    weights = [int(w) for w in rng.integers(1, max_weight + 1, size=n)]
    return weights, sum(weights) // 2 + 1


def ours(weights: list[int], quota: int, index: str) -> tuple[float, list[float]]:
    game = weighted_game(weights, quota)
    start = time.perf_counter()
    if index == "banzhaf":
        raw = exact_power(game, shapley_shubik=False).banzhaf_raw
        values = raw / raw.sum()
    else:
        values = exact_power(game).shapley_shubik
    return time.perf_counter() - start, [float(v) for v in values]


# -- peers, each in a child process ---------------------------------------------------------


def worker(peer: str, index: str) -> None:
    """Run one peer on the game read from stdin; print its time and normalised values as JSON."""
    sys.setrecursionlimit(1_000_000)  # power-bdd recurses once per member
    game = json.load(sys.stdin)
    out = sys.stdout
    sys.stdout = sys.stderr  # power-bdd prints progress; keep stdout for the result
    weights, quota = game["weights"], game["quota"]
    start = time.perf_counter()
    if peer == "powerindex":
        import powerindex

        g = powerindex.Game(quota, list(weights))
        if index == "banzhaf":
            g.calc_banzhaf()
            values = g.banzhaf
        else:
            g.calc_shapley_shubik()
            values = g.shapley_shubik
    else:
        from power_bdd.bdd import BDD, WeightedGame

        bdd = BDD(WeightedGame(quota, list(weights)))
        values = bdd.calc_banzhaf() if index == "banzhaf" else bdd.calc_shapley()
    elapsed = time.perf_counter() - start
    values = [float(v) for v in values]
    if index == "banzhaf":  # power-bdd gives raw Banzhaf; compare shares
        total = sum(values)
        values = [v / total for v in values]
    json.dump({"seconds": elapsed, "values": values}, out)


def run_peer(peer: str, index: str, weights: list[int], quota: int, timeout: float, memory_gb: float) -> dict:
    def limit_memory() -> None:
        import resource

        cap = int(memory_gb * 2**30)
        resource.setrlimit(resource.RLIMIT_AS, (cap, cap))

    try:
        done = subprocess.run(
            [sys.executable, __file__, "--worker", peer, index],
            input=json.dumps({"weights": weights, "quota": quota}),
            capture_output=True, text=True, timeout=timeout, preexec_fn=limit_memory,
        )
    except subprocess.TimeoutExpired:
        return {"status": f"not finished in {timeout:g} s"}
    if done.returncode != 0:
        tail = (done.stderr.strip().splitlines() or ["?"])[-1]
        reason = "out of memory" if "MemoryError" in done.stderr else tail[:60]
        return {"status": f"failed: {reason}"}
    return {"status": "ok", **json.loads(done.stdout)}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--sizes", type=int, nargs="+", default=[50, 200, 1000])
    parser.add_argument("--max-weight", type=int, default=100)
    parser.add_argument("--seed", type=int, default=2024)
    parser.add_argument("--rounds", type=int, default=3, help="our timing is the best of this many runs")
    parser.add_argument("--timeout", type=float, default=300.0, help="seconds a peer may take per game and index")
    parser.add_argument("--memory-gb", type=float, default=8.0, help="memory cap for a peer's process")
    parser.add_argument("--worker", nargs=2, metavar=("PEER", "INDEX"), help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.worker:
        worker(*args.worker)
        return

    peers = []
    for label, module in PEERS.items():
        if importlib.util.find_spec(module) is None:
            print(f"{label}: not installed, skipped (pip install {label})")
        else:
            peers.append(label)

    header = f"{'members':>7} {'index':<15} {'ours s':>9}"
    for peer in peers:
        header += f" | {peer + ' s':>16} {'ratio':>8} {'max |diff|':>10}"
    print(f"weights uniform 1–{args.max_weight}, quota: a majority of the total; seed {args.seed}")
    print(header)
    print("-" * len(header))
    for n in args.sizes:
        weights, quota = make_game(n, args.max_weight, args.seed)
        for index in INDICES:
            runs = [ours(weights, quota, index) for _ in range(args.rounds)]
            our_time, our_values = min(r[0] for r in runs), runs[0][1]
            line = f"{n:>7} {index:<15} {our_time:>9.4f}"
            for peer in peers:
                result = run_peer(peer, index, weights, quota, args.timeout, args.memory_gb)
                if result["status"] != "ok":
                    line += f" | {result['status']:>37}"
                    continue
                diff = float(np.max(np.abs(np.array(result["values"]) - np.array(our_values))))
                line += f" | {result['seconds']:>16.3f} {result['seconds'] / our_time:>7.0f}x {diff:>10.1e}"
            print(line, flush=True)


if __name__ == "__main__":
    main()
