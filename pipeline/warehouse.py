"""The DuckDB warehouse: bulk writes from Polars, and incremental bookkeeping.

The tables' DDL and names are in :mod:`pipeline.warehouse_schema`, opening the file and its
one-writer lock in :mod:`pipeline.warehouse_connect` (``connect`` and ``writer_lock`` are
importable from here too). SQL lives in :class:`Warehouse`, which receives its connection,
so the same code serves the Dagster resource, the CLI and tests. Writes are bulk
(Polars/Arrow frames, never row by row) and each stage's write is one transaction: a crash or
a kill leaves the previous state intact.

Incremental processing: every extraction stage records, per article, the ``content_hash`` and
the stage's ``code_version`` it last processed (table ``stage_state``). A stage processes only
articles whose body or code changed, and replaces their rows atomically; so running twice on the
same input leaves the same rows, not doubled ones.

Corpus-wide stages (sources, duplicates, stories, ...) rebuild their whole result, so they
record instead one fingerprint per stage (table ``stage_runs``) of every column they read and
write, taken right after their write and in the same transaction: when the fingerprint is the
same on the next run, nothing they depend on changed and their rows are still right. Ingest
likewise records per article the digest of the input record it came from (``ingest_state``), so
an unchanged record is not extracted and normalised again.
"""

from __future__ import annotations

import contextlib
import hashlib
import json
from collections.abc import Callable, Iterator, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

import duckdb
import polars as pl

from pipeline.warehouse_connect import connect as connect
from pipeline.warehouse_connect import writer_lock as writer_lock
from pipeline.warehouse_schema import TABLES as TABLES
from pipeline.warehouse_schema import checked_table, ensure_schema, quoted_column

#: Article columns set by corpus-wide stages (duplicates, stories), not by ingest: a change
#: there is not a change of the article.
DERIVED_ARTICLE_COLUMNS = ("duplicate_of", "story_id")

#: Article columns that ingest writes (all but the derived ones): what a record becomes.
INGESTED_ARTICLE_COLUMNS = (
    "article_id",
    "external_id",
    "source_uri",
    "outlet",
    "url",
    "title",
    "authors",
    "published_at",
    "language",
    "body",
    "word_count",
    "content_hash",
)

#: Tables that hold rows extracted from one article, keyed by ``article_id``.
EXTRACTION_TABLES = ("claims", "source_mentions", "figures", "locations")

#: Tables published in a release, with their primary key (the sort order of the files).
RELEASE_TABLES: dict[str, tuple[str, ...]] = {
    "articles": ("article_id",),
    "sources": ("source_id",),
    "claims": ("claim_id",),
    "figures": ("figure_id",),
    "locations": ("location_id",),
    "rejected": ("rejection_id",),
    "quarantine": ("article_id", "stage"),
    "stories": ("story_id",),
    "claim_groups": ("claim_group_id", "claim_id"),
    "figure_conflicts": ("conflict_id",),
}


@dataclass(frozen=True, slots=True)
class StageRun:
    """The last recorded run of a corpus-wide stage (table ``stage_runs``)."""

    stage: str
    fingerprint: str
    report: dict[str, Any]


@dataclass(frozen=True, slots=True)
class Rebuild:
    """What :meth:`Warehouse.rebuild` did.

    Attributes:
        report: The stage's report: this run's, or the recorded one when skipped.
        recomputed: False when the inputs and rows were unchanged and nothing ran.
        fingerprint: The fingerprint now recorded for the stage.
    """

    report: dict[str, Any]
    recomputed: bool
    fingerprint: str


@dataclass(frozen=True, slots=True)
class ArticleUpsert:
    """What an articles write changed."""

    inserted: int
    changed: int
    unchanged: int

    @property
    def new_or_changed(self) -> int:
        """Articles whose extracted rows must be (re)computed."""
        return self.inserted + self.changed


