"""Where the per-article work runs: a pool of processes on this machine, or a Dask cluster.

The per-article stages (parsing a body, then extracting its claims, figures and places) are
independent across articles, so they scale out; the warehouse has one writer (DuckDB's rule), so
the results come back to the process that owns it, which commits them in bulk. An
:class:`Engine` is the small interface between the two: submit batches of work, get their
results back in order.

- :class:`~pipeline.engine.local.LocalEngine` (the default on one machine): a pool of local
  worker processes started fresh, each loading the spaCy model, the extractors' tables and the
  gazetteer once as it starts (see :func:`pipeline.workers.worker_pool` for why they are not
  forked from the pipeline's process); batches and results cross a pipe.
- :class:`~pipeline.engine.dask.DaskEngine` (``--cluster local:N`` or ``--cluster
  tcp://host:8786``): Dask distributed, a real cluster of worker processes, local or on many
  machines. Each worker loads the model once, itself (never shipped as an object); a worker
  that dies costs a retry of its batches on another worker, not the run.

Why Dask rather than Ray, and the measurements behind the default: see the README's
"Scaling out" section.
"""

from __future__ import annotations

import contextlib
import os
from collections.abc import Callable, Iterator, Sequence
from typing import Protocol, TypeVar

T = TypeVar("T")
R = TypeVar("R")

#: The environment variable that names a cluster when ``--cluster`` is not given.
CLUSTER_ENV = "NEWSLEDGER_CLUSTER"


class Engine(Protocol):
    """Runs a function over batches, on other processes, returning results in order."""

    #: Worker processes the engine runs on (for reports).
    workers: int

    def prepare(self, loaders: Sequence[Callable[[], object]]) -> None:
        """Run ``loaders`` (what the batches use: the model, tables) where batches will run.

        Before the first batch where the engine can (a local pool's workers as they start, or
        this process for a job it runs itself); an engine may also leave them to the first
        batch, which loads lazily.
        """
        ...

    def map(self, fn: Callable[[T], R], batches: Sequence[T]) -> list[Callable[[], R]]:
        """Queue ``fn`` over ``batches`` now; one getter per batch, in order, for its result.

        Queueing first lets the caller hand the next chunk to the workers before it stores the
        current one's results, so the workers never wait for the writer. A getter raises what
        the batch raised (or why it was lost), without affecting the other batches' getters.
        """
        ...


def cluster_from(option: str | None) -> str | None:
    """The cluster to use: the option, else ``NEWSLEDGER_CLUSTER``, else None (local pool)."""
    value = option if option is not None else os.environ.get(CLUSTER_ENV)
    return value.strip() or None if value else None


@contextlib.contextmanager
def open_engine(cluster: str | None = None, *, n_process: int = 2) -> Iterator[Engine]:
    """The engine for ``cluster``: None (local pool of ``n_process``), ``local:N`` or an address.

    Args:
        cluster: None, ``"local:N"`` (start a Dask cluster of N worker processes here for the
            run) or a Dask scheduler address (``"tcp://host:8786"``) to connect to.
        n_process: Worker processes of the local pool (None cluster only).
    """
    if cluster is None:
        from pipeline.engine.local import LocalEngine

        with LocalEngine(n_process) as engine:
            yield engine
        return
    from pipeline.engine.dask import DaskEngine

    with DaskEngine(cluster) as engine:
        yield engine
