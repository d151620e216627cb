"""Whole-pipeline safety: hostile input, kill -9 mid-run, and concurrent runs.

The CLI runs in subprocesses against real files (DuckDB, Parquet, a Dagster instance), as a
user would run it.
"""

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import dagster as dg
import polars as pl
import pytest
from hostile_corpus import MAX_BYTES, SECRET

from assets.definitions import build_definitions
from pipeline.release import MANIFEST, latest
from pipeline.warehouse import Warehouse, connect

pytestmark = pytest.mark.slow

ROOT = Path(__file__).resolve().parents[2]
NEWSLEDGER = Path(sys.executable).parent / "newsledger"
TABLES = ("articles", "rejected", "sources", "claims", "figures", "locations")
#: Rebuilt corpus-wide (or skipped when unchanged): a kill must not leave them stale either.
CORPUS_WIDE = ("stories", "claim_groups", "figure_conflicts")


def test_hostile_corpus_runs_through_the_whole_pipeline(hostile, tmp_path, gazetteer_path):
    corpus, expect = hostile
    defs = build_definitions(
        warehouse=str(tmp_path / "w.duckdb"),
        inputs=[str(corpus)],
        releases=str(tmp_path / "releases"),
        gazetteer=str(gazetteer_path),
    )
    (tmp_path / "dagster").mkdir()
    # Run config replaces a resource's whole config: give the paths along with the cap.
    config = {"paths": [str(corpus)], "max_bytes": MAX_BYTES}
    run_config = {"resources": {"inputs": {"config": config}}}
    with dg.instance_for_test(temp_dir=str(tmp_path / "dagster")) as instance:
        result = defs.resolve_job_def("build").execute_in_process(
            instance=instance, run_config=run_config
        )
    assert result.success
    con = connect(tmp_path / "w.duckdb")
    try:
        wh = Warehouse(con)
        assert wh.count("articles") + wh.count("rejected") == len(expect)
        bodies = wh.frame("SELECT body FROM articles")["body"].to_list()
        accounting = wh.frame("SELECT records, articles, rejected FROM ingest_runs").row(0)
    finally:
        con.close()
    assert all(SECRET not in body for body in bodies)
    assert accounting == (len(expect), len(bodies), len(expect) - len(bodies))


def _env(home: Path, gazetteer: Path) -> dict[str, str]:
    return {
        **os.environ,
        "DAGSTER_HOME": str(home / "dagster"),
        "DAGSTER_DISABLE_TELEMETRY": "1",
        "NEWSLEDGER_GAZETTEER": str(gazetteer),
    }


def _start(folder: Path, gazetteer: Path, *extra: str) -> subprocess.Popen:
    folder.mkdir(parents=True, exist_ok=True)
    command = [
        str(NEWSLEDGER), "run", "--input", str(ROOT / "data" / "sample" / "seeds"),
        "--warehouse", str(folder / "w.duckdb"), "--releases", str(folder / "releases"), *extra,
    ]  # fmt: skip
    return subprocess.Popen(
        command,
        cwd=ROOT,
        env=_env(folder, gazetteer),
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
        start_new_session=True,
    )


def _finish(process: subprocess.Popen, timeout: float = 600) -> tuple[int, str]:
    output, _ = process.communicate(timeout=timeout)
    return process.returncode, output


def _tables(path: Path) -> dict[str, pl.DataFrame]:
    con = connect(path)
    try:
        wh = Warehouse(con)
        return {table: wh.table(table) for table in (*TABLES, *CORPUS_WIDE)}
    finally:
        con.close()


def _assert_no_partial_release(releases: Path) -> None:
    if not releases.exists():
        return
    for entry in releases.iterdir():
        if entry.is_dir() and not entry.name.startswith("."):
            assert (entry / MANIFEST).exists(), f"visible release without manifest: {entry}"
    current = latest(releases)
    if current is not None:
        assert (current / MANIFEST).exists()


@pytest.fixture(scope="module")
def reference(tmp_path_factory, gazetteer_path):
    folder = tmp_path_factory.mktemp("reference")
    started = time.monotonic()
    code, output = _finish(_start(folder, gazetteer_path))
    assert code == 0, output
    return _tables(folder / "w.duckdb"), time.monotonic() - started


def test_kill_at_any_point_then_rerun_ends_as_an_uninterrupted_run(
    reference, tmp_path, gazetteer_path
):
    expected, duration = reference
    folder = tmp_path / "killed"
    for fraction in (0.15, 0.35, 0.55, 0.75, 0.95):
        process = _start(folder, gazetteer_path)
        time.sleep(duration * fraction)
        if process.poll() is None:
            os.killpg(process.pid, signal.SIGKILL)
        process.communicate(timeout=60)
        _assert_no_partial_release(folder / "releases")
    code, output = _finish(_start(folder, gazetteer_path))
    assert code == 0, output
    _assert_no_partial_release(folder / "releases")
    again = _tables(folder / "w.duckdb")
    for table, frame in expected.items():
        assert again[table].equals(frame), table


def test_concurrent_runs_wait_for_each_other_and_never_corrupt(reference, tmp_path, gazetteer_path):
    expected, _ = reference
    folder = tmp_path / "shared"
    first = _start(folder, gazetteer_path)
    time.sleep(1.0)
    second = _start(folder, gazetteer_path)
    (code_a, out_a), (code_b, out_b) = _finish(first), _finish(second)
    assert (code_a, code_b) == (0, 0), out_a + out_b
    assert "waiting for it to finish" in out_a + out_b
    final = _tables(folder / "w.duckdb")
    for table, frame in expected.items():
        assert final[table].equals(frame), table


def test_no_wait_stops_with_a_clear_message(tmp_path, gazetteer_path):
    folder = tmp_path / "busy"
    first = _start(folder, gazetteer_path)
    deadline = time.monotonic() + 60
    lock = folder / "w.duckdb.lock"
    while not lock.exists() and time.monotonic() < deadline:
        time.sleep(0.2)
    second = _start(folder, gazetteer_path, "--no-wait")
    code_b, out_b = _finish(second)
    code_a, out_a = _finish(first)
    assert code_a == 0, out_a
    assert code_b == 3
    assert "Another newsledger run is writing" in out_b
