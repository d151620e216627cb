"""Extract group: claims, sources, figures and locations, each with offsets into the body."""

from pathlib import Path

import dagster as dg

from assets.common import column_schema, contract_result, contract_spec, table_metadata
from assets.resources import GazetteerResource, WarehouseResource
from pipeline import stages


def _spec_metadata(table: str) -> dict[str, object]:
    return {"dagster/column_schema": column_schema(table)}


@dg.asset(
    group_name="extract",
    deps=["nlp_docs"],
    description="Attributed statements: speaker, cue, content (direct or reported), relay.",
    metadata=_spec_metadata("claims"),
    check_specs=[contract_spec("claims")],
)
def claims(warehouse: WarehouseResource) -> dg.MaterializeResult:
    """Extract claims for new or changed articles."""
    with warehouse.open() as wh:
        report = stages.extract_claims(wh)
        return dg.MaterializeResult(
            metadata=table_metadata(
                wh, "claims", processed=report.articles, seconds=report.seconds
            ),
            check_results=[contract_result(wh, "claims")],
        )


@dg.asset(
    group_name="extract",
    deps=["claims"],
    description="Who is cited: one canonical entity per source across the corpus.",
    metadata=_spec_metadata("sources"),
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


@dg.asset(
    group_name="extract",
    deps=["nlp_docs", "claims"],
    description="Numbers in the text: value or range, unit, counted thing, qualifier, claim.",
    metadata=_spec_metadata("figures"),
    check_specs=[contract_spec("figures")],
)
def figures(warehouse: WarehouseResource) -> dg.MaterializeResult:
    """Extract figures for new or changed articles."""
    with warehouse.open() as wh:
        report = stages.extract_figures(wh)
        return dg.MaterializeResult(
            metadata=table_metadata(
                wh, "figures", processed=report.articles, seconds=report.seconds
            ),
            check_results=[contract_result(wh, "figures")],
        )


@dg.asset(
    group_name="extract",
    deps=["nlp_docs", "gazetteer"],
    description="Place mentions resolved to GeoNames ids with coordinates and country.",
    metadata=_spec_metadata("locations"),
    check_specs=[contract_spec("locations")],
)
def locations(warehouse: WarehouseResource, gazetteer: GazetteerResource) -> dg.MaterializeResult:
    """Recognise and resolve places for new or changed articles."""
    with warehouse.open() as wh:
        report = stages.extract_locations(wh, Path(gazetteer.path))
        return dg.MaterializeResult(
            metadata=table_metadata(
                wh, "locations", processed=report.articles, seconds=report.seconds
            ),
            check_results=[contract_result(wh, "locations")],
        )
