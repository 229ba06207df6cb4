"""The DEU III error bands shipped in the package are the ones the backtest script computes.

The shipped file is what every user sees beside a forecast ("on 353 EU issues
this model's error was under X points for 80% of issues"); if the models or the
backtest change and nobody reruns `bench/deu3_backtest.py --bands`, the page
would quote a record the models no longer have. The recomputation needs DEU III
(../shared/data/deu3.tsv), which a user's checkout lacks: then it is skipped.
"""

from __future__ import annotations

import importlib.util
from pathlib import Path

import pytest

from detente.negotiation.error_bands import (
    BANDS_FILE,
    COVERAGES,
    SHOWN_COVERAGE,
    band_from_errors,
    bands_from_dict,
    shipped_bands,
)
from detente.negotiation.spatial import MODELS

ROOT = Path(__file__).resolve().parent.parent
DEU3 = ROOT.parent / "shared" / "data" / "deu3.tsv"


def _backtest_script():
    spec = importlib.util.spec_from_file_location("deu3_backtest", ROOT / "bench" / "deu3_backtest.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_every_model_has_a_shipped_band_with_its_provenance():
    bands, provenance = shipped_bands()
    assert set(bands) == set(MODELS)
    assert "doi:10.34810/data53" in provenance["source"]
    assert "bench/deu3_backtest.py --bands" in provenance["script"]
    for band in bands.values():
        assert band.issues > 300
        under = [band.under[c] for c in COVERAGES]
        assert under == sorted(under), "a wider share of issues cannot have a smaller error"
        assert 0 <= under[0] <= 100


def test_the_band_sentence_names_the_issues_the_points_and_the_share():
    band = band_from_errors("compromise", [0, 10, 20, 30, 40, 50, 60, 70, 80, 90, 100])
    assert band.under[SHOWN_COVERAGE] == 80.0
    assert band.sentence() == "on 11 EU legislative issues (DEU III) this model's error was under 80 points for 80% of issues"


def test_non_finite_errors_are_left_out_and_an_empty_record_is_refused():
    assert band_from_errors("bdm", [1.0, float("nan"), 3.0]).issues == 2
    with pytest.raises(ValueError, match="no finite error"):
        band_from_errors("bdm", [float("nan")])


@pytest.mark.skipif(not DEU3.exists(), reason="DEU III (../shared/data/deu3.tsv) is not here")
def test_shipped_bands_agree_with_what_the_backtest_script_computes():
    computed = bands_from_dict(_backtest_script().error_bands(DEU3))
    shipped, _ = shipped_bands(BANDS_FILE)
    assert set(computed) == set(shipped)
    for model, band in computed.items():
        assert band.issues == shipped[model].issues, model
        assert band.mean_error == pytest.approx(shipped[model].mean_error, abs=0.006), model
        for coverage, points in band.under.items():
            assert points == pytest.approx(shipped[model].under[coverage], abs=0.06), (model, coverage)
    # Issue 12: the compromise model, the baseline every other model has to beat, stays at the published level.
    assert computed["compromise"].mean_error <= 23.0
