"""A longer fuzzing run over ingest than CI affords: random bytes, text in many encodings, broken
markup, odd JSONL records, each ingested beside a good report.

A crash is an exception out of `ingest` or a good report not stored. Prints
the inputs tried, the crashes (with the input that caused the first of each
kind), and the slowest input per kilobyte (seconds/KB, inputs of 1 KB or more, the good report's time included), since a hostile input
that takes quadratic time is a denial of service for a shared store.

    python bench/fuzz_ingest.py --examples 2000
"""

from __future__ import annotations

import argparse
import json
import sys
import tempfile
import time
from pathlib import Path

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from detente.ingest.pipeline import ingest
from detente.store.database import open_engine
from detente.store.documents import list_documents

GOOD = (
    "Harbour Post\n\nEnvoys agree to meet again\n\nBy Jane Roe | March 3, 2016\n\n"
    "The envoys of both delegations agreed on Monday to meet again in Geneva next month, and the mediator "
    "said that the ceasefire had largely held in the north of the country since the last round of talks.\n"
)
CODECS = ["utf-8", "utf-16", "utf-16-le", "utf-16-be", "cp1252", "latin-1", "shift_jis", "euc_kr", "gb18030", "koi8-r"]
TAGS = ["<div>", "</div>", "<p>", "</p>", "<script>", "</script>", "<style>", "<!--", "-->", "<![CDATA[", "<br/>",
        "<table>", "<td>", "&amp;", "&#0;", "&#xD800;", "&nbsp;", "<html>", "<body>", "<article>", "<main>", "<",
        ">", "\"", "'", "\x00", "<meta charset='utf-16'>", "<time datetime='0001-01-01'>", "<title>"]

odd_text = st.text(alphabet=st.characters(exclude_categories=()), max_size=3000)
inputs = st.one_of(
    st.tuples(st.just("raw.txt"), st.binary(max_size=20000)),
    st.tuples(st.just("text.txt"), st.tuples(odd_text, st.sampled_from(CODECS)).map(
        lambda pair: pair[0].encode(pair[1], errors="surrogatepass" if pair[1] == "utf-8" else "replace"))),
    st.tuples(st.just("page.html"), st.lists(st.sampled_from(TAGS) | st.text(max_size=40), max_size=400).map(
        lambda parts: "".join(parts).encode("utf-8", errors="surrogatepass"))),
    st.tuples(st.just("deep.html"), st.integers(1, 5000).map(
        lambda depth: ("<div>" * depth + "<p>" + GOOD + "</p>" + "</div>" * depth).encode())),
    st.tuples(st.just("feed.jsonl"), st.lists(st.dictionaries(
        st.sampled_from(["text", "title", "published", "url", "outlet", "author"]),
        odd_text | st.integers() | st.none() | st.floats() | st.lists(st.integers(), max_size=3)), max_size=5).map(
        lambda records: "\n".join(json.dumps(r) for r in records).encode())),
)


class Tally:
    def __init__(self) -> None:
        self.tried = 0
        self.crashes: dict[str, tuple[str, bytes]] = {}
        self.slowest: tuple[float, str, int] = (0.0, "", 0)  # seconds per KB, of inputs of 1 KB or more
        self.longest = 0.0


def fuzz(examples: int, tally: Tally) -> None:
    @settings(max_examples=examples, deadline=None, database=None, suppress_health_check=list(HealthCheck))
    @given(inputs)
    def one(case: tuple[str, bytes]) -> None:
        name, payload = case
        tally.tried += 1
        with tempfile.TemporaryDirectory() as tmp:
            (Path(tmp) / "a-good.txt").write_text(GOOD, encoding="utf-8")
            (Path(tmp) / name).write_bytes(payload)
            engine = open_engine(":memory:")
            start = time.perf_counter()
            try:
                ingest(engine, [tmp], processes=1)
                if not any(d["outlet"] == "Harbour Post" for d in list_documents(engine)):
                    raise AssertionError("the good report was not stored")
            except Exception as err:  # noqa: BLE001 - every escape is a finding
                tally.crashes.setdefault(f"{type(err).__name__}: {err}"[:200], (name, payload[:300]))
                return
            elapsed = time.perf_counter() - start
            tally.longest = max(tally.longest, elapsed)
            if len(payload) >= 1024:  # below a kilobyte the good report's own time swamps the figure
                per_kb = elapsed / (len(payload) / 1024)
                if per_kb > tally.slowest[0]:
                    tally.slowest = (per_kb, name, len(payload))

    one()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--examples", type=int, default=1000)
    args = parser.parse_args()
    tally = Tally()
    start = time.perf_counter()
    fuzz(args.examples, tally)
    per_kb, name, size = tally.slowest
    print(json.dumps({
        "inputs_tried": tally.tried,
        "crashes": len(tally.crashes),
        "slowest_seconds_per_kb": round(per_kb, 3),
        "slowest_input": f"{name} ({size:,} bytes)",
        "longest_single_input_seconds": round(tally.longest, 2),
        "minutes": round((time.perf_counter() - start) / 60, 1),
    }))
    for reason, (name, head) in tally.crashes.items():
        print(json.dumps({"crash": reason, "input": name, "head": head.decode("utf-8", "backslashreplace")}), file=sys.stderr)


if __name__ == "__main__":
    main()
