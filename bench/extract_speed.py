"""Extraction cost as a ratio against the bare spaCy pass over the same texts.

Both passes run in this one process on the same texts (the example corpus,
repeated to reach --docs documents); each is timed --rounds times, alternating,
and the best time of each is compared. Times are this process's CPU time, so
other work on a shared machine does not distort the ratio. Target: at most 1.5x.

    python bench/extract_speed.py --docs 200
"""

from __future__ import annotations

import argparse
import json
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from detente.ingest.pipeline import ingest  # noqa: E402
from detente.nlp.extract import extract_doc  # noqa: E402
from detente.nlp.pipeline import load_model  # noqa: E402
from detente.nlp.actors.registry import ActorRegistry  # noqa: E402
from detente.store.database import open_engine  # noqa: E402
from detente.store.documents import find_document, list_documents  # noqa: E402


def corpus_texts(count: int) -> list[tuple[str, str | None]]:
    engine = open_engine(":memory:")
    ingest(engine, [str(ROOT / "examples" / "syria")])
    docs = [find_document(engine, d["id"]) for d in list_documents(engine)]
    pairs = [(d["text"], d["published"]) for d in docs]
    return [pairs[i % len(pairs)] for i in range(count)]


def bare(nlp, texts) -> float:
    start = time.process_time()
    for _ in nlp.pipe((t for t, _ in texts), batch_size=16):
        pass
    return time.process_time() - start


def full(nlp, texts, registry) -> float:
    start = time.process_time()
    for doc, published in nlp.pipe(texts, as_tuples=True, batch_size=16):
        extract_doc(doc, registry, published)
    return time.process_time() - start


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--docs", type=int, default=200)
    parser.add_argument("--rounds", type=int, default=3)
    args = parser.parse_args()
    texts = corpus_texts(args.docs)
    nlp = load_model()
    registry = ActorRegistry.load(ROOT / "examples" / "syria" / "actors.yaml")
    bare(nlp, texts[:10])  # warm-up
    bare_times, full_times = [], []
    for _ in range(args.rounds):
        bare_times.append(bare(nlp, texts))
        full_times.append(full(nlp, texts, registry))
    characters = sum(len(t) for t, _ in texts)
    print(json.dumps({
        "documents": len(texts),
        "characters": characters,
        "bare_spacy_seconds": round(min(bare_times), 3),
        "extraction_seconds": round(min(full_times), 3),
        "ratio": round(min(full_times) / min(bare_times), 3),
        "extraction_docs_per_second": round(len(texts) / min(full_times), 1),
    }))


if __name__ == "__main__":
    main()
