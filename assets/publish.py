"""Publish group: the release, the only asset that writes outside DuckDB."""

from pathlib import Path

import dagster as dg

from assets.resources import ReleaseResource, WarehouseResource
from contracts.models import CONTRACT_VERSIONS, MODELS
from pipeline.card import render_card
from pipeline.release import ColumnDoc, write_release
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


@dg.asset(
    group_name="publish",
    deps=["articles", "rejected", "sources", "claims", "figures", "locations"],
    description="An immutable release folder: Parquet per table, manifest.json with "
    "checksums, and a dataset card; LATEST points to it.",
)
def release(warehouse: WarehouseResource, releases: ReleaseResource) -> dg.MaterializeResult:
    """Write the warehouse's published tables as a release."""
    columns = contract_columns()
    with warehouse.open() as wh:
        info = write_release(
            wh,
            Path(releases.root),
            code_version=code_version(),
            contract_versions=CONTRACT_VERSIONS,
            columns=columns,
            card=lambda version, rows: render_card(version, rows, columns, CONTRACT_VERSIONS),
        )
    return dg.MaterializeResult(
        metadata={
            "version": info.version,
            "path": dg.MetadataValue.path(str(info.path)),
            "new_release": info.created,
            "rows": dg.MetadataValue.json(info.rows),
        }
    )
