"""Releases: immutable folders of Parquet files with a manifest and a dataset card.

A release is written into a hidden temporary folder and renamed into place, so a crash never
leaves a visible partial release; ``LATEST`` is replaced atomically afterwards. Data files hold
no wall-clock times or random ids, so the same inputs and code give byte-identical Parquet.
The version is content-addressed: releasing unchanged data again returns the existing release.
"""

from __future__ import annotations

import hashlib
import json
import os
import shutil
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

import polars as pl
import pyarrow.parquet as pq

from pipeline.warehouse import RELEASE_TABLES, Warehouse

ROW_GROUP_SIZE = 64_000
MANIFEST = "manifest.json"
LATEST = "LATEST"


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


def write_release(
    warehouse: Warehouse,
    root: Path,
    *,
    code_version: str,
    contract_versions: Mapping[str, str],
    columns: Mapping[str, list[ColumnDoc]],
    card: Callable[[str, Mapping[str, int]], str] | None = None,
    now: datetime | None = None,
) -> ReleaseInfo:
    """Write the warehouse's published tables as a new release under ``root``.

    Args:
        warehouse: Source of the tables.
        root: Releases folder; each release is ``root/<version>``.
        code_version: Version of the code that built the data (goes into the manifest).
        contract_versions: Contract version per table.
        columns: Documented columns per table (schema in the manifest).
        card: Renders the dataset card (Markdown, the release's ``README.md``) from the
            version and row counts; written inside the staged folder, before the rename.
        now: Creation time for the manifest (tests pass a fixed one).
    """
    root.mkdir(parents=True, exist_ok=True)
    frames = {name: warehouse.table(name) for name in RELEASE_TABLES}
    fingerprint = _fingerprint(frames)
    version = f"{fingerprint[:12]}"
    final = root / version
    if final.exists() and (final / MANIFEST).exists():
        _point_latest(root, version)
        return ReleaseInfo(version, final, {n: f.height for n, f in frames.items()}, False)

    staging = root / f".tmp-{version}-{os.getpid()}"
    shutil.rmtree(staging, ignore_errors=True)
    (staging / "data").mkdir(parents=True)
    tables: dict[str, object] = {}
    for name, frame in frames.items():
        relative = f"data/{name}.parquet"
        _write_parquet(frame, staging / relative)
        tables[name] = {
            "rows": frame.height,
            "contract_version": contract_versions.get(name),
            "primary_key": list(RELEASE_TABLES[name]),
            "schema": [
                {"column": c.name, "type": c.type, "description": c.description}
                for c in columns.get(name, [])
            ],
            "files": [_file_entry(staging, relative)],
        }
    manifest = {
        "version": version,
        "created_at": (now or datetime.now(UTC)).isoformat(timespec="seconds"),
        "code_version": code_version,
        "data_fingerprint": fingerprint,
        "tables": tables,
    }
    (staging / MANIFEST).write_text(json.dumps(manifest, indent=2, sort_keys=True) + "\n")
    if card is not None:
        (staging / "README.md").write_text(card(version, {n: f.height for n, f in frames.items()}))
    _fsync_tree(staging)
    os.replace(staging, final)
    _point_latest(root, version)
    return ReleaseInfo(version, final, {n: f.height for n, f in frames.items()}, True)


def verify_release(path: Path) -> list[str]:
    """Recompute every checksum of a release; returns problems (empty when intact)."""
    manifest = json.loads((path / MANIFEST).read_text())
    problems: list[str] = []
    for name, table in manifest["tables"].items():
        for entry in table["files"]:
            file = path / entry["path"]
            if not file.exists():
                problems.append(f"{name}: missing {entry['path']}")
                continue
            if _sha256(file) != entry["sha256"]:
                problems.append(f"{name}: checksum mismatch for {entry['path']}")
            rows = pq.ParquetFile(file).metadata.num_rows
            if rows != table["rows"]:
                problems.append(f"{name}: {rows} rows in file, manifest says {table['rows']}")
    return problems


def latest(root: Path) -> Path | None:
    """The release ``LATEST`` points to, if any."""
    pointer = root / LATEST
    if not pointer.exists():
        return None
    return root / pointer.read_text().strip()


def _write_parquet(frame: pl.DataFrame, path: Path) -> None:
    pq.write_table(
        frame.to_arrow(),
        path,
        compression="zstd",
        row_group_size=ROW_GROUP_SIZE,
        write_statistics=True,
    )


def _fingerprint(frames: Mapping[str, pl.DataFrame]) -> str:
    """Hash of the published rows: equal data, equal version."""
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


def _file_entry(base: Path, relative: str) -> dict[str, object]:
    file = base / relative
    return {"path": relative, "bytes": file.stat().st_size, "sha256": _sha256(file)}


def _sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        for block in iter(lambda: handle.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def _point_latest(root: Path, version: str) -> None:
    tmp = root / f".{LATEST}.tmp-{os.getpid()}"
    tmp.write_text(version + "\n")
    os.replace(tmp, root / LATEST)


def _fsync_tree(folder: Path) -> None:
    """Flush files before the rename, so a power cut cannot expose empty files."""
    for file in folder.rglob("*"):
        if file.is_file():
            with file.open("rb") as handle:
                os.fsync(handle.fileno())
