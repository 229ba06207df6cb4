"""Speed-up of extraction on two workers over one: `--processes 2` over 1, and 2 Dask workers over 1.

The same generated documents (bench/generate_corpus.py) are ingested into a
fresh store per run and extracted; each run reports its wall time and the CPU
seconds of every process involved (this one, which writes; each worker, which
parses and extracts). On a shared machine the wall clock measures the
neighbours as much as the code, so beside the wall-clock speed-up the script
prints a CPU-time one: the busiest process's CPU seconds (the run's critical
path on an otherwise idle machine) of the one-worker run over the two-worker
run's. Target on a two-core machine: >= 1.7x.

    python bench/extract_scaling.py --docs 100
    python bench/extract_scaling.py --docs 100 --no-dask
"""

from __future__ import annotations

import argparse
import os
import resource
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))

from generate_corpus import write_corpus  # noqa: E402

from detente.ingest.pipeline import ingest  # noqa: E402
from detente.nlp.actors.registry import ActorRegistry  # noqa: E402
from detente.nlp.extract import extract_store  # noqa: E402
from detente.nlp.pipeline import load_model  # noqa: E402
from detente.store.database import open_engine  # noqa: E402


def own_cpu() -> float:
    usage = resource.getrusage(resource.RUSAGE_SELF)
    return usage.ru_utime + usage.ru_stime


def children_cpu() -> float:
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)  # reaped children: the pool's workers after shutdown
    return usage.ru_utime + usage.ru_stime


def fresh_store(folder: Path, corpus: Path, name: str):
    engine = open_engine(str(folder / f"{name}.db"))
    ingest(engine, [str(corpus)])
    return engine


def run_processes(folder: Path, corpus: Path, processes: int, registry) -> dict:
    engine = fresh_store(folder, corpus, f"processes-{processes}")
    load_model()  # as `detente extract` does before it starts: the model is in memory when the timing starts
    main0, kids0, wall0 = own_cpu(), children_cpu(), time.perf_counter()
    report = extract_store(engine, registry, processes=processes)
    wall, main, kids = time.perf_counter() - wall0, own_cpu() - main0, children_cpu() - kids0
    workers = [kids / processes] * processes if processes > 1 else []  # the pool splits batches evenly
    return {"docs": report.documents, "wall": wall, "main": main, "workers": workers}


def run_dask(folder: Path, corpus: Path, workers: int, registry) -> dict:
    import psutil
    from distributed import Client, LocalCluster

    engine = fresh_store(folder, corpus, f"dask-{workers}")
    with LocalCluster(n_workers=workers, threads_per_worker=1, processes=True, dashboard_address=":0") as cluster, \
            Client(cluster) as client:
        def cpu() -> float:
            times = psutil.Process().cpu_times()
            return times.user + times.system

        client.run(lambda: __import__("detente.nlp.pipeline", fromlist=["load_model"]).load_model())
        before = client.run(cpu)
        main0, wall0 = own_cpu(), time.perf_counter()
        report = extract_store(engine, registry, scheduler=cluster.scheduler_address)
        wall, main = time.perf_counter() - wall0, own_cpu() - main0
        after = client.run(cpu)
    return {"docs": report.documents, "wall": wall, "main": main, "workers": [after[w] - before[w] for w in after]}


def critical(run: dict) -> float:
    return max([run["main"], *run["workers"]])


def line(name: str, run: dict) -> str:
    workers = ", ".join(f"{w:.1f}" for w in run["workers"]) or "-"
    return f"{name:12} {run['docs']} docs: wall {run['wall']:6.1f}s, CPU main {run['main']:5.1f}s, workers [{workers}]s"


def compare(name: str, one: dict, two: dict) -> None:
    print(f"{name}: wall-clock speed-up x{one['wall'] / two['wall']:.2f}, "
          f"CPU-time speed-up x{critical(one) / critical(two):.2f} (target >= 1.7)")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--docs", type=int, default=100)
    parser.add_argument("--no-dask", action="store_true")
    args = parser.parse_args()
    registry = ActorRegistry.load(None)
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        corpus = write_corpus(folder / "corpus", args.docs)
        print(f"load average before: {os.getloadavg()[0]:.2f} on {os.cpu_count()} cores")
        runs = {
            "processes 1": run_processes(folder, corpus, 1, registry),
            "processes 2": run_processes(folder, corpus, 2, registry),
        }
        if not args.no_dask:
            runs["dask 1"] = run_dask(folder, corpus, 1, registry)
            runs["dask 2"] = run_dask(folder, corpus, 2, registry)
        for name, run in runs.items():
            print(line(name, run))
        compare("--processes 2 over 1", runs["processes 1"], runs["processes 2"])
        if not args.no_dask:
            compare("2 Dask workers over 1", runs["dask 1"], runs["dask 2"])
        print(f"load average after: {os.getloadavg()[0]:.2f}")


if __name__ == "__main__":
    main()
