"""The build seal: what a complete build left, so that a run with nothing new stops early.

Every step after ingest is a function of the warehouse's tables, our code, the installed
libraries, the gazetteer and the releases folder. A ``build`` run that ran every step and
published its release records a seal: a digest of every data table as the run left them, a key
for the rest (:func:`build_key`), and the release. The next run's first step ingests, then
compares. If the seal holds (same tables after ingest, same key, the release still ``LATEST``),
every later step would rewrite what is there and publish the release that exists: the run stops
there, as ``make`` does with a target newer than its sources. Anything else (a new or edited
record, a row changed by hand, new code or libraries, a rebuilt gazetteer, a deleted release)
breaks the seal, and every step runs, each as incrementally as before.

A seal is written only by a run that executed every step: a run of one asset (``newsledger
release``) or of the warehouse alone proves nothing about the rest.
"""

from __future__ import annotations

import hashlib
import os
import sys
import sysconfig
from dataclasses import dataclass
from pathlib import Path

from pipeline.release import MANIFEST, latest
from pipeline.stages import gazetteer_sources, gazetteer_version
from pipeline.version import sources_digest
from pipeline.warehouse import TABLES, Warehouse

#: Tables that change without the data changing: ``ingest_runs`` (a row per run, even a run
#: that changes nothing), ``contract_passes`` (a memo of checks) and the seal itself.
UNSEALED_TABLES = ("ingest_runs", "contract_passes", "build_seal")
#: Every other table: what the steps read and write as data (a new table is sealed too).
SEALED_TABLES = tuple(sorted(TABLES - frozenset(UNSEALED_TABLES)))
#: Salt of the digests; a new value breaks every existing seal.
_SALT = "build seal v1"


@dataclass(frozen=True, slots=True)
class BuildSeal:
    """What the last complete build left.

    Attributes:
        build_key: :func:`build_key` when it ran.
        tables_digest: :func:`tables_digest` after its last step.
        release: The release version it published (the folder's name).
        run_id: The Dagster run that sealed.
    """

    build_key: str
    tables_digest: str
    release: str
    run_id: str


def build_key(
    *, gazetteer: Path, geonames_dir: Path, all_countries: Path | None, releases: Path
) -> str:
    """Everything besides the tables that decides what the steps after ingest would write.

    Our sources (every module: a change in an asset's wiring counts too), the Python version and
    every installed distribution with its version (the ``.dist-info`` names: a millisecond, and
    any upgrade breaks the seal), the gazetteer's sources and file, and the releases folder.

    Args:
        gazetteer: The built gazetteer file.
        geonames_dir: The GeoNames files it is built from.
        all_countries: The optional full GeoNames dump it is built from.
        releases: The releases folder.
    """
    digest = hashlib.sha256(_SALT.encode())
    digest.update(sources_digest(("pipeline", "contracts", "assets")).encode())
    digest.update(sys.version.encode())
    for name in _distributions():
        digest.update(f"\x1f{name}".encode())
    digest.update(f"\x1e{gazetteer_sources(geonames_dir, all_countries)}".encode())
    digest.update(f"\x1e{gazetteer_version(gazetteer) if gazetteer.exists() else 'none'}".encode())
    digest.update(f"\x1e{releases.resolve()}".encode())
    return digest.hexdigest()


def tables_digest(warehouse: Warehouse) -> str:
    """Digest of every row of every sealed table.

    :meth:`Warehouse.fingerprint`: about 10 ms for a warehouse of 300 articles.
    """
    return warehouse.fingerprint({table: ("*",) for table in SEALED_TABLES}, _SALT)


def record_seal(warehouse: Warehouse, key: str, release: str, run_id: str) -> BuildSeal:
    """Seal the warehouse as it is now: call after the last step of a complete build."""
    seal = BuildSeal(key, tables_digest(warehouse), release, run_id)
    warehouse.record_seal(seal.build_key, seal.tables_digest, seal.release, seal.run_id)
    return seal


def holding_seal(warehouse: Warehouse, key: str, releases: Path) -> BuildSeal | None:
    """The seal, if it still holds: the steps after ingest have nothing to do. Else None.

    Cheapest test first: the key, then the release (``LATEST`` and its manifest), then the
    tables' digest.
    """
    found = warehouse.seal()
    if found is None:
        return None
    seal = BuildSeal(*found)
    if seal.build_key != key:
        return None
    current = latest(releases)
    if current is None or current.name != seal.release or not (current / MANIFEST).exists():
        return None
    if tables_digest(warehouse) != seal.tables_digest:
        return None
    return seal


def _distributions() -> list[str]:
    """Names of the installed distributions' metadata folders (``name-version.dist-info``)."""
    folders = {sysconfig.get_paths()[kind] for kind in ("purelib", "platlib")}
    names = []
    for folder in sorted(folders):
        try:
            names.extend(e.name for e in os.scandir(folder) if e.name.endswith(".dist-info"))
        except OSError:
            continue
    return sorted(names)
