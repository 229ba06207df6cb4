"""Near-duplicates: candidates from MinHash LSH bands and shared passages, exact overlap decides.

A `copy` is the same text reposted (perhaps with other web mess around it); a
`rewrite` is another outlet retelling a story, reusing some of its sentences
and quotes. Both documents are kept; the later one points at the original.

MinHash LSH finds copies. Its band hashes live in the store (datasketch keeps
its index in memory or in Redis/Cassandra), so memory stays flat however
many documents are stored, and a later batch finds copies of earlier ones. But a rewrite shares too small a part of its words
(Jaccard often under 0.1) for LSH to propose it without flooding the check
with unrelated articles. So each document also keeps a few winnowed passage
fingerprints (hashes of word runs, as plagiarism detectors do) in the store;
two documents sharing several of them reuse whole passages.
"""

from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass

from datasketch import MinHash

# Stored signatures are only comparable with ones made by the same scheme.
SCHEME = "affine32"
SHINGLE_WORDS = 4
# 20 bands of 6 rows: documents with Jaccard 0.8 share a band with probability 0.998, at 0.3 with 0.08.
LSH_BANDS = 20
LSH_ROWS = 6
NUM_PERM = LSH_BANDS * LSH_ROWS
COPY_JACCARD = 0.8
REWRITE_CONTAINMENT = 0.12
REWRITE_CONTAINMENT_ATTRIBUTED = 0.05

PASSAGE_WORDS = 6
WINNOW_WINDOW = 8
MIN_SHARED_PASSAGES = 3
MAX_PASSAGE_CANDIDATES = 5

_WORD = re.compile(r"\w+", re.UNICODE)


def _words(text: str) -> list[str]:
    return [w.lower() for w in _WORD.findall(text.replace("’", "'"))]


def shingles(text: str, size: int = SHINGLE_WORDS) -> set[bytes]:
    words = _words(text)
    if len(words) < size:
        return {" ".join(words).encode()} if words else set()
    return {" ".join(words[i : i + size]).encode() for i in range(len(words) - size + 1)}


def passage_fingerprints(text: str) -> set[int]:
    """Winnowing: the smallest hash in every window of word-run hashes.

    Any passage of PASSAGE_WORDS + WINNOW_WINDOW - 1 words shared by two texts
    yields at least one shared fingerprint, at about 2/(window+1) of the cost
    of keeping every hash.
    """
    words = _words(text)
    hashes = [_hash64(" ".join(words[i : i + PASSAGE_WORDS])) for i in range(len(words) - PASSAGE_WORDS + 1)]
    if len(hashes) <= WINNOW_WINDOW:
        return set(hashes[:1]) if hashes else set()
    return {min(hashes[i : i + WINNOW_WINDOW]) for i in range(len(hashes) - WINNOW_WINDOW + 1)}


def _hash64(run: str) -> int:
    """A signed 64-bit hash, stable across processes (Python's hash() is not) and fit for an SQL BIGINT."""
    return int.from_bytes(hashlib.blake2b(run.encode(), digest_size=8).digest(), "big", signed=True)


def signature(shingle_set: set[bytes]) -> MinHash:
    minhash = MinHash(num_perm=NUM_PERM, scheme=SCHEME)
    minhash.update_batch(list(shingle_set))
    return minhash


def band_hashes(minhash: MinHash) -> list[int]:
    """One 64-bit hash per LSH band; two documents sharing any of them are copy candidates."""
    values = minhash.hashvalues
    return [
        _hash64(f"{band}:" + ",".join(str(int(v)) for v in values[band * LSH_ROWS : (band + 1) * LSH_ROWS]))
        for band in range(LSH_BANDS)
    ]


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
