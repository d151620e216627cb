"""Releases: immutable folders of Parquet files with a manifest, a dataset card and a changelog.

A release is written into a hidden staging folder (``.tmp-<version>-<pid>``) and renamed into
place only once every file, the expectation gate and the manifest are done, so a crash or a
``kill -9`` never leaves a visible partial release; ``LATEST`` is replaced atomically afterwards.
``manifest.json`` is the last file written into the staging folder, so a release folder with a
manifest is complete by construction.

Data files hold no wall-clock times or random ids and are written in primary-key order with a
row-group size derived from the data alone, so the same inputs and code give byte-identical
Parquet. The version is content-addressed: releasing unchanged data again returns the existing
release instead of writing a copy.
"""

from __future__ import annotations

import hashlib
import json
import os
import shutil
import time
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import polars as pl
import pyarrow.parquet as pq

from pipeline.atomic_files import fsync_dir, fsync_tree, replace_file, root_lock
from pipeline.ids import file_sha256
from pipeline.release_diff import TableDiff, diff_table, render_changelog
from pipeline.warehouse import RELEASE_TABLES, Warehouse

#: A table with at least this many rows is split into one file per month of publication
#: (``data/<table>/<YYYY-MM>.parquet``): scans that filter by date read only their months, and
#: no single file grows past what a laptop can rewrite. Smaller tables stay one file.
PARTITION_MIN_ROWS = 1_000_000
#: Uncompressed bytes aimed at per row group: big enough for fast sequential scans and good
#: compression, small enough that DuckDB and Polars can parallelise within a file.
TARGET_ROW_GROUP_BYTES = 64 * 1024 * 1024
MIN_ROW_GROUP_ROWS = 8_192
MAX_ROW_GROUP_ROWS = 1_048_576
#: Large tables with an ``article_id`` column (and ``articles``) are partitioned by the month
#: of ``articles.published_at`` of the row's article. Tables without one (``sources``,
#: ``rejected``, ``stories``) have no publication date and stay one file.
UNKNOWN_MONTH = "unknown"

MANIFEST = "manifest.json"
LATEST = "LATEST"
CARD = "README.md"
CHANGELOG = "CHANGELOG.md"
DOCS = "docs"
STAGING_PREFIX = ".tmp-"
#: Beside the releases: which release the warehouse rows with a given digest were published as.
PUBLISHED = ".published.json"
REFUSED = ".refused"
MANIFEST_FORMAT = 2
#: Test hook: seconds to sleep after each staged file, so a test can kill a release mid-write.
SLOW_ENV = "NEWSLEDGER_RELEASE_SLOW_SECONDS"


@dataclass(frozen=True, slots=True)
class ColumnDoc:
    """A column as documented by its contract."""

    name: str
    type: str
    description: str


@dataclass(frozen=True, slots=True)
class ReleaseInfo:
    """Where a release is and what it holds."""

    version: str
    path: Path
    rows: dict[str, int]
    created: bool
    previous: str | None = None
    warnings: tuple[str, ...] = ()


@dataclass(frozen=True, slots=True)
class GateResult:
    """What the expectation gate found in a staged release.

    The gate lives outside this module (Great Expectations is a contracts concern); this is the
    small part of its answer the writer needs to publish or refuse.
    """

    failures: tuple[str, ...]
    warnings: tuple[str, ...] = ()
    evaluated: int = 0
    suites: int = 0
    docs: str | None = None

    @property
    def passed(self) -> bool:
        """True when no blocking expectation failed."""
        return not self.failures


#: Runs the expectations on a staged release folder (given its manifest's ``tables``) and
#: writes their Data Docs inside it.
Gate = Callable[[Path, Mapping[str, Any]], GateResult]


class ReleaseRefused(RuntimeError):
    """Blocking expectations failed: the release was not published."""

    def __init__(self, version: str, gate: GateResult, report: Path | None) -> None:
        self.version = version
        self.gate = gate
        self.report = report
        lines = [
            f"release {version} refused: {len(gate.failures)} blocking expectation(s) failed",
            *(f"  - {failure}" for failure in gate.failures),
        ]
        if report is not None:
            lines.append(f"  validation report: {report}")
        super().__init__("\n".join(lines))


