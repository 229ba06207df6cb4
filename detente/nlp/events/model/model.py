"""The learned event-type model: what class of event, and which PLOVER type, a clause reports.

Two linear heads over one set of hashed features (`features.py`): the quad
class 0–4 of CAMEO's Phoenix grouping, and the PLOVER 0.8 type (or NONE). The
weights ship inside the package as `event_type_model.bin`, written by
`train.py` (`make train`), and are read once, on first use: nothing here runs
when `detente --help` does.

The file is a fixed header and raw little-endian arrays, not `np.savez` (a
zip stamps the time it was written, so retraining on the same data would not
give the same bytes):

    MAGIC  b"DETENTE-EVTM\\n"
    uint32 length of the JSON header, then the header (UTF-8, sorted keys)
    the arrays the header lists, in order, each `dtype` and `shape` as listed

The header names the format version, the feature digest (word lists and
feature code the weights were learned with) and both heads' classes; a file
that does not match what this code reads is refused with a message saying
how to rebuild it.

Evaluation substitutes another model (one trained without a held-out fold)
with `using_model(model)`; extraction always asks `event_type_model()`.
"""

from __future__ import annotations

import contextlib
import json
import math
import struct
from collections.abc import Iterator, Sequence
from contextvars import ContextVar
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

import numpy as np
from spacy.tokens import Span, Token

from detente.nlp.events.model.features import PAIR, bucket, clause_features, feature_words
from detente.nlp.events.model.labels import QUAD_CLASSES, TYPE_CLASSES

ARTEFACT = Path(__file__).with_name("event_type_model.bin")
MAGIC = b"DETENTE-EVTM\n"
FORMAT = "detente-event-type-model"
FORMAT_VERSION = 1
ARRAYS = (("buckets", "<u4"), ("idf", "<f2"), ("weights", "<f2"), ("bias", "<f4"))
REBUILD = "Rebuild it with `make train` (needs ../shared/data), or reinstall detente."


class ModelFormatError(RuntimeError):
    """The artefact on disk is not one this code can read."""


@dataclass(frozen=True)
class Reading:
    """The model's view of one clause: a probability per quad class and per type."""

    quad: np.ndarray  # shape (5,), in QUAD_CLASSES order, sums to 1
    types: np.ndarray  # shape (len(type_classes),), sums to 1
    type_classes: tuple[str, ...]

    @property
    def quad_class(self) -> int:
        return int(np.argmax(self.quad))

    @property
    def type(self) -> str:
        return self.type_classes[int(np.argmax(self.types))]

    def type_probability(self, plover_type: str) -> float:
        return float(self.types[self.type_classes.index(plover_type)]) if plover_type in self.type_classes else 0.0

    def best_types(self, n: int = 3) -> list[tuple[str, float]]:
        order = np.argsort(-self.types, kind="stable")[:n]
        return [(self.type_classes[i], float(self.types[i])) for i in order]


