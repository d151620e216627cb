"""Extract group: claims, sources, figures and locations, each with offsets into the body."""

from pathlib import Path

import dagster as dg

from assets.common import (
    column_schema,
    contract_result,
    contract_spec,
    selection,
    table_metadata,
    table_results,
)
from assets.resources import GazetteerResource, WarehouseResource
from pipeline import stages


def _spec(table: str, description: str, deps: list[str]) -> dg.AssetSpec:
    return dg.AssetSpec(
        table,
        group_name="extract",
        deps=deps,
        description=description,
        metadata={"dagster/column_schema": column_schema(table)},
    )


@dg.multi_asset(
    specs=[
        _spec(
            "claims",
            "Attributed statements: speaker, cue, content (direct or reported), relay.",
            ["nlp_docs"],
        ),
        _spec(
            "figures",
            "Numbers in the text: value or range, unit, counted thing, qualifier, claim.",
            ["nlp_docs", "claims"],
        ),
        _spec(
            "locations",
            "Place mentions resolved to GeoNames ids with coordinates and country.",
            ["nlp_docs", "gazetteer"],
        ),
    ],
    check_specs=[contract_spec(table) for table in stages.EXTRACTION_STAGES],
    can_subset=True,
)
def extractions(
    context: dg.AssetExecutionContext, warehouse: WarehouseResource, gazetteer: GazetteerResource
):
    """Extract claims, figures and locations of new or changed articles in one pass.

    One step, so that each cached doc is restored once for the three, in one pool of workers
    (restoring was a fifth of their cost, paid three times). Each stays its own asset with its
    own contract: any of them, or any contract alone, can be run from the UI. ``seconds`` is
    the shared pass's.
    """
    selected, checked = selection(context)
    with warehouse.open() as wh:
        reports = stages.extract_all(wh, Path(gazetteer.path), only=selected)
        for report in reports.values():
            if report.quarantined:
                context.log.warning(
                    f"{report.stage}: failed on {report.quarantined} articles, quarantined "
                    "(table quarantine); the run goes on without their rows"
                )
        for table in stages.EXTRACTION_STAGES:
            yield from table_results(
                wh,
                table,
                lambda table=table: table_metadata(
                    wh,
                    table,
                    processed=reports[table].articles,
                    quarantined=reports[table].quarantined,
                    seconds=reports[table].seconds,
                ),
                selected=set(reports),
                checked=checked,
            )


@dg.asset(
    group_name="extract",
    deps=["claims"],
    description="Who is cited: one canonical entity per source across the corpus.",
    metadata={"dagster/column_schema": column_schema("sources")},
    check_specs=[contract_spec("sources")],
)
def sources(warehouse: WarehouseResource) -> dg.MaterializeResult:
    """Canonicalise the speakers and relays of all claims."""
    with warehouse.open() as wh:
        run = stages.build_sources(wh)
        return dg.MaterializeResult(
            metadata=table_metadata(
                wh, "sources", recomputed=run.recomputed, fingerprint=run.fingerprint[:16]
            ),
            check_results=[contract_result(wh, "sources")],
        )