def write_release(
    warehouse: Warehouse,
    root: Path,
    *,
    code_version: str,
    contract_versions: Mapping[str, str],
    columns: Mapping[str, list[ColumnDoc]],
    descriptions: Mapping[str, str] | None = None,
    card: Callable[[Mapping[str, Any]], str] | None = None,
    gate: Gate | None = None,
    now: datetime | None = None,
    partition_min_rows: int = PARTITION_MIN_ROWS,
) -> ReleaseInfo:
    """Write the warehouse's published tables as a new release under ``root``.

    Args:
        warehouse: Source of the tables.
        root: Releases folder; each release is ``root/<version>``.
        code_version: Version of the code that built the data (goes into the manifest).
        contract_versions: Contract version per table.
        columns: Documented columns per table (schema in the manifest).
        descriptions: What each table is (from its contract), for the manifest and the card.
        card: Renders the dataset card (the release's ``README.md``) from the manifest.
        gate: Runs the expectations on the staged files; a release with blocking failures is
            refused (:class:`ReleaseRefused`) and nothing is renamed into place.
        now: Creation time for the manifest (tests pass a fixed one).
        partition_min_rows: Row count from which a table is split by month of publication.

    Raises:
        ReleaseRefused: When the gate reports blocking failures.
    """
    root.mkdir(parents=True, exist_ok=True)
    with root_lock(root):
        _remove_stale_staging(root)
        source = warehouse.fingerprint(dict.fromkeys(RELEASE_TABLES, ("*",)), salt=code_version)
        unchanged = _published_from(root, source)
        if unchanged is not None:
            return unchanged
        frames = {name: warehouse.table(name) for name in RELEASE_TABLES}
        rows = {name: frame.height for name, frame in frames.items()}
        fingerprint = data_fingerprint(frames)
        version = fingerprint[:12]
        final = root / version
        previous = latest(root)
        previous_version = previous.name if previous is not None else None
        if (final / MANIFEST).exists():
            _point_latest(root, version)
            _record_published(root, source, version, rows)
            return ReleaseInfo(version, final, rows, False, previous_version)
        if final.exists():  # not made by this writer (it renames complete folders only)
            os.replace(final, root / f".broken-{version}-{os.getpid()}")

        staging = root / f"{STAGING_PREFIX}{version}-{os.getpid()}"
        shutil.rmtree(staging, ignore_errors=True)
        try:
            (staging / "data").mkdir(parents=True)
            months = _article_months(frames["articles"])
            tables: dict[str, dict[str, Any]] = {}
            for name, frame in frames.items():
                tables[name] = {
                    "description": (descriptions or {}).get(name, ""),
                    "rows": frame.height,
                    "contract_version": contract_versions.get(name),
                    "primary_key": list(RELEASE_TABLES[name]),
                    "sorted_by": list(RELEASE_TABLES[name]),
                    "schema": [
                        {"column": c.name, "type": c.type, "description": c.description}
                        for c in columns.get(name, [])
                    ],
                    **_stage_table(staging, name, frame, months, partition_min_rows),
                }

            result = gate(staging, tables) if gate is not None else None
            if result is not None and not result.passed:
                report = _keep_refused_report(root, staging, version, result)
                shutil.rmtree(staging, ignore_errors=True)
                raise ReleaseRefused(version, result, report)

            diff = None
            if previous is not None and (previous / MANIFEST).exists():
                diff = diff_releases(previous, frames, tables)
            manifest: dict[str, Any] = {
                "format": MANIFEST_FORMAT,
                "version": version,
                "previous_version": previous_version,
                "created_at": (now or datetime.now(UTC)).isoformat(timespec="seconds"),
                "code_version": code_version,
                "data_fingerprint": fingerprint,
                "input_fingerprint": input_fingerprint(frames["articles"]),
                "partition_min_rows": partition_min_rows,
                "tables": tables,
                "expectations": _gate_summary(result),
            }
            if diff is not None:
                for name, table_diff in diff.items():
                    tables[name]["changes"] = {
                        "added": table_diff.added,
                        "removed": table_diff.removed,
                        "changed": table_diff.changed,
                    }
            if card is not None:
                _write_text(staging / CARD, card(manifest))
            _write_text(staging / CHANGELOG, render_changelog(manifest, diff))
            manifest["documents"] = [_file_entry(staging, path) for path in _documents(staging)]
            _write_text(staging / MANIFEST, json.dumps(manifest, indent=2, sort_keys=True) + "\n")
            fsync_tree(staging)
        except BaseException:
            # A failure (not a kill: that leaves a hidden folder the next run removes) cleans
            # up at once; a refused release has already moved its report out.
            shutil.rmtree(staging, ignore_errors=True)
            raise
        os.replace(staging, final)
        fsync_dir(root)
        _point_latest(root, version)
        _record_published(root, source, version, rows)
        warnings = result.warnings if result is not None else ()
        return ReleaseInfo(version, final, rows, True, previous_version, warnings)


