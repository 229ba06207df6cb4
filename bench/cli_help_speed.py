"""`detente --help` start-up: the command against a bare interpreter, as a ratio, in one run.

A loaded machine makes absolute times swing, so each command runs `--runs`
times in alternation with the baseline (`python -c pass`) and the table
gives the best time of each and the ratio of the two best times. The
target of issue 13.7 is `detente --help` under 0.2 s on a quiet machine;
the ratio shows what the command adds to interpreter start-up whatever the
load. `--against REF` also times the same commands from another checkout
(e.g. a worktree of main) for a before/after comparison.

    python bench/cli_help_speed.py
    python bench/cli_help_speed.py --runs 15 --against /work/main
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
COMMANDS = {
    "python -c pass (baseline)": ["-c", "pass"],
    "detente --help": ["-m", "detente.cli", "--help"],
    "detente events --help": ["-m", "detente.cli", "events", "--help"],
    "import detente.cli": ["-c", "import detente.cli"],
}


def best_time(args: list[str], checkout: Path, runs: int) -> float:
    env = dict(os.environ, PYTHONPATH=str(checkout))
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        subprocess.run([sys.executable, *args], env=env, cwd=checkout, stdout=subprocess.DEVNULL, check=True)
        times.append(time.perf_counter() - start)
    return min(times)


def measure(checkout: Path, runs: int) -> dict[str, float]:
    return {name: best_time(args, checkout, runs) for name, args in COMMANDS.items()}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=9)
    parser.add_argument("--against", type=Path, default=None, help="Another checkout to time the same way.")
    parser.add_argument("--json", action="store_true")
    args = parser.parse_args()
    checkouts = {"this checkout": ROOT} | ({"against": args.against} if args.against else {})
    results = {label: measure(path, args.runs) for label, path in checkouts.items()}
    if args.json:
        print(json.dumps(results, indent=2))
        return
    for label, times in results.items():
        base = times["python -c pass (baseline)"]
        print(f"{label} ({checkouts[label]}), best of {args.runs}:")
        for name, seconds in times.items():
            print(f"  {name:30} {seconds:6.3f} s   {seconds / base:5.1f}× the bare interpreter")


if __name__ == "__main__":
    main()
