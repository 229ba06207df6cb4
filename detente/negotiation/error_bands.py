"""Empirical error bands: how far each model has missed real outcomes, measured on DEU III.

A Monte Carlo interval says how much a forecast moves when the inputs move
within the ranges the file gives; it says nothing about whether the model
itself is right. The error band answers that second question from a record:
on the 353 EU legislative issues of DEU III with a known outcome, how far
each model's forecast fell from what was decided. "Under 38 points for 80%
of issues" is a statement about the model, not about this file's numbers,
and the page shows the two side by side so neither is mistaken for the other.

The bands are computed by `bench/deu3_backtest.py --bands` from
`../shared/data/deu3.tsv` and shipped as `detente/data/deu3_error_bands.json`
with where they came from, because a user's machine has no `../shared`.
A test recomputes them when the data is present and fails if the shipped
file disagrees.
"""

from __future__ import annotations

import json
from collections.abc import Iterable
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

import numpy as np

BANDS_FILE = Path(__file__).resolve().parent.parent / "data" / "deu3_error_bands.json"
COVERAGES = (0.5, 0.8, 0.9)
SHOWN_COVERAGE = 0.8  # the same share as the Monte Carlo interval's default, so the two read alike
DECIMALS = 1


@dataclass(frozen=True)
class ErrorBand:
    """One model's record: over `issues` issues, the error (0–100 points) it stayed under for each share."""

    model: str
    issues: int
    mean_error: float
    under: dict[float, float]  # coverage (0.8) → error in points that many issues stayed under

    def points(self, coverage: float = SHOWN_COVERAGE) -> float:
        return self.under[coverage]

    def sentence(self, coverage: float = SHOWN_COVERAGE, where: str = "EU legislative issues (DEU III)") -> str:
        return (f"on {self.issues} {where} this model's error was under {self.points(coverage):g} points "
                f"for {coverage:.0%} of issues")


def band_from_errors(model: str, errors: Iterable[float], coverages: tuple[float, ...] = COVERAGES) -> ErrorBand:
    """The band of one model from its absolute errors, one per issue, rounded as shipped."""
    values = np.asarray([e for e in errors if np.isfinite(e)], float)
    if values.size == 0:
        raise ValueError(f"no finite error for model {model!r}; nothing to build a band from")
    quantiles = np.percentile(values, [c * 100 for c in coverages])
    return ErrorBand(
        model=model, issues=int(values.size), mean_error=round(float(values.mean()), DECIMALS + 1),
        under={c: round(float(q), DECIMALS) for c, q in zip(coverages, quantiles)},
    )


def bands_as_dict(bands: dict[str, ErrorBand], provenance: dict) -> dict:
    """The shipped file's content: where the numbers came from, then one entry per model."""
    return {
        **provenance,
        "coverages": list(COVERAGES),
        "models": {
            m: {"issues": b.issues, "mean_error": b.mean_error, "under": {f"{c:g}": v for c, v in b.under.items()}}
            for m, b in bands.items()
        },
    }


def bands_from_dict(data: dict) -> dict[str, ErrorBand]:
    return {
        model: ErrorBand(model=model, issues=int(entry["issues"]), mean_error=float(entry["mean_error"]),
                         under={float(c): float(v) for c, v in entry["under"].items()})
        for model, entry in data["models"].items()
    }


@lru_cache(maxsize=2)
def shipped_bands(path: Path = BANDS_FILE) -> tuple[dict[str, ErrorBand], dict]:
    """The bands in the package, and the file's provenance fields (source, settings, script)."""
    data = json.loads(Path(path).read_text(encoding="utf-8"))
    provenance = {k: v for k, v in data.items() if k not in ("models", "coverages")}
    return bands_from_dict(data), provenance
