"""Ingest group: raw input files to `articles` and `rejected`."""

import dagster as dg

from assets.common import column_schema, contract_result, contract_spec, table_metadata
from assets.resources import InputsResource, WarehouseResource
from pipeline.stages import ingest


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
)
def articles(
    context: dg.AssetExecutionContext, inputs: InputsResource, warehouse: WarehouseResource
):
    """Read every input record; each becomes an article or a rejection (nothing lost)."""
    with warehouse.open() as wh:
        report = ingest(wh, inputs.resolved(), field_map=inputs.fields, max_bytes=inputs.max_bytes)
        context.log.info(
            f"{report.records} records: {report.articles} articles "
            f"({report.duplicates} duplicates, {report.new_or_changed} new or changed), "
            f"{report.rejected} rejected"
        )
        yield dg.MaterializeResult(
            asset_key="articles",
            metadata=table_metadata(
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
            ),
            check_results=[contract_result(wh, "articles")],
        )
        yield dg.MaterializeResult(
            asset_key="rejected",
            metadata=table_metadata(
                wh, "rejected", rejected=report.rejected, by_reason=report.rejected_by_reason
            ),
            check_results=[contract_result(wh, "rejected")],
        )
