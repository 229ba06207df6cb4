"""Ingest throughput and peak memory as the corpus grows.

Each size runs in a fresh process so peak memory (ru_maxrss) belongs to that
run alone. Speed is reported as a ratio against reading and decoding the same
files in the same run; memory as the ratio of peak RSS at the largest size to
the smallest (flat means close to 1).

    python bench/ingest_throughput.py --sizes 1000 5000 10000
"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
import tempfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).parent))
from generate_corpus import write_corpus  # noqa: E402

CHILD = """
import json, resource, sys, time
from pathlib import Path
mode, folder, db = sys.argv[1:4]
start = time.perf_counter()
if mode == "ingest":
    from detente.ingest.pipeline import ingest
    from detente.store.database import open_engine
    report = ingest(open_engine(db), [folder])
    count = report.added
else:
    from detente.ingest.decode import decode_bytes
    count = sum(1 for p in sorted(Path(folder).iterdir()) if decode_bytes(p.read_bytes()))
elapsed = time.perf_counter() - start
peak_mib = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
print(json.dumps({"docs": count, "seconds": elapsed, "peak_mib": peak_mib}))
"""


def run(mode: str, folder: Path, db: Path) -> dict:
    out = subprocess.run([sys.executable, "-c", CHILD, mode, str(folder), str(db)], check=True, capture_output=True, text=True)
    return json.loads(out.stdout.strip().splitlines()[-1])


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--sizes", type=int, nargs="+", default=[1000, 5000, 10000])
    args = parser.parse_args()
    results = []
    with tempfile.TemporaryDirectory() as tmp:
        for size in args.sizes:
            folder = write_corpus(Path(tmp) / f"corpus-{size}", size)
            baseline = run("read", folder, Path(tmp) / "unused.db")
            measured = run("ingest", folder, Path(tmp) / f"store-{size}.db")
            results.append({
                "documents": size,
                "docs_per_second": round(measured["docs"] / measured["seconds"], 1),
                "cost_vs_plain_read": round(measured["seconds"] / baseline["seconds"], 1),
                "peak_mib": round(measured["peak_mib"], 1),
            })
            print(json.dumps(results[-1]), flush=True)
    growth = results[-1]["peak_mib"] / results[0]["peak_mib"]
    print(json.dumps({"peak_memory_ratio_largest_to_smallest": round(growth, 2)}))


if __name__ == "__main__":
    main()
