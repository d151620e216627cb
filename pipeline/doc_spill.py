"""Parsed docs held in files beside the warehouse during a pass, cached after the workers exit.

Why: DuckDB keeps the rows a connection appends in memory until a checkpoint, and a pass
never reaches one (``checkpoint_threshold``), so the doc cache's blobs (about 15 KB an
article) made the main process grow with the corpus while the workers were alive: the run's
summed peak grew from 1,000 to 4,000 articles. Checkpointing during the pass, forcing DuckDB
to evict and reconnecting were tried and did not flatten it. Here each chunk's new docs go to
an Arrow IPC file in ``<warehouse>.docs/`` (written to a temporary name, synced, then renamed:
a file is whole or absent), and :meth:`DocSpill.flush` inserts them into ``nlp_docs`` in one
transaction once the workers are gone, then deletes the files.

A kill leaves nothing half written: the files a pass wrote before it was killed are inserted
by the next pass's first flush (docs are keyed by body hash and model, so an old file is never
stale, and inserting one twice replaces a row by the same row), and their articles are not
parsed again. A warehouse in memory (no file) caches docs at once, as before.
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import TYPE_CHECKING

import polars as pl

from pipeline.atomic_files import fsync_dir

if TYPE_CHECKING:
    from pipeline.warehouse import Warehouse

#: Spilled files end with this; anything else in the folder (a temporary file) is ignored.
SUFFIX = ".arrow"


def spill_folder(warehouse: Warehouse) -> Path | None:
    """The folder of spilled docs beside the warehouse file (None for one in memory)."""
    row = warehouse.con.execute(
        "SELECT path FROM duckdb_databases() WHERE database_name = current_database()"
    ).fetchone()
    if row is None or not row[0]:
        return None
    return Path(str(row[0]) + ".docs")


class DocSpill:
    """New docs of a pass, in files until :meth:`flush` caches them."""

    def __init__(self, warehouse: Warehouse) -> None:
        self.warehouse = warehouse
        self.folder = spill_folder(warehouse)
        self._written = 0

    def add(self, docs: pl.DataFrame) -> None:
        """Keep a chunk's docs (``content_hash``, ``model``, ``doc``) for the cache.

        Call before the chunk's rows commit: an article marked done has its doc on disk.
        """
        if docs.is_empty():
            return
        if self.folder is None:
            self.warehouse.store_docs(docs)
            return
        self.folder.mkdir(parents=True, exist_ok=True)
        self._written += 1
        name = f"{os.getpid()}-{self._written:06d}{SUFFIX}"
        tmp = self.folder / f".{name}.tmp"
        with tmp.open("wb") as handle:
            docs.write_ipc(handle, compression="uncompressed")
            handle.flush()
            os.fsync(handle.fileno())
        os.replace(tmp, self.folder / name)
        fsync_dir(self.folder)

    def flush(self) -> int:
        """Insert every spilled doc (this pass's and a killed one's) and delete the files.

        Returns:
            How many docs were inserted.
        """
        if self.folder is None or not self.folder.is_dir():
            return 0
        files = sorted(p for p in self.folder.iterdir() if p.name.endswith(SUFFIX))
        if files:
            docs = (
                pl.concat([pl.read_ipc(p, memory_map=False) for p in files])
                .unique("content_hash", keep="last", maintain_order=True)
                .select("content_hash", "model", "doc")
            )
            self.warehouse.store_docs(docs)
            count = docs.height
            del docs
        else:
            count = 0
        for path in self.folder.iterdir():  # the files above and any temporary left by a kill
            path.unlink()
        self.folder.rmdir()
        return count
