"""Disputes after adding documents: the refresh for what changed against a pass over the whole store.

A store of generated documents (`bench/large_store.py`) gets its disputes
computed once over everything; then the last few documents are made stale, as
`detente extract` leaves the documents it has just written, and refreshed. The table gives the
seconds of each and their ratio, which is what the incremental refresh saves:
it should stay small and flat as the store grows, where a whole pass grows with
the store.

    python bench/dispute_refresh.py                    # 500 and 2,000 documents, 5 added
    python bench/dispute_refresh.py --docs 500 2000 10000 --added 1
"""

from __future__ import annotations

import argparse
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from sqlalchemy import delete, select  # noqa: E402

from bench.large_store import build_store  # noqa: E402
from detente.analysis.dispute_refresh import refresh_disputes  # noqa: E402
from detente.analysis.disputes import find_all_disputes  # noqa: E402
from detente.store.database import open_engine  # noqa: E402
from detente.store.schema import dispute_coverage, documents  # noqa: E402


def measure(docs: int, added: int, folder: Path) -> dict:
    engine = open_engine(str(folder / f"disputes-{docs}.db"))
    build_store(engine, docs, index=False)
    started = time.process_time()
    refresh_disputes(engine)  # every document is stale: one pass over all
    first = time.process_time() - started
    started = time.process_time()
    find_all_disputes(engine)
    whole = time.process_time() - started
    with engine.connect() as conn:
        newest = sorted(conn.execute(select(documents.c.id)).scalars())[-added:]
    with engine.begin() as conn:
        conn.execute(delete(dispute_coverage).where(dispute_coverage.c.doc.in_(newest)))
    started = time.process_time()
    refresh_disputes(engine)
    incremental = time.process_time() - started
    engine.dispose()
    return {"docs": docs, "first": first, "whole": whole, "incremental": incremental}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--docs", type=int, nargs="+", default=[500, 2000])
    parser.add_argument("--added", type=int, default=5)
    args = parser.parse_args()
    print(f"{'documents':>10} {'first refresh':>14} {'whole pass':>11} {f'{args.added} stale':>10} {'ratio':>7}  (CPU seconds)")
    with tempfile.TemporaryDirectory() as tmp:
        for docs in args.docs:
            row = measure(docs, args.added, Path(tmp))
            ratio = row["incremental"] / row["whole"] if row["whole"] else float("nan")
            print(f"{docs:>10,} {row['first']:>14.2f} {row['whole']:>11.2f} {row['incremental']:>10.2f} {ratio:>7.3f}")


if __name__ == "__main__":
    main()
