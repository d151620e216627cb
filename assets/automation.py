"""Sensors and schedules: the pipeline runs itself as articles land.

The landing sensor requests one run per batch of new or changed files, with just those files as
the run's inputs; every stage then processes only the articles whose content hash is new. The
release is cut once a day.
"""

import os
from pathlib import Path

import dagster as dg

from assets.resources import InputsResource
from pipeline.landing import parse_cursor, scan

DEFAULT_LANDING = "data/landing"
#: Runs that write the warehouse carry this tag; dagster.yaml allows one such run at a time.
WRITER_TAG = {"newsledger/warehouse": "writer"}


def landing_root() -> Path:
    """The watched folder (``NEWSLEDGER_LANDING``, default ``data/landing``)."""
    return Path(os.environ.get("NEWSLEDGER_LANDING", DEFAULT_LANDING))


def landing_sensor_for(job: str) -> dg.SensorDefinition:
    """A sensor that runs ``job`` on the files that are new or changed in the landing folder."""

    @dg.sensor(
        name="landing_sensor",
        job_name=job,
        minimum_interval_seconds=30,
        default_status=dg.DefaultSensorStatus.RUNNING,
        description="Watches the landing folder (NEWSLEDGER_LANDING) and ingests new or "
        "changed files; unchanged articles are skipped by content hash.",
    )
    def landing_sensor(context: dg.SensorEvaluationContext, inputs: InputsResource):
        root = landing_root()
        result = scan(root, parse_cursor(context.cursor))
        context.update_cursor(result.cursor())
        if not result.changed:
            return dg.SkipReason(f"nothing new in {root}")
        paths = [str(root / landed.path) for landed in result.changed]
        # Run config replaces a resource's whole config: carry the configured field mapping and
        # size cap along with the paths, or sensor runs would fall back to the defaults.
        config = {"paths": paths, "fields": dict(inputs.fields), "max_bytes": inputs.max_bytes}
        return dg.RunRequest(
            run_key=result.batch_key(),
            run_config={"resources": {"inputs": {"config": config}}},
            tags={**WRITER_TAG, "newsledger/landed_files": str(len(paths))},
        )

    return landing_sensor


def daily_release_schedule(job: str) -> dg.ScheduleDefinition:
    """Cut a release every day at 05:00 UTC (a release of unchanged data is a no-op)."""
    return dg.ScheduleDefinition(
        name="daily_release",
        job_name=job,
        cron_schedule="0 5 * * *",
        execution_timezone="UTC",
        default_status=dg.DefaultScheduleStatus.RUNNING,
        tags=WRITER_TAG,
        description="Publishes the warehouse as a release once a day.",
    )
