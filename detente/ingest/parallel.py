"""Ingest's CPU-bound steps on several processes, results in input order, memory bounded.

Cleaning, metadata and fingerprints of one document need nothing from the
store or from other documents, so they run in worker processes; the store is
written by the calling process alone, in input order, which keeps the results
identical to a one-process run. Work is sent in small chunks with a bounded
look-ahead, so memory stays flat however long the stream. Small inputs never
start workers: their first items are done in-process.
"""

from __future__ import annotations

import multiprocessing
import os
import threading
from collections import deque
from collections.abc import Callable, Iterable, Iterator
from concurrent.futures import Future, ProcessPoolExecutor
from itertools import islice
from typing import Any, TypeVar

T = TypeVar("T")
R = TypeVar("R")

CHUNK_ITEMS = 20  # items per message to a worker: large enough to amortise pickling, small enough to balance
CHUNKS_AHEAD_PER_PROCESS = 3  # look-ahead: keeps workers busy while the caller writes, bounds memory
MAX_DEFAULT_PROCESSES = 4

_state: Any = None  # what every call in a worker needs (the repeated-lines table), set once per worker


def default_processes() -> int:
    """The cores this process may use, at most MAX_DEFAULT_PROCESSES."""
    try:
        cores = len(os.sched_getaffinity(0))
    except AttributeError:  # not on Linux
        cores = os.cpu_count() or 1
    return max(1, min(cores, MAX_DEFAULT_PROCESSES))


def ordered_map(
    fn: Callable[[T, Any], R],
    items: Iterable[T],
    state: Any = None,
    processes: int = 1,
    in_process_first: int = 0,
) -> Iterator[tuple[T, R]]:
    """(item, fn(item, state)) for each item, in input order.

    `fn` must be a module-level function (workers find it by name). The first
    `in_process_first` items run here; workers start only if more follow.
    """
    stream = iter(items)
    for item in islice(stream, in_process_first):
        yield item, fn(item, state)
    if processes <= 1:
        for item in stream:
            yield item, fn(item, state)
        return
    first_chunk = list(islice(stream, CHUNK_ITEMS))
    if not first_chunk:
        return
    pool = _pool(processes, state)
    try:
        pending: deque[tuple[list[T], Future]] = deque()
        chunk = first_chunk
        while chunk:
            pending.append((chunk, pool.submit(_run_chunk, fn, chunk)))
            if len(pending) >= processes * CHUNKS_AHEAD_PER_PROCESS:
                yield from _collect(*pending.popleft())
            chunk = list(islice(stream, CHUNK_ITEMS))
        while pending:
            yield from _collect(*pending.popleft())
    finally:  # an interrupted caller does not wait for the look-ahead
        pool.shutdown(wait=True, cancel_futures=True)


def _collect(chunk: list, future: Future) -> Iterator[tuple]:
    yield from zip(chunk, future.result())


def _pool(processes: int, state: Any) -> ProcessPoolExecutor:
    """Forked workers start at once with everything imported and need no `if __name__ == "__main__"`
    guard in the caller's script. Forking a process that runs other threads (a progress bar) can
    deadlock the child on a lock one of them held, so such a process uses a fork server instead."""
    if threading.active_count() == 1 and "fork" in multiprocessing.get_all_start_methods():
        context = multiprocessing.get_context("fork")
    else:
        context = multiprocessing.get_context("forkserver")
        context.set_forkserver_preload(["detente.ingest.pipeline"])
    return ProcessPoolExecutor(processes, mp_context=context, initializer=_set_state, initargs=(state,))


def _set_state(state: Any) -> None:
    global _state
    _state = state


def _run_chunk(fn: Callable[[T, Any], R], chunk: list[T]) -> list[R]:
    return [fn(item, _state) for item in chunk]
