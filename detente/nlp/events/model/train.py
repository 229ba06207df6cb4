"""Train the event-type model and write it into the package: `python -m detente.nlp.events.model.train`.

    python -m detente.nlp.events.model.train           # writes event_type_model.bin
    python -m detente.nlp.events.model.train --cv      # and prints the fixed-fold cross-validated scores
    make train                                         # the same as the first line

Reads the three sources of `corpora.py` (so it needs `../shared/data` and
scikit-learn, the `train` extra; the packaged model needs neither), parses each
sentence with the project's spaCy model, and fits two multinomial logistic
regressions (newton-cg, deterministic) over the hashed features of
`features.py`, weighted as TF-IDF and scaled to unit length:

- quad class (0–4) on every sentence: ConfliBERT's label, the GSR's and our
  gold's types mapped as `labels.py` says;
- PLOVER type (or NONE) on the GSR and our gold, plus each ConfliBERT
  sentence labelled with the type its quad class allows that a first model
  (trained without them) finds most likely, at a lower weight: the quad class
  says what family the event is, and the news sentences teach news wording
  that the coding manual's edited sentences lack.

Only buckets seen in at least MIN_DF training sentences are kept; weights are
stored as float16 and the file is written so that the same data gives the same
bytes (see `model.py`).

Cross-validation uses fixed folds: a sentence's fold is the CRC-32 of its
whitespace-normalised, lower-cased text modulo k, so it never depends on the
order of the files or on what else is in them, and a sentence that appears
twice (our gold's rewritten article) is always in one fold.
"""

from __future__ import annotations

import argparse
import hashlib
import sys
import time
import zlib
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass, field

import numpy as np

from detente.nlp.events.model.corpora import Example, TrainingDataMissing, all_examples, shared_data_folder
from detente.nlp.events.model.features import buckets, clause_features, type_buckets
from detente.nlp.events.model.labels import QUAD_CLASSES, TYPE_CLASSES
from detente.nlp.events.model.model import ARTEFACT, EventTypeModel

FOLDS = 5
MIN_DF = 2
QUAD_C = 30.0
TYPE_C = 30.0
GUESSED_TYPE_WEIGHT = 0.3  # a ConfliBERT sentence's guessed type counts this much against a labelled one
ABSENT_CLASS_BIAS = -30.0  # a class no training sentence had (possible within a fold) is never predicted


@dataclass
class Featurized:
    example: Example
    buckets: list[int]  # what the quad head reads
    type_buckets: list[int]  # what the type head reads


@dataclass
class CrossValidation:
    folds: int
    quad_correct: int = 0
    quad_total: int = 0
    type_correct: int = 0
    type_total: int = 0
    per_fold: list[tuple[float, float]] = field(default_factory=list)

    @property
    def quad_accuracy(self) -> float:
        return self.quad_correct / self.quad_total if self.quad_total else 0.0

    @property
    def type_accuracy(self) -> float:
        return self.type_correct / self.type_total if self.type_total else 0.0

    def line(self) -> str:
        return (
            f"{self.folds}-fold CV: quad accuracy on ConfliBERT sentences {self.quad_accuracy:.3f} "
            f"({self.quad_correct}/{self.quad_total}); PLOVER type accuracy on GSR sentences "
            f"{self.type_accuracy:.3f} ({self.type_correct}/{self.type_total})"
        )


def fold_of(text: str, folds: int = FOLDS) -> int:
    """The fixed fold of a sentence: CRC-32 of its normalised text, modulo the number of folds."""
    return zlib.crc32(" ".join(text.split()).lower().encode("utf-8")) % folds


# ------------------------------------------------------------------ features


def featurize(examples: Sequence[Example], nlp=None) -> list[Featurized]:
    """Parse each sentence alone (as a one-sentence text is parsed in extraction) and hash its features."""
    from detente.nlp.pipeline import load_model

    nlp = nlp or load_model()
    done = []
    for doc, example in nlp.pipe(((e.text, e) for e in examples), as_tuples=True, batch_size=64):
        span = doc[:]
        head = None
        if example.event_words:
            words = doc.char_span(*example.event_words, alignment_mode="expand")
            head = words.root if words is not None and len(words) else None
        features = clause_features(span, head)
        done.append(Featurized(example, buckets(features), type_buckets(features)))
    return done


