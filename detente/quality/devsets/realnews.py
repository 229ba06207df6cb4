"""The real-news development set (`../shared/data/realnews/`), scored by its own `score.py`.

Twenty real articles from fifteen peace processes with hand gold. Run as a new
user would: the `.txt` files ingested into a fresh store with the built-in
registry only, extracted, exported as JSON, then scored by the set's scorer,
the same way the maintainers score their held-out articles.

    python -m detente.quality.devsets.realnews [--misses] [--keep DIR]
"""

from __future__ import annotations

import argparse
import contextlib
import importlib.util
import io
import os
import re
import tempfile
from pathlib import Path

from detente.quality.devsets import shared_data

KINDS = ("published", "people", "roles", "quotes", "events", "claims", "stances")


def realnews_folder() -> Path | None:
    root = shared_data()
    return root / "realnews" if root and (root / "realnews" / "score.py").is_file() else None


def build_export(folder: Path, workdir: Path) -> Path:
    """Ingest and extract the set's articles into a store in `workdir`; returns its JSON export."""
    from detente.ingest.pipeline import ingest
    from detente.nlp.actors.registry import ActorRegistry
    from detente.nlp.extract import extract_store
    from detente.present.export import write_json
    from detente.store.database import open_engine

    store = workdir / "realnews.db"
    for stale in workdir.glob("realnews.db*"):
        stale.unlink()  # a store kept from an earlier run would skip every document as already extracted
    engine = open_engine(str(store))
    ingest(engine, [str(p) for p in sorted(folder.glob("*.txt"))])
    extract_store(engine, ActorRegistry.load(None))
    path = workdir / "realnews.json"
    with open(path, "w", encoding="utf-8") as out:
        write_json(engine, out)
    engine.dispose()
    return path


def score_export(folder: Path, export: Path, ignore_dates: bool = False) -> tuple[dict[str, tuple[int, int]], str]:
    """(found, total) per kind, and the scorer's printout of what each article misses."""
    spec = importlib.util.spec_from_file_location("realnews_score", folder / "score.py")
    scorer = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(scorer)
    printed = io.StringIO()
    saved = os.environ.get("HN_NODATE")
    if ignore_dates:
        os.environ["HN_NODATE"] = "1"
    try:
        with contextlib.redirect_stdout(printed):
            scorer.main(str(export))
    finally:
        if saved is None:
            os.environ.pop("HN_NODATE", None)
        else:
            os.environ["HN_NODATE"] = saved
    totals = printed.getvalue().strip().splitlines()[-1]
    counts = {kind: (int(a), int(b)) for kind, a, b in re.findall(r"(\w+) (\d+)/(\d+)", totals)}
    return counts, printed.getvalue()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--misses", action="store_true", help="print what each article misses")
    parser.add_argument("--keep", type=Path, default=None, help="keep the store and export in this folder")
    args = parser.parse_args()
    folder = realnews_folder()
    if folder is None:
        raise SystemExit("The real-news set is not here: ../shared/data/realnews holds it.")
    with tempfile.TemporaryDirectory() as tmp:
        workdir = args.keep or Path(tmp)
        workdir.mkdir(parents=True, exist_ok=True)
        export = build_export(folder, workdir)
        counts, printed = score_export(folder, export)
        undated, _ = score_export(folder, export, ignore_dates=True)
    if args.misses:
        print("\n".join(printed.strip().splitlines()[:-1]))
    print(", ".join(f"{k} {a}/{b} ({a / b:.2f})" for k, (a, b) in counts.items()))
    print(f"events ignoring dates {undated['events'][0]}/{undated['events'][1]}")


if __name__ == "__main__":
    main()
