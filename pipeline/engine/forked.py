"""The default engine on one machine: worker processes forked from the pipeline's process."""

from __future__ import annotations

import functools
import multiprocessing.pool
from collections.abc import Callable, Sequence
from typing import Any, TypeVar

from pipeline.workers import forked_pool

T = TypeVar("T")
R = TypeVar("R")

#: Below this many batches a second process costs more (fork, transfer) than it saves.
MIN_PARALLEL_BATCHES = 2

#: The function a forked worker runs (set by the pool's initializer: see :class:`ForkedEngine`).
_worker_fn: Callable[[Any], Any] | None = None


def _start(fn: Callable[[Any], Any]) -> None:
    """Pool initializer: one BLAS thread (the workers fill the cores) and the pass's function."""
    from threadpoolctl import threadpool_limits

    global _worker_fn
    threadpool_limits(1, user_api="blas")
    _worker_fn = fn


def _call(batch: Any) -> Any:
    if _worker_fn is None:  # only a pool made by ForkedEngine sets it
        raise RuntimeError("forked worker started without its function")
    return _worker_fn(batch)


class ForkedEngine:
    """A pool of workers forked once the caller has loaded what they need (model, gazetteer).

    Forked workers share the parent's memory copy-on-write and start at once. The function they
    run is handed over at the fork (the pool's initializer), never pickled, so it may be a
    closure; batches and results are plain data. Small jobs (one batch) run in-process. Use as
    a context manager: the pool lives as long as the pass; a failed pass terminates it.
    """

    shares_parent_memory = True

    def __init__(self, n_process: int = 2) -> None:
        self.workers = max(1, n_process)
        self._pool: multiprocessing.pool.Pool | None = None
        self._fn: Callable[[Any], Any] | None = None

    def __enter__(self) -> ForkedEngine:
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

    def map(self, fn: Callable[[T], R], batches: Sequence[T]) -> list[Callable[[], R]]:
        """``fn`` over ``batches`` on the pool (in-process with one batch or one worker).

        The getters must be called in order (the pool's results arrive in order).
        """
        if self.workers < 2 or len(batches) < MIN_PARALLEL_BATCHES:
            return [functools.partial(fn, batch) for batch in batches]
        if self._pool is None or self._fn is not fn:
            self._close()
            self._pool = forked_pool(self.workers, initializer=_start, initargs=(fn,))
            self._fn = fn
        results = self._pool.imap(_call, batches, chunksize=1)
        return [results.next for _ in batches]
