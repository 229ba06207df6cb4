"""Extraction time against sentence length: a 2x longer sentence should cost at most 2.6x.

Two shapes that used to grow quadratically (issue 15.9): one sentence made of
"X met Y in Z on Monday" clauses joined by commas, and one verb repeated
N times ("rejected rejected …"). Each size is parsed and extracted in this process; times are this
process's CPU time (parse and extraction reported apart), the best of --rounds,
so other work on a shared machine distorts the ratio little.

    python bench/long_sentences.py                     # 32 KB vs 64 KB, 1,000 vs 2,000 repetitions
    python bench/long_sentences.py --kb 64 --words 2000
"""

from __future__ import annotations

import argparse
import os
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from detente.nlp.actors.registry import ActorRegistry  # noqa: E402
from detente.nlp.extract import extract_doc  # noqa: E402
from detente.nlp.pipeline import load_model  # noqa: E402

NAMES = ("Iran", "Russia", "Turkey", "France", "Qatar", "Jordan")
PLACES = ("Geneva", "Vienna", "Sochi", "Astana")


def met_clauses(chars: int) -> str:
    """One sentence of meetings, about `chars` characters long."""
    clauses: list[str] = []
    size, i = 0, 0
    while size < chars:
        clause = f"{NAMES[i % 6]} met {NAMES[(i + 1) % 6]} in {PLACES[i % 4]} on Monday"
        clauses.append(clause)
        size += len(clause) + 2
        i += 1
    return ", ".join(clauses) + "."


def repeated_verb(count: int, verb: str = "rejected") -> str:
    return " ".join([verb] * count) + "."


def timed(nlp, registry, text: str, rounds: int) -> tuple[float, float]:
    """Best CPU seconds of (parse, extraction) over `rounds`."""
    parse = extract = float("inf")
    for _ in range(rounds):
        start = time.process_time()
        doc = nlp(text)
        middle = time.process_time()
        extract_doc(doc, registry, "2015-01-14")
        end = time.process_time()
        parse, extract = min(parse, middle - start), min(extract, end - middle)
    return parse, extract


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--kb", type=int, default=32, help="size of the shorter clause sentence, in KB")
    parser.add_argument("--words", type=int, default=1000, help="repetitions in the shorter verb sentence")
    parser.add_argument("--rounds", type=int, default=2)
    args = parser.parse_args()
    nlp = load_model()
    registry = ActorRegistry.load(ROOT / "examples" / "syria" / "actors.yaml")
    extract_doc(nlp("Iran met Russia in Geneva on Monday."), registry, "2015-01-14")  # data files loaded once
    print(f"load average before: {os.getloadavg()[0]:.2f}")
    cases = [
        ("clauses", args.kb * 1024, met_clauses),
        ("verb", args.words, repeated_verb),
    ]
    for name, size, make in cases:
        short_p, short_e = timed(nlp, registry, make(size), args.rounds)
        long_p, long_e = timed(nlp, registry, make(2 * size), args.rounds)
        ratio = (long_p + long_e) / (short_p + short_e)
        print(
            f"{name:8} {size:>7} -> {2 * size:>7}: parse {short_p:6.2f}s -> {long_p:6.2f}s, "
            f"extract {short_e:6.2f}s -> {long_e:6.2f}s; total x{ratio:.2f} (target <= 2.6), "
            f"extraction alone x{long_e / short_e:.2f}"
        )
    print(f"load average after: {os.getloadavg()[0]:.2f}")


if __name__ == "__main__":
    main()
