"""A pass's writes held in files beside the warehouse, committed after the workers exit.

Why: DuckDB keeps the rows a connection appends in memory until a checkpoint, and a pass
never reaches one (``checkpoint_threshold``), so the doc cache's blobs and the extracted rows
made the main process grow with the corpus while the workers held theirs: the run's summed
peak grew from 1,000 to 4,000 articles. Checkpointing during the pass, forcing DuckDB to evict
and reconnecting were tried and did not flatten it (a replay of the 4,004 pass: 627 MiB with
the writes in DuckDB, 556 with the docs held out, 450 with nothing written).

So each chunk's writes (:class:`ChunkWrites`: new docs, rows, ``stage_state`` markers and
quarantine, per stage) go to a folder of Arrow IPC files in ``<warehouse>.pass/``, written
under a temporary name, synced, then renamed (a chunk's folder is whole or absent), and
:meth:`PassJournal.flush` commits them chunk by chunk, each in one transaction as the pass
used to, once the workers are gone, deleting each folder after its commit.

A kill leaves nothing half written: the warehouse only ever sees whole chunks, and the next
pass's first flush commits the folders a killed pass left (so a re-run resumes, it does not
redo them). Committing a chunk twice (killed between its commit and its deletion) replaces
rows by the same rows. A leftover chunk's rows of an article whose body has changed since are
dropped (its body hash is not the article's), so they never outlive the body they came from;
its docs (keyed by body hash) are kept. A pass's own chunks skip that test: only this process
writes the warehouse while it runs, so their bodies cannot have changed. A warehouse in memory
commits each chunk at once.
"""

from __future__ import annotations

import json
import os
import shutil
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

import polars as pl

from pipeline.atomic_files import fsync_dir, fsync_tree

if TYPE_CHECKING:
    from pipeline.warehouse import Warehouse

_META = "chunk.json"


@dataclass(slots=True)
class StageWrites:
    """What a stage writes for a chunk: its rows, markers and quarantine."""

    name: str
    version: str
    #: ``article_id`` and ``content_hash`` of every article the stage handled.
    processed: pl.DataFrame
    tables: dict[str, pl.DataFrame]
    failed: pl.DataFrame


@dataclass(slots=True)
class ParseWrites:
    """The parse's outcome for a chunk: which articles it handled, and which failed."""

    #: ``article_id`` and ``content_hash`` of the articles parsed (or failing to).
    articles: pl.DataFrame
    #: The ``nlp`` quarantine rows of those that failed.
    failed: pl.DataFrame


@dataclass(slots=True)
class ChunkWrites:
    """Everything a chunk writes, committed in one transaction."""

    #: New docs (``content_hash``, ``model``, ``doc``).
    docs: pl.DataFrame
    #: None when the doc cache is not selected.
    parse: ParseWrites | None = None
    stages: list[StageWrites] = field(default_factory=list)

    def commit(self, warehouse: Warehouse, *, current_only: bool = False) -> None:
        """Write it all in one transaction.

        Args:
            warehouse: The warehouse.
            current_only: Drop the rows of articles whose body is no longer the one they came
                from (a leftover of a killed pass, committed by a later one).
        """
        with warehouse.transaction():
            if current_only:
                self._keep_current(warehouse)
            warehouse.store_docs(self.docs)
            if self.parse is not None and self.parse.articles.height:
                warehouse.replace_quarantine(
                    "nlp", self.parse.articles["article_id"].to_list(), self.parse.failed
                )
            for stage in self.stages:
                if not stage.processed.height:
                    continue
                warehouse.replace_stage_rows(
                    stage.name, stage.version, stage.processed, stage.tables
                )
                warehouse.replace_quarantine(
                    stage.name, stage.processed["article_id"].to_list(), stage.failed
                )

    def _keep_current(self, warehouse: Warehouse) -> None:
        keys = [self.parse.articles] if self.parse is not None else []
        keys += [stage.processed for stage in self.stages]
        if not keys:
            return
        wanted = pl.concat(keys).unique()
        current = warehouse.frame(
            """
            SELECT a.article_id, a.content_hash
            FROM (SELECT unnest(?::VARCHAR[]) AS article_id) k
            JOIN articles a USING (article_id)
            """,
            [wanted["article_id"].to_list()],
        )
        ids = wanted.join(current, on=["article_id", "content_hash"])["article_id"]

        def keep(frame: pl.DataFrame) -> pl.DataFrame:
            return frame.filter(pl.col("article_id").is_in(ids.implode()))

        if self.parse is not None:
            self.parse = ParseWrites(keep(self.parse.articles), keep(self.parse.failed))
        for stage in self.stages:
            stage.processed, stage.failed = keep(stage.processed), keep(stage.failed)
            stage.tables = {name: keep(frame) for name, frame in stage.tables.items()}

    def save(self, folder: Path) -> None:
        """Write to ``folder`` (created; its parent must exist)."""
        folder.mkdir()
        meta: dict[str, object] = {
            "parsed": self.parse is not None,
            "stages": [
                {"name": s.name, "version": s.version, "tables": list(s.tables)}
                for s in self.stages
            ],
        }
        frames = {"docs": self.docs}
        if self.parse is not None:
            frames |= {"parsed": self.parse.articles, "nlp_failed": self.parse.failed}
        for i, stage in enumerate(self.stages):
            frames |= {f"s{i}-processed": stage.processed, f"s{i}-failed": stage.failed}
            frames |= {f"s{i}-t-{name}": frame for name, frame in stage.tables.items()}
        for name, frame in frames.items():
            frame.write_ipc(folder / f"{name}.arrow", compression="uncompressed")
        (folder / _META).write_text(json.dumps(meta))

    @classmethod
    def load(cls, folder: Path) -> ChunkWrites:
        """Read what :meth:`save` wrote."""

        def read(name: str) -> pl.DataFrame:
            return pl.read_ipc(folder / f"{name}.arrow", memory_map=False)

        meta = json.loads((folder / _META).read_text())
        return cls(
            docs=read("docs"),
            parse=ParseWrites(read("parsed"), read("nlp_failed")) if meta["parsed"] else None,
            stages=[
                StageWrites(
                    name=stage["name"],
                    version=stage["version"],
                    processed=read(f"s{i}-processed"),
                    tables={name: read(f"s{i}-t-{name}") for name in stage["tables"]},
                    failed=read(f"s{i}-failed"),
                )
                for i, stage in enumerate(meta["stages"])
            ],
        )