class Warehouse:
    """All SQL that reads or writes the warehouse; receives an open connection."""

    def __init__(self, con: duckdb.DuckDBPyConnection) -> None:
        self.con = con
        self._in_transaction = False

    def ensure_schema(self) -> None:
        """Create missing tables (idempotent)."""
        ensure_schema(self.con)

    # -- generic -------------------------------------------------------------------------
    def frame(self, sql: str, params: Sequence[object] | None = None) -> pl.DataFrame:
        """Run a query and return a Polars frame."""
        return self.con.execute(sql, params or []).pl()

    def table(self, name: str) -> pl.DataFrame:
        """A whole table, in primary-key order."""
        order = ", ".join(f'"{column}"' for column in RELEASE_TABLES.get(name, ()))
        order_by = f" ORDER BY {order}" if order else ""
        return self.frame(f'SELECT * FROM "{checked_table(name)}"{order_by}')

    def count(self, name: str) -> int:
        """Rows in a table."""
        row = self.con.execute(f'SELECT count(*) FROM "{checked_table(name)}"').fetchone()
        return int(row[0]) if row else 0

    # -- articles ------------------------------------------------------------------------
    def upsert_articles(
        self,
        articles: pl.DataFrame,
        boilerplate: pl.DataFrame,
        record_digests: Mapping[str, str] | None = None,
    ) -> ArticleUpsert:
        """Insert new articles and replace changed ones; unchanged ones are not touched.

        A changed article (any ingested column differs) first loses its extracted rows and
        stage markers, so every stage recomputes it. That happens in its own transaction before
        the article rows are replaced: DuckDB's foreign-key check rejects replacing a parent
        whose children were deleted in the same transaction. A kill between the two steps is
        harmless: the next run sees the same change and finishes it. Articles are never deleted
        otherwise.

        Args:
            articles: Rows of ``articles``.
            boilerplate: Rows of ``boilerplate`` of those articles.
            record_digests: Article id to the digest of the record it was converted from (see
                :meth:`known_records`); recorded with the row's digest in the same transaction.
        """
        incoming_ids = articles["article_id"].to_list()
        existing = self.frame(
            "SELECT * FROM articles WHERE article_id IN (SELECT unnest(?::VARCHAR[]))",
            [incoming_ids],
        )
        compared = [c for c in articles.columns if c not in DERIVED_ARTICLE_COLUMNS]
        fingerprints = dict(
            zip(existing["article_id"], _row_hashes(existing.select(compared)), strict=True)
        )
        incoming_hashes = _row_hashes(articles.select(compared))
        is_new = [aid not in fingerprints for aid in incoming_ids]
        is_changed = [
            aid in fingerprints and fingerprints[aid] != digest
            for aid, digest in zip(incoming_ids, incoming_hashes, strict=True)
        ]
        changed_ids = [aid for aid, flag in zip(incoming_ids, is_changed, strict=True) if flag]
        write = articles.filter(
            pl.Series(is_new, dtype=pl.Boolean) | pl.Series(is_changed, dtype=pl.Boolean)
        )
        write_ids = write["article_id"].to_list()
        if changed_ids:
            with self.transaction():
                self._forget_articles(changed_ids)
        with self.transaction():
            self.con.execute(
                "DELETE FROM articles WHERE article_id IN (SELECT unnest(?::VARCHAR[]))",
                [changed_ids],
            )
            self._insert("articles", write)
            self._replace_by_article(
                "boilerplate",
                boilerplate.filter(pl.col("article_id").is_in(write_ids)),
                write_ids,
            )
            if record_digests:
                self._record_digests(record_digests)
        inserted = sum(is_new)
        return ArticleUpsert(
            inserted=inserted,
            changed=len(changed_ids),
            unchanged=articles.height - inserted - len(changed_ids),
        )

    def known_records(self, record_digests: Mapping[str, str]) -> pl.DataFrame:
        """Articles already stored from exactly these records, so converting them is not needed.

        An article counts when the digest of its record is the one recorded when it was last
        ingested and its stored row is still the row recorded then (so nothing rewrote it since).

        Args:
            record_digests: Article id to the digest of the record just read.

        Returns:
            ``article_id``, ``content_hash`` and ``published_at`` of those articles.
        """
        wanted = pl.DataFrame(
            {"article_id": list(record_digests), "record_digest": list(record_digests.values())},
            schema={"article_id": pl.String, "record_digest": pl.String},
        )
        self.con.register("_wanted_records", wanted)
        try:
            return self.frame(
                f"""
                SELECT a.article_id, a.content_hash, a.published_at
                FROM _wanted_records w
                JOIN ingest_state s USING (article_id, record_digest)
                JOIN articles a USING (article_id)
                WHERE s.row_digest = {_ROW_DIGEST}
                ORDER BY a.article_id
                """
            )
        finally:
            self.con.unregister("_wanted_records")

    def _record_digests(self, record_digests: Mapping[str, str]) -> None:
        incoming = pl.DataFrame(
            {"article_id": list(record_digests), "record_digest": list(record_digests.values())},
            schema={"article_id": pl.String, "record_digest": pl.String},
        )
        self.con.register("_incoming_records", incoming)
        try:
            self.con.execute(
                f"""
                INSERT OR REPLACE INTO ingest_state
                SELECT a.article_id, i.record_digest, {_ROW_DIGEST}
                FROM _incoming_records i JOIN articles a USING (article_id)
                """
            )
        finally:
            self.con.unregister("_incoming_records")

    def upsert_rejected(self, rejected: pl.DataFrame) -> None:
        """Record rejections (idempotent: a rejection's id is derived from what it is)."""
        if rejected.is_empty():
            return
        with self.transaction():
            self._insert("rejected", rejected, replace=True)

    def record_ingest_run(self, row: dict[str, object]) -> None:
        """Keep the accounting of one ingest (records in = articles + rejected)."""
        with self.transaction():
            self._insert("ingest_runs", pl.DataFrame([row]), replace=True)

    # -- stages --------------------------------------------------------------------------
    def pending(self, stage: str, code_version: str) -> pl.DataFrame:
        """Articles that ``stage`` has not processed with this body and this code.

        Only ``article_id`` and ``content_hash``: the stage reads the bodies chunk by chunk.
        """
        return self.frame(
            """
            SELECT a.article_id, a.content_hash
            FROM articles a
            LEFT JOIN stage_state s
              ON s.stage = ? AND s.article_id = a.article_id
            WHERE s.article_id IS NULL
               OR s.content_hash <> a.content_hash
               OR s.code_version <> ?
            ORDER BY a.article_id
            """,
            [stage, code_version],
        )

    def replace_stage_rows(
        self,
        stage: str,
        code_version: str,
        processed: pl.DataFrame,
        tables: dict[str, pl.DataFrame],
    ) -> None:
        """Atomically replace the rows of ``processed`` articles and mark them done.

        Args:
            stage: Stage name recorded in ``stage_state``.
            code_version: Fingerprint of the stage's code.
            processed: ``article_id`` and ``content_hash`` of every article the stage handled,
                including those that yielded no rows (so they are not retried forever).
            tables: Table name to the new rows of those articles.
        """
        article_ids = processed["article_id"].to_list()
        markers = processed.select("article_id", "content_hash").with_columns(
            stage=pl.lit(stage), code_version=pl.lit(code_version)
        )
        with self.transaction():
            for name, rows in tables.items():
                self._replace_by_article(name, rows, article_ids)
            self._insert("stage_state", markers, replace=True)

    def replace_quarantine(
        self, stage: str, article_ids: Sequence[str], failures: pl.DataFrame
    ) -> None:
        """Replace ``stage``'s quarantine rows of ``article_ids`` with ``failures``.

        Called in the transaction that writes the stage's rows of those articles: an article
        that now succeeds leaves the quarantine, one that fails (again) is recorded anew.

        Args:
            stage: The stage.
            article_ids: Every article the stage just handled.
            failures: Rows of ``quarantine`` for those that failed.
        """
        with self.transaction():
            self.con.execute(
                """
                DELETE FROM quarantine
                WHERE stage = ? AND article_id IN (SELECT unnest(?::VARCHAR[]))
                """,
                [stage, list(article_ids)],
            )
            self._insert("quarantine", failures)

    def quarantine_counts(self) -> dict[str, int]:
        """Quarantined articles per stage."""
        rows = self.con.execute(
            "SELECT stage, count(*) FROM quarantine GROUP BY stage ORDER BY stage"
        ).fetchall()
        return {stage: int(count) for stage, count in rows}

    def store_docs(self, docs: pl.DataFrame) -> None:
        """Cache parsed docs by ``content_hash`` (``content_hash``, ``model``, ``doc``)."""
        if docs.is_empty():
            return
        with self.transaction():
            self._insert("nlp_docs", docs, replace=True)

    def replace_table(self, name: str, rows: pl.DataFrame) -> None:
        """Replace a whole derived table (for corpus-wide aggregates such as ``sources``)."""
        with self.transaction():
            self.con.execute(f'DELETE FROM "{checked_table(name)}"')
            self._insert(name, rows)

    def set_article_column(self, column: str, values: pl.DataFrame) -> int:
        """Set a derived article column for every article; returns how many rows changed.

        Articles absent from ``values`` get null. Only rows whose value differs are updated
        (an in-place UPDATE of a VARCHAR column, which DuckDB's foreign keys allow; list
        columns of ``articles`` must never be updated this way).

        Args:
            column: One of :data:`DERIVED_ARTICLE_COLUMNS`.
            values: ``article_id`` and ``value`` (a string or null).
        """
        if column not in DERIVED_ARTICLE_COLUMNS:
            raise ValueError(f"not a derived article column: {column!r}")
        incoming = values.select(
            pl.col("article_id").cast(pl.String), pl.col("value").cast(pl.String)
        )
        self.con.register("_incoming_values", incoming)
        try:
            with self.transaction():
                row = self.con.execute(
                    f"""
                    UPDATE articles SET "{column}" = wanted.value
                    FROM (
                        SELECT a.article_id, i.value
                        FROM articles a LEFT JOIN _incoming_values i USING (article_id)
                    ) AS wanted
                    WHERE articles.article_id = wanted.article_id
                      AND articles."{column}" IS DISTINCT FROM wanted.value
                    """
                ).fetchone()
        finally:
            self.con.unregister("_incoming_values")
        return int(row[0]) if row else 0

    # -- corpus-wide stages --------------------------------------------------------------
    def fingerprint(self, columns: Mapping[str, Sequence[str]], salt: str = "") -> str:
        """A digest of the rows of ``columns`` (table to column names), plus ``salt``.

        Per table: the row count, and the sum and the XOR of DuckDB's 64-bit hash of each row's
        listed columns (``("*",)``: all of them) as one struct, so moving a value to another
        column, or NULL to empty, changes it. Sum and XOR do not depend on row order. Nothing
        is serialised and no rows travel to Python: about a millisecond per table of 300
        articles, so an unchanged stage or table is cheap to recognise. (Serialising rows as
        JSON and hashing them with MD5 cost five to ten times more.) A change goes unseen only
        if the count, the sum and the XOR of the row hashes all coincide, which takes
        deliberate construction, not an edit.

        Args:
            columns: Table name to the columns that matter; list the key too, so that equal
                projections of different rows still count separately.
            salt: What else decides the result (the stage's code version and settings).
        """
        digest = hashlib.sha256(f"stage_runs v2\x1f{salt}".encode())
        for table in sorted(columns):
            names = tuple(columns[table])
            row = "t" if names == ("*",) else f"struct_pack({', '.join(map(quoted_column, names))})"
            counts = self.con.execute(
                f"""
                SELECT count(*), coalesce(sum(h::HUGEINT), 0), coalesce(bit_xor(h), 0)
                FROM (SELECT hash({row}) AS h FROM "{checked_table(table)}" t)
                """
            ).fetchone()
            digest.update(f"\x1e{table}\x1f{','.join(names)}\x1f{counts}".encode())
        return digest.hexdigest()

    def rebuild(
        self,
        stage: str,
        columns: Mapping[str, Sequence[str]],
        salt: str,
        build: Callable[[], Mapping[str, Any]],
    ) -> Rebuild:
        """Run a corpus-wide stage's ``build`` unless nothing it reads or writes has changed.

        ``columns`` must name every column the stage reads and every one it writes. The
        fingerprint of those rows (and of ``salt``) is compared with the one recorded when the
        stage last wrote; equal means the stage's rows are what ``build`` would write again, so
        it is skipped and its recorded report returned. Otherwise ``build`` runs, and its writes,
        the new fingerprint (taken after them) and its report are committed in one transaction:
        a kill before the commit leaves the old rows with the old fingerprint, so the next run
        rebuilds.

        Args:
            stage: Name recorded in ``stage_runs``.
            columns: Table to columns, as for :meth:`fingerprint`.
            salt: The stage's code version and settings.
            build: Reads, computes and writes (through this warehouse's methods, which join the
                transaction); returns a JSON-serialisable report.
        """
        before = self.fingerprint(columns, salt)
        last = self.last_run(stage)
        if last is not None and last.fingerprint == before:
            return Rebuild(report=last.report, recomputed=False, fingerprint=before)
        with self.transaction():
            report = dict(build())
            after = self.fingerprint(columns, salt)
            self.con.execute(
                "INSERT OR REPLACE INTO stage_runs VALUES (?, ?, ?)",
                [stage, after, json.dumps(report, sort_keys=True)],
            )
        return Rebuild(report=report, recomputed=True, fingerprint=after)

    def last_run(self, stage: str) -> StageRun | None:
        """What ``stage`` recorded at its last write, if it ever wrote."""
        row = self.con.execute(
            "SELECT fingerprint, report FROM stage_runs WHERE stage = ?", [stage]
        ).fetchone()
        if row is None:
            return None
        return StageRun(stage=stage, fingerprint=row[0], report=json.loads(row[1]))

    # -- contracts -----------------------------------------------------------------------
    def contract_passed(self, table: str, digest: str) -> int | None:
        """Rows of ``table`` when its contract last passed on data with this digest, else None."""
        row = self.con.execute(
            "SELECT row_count FROM contract_passes WHERE table_name = ? AND digest = ?",
            [table, digest],
        ).fetchone()
        return int(row[0]) if row else None

    def record_contract_pass(self, table: str, digest: str, rows: int) -> None:
        """Remember that ``table``'s contract passed on the data with ``digest``."""
        self.con.execute(
            "INSERT OR REPLACE INTO contract_passes VALUES (?, ?, ?)", [table, digest, rows]
        )

    # -- build seal ----------------------------------------------------------------------
    def seal(self) -> tuple[str, str, str, str] | None:
        """The build seal (build key, tables digest, release, run id), if a build left one."""
        row = self.con.execute(
            "SELECT build_key, tables_digest, release, run_id FROM build_seal"
        ).fetchone()
        return (row[0], row[1], row[2], row[3]) if row else None

    def record_seal(self, build_key: str, tables_digest: str, release: str, run_id: str) -> None:
        """Replace the build seal."""
        self.con.execute(
            "INSERT OR REPLACE INTO build_seal VALUES (true, ?, ?, ?, ?)",
            [build_key, tables_digest, release, run_id],
        )

    # -- internals -----------------------------------------------------------------------
    @contextlib.contextmanager
    def transaction(self) -> Iterator[None]:
        """One atomic unit of work: committed whole or not at all.

        Re-entrant: inside an open transaction it joins it, so a stage can put several writes
        (its rows and its ``stage_runs`` fingerprint) into one commit.
        """
        if self._in_transaction:
            yield
            return
        self._in_transaction = True
        try:
            self.con.execute("BEGIN TRANSACTION")
            try:
                yield
            except BaseException:
                self.con.execute("ROLLBACK")
                raise
            self.con.execute("COMMIT")
        finally:
            self._in_transaction = False

    def _insert(self, name: str, rows: pl.DataFrame, *, replace: bool = False) -> None:
        """Bulk-insert a frame (Arrow, zero-copy) into a table, matching columns by name."""
        if rows.is_empty():
            return
        verb = "INSERT OR REPLACE" if replace else "INSERT"
        self.con.register("_incoming", rows)
        try:
            self.con.execute(f'{verb} INTO "{checked_table(name)}" BY NAME SELECT * FROM _incoming')
        finally:
            self.con.unregister("_incoming")

    def _replace_by_article(self, name: str, rows: pl.DataFrame, article_ids: list[str]) -> None:
        table = checked_table(name)
        self.con.execute(
            f'DELETE FROM "{table}" WHERE article_id IN (SELECT unnest(?::VARCHAR[]))',
            [article_ids],
        )
        self._insert(name, rows)

    def _forget_articles(self, article_ids: list[str]) -> None:
        for name in (*EXTRACTION_TABLES, "boilerplate"):
            self.con.execute(
                f'DELETE FROM "{name}" WHERE article_id IN (SELECT unnest(?::VARCHAR[]))',
                [article_ids],
            )
        self.con.execute(
            "DELETE FROM stage_state WHERE article_id IN (SELECT unnest(?::VARCHAR[]))",
            [article_ids],
        )


#: SQL for the digest of an article's ingested columns (table alias ``a``).
_ROW_DIGEST = (
    "md5(to_json(struct_pack("
    + ", ".join(f'a."{column}"' for column in INGESTED_ARTICLE_COLUMNS)
    + ")))"
)


def _row_hashes(frame: pl.DataFrame) -> list[int]:
    """A hash per row over every column, to tell changed records from unchanged ones."""
    if frame.is_empty():
        return []
    return frame.hash_rows(seed=0, seed_1=1, seed_2=2, seed_3=3).to_list()
