"""Shared pieces of the asset wrappers: table metadata and the contract checks."""

from collections.abc import Callable, Iterator, Mapping
from pathlib import Path
from typing import Any

import dagster as dg
import polars as pl

from assets.resources import GazetteerResource, ReleaseResource
from contracts.checks import check_warehouse_table
from contracts.models import MODELS
from pipeline.seal import BuildSeal, build_key
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


def contract_spec(table: str, asset: str | None = None) -> dg.AssetCheckSpec:
    """The blocking check that runs ``table``'s contract on ``asset`` (the table by default).

    Contracts run inside the step that wrote the table (see :func:`contract_result`), not as
    steps of their own: each extra step costs Dagster about 35 ms of event-log writes, and ten
    of them were a third of a no-op re-run. A failing blocking check fails that step, so
    nothing downstream runs, as with a separate check.
    """
    return dg.AssetCheckSpec(
        name=f"{table}_contract",
        asset=asset or table,
        blocking=True,
        description=f"Contract v1 of `{table}`: Pandera model, spans and keys.",
    )


def contract_result(wh: Warehouse, table: str, asset: str | None = None) -> dg.AssetCheckResult:
    """Run ``table``'s contract on the warehouse as the step that wrote it left it."""
    result = check_warehouse_table(wh, table)
    return dg.AssetCheckResult(
        asset_key=asset or table,
        check_name=f"{table}_contract",
        passed=result.passed,
        severity=dg.AssetCheckSeverity.ERROR,
        metadata={
            "rows": result.rows,
            "problems": dg.MetadataValue.md("\n".join(f"- {p}" for p in result.problems) or "none"),
            "reused": result.reused,
        },
    )


def table_results(
    wh: Warehouse,
    table: str,
    metadata: Callable[[], Mapping[str, Any]],
    *,
    selected: set[str],
    checked: set[str],
    seal: BuildSeal | None = None,
) -> Iterator[dg.MaterializeResult | dg.AssetObservation | dg.AssetCheckResult]:
    """What a multi-asset step yields for one of its tables, with the table's contract.

    A table left out of the selection only reports its contract, when that was asked for (a
    contract run on its own from the UI). Under a holding build seal the table is observed,
    not materialised, so that Dagster skips the steps downstream: each would rewrite what is
    there. ``metadata`` is only read for a table the step wrote.
    """
    checks = [contract_result(wh, table)] if table in checked else []
    if table not in selected:
        yield from checks
    elif seal is None:
        yield dg.MaterializeResult(asset_key=table, metadata=metadata(), check_results=checks)
    else:
        sealed = {"up_to_date_with_run": seal.run_id, "release": seal.release}
        yield dg.AssetObservation(asset_key=table, metadata={**metadata(), **sealed})
        yield from checks


def selection(context: dg.AssetExecutionContext) -> tuple[set[str], set[str]]:
    """What a subsettable step is asked for: its assets, and the tables whose contracts run.

    A run from the UI may pick some assets of a multi-asset, or only a contract check.
    """
    assets = {key.to_user_string() for key in context.selected_asset_keys}
    checked = {key.asset_key.to_user_string() for key in context.selected_asset_check_keys}
    return assets, checked


def seal_key(gazetteer: GazetteerResource, releases: ReleaseResource) -> str:
    """The build key (:func:`pipeline.seal.build_key`) for these resources."""
    return build_key(
        gazetteer=Path(gazetteer.path),
        geonames_dir=Path(gazetteer.geonames_dir),
        all_countries=Path(gazetteer.all_countries) if gazetteer.all_countries else None,
        releases=Path(releases.root),
    )


def runs_every_step(context: dg.AssetExecutionContext) -> bool:
    """Whether this run executes every asset upstream of this one, and every check.

    Only such a run may seal the build: a run of the release alone, a subset picked in the UI
    or a re-execution of some steps (from a failure) says nothing about the steps it left out.
    """
    layer = context.job_def.asset_layer
    graph = layer.asset_graph
    if not graph.get_ancestor_asset_keys(context.asset_key) <= layer.selected_asset_keys:
        return False
    steps = context.run.step_keys_to_execute
    if steps is not None and not set(context.job_def.graph.node_names()) <= set(steps):
        return False
    checks = context.run.asset_check_selection
    return checks is None or set(graph.asset_check_keys) <= checks


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
