"""Forked worker pools stop when terminated, whatever signal handlers the parent has."""

import contextlib
import os
import signal
import threading
import time

from pipeline.workers import forked_pool, worker_pool


def _dispositions(_: int) -> tuple[bool, bool]:
    return (
        signal.getsignal(signal.SIGTERM) is signal.SIG_DFL,
        signal.getsignal(signal.SIGINT) is signal.SIG_IGN,
    )


def _busy(_: int) -> None:
    time.sleep(60)


def test_terminate_stops_busy_workers_forked_under_a_noting_sigterm_handler():
    """Dagster maps SIGTERM to a handler that only notes it while a step runs.

    Workers forked inside a step inherited it, so ``Pool.terminate`` (which sends SIGTERM)
    waited for as long as a worker's task ran, or forever for a worker waiting on a queue lock
    that a dead worker held: a failed extraction could hang its run (seen once in CI). Workers
    take the default SIGTERM and leave SIGINT to the parent.
    """
    noted: list[int] = []
    previous = signal.signal(signal.SIGTERM, lambda signo, _: noted.append(signo))
    pool = forked_pool(2)
    pids = [worker.pid for worker in pool._pool]  # to kill what a failure leaves
    try:
        assert pool.map(_dispositions, range(2)) == [(True, True), (True, True)]
        pool.map_async(_busy, range(2), chunksize=1)
        time.sleep(0.5)  # both workers are inside a task
        stopper = threading.Thread(target=lambda: (pool.terminate(), pool.join()), daemon=True)
        stopper.start()
        stopper.join(timeout=20)
        assert not stopper.is_alive(), "terminate() waited on workers that noted SIGTERM"
    finally:
        signal.signal(signal.SIGTERM, previous)
        for pid in pids:
            with contextlib.suppress(ProcessLookupError):
                os.kill(pid, signal.SIGKILL)


def test_terminate_stops_busy_spawned_workers_whose_parent_ignores_sigterm():
    """The engine's workers are spawned: they inherit an ignored SIGTERM (exec keeps it)."""
    previous = signal.signal(signal.SIGTERM, signal.SIG_IGN)
    try:
        pool = worker_pool(2)
    finally:
        signal.signal(signal.SIGTERM, previous)
    pids = [worker.pid for worker in pool._pool]
    try:
        assert pool.map(_dispositions, range(2)) == [(True, True), (True, True)]
        pool.map_async(_busy, range(2), chunksize=1)
        time.sleep(0.5)
        stopper = threading.Thread(target=lambda: (pool.terminate(), pool.join()), daemon=True)
        stopper.start()
        stopper.join(timeout=20)
        assert not stopper.is_alive(), "terminate() waited on workers that ignored SIGTERM"
    finally:
        for pid in pids:
            with contextlib.suppress(ProcessLookupError):
                os.kill(pid, signal.SIGKILL)
