"""Drive the real Dagster job for ``newsledger bench`` (the measurements are in pipeline.bench).

Each run materialises the ``build`` job in-process, exactly like ``newsledger run``, into a
temporary warehouse and releases folder, on a temporary (SQLite-backed) Dagster instance so
benchmark runs do not clutter the project's run history. Step times come from the instance's
event log (STEP_START to STEP_SUCCESS/STEP_FAILURE timestamps).
"""

import os
import subprocess
import sys
import tempfile
from collections.abc import Mapping, Sequence
from pathlib import Path

import dagster as dg

from assets.definitions import ALL_ASSETS, build_definitions
from assets.progress import PROGRESS, quiet_about_skipped_checks, with_progress
from assets.resources import WarehouseResource, resource_of
from pipeline import bench
from pipeline.warehouse import connect


def run_once(
    instance: dg.DagsterInstance,
    input_path: Path,
    workdir: Path,
    fields: Mapping[str, str],
    *,
    job_name: str = "build",
    n_process: int = 2,
) -> bench.RunTiming:
    """Materialise ``job_name`` on ``input_path`` into ``workdir``; time it and its steps.

    The job runs as ``newsledger run`` runs it: with the progress logger (here silent) as its
    only logger, and without the warnings that a sealed re-run's skipped checks raise.
    """
    import time

    seen_skipped: set[str] = set()
    defs = with_progress(
        build_definitions(
            warehouse=str(workdir / "warehouse.duckdb"),
            inputs=[str(input_path)],
            fields=dict(fields),
            releases=str(workdir / "releases"),
            n_process=n_process,
        ),
        seen_skipped,
        echo=False,
    )
    job = defs.resolve_job_def(job_name)
    warehouse = resource_of(defs, "warehouse", WarehouseResource)
    started = time.perf_counter()
    with warehouse.hold(), quiet_about_skipped_checks(seen_skipped):
        result = job.execute_in_process(
            instance=instance, run_config=PROGRESS, raise_on_error=False
        )
    seconds = time.perf_counter() - started
    with warehouse.open() as wh:
        articles = wh.count("articles")
    steps, skipped = _step_seconds(instance, result)
    return bench.RunTiming(articles, seconds, result.success, steps, skipped)


def start_fresh_run(
    input_path: Path, workdir: Path, fields: Mapping[str, str], dagster_home: Path
) -> subprocess.Popen[bytes]:
    """Start ``newsledger run`` on ``input_path`` into ``workdir`` in a new process (unwaited).

    A real run starts so, from the CLI or launched by the UI: the bench samples its memory, as
    the runs in the bench's own process carry what earlier runs loaded. Its output goes to
    ``workdir/run.log``.
    """
    workdir.mkdir(parents=True, exist_ok=True)
    command = [sys.executable, "-m", "assets.cli", "run", "--input", str(input_path)]
    command += ["--warehouse", str(workdir / "warehouse.duckdb")]
    command += ["--releases", str(workdir / "releases")]
    for name, field in fields.items():
        command += ["--field", f"{name}={field}"]
    env = {**os.environ, "DAGSTER_HOME": str(dagster_home), "DAGSTER_DISABLE_TELEMETRY": "1"}
    with (workdir / "run.log").open("wb") as log:
        return subprocess.Popen(
            command,
            cwd=Path(__file__).resolve().parents[1],  # the project's default gazetteer cache
            env=env,
            stdout=log,
            stderr=subprocess.STDOUT,
        )


def _step_seconds(instance: dg.DagsterInstance, result) -> tuple[dict[str, float], tuple[str, ...]]:
    starts: dict[str, float] = {}
    steps: dict[str, float] = {}
    skipped: list[str] = []
    for entry in instance.all_logs(result.run_id):
        event = entry.dagster_event
        if event is None or not event.step_key:
            continue
        kind = event.event_type_value
        if kind == "STEP_START":
            starts[event.step_key] = entry.timestamp
        elif kind in ("STEP_SUCCESS", "STEP_FAILURE") and event.step_key in starts:
            steps[event.step_key] = entry.timestamp - starts[event.step_key]
        elif kind == "STEP_SKIPPED":
            skipped.append(event.step_key)
    return steps, tuple(skipped)


