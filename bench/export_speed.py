"""Export speed: each export format against the JSON contract export, on the same store in one run.

A synthetic store (documents of generated sentences, each naming a few of a
pool of actors, with one event per sentence and a stance now and then) is
filled by direct inserts, so nothing here depends on the NLP pipeline. Every
format then writes the whole store once; the table gives seconds and the
ratio to `--format json`, which reads every row of every kind and so is the
natural baseline. The networks are also timed on their own (building the
graph without writing it), since the report and the web app build them too.

    python bench/export_speed.py                  # 2,000 documents
    python bench/export_speed.py --docs 10000 --json
"""

from __future__ import annotations

import argparse
import io
import json
import random
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from sqlalchemy import insert  # noqa: E402

from detente.analysis.networks import comention_network, interaction_network  # noqa: E402
from detente.present import export as contract  # noqa: E402
from detente.present.exports.csv_tables import write_csv_tables  # noqa: E402
from detente.present.exports.graphs import write_graph  # noqa: E402
from detente.present.exports.plover import write_plover  # noqa: E402
from detente.store.database import open_engine  # noqa: E402
from detente.store.schema import actors, documents, events, mentions, stances  # noqa: E402

TYPES = ("CONSULT", "AGREE", "ACCUSE", "REJECT", "SUPPORT", "REQUEST")
VERBS = {"CONSULT": "met", "AGREE": "agreed with", "ACCUSE": "accused", "REJECT": "rebuffed",
         "SUPPORT": "praised", "REQUEST": "asked"}


def fill(engine, docs: int, actor_count: int, sentences: int, seed: int) -> dict[str, int]:
    rng = random.Random(seed)
    pool = [(f"actor-{i}", f"Person {i}") for i in range(actor_count)]
    counts = {"documents": 0, "mentions": 0, "events": 0, "stances": 0}
    with engine.begin() as conn:
        conn.execute(insert(actors), [{"id": a, "name": n, "kind": "person", "country": None, "aliases": []} for a, n in pool])
        for d in range(docs):
            doc_id, parts, mention_rows, event_rows, stance_rows = f"doc-{d:06d}", [], [], [], []
            offset = 0
            for _ in range(sentences):
                (a, an), (b, bn) = rng.sample(pool, 2)
                kind = rng.choice(TYPES)
                sentence = f"{an} {VERBS[kind]} {bn} on Monday, officials said."
                start = offset
                mention_rows += [
                    {"doc": doc_id, "actor": a, "text": an, "start": start, "end": start + len(an), "extractor": "bench/1", "confidence": 0.9},
                    {"doc": doc_id, "actor": b, "text": bn, "start": sentence.index(bn) + start,
                     "end": sentence.index(bn) + start + len(bn), "extractor": "bench/1", "confidence": 0.9},
                ]
                event_rows.append({"doc": doc_id, "start": start, "end": start + len(sentence), "type": kind, "mode": None,
                                   "actors": [a], "recipients": [b], "date": f"2015-{rng.randint(1, 12):02d}",
                                   "status": "reported", "text": sentence, "extractor": "bench/1", "confidence": 0.8})
                if rng.random() < 0.1:
                    stance_rows.append({"doc": doc_id, "start": start, "end": start + len(sentence), "actor": a, "target": b,
                                        "polarity": "oppose", "extractor": "bench/1", "confidence": 0.7})
                parts.append(sentence)
                offset += len(sentence) + 1
            text = " ".join(parts)
            conn.execute(insert(documents).values(id=doc_id, content_hash=doc_id, text=text, removed=[], reader="text",
                                                  ingested_at="2020-01-01", published="2015-06-01", outlet="Bench Post"))
            for table, rows, key in ((mentions, mention_rows, "mentions"), (events, event_rows, "events"), (stances, stance_rows, "stances")):
                if rows:
                    conn.execute(insert(table), rows)
                    counts[key] += len(rows)
            counts["documents"] += 1
    return counts


def timed(action) -> float:
    start = time.perf_counter()
    action()
    return time.perf_counter() - start


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--docs", type=int, default=2000)
    parser.add_argument("--actors", type=int, default=200)
    parser.add_argument("--sentences", type=int, default=12, help="sentences (and events) per document")
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--json", action="store_true", help="print the results as JSON")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        engine = open_engine(str(Path(tmp) / "bench.db"))
        counts = fill(engine, args.docs, args.actors, args.sentences, args.seed)
        results = {
            "json": timed(lambda: contract.write_json(engine, io.StringIO())),
            "jsonl": timed(lambda: contract.write_jsonl(engine, io.StringIO())),
            "csv": timed(lambda: write_csv_tables(engine, Path(tmp) / "csv")),
            "plover": timed(lambda: write_plover(engine, io.StringIO())),
            "interaction network (build)": timed(lambda: interaction_network(engine)),
            "comention network (build)": timed(lambda: comention_network(engine)),
            "gexf (interaction)": timed(lambda: write_graph(interaction_network(engine), "gexf", io.BytesIO())),
            "graphml (interaction)": timed(lambda: write_graph(interaction_network(engine), "graphml", io.BytesIO())),
            "gexf (comention)": timed(lambda: write_graph(comention_network(engine), "gexf", io.BytesIO())),
        }
    baseline = results["json"]
    if args.json:
        print(json.dumps({"store": counts, "seconds": results, "ratio_to_json": {k: v / baseline for k, v in results.items()}}, indent=2))
        return
    print(f"store: {counts}")
    print(f"{'export':30} {'seconds':>9} {'× json':>8}")
    for name, seconds in results.items():
        print(f"{name:30} {seconds:9.2f} {seconds / baseline:8.2f}")


if __name__ == "__main__":
    main()
