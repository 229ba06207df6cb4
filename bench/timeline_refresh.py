"""The stored timeline after an extraction: the refresh for what changed against a merge of the whole store.

A store of generated documents (`bench/large_store.py`) gets its timeline
merged whole, as a store from before the timeline was stored gets it on
first need; then the newest documents are made stale, as `detente extract`
leaves the documents it has just rewritten, and refreshed: only the groups
their reports touch are merged again. The table gives the seconds of each
(wall and CPU), their ratio, and how the timeline splits into groups, which
bounds what one document can cost.

    python bench/timeline_refresh.py --db /tmp/detente-app-10000.db     # a copy of this store is used
    python bench/timeline_refresh.py --docs 2000 --changed 1 10
"""

from __future__ import annotations

import argparse
import os
import shutil
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from sqlalchemy import delete, func, select  # noqa: E402

from detente.analysis.timeline_refresh import METHOD_KEY, refresh_timeline  # noqa: E402
from detente.store.database import open_engine  # noqa: E402
from detente.store.schema import documents, schema_info, timeline_coverage, timeline_entries, timeline_reports  # noqa: E402


def timed(action) -> tuple[float, float]:
    wall, cpu = time.perf_counter(), time.process_time()
    action()
    return time.perf_counter() - wall, time.process_time() - cpu


def whole(engine) -> tuple[float, float]:
    with engine.begin() as conn:
        conn.execute(delete(schema_info).where(schema_info.c.key == METHOD_KEY))  # as if never merged
    return timed(lambda: refresh_timeline(engine))


def changed(engine, count: int) -> tuple[float, float]:
    with engine.connect() as conn:
        newest = sorted(conn.execute(select(documents.c.id)).scalars())[-count:]
    with engine.begin() as conn:
        conn.execute(delete(timeline_coverage).where(timeline_coverage.c.doc.in_(newest)))
    return timed(lambda: refresh_timeline(engine))


def group_sizes(engine) -> list[int]:
    with engine.connect() as conn:
        query = (select(func.count()).select_from(timeline_reports)
                 .join(timeline_entries, timeline_entries.c.id == timeline_reports.c.entry)
                 .group_by(timeline_entries.c.group_id))
        return sorted(conn.execute(query).scalars())


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--db", help="an existing store (copied first); default: --docs generated documents")
    parser.add_argument("--docs", type=int, default=2000)
    parser.add_argument("--changed", type=int, nargs="+", default=[1, 10])
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        db = str(Path(tmp) / "timeline.db")
        if args.db:
            shutil.copy(args.db, db)
            engine = open_engine(db)
        else:
            from bench.large_store import build_store

            engine = open_engine(db)
            build_store(engine, args.docs, index=False)
        with engine.connect() as conn:
            docs = conn.execute(select(func.count()).select_from(documents)).scalar_one()
        print(f"load average before: {' '.join(f'{x:.2f}' for x in os.getloadavg())}")
        wall, cpu = whole(engine)
        sizes = group_sizes(engine)
        print(f"{docs:,} documents; {len(sizes):,} groups; reports per group: median {sizes[len(sizes) // 2]:,}, "
              f"largest {sizes[-1]:,} of {sum(sizes):,}")
        print(f"{'merge':>22} {'wall s':>8} {'CPU s':>8} {'of whole':>9}")
        print(f"{'whole store':>22} {wall:>8.2f} {cpu:>8.2f} {1:>9.3f}")
        for count in args.changed:
            part_wall, part_cpu = changed(engine, count)
            print(f"{f'{count} changed document(s)':>22} {part_wall:>8.2f} {part_cpu:>8.2f} {part_wall / wall:>9.3f}")
        print(f"load average after: {' '.join(f'{x:.2f}' for x in os.getloadavg())}")
        engine.dispose()


if __name__ == "__main__":
    main()
