"""Event typing and argument finding on the PLOVER gold-standard sentences.

The development set is `../shared/data/plover_gsr_cameo.json` (Open Event
Data Alliance, CC BY-SA 4.0): 322 edited example sentences from the CAMEO
coding manual, each with one event type and its source and target actors.
Its labels are PLOVER 0.5; they are mapped to 0.8 as the data's README says.

For each sentence, `find_events` runs with no publication date and the
built-in registry only. Reported:

- type accuracy: the top event's type (highest confidence, then first in the
  sentence) against the gold type; a sentence with no event counts as wrong;
- actor F1 and recipient F1: the texts of the mentions behind the top
  event's actors (recipients) against the gold source (target) `actorText`s,
  a pair matching when they share a content word.

These are manual sentences, not news: read the numbers as a check on the
patterns, not as the score on news (our target is news; don't tune to this).

    python bench/plover_eval.py [--data PATH] [--show-errors N]
"""

from __future__ import annotations

import argparse
import json
import re
import sys
from collections import Counter
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from detente.nlp.events.document_events import find_events  # noqa: E402
from detente.nlp.extract import extract_doc  # noqa: E402
from detente.nlp.pipeline import load_model  # noqa: E402
from detente.nlp.actors.registry import ActorRegistry  # noqa: E402

DEFAULT_DATA = ROOT.parent / "shared" / "data" / "plover_gsr_cameo.json"
LABELS_0_8 = {"DEMAND": "REQUEST", "DISAPPROVE": "ACCUSE", "INVESTIGATE": "ACCUSE", "FIGHT": "ASSAULT"}
_STOP = frozenset({"the", "a", "an", "of", "in", "and", "to", "for", "on", "'s", "s", "from", "by", "with", "at"})


def gold_texts(field) -> list[str]:
    """Source/target `actorText`s; some records hold a bare string or nothing there."""
    if isinstance(field, list):
        return [a["actorText"] for a in field if isinstance(a, dict) and a.get("actorText")]
    return []


def content_words(text: str) -> set[str]:
    return {w for w in re.findall(r"[a-z0-9]+", text.lower()) if w not in _STOP}


def matched(predicted: list[str], gold: list[str]) -> tuple[int, int, int]:
    """(true positives, predicted, gold): a greedy one-to-one pairing on shared content words."""
    free = [content_words(g) for g in gold]
    hits = 0
    for text in predicted:
        words = content_words(text)
        for k, target in enumerate(free):
            if target and words & target:
                hits += 1
                free[k] = set()
                break
    return hits, len(predicted), len(gold)


def f1(tp: int, predicted: int, gold: int) -> float:
    if predicted == 0 and gold == 0:
        return 1.0
    precision = tp / predicted if predicted else 0.0
    recall = tp / gold if gold else 0.0
    return 2 * precision * recall / (precision + recall) if precision + recall else 0.0


def top_event(events):
    return max(events, key=lambda e: (e.confidence, -e.start)) if events else None


def texts_of(ids: list[str], mentions) -> list[str]:
    """One surface text per actor id: the longest mention of it in the sentence."""
    out = []
    for actor in ids:
        surfaces = [m.text for m in mentions if m.actor == actor]
        if surfaces:
            out.append(max(surfaces, key=len))
    return out


def evaluate(records: list[dict], show_errors: int = 0) -> dict:
    nlp = load_model()
    registry = ActorRegistry.builtin()
    right = 0
    actor_counts = [0, 0, 0]
    recipient_counts = [0, 0, 0]
    confusion: Counter = Counter()
    errors = []
    texts = [r["text"] for r in records]
    for record, doc in zip(records, nlp.pipe(texts, batch_size=32)):
        gold_type = LABELS_0_8.get(record["event"], record["event"])
        found = extract_doc(doc, registry, None)
        events = find_events(doc, found.actors, found.dates, None)
        top = top_event(events)
        predicted = top.type if top else "none"
        right += predicted == gold_type
        confusion[(gold_type, predicted)] += 1
        if predicted != gold_type and len(errors) < show_errors:
            errors.append(f"{gold_type:>9} → {predicted:<9} {record['text'][:140]}")
        actors = texts_of(top.actors, found.actors.mentions) if top else []
        recipients = texts_of(top.recipients, found.actors.mentions) if top else []
        for counts, ours, gold in (
            (actor_counts, actors, gold_texts(record.get("source"))),
            (recipient_counts, recipients, gold_texts(record.get("target"))),
        ):
            for k, value in enumerate(matched(ours, gold)):
                counts[k] += value
    total = len(records)
    return {
        "sentences": total,
        "type_accuracy": round(right / total, 3),
        "actor_f1": round(f1(*actor_counts), 3),
        "recipient_f1": round(f1(*recipient_counts), 3),
        "no_event": sum(n for (g, p), n in confusion.items() if p == "none"),
        "per_type_accuracy": {
            t: round(confusion[(t, t)] / n, 2)
            for t, n in sorted(Counter(LABELS_0_8.get(r["event"], r["event"]) for r in records).items())
        },
        "errors": errors,
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--data", type=Path, default=DEFAULT_DATA)
    parser.add_argument("--show-errors", type=int, default=0, metavar="N")
    args = parser.parse_args()
    if not args.data.is_file():
        sys.exit(f"No PLOVER data at {args.data}; pass --data PATH to plover_gsr_cameo.json.")
    records = [r for r in json.loads(args.data.read_text(encoding="utf-8")) if r.get("event") != "DOCUMENT" and r.get("text")]
    result = evaluate(records, args.show_errors)
    errors = result.pop("errors")
    print(json.dumps(result, indent=2))
    for line in errors:
        print(line)


if __name__ == "__main__":
    main()
