"""Extraction on a Dask cluster: `detente extract --scheduler tcp://HOST:PORT` (or `local`).

The pending documents are cut into batches, one task each; a task parses and
extracts its batch on a worker and returns the plain records, which the client
writes, in the pending order, one transaction per document (see `work`). A
worker that dies takes only unreturned tasks with it: the scheduler reruns
them elsewhere, and since nothing is written on a worker and the client
writes each document once, a rerun can neither lose nor duplicate a row.

Each worker loads the spaCy model once, when the plugin below is registered
(or when it joins later), not once per task.
"""

from __future__ import annotations

import logging
import os
import uuid
from collections.abc import Iterator, Sequence
from contextlib import contextmanager

from detente.nlp.work import DaskUnavailable, ExtractionJob, Item, balanced_batches

LOCAL = "local"
CONNECT_TIMEOUT = "20s"
WORKER_TIMEOUT = 60  # seconds a scheduler may take to have its first worker


try:
    import distributed
except ImportError:  # the [dask] extra is not installed: `on_dask` says so when asked to run
    distributed = None


def _distributed():
    if distributed is None:
        raise DaskUnavailable(
            "Extraction on Dask needs dask.distributed: pip install 'detente[dask]' (or drop --scheduler)."
        )
    return distributed


class PreloadModel(distributed.WorkerPlugin if distributed else object):
    """Loads the spaCy model when a worker starts (or joins later), so no task pays for it."""

    def __init__(self, model: str | None) -> None:
        self.model = model
        self.name = f"detente-model-{model or 'default'}"

    def setup(self, worker) -> None:
        from detente.nlp.pipeline import load_model

        load_model(self.model)


def _extract_batch(job: ExtractionJob, items: Sequence[Item]):
    return job.extract(items)


def _the_job(job: ExtractionJob) -> ExtractionJob:
    """The job as a task's result: held on a worker and fetched by the others, and, unlike scattered
    data, recomputed from the task if every worker that held it dies."""
    return job


@contextmanager
def dask_client(scheduler: str, workers: int | None = None):
    """A client of the scheduler at `scheduler`, or of a local cluster of `workers` processes for "local"."""
    distributed = _distributed()
    if scheduler == LOCAL:
        count = workers or os.cpu_count() or 1
        with distributed.LocalCluster(
            n_workers=count, threads_per_worker=1, processes=True, dashboard_address=":0",
            silence_logs=logging.ERROR,  # a slow worker shutdown is not the user's business
        ) as cluster, distributed.Client(cluster) as client:
            yield client
        return
    try:
        client = distributed.Client(scheduler, timeout=CONNECT_TIMEOUT)
    except (OSError, TimeoutError) as err:
        raise DaskUnavailable(
            f"Could not reach the Dask scheduler at {scheduler} ({err}). Start one (`dask scheduler` and "
            "`dask worker ADDRESS`), check the address, or use --scheduler local."
        ) from err
    with client:
        yield client


def _wait_for_a_worker(client, scheduler: str) -> None:
    """A scheduler with no workers would hold the tasks for ever: say so instead."""
    try:
        client.wait_for_workers(1, timeout=WORKER_TIMEOUT)
    except TimeoutError as err:
        raise DaskUnavailable(
            f"The Dask scheduler at {scheduler} has no workers after {WORKER_TIMEOUT}s. Start some "
            f"(`dask worker {scheduler} --nthreads 1`) on machines with detente and its spaCy model installed."
        ) from err


def on_dask(job: ExtractionJob, items: Sequence[Item], scheduler: str, workers: int | None = None) -> Iterator:
    """(document id, extraction) for every item, in the order of `items`, computed on the cluster."""
    if not items:
        return
    with dask_client(scheduler, workers) as client:
        _wait_for_a_worker(client, scheduler)
        client.register_plugin(PreloadModel(job.model))
        run = uuid.uuid4().hex[:8]
        shared = client.submit(_the_job, job, key=f"detente-job-{run}", pure=False)
        futures = [
            client.submit(_extract_batch, shared, batch, key=f"detente-extract-{run}-{i}", pure=False)
            for i, batch in enumerate(balanced_batches(items, sum(client.nthreads().values())))
        ]
        for future in futures:
            results = future.result()
            future.release()
            yield from results
