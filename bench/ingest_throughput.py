"""Ingest throughput, slow-down as the store grows, and peak memory as the corpus grows.

Each size runs in a fresh process so peak memory (ru_maxrss) belongs to that
run alone (the main process and, separately, its largest worker). Reported
per size: documents per second, the time of the last thousand documents over
the first thousand (1.0 = no slow-down as the store grows), the same for the
CPU time of the main process alone (the one that writes the store, where a
growing store would show; a loaded machine distorts it less), CPU milliseconds
per document (main process and workers: the figure a loaded machine does not
distort), the cost against reading and decoding the same files, and peak
memory. `--batches` ingests generated batches one after another into one
store and reports each batch's rate and the last over the first. `--rerun`
ingests each corpus a second time into its store, as a user re-running
`detente ingest` on a folder does, and reports that run's seconds and CPU
milliseconds per file (every file is found stored).

    python bench/ingest_throughput.py --sizes 1000 10000
    python bench/ingest_throughput.py --sizes 10000 --rerun --no-baseline
    python bench/ingest_throughput.py --sizes 100000 --no-baseline
    python bench/ingest_throughput.py --batches 2000 2000
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tempfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).parent))
from generate_corpus import write_corpus  # noqa: E402

CHILD = """
import json, os, resource, sys, time
from pathlib import Path
mode, db, processes, *folders = sys.argv[1:]
if mode == "ingest":
    from detente.ingest.pipeline import ingest
    from detente.store.database import open_engine
    engine = open_engine(db)
runs = []
for folder in folders:
    before = resource.getrusage(resource.RUSAGE_SELF), resource.getrusage(resource.RUSAGE_CHILDREN)
    stamps, cpu_stamps = [], []
    start = time.perf_counter()
    if mode == "ingest":
        tick = lambda uri: stamps.append(time.perf_counter()) or cpu_stamps.append(time.process_time())
        chosen = {"processes": int(processes)} if int(processes) else {}  # 0: ingest's default
        report = ingest(engine, [folder], on_item=tick, **chosen)
        count, duplicates, stored = report.added, len(report.duplicates), report.already_stored
    else:
        from detente.ingest.decode import decode_bytes
        count = sum(1 for p in sorted(Path(folder).iterdir()) if decode_bytes(p.read_bytes()))
        duplicates = stored = 0
    elapsed = time.perf_counter() - start
    after = resource.getrusage(resource.RUSAGE_SELF), resource.getrusage(resource.RUSAGE_CHILDREN)
    cpu = sum(a.ru_utime + a.ru_stime - b.ru_utime - b.ru_stime for a, b in zip(after, before))
    thousand = max(0, min(1000, (len(stamps) - 1) // 2))  # from the first document written: pass 1 is before it
    first = stamps[thousand] - stamps[0] if thousand else None
    last = stamps[-1] - stamps[-thousand - 1] if thousand else None
    first_cpu = cpu_stamps[thousand] - cpu_stamps[0] if thousand else None
    last_cpu = cpu_stamps[-1] - cpu_stamps[-thousand - 1] if thousand else None
    runs.append({
        "docs": count, "duplicates": duplicates, "already_stored": stored, "seconds": elapsed, "cpu_seconds": cpu,
        "last_over_first_thousand": round(last / first, 2) if thousand else None,
        "main_cpu_last_over_first_thousand": round(last_cpu / first_cpu, 2) if thousand and first_cpu else None,
        "peak_mib_main": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024,
        "peak_mib_worker": resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024,
    })
print(json.dumps(runs))
"""


def run(mode: str, folders: list[Path], db: Path, processes: int) -> list[dict]:
    command = [sys.executable, "-c", CHILD, mode, str(db), str(processes), *map(str, folders)]
    out = subprocess.run(command, check=True, capture_output=True, text=True)
    return json.loads(out.stdout.strip().splitlines()[-1])


def summary(measured: dict, baseline: dict | None, load: float) -> dict:
    docs = max(measured["docs"], 1)
    return {
        "documents": measured["docs"],
        "duplicates": measured["duplicates"],
        "docs_per_second": round(measured["docs"] / measured["seconds"], 1),
        "cpu_ms_per_doc": round(1000 * measured["cpu_seconds"] / docs, 2),
        "last_over_first_thousand": measured["last_over_first_thousand"],
        "main_cpu_last_over_first_thousand": measured["main_cpu_last_over_first_thousand"],
        "cost_vs_plain_read": round(measured["seconds"] / baseline["seconds"], 1) if baseline else None,
        "peak_mib_main": round(measured["peak_mib_main"], 1),
        "peak_mib_worker": round(measured["peak_mib_worker"], 1),
        "load_average_1min": round(load, 2),
    }


def rerun_summary(measured: dict) -> dict:
    files = max(measured["already_stored"], 1)
    return {
        "rerun_found_stored": measured["already_stored"],
        "rerun_added": measured["docs"],
        "rerun_seconds": round(measured["seconds"], 2),
        "rerun_cpu_ms_per_file": round(1000 * measured["cpu_seconds"] / files, 2),
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--sizes", type=int, nargs="+", default=[1000, 5000, 10000])
    parser.add_argument("--batches", type=int, nargs="+", help="ingest batches of these sizes into one store")
    parser.add_argument("--processes", type=int, default=0, help="worker processes (0: ingest's default)")
    parser.add_argument("--no-baseline", action="store_true", help="skip the plain-read baseline")
    parser.add_argument("--rerun", action="store_true", help="ingest each corpus again into its store and time that")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        if args.batches:
            folders = [write_corpus(Path(tmp) / f"batch-{n}", size, seed=7 + n) for n, size in enumerate(args.batches)]
            runs = run("ingest", folders, Path(tmp) / "store.db", args.processes)
            rows = [summary(r, None, os.getloadavg()[0]) for r in runs]
            for row in rows:
                print(json.dumps(row), flush=True)
            print(json.dumps({"last_batch_time_per_doc_over_first": round(rows[0]["docs_per_second"] / rows[-1]["docs_per_second"], 2)}))
            return
        results = []
        for size in args.sizes:
            folder = write_corpus(Path(tmp) / f"corpus-{size}", size)
            baseline = None if args.no_baseline else run("read", [folder], Path(tmp) / "unused.db", 1)[0]
            measured, *again = run("ingest", [folder] * (2 if args.rerun else 1), Path(tmp) / f"store-{size}.db", args.processes)
            results.append(summary(measured, baseline, os.getloadavg()[0]))
            if again:
                results[-1].update(rerun_summary(again[0]))
            print(json.dumps(results[-1]), flush=True)
    growth = results[-1]["peak_mib_main"] / results[0]["peak_mib_main"]
    print(json.dumps({"peak_memory_ratio_largest_to_smallest": round(growth, 2)}))


if __name__ == "__main__":
    main()
