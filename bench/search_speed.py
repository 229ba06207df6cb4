"""Search speed: queries, and what keeping the index current costs, on a synthetic store.

A store of generated documents (sentences of a fixed vocabulary and a pool
of place names) and one quote per document is filled by direct inserts, so
nothing here depends on the NLP pipeline. It reports, in seconds:

- `fill`: inserting every row (with the database keeping the index current);
- `rebuild`: one full rebuild of the index, what every `detente extract`
  paid before the index kept itself current;
- `add_one`: adding one more document and quote (the index follows at once);
- `query`: the median of a set of queries, each one page of 20 hits with snippets.

The same script runs on an older detente (it only uses `refresh_search_index`
and `search`), so the ratios before/after come from two runs on one machine:

    python bench/search_speed.py                       # 3,000 documents on SQLite
    python bench/search_speed.py --db postgresql+psycopg://USER@HOST/DB --docs 3000
"""

from __future__ import annotations

import argparse
import json
import random
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from sqlalchemy import insert  # noqa: E402

from detente.store.database import open_engine  # noqa: E402
from detente.store.schema import documents, quotes  # noqa: E402
from detente.store.search import refresh_search_index, search  # noqa: E402

WORDS = ("talks ceasefire envoy delegation council truce corridor agreement proposal withdrawal monitors "
         "offensive besieged convoy round meeting government opposition rebels minister statement "
         "transition sanctions guarantee prisoners exchange frontline observers mandate resolution").split()
PLACES = ["Aldermoor", "Brightwater", "Caldera", "Dunmore", "Eastfold", "Fairhaven", "Glenrock", "Highmarsh",
          "Ironvale", "Juniper", "Kestrel", "Lowmead"]
QUERIES = ["ceasefire", "truce corridor", '"prisoners exchange"', "Caldera envoy", "sanct*", "Juniper monitors",
           "withdrawal guarantee mandate", "nonexistentword"]


def sentence(draw: random.Random) -> str:
    words = [draw.choice(WORDS) for _ in range(draw.randint(8, 16))]
    words.insert(draw.randrange(len(words)), draw.choice(PLACES))
    return " ".join(words).capitalize() + "."


def fill(engine, count: int, start: int = 0) -> None:
    draw = random.Random(start + 1)
    docs, said = [], []
    for i in range(start, start + count):
        doc = f"{i:016x}"
        text = " ".join(sentence(draw) for _ in range(20))
        docs.append({"id": doc, "content_hash": doc, "text": text, "removed": [], "reader": "text",
                     "ingested_at": "2020-01-01", "published": f"2015-{1 + i % 12:02}-{1 + i % 28:02}",
                     "title": sentence(draw)[:60]})
        said.append({"doc": doc, "start": 0, "end": 40, "extractor": "core/3", "confidence": 0.9,
                     "content": sentence(draw), "kind": "direct", "speaker_text": draw.choice(PLACES) + " envoy"})
    with engine.begin() as conn:
        conn.execute(insert(documents), docs)
        conn.execute(insert(quotes), said)


def seconds(action) -> float:
    began = time.perf_counter()
    action()
    return time.perf_counter() - began


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--docs", type=int, default=3000)
    parser.add_argument("--db", help="store URL (default: a new SQLite file)")
    parser.add_argument("--json", action="store_true")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as folder:
        engine = open_engine(args.db or str(Path(folder) / "search.db"))
        figures = {"docs": args.docs, "dialect": engine.dialect.name}
        figures["fill"] = seconds(lambda: fill(engine, args.docs))
        figures["rebuild"] = seconds(lambda: refresh_search_index(engine))
        figures["add_one"] = seconds(lambda: fill(engine, 1, start=args.docs))
        # An older detente needs its index rebuilt after the addition before it is searched with it.
        refresh_search_index(engine)
        times, totals = [], {}
        with engine.connect() as conn:
            for _round in range(3):
                for query in QUERIES:
                    began = time.perf_counter()
                    found = search(conn, query, limit=20)
                    times.append(time.perf_counter() - began)
                    totals[query] = found.total
        figures["query"] = statistics.median(times)
        figures["totals"] = totals
        engine.dispose()
    if args.json:
        print(json.dumps(figures))
        return
    for name in ("fill", "rebuild", "add_one", "query"):
        print(f"{name:8} {figures[name]:9.4f} s")
    print("hits:", ", ".join(f"{q} {n}" for q, n in totals.items()))


if __name__ == "__main__":
    main()
