"""Publish group: the release, the only asset that writes outside DuckDB.

The release is gated by Great Expectations suites run on the staged Parquet files (what is
published is what was checked); their Data Docs ship inside the release. The same gate is
re-run by ``newsledger verify`` through :func:`check_release_folder`.
"""

from collections.abc import Mapping
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import dagster as dg

from assets.common import runs_every_step, seal_key
from assets.resources import GazetteerResource, ReleaseResource, WarehouseResource
from contracts.models import CONTRACT_VERSIONS, MODELS
from pipeline.card import render_card
from pipeline.release import (
    DOCS,
    STAGING_PREFIX,
    ColumnDoc,
    Gate,
    GateResult,
    read_manifest,
    write_release,
)
from pipeline.seal import record_seal
from pipeline.tables import SCHEMAS
from pipeline.version import code_version
from pipeline.warehouse import RELEASE_TABLES


def contract_columns() -> dict[str, list[ColumnDoc]]:
    """Documented columns of every published table, from the contracts."""
    documented: dict[str, list[ColumnDoc]] = {}
    for table in RELEASE_TABLES:
        contract = MODELS[table].to_schema().columns
        documented[table] = [  # in the table's column order, as the Parquet files have them
            ColumnDoc(name, str(contract[name].dtype), contract[name].description or "")
            for name in SCHEMAS[table]
        ]
    return documented


def table_descriptions() -> dict[str, str]:
    """What each published table is: the first line of its contract model's docstring."""
    return {
        table: (MODELS[table].__doc__ or "").strip().splitlines()[0]
        for table in RELEASE_TABLES
        if MODELS[table].__doc__
    }


def expectation_gate(run_time: datetime | None = None) -> Gate:
    """The release gate: every suite on the staged files, Data Docs into ``docs/``."""

    def gate(folder: Path, tables: Mapping[str, Any]) -> GateResult:
        from contracts.expectations import gate_release  # GX is slow to import: only when used

        version = folder.name.removeprefix(STAGING_PREFIX).rsplit("-", 1)[0]
        return gate_release(folder, tables, docs=folder / DOCS, run_name=version, run_time=run_time)

    return gate


def check_release_folder(path: Path, *, docs: Path | None = None) -> GateResult:
    """Re-run the expectations on a published release's Parquet files (for ``verify``).

    Args:
        path: The release folder.
        docs: Where to build fresh Data Docs (the release itself is immutable, so not there).
    """
    from contracts.expectations import gate_release

    return gate_release(path, read_manifest(path)["tables"], docs=docs, run_name=path.name)


@dg.asset(
    group_name="publish",
    deps=[
        "articles",
        "rejected",
        "sources",
        "claims",
        "figures",
        "locations",
        "duplicates",
        "stories",
        "claim_groups",
        "figure_conflicts",
    ],
    description="An immutable release folder: Parquet per table, manifest.json with "
    "checksums, dataset card, changelog and Great Expectations Data Docs; LATEST points to "
    "it. Refused (nothing published) when a blocking expectation fails.",
)
def release(
    context: dg.AssetExecutionContext,
    warehouse: WarehouseResource,
    releases: ReleaseResource,
    gazetteer: GazetteerResource,
) -> dg.MaterializeResult:
    """Write the warehouse's published tables as a release, gated by the expectations.

    At the end of a run that executed every step, seal the build (:mod:`pipeline.seal`), so
    that the next run stops after ingest if it finds nothing new.
    """
    columns = contract_columns()
    descriptions = table_descriptions()
    created = datetime.now(UTC)
    with warehouse.open() as wh:
        info = write_release(
            wh,
            Path(releases.root),
            code_version=code_version(),
            contract_versions=CONTRACT_VERSIONS,
            columns=columns,
            descriptions=descriptions,
            card=render_card,
            gate=expectation_gate(run_time=created),
            now=created,
        )
        sealed = runs_every_step(context)
        if sealed:
            record_seal(wh, seal_key(gazetteer, releases), info.version, context.run_id)
    for warning in info.warnings:
        context.log.warning(f"expectation warning: {warning}")
    return dg.MaterializeResult(
        metadata={
            "version": info.version,
            "path": dg.MetadataValue.path(str(info.path)),
            "new_release": info.created,
            "previous_version": info.previous or "",
            "rows": dg.MetadataValue.json(info.rows),
            "expectation_warnings": dg.MetadataValue.json(list(info.warnings)),
            "data_docs": dg.MetadataValue.path(str(info.path / DOCS / "index.html")),
            "sealed": sealed,
        }
    )
