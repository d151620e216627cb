"""Handing memory back to the system between batches (Linux; a no-op elsewhere).

A worker's footprint grows with what it has touched, not with what it holds: the pages of a
memory-mapped file it has read stay mapped into it (and count in its RSS) until it unmaps them,
and freed Python and C objects leave glibc's heap holding pages it only returns at its top.
Between batches a worker holds no rows and no docs, so both can go:

- :func:`unmap_file_pages` drops this process's mappings of a file's pages
  (``madvise(MADV_DONTNEED)``): the pages stay in the OS page cache, shared by every process,
  and the next read maps them again (a minor fault, no I/O). The data is read-only, so
  nothing is lost.
- :func:`trim_heap` asks glibc to return the free pages of its heaps (``malloc_trim``).
"""

from __future__ import annotations

import ctypes
import ctypes.util
import os
import sys
from functools import lru_cache

_MADV_DONTNEED = 4


@lru_cache(maxsize=1)
def _libc() -> ctypes.CDLL | None:
    if not sys.platform.startswith("linux"):
        return None
    try:
        # glibc's soname first: ``find_library`` runs ``ldconfig`` in a forked child, which
        # counts a copy of the caller's whole RSS (a worker's ~400 MiB) while it lives.
        libc = ctypes.CDLL("libc.so.6", use_errno=True)
    except OSError:
        name = ctypes.util.find_library("c")
        if name is None:
            return None
        try:
            libc = ctypes.CDLL(name, use_errno=True)
        except OSError:
            return None
    try:
        libc.madvise.argtypes = (ctypes.c_void_p, ctypes.c_size_t, ctypes.c_int)
        libc.madvise.restype = ctypes.c_int
        libc.malloc_trim.argtypes = (ctypes.c_size_t,)
        libc.malloc_trim.restype = ctypes.c_int
    except AttributeError:  # not glibc (musl has no malloc_trim)
        return None
    return libc


def file_ranges(path: str) -> list[tuple[int, int]]:
    """The address ranges of this process's read-only mappings of ``path`` (by device, inode)."""
    try:
        stat = os.stat(path)
        maps = open("/proc/self/maps")  # noqa: SIM115 (closed below)
    except OSError:
        return []
    ranges = []
    with maps:
        for line in maps:
            fields = line.split(maxsplit=5)
            if len(fields) < 5 or fields[1][1] == "w":  # never a writable mapping
                continue
            major, minor = (int(part, 16) for part in fields[3].split(":"))
            if int(fields[4]) == stat.st_ino and os.makedev(major, minor) == stat.st_dev:
                start, end = (int(part, 16) for part in fields[0].split("-"))
                ranges.append((start, end))
    return ranges


def unmap_file_pages(path: str) -> None:
    """Drop this process's mapped pages of the read-only file ``path`` (kept in the page cache)."""
    libc = _libc()
    if libc is None:
        return
    for start, end in file_ranges(path):
        libc.madvise(start, end - start, _MADV_DONTNEED)


def trim_heap() -> None:
    """Return the free pages of glibc's heaps to the system."""
    libc = _libc()
    if libc is not None:
        libc.malloc_trim(0)
