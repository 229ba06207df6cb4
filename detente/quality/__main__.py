"""Print every quality score on a corpus with a gold file: `python -m detente.quality [FOLDER]`.

The folder (default examples/syria) holds the articles, `actors.yaml` and
`gold.yaml`. It is ingested and extracted into a temporary store first.
"""

from __future__ import annotations

import sys
import tempfile
from pathlib import Path

from detente.ingest.pipeline import ingest
from detente.nlp.extract import extract_store
from detente.nlp.actors.registry import ActorRegistry
from detente.quality.score import load_gold, score_store
from detente.quality.score_analysis import score_analysis
from detente.store.database import open_engine


def main(folder: Path) -> None:
    with tempfile.TemporaryDirectory() as tmp:
        engine = open_engine(str(Path(tmp) / "quality.db"))
        ingest(engine, [str(folder)])
        extract_store(engine, ActorRegistry.load(folder / "actors.yaml"))
        gold = load_gold(folder / "gold.yaml")
        report = score_analysis(engine, gold, score_store(engine, gold))
    for kind, score in sorted(report.scores.items()):
        print(f"{kind:22} P {score.precision:.3f}  R {score.recall:.3f}  F1 {score.f1:.3f}  ({score.true_positives}/{score.found}/{score.expected})")


if __name__ == "__main__":
    main(Path(sys.argv[1]) if len(sys.argv) > 1 else Path("examples/syria"))
