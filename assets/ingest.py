"""Ingest group: raw input files to `articles` and `rejected`."""

from pathlib import Path
from typing import Any

import dagster as dg

from assets.common import (
    column_schema,
    contract_result,
    contract_spec,
    seal_key,
    selection,
    table_metadata,
    table_results,
)
from assets.resources import GazetteerResource, InputsResource, ReleaseResource, WarehouseResource
from pipeline.seal import holding_seal
from pipeline.stages import IngestReport, ingest
from pipeline.warehouse import Warehouse


@dg.multi_asset(
    specs=[
        dg.AssetSpec(
            "articles",
            group_name="ingest",
            description="One row per input article: parsed, normalised body and metadata; "
            "exact copies are marked `duplicate_of` the earliest one.",
            metadata={"dagster/column_schema": column_schema("articles")},
        ),
        dg.AssetSpec(
            "rejected",
            group_name="ingest",
            description="Input records that could not become articles, with a reason.",
            metadata={"dagster/column_schema": column_schema("rejected")},
        ),
    ],
    check_specs=[contract_spec("articles"), contract_spec("rejected")],
    can_subset=True,
)
def articles(
    context: dg.AssetExecutionContext,
    inputs: InputsResource,
    warehouse: WarehouseResource,
    gazetteer: GazetteerResource,
    releases: ReleaseResource,
):
    """Read every input record; each becomes an article or a rejection (nothing lost).

    When the build seal holds after that (:mod:`pipeline.seal`: nothing new since the last
    complete build), the two tables are observed instead of materialised, so Dagster skips
    every later step: each would rewrite what is there.
    """
    selected, checked = selection(context)
    with warehouse.open() as wh:
        if not selected:  # a contract run on its own (from the UI): validate, ingest nothing
            yield from (contract_result(wh, table) for table in sorted(checked))
            return
        report = ingest(wh, inputs.resolved(), field_map=inputs.fields, max_bytes=inputs.max_bytes)
        context.log.info(
            f"{report.records} records: {report.articles} articles "
            f"({report.duplicates} duplicates, {report.new_or_changed} new or changed), "
            f"{report.rejected} rejected"
        )
        seal = holding_seal(wh, seal_key(gazetteer, releases), Path(releases.root))
        if seal is not None:
            context.log.info(
                f"up to date: nothing changed since run {seal.run_id} built these tables and "
                f"published release {seal.release}; the later steps are skipped"
            )
        for table in ("articles", "rejected"):
            yield from table_results(
                wh,
                table,
                lambda table=table: _metadata(wh, table, report),
                selected=selected,
                checked=checked,
                seal=seal,
            )


def _metadata(wh: Warehouse, table: str, report: IngestReport) -> dict[str, Any]:
    """What the UI shows for ``articles`` or ``rejected`` after an ingest."""
    if table == "rejected":
        return table_metadata(
            wh, "rejected", rejected=report.rejected, by_reason=report.rejected_by_reason
        )
    return table_metadata(
        wh,
        "articles",
        accounting={
            "records": report.records,
            "articles": report.articles,
            "rejected": report.rejected,
            "duplicates": report.duplicates,
        },
        records=report.records,
        duplicates=report.duplicates,
        new_or_changed=report.new_or_changed,
        reused=report.reused,
        seconds=report.seconds,
    )