# ------------------------------------------------------------------ fitting


def fit(data: Sequence[Featurized], info: dict | None = None) -> EventTypeModel:
    """Both heads on these sentences, as one model."""
    vocabulary, idf = _vocabulary(data)
    matrix = _matrix([d.buckets for d in data], vocabulary, idf)
    quad_labels = [d.example.quad for d in data]
    quad_w, quad_b = _logistic(matrix, quad_labels, np.ones(len(data)), list(QUAD_CLASSES), QUAD_C)

    matrix = _matrix([d.type_buckets for d in data], vocabulary, idf)
    labelled = [i for i, d in enumerate(data) if d.example.type is not None]
    guessing = [i for i, d in enumerate(data) if d.example.type is None and d.example.allowed] if GUESSED_TYPE_WEIGHT > 0 else []
    type_w, type_b = _logistic(
        matrix[labelled], [data[i].example.type for i in labelled], np.ones(len(labelled)), list(TYPE_CLASSES), TYPE_C
    )
    if guessing:
        guessed = _guess_types(matrix[guessing], [data[i].example.allowed for i in guessing], type_w, type_b)
        rows = labelled + guessing
        labels = [data[i].example.type for i in labelled] + guessed
        weights = np.concatenate([np.ones(len(labelled)), np.full(len(guessing), GUESSED_TYPE_WEIGHT)])
        type_w, type_b = _logistic(matrix[rows], labels, weights, list(TYPE_CLASSES), TYPE_C)

    weights = np.hstack([quad_w, type_w]).astype(np.float16)
    bias = np.round(np.concatenate([quad_b, type_b]), 4).astype(np.float32)
    return EventTypeModel(
        np.array(vocabulary, dtype="<u4"), idf.astype(np.float16), weights, bias, QUAD_CLASSES, TYPE_CLASSES, info
    )


def _vocabulary(data: Sequence[Featurized]) -> tuple[list[int], np.ndarray]:
    """Buckets seen in at least MIN_DF sentences, in ascending order, with their smoothed IDF."""
    df = Counter(b for d in data for b in set(d.buckets))
    kept = sorted(b for b, n in df.items() if n >= MIN_DF)
    n = len(data)
    idf = np.array([np.log((1 + n) / (1 + df[b])) + 1 for b in kept])
    # Round through float16 now, so training sees the very weights inference will use.
    return kept, idf.astype(np.float16).astype(np.float64)


def _matrix(rows: Sequence[Sequence[int]], vocabulary: list[int], idf: np.ndarray):
    """One row per sentence: the IDF of each known bucket it has, scaled to unit length (as `model.py` reads)."""
    from scipy.sparse import csr_matrix

    column = {b: i for i, b in enumerate(vocabulary)}
    indptr, indices, values = [0], [], []
    for row in rows:
        cols = sorted({column[b] for b in row if b in column})
        x = idf[cols]
        norm = np.sqrt(np.dot(x, x)) if cols else 1.0
        indices += cols
        values += list(x / norm)
        indptr.append(len(indices))
    return csr_matrix((np.array(values), np.array(indices, dtype=np.int64), np.array(indptr)), shape=(len(rows), len(vocabulary)))


def _logistic(matrix, labels: list, sample_weight: np.ndarray, classes: list, c: float) -> tuple[np.ndarray, np.ndarray]:
    """Weights (features × classes, in `classes` order) and biases of a multinomial logistic regression."""
    from sklearn.linear_model import LogisticRegression

    model = LogisticRegression(C=c, solver="newton-cg", max_iter=1000, tol=1e-6)
    model.fit(matrix, labels, sample_weight=sample_weight)
    weights = np.zeros((matrix.shape[1], len(classes)))
    bias = np.full(len(classes), ABSENT_CLASS_BIAS)
    learned = list(model.classes_)
    if len(learned) == 2:  # sklearn keeps one row for two classes: spread it as a softmax would
        coef = np.vstack([-model.coef_[0] / 2, model.coef_[0] / 2])
        intercept = np.array([-model.intercept_[0] / 2, model.intercept_[0] / 2])
    else:
        coef, intercept = model.coef_, model.intercept_
    for k, label in enumerate(learned):
        weights[:, classes.index(label)] = coef[k]
        bias[classes.index(label)] = intercept[k]
    return weights, bias


