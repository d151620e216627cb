"""NLP and extract groups: the doc cache, claims, sources, figures and locations.

The doc cache and the three extractions are one step (:func:`extractions`): the per-article
pass of :mod:`pipeline.articles`, on the engine the ``engine`` resource names.
"""

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
from assets.progress import ProgressLog
from assets.resources import EngineResource, GazetteerResource, WarehouseResource
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
        dg.AssetSpec(
            "nlp_docs",
            group_name="nlp",
            deps=["articles"],
            description="spaCy annotations (DocBin) per `content_hash`: an unchanged body is "
            "never parsed twice, and changing an extractor never re-runs spaCy. Filled in the "
            "same pass as the extractions: a worker parses a body and extracts from the docs "
            "it holds.",
        ),
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
    context: dg.AssetExecutionContext,
    warehouse: WarehouseResource,
    gazetteer: GazetteerResource,
    engine: EngineResource,
):
    """Parse what is not cached, and extract claims, figures and places, in one pass.

    One step on the engine's workers (the local pool, or a Dask cluster): a worker parses a
    body and extracts every pending stage from the docs it holds, so a doc is never serialised
    and restored just to be extracted, and the cache is filled on the way. Each table stays
    its own asset with its own contract: any of them (the doc cache alone, too), or any
    contract alone, can be run from the UI. ``seconds`` is the shared pass's.
    """
    selected, checked = selection(context)
    only = [name for name in stages.EXTRACTION_STAGES if name in selected]
    progress = ProgressLog(context)
    with warehouse.open() as wh:
        reports, run = stages.extract_pass(
            wh,
            Path(gazetteer.path),
            only=only,
            parse="nlp_docs" in selected,
            cluster=engine.cluster_spec(),
            n_process=engine.n_process,
            on_progress=progress,
        )
        for report in reports.values():
            if report.quarantined:
                context.log.warning(
                    f"{report.stage}: failed on {report.quarantined} articles, quarantined "
                    "(table quarantine); the run goes on without their rows"
                )
        if run.quarantined.get("nlp"):
            context.log.warning(
                f"{run.quarantined['nlp']} bodies could not be parsed: quarantined (table "
                "quarantine, stage nlp); the run goes on without them"
            )
        if "nlp_docs" in selected:
            yield dg.MaterializeResult(
                asset_key="nlp_docs",
                metadata={
                    "dagster/row_count": wh.count("nlp_docs"),
                    "parsed": run.parsed,
                    "quarantined": run.quarantined.get("nlp", 0),
                    "words": run.words,
                    "workers": run.workers,
                    "parse_seconds": round(run.parse_seconds, 3),
                    "seconds": run.seconds,
                },
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
