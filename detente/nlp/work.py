"""Where the per-document extraction runs: here, in worker processes, or (see `dask_runs`) on a Dask cluster.

Parsing and `extract_doc` are the costly part of extraction and need nothing
but the text, the publication date and the read-only registries, so they can
run anywhere; what comes back is the plain `DocumentExtraction` of each
document. Writing stays with the caller, in the order of the pending list,
because mapping a document's actors to the store's ids (`ActorIndex`) depends
on what earlier documents added: the same order gives the same records however
the work was spread.

Each worker process loads the spaCy model once (`load_model` caches it per
process) and keeps the job's registries between batches.
"""

from __future__ import annotations

import multiprocessing
from collections.abc import Iterable, Iterator, Sequence
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from detente.nlp.actors.registry import ActorRegistry
    from detente.nlp.extract import DocumentExtraction
    from detente.nlp.stances.targets import TargetRegistry

# Documents per task sent to a worker: enough to batch the parser, small enough to balance two workers.
BATCH_DOCUMENTS = 8

Pending = dict  # a row of `pending_documents`: id, text, published
Item = tuple[str, str, "str | None"]  # document id, text, publication date


class DaskUnavailable(RuntimeError):
    """Dask is not installed, or its scheduler cannot be reached; the message says what to do.

    Defined here, not in `dask_runs`, so the CLI can catch it without importing Dask.
    """


@dataclass(frozen=True)
class ExtractionJob:
    """Everything a worker needs besides the texts; sent once per worker, not once per document."""

    registry: ActorRegistry
    targets: TargetRegistry
    model: str | None = None

    def extract(self, items: Sequence[Item]) -> list[tuple[str, DocumentExtraction]]:
        """Parse and extract a batch of documents in this process; long texts are parsed in chunks."""
        from detente.nlp.chunks import parse_all
        from detente.nlp.extract import extract_doc
        from detente.nlp.pipeline import load_model

        nlp = load_model(self.model)
        pairs = ((text, (doc_id, published)) for doc_id, text, published in items)
        return [
            (doc_id, extract_doc(doc, self.registry, published, self.targets))
            for doc, (doc_id, published) in parse_all(nlp, pairs)
        ]


def items_of(rows: Iterable[Pending]) -> list[Item]:
    return [(row["id"], row["text"], row["published"]) for row in rows]


def batches(items: Sequence[Item], size: int | None = None) -> list[Sequence[Item]]:
    size = size or BATCH_DOCUMENTS
    return [items[i:i + size] for i in range(0, len(items), size)]


def balanced_batches(items: Sequence[Item], workers: int) -> list[Sequence[Item]]:
    """Batches for `workers` at once: full ones first, then the last few documents one at a time.

    With full batches to the end, a worker that takes the last one parses up
    to BATCH_DOCUMENTS documents while the others have nothing left (on 100
    documents and two workers, 2 of 12 seconds); single documents at the end
    let the workers finish together.
    """
    head = max(0, len(items) - BATCH_DOCUMENTS * max(workers, 1))
    return batches(items[:head]) + [items[i:i + 1] for i in range(head, len(items))]


def in_process(job: ExtractionJob, items: Sequence[Item]) -> Iterator[tuple[str, DocumentExtraction]]:
    """One document after another in this process, parsed in `nlp.pipe` batches."""
    for batch in batches(items, 64):
        yield from job.extract(batch)


# The job of this worker process, set once by the pool's initializer.
_worker_job: ExtractionJob | None = None


def _start_worker(job: ExtractionJob) -> None:
    global _worker_job
    _worker_job = job
    from detente.nlp.pipeline import load_model

    load_model(job.model)  # before the first batch arrives, so batches are all alike in cost


def _extract_in_worker(items: Sequence[Item]) -> list[tuple[str, DocumentExtraction]]:
    assert _worker_job is not None, "worker started without its job"
    return _worker_job.extract(items)


def in_processes(job: ExtractionJob, items: Sequence[Item], processes: int) -> Iterator[tuple[str, DocumentExtraction]]:
    """Batches spread over `processes` worker processes; results come back in the order of `items`.

    Where the platform can fork, the model is loaded here first and the workers
    are forked from this process: they start with the model and the registries
    already in memory (shared until written), instead of each spending seconds
    importing spaCy and loading the model again. Workers never touch the
    store's connections or print; they leave with os._exit, so nothing the
    parent holds is closed or flushed twice. Elsewhere they are spawned.
    """
    workers = max(1, min(processes, len(items)))
    work = balanced_batches(items, workers)
    if "fork" in multiprocessing.get_all_start_methods():
        from detente.nlp.pipeline import load_model

        load_model(job.model)
        context = multiprocessing.get_context("fork")
    else:
        context = multiprocessing.get_context("spawn")
    with ProcessPoolExecutor(workers, mp_context=context, initializer=_start_worker, initargs=(job,)) as pool:
        for results in pool.map(_extract_in_worker, work):
            yield from results
