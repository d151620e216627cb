"""Dask distributed as the engine: a local cluster for a run, or an existing one.

``local:N`` starts a ``LocalCluster`` of N worker processes (one thread each: spaCy's work is
CPU-bound and holds the GIL) for the run and stops it after; any other value is a scheduler
address (``tcp://host:8786``) that the same code connects to unchanged, with workers on as
many machines as it has. Workers need newsledger installed (``pip install`` of the same
version), since tasks refer to its functions by name; nothing else is shipped, and each worker
loads the spaCy model and the gazetteer once, itself, on its first batch.

A worker that dies (killed, out of memory) is restarted by its nanny and the scheduler runs its
batches again on the workers that remain: the run goes on. A batch that kills three workers in
a row is the batch's fault (Dask's ``allowed-failures``); it comes back as an error, which the
caller turns into a batch-by-batch retry that isolates the article (see
:mod:`pipeline.articles`).
"""

from __future__ import annotations

import os
import re
from collections.abc import Callable, Sequence
from typing import Any, TypeVar

T = TypeVar("T")
R = TypeVar("R")

_LOCAL = re.compile(r"local(?::(\d+))?$")


class DaskEngine:
    """Runs batches on a Dask cluster: started here (``local:N``) or reached at an address."""

    def __init__(self, cluster: str) -> None:
        self.cluster = cluster
        self.workers = 0
        self._client: Any = None
        self._local: Any = None

    def __enter__(self) -> DaskEngine:
        from distributed import Client, LocalCluster

        local = _LOCAL.match(self.cluster)
        if local is not None:
            self._local = LocalCluster(
                n_workers=int(local.group(1) or 2),
                threads_per_worker=1,
                processes=True,
                # None starts no dashboard (the annotation says str; the code takes None)
                dashboard_address=None,  # pyright: ignore[reportArgumentType]
                # Each worker holds the model, a batch's docs and rows: no spilling to disk.
                memory_limit=0,
                silence_logs=40,  # errors only: a run's output is the progress logger's
            )
            self._client = Client(self._local, set_as_default=False)
        else:
            self._client = Client(self.cluster, set_as_default=False, timeout="30s")
        self.workers = len(self._client.scheduler_info(n_workers=-1)["workers"])
        return self

    def __exit__(self, *exc: object) -> None:
        if self._client is not None:
            self._client.close()
        if self._local is not None:
            self._local.close()
        self._client = self._local = None

    def prepare(self, loaders: Sequence[Callable[[], object]]) -> None:
        """Nothing: each worker loads what it needs on its first batch (and keeps it)."""
        del loaders

    def map(self, fn: Callable[[T], R], batches: Sequence[T]) -> list[Callable[[], R]]:
        """Submit ``fn`` over ``batches`` now; a getter per batch for its result."""
        futures = self._client.map(fn, list(batches), pure=False)
        return [future.result for future in futures]

    def worker_pids(self) -> list[int]:
        """The worker processes' ids (for tests that kill one)."""
        return sorted(self._client.run(os.getpid).values())
