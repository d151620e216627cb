"""Opening the warehouse file: connection settings and the one-writer lock.

Kept apart from :mod:`pipeline.warehouse` (the SQL that reads and writes the tables) so that
how a file is opened, and who may write it, is read in one place.
"""

from __future__ import annotations

import contextlib
import fcntl
import os
from collections.abc import Callable, Iterator
from pathlib import Path

import duckdb

from pipeline import warehouse_schema


def connect(
    path: Path | str, *, read_only: bool = False, ensure_schema: bool = True
) -> duckdb.DuckDBPyConnection:
    """Open the warehouse with settings that keep results reproducible.

    Args:
        path: DuckDB file; its folder is created if missing.
        read_only: Open without taking the write lock (readers, checks).
        ensure_schema: Create missing tables (writers). A caller that keeps another connection
            to the same file open, which already did, skips it.
    """
    path = Path(path)
    if not read_only:
        path.parent.mkdir(parents=True, exist_ok=True)
    con = duckdb.connect(str(path), read_only=read_only)
    # Timestamps are stored and returned in UTC whatever the machine's zone is (a session
    # setting: every connection sets it).
    con.execute("SET TimeZone = 'UTC'")
    # No progress bars on the terminal: a run's output is its progress logger's.
    con.execute("SET enable_progress_bar = false")
    if not read_only:
        # Checkpoint (rewrite the file from the log) every 256 MB of log, not every 16: a
        # pass commits a chunk's docs and rows at a time, and checkpointing after nearly every
        # chunk halved what one writer sustains (see the README's scaling section).
        con.execute("SET checkpoint_threshold = '256MB'")
    if ensure_schema and not read_only:
        warehouse_schema.ensure_schema(con)
    return con


@contextlib.contextmanager
def writer_lock(
    path: Path | str, *, wait: bool = True, on_wait: Callable[[], None] | None = None
) -> Iterator[None]:
    """Hold an exclusive lock beside the warehouse file: one writer at a time.

    Dagster's concurrency limit serialises runs launched by the daemon; this lock also covers
    the CLI and anything else that opens the file.

    Args:
        path: The warehouse file; the lock is ``<path>.lock``.
        wait: Block until the other writer is done, else fail at once with a clear message.
        on_wait: Called once when the lock is busy and we are about to wait for it.

    Raises:
        RuntimeError: When ``wait`` is false and another process holds the lock.
    """
    lock_path = Path(str(path) + ".lock")
    lock_path.parent.mkdir(parents=True, exist_ok=True)
    fd = os.open(lock_path, os.O_RDWR | os.O_CREAT, 0o644)
    try:
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError as exc:
            if not wait:
                raise RuntimeError(
                    f"Another newsledger run is writing to {path}; wait for it to finish."
                ) from exc
            if on_wait is not None:
                on_wait()
            fcntl.flock(fd, fcntl.LOCK_EX)
        yield
    finally:
        os.close(fd)
