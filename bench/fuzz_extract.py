"""A longer fuzzing run of extraction than CI's property tests: random Unicode, quote marks, word
soup and very long sentences, with random publication dates (the calendar's ends included).

Every input is parsed and extracted; a crash is an exception or a record whose
offsets fall outside the text. Prints the inputs tried, the crashes (with the
first few inputs that caused them) and the slowest input per KB (inputs of 1 KB
or more; CPU time of parse and extraction).

    python bench/fuzz_extract.py --examples 2000
"""

from __future__ import annotations

import argparse
import sys
import time
import traceback
from datetime import date
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from hypothesis import HealthCheck, given, settings  # noqa: E402
from hypothesis import strategies as st  # noqa: E402

from detente.nlp.actors.registry import ActorRegistry  # noqa: E402
from detente.nlp.extract import extract_doc, text_records  # noqa: E402
from detente.nlp.pipeline import load_model  # noqa: E402

QUOTES = "\"'“”‘’«»„‹›「」"
WORDS = ["Iran", "Russia", "Turkey", "the", "envoy", "UN", "said", "met", "rejected", "agreed", "talks", "in", "Geneva",
         "on", "Monday", "last", "week", "next", "year", "ago", "two", "days", "would", "not", "if", "and", ",", ".",
         "\n\n", "300", "people", "killed", "ceasefire", "Mr.", "Lavrov", "told", "reporters", "that"]
CLAUSES = ["Iran met Russia in Geneva on Monday", "the envoy said", "Turkey rejected the plan", "talks would resume",
           "\"we will not go,\" he said", "300 people were killed last week"]

texts = st.one_of(
    st.text(max_size=2000),
    st.text(alphabet=st.sampled_from(QUOTES + "ab .,\n"), max_size=2000),
    st.lists(st.sampled_from(WORDS + list(QUOTES)), max_size=1500).map(" ".join),
    st.lists(st.sampled_from(CLAUSES), min_size=50, max_size=1500).map(lambda c: ", ".join(c) + "."),
)
published = st.one_of(st.none(), st.dates().map(date.isoformat), st.sampled_from(["0001-01-01", "9999-12-31"]))


def unsound(text: str, records: list[dict]) -> str | None:
    for record in records:
        start, end = record.get("span_start", record.get("start")), record.get("span_end", record.get("end"))
        if record["record"] in ("mention", "date", "quote", "event", "stance", "claim", "affiliation"):
            if not (isinstance(start, int) and isinstance(end, int) and 0 <= start <= end <= len(text)):
                return f"{record['record']} offsets {start}..{end} outside a text of {len(text)}"
    return None


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--examples", type=int, default=1000)
    parser.add_argument("--seed", type=int, default=0)
    args = parser.parse_args()
    nlp = load_model()
    registry = ActorRegistry.load(ROOT / "examples" / "syria" / "actors.yaml")
    extract_doc(nlp("Iran met Russia."), registry, "2015-01-14")
    tried, crashes, slowest = [0], [], [(0.0, 0, "")]

    @settings(max_examples=args.examples, deadline=None, database=None, derandomize=False,
              suppress_health_check=list(HealthCheck))
    @given(text=texts, day=published)
    def fuzz(text: str, day: str | None) -> None:
        tried[0] += 1
        start = time.process_time()
        try:
            problem = unsound(text, text_records(extract_doc(nlp(text), registry, day)))
        except Exception:  # noqa: BLE001 - a fuzzer counts every crash
            problem = traceback.format_exc(limit=3).strip().splitlines()[-1]
        seconds = time.process_time() - start
        if problem:
            crashes.append((problem, text[:80], day))
        if len(text) >= 1024 and seconds * 1024 / len(text) > slowest[0][0]:
            slowest[0] = (seconds * 1024 / len(text), len(text), text[:60])

    wall = time.perf_counter()
    fuzz()
    print(f"inputs tried: {tried[0]} in {time.perf_counter() - wall:.0f}s")
    print(f"crashes: {len(crashes)}")
    for problem, text, day in crashes[:5]:
        print(f"  {problem!r} on {text!r} published {day}")
    per_kb, size, head = slowest[0]
    print(f"slowest input per KB: {per_kb:.3f}s/KB ({size} chars, starting {head!r})")


if __name__ == "__main__":
    main()
