"""Report speed: the one-file HTML report against the JSON contract export, on the same store in one run.

The store is the synthetic one of `export_speed.py` (generated sentences,
one event each, a stance now and then), filled by direct inserts. The JSON
export reads every row of every kind once, so it is the baseline; the report
reads the same rows, builds every page (with a profile per actor and every
document highlighted) and renders them. Each page builder is also timed on
its own, to show where the time goes.

    python bench/report_speed.py                  # 500 documents
    python bench/report_speed.py --docs 2000 --json
    python bench/report_speed.py --docs 2000 --report-documents 2000   # every document in the file
"""

from __future__ import annotations

import argparse
import io
import json
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))

from export_speed import fill  # noqa: E402

from detente.present import export as contract  # noqa: E402
from detente.present.report import REPORT_DOCUMENTS, write_report  # noqa: E402
from detente.present.views import PAGES  # noqa: E402
from detente.store.database import open_engine  # noqa: E402


def timed(call) -> float:
    start = time.perf_counter()
    call()
    return time.perf_counter() - start


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--docs", type=int, default=500)
    parser.add_argument("--actors", type=int, default=200)
    parser.add_argument("--sentences", type=int, default=12)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--report-documents", type=int, default=REPORT_DOCUMENTS,
                        help="Documents the report holds (a number above --docs: all of them, as before the cap).")
    parser.add_argument("--json", action="store_true", help="Print the results as JSON.")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as folder:
        engine = open_engine(str(Path(folder) / "bench.db"))
        counts = fill(engine, args.docs, args.actors, args.sentences, args.seed)
        baseline = timed(lambda: contract.write_json(engine, io.StringIO()))
        pages = {p.name: timed(lambda p=p: p.builder(engine)) for p in PAGES if p.needs is None}
        report_path = Path(folder) / "report.html"
        report = timed(lambda: write_report(engine, report_path, documents_limit=args.report_documents))
        size = report_path.stat().st_size
    result = {
        "store": counts, "report_documents": args.report_documents, "json_export_s": round(baseline, 3), "report_s": round(report, 3),
        "report_over_json": round(report / baseline, 1), "report_mb": round(size / 1e6, 1),
        "page_builders_s": {name: round(s, 3) for name, s in pages.items()},
    }
    if args.json:
        print(json.dumps(result, indent=2))
        return
    print(f"store: {counts}")
    print(f"JSON export {baseline:.2f} s · report {report:.2f} s ({report / baseline:.1f}× the export), {size / 1e6:.1f} MB")
    for name, seconds in pages.items():
        print(f"  {name:<12} {seconds:.2f} s")


if __name__ == "__main__":
    main()
