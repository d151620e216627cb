"""The default engine on one machine: a pool of local worker processes (started fresh).

Its workers were forked from the pipeline's process until the memory measurements in
:func:`pipeline.workers.worker_pool` made them fresh interpreters (hence ``LocalEngine``, once
``ForkedEngine``). A worker lives for :data:`BATCHES_PER_WORKER` batches, then a fresh one
takes its place: see there why.
"""

from __future__ import annotations

import contextlib
import functools
import multiprocessing.pool
import pickle
from collections.abc import Callable, Sequence
from typing import Any, TypeVar

from pipeline.workers import worker_pool

T = TypeVar("T")
R = TypeVar("R")

#: Below this many batches a second process costs more (start, transfer) than it saves.
MIN_PARALLEL_BATCHES = 2

#: Batches a worker runs before a fresh one replaces it. A worker's memory grows with what it has
#: parsed, whatever is freed: spaCy's string store and vocabulary keep every new word, the
#: attribute memo (:class:`pipeline.nlp.TokenAttributes`) every new key, and the heap fragments
#: (one process replaying 440 AllSides articles' batches grew 102 MiB, 20 of them Python
#: objects). spaCy's own advice for long runs is to reload the pipeline; a fresh worker does that
#: and frees the rest too, so a worker's memory is bounded by this many batches whatever the
#: corpus size. (spaCy 3.8's ``memory_zone``, which forgets a block's new strings, breaks the
#: attribute memo, which keeps their hashes across batches.) 96 batches are about 520 AllSides
#: articles (about 65 s of a worker's CPU); the replacement loads the model and tables again
#: (about 2 s of CPU), a cost of about 3% of a worker's life, paid only by runs longer than it (a
#: 1,000-article run has about 86 batches a worker, so little or nothing).
BATCHES_PER_WORKER = 96

#: The function a worker runs (set by the pool's initializer: see :class:`LocalEngine`).
_worker_fn: Callable[[Any], Any] | None = None


def _start(fn: Callable[[Any], Any], loaders: Sequence[Callable[[], object]] = ()) -> None:
    """Pool initializer: one BLAS thread (the workers fill the cores), the loaders, the function.

    A loader that fails is left to the first batch, which loads lazily and records the error
    against its articles: an initializer that raised would kill the worker, and the pool would
    start another, forever.
    """
    from threadpoolctl import threadpool_limits

    global _worker_fn
    threadpool_limits(1, user_api="blas")
    for load in loaders:
        with contextlib.suppress(Exception):  # the first batch reports it (see above)
            load()
    _worker_fn = fn


def _call(batch: Any) -> Any:
    if _worker_fn is None:  # only a pool made by LocalEngine sets it
        raise RuntimeError("worker started without its function")
    return _worker_fn(batch)


def _picklable(loader: Callable[[], object]) -> bool:
    try:
        pickle.dumps(loader)
    except Exception:
        return False
    return True


class LocalEngine:
    """A pool of local worker processes, each loading what it needs once, when it starts.

    Workers are fresh interpreters (:func:`pipeline.workers.worker_pool`): they hold the model
    and the extractors' tables, not a copy of the pipeline's process. The function they run
    and the loaders of :meth:`prepare` go to them by reference (module-level functions); batches
    and results are plain data. Small jobs (one batch) run in-process, after the loaders. Use
    as a context manager: the pool lives as long as the pass; a failed pass terminates it.
    """

    #: Workers do not share this process's memory: loaders run in them (see :meth:`prepare`).
    shares_parent_memory = False

    def __init__(self, n_process: int = 2) -> None:
        self.workers = max(1, n_process)
        self._pool: multiprocessing.pool.Pool | None = None
        self._fn: Callable[[Any], Any] | None = None
        self._loaders: tuple[Callable[[], object], ...] = ()
        self._loaded_here = False

    def __enter__(self) -> LocalEngine:
        return self

    def __exit__(self, exc_type: type[BaseException] | None, *exc: object) -> None:
        self._close(failed=exc_type is not None)

    def _close(self, *, failed: bool = False) -> None:
        if self._pool is not None:
            if failed:  # do not finish the queued tasks of a failed pass
                self._pool.terminate()
            else:
                self._pool.close()
            self._pool.join()
            self._pool = None

    def prepare(self, loaders: Sequence[Callable[[], object]]) -> None:
        """Run ``loaders`` where the batches will run, before the first one.

        In each worker as it starts (a loader that cannot be sent by reference is left to the
        first batch, which loads lazily), or in this process for a job it runs itself.
        """
        self._loaders = tuple(loaders)

    def map(self, fn: Callable[[T], R], batches: Sequence[T]) -> list[Callable[[], R]]:
        """``fn`` over ``batches`` on the pool (in-process with one batch or one worker).

        The getters must be called in order (the pool's results arrive in order).
        """
        if self.workers < 2 or len(batches) < MIN_PARALLEL_BATCHES:
            if not self._loaded_here:
                self._loaded_here = True
                for load in self._loaders:
                    load()
            return [functools.partial(fn, batch) for batch in batches]
        if self._pool is None or self._fn is not fn:
            self._close()
            loaders = tuple(load for load in self._loaders if _picklable(load))
            self._pool = worker_pool(
                self.workers,
                initializer=_start,
                initargs=(fn, loaders),
                max_tasks=BATCHES_PER_WORKER,
            )
            self._fn = fn
        results = self._pool.imap(_call, batches, chunksize=1)
        return [results.next for _ in batches]
