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
two documents sharing several of them reuse whole passages. A fingerprint
that PASSAGE_DOCS_CAP documents already share is a formula, not reuse: it
is neither stored again nor used to propose candidates, so every lookup
stays bounded however large the store grows.
"""

from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass
from functools import lru_cache

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
# A passage that this many stored documents share is a formula (a wire credit, a stock phrase, a template
# sentence), not reuse: it is stored for no more documents and proposes no candidates. Without the cap its
# posting list grows with the store, and so do the lookup and the candidates checked for every new document.
PASSAGE_DOCS_CAP = 20

_WORD = re.compile(r"\w+", re.UNICODE)


def words_of(text: str) -> list[str]:
    """The lower-cased words both fingerprints are made of."""
    return _words(text)


def _words(text: str) -> list[str]:
    return [w.lower() for w in _WORD.findall(text.replace("’", "'"))]


def shingles(text: str, size: int = SHINGLE_WORDS) -> set[bytes]:
    return shingles_of_words(_words(text), size)


def shingles_of_words(words: list[str], size: int = SHINGLE_WORDS) -> set[bytes]:
    """`shingles` for a text already cut into words (ingest cuts each text once for both fingerprints)."""
    if len(words) < size:
        return {" ".join(words).encode()} if words else set()
    join = " ".join
    return {join(words[i : i + size]).encode() for i in range(len(words) - size + 1)}


def passage_fingerprints(text: str) -> set[int]:
    return passage_fingerprints_of_words(_words(text))


def passage_fingerprints_of_words(words: list[str]) -> set[int]:
    """Winnowing: the smallest hash in every window of word-run hashes.

    Any passage of PASSAGE_WORDS + WINNOW_WINDOW - 1 words shared by two texts
    yields at least one shared fingerprint, at about 2/(window+1) of the cost
    of keeping every hash.
    """
    join, blake2b, from_bytes = " ".join, hashlib.blake2b, int.from_bytes
    hashes = [
        from_bytes(blake2b(join(words[i : i + PASSAGE_WORDS]).encode(), digest_size=8).digest(), "big", signed=True)
        for i in range(len(words) - PASSAGE_WORDS + 1)
    ]  # _hash64 inlined: this runs for every word of every document
    if len(hashes) <= WINNOW_WINDOW:
        return set(hashes[:1]) if hashes else set()
    return {min(hashes[i : i + WINNOW_WINDOW]) for i in range(len(hashes) - WINNOW_WINDOW + 1)}


def _hash64(run: str) -> int:
    """A signed 64-bit hash, stable across processes (Python's hash() is not) and fit for an SQL BIGINT."""
    return int.from_bytes(hashlib.blake2b(run.encode(), digest_size=8).digest(), "big", signed=True)


def signature(shingle_set: set[bytes]) -> MinHash:
    minhash = MinHash(num_perm=NUM_PERM, scheme=SCHEME, permutations=_permutations())
    minhash.update_batch(list(shingle_set))
    return minhash


@lru_cache(maxsize=1)
def _permutations():
    """The scheme's permutations, drawn once: datasketch draws them anew for every MinHash it makes."""
    return MinHash(num_perm=NUM_PERM, scheme=SCHEME).permutations


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