def read_manifest(path: Path) -> dict[str, Any]:
    """A release's manifest."""
    return json.loads((path / MANIFEST).read_text())


def read_tables(
    path: Path, tables: Mapping[str, Any] | None = None, *, names: Sequence[str] | None = None
) -> dict[str, pl.DataFrame]:
    """Load a release's (or a staged release's) tables, whole, in primary-key order.

    Args:
        path: Release folder.
        tables: The manifest's ``tables`` (read from ``path`` when omitted).
        names: Only these tables.
    """
    listed = tables if tables is not None else read_manifest(path)["tables"]
    frames: dict[str, pl.DataFrame] = {}
    for name, table in listed.items():
        if names is not None and name not in names:
            continue
        files = [str(path / entry["path"]) for entry in table["files"]]
        frame = pl.read_parquet(files) if files else pl.DataFrame()
        if len(files) > 1:
            frame = frame.sort(table["primary_key"])
        frames[name] = frame
    return frames


def verify_release(path: Path) -> list[str]:
    """Recompute every checksum, row count and column type of a release.

    Returns problems (empty when intact). The expectations are re-run separately (they need
    Great Expectations, which this module does not import).
    """
    if not (path / MANIFEST).exists():
        return [f"{path}: no {MANIFEST} (not a release, or a partial one)"]
    manifest = read_manifest(path)
    problems: list[str] = []
    for name, table in manifest["tables"].items():
        total = 0
        for entry in table["files"]:
            file = path / entry["path"]
            if not file.exists():
                problems.append(f"{name}: missing {entry['path']}")
                continue
            problems.extend(_checksum_problems(name, path, entry))
            try:
                total += pq.ParquetFile(file).metadata.num_rows
                problems.extend(_schema_problems(name, entry["path"], file, table["schema"]))
            except (OSError, ValueError, pl.exceptions.PolarsError) as exc:  # corrupt bytes
                problems.append(f"{name}: {entry['path']} is not readable Parquet ({exc})")
        if total != table["rows"]:
            problems.append(f"{name}: {total} rows in files, manifest says {table['rows']}")
    for entry in manifest.get("documents", []):
        if not (path / entry["path"]).exists():
            problems.append(f"document: missing {entry['path']}")
        else:
            problems.extend(_checksum_problems("document", path, entry))
    listed = {e["path"] for t in manifest["tables"].values() for e in t["files"]}
    for file in sorted((path / "data").rglob("*.parquet")):
        if file.relative_to(path).as_posix() not in listed:
            problems.append(f"data: {file.relative_to(path)} is not in the manifest")
    return problems


def latest(root: Path) -> Path | None:
    """The release ``LATEST`` points to, if any."""
    pointer = root / LATEST
    if not pointer.exists():
        return None
    return root / pointer.read_text().strip()


def data_fingerprint(frames: Mapping[str, pl.DataFrame]) -> str:
    """Hash of the published rows and their types: equal data, equal version."""
    digest = hashlib.sha256()
    for name in sorted(frames):
        digest.update(name.encode())
        frame = frames[name]
        digest.update(str(frame.schema).encode())
        if frame.height:
            digest.update(
                frame.hash_rows(seed=0, seed_1=1, seed_2=2, seed_3=3).to_numpy().tobytes()
            )
    return digest.hexdigest()


def input_fingerprint(articles: pl.DataFrame) -> dict[str, Any]:
    """What went in: the set of (``source_uri``, ``content_hash``) of the articles.

    Independent of the code, so two releases with the same input fingerprint and different
    data fingerprints differ because of the code (see ``code_version``).
    """
    digest = hashlib.sha256()
    if articles.height:
        pairs = articles.select("source_uri", "content_hash").sort("source_uri", "content_hash")
        for uri, content_hash in pairs.iter_rows():
            digest.update(f"{uri}\t{content_hash}\n".encode())
    return {
        "sha256": digest.hexdigest(),
        "articles": articles.height,
        "method": "sha256 of sorted 'source_uri<TAB>content_hash' lines of the articles",
    }