def dagster_alone(instance: dg.DagsterInstance, runs: int = 5) -> float:
    """Median seconds of a run of the ``build`` job's shape in which every step does nothing.

    Each asset definition (``build`` has them all) is copied with the same asset specs and
    check specs, so the same deps, steps, planned events and blocking checks; the copy yields
    a bare materialisation and a passing result per check. That is Dagster's own cost of a
    run that executes every step, on the same instance: the floor under any run with work in
    each step (a no-op re-run skips the steps after ingest, see ``pipeline.seal``).
    """
    import statistics
    import time

    job = shape_job()
    job.execute_in_process(instance=instance, run_config=PROGRESS)  # warm-up: plan, snapshots
    seconds = []
    for _ in range(runs):
        started = time.perf_counter()
        job.execute_in_process(instance=instance, run_config=PROGRESS)
        seconds.append(time.perf_counter() - started)
    return statistics.median(seconds)


def shape_job() -> dg.JobDefinition:
    """The ``build`` job's steps, assets and blocking checks, with steps that do nothing.

    Its runs log through the same (silent) progress logger as the bench's real runs.
    """
    defs = with_progress(
        dg.Definitions(
            assets=[_noop_copy(assets_def) for assets_def in ALL_ASSETS],
            jobs=[dg.define_asset_job("shape", selection=dg.AssetSelection.all())],
            executor=dg.in_process_executor,
        ),
        set(),
        echo=False,
    )
    return defs.resolve_job_def("shape")


def _noop_copy(assets_def: dg.AssetsDefinition) -> dg.AssetsDefinition:
    specs = list(assets_def.specs)
    checks = list(assets_def.check_specs)

    @dg.multi_asset(name=assets_def.node_def.name, specs=specs, check_specs=checks)
    def noop():
        for spec in specs:
            yield dg.MaterializeResult(
                asset_key=spec.key,
                check_results=[
                    dg.AssetCheckResult(asset_key=spec.key, check_name=check.name, passed=True)
                    for check in checks
                    if check.asset_key == spec.key
                ],
            )

    return noop


def run_bench(
    source: Path,
    limit: int,
    fields: Mapping[str, str],
    *,
    keep: Path | None = None,
    pairs: int = 3,
    series: Sequence[int] = (),
) -> bench.BenchResult:
    """Bench the pipeline on the first ``limit`` records of ``source`` (see pipeline.bench).

    Args:
        source: Input file or folder.
        limit: N.
        fields: JSON field mapping (``--field``).
        keep: Work in this folder and keep it, instead of a temporary one.
        pairs: Back-to-back pairs of an N run and the floor; the ratio is the median pair's.
        series: Sizes of the scaling series below N (default N/4 and N/2).
    """
    with tempfile.TemporaryDirectory(prefix="newsledger-bench-") as tmp:
        root = Path(keep) if keep else Path(tmp)
        root.mkdir(parents=True, exist_ok=True)
        home = root / "dagster_home"
        home.mkdir(exist_ok=True)
        instance = dg.DagsterInstance.local_temp(
            tempdir=str(home), overrides={"telemetry": {"enabled": False}}
        )
        inputs: dict[int, Path] = {}

        def first(n: int) -> Path:
            """The first ``n`` records of ``source``, sliced once per size."""
            if n not in inputs:
                inputs[n] = bench.slice_input(source, n, root / "inputs" / f"n{n}")
            return inputs[n]

        def run(n: int, name: str) -> bench.RunTiming:
            return run_once(instance, first(n), root / name, fields)

        def one_worker(n: int, name: str) -> bench.RunTiming:
            return run_once(instance, first(n), root / name, fields, n_process=1)

        def fresh_run(n: int, name: str) -> subprocess.Popen[bytes]:
            return start_fresh_run(first(n), root / name, fields, root / "dagster_home_fresh")

        def warehouse_rows(sql: str, n: int = limit) -> list[tuple]:
            con = connect(root / f"n{n}" / "warehouse.duckdb", read_only=True)
            try:
                return con.execute(sql).fetchall()
            finally:
                con.close()

        def texts(n: int) -> Sequence[str]:
            rows = warehouse_rows("SELECT body FROM articles ORDER BY source_uri, external_id", n)
            return [body for (body,) in rows]

        def words() -> int:
            return int(warehouse_rows("SELECT coalesce(sum(word_count), 0) FROM articles")[0][0])

        try:
            return bench.run_bench(
                limit,
                texts=texts,
                run=run,
                words=words,
                dagster_alone=lambda: dagster_alone(instance),
                fresh_run=fresh_run,
                pairs=pairs,
                series=series,
                one_worker=one_worker,
            )
        finally:
            instance.dispose()
