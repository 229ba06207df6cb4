"""The quality gate: every stage scored on our gold set against floors that only go up.

Floors live in `tests/quality_floors.yaml`. Raise a floor when a change
improves a score; lowering one is refused by `test_floors_never_go_down`
(compared with every committed version of the floors file).
"""

from __future__ import annotations

import subprocess
from pathlib import Path

import pytest
import yaml

from detente.ingest.pipeline import ingest
from detente.nlp.extract import extract_store
from detente.nlp.actors.registry import ActorRegistry
from detente.quality.score import load_gold, score_store
from detente.quality.score_analysis import score_analysis
from detente.store.database import open_engine

from conftest import EXAMPLES, ROOT

FLOORS_FILE = Path(__file__).with_name("quality_floors.yaml")
FLOORS = yaml.safe_load(FLOORS_FILE.read_text())
# Floors on development data none of us wrote live in the same file; test_devsets_gate.py checks them.
DEVSETS = ("realnews.", "polnear.", "event_model.", "event_sentences.", "seeds.")
OWN_FLOORS = {kind: measures for kind, measures in FLOORS.items() if not kind.startswith(DEVSETS)}


@pytest.fixture(scope="module")
def report(tmp_path_factory):
    engine = open_engine(str(tmp_path_factory.mktemp("gate") / "gate.db"))
    ingest(engine, [str(EXAMPLES)])
    extract_store(engine, ActorRegistry.load(EXAMPLES / "actors.yaml"))
    gold = load_gold(EXAMPLES / "gold.yaml")
    result = score_analysis(engine, gold, score_store(engine, gold))
    for kind, score in sorted(result.scores.items()):
        print(f"{kind:22} {score.as_dict()}")
    return result


@pytest.mark.parametrize("kind,measure", [(k, m) for k, ms in OWN_FLOORS.items() for m in ms])
def test_score_stays_above_floor(report, kind, measure):
    value = getattr(report.scores[kind], measure)
    misses = "\n".join(report.misses.get(kind, [])[:15])
    assert value >= FLOORS[kind][measure], f"{kind} {measure} {value:.3f} < floor {FLOORS[kind][measure]}\n{misses}"


def _floor_history() -> list[dict]:
    """Every committed version of the floors file, newest first ([] outside a git checkout)."""
    path = str(FLOORS_FILE.relative_to(ROOT))
    try:
        log = subprocess.run(["git", "log", "--format=%H", "--", path], cwd=ROOT, capture_output=True, text=True, check=True)
        return [
            yaml.safe_load(subprocess.run(["git", "show", f"{commit}:{path}"], cwd=ROOT, capture_output=True, text=True, check=True).stdout)
            for commit in log.stdout.split()
        ]
    except (OSError, subprocess.CalledProcessError):
        return []


def test_floors_never_go_down():
    history = [FLOORS, *_floor_history()]
    if len(history) < 2:
        pytest.skip("no earlier floors file in git history")
    for newer, older in zip(history, history[1:]):
        for kind, measures in older.items():
            for measure, floor in measures.items():
                assert newer.get(kind, {}).get(measure, -1) >= floor, f"floor {kind}.{measure} was lowered from {floor}"
