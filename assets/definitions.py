"""The newsledger code location: assets (each with its contract check), jobs and resources."""

import dagster as dg

from assets import across, extract, ingest, publish, reference
from assets.automation import WRITER_TAG, daily_release_schedule, landing_sensor_for
from assets.resources import build_resources

ALL_ASSETS = [
    ingest.articles,
    reference.gazetteer,
    extract.extractions,
    extract.sources,
    across.duplicates,
    across.stories,
    across.claim_groups,
    across.figure_conflicts,
    publish.release,
]

#: The main job: every asset, from landed files to a release.
build_job = dg.define_asset_job(
    "build",
    selection=dg.AssetSelection.all(),
    description="Ingest, parse, extract, link, validate and release.",
    tags=WRITER_TAG,
)

#: Everything but the release: refresh the warehouse only.
warehouse_job = dg.define_asset_job(
    "warehouse",
    selection=dg.AssetSelection.all() - dg.AssetSelection.assets("release"),
    description="Refresh the warehouse tables without writing a release.",
    tags=WRITER_TAG,
)

#: The daily release: only the release asset (it reads the warehouse as it is).
release_job = dg.define_asset_job(
    "publish",
    selection=dg.AssetSelection.assets("release"),
    description="Publish the warehouse as an immutable release.",
    tags=WRITER_TAG,
)


def build_definitions(**resource_options: object) -> dg.Definitions:
    """Definitions with resources from :func:`~assets.resources.build_resources`."""
    return dg.Definitions(
        assets=ALL_ASSETS,
        jobs=[build_job, warehouse_job, release_job],
        sensors=[landing_sensor_for(warehouse_job.name)],
        schedules=[daily_release_schedule(release_job.name)],
        resources=build_resources(**resource_options),  # type: ignore[arg-type]
        # One DuckDB writer at a time: steps run one after another in the run's process.
        executor=dg.in_process_executor,
    )


defs = build_definitions()