def diff_releases(
    previous: Path, frames: Mapping[str, pl.DataFrame], tables: Mapping[str, Any]
) -> dict[str, TableDiff]:
    """Changes from the release at ``previous`` to ``frames`` (described by ``tables``)."""
    old_manifest = read_manifest(previous)
    old_frames = read_tables(previous, old_manifest["tables"])
    diffs: dict[str, TableDiff] = {}
    for name, frame in frames.items():
        old = old_frames.get(name)
        old_table = old_manifest["tables"].get(name, {})
        diffs[name] = diff_table(
            name,
            old if old is not None else frame.clear(),
            frame,
            tuple(tables[name]["primary_key"]),
            contract_before=old_table.get("contract_version"),
            contract_after=tables[name].get("contract_version"),
        )
    return diffs


def table_paths(table: Mapping[str, Any]) -> dict[str, str]:
    """How to point each reader at a table's files, relative to the release folder.

    Polars and DuckDB take a glob for a partitioned table; pandas (pyarrow) takes its folder.
    """
    location = table["location"]
    if location.endswith("/"):
        return {"glob": f"{location}*.parquet", "folder": location.rstrip("/")}
    return {"glob": location, "folder": location}


# -- internals -------------------------------------------------------------------------------
def _stage_table(
    staging: Path,
    name: str,
    frame: pl.DataFrame,
    months: pl.DataFrame,
    partition_min_rows: int,
) -> dict[str, Any]:
    """Write one table's files into the staging folder; its manifest layout entries."""
    row_group = row_group_rows(frame)
    if "article_id" not in frame.columns or frame.height < partition_min_rows:
        relative = f"data/{name}.parquet"
        _write_parquet(frame, staging / relative, row_group)
        return {
            "location": relative,
            "partitioned_by": None,
            "row_group_rows": row_group,
            "files": [{**_file_entry(staging, relative), "rows": frame.height}],
        }
    (staging / "data" / name).mkdir()
    keyed = frame.join(months, on="article_id", how="left", maintain_order="left")
    labels = keyed["_month"].fill_null(UNKNOWN_MONTH)
    files = []
    for month in sorted(labels.unique().to_list()):
        part = frame.filter(labels == month)  # keeps key order
        relative = f"data/{name}/{month}.parquet"
        _write_parquet(part, staging / relative, row_group)
        files.append({**_file_entry(staging, relative), "rows": part.height, "partition": month})
    return {
        "location": f"data/{name}/",
        "partitioned_by": "month of articles.published_at (UTC, YYYY-MM; 'unknown' when null)",
        "row_group_rows": row_group,
        "files": files,
    }


def _documents(folder: Path) -> list[str]:
    """Files besides the data that the manifest checksums: card, changelog, Data Docs pages.

    The Data Docs' ``static/`` assets (fonts, images, CSS shipped by Great Expectations) are
    the same in every release and are left out to keep the manifest readable.
    """
    found = []
    for path in folder.rglob("*"):
        relative = path.relative_to(folder).as_posix()
        if (
            path.is_file()
            and relative != MANIFEST
            and not relative.startswith(("data/", f"{DOCS}/static/"))
        ):
            found.append(relative)
    return sorted(found)


def _article_months(articles: pl.DataFrame) -> pl.DataFrame:
    return articles.select(
        "article_id", _month=pl.col("published_at").dt.convert_time_zone("UTC").dt.strftime("%Y-%m")
    )