class EventTypeModel:
    """Weights over hashed feature buckets; `read` scores a clause, `read_features` a feature list."""

    def __init__(
        self,
        buckets: np.ndarray,
        idf: np.ndarray,
        weights: np.ndarray,
        bias: np.ndarray,
        quad_classes: Sequence[int] = QUAD_CLASSES,
        type_classes: Sequence[str] = TYPE_CLASSES,
        info: dict | None = None,
    ) -> None:
        self.quad_classes = tuple(int(c) for c in quad_classes)
        self.type_classes = tuple(type_classes)
        width = len(self.quad_classes) + len(self.type_classes)
        if weights.shape != (len(buckets), width) or idf.shape != (len(buckets),) or bias.shape != (width,):
            raise ModelFormatError(
                f"The event-type model's arrays do not fit together (buckets {buckets.shape}, idf {idf.shape}, "
                f"weights {weights.shape}, bias {bias.shape}). {REBUILD}"
            )
        self.buckets = np.asarray(buckets, dtype="<u4")
        self.idf = np.asarray(idf, dtype=np.float32)
        self.weights = np.asarray(weights, dtype=np.float32)
        self.bias = np.asarray(bias, dtype=np.float32)
        self.info = dict(info or {})
        self._row = {int(b): i for i, b in enumerate(self.buckets.tolist())}
        self._scaled = self.weights * self.idf[:, None]  # each bucket's weights times its IDF
        self._idf2 = (self.idf.astype(np.float64) ** 2).tolist()

    # ------------------------------------------------------------------ reading clauses

    def read(self, span: Span, head: Token | None = None) -> Reading:
        """Quad-class and type probabilities of a clause (a sentence or part of one), its event on `head` if given."""
        return self.read_features(clause_features(span, head))

    def quad_probabilities(self, span: Span, head: Token | None = None) -> np.ndarray:
        return self.read(span, head).quad

    def type_probabilities(self, span: Span, head: Token | None = None) -> dict[str, float]:
        reading = self.read(span, head)
        return {t: float(p) for t, p in zip(reading.type_classes, reading.types)}

    def read_features(self, features: Sequence[str]) -> Reading:
        ids = [bucket(f) for f in features]
        return self.read_buckets(ids, [i for f, i in zip(features, ids) if not f.startswith(PAIR)])

    def read_buckets(self, quad_ids: Sequence[int], type_ids: Sequence[int]) -> Reading:
        """Each head reads its own buckets (`features.py` says which); unknown buckets are left out.

        A head's input is the IDF of each known bucket, scaled to unit length
        (as `train.py` fits it); with the IDF folded into `_scaled`, that is a
        sum of rows divided by one norm. The type head's buckets are a subset
        of the quad head's, so their sum is shared.
        """
        row = self._row.get
        type_rows = {r for r in map(row, type_ids) if r is not None}
        more_rows = {r for r in map(row, quad_ids) if r is not None} - type_rows
        split = len(self.quad_classes)
        quad, types = self.bias[:split].copy(), self.bias[split:].copy()
        rows = list(type_rows) + list(more_rows)
        if rows:
            # One gather; the first sum is the type head's rows, the second the quad head's extra rows.
            sums = np.add.reduceat(self._scaled[rows], [0, len(type_rows)] if type_rows and more_rows else [0])
            type_norm = sum(self._idf2[r] for r in type_rows)
            quad_norm = type_norm + sum(self._idf2[r] for r in more_rows)
            if type_rows:
                types += sums[0, split:] / math.sqrt(type_norm)
            quad += sums.sum(axis=0)[:split] / math.sqrt(quad_norm)
        return Reading(_softmax(quad), _softmax(types), self.type_classes)

    # ------------------------------------------------------------------ the artefact

    def header(self) -> dict:
        return {
            "format": FORMAT,
            "version": FORMAT_VERSION,
            "features": feature_words().digest,
            "quad_classes": list(self.quad_classes),
            "type_classes": list(self.type_classes),
            "arrays": [{"name": name, "dtype": dtype, "shape": list(self._array(name).shape)} for name, dtype in ARRAYS],
            "info": self.info,
        }

    def _array(self, name: str) -> np.ndarray:
        return getattr(self, name)

    def to_bytes(self) -> bytes:
        header = json.dumps(self.header(), sort_keys=True, separators=(",", ":"), ensure_ascii=True).encode("utf-8")
        parts = [MAGIC, struct.pack("<I", len(header)), header]
        for name, dtype in ARRAYS:
            parts.append(np.ascontiguousarray(self._array(name), dtype=dtype).tobytes())
        return b"".join(parts)

    @classmethod
    def from_bytes(cls, data: bytes, where: str = "the event-type model") -> EventTypeModel:
        if not data.startswith(MAGIC) or len(data) < len(MAGIC) + 4:
            raise ModelFormatError(f"{where} is not a detente event-type model file. {REBUILD}")
        (length,) = struct.unpack_from("<I", data, len(MAGIC))
        offset = len(MAGIC) + 4
        try:
            header = json.loads(data[offset:offset + length].decode("utf-8"))
        except (UnicodeDecodeError, json.JSONDecodeError) as err:
            raise ModelFormatError(f"{where} has an unreadable header ({err}). {REBUILD}") from err
        _check_header(header, where)
        offset += length
        arrays = {}
        for spec in header["arrays"]:
            dtype = np.dtype(spec["dtype"])
            count = int(np.prod(spec["shape"], dtype=np.int64))
            if offset + count * dtype.itemsize > len(data):
                raise ModelFormatError(f"{where} is cut short (array {spec['name']!r}). {REBUILD}")
            arrays[spec["name"]] = np.frombuffer(data, dtype, count, offset).reshape(spec["shape"])
            offset += count * dtype.itemsize
        if offset != len(data):
            raise ModelFormatError(f"{where} has {len(data) - offset} bytes more than its header lists. {REBUILD}")
        return cls(
            arrays["buckets"], arrays["idf"], arrays["weights"], arrays["bias"],
            header["quad_classes"], header["type_classes"], header.get("info"),
        )

    @classmethod
    def load(cls, path: Path = ARTEFACT) -> EventTypeModel:
        try:
            data = Path(path).read_bytes()
        except OSError as err:
            raise ModelFormatError(f"The event-type model {str(path)!r} cannot be read ({err.strerror}). {REBUILD}") from err
        return cls.from_bytes(data, f"The event-type model {str(path)!r}")

    def write(self, path: Path = ARTEFACT) -> None:
        Path(path).write_bytes(self.to_bytes())


def _check_header(header: dict, where: str) -> None:
    if not isinstance(header, dict) or header.get("format") != FORMAT:
        raise ModelFormatError(f"{where} is not a detente event-type model file. {REBUILD}")
    if header.get("version") != FORMAT_VERSION:
        raise ModelFormatError(
            f"{where} is format version {header.get('version')}; this detente reads version {FORMAT_VERSION}. {REBUILD}"
        )
    if header.get("features") != feature_words().digest:
        raise ModelFormatError(
            f"{where} was trained on other features (digest {header.get('features')}, the code now makes "
            f"{feature_words().digest}: feature_words.yaml or features.py changed). {REBUILD}"
        )
    names = [(a.get("name"), a.get("dtype")) for a in header.get("arrays", [])]
    if names != [(n, d) for n, d in ARRAYS]:
        raise ModelFormatError(f"{where} lists arrays {names}; this detente reads {list(ARRAYS)}. {REBUILD}")


def _softmax(logits: np.ndarray) -> np.ndarray:
    """In plain Python: for 5 or 17 numbers that is quicker than numpy's calls."""
    values = logits.tolist()
    top = max(values)
    exps = [math.exp(v - top) for v in values]
    total = sum(exps)
    return np.array([e / total for e in exps], dtype=np.float32)


# ------------------------------------------------------------------ the model extraction uses


@lru_cache(maxsize=1)
def packaged_model() -> EventTypeModel:
    """The model shipped with detente, read on first use and kept."""
    return EventTypeModel.load(ARTEFACT)


_substitute: ContextVar[EventTypeModel | None] = ContextVar("detente_event_type_model", default=None)


def event_type_model() -> EventTypeModel:
    """The model extraction should use: a substitute set by `using_model`, else the packaged one."""
    return _substitute.get() or packaged_model()


@contextlib.contextmanager
def using_model(model: EventTypeModel) -> Iterator[EventTypeModel]:
    """Make `event_type_model()` return `model` inside the block (e.g. one trained without a held-out fold)."""
    token = _substitute.set(model)
    try:
        yield model
    finally:
        _substitute.reset(token)
