"""Shared pieces of the asset wrappers: table metadata and the contract check factory."""

from typing import Any

import dagster as dg
import polars as pl

from assets.resources import WarehouseResource
from contracts.checks import REFERENCES, REFERRED_BY, SPANS, check_table
from contracts.models import MODELS
from pipeline.warehouse import Warehouse

PREVIEW_ROWS = 5
_PREVIEW_DROP = ("body", "doc")


def column_schema(table: str) -> dg.TableSchema:
    """The contract's columns, shown in the Dagster UI."""
    schema = MODELS[table].to_schema()
    return dg.TableSchema(
        columns=[
            dg.TableColumn(name=name, type=str(column.dtype), description=column.description)
            for name, column in schema.columns.items()
        ]
    )


def table_metadata(warehouse: Warehouse, table: str, **extra: object) -> dict[str, Any]:
    """Row count and a short preview of ``table`` after a write."""
    preview = warehouse.frame(f'SELECT * FROM "{table}" ORDER BY 1 LIMIT {PREVIEW_ROWS}')
    preview = preview.drop([c for c in _PREVIEW_DROP if c in preview.columns])
    return {
        "dagster/row_count": dg.MetadataValue.int(warehouse.count(table)),
        "preview": dg.MetadataValue.md(_markdown(preview)),
        **{key: _metadata_value(value) for key, value in extra.items()},
    }


def contract_check(table: str, asset: str | dg.AssetKey) -> dg.AssetChecksDefinition:
    """A blocking asset check that runs ``table``'s contract against the warehouse."""
    related = {"articles"} if table in SPANS else set()
    related |= {other for _, other, _ in REFERENCES.get(table, ())}
    related |= {referring for referring, _, _ in REFERRED_BY.get(table, ())}

    @dg.asset_check(
        asset=asset,
        name=f"{table}_contract",
        blocking=True,
        description=f"Contract v1 of `{table}`: Pandera model, spans and keys.",
    )
    def _check(warehouse: WarehouseResource) -> dg.AssetCheckResult:
        with warehouse.open() as wh:
            frame = wh.table(table)
            others = {name: wh.table(name) for name in sorted(related)}
        result = check_table(table, frame, others)
        return dg.AssetCheckResult(
            passed=result.passed,
            severity=dg.AssetCheckSeverity.ERROR,
            metadata={
                "rows": result.rows,
                "problems": dg.MetadataValue.md(
                    "\n".join(f"- {p}" for p in result.problems) or "none"
                ),
            },
        )

    return _check


def _markdown(frame: pl.DataFrame) -> str:
    if frame.is_empty():
        return "_no rows_"
    header = "| " + " | ".join(frame.columns) + " |"
    rule = "|" + "---|" * len(frame.columns)
    rows = ["| " + " | ".join(_cell(v) for v in row) + " |" for row in frame.iter_rows()]
    return "\n".join([header, rule, *rows])


def _cell(value: object) -> str:
    text = "" if value is None else str(value)
    text = text.replace("|", "\\|").replace("\n", " ")
    return text if len(text) <= 60 else text[:57] + "..."


def _metadata_value(value: object) -> object:
    if isinstance(value, dict):
        return dg.MetadataValue.json(value)
    return value
