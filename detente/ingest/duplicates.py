"""Linking a batch of new documents to the copies and rewrites among stored and earlier documents.

Per batch, not per document: one lookup for the band hashes of the whole batch,
one for its passage fingerprints and one for the texts of the candidates they
propose. A document earlier in the same batch is a candidate exactly as a
stored one is, so the result is the one a document-at-a-time ingest gives.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from functools import cached_property
from itertools import chain

from sqlalchemy import Connection

from detente.ingest.dedup import (
    MAX_PASSAGE_CANDIDATES,
    MIN_SHARED_PASSAGES,
    PASSAGE_DOCS_CAP,
    overlap,
    relation_for,
    shingles as shingles_of,
)
from detente.store import documents as store


@dataclass
class NewDocument:
    row: dict
    bands: list[int]
    passages: set[int]
    stored_passages: set[int] = field(default_factory=set)  # those under the cap: the ones kept in the store
    candidates: list[str] = field(default_factory=list)

    @cached_property
    def shingles(self) -> set[bytes]:
        """Made only for the few documents compared with another: most have no candidate at all."""
        return shingles_of(self.row["text"])


@dataclass(frozen=True)
class DuplicateMark:
    later: str
    original: str
    relation: str
    similarity: float


def find_candidates(conn: Connection, batch: list[NewDocument]) -> None:
    """Fill each document's candidates and the passages it will store, in batch order."""
    by_band = store.documents_by_band(conn, {b for doc in batch for b in doc.bands})
    by_passage = store.documents_by_passage(conn, {p for doc in batch for p in doc.passages})
    for doc in batch:
        candidates = {other for band in doc.bands for other in by_band.get(band, ())}
        held = [(p, by_passage.get(p, ())) for p in doc.passages]
        doc.stored_passages = {p for p, holders in held if len(holders) < PASSAGE_DOCS_CAP}  # else a formula
        shared = Counter(chain.from_iterable(holders for _, holders in held if len(holders) < PASSAGE_DOCS_CAP))
        ranked = sorted((d for d, n in shared.items() if n >= MIN_SHARED_PASSAGES), key=lambda d: (-shared[d], d))
        candidates.update(ranked[:MAX_PASSAGE_CANDIDATES])
        candidates.discard(doc.row["id"])
        doc.candidates = sorted(candidates)
        for band in doc.bands:  # later documents of the batch see this one as if it were stored
            by_band.setdefault(band, []).append(doc.row["id"])
        for passage in doc.stored_passages:
            by_passage.setdefault(passage, []).append(doc.row["id"])


def link_duplicates(conn: Connection, batch: list[NewDocument]) -> list[DuplicateMark]:
    """Each new document against its candidates: the closest copy or rewrite, the later one pointing at the original."""
    in_batch = {doc.row["id"]: doc for doc in batch}
    wanted = {c for doc in batch for c in doc.candidates if c not in in_batch}
    stored = store.dedup_views(conn, wanted)
    stored_shingles: dict[str, set[bytes]] = {}
    marks: list[DuplicateMark] = []
    for doc in batch:
        best = None
        for other_id in doc.candidates:
            if other_id in in_batch:
                other, theirs = in_batch[other_id].row, in_batch[other_id].shingles
            elif other_id in stored:
                other = stored[other_id]
                if other_id not in stored_shingles:
                    stored_shingles[other_id] = shingles_of(other["text"])
                theirs = stored_shingles[other_id]
            else:
                continue
            found = overlap(doc.shingles, theirs)
            relation = relation_for(found, _credits(doc.row, other) or _credits(other, doc.row))
            if relation and (best is None or found.containment > best[2].containment):
                best = (other, relation, found)
        if best is not None:
            other, relation, found = best
            later, original = _order(doc.row, other)
            similarity = round(found.jaccard if relation == "copy" else found.containment, 3)
            marks.append(DuplicateMark(later["id"], original["id"], relation, similarity))
    return marks


def _credits(doc: dict, other: dict) -> bool:
    """Does `doc` say it is retelling `other` ("according to <other's outlet>")?"""
    return bool(doc.get("attributed_to") and other.get("outlet") and doc["attributed_to"] == other["outlet"])


def _order(new: dict, old: dict) -> tuple[dict, dict]:
    """(later, original): the one that credits the other is the retelling; else the later date; else the new one."""
    if _credits(new, old):
        return new, old
    if _credits(old, new):
        return old, new
    if new.get("published") and old.get("published") and new["published"] < old["published"]:
        return old, new
    return new, old
