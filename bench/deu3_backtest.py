"""Backtest of the bargaining models on DEU III (EU legislative decisions, 1999–2019).

For every issue with a recorded outcome, each model forecasts the outcome from
the actors' positions and saliences; the score is the mean absolute error on
the 0–100 scale, once with equal capabilities and once with the capability
proxy that line 2 of the file holds (GDP), and once by the Council's voting
rule ("rule"): the GDP proxy where the Council decides by qualified majority,
equal capabilities where it decides by unanimity, since there every member
state can block whatever its size (the procedure-dependent capabilities of
Thomson et al., "The European Union Decides", 2006). The published figures on this data
(see ../shared/data/README.md): compromise model about 23.0–23.6, the
Scholz/BDM expected-utility model about 26.8–28.3, the median actor about 28.4.
We print what we measure, wins or losses.

Data: Arregui & Perarnaud (2021), "A new dataset on legislative
decision-making in the European Union: the DEU III dataset",
doi:10.34810/data53, CC BY 4.0. It is read from ../shared/data/deu3.tsv and
never copied into the project.

    python bench/deu3_backtest.py [--data PATH] [--json]
    python bench/deu3_backtest.py --bands -o detente/data/deu3_error_bands.json

`--bands` writes each model's empirical error band (the error it stayed under
for 50%, 80% and 90% of issues, default settings, "rule" capabilities): the
file the negotiation page reads, shipped in the package.
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

from detente.negotiation.error_bands import BANDS_FILE, band_from_errors, bands_as_dict  # noqa: E402
from detente.negotiation.spatial import MODELS, ModelSettings, run_models  # noqa: E402

DEFAULT_DATA = ROOT.parent / "shared" / "data" / "deu3.tsv"
DEFAULT_SALIENCE = 50.0  # an actor with a position but no recorded salience
CAPABILITIES = ("equal", "gdp", "rule")
BAND_CAPABILITY = "rule"
CITATION = ("Arregui, J. & Perarnaud, C. (2021), A new dataset on legislative decision-making in the European "
            "Union: the DEU III dataset, doi:10.34810/data53, CC BY 4.0")


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
            "unanimity": row[col["counvte"]].strip('"').lower().startswith("unan"),
        })
    return actors, gdp, issues


def _number(cell: str) -> float | None:
    cell = cell.strip().strip('"')
    try:
        return float(cell)
    except ValueError:
        return None


def capabilities(issue: dict, gdp: dict[str, float], capability: str) -> np.ndarray:
    """The actors' capabilities on one issue: equal, the GDP proxy, or by the Council's voting rule."""
    if capability == "equal" or (capability == "rule" and issue["unanimity"]):
        return np.ones(len(issue["actors"]))
    return np.array([gdp.get(a) or 0.0 for a in issue["actors"]])


def issue_errors(issues: list[dict], gdp: dict[str, float], settings: ModelSettings, capability: str) -> dict[str, list[float]]:
    """Each model's absolute error on every issue where it gives a forecast."""
    errors: dict[str, list[float]] = {m: [] for m in MODELS}
    for issue in issues:
        caps = capabilities(issue, gdp, capability)
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
    return errors


def backtest(issues: list[dict], gdp: dict[str, float], settings: ModelSettings, capability: str) -> dict[str, float]:
    errors = issue_errors(issues, gdp, settings, capability)
    return {m: float(np.mean(e)) for m, e in errors.items() if e} | {"issues": len(issues)}


def error_bands(data: Path) -> dict:
    """The shipped error-band file's content, computed from DEU III at the default model settings."""
    _, gdp, issues = read_deu3(data)
    errors = issue_errors(issues, gdp, ModelSettings(), BAND_CAPABILITY)
    bands = {m: band_from_errors(m, e) for m, e in errors.items() if e}
    return bands_as_dict(bands, {
        "source": CITATION,
        "data": "deu3.tsv: issues with a recorded outcome and at least two actors with a position",
        "script": "python bench/deu3_backtest.py --bands -o detente/data/deu3_error_bands.json",
        "settings": "default model settings; capability: the GDP proxy under qualified majority, "
                    "equal under unanimity; a missing salience counts as 50",
        "measure": "absolute error of the forecast against the recorded outcome, 0–100 points",
    })


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--data", type=Path, default=DEFAULT_DATA)
    parser.add_argument("--json", action="store_true", help="print the results as JSON")
    parser.add_argument("--bands", action="store_true", help="write the error-band file instead of the table")
    parser.add_argument("-o", "--output", type=Path, default=BANDS_FILE, help="where --bands writes (default: the package's file)")
    args = parser.parse_args()
    if not args.data.exists():
        sys.exit(f"DEU III not found at {args.data}; pass --data PATH (see ../shared/data/README.md)")
    if args.bands:
        args.output.write_text(json.dumps(error_bands(args.data), indent=2, ensure_ascii=False) + "\n", encoding="utf-8")
        print(f"wrote {args.output}")
        return
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
        for capability in CAPABILITIES:
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
    print("capability: equal; gdp = line 2's GDP proxy; rule = GDP under qualified majority, equal under unanimity")
    print("published: compromise ≈ 23.0–23.6, Scholz/BDM ≈ 26.8–28.3, median actor ≈ 28.4")


if __name__ == "__main__":
    main()