def row_group_rows(frame: pl.DataFrame) -> int:
    """Rows per row group for ``frame``, from its data alone (so it is reproducible)."""
    if frame.height == 0:
        return MIN_ROW_GROUP_ROWS
    size = 0
    for name, dtype in frame.schema.items():
        column = frame[name]
        if dtype == pl.String:
            size += int(column.str.len_bytes().sum() or 0) + 4 * frame.height
        elif isinstance(dtype, pl.List) and dtype.inner == pl.String:
            size += int(column.explode().str.len_bytes().sum() or 0) + 8 * frame.height
        else:
            size += 8 * frame.height
    per_row = max(1, size // frame.height)
    return max(MIN_ROW_GROUP_ROWS, min(MAX_ROW_GROUP_ROWS, TARGET_ROW_GROUP_BYTES // per_row))


def _write_parquet(frame: pl.DataFrame, path: Path, row_group_size: int) -> None:
    pq.write_table(
        frame.rechunk().to_arrow(),
        path,
        compression="zstd",
        row_group_size=row_group_size,
        write_statistics=True,
    )
    _test_pause()


def _test_pause() -> None:
    seconds = float(os.environ.get(SLOW_ENV) or 0)
    if seconds > 0:
        time.sleep(seconds)


def _gate_summary(result: GateResult | None) -> dict[str, Any] | None:
    if result is None:
        return None
    return {
        "suites": result.suites,
        "evaluated": result.evaluated,
        "failed_blocking": len(result.failures),
        "warnings": list(result.warnings),
        "docs": result.docs,
    }


def _keep_refused_report(
    root: Path, staging: Path, version: str, result: GateResult
) -> Path | None:
    """Move a refused release's Data Docs to ``root/.refused/<version>`` for inspection."""
    if not (staging / DOCS).exists():
        return None
    target = root / REFUSED / version
    shutil.rmtree(target, ignore_errors=True)
    target.parent.mkdir(parents=True, exist_ok=True)
    os.replace(staging / DOCS, target)
    return target / "index.html" if (target / "index.html").exists() else target


def _checksum_problems(name: str, base: Path, entry: Mapping[str, Any]) -> list[str]:
    file = base / entry["path"]
    problems = []
    if file.stat().st_size != entry["bytes"]:
        problems.append(f"{name}: size mismatch for {entry['path']}")
    if file_sha256(file) != entry["sha256"]:
        problems.append(f"{name}: checksum mismatch for {entry['path']}")
    return problems


def _schema_problems(
    name: str, relative: str, file: Path, schema: Sequence[Mapping[str, str]]
) -> list[str]:
    """Columns and types of a Parquet file against the manifest (which mirrors the contract)."""
    if not schema:
        return []
    found = pl.read_parquet_schema(file)
    expected = {c["column"]: c["type"] for c in schema}
    if list(found) != list(expected):
        return [f"{name}: {relative} has columns {list(found)}, manifest says {list(expected)}"]
    return [
        f"{name}: {relative} column {column} is {found[column]}, manifest says {kind}"
        for column, kind in expected.items()
        if str(found[column]) != kind
    ]


def _file_entry(base: Path, relative: str) -> dict[str, Any]:
    file = base / relative
    return {"path": relative, "bytes": file.stat().st_size, "sha256": file_sha256(file)}


def _write_text(path: Path, text: str) -> None:
    path.write_text(text, encoding="utf-8")
    _test_pause()


def _remove_stale_staging(root: Path) -> None:
    """Staging folders left by killed writers (we hold the folder's lock, so none is live)."""
    for leftover in root.glob(f"{STAGING_PREFIX}*"):
        if leftover.is_dir():
            shutil.rmtree(leftover, ignore_errors=True)
    for name in (LATEST, PUBLISHED.lstrip(".")):
        for leftover in root.glob(f".{name}.tmp-*"):
            leftover.unlink(missing_ok=True)


def _point_latest(root: Path, version: str) -> None:
    """Replace ``LATEST`` atomically: readers see the old or the new pointer, never half."""
    replace_file(root / LATEST, version + "\n")


def _published_from(root: Path, source: str) -> ReleaseInfo | None:
    """The release already written from warehouse rows with digest ``source``, if any.

    Found without reading the tables: a run with nothing new would otherwise load the whole
    warehouse into memory only to learn that its release exists. The digest is salted with
    the code version, so new code reads the tables once (and, the data being the same, finds
    the same release by its data fingerprint).
    """
    try:
        record = json.loads((root / PUBLISHED).read_text())
    except (OSError, ValueError):
        return None
    if not isinstance(record, dict) or record.get("source") != source:
        return None
    final = root / str(record.get("version"))
    if not (final / MANIFEST).exists():  # deleted since: write it again
        return None
    previous = latest(root)
    _point_latest(root, final.name)
    rows = {str(name): int(count) for name, count in dict(record.get("rows") or {}).items()}
    return ReleaseInfo(final.name, final, rows, False, previous.name if previous else None)


def _record_published(root: Path, source: str, version: str, rows: Mapping[str, int]) -> None:
    record = {"source": source, "version": version, "rows": dict(rows)}
    replace_file(root / PUBLISHED, json.dumps(record, sort_keys=True) + "\n")
