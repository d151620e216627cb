"""NLP group: spaCy annotations cached per content hash."""

import dagster as dg

from assets.resources import WarehouseResource
from pipeline.stages import parse_pending


@dg.asset(
    group_name="nlp",
    deps=["articles"],
    description="spaCy annotations (DocBin) per `content_hash`: an unchanged body is never "
    "parsed twice, and changing an extractor never re-runs spaCy.",
)
def nlp_docs(context: dg.AssetExecutionContext, warehouse: WarehouseResource):
    """Parse the bodies that are not in the doc cache yet."""
    with warehouse.open() as wh:
        report = parse_pending(wh)
        context.log.info(f"parsed {report.parsed} bodies ({report.words} words)")
        if report.quarantined:
            context.log.warning(
                f"{report.quarantined} bodies could not be parsed: quarantined (table "
                "quarantine, stage nlp); the run goes on without them"
            )
        return dg.MaterializeResult(
            metadata={
                "dagster/row_count": wh.count("nlp_docs"),
                "parsed": report.parsed,
                "quarantined": report.quarantined,
                "words": report.words,
                "words_per_s": round(report.words / report.seconds, 1) if report.seconds else 0,
                "seconds": report.seconds,
            }
        )
