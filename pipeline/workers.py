"""Local worker processes: started fresh (spawned) by default, or forked from this process."""

from __future__ import annotations

import gc
import multiprocessing
import multiprocessing.pool
import signal
from collections.abc import Callable

#: How the engine starts its workers: fresh interpreters (see :func:`worker_pool`).
START_METHOD = "spawn"


def worker_pool(
    processes: int,
    initializer: Callable[..., object] | None = None,
    initargs: tuple[object, ...] = (),
    *,
    start_method: str = START_METHOD,
    max_tasks: int | None = None,
) -> multiprocessing.pool.Pool:
    """A pool of ``processes`` workers, started with ``start_method`` (``spawn`` or ``fork``).

    ``max_tasks``: a worker that has run this many tasks exits and the pool starts a fresh one
    (``maxtasksperchild``), which runs ``initializer`` again; None keeps workers for the pool's
    life.

    Why spawn by default: a forked worker begins as a copy of its parent, and every page the
    parent had written (Dagster, Polars' and DuckDB's working memory, whatever earlier steps
    left) is counted again in the worker's RSS, shared or not. A worker only needs spaCy, the
    model and the extractors' tables: started fresh, it holds those and no more. Measured on a
    fresh ``newsledger run`` of 1,000 AllSides articles: each forked worker began at the
    parent's 516 MiB; a spawned one holds about 260 MiB once it has loaded what it needs. The
    price is that load (about 2 s of CPU per worker, the two in parallel), paid once per pass.

    For ``fork``, as the :mod:`gc` docs advise, what is loaded by now lives as long as the
    process and is frozen out of the collector first, so no collection (in the workers, whose
    collections would write to the pages they share with the parent, or in the parent) walks it.
    """
    if start_method == "fork":
        gc.freeze()
    return multiprocessing.get_context(start_method).Pool(
        processes,
        initializer=_start_worker,
        initargs=(initializer, initargs),
        maxtasksperchild=max_tasks,
    )


def forked_pool(
    processes: int,
    initializer: Callable[..., object] | None = None,
    initargs: tuple[object, ...] = (),
) -> multiprocessing.pool.Pool:
    """A pool of workers forked from this process (see :func:`worker_pool`)."""
    return worker_pool(processes, initializer, initargs, start_method="fork")


def _start_worker(initializer: Callable[..., object] | None, initargs: tuple[object, ...]) -> None:
    """Default SIGTERM and ignored SIGINT in the worker, then the pool's own initializer.

    A worker forked inside a Dagster step inherits Dagster's handlers, which map SIGTERM to one
    that only notes the signal (a spawned one inherits an ignored signal). ``Pool.terminate``
    stops workers with SIGTERM, so a failed stage then waited for as long as a worker's task
    ran, or forever for a worker waiting on a queue lock that a dead worker held (a CI run hung
    so). SIGINT (Ctrl-C reaches the whole process group) is the parent's to handle: it
    terminates the pool.
    """
    signal.signal(signal.SIGTERM, signal.SIG_DFL)
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    if initializer is not None:
        initializer(*initargs)
