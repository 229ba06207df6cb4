"""Backtest of the bargaining models on DEU III (EU legislative decisions, 1999–2019).

For every issue with a recorded outcome, each model forecasts the outcome from
the actors' positions and saliences; the score is the mean absolute error on
the 0–100 scale, once with equal capabilities and once with the capability
proxy that line 2 of the file holds (GDP). The published figures on this data
(see ../shared/data/README.md): compromise model about 23.0–23.6, the
Scholz/BDM expected-utility model about 26.8–28.3, the median actor about 28.4.
We print what we measure, wins or losses.

Data: Arregui & Perarnaud (2021), "A new dataset on legislative
decision-making in the European Union: the DEU III dataset",
doi:10.34810/data53, CC BY 4.0. It is read from ../shared/data/deu3.tsv and
never copied into the project.

    python bench/deu3_backtest.py [--data PATH] [--json]
"""

from __future__ import annotations

import argparse
import csv
import json
import sys
import time
from dataclasses import replace
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from detente.negotiation.spatial import MODELS, ModelSettings, run_models  # noqa: E402

DEFAULT_DATA = ROOT.parent / "shared" / "data" / "deu3.tsv"
DEFAULT_SALIENCE = 50.0  # an actor with a position but no recorded salience


def read_deu3(path: Path) -> tuple[list[str], dict[str, float], list[dict]]:
    """Actors, their GDP proxy, and one dict per issue: positions, saliences, reference point, outcome."""
    with path.open(encoding="utf-8", newline="") as handle:
        rows = list(csv.reader(handle, delimiter="\t"))
    header, gdp_row, issue_rows = rows[0], rows[1], rows[2:]
    actors = [h[1:] for h in header if h.startswith("p") and "s" + h[1:] in header and h not in ("prname", "prnr", "proc", "proccde")]
    col = {h: i for i, h in enumerate(header)}
    gdp = {a: _number(gdp_row[col["p" + a]]) for a in actors}
    issues = []
    for row in issue_rows:
        outcome = _number(row[col["out"]])
        if outcome is None:
            continue
        members, positions, saliences = [], [], []
        for actor in actors:
            position = _number(row[col["p" + actor]])
            if position is None:
                continue
            salience = _number(row[col["s" + actor]])
            members.append(actor)
            positions.append(position)
            saliences.append(DEFAULT_SALIENCE if salience is None else salience)
        if len(members) < 2:
            continue
        issues.append({
            "id": row[col["isnr"]], "actors": members, "positions": np.array(positions),
            "saliences": np.array(saliences), "reference": _number(row[col["rp"]]), "outcome": outcome,
        })
    return actors, gdp, issues


def _number(cell: str) -> float | None:
    cell = cell.strip().strip('"')
    try:
        return float(cell)
    except ValueError:
        return None


def backtest(issues: list[dict], gdp: dict[str, float], settings: ModelSettings, capability: str) -> dict[str, float]:
    errors: dict[str, list[float]] = {m: [] for m in MODELS}
    for issue in issues:
        if capability == "equal":
            caps = np.ones(len(issue["actors"]))
        else:
            caps = np.array([gdp.get(a) or 0.0 for a in issue["actors"]])
        disagreement = settings.disagreement
        if disagreement == "status-quo":
            if issue["reference"] is None:
                disagreement = "worst"
            else:
                disagreement = issue["reference"]
        results = run_models(issue["positions"], caps, issue["saliences"], disagreement, settings)
        for model, value in results.items():
            if np.isfinite(value[0]):
                errors[model].append(abs(value[0] - issue["outcome"]))
    return {m: float(np.mean(e)) for m, e in errors.items() if e} | {"issues": len(issues)}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--data", type=Path, default=DEFAULT_DATA)
    parser.add_argument("--json", action="store_true", help="print the results as JSON")
    args = parser.parse_args()
    if not args.data.exists():
        sys.exit(f"DEU III not found at {args.data}; pass --data PATH (see ../shared/data/README.md)")
    _, gdp, issues = read_deu3(args.data)
    base = ModelSettings()
    variants = {
        "defaults": base,
        "nash at the reference point": replace(base, disagreement="status-quo"),
        "bdm stop=rounds, 1 round": replace(base, bdm=replace(base.bdm, stop="rounds", max_rounds=1)),
        "bdm stop=rounds, 10 rounds": replace(base, bdm=replace(base.bdm, stop="rounds", max_rounds=10)),
        "bdm stop=settled, 10 rounds": replace(base, bdm=replace(base.bdm, stop="settled", max_rounds=10)),
        "bdm offer_rule=least-move": replace(base, bdm=replace(base.bdm, offer_rule="least-move")),
        "bdm probability=pair": replace(base, bdm=replace(base.bdm, probability="pair")),
        "bdm pair + least-move": replace(base, bdm=replace(base.bdm, probability="pair", offer_rule="least-move")),
        "bdm q=0.5": replace(base, bdm=replace(base.bdm, q=0.5)),
    }
    results = []
    for name, settings in variants.items():
        for capability in ("equal", "gdp"):
            start = time.perf_counter()
            scores = backtest(issues, gdp, settings, capability)
            results.append({"variant": name, "capability": capability, **scores, "seconds": round(time.perf_counter() - start, 2)})
    if args.json:
        print(json.dumps(results, indent=2))
        return
    print(f"DEU III: {results[0]['issues']} issues with an outcome; mean absolute error on the 0–100 scale")
    print(f"{'variant':32} {'capability':10} " + " ".join(f"{m:>10}" for m in MODELS) + f" {'seconds':>8}")
    for row in results:
        cells = " ".join(f"{row.get(m, float('nan')):10.2f}" for m in MODELS)
        print(f"{row['variant']:32} {row['capability']:10} {cells} {row['seconds']:8.2f}")
    print("published: compromise ≈ 23.0–23.6, Scholz/BDM ≈ 26.8–28.3, median actor ≈ 28.4")


if __name__ == "__main__":
    main()
