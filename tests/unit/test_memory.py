"""Handing a worker's memory back between batches changes no data (pipeline.memory)."""

import sys

import numpy as np
import psutil
import pytest

from pipeline import memory

linux = pytest.mark.skipif(not sys.platform.startswith("linux"), reason="Linux /proc and madvise")


def _mapped_kib(path) -> int:
    """Resident KiB of this process's mappings of ``path``."""
    total, inside = 0, False
    with open("/proc/self/smaps") as smaps:
        for line in smaps:
            fields = line.split()
            if "-" in fields[0] and not fields[0].endswith(":"):
                inside = len(fields) > 5 and fields[5] == str(path)
            elif inside and fields[0] == "Rss:":
                total += int(fields[1])
    return total


@linux
def test_unmapping_a_read_file_drops_its_pages_and_keeps_its_data(tmp_path):
    path = tmp_path / "table.bin"
    data = np.arange(4 << 20, dtype=np.int64)  # 32 MiB
    data.tofile(path)
    mapped = np.memmap(path, dtype=np.int64, mode="r")
    assert int(mapped.sum()) == int(data.sum())  # every page read
    assert _mapped_kib(path) > 30 << 10
    memory.unmap_file_pages(str(path))
    assert _mapped_kib(path) < 1 << 10
    assert np.array_equal(mapped, data)  # read again, from the page cache


@linux
def test_only_read_only_mappings_of_that_file_are_found(tmp_path):
    path, other = tmp_path / "a.bin", tmp_path / "b.bin"
    for file in (path, other):
        np.zeros(1 << 16, dtype=np.int8).tofile(file)
    kept = np.memmap(other, dtype=np.int8, mode="r")
    writable = np.memmap(path, dtype=np.int8, mode="r+")
    writable[:] = 7  # a private write must never be dropped
    assert memory.file_ranges(str(path)) == []
    assert len(memory.file_ranges(str(other))) == 1
    memory.unmap_file_pages(str(path))
    assert int(writable.sum()) == 7 << 16
    del kept


def test_trimming_the_heap_and_an_unknown_file_are_harmless(tmp_path):
    before = psutil.Process().memory_info().rss
    memory.trim_heap()
    memory.unmap_file_pages(str(tmp_path / "missing"))
    assert psutil.Process().memory_info().rss <= before + (8 << 20)
