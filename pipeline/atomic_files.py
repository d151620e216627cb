"""Crash-safe file writes: a folder lock, whole-file replacement, and fsync of trees.

Why: a release must never be seen half written, even after ``kill -9`` or a power cut; these
are the file-system steps :mod:`pipeline.release` builds that guarantee from.
"""

from __future__ import annotations

import contextlib
import fcntl
import os
from collections.abc import Iterator
from pathlib import Path


@contextlib.contextmanager
def root_lock(root: Path) -> Iterator[None]:
    """One writer per folder (an exclusive ``flock`` on ``<root>/.lock``), held until exit."""
    fd = os.open(root / ".lock", os.O_RDWR | os.O_CREAT, 0o644)
    try:
        fcntl.flock(fd, fcntl.LOCK_EX)
        yield
    finally:
        os.close(fd)


def replace_file(path: Path, text: str) -> None:
    """Write ``path`` through a synced temporary file and a rename: never half written."""
    tmp = path.with_name(f".{path.name.lstrip('.')}.tmp-{os.getpid()}")
    with tmp.open("w") as handle:
        handle.write(text)
        handle.flush()
        os.fsync(handle.fileno())
    os.replace(tmp, path)
    fsync_dir(path.parent)


def fsync_tree(folder: Path) -> None:
    """Flush files before the rename, so a power cut cannot expose empty files."""
    for file in folder.rglob("*"):
        if file.is_file():
            with file.open("rb") as handle:
                os.fsync(handle.fileno())
    for sub in [folder, *(p for p in folder.rglob("*") if p.is_dir())]:
        fsync_dir(sub)


def fsync_dir(folder: Path) -> None:
    """Flush a folder's entries (a rename is durable only once its folder is synced)."""
    fd = os.open(folder, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)
