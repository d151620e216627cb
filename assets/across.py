"""Across group: copies, stories, repeated claims and conflicting figures, corpus-wide."""

import dagster as dg

from assets.common import column_schema, contract_result, contract_spec, table_metadata
from assets.resources import WarehouseResource
from pipeline.across import stages


def _result(wh, table: str, report: stages.AcrossReport) -> dg.MaterializeResult:
    return dg.MaterializeResult(
        metadata=table_metadata(wh, table, **_extra(report)),
        check_results=[contract_result(wh, table)],
    )


def _extra(report: stages.AcrossReport) -> dict[str, int | float | bool | str]:
    """The report as metadata; ``recomputed`` is false when unchanged inputs were skipped."""
    return {
        "changed": report.changed,
        **report.details,
        "seconds": report.seconds,
        "recomputed": report.recomputed,
        "fingerprint": report.fingerprint[:16],
    }


@dg.asset(
    group_name="across",
    deps=["articles"],
    description="articles.duplicate_of for exact and near copies (MinHash/LSH on word "
    "shingles, Jaccard >= 0.7), pointing at the earliest copy.",
    # duplicate_of is rewritten corpus-wide after ingest: check the articles contract again.
    check_specs=[contract_spec("articles", asset="duplicates")],
)
def duplicates(warehouse: WarehouseResource) -> dg.MaterializeResult:
    """Mark syndicated and re-published copies across the whole corpus."""
    with warehouse.open() as wh:
        report = stages.mark_duplicates(wh)
        return dg.MaterializeResult(
            metadata={"duplicates": report.rows, **_extra(report)},
            check_results=[contract_result(wh, "articles", asset="duplicates")],
        )


@dg.asset(
    group_name="across",
    deps=["duplicates", "claims", "figures", "locations"],
    description="Articles about the same event across outlets (TF-IDF of title and lead within "
    "a day, plus shared sources, places and counted things); sets articles.story_id.",
    metadata={"dagster/column_schema": column_schema("stories")},
    check_specs=[contract_spec("stories")],
)
def stories(warehouse: WarehouseResource) -> dg.MaterializeResult:
    """Cluster articles into stories."""
    with warehouse.open() as wh:
        return _result(wh, "stories", stages.build_stories(wh))


@dg.asset(
    group_name="across",
    deps=["duplicates", "claims", "sources"],
    description="The same statement by the same source in several articles, with who "
    "relayed each copy.",
    metadata={"dagster/column_schema": column_schema("claim_groups")},
    check_specs=[contract_spec("claim_groups")],
)
def claim_groups(warehouse: WarehouseResource) -> dg.MaterializeResult:
    """Group repeated and paraphrased claims."""
    with warehouse.open() as wh:
        return _result(wh, "claim_groups", stages.build_claim_groups(wh))


@dg.asset(
    group_name="across",
    deps=["stories", "figures", "claims", "locations"],
    description="Figures in one story about the same counted thing whose intervals (about = "
    "+-10%, more than = open above) do not overlap.",
    metadata={"dagster/column_schema": column_schema("figure_conflicts")},
    check_specs=[contract_spec("figure_conflicts")],
)
def figure_conflicts(warehouse: WarehouseResource) -> dg.MaterializeResult:
    """Find figures that disagree across the articles of a story."""
    with warehouse.open() as wh:
        return _result(wh, "figure_conflicts", stages.build_figure_conflicts(wh))