def journal_folder(warehouse: Warehouse) -> Path | None:
    """The folder of a pass's pending writes beside the warehouse (None for one in memory)."""
    row = warehouse.con.execute(
        "SELECT path FROM duckdb_databases() WHERE database_name = current_database()"
    ).fetchone()
    if row is None or not row[0]:
        return None
    return Path(str(row[0]) + ".pass")


class PassJournal:
    """A pass's chunks, in files until :meth:`flush` commits them."""

    def __init__(self, warehouse: Warehouse) -> None:
        self.warehouse = warehouse
        self.folder = journal_folder(warehouse)
        self._next = 0
        #: Chunks a killed pass left: only theirs may hold rows of a body changed since.
        self._leftovers = (
            {p.name for p in self._chunks()}
            if self.folder is not None and self.folder.is_dir()
            else set()
        )

    def add(self, writes: ChunkWrites) -> None:
        """Keep a chunk's writes (committed at once for a warehouse in memory)."""
        if self.folder is None:
            writes.commit(self.warehouse)
            return
        self.folder.mkdir(exist_ok=True)
        if not self._next:
            self._next = 1 + max((int(p.name) for p in self._chunks()), default=0)
        name = f"{self._next:08d}"
        self._next += 1
        tmp = self.folder / f".{name}.tmp"
        writes.save(tmp)
        fsync_tree(tmp)
        os.replace(tmp, self.folder / name)
        fsync_dir(self.folder)

    def flush(self) -> int:
        """Commit every whole chunk in order (this pass's and a killed one's), then forget it.

        A chunk that cannot be committed (rows a table refuses) is dropped, so it never blocks
        a later pass (its articles stay pending), and its error is raised once the others are in.

        Returns:
            How many chunks were committed.
        """
        if self.folder is None or not self.folder.is_dir():
            return 0
        chunks = self._chunks()
        error: Exception | None = None
        for chunk in chunks:
            try:
                ChunkWrites.load(chunk).commit(
                    self.warehouse, current_only=chunk.name in self._leftovers
                )
            except Exception as exc:  # dropped (its articles stay pending), raised below
                error = error or exc
            shutil.rmtree(chunk)
            self._leftovers.discard(chunk.name)  # the names start again at 1 after a flush
        shutil.rmtree(self.folder)  # and any temporary folder a kill left half written
        self._next = 0
        if error is not None:
            raise error
        return len(chunks)

    def _chunks(self) -> list[Path]:
        assert self.folder is not None
        return sorted(p for p in self.folder.iterdir() if p.name.isdigit())
