"""Whole-extraction event scores on labelled news sentences, the way the maintainers score their held-out ones.

Each sentence is its own document: parsed by the project's model, extracted
with `detente.nlp.extract.extract_doc`, the built-in registry and no
publication date; only the FIRST event of the returned list counts.

- quad: the ConfliBERT CAMEO training sentences (`conflibert_cameo_train.tsv`).
  The first event's PLOVER type gives its quad class as `labels.py` maps it
  (no event is 0; REQUEST is 0, an appeal: see `labels.py`), compared with the
  sentence's class. `--request-as-demand` reads REQUEST as 3 instead, to show
  how much hangs on that choice.
- type: the PLOVER GSR sentences (`plover_gsr_cameo.json`), their PLOVER 0.5
  labels mapped to 0.8; the first event's type against it (no event is wrong).

Both are sentences the event-type model learns from, so with `--folds K`
each sentence is extracted with a model trained without its fold
(`train.fold_of`, fixed), substituted for the packaged one: the honest figure
once extraction uses the model. Without it the packaged model is used, which
has seen every sentence (and the rules alone are scored while extraction does
not call the model).

    python -m detente.quality.devsets.event_sentences [--folds 5] [--limit N] [--misses N]
"""

from __future__ import annotations

import argparse
import contextlib
import time
from collections import Counter
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, field

from detente.nlp.events.model.corpora import Example, TrainingDataMissing, conflibert_examples, gsr_examples, shared_data_folder
from detente.nlp.events.model.labels import QUAD_CLASSES, quad_of_type


@dataclass
class SentenceScore:
    """Agreement of the first extracted event with each sentence's gold label."""

    name: str
    correct: int = 0
    total: int = 0
    no_event: int = 0
    confusion: Counter = field(default_factory=Counter)  # (gold, found) -> sentences
    misses: list[tuple[str, str, str]] = field(default_factory=list)  # (gold, found, sentence)

    @property
    def accuracy(self) -> float:
        return self.correct / self.total if self.total else 0.0

    def add(self, gold, found, text: str) -> None:
        self.total += 1
        self.confusion[(gold, found)] += 1
        if gold == found:
            self.correct += 1
        else:
            self.misses.append((str(gold), str(found), text))

    def line(self) -> str:
        return f"{self.name}: {self.accuracy:.3f} ({self.correct}/{self.total}), no event in {self.no_event}"

    def recall_by_gold(self) -> dict:
        golds = sorted({g for g, _ in self.confusion}, key=str)
        return {
            g: (sum(n for (a, b), n in self.confusion.items() if a == g and b == g), sum(n for (a, _), n in self.confusion.items() if a == g))
            for g in golds
        }


def first_event_types(texts: Sequence[str], models: Callable[[str], contextlib.AbstractContextManager] | None = None) -> Iterator[str | None]:
    """The type of the first event extraction finds in each text, alone as a document (None: no event)."""
    from detente.nlp.actors.registry import ActorRegistry
    from detente.nlp.extract import extract_doc
    from detente.nlp.pipeline import load_model

    nlp = load_model()
    registry = ActorRegistry.load(None)
    for doc, text in nlp.pipe(((t, t) for t in texts), as_tuples=True, batch_size=64):
        with models(text) if models else contextlib.nullcontext():
            events = extract_doc(doc, registry, None).events
        yield events[0].type if events else None


def score_quad(examples: Sequence[Example], models=None, request_as_demand: bool = False) -> SentenceScore:
    """(i): the first event's quad class against each ConfliBERT sentence's class."""
    score = SentenceScore("quad class of the first event (ConfliBERT sentences)")
    for example, found in zip(examples, first_event_types([e.text for e in examples], models)):
        score.no_event += found is None
        quad = 3 if request_as_demand and found == "REQUEST" else quad_of_type(found)
        score.add(example.quad, quad, example.text)
    return score


def score_types(examples: Sequence[Example], models=None) -> SentenceScore:
    """(ii): the first event's PLOVER type against each GSR sentence's type."""
    score = SentenceScore("PLOVER type of the first event (GSR sentences)")
    for example, found in zip(examples, first_event_types([e.text for e in examples], models)):
        score.no_event += found is None
        score.add(example.type, found or "no event", example.text)
    return score


def fold_substitutes(folds: int) -> Callable[[str], contextlib.AbstractContextManager]:
    """For each sentence, a context that puts in place the model trained without that sentence's fold."""
    from detente.nlp.events.model.corpora import all_examples
    from detente.nlp.events.model.model import using_model
    from detente.nlp.events.model.train import featurize, fold_models, fold_of

    models = fold_models(featurize(all_examples()), folds)
    return lambda text: using_model(models[fold_of(text, folds)])


def score_sentences(folds: int = 0, limit: int = 0, request_as_demand: bool = False) -> tuple[SentenceScore, SentenceScore]:
    """(i) and (ii) on the shared data, each sentence under its fold's model when `folds` > 1 (needs scikit-learn)."""
    root = shared_data_folder()
    quad_set, type_set = conflibert_examples(root), gsr_examples(root)
    if limit:
        quad_set, type_set = quad_set[:limit], type_set[:limit]
    models = fold_substitutes(folds) if folds > 1 else None
    return score_quad(quad_set, models, request_as_demand), score_types(type_set, models)


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--folds", type=int, default=0, help="extract each sentence with a model trained without its fold")
    parser.add_argument("--limit", type=int, default=0, help="only the first N sentences of each set")
    parser.add_argument("--misses", type=int, default=0, help="print up to N misses of each set")
    parser.add_argument("--request-as-demand", action="store_true", help="read a REQUEST as class 3, not 0")
    args = parser.parse_args(argv)
    started = time.perf_counter()
    try:
        scores = score_sentences(args.folds, args.limit, args.request_as_demand)
    except TrainingDataMissing as err:
        print(f"error: {err}")
        return 2
    for score in scores:
        print(score.line())
        print("  by gold label: " + ", ".join(f"{g} {a}/{b}" for g, (a, b) in score.recall_by_gold().items()))
        if score.name.startswith("quad"):
            found = Counter(b for (_, b), n in score.confusion.items() for _ in range(n))
            print("  found classes: " + ", ".join(f"{c} {found.get(c, 0)}" for c in QUAD_CLASSES))
        for gold, got, text in score.misses[: args.misses]:
            print(f"  gold {gold}, found {got}: {text}")
    print(f"({time.perf_counter() - started:.0f} s{f', {args.folds}-fold models' if args.folds > 1 else ''})")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