def _guess_types(matrix, allowed: list[tuple[str, ...]], weights: np.ndarray, bias: np.ndarray) -> list[str]:
    """For each sentence, the type its quad class allows that the type head finds most likely."""
    scores = matrix @ weights + bias
    guessed = []
    for row, types in zip(np.asarray(scores), allowed):
        best = max(types, key=lambda t: (row[TYPE_CLASSES.index(t)], -TYPE_CLASSES.index(t)))
        guessed.append(best)
    return guessed


# ------------------------------------------------------------------ cross-validation


def fold_models(data: Sequence[Featurized], folds: int = FOLDS) -> list[EventTypeModel]:
    """A model per fold, each trained on every sentence outside that fold."""
    return [fit([d for d in data if fold_of(d.example.text, folds) != k]) for k in range(folds)]


def cross_validate(data: Sequence[Featurized] | None = None, folds: int = FOLDS) -> CrossValidation:
    """Quad accuracy on held-out ConfliBERT sentences and type accuracy on held-out GSR sentences."""
    data = data if data is not None else featurize(all_examples())
    result = CrossValidation(folds)
    for k, model in enumerate(fold_models(data, folds)):
        held = [d for d in data if fold_of(d.example.text, folds) == k]
        quad = [(model.read_buckets(d.buckets, d.type_buckets).quad_class == d.example.quad) for d in held if d.example.source == "conflibert"]
        types = [(model.read_buckets(d.buckets, d.type_buckets).type == d.example.type) for d in held if d.example.source == "gsr"]
        result.quad_correct += sum(quad)
        result.quad_total += len(quad)
        result.type_correct += sum(types)
        result.type_total += len(types)
        result.per_fold.append((sum(quad) / max(len(quad), 1), sum(types) / max(len(types), 1)))
    return result


# ------------------------------------------------------------------ the command


def training_info(data: Sequence[Featurized]) -> dict:
    """What the artefact was trained on: data digests, the parser, counts (no text)."""
    from detente.nlp.pipeline import load_model

    meta = load_model().meta
    root = shared_data_folder()
    from detente.nlp.events.model.corpora import CONFLIBERT_FILE, EXAMPLES, GSR_FILE

    digests = {
        name: hashlib.sha256(path.read_bytes()).hexdigest()
        for name, path in ((CONFLIBERT_FILE, root / CONFLIBERT_FILE), (GSR_FILE, root / GSR_FILE), ("examples/syria/gold.yaml", EXAMPLES / "gold.yaml"))
    }
    return {
        "data_sha256": digests,
        "parser": f"{meta.get('lang', '')}_{meta.get('name', '')}-{meta.get('version', '')}",
        "sentences": dict(sorted(Counter(d.example.source for d in data).items())),
        "min_df": MIN_DF,
        "quad_c": QUAD_C,
        "type_c": TYPE_C,
        "guessed_type_weight": GUESSED_TYPE_WEIGHT,
    }


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--cv", action="store_true", help="also print the fixed-fold cross-validated scores")
    parser.add_argument("--folds", type=int, default=FOLDS)
    parser.add_argument("--output", default=str(ARTEFACT), help="where to write the model (default: inside the package)")
    args = parser.parse_args(argv)
    try:
        examples = all_examples()
    except TrainingDataMissing as err:
        print(f"error: {err}", file=sys.stderr)
        return 2
    try:
        import sklearn  # noqa: F401
    except ImportError:
        print("error: training needs scikit-learn: pip install -e '.[train]'", file=sys.stderr)
        return 2
    started = time.perf_counter()
    data = featurize(examples)
    model = fit(data, training_info(data))
    model.write(args.output)
    payload = model.to_bytes()
    print(
        f"wrote {args.output}: {len(payload):,} bytes, sha256 {hashlib.sha256(payload).hexdigest()}, "
        f"{len(model.buckets):,} buckets, trained on {len(data)} sentences in {time.perf_counter() - started:.1f} s"
    )
    if args.cv:
        result = cross_validate(data, args.folds)
        print(result.line())
        print("per fold (quad, type): " + ", ".join(f"{q:.3f}/{t:.3f}" for q, t in result.per_fold))
    return 0


if __name__ == "__main__":
    sys.exit(main())
