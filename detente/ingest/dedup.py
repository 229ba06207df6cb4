"""Near-duplicates: MinHash LSH proposes candidates, exact shingle overlap decides.

A `copy` is the same text reposted (perhaps with other web mess around it); a
`rewrite` is another outlet retelling a story, reusing some of its sentences
and quotes. Both documents are kept; the later one points at the original.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from datasketch import MinHash, MinHashLSH

NUM_PERM = 128
# Stored signatures are only comparable with ones made by the same scheme.
SCHEME = "affine32"
SHINGLE_WORDS = 4
LSH_THRESHOLD = 0.1
COPY_JACCARD = 0.8
REWRITE_CONTAINMENT = 0.12
REWRITE_CONTAINMENT_ATTRIBUTED = 0.05

_WORD = re.compile(r"\w+", re.UNICODE)


def shingles(text: str, size: int = SHINGLE_WORDS) -> set[bytes]:
    words = [w.lower() for w in _WORD.findall(text.replace("’", "'"))]
    if len(words) < size:
        return {" ".join(words).encode()} if words else set()
    return {" ".join(words[i : i + size]).encode() for i in range(len(words) - size + 1)}


def signature(shingle_set: set[bytes]) -> MinHash:
    minhash = MinHash(num_perm=NUM_PERM, scheme=SCHEME)
    minhash.update_batch(list(shingle_set))
    return minhash


def signature_from_values(values: list[int]) -> MinHash:
    return MinHash(num_perm=NUM_PERM, hashvalues=values, scheme=SCHEME)


@dataclass(frozen=True)
class Overlap:
    jaccard: float
    containment: float  # shared shingles over the smaller document's


def overlap(a: set[bytes], b: set[bytes]) -> Overlap:
    if not a or not b:
        return Overlap(0.0, 0.0)
    shared = len(a & b)
    return Overlap(shared / len(a | b), shared / min(len(a), len(b)))


def relation_for(found: Overlap, attributed: bool) -> str | None:
    """`attributed`: one document credits the other's outlet ("according to X"), which lowers the bar."""
    if found.jaccard >= COPY_JACCARD:
        return "copy"
    bar = REWRITE_CONTAINMENT_ATTRIBUTED if attributed else REWRITE_CONTAINMENT
    if found.containment >= bar:
        return "rewrite"
    return None


class CandidateIndex:
    """The LSH index over every stored document's signature."""

    def __init__(self) -> None:
        self._lsh = MinHashLSH(threshold=LSH_THRESHOLD, num_perm=NUM_PERM)

    def add(self, doc_id: str, minhash: MinHash) -> None:
        if doc_id not in self._lsh:
            self._lsh.insert(doc_id, minhash)

    def candidates(self, minhash: MinHash) -> list[str]:
        return sorted(self._lsh.query(minhash))
